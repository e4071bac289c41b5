#include "runtime/Nvml.h"

#include <QtCore/QMutex>

#include <dlfcn.h>

namespace distillery {
namespace {

// The few NVML entry points we use, declared as the driver's nvml.h does (ABI-stable since v2).
using nvmlDevice_t = void*;
struct NvmlMemory { unsigned long long total, free, used; };
struct NvmlUtilization { unsigned int gpu, memory; };

struct Nvml {
  int (*init)() = nullptr;
  int (*count)(unsigned int*) = nullptr;
  int (*handle)(unsigned int, nvmlDevice_t*) = nullptr;
  int (*name)(nvmlDevice_t, char*, unsigned int) = nullptr;
  int (*memory)(nvmlDevice_t, NvmlMemory*) = nullptr;
  int (*utilization)(nvmlDevice_t, NvmlUtilization*) = nullptr;
  bool ok = false;
};

const Nvml& nvml() {
  static const Nvml lib = [] {
    Nvml n;
    void* so = dlopen("libnvidia-ml.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (!so) return n;
    auto sym = [so](const char* s) { return dlsym(so, s); };
    n.init = reinterpret_cast<int (*)()>(sym("nvmlInit_v2"));
    n.count = reinterpret_cast<int (*)(unsigned int*)>(sym("nvmlDeviceGetCount_v2"));
    n.handle = reinterpret_cast<int (*)(unsigned int, nvmlDevice_t*)>(sym("nvmlDeviceGetHandleByIndex_v2"));
    n.name = reinterpret_cast<int (*)(nvmlDevice_t, char*, unsigned int)>(sym("nvmlDeviceGetName"));
    n.memory = reinterpret_cast<int (*)(nvmlDevice_t, NvmlMemory*)>(sym("nvmlDeviceGetMemoryInfo"));
    n.utilization = reinterpret_cast<int (*)(nvmlDevice_t, NvmlUtilization*)>(sym("nvmlDeviceGetUtilizationRates"));
    n.ok = n.init && n.count && n.handle && n.name && n.memory && n.init() == 0;
    return n;
  }();
  return lib;
}

}  // namespace

QList<GpuInfo> nvmlGpus() {
  static QMutex mutex;  // NVML is thread-safe, but one poller at a time keeps the numbers coherent
  QMutexLocker lock(&mutex);
  QList<GpuInfo> gpus;
  const Nvml& n = nvml();
  unsigned int count = 0;
  if (!n.ok || n.count(&count) != 0) return gpus;
  for (unsigned int i = 0; i < count; ++i) {
    nvmlDevice_t device = nullptr;
    if (n.handle(i, &device) != 0) continue;
    GpuInfo gpu;
    gpu.index = int(i);
    char name[96] = {};
    if (n.name(device, name, sizeof(name)) == 0) gpu.name = QString::fromUtf8(name);
    NvmlMemory mem{};
    if (n.memory(device, &mem) == 0) {
      gpu.memoryTotal = qint64(mem.total);
      gpu.memoryUsed = qint64(mem.used);
    }
    NvmlUtilization util{};
    if (n.utilization && n.utilization(device, &util) == 0) gpu.utilization = int(util.gpu);
    gpus.append(gpu);
  }
  return gpus;
}

}  // namespace distillery
