// distillery-cli version: versions of Distillery, Qt, LibTorch, BLAS and the GPUs found.
#include "cli/CliContext.h"
#include "common/Error.h"
#include "runtime/Runtime.h"

#include <QtCore/QJsonArray>

namespace distillery::cli {

static int version(Context& ctx) {
  QCommandLineParser p;
  if (!parseOrThrow(p, ctx, QStringLiteral("distillery-cli version"))) return 0;
  if (!p.positionalArguments().isEmpty()) throw UsageError(QStringLiteral("`version` takes no arguments"));
  const RuntimeInfo rt = runtimeInfo();
  QJsonArray gpus;
  for (const GpuInfo& g : rt.gpus)
    gpus.append(QJsonObject{{QStringLiteral("index"), g.index},
                            {QStringLiteral("name"), g.name},
                            {QStringLiteral("memory_total"), g.memoryTotal}});
  ctx.print(QJsonObject{
      {QStringLiteral("distillery"), rt.distilleryVersion},
      {QStringLiteral("qt"), rt.qtVersion},
      {QStringLiteral("libtorch"), rt.torchVersion},
      {QStringLiteral("blas"), rt.blas},
      {QStringLiteral("cuda_available"), rt.cudaAvailable},
      {QStringLiteral("cuda_devices"), rt.cudaDevices},
      {QStringLiteral("gpus"), gpus},
      {QStringLiteral("compute_threads"), rt.computeThreads},
      {QStringLiteral("usable_cores"), rt.usableCores},
  });
  return 0;
}

Command versionCommand() {
  return {QStringLiteral("version"), QStringLiteral("versions of Distillery, Qt, LibTorch, BLAS; GPUs found"), version};
}

}  // namespace distillery::cli
