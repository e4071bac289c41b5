#include "jobs/JobRunner.h"

#include "common/Error.h"
#include "jobs/JobMarkers.h"
#include "jobs/RunJob.h"
#include "jobs/SweepRun.h"
#include "train/Trainer.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>

#include <cmath>
#include <limits>

namespace distillery {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::mutex g_defaultMutex;
JobFunction g_defaultRun;  // empty: runJob

}  // namespace

JobStatus jobStatusOf(const TrainResult& r) {
  switch (r.status) {
    case TrainStatus::Finished:
    case TrainStatus::EarlyStopped:
      return JobStatus::Succeeded;
    case TrainStatus::Cancelled:
      return JobStatus::Cancelled;
    case TrainStatus::Failed:
      return JobStatus::Failed;
  }
  return JobStatus::Failed;
}

JobFunction defaultJobFunction() {
  std::lock_guard lock(g_defaultMutex);
  if (g_defaultRun) return g_defaultRun;
  return [](const JobSpec& spec, JobContext& ctx) { return runJob(spec, ctx); };
}

void setDefaultJobFunction(JobFunction run) {
  std::lock_guard lock(g_defaultMutex);
  g_defaultRun = std::move(run);
}

// ---- executeJob ----

namespace {

QString cancelledFromOutside(const QString& outputDir) {
  const QString reason = cancelReason(outputDir);
  return reason.isEmpty() ? QStringLiteral("cancelled from another process") : reason;
}

// Records each checkpoint the loop writes as a checkpoints row (with the validation loss of its step, and the best
// mark when that validation was the best), then passes everything on to the next sink.
class CheckpointRecorder : public MetricsSink {
 public:
  CheckpointRecorder(const JobStore& jobs, qint64 id, MetricsSink* next) : jobs_(jobs), id_(id), next_(next) {}
  void stepMetrics(const StepMetrics& m) override {
    if (next_) next_->stepMetrics(m);
  }
  void validationMetrics(const ValidationMetrics& m) override {
    lastValidation_ = m;
    if (next_) next_->validationMetrics(m);
  }
  void checkpointWritten(int64_t step, const QString& dir) override {
    const bool validated = lastValidation_ && lastValidation_->step == step;
    try {
      jobs_.addCheckpoint(id_, step, dir, validated ? std::optional<double>(lastValidation_->loss) : std::nullopt,
                          validated && lastValidation_->best);
    } catch (const std::exception& e) {
      if (next_)
        next_->message(QStringLiteral("checkpoint at step %1 not recorded in the store: %2")
                           .arg(step)
                           .arg(QString::fromUtf8(e.what())));
    }
    if (next_) next_->checkpointWritten(step, dir);
  }
  void message(const QString& text) override {
    if (next_) next_->message(text);
  }
  void resumed(int64_t step) override {
    if (next_) next_->resumed(step);
  }
  void finished() override {
    if (next_) next_->finished();
  }

 private:
  const JobStore& jobs_;
  qint64 id_;
  MetricsSink* next_;
  std::optional<ValidationMetrics> lastValidation_;
};

// Runs the job function (or a sweep's trials) with the lock held and the CANCEL watch on. Throws.
TrainResult runLocked(const JobStore& jobs, qint64 id, const JobSpec& spec, bool resume, TrainControl& control,
                      MetricsSink* extraSink, const JobFunction& run,
                      const std::function<void(int, int, double)>& onTrial) {
  if (spec.kind != JobKind::Sweep) {
    CheckpointRecorder recorder(jobs, id, extraSink);
    JobContext ctx;
    ctx.jobId = id;
    ctx.store = &jobs.store();
    ctx.control = &control;
    ctx.extraSink = &recorder;
    ctx.resume = resume;
    return run(spec, ctx);
  }
  SweepHooks hooks;
  hooks.cancel = &control.cancel;
  hooks.runTrial = [&](qint64 childId, const JobSpec& trial, bool resumeTrial) {
    const JobOutcome o = executeJob(jobs.store(), childId, trial, resumeTrial, control, extraSink, run);
    TrainResult r;
    r.status = o.status == JobStatus::Succeeded ? TrainStatus::Finished
               : o.status == JobStatus::Failed  ? TrainStatus::Failed
                                                : TrainStatus::Cancelled;
    r.error = o.error;
    r.steps = o.steps;
    r.bestValLoss = o.bestValLoss;
    r.bestCheckpoint = o.bestCheckpoint;
    return r;
  };
  hooks.onTrial = [&](int done, int total, const SweepTrial&) {
    if (!onTrial) return;
    double best = kNaN;
    for (const MetricPoint& p : jobs.metric(id, QStringLiteral("best_") + spec.sweep.metric)) best = p.value;
    onTrial(done, total, best);
  };
  return runSweep(jobs, id, spec, resume, hooks);
}

}  // namespace

