// Facts about the machine and the compute libraries, as plain values the UI and CLI can show.
#pragma once
#include <QtCore/QList>
#include <QtCore/QString>

namespace distillery {

struct GpuInfo {
  int index = 0;
  QString name;
  qint64 memoryTotal = 0;  // bytes
  qint64 memoryUsed = 0;   // bytes
  int utilization = -1;    // percent, -1 when unknown
};

struct RuntimeInfo {
  QString distilleryVersion;
  QString qtVersion;        // the Qt the program runs on
  QString torchVersion;     // LibTorch compiled against
  QString blas;             // which BLAS libblas.so.3 resolved to
  bool blasIsReference = false;  // true: the slow reference BLAS (install libopenblas0-openmp)
  bool cudaAvailable = false;
  int cudaDevices = 0;
  QList<GpuInfo> gpus;      // from NVML when the driver is present
  int computeThreads = 0;   // LibTorch intra-op threads in use
  int usableCores = 0;      // cores this process may run on
};

RuntimeInfo runtimeInfo();

// Cores the process may run on (its CPU affinity), at least 1.
int usableCores();
// Sets LibTorch's intra-op threads; n <= 0 means usableCores(). LibTorch starts at 1 on some machines.
void setComputeThreads(int n);
int computeThreads();

}  // namespace distillery
