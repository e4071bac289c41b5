#include "eval/EvalStore.h"

#include "common/Error.h"
#include "store/Sql.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QVariant>

namespace distillery {

namespace {

QJsonObject parseObject(const QVariant& v) { return QJsonDocument::fromJson(v.toString().toUtf8()).object(); }
QString compact(const QJsonObject& o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }

}  // namespace

QJsonObject EvaluationRow::toJson() const {
  QJsonObject o{{QStringLiteral("id"), id},
                {QStringLiteral("model_label"), modelLabel},
                {QStringLiteral("metrics"), metrics},
                {QStringLiteral("created_at"), createdAt}};
  if (jobId) o.insert(QStringLiteral("job_id"), jobId);
  if (datasetId) o.insert(QStringLiteral("dataset_id"), datasetId);
  return o;
}

QJsonObject EvalSampleRow::toJson() const {
  return {{QStringLiteral("index"), index},
          {QStringLiteral("input"), input},
          {QStringLiteral("output"), output},
          {QStringLiteral("reference"), reference},
          {QStringLiteral("scores"), scores}};
}

qint64 EvalStore::addEvaluation(qint64 jobId, const QString& modelLabel, qint64 datasetId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT INTO evaluations (job_id, model_label, dataset_id, "
                                                    "metrics_json, created_at) VALUES (?, ?, ?, '{}', ?)"));
  q.addBindValue(jobId ? QVariant(jobId) : QVariant());
  q.addBindValue(modelLabel);
  q.addBindValue(datasetId ? QVariant(datasetId) : QVariant());
  q.addBindValue(nowUtc());
  sql::exec(store_, q, QStringLiteral("cannot add the evaluation of %1").arg(modelLabel));
  return q.lastInsertId().toLongLong();
}

void EvalStore::setMetrics(qint64 evaluationId, const QJsonObject& metrics) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("UPDATE evaluations SET metrics_json = ? WHERE id = ?"));
  q.addBindValue(compact(metrics));
  q.addBindValue(evaluationId);
  sql::exec(store_, q, QStringLiteral("cannot update evaluation %1").arg(evaluationId));
  if (q.numRowsAffected() == 0)
    throw StoreError(store_.path(), QStringLiteral("evaluation"), QString::number(evaluationId),
                     QStringLiteral("does not exist"));
}

void EvalStore::addSample(qint64 evaluationId, const EvalSampleRow& row) const {
  QSqlQuery q =
      sql::prepare(store_, QStringLiteral("INSERT OR REPLACE INTO eval_samples (evaluation_id, sample_index, "
                                          "input, output, reference, scores_json) VALUES (?, ?, ?, ?, ?, ?)"));
  q.addBindValue(evaluationId);
  q.addBindValue(row.index);
  q.addBindValue(row.input);
  q.addBindValue(row.output);
  q.addBindValue(row.reference);
  q.addBindValue(compact(row.scores));
  sql::exec(store_, q, QStringLiteral("cannot add sample %1 of evaluation %2").arg(row.index).arg(evaluationId));
}

QList<EvaluationRow> EvalStore::evaluations(qint64 jobId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT id, job_id, dataset_id, model_label, metrics_json, "
                                                    "created_at FROM evaluations WHERE job_id = ? ORDER BY id"));
  q.addBindValue(jobId);
  sql::exec(store_, q, QStringLiteral("cannot read the evaluations of job %1").arg(jobId));
  QList<EvaluationRow> rows;
  while (q.next()) {
    EvaluationRow r;
    r.id = q.value(0).toLongLong();
    r.jobId = q.value(1).toLongLong();
    r.datasetId = q.value(2).toLongLong();
    r.modelLabel = q.value(3).toString();
    r.metrics = parseObject(q.value(4));
    r.createdAt = q.value(5).toString();
    rows.append(r);
  }
  return rows;
}

std::vector<EvalSampleRow> EvalStore::samples(qint64 evaluationId, qint64 offset, qint64 limit) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT sample_index, input, output, reference, scores_json "
                                                    "FROM eval_samples WHERE evaluation_id = ? ORDER BY sample_index "
                                                    "LIMIT ? OFFSET ?"));
  q.addBindValue(evaluationId);
  q.addBindValue(limit);  // SQLite: a negative LIMIT means no limit
  q.addBindValue(offset);
  sql::exec(store_, q, QStringLiteral("cannot read the samples of evaluation %1").arg(evaluationId));
  std::vector<EvalSampleRow> rows;
  while (q.next()) {
    EvalSampleRow r;
    r.index = q.value(0).toLongLong();
    r.input = q.value(1).toString();
    r.output = q.value(2).toString();
    r.reference = q.value(3).toString();
    r.scores = parseObject(q.value(4));
    rows.push_back(std::move(r));
  }
  return rows;
}

qint64 EvalStore::sampleCount(qint64 evaluationId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT COUNT(*) FROM eval_samples WHERE evaluation_id = ?"));
  q.addBindValue(evaluationId);
  sql::exec(store_, q, QStringLiteral("cannot count the samples of evaluation %1").arg(evaluationId));
  return q.next() ? q.value(0).toLongLong() : 0;
}

void EvalStore::removeJob(qint64 jobId) const {
  // eval_samples go with their evaluation (ON DELETE CASCADE).
  QSqlQuery q = sql::prepare(store_, QStringLiteral("DELETE FROM evaluations WHERE job_id = ?"));
  q.addBindValue(jobId);
  sql::exec(store_, q, QStringLiteral("cannot remove the evaluations of job %1").arg(jobId));
}

}  // namespace distillery
