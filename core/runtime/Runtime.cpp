#include "runtime/Runtime.h"

#include "BuildInfo.h"
#include "runtime/Nvml.h"

#include <QtCore/QFile>
#include <QtCore/QThread>

#include <torch/torch.h>

#include <sched.h>

namespace distillery {

int usableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, QThread::idealThreadCount());
}

void setComputeThreads(int n) { torch::set_num_threads(n > 0 ? n : usableCores()); }

int computeThreads() { return torch::get_num_threads(); }

// libblas.so.3 is a Debian alternative; /proc/self/maps shows the file it resolved to.
static QString loadedBlas(bool* reference) {
  QFile maps(QStringLiteral("/proc/self/maps"));
  *reference = false;
  if (!maps.open(QIODevice::ReadOnly)) return QStringLiteral("unknown");
  const QByteArray text = maps.readAll();
  if (text.contains("openblas-openmp")) return QStringLiteral("OpenBLAS (OpenMP)");
  if (text.contains("openblas")) return QStringLiteral("OpenBLAS");
  if (text.contains("libmkl")) return QStringLiteral("Intel MKL");
  if (text.contains("blis")) return QStringLiteral("BLIS");
  if (text.contains("/blas/libblas.so")) {
    *reference = true;
    return QStringLiteral("reference BLAS (slow: install libopenblas0-openmp)");
  }
  return QStringLiteral("built into LibTorch");
}

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.distilleryVersion = QStringLiteral(DISTILLERY_VERSION);
  info.qtVersion = QString::fromLatin1(qVersion());
  info.torchVersion = QStringLiteral(TORCH_VERSION);
  info.blas = loadedBlas(&info.blasIsReference);
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDevices = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
  info.gpus = nvmlGpus();
  info.computeThreads = computeThreads();
  info.usableCores = usableCores();
  return info;
}

}  // namespace distillery
