// distillery-cli jobs list | show ID | cancel ID | resume ID [--workspace PATH]
//
// cancel of a job another process runs (the GUI, a `distillery-cli train`): the process holding the job's lock
// is asked to stop through <output>/CANCEL (core/jobs/JobMarkers.h), which it polls 4 times a second and turns
// into its TrainControl's cancel flag: it stops within a step and records the job cancelled. A job whose process
// is gone is cancelled in the store directly. resume runs the job here, headless, from its last checkpoint.
#include "cli/CliContext.h"
#include "cli/Interrupt.h"
#include "common/Error.h"
#include "jobs/JobMarkers.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>

#include <atomic>
#include <cmath>
#include <optional>

namespace distillery::cli {

namespace {

const QString kUsage = QStringLiteral("distillery-cli jobs list|show ID|cancel ID|resume ID [--workspace PATH]");

qint64 jobId(const QCommandLineParser& p, const QString& usage) {
  if (p.positionalArguments().size() != 1) throw UsageError(QStringLiteral("expected one job ID\nusage: ") + usage);
  bool ok = false;
  const qint64 id = p.positionalArguments().first().toLongLong(&ok);
  if (!ok || id < 1)
    throw UsageError({}, QStringLiteral("ID"), p.positionalArguments().first(),
                     QStringLiteral("must be a job id (a whole number ≥ 1; `distillery-cli jobs list` shows them)"));
  return id;
}

// The arguments of `jobs show|cancel|resume ID [--workspace PATH]`; empty when --help was printed.
struct JobArgs {
  qint64 id = 0;
  QString workspace;
};
std::optional<JobArgs> parseJobArgs(Context& ctx, const QString& verb) {
  const QString usage = QStringLiteral("distillery-cli jobs %1 ID [--workspace PATH]").arg(verb);
  QCommandLineParser p;
  const QCommandLineOption where = workspaceOption();
  p.addOption(where);
  p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Job id."));
  if (!parseOrThrow(p, ctx, usage)) return std::nullopt;
  return JobArgs{jobId(p, usage), p.value(where)};
}

QString formatSeconds(double s) {
  if (!(s >= 0)) return QStringLiteral("?");
  const qint64 t = qint64(std::llround(s));
  if (t >= 3600) return QStringLiteral("%1h%2m").arg(t / 3600).arg((t % 3600) / 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1m%2s").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

QJsonObject listEntry(const JobRow& r) {
  QJsonObject o = r.toJson();
  o.remove(QStringLiteral("config"));
  return o;
}

int list(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli jobs list [--status STATUS] [--workspace PATH]");
  QCommandLineParser p;
  const QCommandLineOption where = workspaceOption();
  const QCommandLineOption status(QStringLiteral("status"), QStringLiteral("Only jobs with this status."),
                                  QStringLiteral("STATUS"));
  p.addOption(where);
  p.addOption(status);
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (!p.positionalArguments().isEmpty()) throw UsageError(QStringLiteral("unexpected arguments\nusage: ") + usage);
  std::optional<JobStatus> only;
  if (p.isSet(status)) {
    try {
      only = parseJobStatus(p.value(status));
    } catch (const Error& e) {
      throw UsageError({}, QStringLiteral("--status"), p.value(status), e.detail());
    }
  }
  const Workspace ws = Workspace::open(p.value(where));
  const QList<JobRow> rows = JobStore(ws.store()).list(only);
  if (ctx.json) {
    QJsonArray jobs;
    for (const JobRow& r : rows) jobs.append(listEntry(r));
    ctx.print({{QStringLiteral("workspace"), ws.root()}, {QStringLiteral("jobs"), jobs}});
    return 0;
  }
  if (rows.isEmpty()) {
    ctx.out << "no jobs in " << ws.root() << Qt::endl;
    return 0;
  }
  ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6")
                 .arg(QStringLiteral("ID"), 5)
                 .arg(QStringLiteral("STATUS"), -11)
                 .arg(QStringLiteral("KIND"), -7)
                 .arg(QStringLiteral("DONE"), 4)
                 .arg(QStringLiteral("DEVICE"), -7)
                 .arg(QStringLiteral("NAME"))
          << Qt::endl;
  // Newest first, each sweep followed by its trials in order.
  QSet<qint64> listed;
  for (const JobRow& r : rows) listed.insert(r.id);
  QList<JobRow> ordered;
  for (const JobRow& r : rows) {
    if (r.parentId && listed.contains(r.parentId)) continue;
    ordered << r;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it)
      if (it->parentId == r.id) ordered << *it;
  }
  for (const JobRow& r : ordered) {
    QString name = r.name;
    if (r.parentId) name = QStringLiteral("└ ") + name;
    ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6")
                   .arg(r.id, 5)
                   .arg(jobStatusName(r.status), -11)
                   .arg(r.kind, -7)
                   .arg(QStringLiteral("%1%").arg(qRound(r.progress * 100)), 4)
                   .arg(r.device, -7)
                   .arg(name)
            << Qt::endl;
  }
  return 0;
}

int show(Context& ctx) {
  const std::optional<JobArgs> args = parseJobArgs(ctx, QStringLiteral("show"));
  if (!args) return 0;
  const qint64 id = args->id;
  const Workspace ws = Workspace::open(args->workspace);
  const JobStore jobs(ws.store());
  const JobRow row = jobs.job(id);
  QJsonObject o = row.toJson();
  o.insert(QStringLiteral("metrics"), jobs.lastMetrics(id));
  QJsonArray checkpoints;
  for (const CheckpointRow& c : jobs.checkpoints(id)) {
    QJsonObject j{
        {QStringLiteral("step"), c.step}, {QStringLiteral("path"), c.path}, {QStringLiteral("best"), c.isBest}};
    if (c.valLoss) j.insert(QStringLiteral("val_loss"), *c.valLoss);
    checkpoints.append(j);
  }
  o.insert(QStringLiteral("checkpoints"), checkpoints);
  const QList<JobRow> children = jobs.children(id);
  if (!children.isEmpty()) {
    QJsonArray trials;
    for (const JobRow& c : children)
      trials.append(QJsonObject{{QStringLiteral("id"), c.id},
                                {QStringLiteral("name"), c.name},
                                {QStringLiteral("status"), jobStatusName(c.status)}});
    o.insert(QStringLiteral("trials"), trials);
    QFile summary(QDir(row.outputDir).filePath(QStringLiteral("sweep.json")));
    if (summary.open(QIODevice::ReadOnly)) {
      const QJsonValue best = QJsonDocument::fromJson(summary.readAll()).object().value(QStringLiteral("best"));
      if (best.isObject()) o.insert(QStringLiteral("best_trial"), best);
    }
  }
  if (JobLock::isHeld(row.outputDir)) o.insert(QStringLiteral("running_in"), JobLock(row.outputDir).holder());
  if (cancelRequested(row.outputDir)) o.insert(QStringLiteral("cancel_requested"), cancelReason(row.outputDir));
  ctx.print(o);
  return 0;
}

int cancel(Context& ctx) {
  const std::optional<JobArgs> args = parseJobArgs(ctx, QStringLiteral("cancel"));
  if (!args) return 0;
  const qint64 id = args->id;
  const Workspace ws = Workspace::open(args->workspace);
  const JobStore jobs(ws.store());
  const JobRow row = jobs.job(id);
  if (isFinished(row.status))
    throw Error(ws.store().path(), QStringLiteral("job"), QString::number(id),
                QStringLiteral("is %1 already; there is nothing to cancel").arg(jobStatusName(row.status)));
  QJsonObject o{{QStringLiteral("id"), id}};
  if (JobLock::isHeld(row.outputDir)) {
    // Another process runs it: ask that process, which records the final status itself.
    requestCancel(row.outputDir, QStringLiteral("cancelled by distillery-cli jobs cancel (pid %1) at %2")
                                     .arg(QCoreApplication::applicationPid())
                                     .arg(nowUtc()));
    o.insert(QStringLiteral("status"), QStringLiteral("cancel_requested"));
    o.insert(QStringLiteral("running_in"), JobLock(row.outputDir).holder());
    o.insert(QStringLiteral("note"), QStringLiteral("the process running it stops within a step and records the "
                                                    "job cancelled"));
  } else {
    // Nobody runs it (queued, or left running by a process that is gone): cancel it in the store.
    if (!jobs.setStatusIf(
            id, row.status, JobStatus::Cancelled,
            QStringLiteral("cancelled by distillery-cli jobs cancel while %1").arg(jobStatusName(row.status))))
      throw Error(ws.store().path(), QStringLiteral("job"), QString::number(id),
                  QStringLiteral("changed status while being cancelled (now %1); try again")
                      .arg(jobStatusName(jobs.job(id).status)));
    o.insert(QStringLiteral("status"), jobStatusName(JobStatus::Cancelled));
  }
  ctx.print(o);
  return 0;
}

// One progress line per second on stdout (not with --json).
class ProgressPrinter : public MetricsSink {
 public:
  ProgressPrinter(Context& ctx, qint64 id) : ctx_(ctx), id_(id) { clock_.start(); }
  void stepMetrics(const StepMetrics& m) override {
    if (ctx_.json || (clock_.isValid() && clock_.elapsed() < 1000 && m.step != m.totalSteps)) return;
    clock_.restart();
    ctx_.out << QStringLiteral("job %1: step %2/%3  loss %4  %5 tok/s  ETA %6")
                    .arg(id_)
                    .arg(m.step)
                    .arg(m.totalSteps)
                    .arg(m.loss, 0, 'f', 4)
                    .arg(m.tokensPerSecond, 0, 'f', 0)
                    .arg(formatSeconds(m.etaSeconds))
             << Qt::endl;
  }
  void validationMetrics(const ValidationMetrics& m) override {
    if (!ctx_.json)
      ctx_.out << QStringLiteral("job %1: validation loss %2").arg(id_).arg(m.loss, 0, 'f', 4) << Qt::endl;
  }
  void checkpointWritten(int64_t step, const QString& path) override {
    if (!ctx_.json)
      ctx_.out << QStringLiteral("job %1: checkpoint at step %2: %3").arg(id_).arg(step).arg(path) << Qt::endl;
  }
  void message(const QString& text) override {
    if (!ctx_.json) ctx_.out << QStringLiteral("job %1: %2").arg(id_).arg(text) << Qt::endl;
  }

 private:
  Context& ctx_;
  qint64 id_;
  QElapsedTimer clock_;
};

int resume(Context& ctx) {
  const std::optional<JobArgs> args = parseJobArgs(ctx, QStringLiteral("resume"));
  if (!args) return 0;
  const qint64 id = args->id;
  const Workspace ws = Workspace::open(args->workspace);
  const JobStore jobs(ws.store());
  JobRow row = jobs.job(id);
  const QString where_ = ws.store().path();
  if (JobLock::isHeld(row.outputDir))
    throw Error(
        where_, QStringLiteral("job"), QString::number(id),
        QStringLiteral("is running in another process (%1); cancel it first").arg(JobLock(row.outputDir).holder()));
  if (row.status == JobStatus::Running || row.status == JobStatus::Paused) {
    // Left running by a process that is gone (no live lock): what markInterruptedJobs would make of it.
    markInterruptedJobs(ws.store());
    row = jobs.job(id);
  }
  if (!isResumable(row.status))
    throw Error(where_, QStringLiteral("job"), QString::number(id),
                QStringLiteral("is %1; only failed, cancelled or interrupted jobs can be resumed")
                    .arg(jobStatusName(row.status)));
  JobSpec spec = JobSpec::fromJson(row.config, QStringLiteral("job %1 in %2").arg(id).arg(where_));
  if (spec.output.isEmpty()) spec.output = row.outputDir;
  if (!row.device.isEmpty()) spec.device = row.device;
  jobs.setStatus(id, JobStatus::Queued, QString());

  TrainControl control;
  ProgressPrinter printer(ctx, id);
  const SigintCancels interrupt(control.cancel);  // Ctrl-C stops the job at the next step, as a cancel would
  if (!ctx.json) ctx.out << "job " << id << ": resuming " << row.name << " from its last checkpoint" << Qt::endl;
  const JobOutcome o = executeJob(ws.store(), id, spec, true, control, &printer, defaultJobFunction(),
                                  [&](int done, int total, double best) {
                                    if (!ctx.json)
                                      ctx.out << QStringLiteral("job %1: trial %2/%3 done, best %4 %5")
                                                     .arg(id)
                                                     .arg(done)
                                                     .arg(total)
                                                     .arg(spec.sweep.metric)
                                                     .arg(best)
                                              << Qt::endl;
                                  });
  QJsonObject result{{QStringLiteral("id"), id},
                     {QStringLiteral("status"), jobStatusName(o.status)},
                     {QStringLiteral("steps"), qint64(o.steps)}};
  if (std::isfinite(o.bestValLoss)) result.insert(QStringLiteral("best_val_loss"), o.bestValLoss);
  if (!o.bestCheckpoint.isEmpty()) result.insert(QStringLiteral("best_checkpoint"), o.bestCheckpoint);
  if (!o.error.isEmpty()) result.insert(QStringLiteral("error"), o.error);
  ctx.print(result);
  if (o.status == JobStatus::Succeeded) return 0;
  ctx.err << "distillery-cli: job " << id << " " << jobStatusName(o.status)
          << (o.error.isEmpty() ? QString() : QStringLiteral(": ") + o.error) << Qt::endl;
  return 1;
}

}  // namespace

Command jobsCommand() {
  return {QStringLiteral("jobs"), QStringLiteral("list, show, cancel or resume training jobs of a workspace"),
          [](Context& ctx) {
            const QString sub = ctx.args.value(1);
            if (sub == QLatin1String("-h") || sub == QLatin1String("--help")) {
              ctx.out << "usage: " << kUsage << "\n"
                      << "  list [--status S]  jobs, newest first (sweep trials under their sweep)\n"
                      << "  show ID            a job: its row, config, last metrics, checkpoints, trials\n"
                      << "  cancel ID          stop a job; one running in another process stops within a step\n"
                      << "  resume ID          run a failed, cancelled or interrupted job here from its last "
                         "checkpoint\n";
              return 0;
            }
            ctx.args = QStringList{ctx.args.value(0) + QLatin1Char(' ') + sub} + ctx.args.mid(2);
            if (sub == QLatin1String("list")) return list(ctx);
            if (sub == QLatin1String("show")) return show(ctx);
            if (sub == QLatin1String("cancel")) return cancel(ctx);
            if (sub == QLatin1String("resume")) return resume(ctx);
            throw UsageError({}, QStringLiteral("jobs"), sub.isEmpty() ? QStringLiteral("(none)") : sub,
                             QStringLiteral("is not a sub-command\nusage: ") + kUsage);
          }};
}

}  // namespace distillery::cli
