// The evaluations and eval_samples tables: what an evaluation job stores so the GUI can show models × metrics and
// the per-sample outputs side by side. One evaluations row per model of a job (its aggregate metrics, updated
// when the model is done), one eval_samples row per dataset row the model answered (written as it goes, so a
// cancelled job keeps what it finished).
//
//   EvalStore evals(workspace.store());
//   qint64 id = evals.addEvaluation(jobId, "student+lora", datasetId);
//   evals.addSample(id, {.index = 0, .input = "2+2?", .output = "4", .reference = "4", .scores = {...}});
//   evals.setMetrics(id, {{"exact_match", 1.0}, ...});
//   for (const EvaluationRow& e : evals.evaluations(jobId)) ... evals.samples(e.id)
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

#include <vector>

namespace distillery {

struct EvaluationRow {
  qint64 id = 0;
  qint64 jobId = 0;      // 0: none (the job row was deleted)
  qint64 datasetId = 0;  // 0: not registered
  QString modelLabel;    // the job's models[].label
  QJsonObject metrics;   // aggregate scores (core/eval/EvalRun.h lists the keys)
  QString createdAt;     // ISO-8601 UTC
  QJsonObject toJson() const;
};

struct EvalSampleRow {
  qint64 index = 0;    // 0-based row of the evaluated dataset (after max_samples)
  QString input;       // the prompt as a person reads it (or the text scored, for text data)
  QString output;      // the model's answer (empty when the job generated nothing)
  QString reference;   // the dataset's answer
  QJsonObject scores;  // per-sample scores, latency and the source row's scalar fields
  QJsonObject toJson() const;
};

class EvalStore {
 public:
  explicit EvalStore(Store store) : store_(std::move(store)) {}

  // A new evaluations row (metrics {}) for one model of a job; returns its id. Throws StoreError.
  qint64 addEvaluation(qint64 jobId, const QString& modelLabel, qint64 datasetId) const;
  void setMetrics(qint64 evaluationId, const QJsonObject& metrics) const;
  // Inserts or replaces the sample at row.index.
  void addSample(qint64 evaluationId, const EvalSampleRow& row) const;

  // A job's evaluations in creation order (the job's model order).
  QList<EvaluationRow> evaluations(qint64 jobId) const;
  // An evaluation's samples in index order, limit rows from offset (limit < 0: all).
  std::vector<EvalSampleRow> samples(qint64 evaluationId, qint64 offset = 0, qint64 limit = -1) const;
  qint64 sampleCount(qint64 evaluationId) const;
  // Deletes a job's evaluations and their samples (a job run again replaces its results).
  void removeJob(qint64 jobId) const;

 private:
  Store store_;
};

}  // namespace distillery
