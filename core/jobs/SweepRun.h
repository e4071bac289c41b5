// Running a sweep job: its trials one after another in the sweep's own worker (so the sweep holds its device and
// a trial never competes with its siblings), each a child job (jobs.parent_id) whose JobSpec is the base with the
// point's dotted keys set, its output <sweep output>/trial-NNN and the sweep's device.
//
// The sweep's row gets, per finished trial, metrics "trial_<metric>" and "best_<metric>" at step = trial index,
// and <output>/sweep.json lists every trial and the best one (minimum of the metric). Resuming a sweep reuses the
// trials already finished (their metric is read back from those rows), resumes an interrupted trial from its
// checkpoint, then continues; TPE suggestions depend only on the seed and the history, so they are the same.
#pragma once
#include "jobs/JobStore.h"
#include "jobs/SweepSpace.h"

#include <QtCore/QJsonObject>

#include <atomic>
#include <functional>

namespace distillery {

struct JobSpec;
struct TrainResult;

// One trial's end, as the sweep sees it.
struct SweepTrial {
  int index = 0;     // 0-based
  qint64 jobId = 0;  // its child row
  SweepPoint point;
  JobStatus status = JobStatus::Queued;
  double value = 0;        // the metric (NaN when the trial failed or logged none)
  QString output;          // its output folder
  QString bestCheckpoint;  // from its TrainResult
};

struct SweepHooks {
  // Runs one trial to its end in this thread (status rows, lock and CANCEL watch included) and returns its result.
  std::function<TrainResult(qint64 childId, const JobSpec& trial, bool resume)> runTrial;
  // Called after each trial with the trials done and in all (the sweep's progress); may be empty.
  std::function<void(int done, int total, const SweepTrial& last)> onTrial;
  // The stop request (the sweep's TrainControl::cancel): no new trial starts once it is set.
  const std::atomic_bool* cancel = nullptr;
};

// The trials of a sweep, in order: grid points (all of them) or TPE's `trials` suggestions.
int plannedTrials(const JobSpec& sweep);

// Runs (or, with resume, continues) the sweep `sweepId` and returns its result: finished when at least one trial
// succeeded (bestValLoss = the best metric, bestCheckpoint = the best trial's best checkpoint or output folder),
// cancelled when stopped, failed when every trial failed (error: the first trial's error).
TrainResult runSweep(const JobStore& jobs, qint64 sweepId, const JobSpec& sweep, bool resume, const SweepHooks& hooks);

// The metric of a finished trial: val_loss → the result's best validation loss, loss → the last training loss
// logged in the store for it; NaN when there is none.
double trialMetric(const JobStore& jobs, qint64 trialId, const QString& metric, const TrainResult& result);

}  // namespace distillery
