// The jobs, metrics and checkpoints tables seen as jobs: create a row from a JobSpec, move it through its
// statuses, read it back. Every call runs on the calling thread's store connection (Store::connection()), so a
// JobStore can be shared by value between the UI thread and a worker.
//
//   JobStore jobs(workspace.store());
//   qint64 id = jobs.create(spec);                  // status queued, config_json = the spec's JSON verbatim
//   jobs.setStatus(id, JobStatus::Running);         // started_at set on the first run
//   jobs.setStatus(id, JobStatus::Failed, "CUDA out of memory ...");   // finished_at, error
//   markInterruptedJobs(workspace.store());         // at start-up: running/paused left by a crash → interrupted
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace distillery {

struct JobSpec;

// A job's life: queued → running ⇄ paused → succeeded | failed | cancelled; interrupted when the process that ran
// it ended without saying how the job ended (crash, kill -9, power loss). failed, cancelled and interrupted jobs
// can be resumed from their last checkpoint (back to queued).
enum class JobStatus { Queued, Running, Paused, Succeeded, Failed, Cancelled, Interrupted };

QString jobStatusName(JobStatus s);  // "queued", "running", ...
// Throws Error(field "status") for a name that is none of the above.
JobStatus parseJobStatus(const QString& name);
// succeeded, failed, cancelled, interrupted: nothing runs the job now.
bool isFinished(JobStatus s);
// failed, cancelled, interrupted: resume() may queue it again.
bool isResumable(JobStatus s);

// One row of the jobs table.
struct JobRow {
  qint64 id = 0;
  QString kind;  // distill | lora | full_ft | sweep | ...
  QString name;
  QJsonObject config;  // config_json parsed (the job description as it was submitted)
  JobStatus status = JobStatus::Queued;
  qint64 parentId = 0;  // sweep trial → its sweep; 0: none
  QString device;       // cpu | cuda:N
  double progress = 0;  // 0..1
  QString outputDir;
  QString error;                             // failed: why; also notes such as "cancel requested from another process"
  QString createdAt, startedAt, finishedAt;  // ISO-8601 UTC; empty when not yet
  QJsonObject toJson() const;                // for `jobs show --json` (config included)
};

// One row of the checkpoints table.
struct CheckpointRow {
  qint64 id = 0;
  qint64 jobId = 0;
  qint64 step = 0;
  QString path;                   // checkpoint folder
  std::optional<double> valLoss;  // when validation ran at that step
  bool isBest = false;
  QString createdAt;
};

// One point of a metric series.
struct MetricPoint {
  qint64 step = 0;
  double value = 0;
  double wallTime = 0;  // seconds since the job started
};

class JobStore {
 public:
  explicit JobStore(Store store) : store_(std::move(store)) {}
  const Store& store() const { return store_; }

  // Inserts a queued job. configJson is what is saved verbatim (the file the user wrote); empty: spec.toJson().
  // output_dir is spec.output, or <workspace>/runs/<id> when the spec names none. Returns the new id.
  qint64 create(const JobSpec& spec, const QJsonObject& configJson = {}, qint64 parentId = 0) const;

  // Throws StoreError naming the id when there is no such job.
  JobRow job(qint64 id) const;
  std::optional<JobRow> find(qint64 id) const;
  // All jobs (children included), newest first; only those with the given status when one is given.
  QList<JobRow> list(std::optional<JobStatus> status = std::nullopt) const;
  // The trials of a sweep, in creation order.
  QList<JobRow> children(qint64 parentId) const;

  // Sets the status; running stamps started_at (first time only), a finished status stamps finished_at, queued
  // clears finished_at. error replaces the error text when given (an empty QString clears it).
  void setStatus(qint64 id, JobStatus status, const std::optional<QString>& error = std::nullopt) const;
  // Compare-and-set for races with another process: changes the status only if it is still `expected`.
  bool setStatusIf(qint64 id, JobStatus expected, JobStatus status,
                   const std::optional<QString>& error = std::nullopt) const;
  void setProgress(qint64 id, double progress) const;
  void setOutputDir(qint64 id, const QString& dir) const;

  // A metric series of a job in step order; names() lists the series a job has.
  std::vector<MetricPoint> metric(qint64 id, const QString& name) const;
  QStringList metricNames(qint64 id) const;
  // The last logged value of each series (for `jobs show`).
  QJsonObject lastMetrics(qint64 id) const;

  // Checkpoint rows: add one, list them (step order), the newest, the best.
  qint64 addCheckpoint(qint64 jobId, qint64 step, const QString& path, std::optional<double> valLoss = std::nullopt,
                       bool isBest = false) const;
  QList<CheckpointRow> checkpoints(qint64 jobId) const;
  std::optional<CheckpointRow> lastCheckpoint(qint64 jobId) const;
  // Marks one checkpoint the job's best (and no other).
  void markBestCheckpoint(qint64 jobId, qint64 checkpointId) const;

 private:
  Store store_;
};

// At start-up: jobs left running or paused by a process that is gone become interrupted (they can be resumed).
// A job whose output folder is still locked by a live process (JobLock, e.g. a `distillery-cli train` running
// beside the GUI) is left alone. Returns the ids it changed.
QList<qint64> markInterruptedJobs(const Store& store);

}  // namespace distillery
