// AdamW as torch.optim.AdamW computes it (decoupled weight decay, bias correction, eps outside the square root),
// with its state in our hands so a checkpoint can save and restore it exactly:
//
//   p ← p·(1 − lr·wd);  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//   p ← p − lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + eps)
//
// Parameters are updated with torch's _foreach_* kernels (present in LibTorch 1.13 and 2.x), grouped by step
// count, decay, device and dtype; on CUDA with LibTorch ≥ 2.1 the fused kernel (_fused_adamw_) is used instead.
#pragma once
#include "train/TrainTask.h"

#include <ATen/core/Tensor.h>

#include <QtCore/QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace distillery {

struct AdamWOptions {
  double beta1 = 0.9;        // first-moment decay
  double beta2 = 0.999;      // second-moment decay
  double eps = 1e-8;         // added to √v̂
  double weightDecay = 0.0;  // decoupled decay per step: p ← p·(1 − lr·wd), not on the noDecay parameters
  bool fused = true;         // use the fused CUDA kernel where LibTorch has one (CPU always uses _foreach_*)
};

class AdamW {
 public:
  // params: the tensors updated in place (requires_grad, any device); noDecay[i]: params[i] skips weight decay.
  AdamW(std::vector<NamedTensor> params, std::vector<bool> noDecay, const AdamWOptions& options);

  // One update at learning rate lr from the current .grad()s; parameters without a gradient are left alone and
  // their step count does not move (as torch).
  void step(double lr);
  // Drops the gradients (undefined, as zero_grad(set_to_none=True)).
  void zeroGrad();

  // "<name>.exp_avg", "<name>.exp_avg_sq" (the parameter's dtype and shape) and "<name>.step" (int64 [1]) for
  // every parameter that has state; CPU tensors, ready for writeSafetensors.
  std::vector<NamedTensor> state() const;
  // The inverse. Throws FormatError(source, tensor name, shape, why) for a missing or misshapen tensor; state
  // for a parameter absent from `state` means the parameter has not been stepped yet (its step must be 0).
  void loadState(const std::map<std::string, at::Tensor>& state, const QString& source);

  int64_t stepCount(const std::string& name) const;  // updates applied to that parameter (0 when unknown)
  const std::vector<NamedTensor>& parameters() const { return params_; }

 private:
  struct Slot {
    at::Tensor expAvg, expAvgSq;  // undefined until the first step
    int64_t step = 0;
  };
  std::vector<NamedTensor> params_;
  std::vector<bool> noDecay_;
  std::vector<Slot> slots_;
  AdamWOptions options_;
};

}  // namespace distillery
