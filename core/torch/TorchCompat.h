// Every difference between the LibTorch versions we build against (Debian's 1.13 CPU, 2.x CUDA) lives here.
#pragma once
#include <torch/version.h>

#define DISTILLERY_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

// torch::scaled_dot_product_attention arrived in 2.0; 1.13 uses the explicit softmax(QKᵀ/√d + mask)·V path.
#define DISTILLERY_HAS_SDPA DISTILLERY_TORCH_AT_LEAST(2, 0)
