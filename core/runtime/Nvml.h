// GPU names, memory and utilisation from NVML, loaded at run time (libnvidia-ml.so.1 ships with the driver,
// so builds need no CUDA toolkit and machines without a GPU simply report none).
#pragma once
#include "runtime/Runtime.h"

namespace distillery {

// Empty when the NVIDIA driver is absent or NVML fails.
QList<GpuInfo> nvmlGpus();

}  // namespace distillery
