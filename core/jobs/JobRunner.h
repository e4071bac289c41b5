// The queue of training jobs. Each job runs in a worker thread of its own that opens its own store connection;
// one job at a time per GPU (cuda:N), at most cpuSlots jobs on the CPU. The UI never waits on a worker:
//   - commands (cancel, pause, resume) flip the job's TrainControl atomics, read by the training loop each step;
//   - progress reaches the UI as a snapshot the worker updates under a mutex and the UI polls on its timer;
//   - the one signal, jobStatusChanged, fires on status changes only (queued connection), never per step;
//   - an exception thrown by a job stops at the job boundary and becomes its status (failed) and error text.
//
//   JobRunner runner(workspace.store());
//   connect(&runner, &JobRunner::jobStatusChanged, this, &Panel::onStatus);
//   qint64 id = runner.enqueue(spec);
//   ... QTimer at 10–25 Hz: JobSnapshot s = runner.snapshot(id);
//   runner.cancel(id);   // takes effect within one step
#pragma once
#include "jobs/JobStore.h"
#include "store/Store.h"
#include "train/JobSpec.h"

#include <QtCore/QObject>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

class QThread;

namespace distillery {

struct JobContext;
struct TrainResult;
struct TrainControl;
class MetricsSink;

// What runs one (non-sweep) job in the calling thread: runJob (core/jobs/RunJob.h) in the application; tests
// pass fakes. Sweeps call it once per trial.
using JobFunction = std::function<TrainResult(const JobSpec&, JobContext&)>;

// What the UI shows of a job, copied out under the job's mutex.
struct JobSnapshot {
  qint64 id = 0;
  JobStatus status = JobStatus::Queued;
  QString device;          // cpu | cuda:N (normalised)
  int64_t step = 0;        // optimizer steps done
  int64_t totalSteps = 0;  // 0 while unknown
  double loss = 0;         // last logged training loss (NaN before the first)
  double tokensPerSecond = 0;
  double etaSeconds = -1;  // -1 while unknown
  double bestValLoss = 0;  // NaN before the first validation
  int trial = 0;           // sweeps: trials done
  int trials = 0;          // sweeps: trials in all
  QString message;         // last message of the job (checkpoint written, early stop, ...)
  QString error;           // failed: why
  // 0..1: steps of the job, or for a sweep trials done plus the running trial's share.
  double progress() const {
    const double steps = totalSteps > 0 ? double(step) / double(totalSteps) : 0.0;
    if (trials <= 0) return steps;
    return std::min(1.0, (double(trial) + (trial < trials ? steps : 0.0)) / double(trials));
  }
};

struct JobRunnerOptions {
  int cpuSlots = 1;  // CPU jobs running at once (each already uses every core LibTorch is given)
  JobFunction run;   // runs a job; empty: runJob
  std::chrono::milliseconds progressEvery{1000};  // how often a worker writes jobs.progress to the store
};

class JobRunner : public QObject {
  Q_OBJECT

 public:
  explicit JobRunner(Store store, JobRunnerOptions options = {}, QObject* parent = nullptr);
  ~JobRunner() override;  // shutdown()

  // Saves the job (queued; configJson verbatim when given, else spec.toJson()) and queues it. Returns its id.
  qint64 enqueue(const JobSpec& spec, const QJsonObject& configJson = {});
  // Queued: removed from the queue (cancelled). Running or paused: the loop stops within one step and the job
  // ends cancelled. False when the job is not queued or running here.
  bool cancel(qint64 id);
  // Running: the loop waits before its next step (status paused). False otherwise.
  bool pause(qint64 id);
  // Paused here: continues. Failed, cancelled or interrupted (this session or an earlier one): queued again
  // and run from its last checkpoint (JobContext::resume). False otherwise.
  bool resume(qint64 id);

  // The job's latest state; jobs not handled by this runner are read from the store.
  JobSnapshot snapshot(qint64 id) const;
  // Jobs queued or running here, in queue order then start order.
  QList<qint64> queued() const;
  QList<qint64> running() const;
  bool isIdle() const { return queue_.empty() && active_.empty(); }

  // Cancels running jobs and waits for their threads; they and the still-queued ones end interrupted (resumable
  // next session). Called by the destructor; enqueue() does nothing afterwards.
  void shutdown();

  // "cuda" → "cuda:0"; others unchanged.
  static QString normaliseDevice(const QString& device);

 Q_SIGNALS:
  // On every status change (queued, running, paused, succeeded, ...), from the runner's thread.
  void jobStatusChanged(qint64 id, const QString& status);
  // The queue is empty and no job runs.
  void idle();

 private:
  struct Job;
  void schedule();
  bool deviceFree(const QString& device) const;
  void start(const std::shared_ptr<Job>& job);
  void finished(qint64 id);
  void changeStatus(const std::shared_ptr<Job>& job, JobStatus status, bool writeStore);

  Store store_;
  JobStore jobs_;
  JobRunnerOptions options_;
  bool shuttingDown_ = false;
  std::atomic_bool shuttingDownFlag_{false};       // the same, for workers (cancelled → interrupted at shutdown)
  std::vector<std::shared_ptr<Job>> queue_;        // waiting, in order
  std::map<qint64, std::shared_ptr<Job>> active_;  // running or paused
  std::map<qint64, std::shared_ptr<Job>> done_;    // finished in this session (their last snapshot)
};

// The job status a training result means: finished and early_stopped → succeeded, cancelled, failed.
JobStatus jobStatusOf(const TrainResult& r);

// What the application runs jobs with (runJob), or what setDefaultJobFunction() put in its place (tests, tools).
JobFunction defaultJobFunction();
void setDefaultJobFunction(JobFunction run);  // empty: back to runJob

// How a job ended, as executeJob reports it.
struct JobOutcome {
  JobStatus status = JobStatus::Failed;
  QString error;           // failed: why; cancelled from another process: by whom
  int64_t steps = 0;       // optimizer steps done (sweeps: trials done)
  double bestValLoss = 0;  // NaN when none
  QString bestCheckpoint;
};

// Runs one job to its end in the calling thread, as the runner's workers do: takes the job's lock (refusing a job
// another live process runs, without touching its row), sets it running, watches for a CANCEL request from
// another process, runs it (a sweep as its trials, each through this same function), and records the final
// status and error in the store. Never throws: an exception becomes the failed status and its text the error.
// `extraSink` (may be null) also receives the job's metrics: the runner's snapshot, a CLI progress line.
// `onTrial` (may be empty) hears of each finished trial of a sweep.
JobOutcome executeJob(const Store& store, qint64 jobId, const JobSpec& spec, bool resume, TrainControl& control,
                      MetricsSink* extraSink, const JobFunction& run,
                      const std::function<void(int done, int total, double best)>& onTrial = {});

}  // namespace distillery