JobOutcome executeJob(const Store& store, qint64 jobId, const JobSpec& spec, bool resume, TrainControl& control,
                      MetricsSink* extraSink, const JobFunction& run,
                      const std::function<void(int done, int total, double best)>& onTrial) {
  JobOutcome out;
  out.bestValLoss = kNaN;
  const JobStore jobs(store);
  bool started = false;  // the row is ours to finish (not refused because another process runs it)
  try {
    const JobRow row = jobs.job(jobId);
    JobSpec s = spec;
    if (s.output.isEmpty()) s.output = row.outputDir;
    JobLock lock(s.output);
    if (!lock.tryLock()) {
      out.error = QStringLiteral("job %1 is already running in another process (%2)").arg(jobId).arg(lock.holder());
      return out;
    }
    started = true;
    clearCancelRequest(s.output);  // a request left from an earlier run must not stop this one
    jobs.setStatus(jobId, JobStatus::Running, QString());
    CancelFileWatch watch(s.output, control.cancel);
    const TrainResult r = runLocked(jobs, jobId, s, resume, control, extraSink, run, onTrial);
    out.status = jobStatusOf(r);
    out.error = r.error;
    out.steps = r.steps;
    out.bestValLoss = r.bestValLoss;
    out.bestCheckpoint = r.bestCheckpoint;
    if (out.status == JobStatus::Cancelled && watch.fired()) out.error = cancelledFromOutside(s.output);
    if (out.status == JobStatus::Succeeded) jobs.setProgress(jobId, 1.0);
  } catch (const std::exception& e) {
    out.status = JobStatus::Failed;
    out.error = QString::fromUtf8(e.what());
    started = true;
  } catch (...) {
    out.status = JobStatus::Failed;
    out.error = QStringLiteral("unknown exception (not a std::exception) escaped the job");
    started = true;
  }
  if (started) {
    try {
      jobs.setStatus(jobId, out.status, out.error);
    } catch (const std::exception& e) {
      out.error += QStringLiteral(" (and its status could not be saved: %1)").arg(QString::fromUtf8(e.what()));
    }
  }
  return out;
}

// ---- the runner ----

struct JobRunner::Job {
  qint64 id = 0;
  JobSpec spec;
  QString device;  // normalised; fixed once queued
  bool resume = false;
  TrainControl control;
  QThread* thread = nullptr;
  mutable std::mutex mutex;  // guards snap: the worker writes, the UI thread copies
  JobSnapshot snap;

  JobSnapshot copy() const {
    std::lock_guard lock(mutex);
    return snap;
  }
  template <typename F>
  void update(F&& f) {
    std::lock_guard lock(mutex);
    f(snap);
  }
};

namespace {

// Forwards a job's metrics into its snapshot (under the job's mutex) and, at most once per `every`, the progress
// into the jobs row. Runs in the worker thread.
class SnapshotSink : public MetricsSink {
 public:
  SnapshotSink(std::function<void(const std::function<void(JobSnapshot&)>&)> update, JobStore jobs, qint64 id,
               std::chrono::milliseconds every, bool stepProgress)
      : update_(std::move(update)), jobs_(std::move(jobs)), id_(id), every_(every), stepProgress_(stepProgress) {
    clock_.start();
  }

