// bf16 autocast for a training or evaluation forward on CUDA (dtype "auto" or "bfloat16"); on the CPU, or with
// dtype "float32", it does nothing, so CPU runs stay float32 and deterministic.
#pragma once
#include <c10/core/Device.h>

#include <QtCore/QString>

namespace distillery {

// Whether a job with this TrainSpec::dtype runs its forward under bf16 autocast on `device`.
bool autocastEnabled(const QString& dtype, const c10::Device& device);

// RAII: enables CUDA bf16 autocast for its lifetime when `enabled`, then restores the previous state and clears
// autocast's weight-cast cache.
class AutocastGuard {
 public:
  explicit AutocastGuard(bool enabled);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool enabled_;
  bool previous_ = false;
};

}  // namespace distillery
