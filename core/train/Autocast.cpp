#include "train/Autocast.h"

#include "torch/TorchCompat.h"

#include <ATen/autocast_mode.h>

namespace distillery {

bool autocastEnabled(const QString& dtype, const c10::Device& device) {
  return device.is_cuda() && (dtype == QLatin1String("auto") || dtype == QLatin1String("bfloat16"));
}

AutocastGuard::AutocastGuard(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
#if DISTILLERY_HAS_AUTOCAST_DEVICE_API
  previous_ = at::autocast::is_autocast_enabled(at::kCUDA);
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
  previous_ = at::autocast::is_enabled();
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!enabled_) return;
  // As torch.autocast's __exit__: the cast cache is cleared when the outermost autocast region ends.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if DISTILLERY_HAS_AUTOCAST_DEVICE_API
  at::autocast::set_autocast_enabled(at::kCUDA, previous_);
#else
  at::autocast::set_enabled(previous_);
#endif
}

}  // namespace distillery
