// Every difference between the LibTorch versions we build against (Debian's 1.13 CPU, 2.x CUDA) lives here.
#pragma once
#include <torch/version.h>

#define DISTILLERY_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

// torch::scaled_dot_product_attention arrived in 2.0; 1.13 uses the explicit softmax(QKᵀ/√d + mask)·V path.
#define DISTILLERY_HAS_SDPA DISTILLERY_TORCH_AT_LEAST(2, 0)

// at::_fused_adamw_ (the whole AdamW update in one CUDA kernel) arrived in 2.0; we require 2.1, where its
// signature settled. 1.13 updates with the _foreach_* kernels, which both versions have.
#define DISTILLERY_HAS_FUSED_ADAMW DISTILLERY_TORCH_AT_LEAST(2, 1)
// Autocast: 2.4 takes the device type (set_autocast_enabled(kCUDA, on), set_autocast_dtype(kCUDA, t)) and
// deprecates 1.13's CUDA-only set_enabled(on) / set_autocast_gpu_dtype(t).
#define DISTILLERY_HAS_AUTOCAST_DEVICE_API DISTILLERY_TORCH_AT_LEAST(2, 4)
// CUDA out of memory: both 1.13 and 2.x throw c10::OutOfMemoryError (c10/util/Exception.h); older releases threw
// a plain c10::Error whose text contains "out of memory", which isOutOfMemory() (core/train/OutOfMemory.h)
// also accepts.
#define DISTILLERY_HAS_OOM_ERROR DISTILLERY_TORCH_AT_LEAST(1, 13)
// c10d (core/dist/ProcessGroup.cpp): 2.0 split the process group into a front (c10d::ProcessGroup) and backends
// (c10d::Backend); ProcessGroupGloo / ProcessGroupNCCL derive from ProcessGroup in 1.13 and from Backend in 2.x.
// Both keep the calls we make: the constructor (store, rank, size, Options), Options::create(timeout) (Gloo) /
// Options::create() (NCCL), allreduce/broadcast(std::vector<at::Tensor>&, AllreduceOptions/BroadcastOptions) →
// Work::wait(). 2.x headers declare the classes only under USE_C10D_GLOO / USE_C10D_NCCL, which LibTorch's own
// build defines but a user of its headers must define too. Only 1.13 is compiled here; the 2.x side is written from
// the 2.x headers and checked on the GPU machine.
#define DISTILLERY_C10D_BACKEND_API DISTILLERY_TORCH_AT_LEAST(2, 0)
