// distillery-cli train JOB.json [--workspace PATH] [--resume]: runs one job headless in this process.
//
// Progress goes to stderr: "step 12/100  loss 3.2145  tok/s 1234  ETA 1:23", rewritten in place (\r) on a
// terminal, one line per logged step otherwise (logs, CI). With --workspace the job is registered in the
// workspace's jobs table (config_json = the file verbatim) and its status, metrics and checkpoints go there as
// for a job the GUI runs; without it only the output folder is written (model or adapter, metrics.jsonl,
// state.json). Ctrl-C (SIGINT) cancels: the loop stops within one step, writes a checkpoint and exits 130;
// --resume continues from the newest checkpoint in the output folder (and, with --workspace, the job's own row).
// Exit codes: 0 finished (or stopped early by the validation curve), 1 failed, 2 wrong usage, 130 cancelled.
//
// Data parallel: --nproc N starts N worker processes of this program (core/dist/Launcher.h), each training on its
// share of every global batch (train.batch_size per rank, batch_size × grad_accum × N rows per optimizer step);
// --nnodes M --node-rank K --master HOST:PORT spans M machines. A worker is this same command with
// DISTILLERY_RANK etc. in its environment.
#include "checkpoint/JsonFile.h"
#include "cli/CliContext.h"
#include "cli/Interrupt.h"
#include "common/Error.h"
#include "dist/Launcher.h"
#include "dist/ProcessGroup.h"
#include "jobs/TaskSupport.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/RunJob.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

