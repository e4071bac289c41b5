// distillery-cli demo [--workspace PATH]: the headless twin of `distillery --demo`, used by scripts/run.sh on
// machines without a display. It opens (or creates) the demo workspace and reports each step it took.
#include "cli/CliContext.h"
#include "common/Error.h"
#include "runtime/Runtime.h"
#include "store/Workspace.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>

namespace distillery::cli {

QJsonObject workspaceSummary(const Workspace& ws);

static int demo(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli demo [--workspace PATH]");
  QCommandLineParser p;
  const QCommandLineOption where(QStringLiteral("workspace"),
                                 QStringLiteral("Demo workspace folder (default: %1).").arg(Workspace::demoPath()),
                                 QStringLiteral("PATH"), Workspace::demoPath());
  p.addOption(where);
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (!p.positionalArguments().isEmpty()) throw UsageError(QStringLiteral("unexpected arguments\nusage: ") + usage);

  QJsonArray steps;
  auto step = [&](const QString& text) {
    steps.append(text);
    if (!ctx.json) ctx.out << "demo: " << text << Qt::endl;
  };
  const QString path = p.value(where);
  const bool existed = QFileInfo::exists(Workspace::databasePath(path));
  const Workspace ws = Workspace::openOrInit(path, QStringLiteral("Distillery demo"));
  step(existed ? QStringLiteral("opened the demo workspace %1").arg(ws.root())
               : QStringLiteral("created the demo workspace %1").arg(ws.root()));
  const RuntimeInfo rt = runtimeInfo();
  step(QStringLiteral("compute: %1 LibTorch thread(s) on %2 usable core(s), BLAS %3, %4")
           .arg(rt.computeThreads)
           .arg(rt.usableCores)
           .arg(rt.blas, rt.cudaAvailable ? QStringLiteral("%1 CUDA device(s)").arg(rt.cudaDevices)
                                          : QStringLiteral("no CUDA device")));
  QJsonObject summary = workspaceSummary(ws);
  step(QStringLiteral("workspace schema version %1, %2 model(s), %3 dataset(s), %4 job(s)")
           .arg(summary[QStringLiteral("schema_version")].toInt())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("models")].toInteger())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("datasets")].toInteger())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("jobs")].toInteger()));
  if (ctx.json) {
    summary.insert(QStringLiteral("steps"), steps);
    ctx.print(summary);
  }
  return 0;
}

Command demoCommand() {
  return {QStringLiteral("demo"), QStringLiteral("open or create the demo workspace headless and report it"), demo};
}

}  // namespace distillery::cli
