#include "jobs/SweepRun.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "jobs/JobRunner.h"
#include "jobs/SweepTpe.h"
#include "store/MetricWriter.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cmath>
#include <limits>
#include <map>

namespace distillery {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QJsonValue dottedValue(const QJsonObject& obj, const QString& key) {
  const QStringList parts = key.split(QLatin1Char('.'));
  QJsonValue v = obj;
  for (const QString& part : parts) v = v.toObject().value(part);
  return v;
}

// A trial's point read back from its saved job (children keep their config verbatim).
SweepPoint pointOf(const std::vector<SweepParam>& params, const QJsonObject& config) {
  SweepPoint x;
  for (const SweepParam& p : params) {
    const QJsonValue v = dottedValue(config, p.key);
    x.push_back(v.isDouble() ? v.toDouble() : kNaN);
  }
  return x;
}

uint64_t sweepSeed(const SweepSpec& s) {
  const QJsonValue v = dottedValue(s.base, QStringLiteral("train.seed"));
  return v.isDouble() ? uint64_t(std::max(0.0, v.toDouble())) : 0;
}

QJsonValue numberOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

QJsonObject trialJsonSummary(const std::vector<SweepParam>& params, const SweepTrial& t) {
  return {{QStringLiteral("trial"), t.index},
          {QStringLiteral("job_id"), t.jobId},
          {QStringLiteral("params"), pointJson(params, t.point)},
          {QStringLiteral("status"), jobStatusName(t.status)},
          {QStringLiteral("value"), numberOrNull(t.value)},
          {QStringLiteral("output"), t.output},
          {QStringLiteral("best_checkpoint"), t.bestCheckpoint}};
}

const SweepTrial* bestOf(const std::vector<SweepTrial>& trials) {
  const SweepTrial* best = nullptr;
  for (const SweepTrial& t : trials)
    if (std::isfinite(t.value) && (!best || t.value < best->value)) best = &t;
  return best;
}

void writeSummary(const QString& dir, const JobSpec& sweep, int planned, const std::vector<SweepTrial>& trials) {
  QJsonArray list;
  for (const SweepTrial& t : trials) list.append(trialJsonSummary(sweep.sweep.params, t));
  const SweepTrial* best = bestOf(trials);
  const QJsonObject summary{{QStringLiteral("method"), sweep.sweep.method},
                            {QStringLiteral("metric"), sweep.sweep.metric},
                            {QStringLiteral("trials_planned"), planned},
                            {QStringLiteral("trials"), list},
                            {QStringLiteral("best"), best ? QJsonValue(trialJsonSummary(sweep.sweep.params, *best))
                                                          : QJsonValue(QJsonValue::Null)}};
  QDir().mkpath(dir);
  writeFileAtomically(QDir(dir).filePath(QStringLiteral("sweep.json")), QJsonDocument(summary).toJson());
}

}  // namespace

int plannedTrials(const JobSpec& sweep) {
  if (sweep.sweep.method == QLatin1String("grid")) return int(gridPoints(sweep.sweep.params).size());
  return sweep.sweep.trials;
}

double trialMetric(const JobStore& jobs, qint64 trialId, const QString& metric, const TrainResult& result) {
  if (metric == QLatin1String("val_loss")) {
    if (std::isfinite(result.bestValLoss)) return result.bestValLoss;
    double best = kNaN;
    for (const MetricPoint& p : jobs.metric(trialId, metric))
      if (std::isfinite(p.value) && !(p.value >= best)) best = p.value;
    return best;
  }
  const std::vector<MetricPoint> series = jobs.metric(trialId, metric);
  return series.empty() ? kNaN : series.back().value;
}

