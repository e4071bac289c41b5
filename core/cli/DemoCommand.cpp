// distillery-cli demo [--workspace PATH] [--quick]: the headless twin of `distillery --demo`, used by
// scripts/run.sh on machines without a display. It builds the demo workspace (core/demo/DemoPipeline.h: data,
// a teacher trained from scratch, distillation, LoRA, quantization, evaluation, rating studies) where it is not
// built yet, and reports each step.
#include "cli/CliContext.h"
#include "cli/Interrupt.h"
#include "common/Error.h"
#include "demo/DemoPipeline.h"
#include "runtime/Runtime.h"
#include "store/Workspace.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>

namespace distillery::cli {

QJsonObject workspaceSummary(const Workspace& ws);

static int demo(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli demo [--workspace PATH] [--quick]");
  QCommandLineParser p;
  const QCommandLineOption where(QStringLiteral("workspace"),
                                 QStringLiteral("Demo workspace folder (default: %1).").arg(Workspace::demoPath()),
                                 QStringLiteral("PATH"), Workspace::demoPath());
  const QCommandLineOption quick(QStringLiteral("quick"),
                                 QStringLiteral("Few training steps (seconds instead of minutes; for tests)."));
  p.addOption(where);
  p.addOption(quick);
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

  DemoOptions o = p.isSet(quick) ? DemoOptions::quick() : DemoOptions{};
  o.workspace = ws.root();
  std::atomic_bool cancel{false};
  const SigintCancels interrupt(cancel);
  o.cancel = &cancel;
  int lastStep = 0;
  o.progress = [&](const DemoProgress& d) {
    if (d.step != lastStep) step(QStringLiteral("[%1/%2] %3").arg(d.step).arg(d.steps).arg(d.title));
    lastStep = d.step;
  };
  const DemoResult r = buildDemo(o);
  if (r.alreadyBuilt) step(QStringLiteral("the demo is already built"));
  QJsonObject summary = workspaceSummary(ws);
  step(QStringLiteral("workspace schema version %1, %2 model(s), %3 dataset(s), %4 job(s)")
           .arg(summary[QStringLiteral("schema_version")].toInt())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("models")].toInteger())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("datasets")].toInteger())
           .arg(summary[QStringLiteral("counts")][QStringLiteral("jobs")].toInteger()));
  if (r.cancelled) {
    step(QStringLiteral("cancelled; run the same command again to continue"));
    if (ctx.json) ctx.print(summary);
    return 130;
  }
  summary.insert(QStringLiteral("jobs"), QJsonObject{{QStringLiteral("teacher"), r.teacherJob},
                                                      {QStringLiteral("distill"), r.distillJob},
                                                      {QStringLiteral("lora"), r.loraJob},
                                                      {QStringLiteral("eval"), r.evalJob}});
  summary.insert(QStringLiteral("studies"), QJsonObject{{QStringLiteral("pairwise"), r.pairwiseStudy},
                                                         {QStringLiteral("rubric"), r.rubricStudy}});
  if (!ctx.json)
    ctx.out << "demo: open it with `distillery --workspace " << ws.root() << "`, or look around with "
            << "`distillery-cli jobs list --workspace " << ws.root() << "` and `distillery-cli study results "
            << r.pairwiseStudy << " --workspace " << ws.root() << "`" << Qt::endl;
  if (ctx.json) {
    summary.insert(QStringLiteral("steps"), steps);
    ctx.print(summary);
  }
  return 0;
}

Command demoCommand() {
  return {QStringLiteral("demo"),
          QStringLiteral("build the demo workspace headless (teacher, distillation, LoRA, quantization, eval, study)"),
          demo};
}

}  // namespace distillery::cli
