// The process group of a data-parallel run: LibTorch c10d's Gloo backend for ranks on the CPU, NCCL for ranks on
// CUDA, behind the Trainer's Collective interface. Ranks meet through a c10d store: a file every rank on one
// machine can open ("file:PATH"), or a TCP server that rank 0 runs ("tcp:HOST:PORT", for several machines).
//
//   std::optional<RankEnv> env = RankEnv::fromEnvironment();   // set by `train --nproc` (Launcher.h)
//   std::unique_ptr<Collective> group = connectProcessGroup(*env, device);   // blocks until all ranks are there
#pragma once
#include "train/Collective.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <memory>
#include <optional>

namespace distillery {

// Who this process is in the run (the launcher passes it through the environment, see Launcher.h).
struct RankEnv {
  int rank = 0;        // global rank, 0 .. worldSize-1
  int worldSize = 1;   // processes in the run (all machines)
  int localRank = 0;   // rank on this machine: the CUDA device index
  QString store;       // "file:PATH" or "tcp:HOST:PORT"

  // DISTILLERY_RANK, DISTILLERY_WORLD_SIZE, DISTILLERY_LOCAL_RANK, DISTILLERY_STORE; nullopt when DISTILLERY_RANK
  // is not set (an ordinary single-process run). Throws Error naming the variable for a malformed value.
  static std::optional<RankEnv> fromEnvironment();
};

// Whether this build has a c10d backend for the device ("gloo" for the CPU, "nccl" for CUDA); when not, `why`
// (if given) says what was missing at build time.
bool processGroupAvailable(const torch::Device& device, QString* why = nullptr);

// Connects to the other ranks (rendezvous through env.store, then the backend for device: NCCL on CUDA, Gloo on
// the CPU). Throws Error naming the store or the missing backend ("built without c10d: ...").
std::unique_ptr<Collective> connectProcessGroup(const RankEnv& env, const torch::Device& device);

}  // namespace distillery