namespace distillery::cli {

namespace {

constexpr int kCancelled = 130;  // 128 + SIGINT, as shells report a job stopped by Ctrl-C

QString clock(double seconds) {
  if (!(seconds >= 0)) return QStringLiteral("?");
  const qint64 s = qint64(std::llround(seconds));
  return s >= 3600 ? QStringLiteral("%1:%2:%3")
                         .arg(s / 3600)
                         .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                         .arg(s % 60, 2, 10, QLatin1Char('0'))
                   : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

class ProgressLine : public MetricsSink {
 public:
  ProgressLine(QTextStream& err, bool tty) : err_(err), tty_(tty) {}
  void stepMetrics(const StepMetrics& m) override {
    const QString line = QStringLiteral("step %1/%2  loss %3  tok/s %4  ETA %5")
                             .arg(m.step)
                             .arg(m.totalSteps)
                             .arg(m.loss, 0, 'f', 4)
                             .arg(m.tokensPerSecond, 0, 'f', 0)
                             .arg(clock(m.etaSeconds));
    if (tty_)
      err_ << '\r' << line.leftJustified(width_);
    else
      err_ << line << '\n';
    width_ = std::max(width_, int(line.size()));
    open_ = tty_;
    err_.flush();
  }
  void validationMetrics(const ValidationMetrics& m) override {
    say(QStringLiteral("validation at step %1: loss %2%3")
            .arg(m.step)
            .arg(m.loss, 0, 'f', 4)
            .arg(m.best ? QStringLiteral(" (best)") : QString()));
  }
  void message(const QString& text) override { say(text); }
  void finished() override {
    if (open_) err_ << '\n';
    open_ = false;
    err_.flush();
  }

 private:
  void say(const QString& text) {
    if (open_) err_ << '\n';
    open_ = false;
    err_ << text << '\n';
    err_.flush();
  }
  QTextStream& err_;
  bool tty_;
  bool open_ = false;  // a \r line is on screen without its newline
  int width_ = 0;
};

int exitCodeOf(TrainStatus s) {
  switch (s) {
    case TrainStatus::Finished:
    case TrainStatus::EarlyStopped:
      return 0;
    case TrainStatus::Cancelled:
      return kCancelled;
    case TrainStatus::Failed:
      break;
  }
  return 1;
}

int intOption(const QCommandLineParser& p, const QCommandLineOption& o, int fallback) {
  if (!p.isSet(o)) return fallback;
  bool ok = false;
  const int v = p.value(o).toInt(&ok);
  if (!ok)
    throw UsageError({}, QLatin1String("--") + o.names().first(), p.value(o), QStringLiteral("must be a whole number"));
  return v;
}

// --nproc/--nnodes: start the workers and wait for them (this process trains nothing).
int launch(Context& ctx, const QString& jobPath, const JobSpec& spec, LaunchOptions o, bool resume) {
  checkLaunchOptions(o);
  QString why;
  if (!processGroupAvailable(jobDevice(spec), &why)) throw Error(QString(), QStringLiteral("--nproc"), QString(), why);
  // The workers share this machine's cores unless --threads says otherwise.
  const int threads =
      ctx.threads > 0 ? ctx.threads : std::max(1, int(std::thread::hardware_concurrency()) / std::max(1, o.nproc));
  o.program = QCoreApplication::applicationFilePath();
  o.arguments = QStringList{QStringLiteral("--threads"), QString::number(threads)};
  if (ctx.json) o.arguments << QStringLiteral("--json");
  o.arguments << QStringLiteral("train") << jobPath;
  if (resume) o.arguments << QStringLiteral("--resume");
  std::atomic_bool interrupt{false};
  const SigintCancels forward(interrupt);
  const LaunchResult r = launchWorkers(o, interrupt, ctx.err);
  if (r.exitCode != 0 && !r.error.isEmpty()) ctx.err << "distillery-cli: " << r.error << Qt::endl;
  return r.exitCode;
}

int trainMain(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli train JOB.json [--workspace PATH] [--resume] [--nproc N [--nnodes M --node-rank K --master "
      "HOST:PORT]]");
  QCommandLineParser p;
  const QCommandLineOption workspace(QStringLiteral("workspace"),
                                     QStringLiteral("Register the job and its metrics in this workspace."),
                                     QStringLiteral("PATH"));
  const QCommandLineOption resume(QStringLiteral("resume"),
                                  QStringLiteral("Continue from the newest checkpoint in the job's output folder."));
  const QCommandLineOption nproc(QStringLiteral("nproc"),
                                 QStringLiteral("Data parallel: worker processes on this machine (one per GPU on "
                                                "CUDA; 2-8 typical). Each trains on train.batch_size rows of every "
                                                "global batch."),
                                 QStringLiteral("N"));
  const QCommandLineOption nnodes(QStringLiteral("nnodes"),
                                  QStringLiteral("Data parallel over several machines: how many (default 1)."),
                                  QStringLiteral("M"));
  const QCommandLineOption nodeRank(QStringLiteral("node-rank"),
                                    QStringLiteral("This machine's index, 0 .. M-1 (default 0)."),
                                    QStringLiteral("K"));
  const QCommandLineOption master(QStringLiteral("master"),
                                  QStringLiteral("HOST:PORT of machine 0's rendezvous (required with --nnodes > 1)."),
                                  QStringLiteral("HOST:PORT"));
  p.addOption(workspace);
  p.addOption(resume);
  p.addOption(nproc);
  p.addOption(nnodes);
  p.addOption(nodeRank);
  p.addOption(master);
  p.addPositionalArgument(QStringLiteral("JOB.json"),
                          QStringLiteral("The job description (see the README's Job JSON)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 1) throw UsageError(QStringLiteral("expected one JOB.json\nusage: ") + usage);
  const QString path = p.positionalArguments().first();
  const JobSpec spec = JobSpec::fromFile(path);
  if (spec.kind == JobKind::Sweep && !p.isSet(workspace))
    throw UsageError({}, QStringLiteral("kind"), QStringLiteral("sweep"),
                     QStringLiteral("runs its trials as jobs of a workspace: add --workspace PATH"));

  const std::optional<RankEnv> rank = RankEnv::fromEnvironment();  // set: this process is a worker of a launcher
  if (!rank && (p.isSet(nproc) || p.isSet(nnodes))) {
    if (p.isSet(workspace))
      throw UsageError({}, QStringLiteral("--workspace"), p.value(workspace),
                       QStringLiteral("cannot be combined with --nproc yet: run data-parallel jobs without it"));
    LaunchOptions o;
    o.nproc = intOption(p, nproc, 1);
    o.nnodes = intOption(p, nnodes, 1);
    o.nodeRank = intOption(p, nodeRank, 0);
    o.master = p.value(master);
    return launch(ctx, path, spec, o, p.isSet(resume));
  }

  TrainControl control;
  const SigintCancels interrupt(control.cancel);

  ProgressLine progress(ctx.err, isatty(STDERR_FILENO) == 1);
  QString status, error;
  int code = 1;
  int64_t steps = 0;
  double best = std::nan("");
  qint64 jobId = 0;
  if (p.isSet(workspace)) {
    const Workspace ws = Workspace::open(p.value(workspace));
    const JobStore jobs(ws.store());
    // --resume picks up this output folder's own job row when the workspace has one that can be resumed.
    if (p.isSet(resume))
      for (const JobRow& row : jobs.list())
        if (row.outputDir == spec.output && isResumable(row.status) && row.parentId == 0) {
          jobId = row.id;
          break;
        }
    if (jobId == 0) jobId = jobs.create(spec, readJsonObject(path));
    const JobOutcome out =
        executeJob(ws.store(), jobId, spec, p.isSet(resume), control, &progress, defaultJobFunction());
    status = jobStatusName(out.status);
    error = out.error;
    steps = out.steps;
    best = out.bestValLoss;
    code = out.status == JobStatus::Succeeded ? 0 : out.status == JobStatus::Cancelled ? kCancelled : 1;
  } else {
    JobContext jc;
    jc.control = &control;
    jc.extraSink = &progress;
    jc.resume = p.isSet(resume);
    JobSpec rankSpec = spec;
    std::unique_ptr<Collective> group;
    if (rank && rank->worldSize > 1) {
      // One GPU per rank on a machine: cuda:LOCAL_RANK.
      if (spec.device.startsWith(QLatin1String("cuda")))
        rankSpec.device = QStringLiteral("cuda:%1").arg(rank->localRank);
      group = connectProcessGroup(*rank, jobDevice(rankSpec));
      jc.collective = group.get();
      if (rank->rank != 0) jc.extraSink = nullptr;  // rank 0 reports the steps for all
    }
    const TrainResult r = runJob(rankSpec, jc);
    status = trainStatusName(r.status);
    error = r.error;
    steps = r.steps;
    best = r.bestValLoss;
    code = exitCodeOf(r.status);
  }
  progress.finished();
  QJsonObject summary{{"status", status}, {"steps", qint64(steps)}, {"output", spec.output}};
  if (jobId) summary.insert("job", jobId);
  if (std::isfinite(best)) summary.insert("best_val_loss", best);
  if (!error.isEmpty()) summary.insert("error", error);
  ctx.print(summary);
  if (code == 1 && !error.isEmpty()) ctx.err << "distillery-cli: " << error << Qt::endl;
  return code;
}

}  // namespace

Command trainCommand() {
  return {QStringLiteral("train"),
          QStringLiteral("run a distill, LoRA, full fine-tuning or sweep job from its JSON file"), trainMain};
}

}  // namespace distillery::cli