  void stepMetrics(const StepMetrics& m) override {
    update_([&](JobSnapshot& s) {
      s.step = m.step;
      s.totalSteps = m.totalSteps;
      s.loss = m.loss;
      s.tokensPerSecond = m.tokensPerSecond;
      s.etaSeconds = m.etaSeconds;
    });
    if (stepProgress_ && m.totalSteps > 0 && clock_.elapsed() >= every_.count()) {
      clock_.restart();
      try {
        jobs_.setProgress(id_, double(m.step) / double(m.totalSteps));
      } catch (const std::exception&) {
        // Progress is cosmetic; a busy store must not stop the training.
      }
    }
  }
  void validationMetrics(const ValidationMetrics& m) override {
    update_([&](JobSnapshot& s) {
      if (!(m.loss >= s.bestValLoss)) s.bestValLoss = m.loss;
    });
  }
  void checkpointWritten(int64_t step, const QString& path) override {
    update_([&](JobSnapshot& s) { s.message = QStringLiteral("checkpoint at step %1: %2").arg(step).arg(path); });
  }
  void message(const QString& text) override {
    update_([&](JobSnapshot& s) { s.message = text; });
  }

 private:
  std::function<void(const std::function<void(JobSnapshot&)>&)> update_;
  JobStore jobs_;
  qint64 id_;
  std::chrono::milliseconds every_;
  bool stepProgress_;  // false for sweeps: their row's progress counts trials, not a trial's steps
  QElapsedTimer clock_;
};

}  // namespace

JobRunner::JobRunner(Store store, JobRunnerOptions options, QObject* parent)
    : QObject(parent), store_(store), jobs_(std::move(store)), options_(std::move(options)) {
  options_.cpuSlots = std::max(1, options_.cpuSlots);
}

JobRunner::~JobRunner() { shutdown(); }

QString JobRunner::normaliseDevice(const QString& device) {
  if (device == QLatin1String("cuda")) return QStringLiteral("cuda:0");
  return device.isEmpty() ? QStringLiteral("cpu") : device;
}

qint64 JobRunner::enqueue(const JobSpec& spec, const QJsonObject& configJson) {
  if (shuttingDown_) return 0;
  auto job = std::make_shared<Job>();
  job->id = jobs_.create(spec, configJson);
  job->spec = spec;
  job->snap.id = job->id;
  job->snap.status = JobStatus::Queued;
  job->device = normaliseDevice(spec.device);
  job->snap.device = job->device;
  job->snap.loss = kNaN;
  job->snap.bestValLoss = kNaN;
  queue_.push_back(job);
  Q_EMIT jobStatusChanged(job->id, jobStatusName(JobStatus::Queued));
  schedule();
  return job->id;
}

bool JobRunner::deviceFree(const QString& device) const {
  int busy = 0;
  for (const auto& [id, job] : active_)
    if (job->device == device) ++busy;
  return device == QLatin1String("cpu") ? busy < options_.cpuSlots : busy == 0;
}

void JobRunner::schedule() {
  if (shuttingDown_) return;
  // In queue order, every job whose device is free starts; a busy GPU does not hold back CPU jobs behind it.
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (deviceFree((*it)->device)) {
      const std::shared_ptr<Job> job = *it;
      it = queue_.erase(it);
      start(job);
    } else {
      ++it;
    }
  }
}

