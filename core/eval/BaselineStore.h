// The eval_baselines table: one baseline per task for regression alerts (Regression.h). A baseline is set from one
// model's evaluation in a job; its metrics are copied, so running or deleting that job later does not move it.
//
//   BaselineStore baselines(ws.store());
//   baselines.setFromJob("qa", jobId, "student");          // throws when the job has no such evaluation
//   if (auto b = baselines.find("qa")) findRegressions("qa", label, b->metrics, newMetrics, rule);
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace distillery {

struct Baseline {
  QString task;
  qint64 jobId = 0;          // 0: the job was deleted
  qint64 evaluationId = 0;   // 0: the evaluation was deleted (the metrics stay)
  QString modelLabel;
  QJsonObject metrics;
  QString setAt;             // ISO-8601 UTC
  QJsonObject toJson() const;
};

class BaselineStore {
 public:
  explicit BaselineStore(Store store) : store_(std::move(store)) {}

  // Sets (or replaces) the task's baseline from the evaluation of modelLabel in job jobId; modelLabel empty: the
  // job's only evaluation. Throws Error naming the job, the label and the labels there are when none matches, or
  // when the evaluation has no metrics yet.
  Baseline setFromJob(const QString& task, qint64 jobId, const QString& modelLabel = {}) const;
  std::optional<Baseline> find(const QString& task) const;
  std::vector<Baseline> list() const;  // by task
  bool remove(const QString& task) const;

 private:
  Store store_;
};

// The task a job measures by default: the base name of its evaluated dataset (job config data.test), else "job N".
QString defaultEvalTask(const QJsonObject& jobConfig, qint64 jobId);

}  // namespace distillery