TrainResult runSweep(const JobStore& jobs, qint64 sweepId, const JobSpec& sweep, bool resume, const SweepHooks& hooks) {
  const SweepSpec& s = sweep.sweep;
  const JobRow row = jobs.job(sweepId);
  const QString outDir = sweep.output.isEmpty() ? row.outputDir : sweep.output;
  const int planned = plannedTrials(sweep);
  const bool grid = s.method == QLatin1String("grid");
  const std::vector<SweepPoint> points = grid ? gridPoints(s.params) : std::vector<SweepPoint>{};
  const TpeSampler tpe(s.params, sweepSeed(s));

  // What an earlier run of this sweep already did: its children in order and the metrics it recorded for them.
  const QList<JobRow> existing = jobs.children(sweepId);
  const QString trialMetricName = QStringLiteral("trial_") + s.metric;
  const QString bestMetricName = QStringLiteral("best_") + s.metric;
  std::map<qint64, double> recorded;
  for (const MetricPoint& p : jobs.metric(sweepId, trialMetricName)) recorded[p.step] = p.value;

  MetricWriter metrics(jobs.store(), 64);
  std::vector<SweepTrial> trials;
  std::vector<TpeObservation> history;
  QString firstError;
  bool cancelled = false;
  for (int i = 0; i < planned; ++i) {
    if (hooks.cancel && hooks.cancel->load()) {
      cancelled = true;
      break;
    }
    SweepTrial t;
    t.index = i;
    JobSpec trialSpec;
    bool resumeTrial = false;
    bool run = true;
    if (i < existing.size()) {
      const JobRow& child = existing[i];
      t.jobId = child.id;
      t.output = child.outputDir;
      t.point = pointOf(s.params, child.config);
      if (child.status == JobStatus::Succeeded && recorded.count(i)) {
        t.status = JobStatus::Succeeded;
        t.value = recorded[i];
        run = false;
      } else if (child.status == JobStatus::Failed) {
        t.status = JobStatus::Failed;  // a failed trial is not retried (the same settings would fail again)
        t.value = kNaN;
        run = false;
      } else {
        trialSpec = JobSpec::fromJson(
            child.config, QStringLiteral("job %1 (trial %2 of sweep %3)").arg(child.id).arg(i).arg(sweepId));
        if (trialSpec.output.isEmpty()) trialSpec.output = child.outputDir;
        resumeTrial = resume && child.status != JobStatus::Queued;
      }
    } else {
      t.point = grid ? points[size_t(i)] : tpe.suggest(history);
      QJsonObject json = trialJson(s, t.point);
      t.output = QDir(outDir).filePath(QStringLiteral("trial-%1").arg(i, 3, 10, QLatin1Char('0')));
      json.insert(QStringLiteral("output"), t.output);
      json.insert(QStringLiteral("device"), sweep.device);  // the sweep holds this device for its trials
      json.insert(QStringLiteral("name"),
                  QStringLiteral("%1 #%2 (%3)").arg(row.name).arg(i).arg(describePoint(s.params, t.point)));
      trialSpec = JobSpec::fromJson(json, QStringLiteral("trial %1 of sweep %2").arg(i).arg(sweepId));
      t.jobId = jobs.create(trialSpec, json, sweepId);
    }
    if (run) {
      const TrainResult r = hooks.runTrial(t.jobId, trialSpec, resumeTrial);
      t.status = jobStatusOf(r);
      t.bestCheckpoint = r.bestCheckpoint;
      t.value = t.status == JobStatus::Succeeded ? trialMetric(jobs, t.jobId, s.metric, r) : kNaN;
      if (t.status == JobStatus::Cancelled || t.status == JobStatus::Interrupted) {
        cancelled = true;  // the trial stays resumable; it does not count as a result
        break;
      }
      if (t.status == JobStatus::Failed && firstError.isEmpty())
        firstError = QStringLiteral("trial %1 (job %2): %3").arg(i).arg(t.jobId).arg(r.error);
      if (std::isfinite(t.value)) {
        metrics.add(sweepId, i, trialMetricName.toStdString(), t.value, 0);
        const SweepTrial* best = bestOf(trials);
        metrics.add(sweepId, i, bestMetricName.toStdString(), best ? std::min(best->value, t.value) : t.value, 0);
        metrics.flush();
      }
    }
    history.emplace_back(t.point, t.value);
    trials.push_back(t);
    writeSummary(outDir, sweep, planned, trials);
    if (hooks.onTrial) hooks.onTrial(int(trials.size()), planned, trials.back());
  }

  TrainResult result;
  result.steps = int64_t(trials.size());
  const SweepTrial* best = bestOf(trials);
  if (best) {
    result.bestValLoss = best->value;
    result.bestCheckpoint = best->bestCheckpoint.isEmpty() ? best->output : best->bestCheckpoint;
  }
  if (cancelled) {
    result.status = TrainStatus::Cancelled;
  } else if (best || trials.empty()) {
    result.status = TrainStatus::Finished;
  } else {
    result.status = TrainStatus::Failed;
    result.error =
        QStringLiteral("no trial of the sweep succeeded; %1")
            .arg(firstError.isEmpty() ? QStringLiteral("none logged the metric %1").arg(s.metric) : firstError);
  }
  return result;
}

}  // namespace distillery