void JobRunner::start(const std::shared_ptr<Job>& job) {
  // `distillery-cli jobs cancel` in another process cancels a queued job in the store only: honour it here.
  std::optional<JobRow> row;
  try {
    row = jobs_.find(job->id);
  } catch (const std::exception&) {
  }
  if (row && row->status == JobStatus::Cancelled) {
    job->update([&](JobSnapshot& s) {
      s.status = JobStatus::Cancelled;
      s.error = row->error;
    });
    done_[job->id] = job;
    Q_EMIT jobStatusChanged(job->id, jobStatusName(JobStatus::Cancelled));
    return;
  }
  active_[job->id] = job;
  // Running in the row before the thread starts, so a pause right away finds the status it expects.
  try {
    jobs_.setStatus(job->id, JobStatus::Running, QString());
  } catch (const std::exception&) {
    // The worker sets it again and reports a store failure as the job's error.
  }
  job->update([](JobSnapshot& s) { s.status = JobStatus::Running; });
  Q_EMIT jobStatusChanged(job->id, jobStatusName(JobStatus::Running));

  const JobFunction run = options_.run ? options_.run : defaultJobFunction();
  const Store store = store_;
  const auto every = options_.progressEvery;
  std::atomic_bool* shuttingDown = &shuttingDownFlag_;
  job->thread = QThread::create([job, run, store, every, shuttingDown] {
    const JobStore jobs(store);
    const bool sweep = job->spec.kind == JobKind::Sweep;
    SnapshotSink sink([&](const std::function<void(JobSnapshot&)>& f) { job->update(f); }, jobs, job->id, every,
                      !sweep);
    JobOutcome o = executeJob(store, job->id, job->spec, job->resume, job->control, &sink, run,
                              [&](int done, int total, double best) {
                                job->update([&](JobSnapshot& s) {
                                  s.trial = done;
                                  s.trials = total;
                                  if (std::isfinite(best)) s.bestValLoss = best;
                                });
                                try {
                                  jobs.setProgress(job->id, total > 0 ? double(done) / double(total) : 0.0);
                                } catch (const std::exception&) {
                                }
                              });
    if (o.status == JobStatus::Cancelled && shuttingDown->load()) {
      // Stopped because the application closed, not by the user: resumable next session.
      o.status = JobStatus::Interrupted;
      o.error = QStringLiteral("the application closed while the job ran; resume continues from its last checkpoint");
      try {
        jobs.setStatus(job->id, o.status, o.error);
      } catch (const std::exception&) {
      }
    }
    job->update([&](JobSnapshot& s) {
      s.status = o.status;
      s.error = o.error;
      if (std::isfinite(o.bestValLoss)) s.bestValLoss = o.bestValLoss;
    });
    store.closeThisThread();
  });
  job->thread->setObjectName(QStringLiteral("job %1").arg(job->id));
  // QThread::finished is emitted from the worker; the connection queues it into this object's thread.
  connect(
      job->thread, &QThread::finished, this, [this, id = job->id] { finished(id); }, Qt::QueuedConnection);
  job->thread->start();
}

void JobRunner::finished(qint64 id) {
  const auto it = active_.find(id);
  if (it == active_.end()) return;
  const std::shared_ptr<Job> job = it->second;
  active_.erase(it);
  job->thread->wait();
  delete job->thread;
  job->thread = nullptr;
  done_[id] = job;
  Q_EMIT jobStatusChanged(id, jobStatusName(job->copy().status));
  schedule();
  if (isIdle()) Q_EMIT idle();
}

bool JobRunner::cancel(qint64 id) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if ((*it)->id != id) continue;
    const std::shared_ptr<Job> job = *it;
    queue_.erase(it);
    jobs_.setStatus(id, JobStatus::Cancelled, QStringLiteral("cancelled before it started"));
    job->update([](JobSnapshot& s) { s.status = JobStatus::Cancelled; });
    done_[id] = job;
    Q_EMIT jobStatusChanged(id, jobStatusName(JobStatus::Cancelled));
    if (isIdle()) Q_EMIT idle();
    return true;
  }
  const auto it = active_.find(id);
  if (it == active_.end()) return false;
  // Cancel first, then release a pause, so a paused loop wakes up to the cancel and not to one more step.
  it->second->control.cancel = true;
  it->second->control.pause = false;
  it->second->update([](JobSnapshot& s) { s.message = QStringLiteral("cancelling"); });
  return true;
}

