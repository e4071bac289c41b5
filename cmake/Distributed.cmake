# Data-parallel training needs LibTorch's c10d headers (process groups, FileStore/TCPStore) and, for the Gloo
# backend (CPU), the gloo headers, which Debian ships apart from libtorch-dev (libgloo-dev). NCCL (CUDA) needs
# c10d's ProcessGroupNCCL.hpp and a CUDA build of LibTorch. What is found goes into generated/DistributedConfig.h;
# what is missing becomes the runtime error of `train --nproc` (the feature is compiled out, nothing else).
find_path(DISTILLERY_C10D_INCLUDE_DIR torch/csrc/distributed/c10d/Store.hpp HINTS ${TORCH_INCLUDE_DIRS})
find_path(DISTILLERY_GLOO_INCLUDE_DIR gloo/context.h HINTS ${TORCH_INCLUDE_DIRS})

set(DISTILLERY_HAVE_GLOO 0)
set(DISTILLERY_HAVE_NCCL 0)
set(DISTILLERY_C10D_MISSING "")
if(NOT DISTILLERY_C10D_INCLUDE_DIR)
  set(DISTILLERY_C10D_MISSING "torch/csrc/distributed/c10d/Store.hpp not found under the LibTorch include \
directories (${TORCH_INCLUDE_DIRS})")
else()
  if(EXISTS "${DISTILLERY_C10D_INCLUDE_DIR}/torch/csrc/distributed/c10d/ProcessGroupGloo.hpp")
    if(DISTILLERY_GLOO_INCLUDE_DIR)
      set(DISTILLERY_HAVE_GLOO 1)
    else()
      set(DISTILLERY_C10D_MISSING "gloo/context.h not found (Debian: apt-get install libgloo-dev)")
    endif()
  else()
    set(DISTILLERY_C10D_MISSING "torch/csrc/distributed/c10d/ProcessGroupGloo.hpp not found")
  endif()
  # NCCL: only a CUDA LibTorch has ProcessGroupNCCL (in libtorch_cuda); its header includes nccl.h, which pip's
  # LibTorch does not ship (the nvidia-nccl wheel or the CUDA toolkit does): without it NCCL stays off.
  find_path(DISTILLERY_NCCL_INCLUDE_DIR nccl.h
            HINTS ${TORCH_INCLUDE_DIRS} $ENV{NCCL_INCLUDE_DIR} $ENV{NCCL_HOME}/include $ENV{CUDA_HOME}/include)
  if(EXISTS "${DISTILLERY_C10D_INCLUDE_DIR}/torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp"
     AND (TORCH_CUDA_LIBRARIES OR CUDA_FOUND OR CUDAToolkit_FOUND) AND DISTILLERY_NCCL_INCLUDE_DIR)
    set(DISTILLERY_HAVE_NCCL 1)
  endif()
endif()
if(DISTILLERY_HAVE_GLOO OR DISTILLERY_HAVE_NCCL)
  message(STATUS "Data-parallel training: gloo ${DISTILLERY_HAVE_GLOO}, nccl ${DISTILLERY_HAVE_NCCL}")
else()
  message(STATUS "Data-parallel training compiled out: ${DISTILLERY_C10D_MISSING}")
endif()
