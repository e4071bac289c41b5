// What the training loop needs from the other processes of a data-parallel run: sums and a broadcast over all
// ranks. core/dist/ implements it with LibTorch's c10d process groups (Gloo on the CPU, NCCL on CUDA); the Trainer
// knows only this interface, so a single-process run never touches c10d.
//
//   TrainerOptions o = TrainerOptions::fromJob(spec);
//   o.collective = group.get();     // null or worldSize() 1: the ordinary single-process loop
#pragma once
#include <ATen/core/Tensor.h>

namespace distillery {

class Collective {
 public:
  virtual ~Collective() = default;
  virtual int rank() const = 0;       // 0 .. worldSize()-1; rank 0 writes metrics, checkpoints and the output
  virtual int worldSize() const = 0;  // processes taking part
  // Every rank's t summed, in place (same shape, dtype and device on every rank). Blocks until all ranks call it.
  virtual void allReduceSum(at::Tensor& t) = 0;
  // Rank `root`'s t copied into every rank's t, in place.
  virtual void broadcast(at::Tensor& t, int root) = 0;
};

}  // namespace distillery