bool JobRunner::pause(qint64 id) {
  const auto it = active_.find(id);
  if (it == active_.end() || it->second->control.cancel) return false;
  const std::shared_ptr<Job>& job = it->second;
  if (job->copy().status != JobStatus::Running) return false;
  job->control.pause = true;
  jobs_.setStatusIf(id, JobStatus::Running, JobStatus::Paused);
  job->update([](JobSnapshot& s) { s.status = JobStatus::Paused; });
  Q_EMIT jobStatusChanged(id, jobStatusName(JobStatus::Paused));
  return true;
}

bool JobRunner::resume(qint64 id) {
  if (const auto it = active_.find(id); it != active_.end()) {
    const std::shared_ptr<Job>& job = it->second;
    if (job->copy().status != JobStatus::Paused) return false;
    jobs_.setStatusIf(id, JobStatus::Paused, JobStatus::Running);
    job->update([](JobSnapshot& s) { s.status = JobStatus::Running; });
    job->control.pause = false;
    Q_EMIT jobStatusChanged(id, jobStatusName(JobStatus::Running));
    return true;
  }
  if (shuttingDown_) return false;
  for (const auto& q : queue_)
    if (q->id == id) return false;
  const std::optional<JobRow> row = jobs_.find(id);
  if (!row || !isResumable(row->status) || JobLock::isHeld(row->outputDir)) return false;
  auto job = std::make_shared<Job>();
  job->id = id;
  job->spec = JobSpec::fromJson(row->config, QStringLiteral("job %1 in %2").arg(id).arg(store_.path()));
  if (job->spec.output.isEmpty()) job->spec.output = row->outputDir;
  job->spec.device = row->device.isEmpty() ? job->spec.device : row->device;
  job->resume = true;
  job->snap.id = id;
  job->snap.status = JobStatus::Queued;
  job->device = normaliseDevice(job->spec.device);
  job->snap.device = job->device;
  job->snap.loss = kNaN;
  job->snap.bestValLoss = kNaN;
  jobs_.setStatus(id, JobStatus::Queued, QString());
  done_.erase(id);
  queue_.push_back(job);
  Q_EMIT jobStatusChanged(id, jobStatusName(JobStatus::Queued));
  schedule();
  return true;
}

JobSnapshot JobRunner::snapshot(qint64 id) const {
  for (const auto& q : queue_)
    if (q->id == id) return q->copy();
  if (const auto it = active_.find(id); it != active_.end()) return it->second->copy();
  if (const auto it = done_.find(id); it != done_.end()) return it->second->copy();
  JobSnapshot s;
  s.id = id;
  s.loss = kNaN;
  s.bestValLoss = kNaN;
  if (const std::optional<JobRow> row = jobs_.find(id)) {
    s.status = row->status;
    s.device = normaliseDevice(row->device);
    s.error = row->error;
  } else {
    s.status = JobStatus::Failed;
    s.error = QStringLiteral("no job %1 in %2").arg(id).arg(store_.path());
  }
  return s;
}

QList<qint64> JobRunner::queued() const {
  QList<qint64> ids;
  for (const auto& q : queue_) ids << q->id;
  return ids;
}

QList<qint64> JobRunner::running() const {
  QList<qint64> ids;
  for (const auto& [id, job] : active_) ids << id;
  return ids;
}

void JobRunner::shutdown() {
  if (shuttingDown_) return;
  shuttingDown_ = true;
  shuttingDownFlag_ = true;
  for (const auto& q : queue_) {
    try {
      jobs_.setStatus(q->id, JobStatus::Interrupted,
                      QStringLiteral("not started: the application closed first; resume queues it again"));
    } catch (const std::exception&) {
    }
  }
  queue_.clear();
  for (const auto& [id, job] : active_) {
    job->control.cancel = true;
    job->control.pause = false;
  }
  // Wait here rather than through finished(): the event loop may not run again.
  for (const auto& [id, job] : active_) {
    job->thread->wait();
    delete job->thread;
    job->thread = nullptr;
    done_[id] = job;
  }
  active_.clear();
}

}  // namespace distillery
