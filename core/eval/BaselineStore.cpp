#include "eval/BaselineStore.h"

#include "common/Error.h"
#include "eval/EvalStore.h"
#include "store/Sql.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QStringList>
#include <QtCore/QVariant>

namespace distillery {

namespace {

Baseline fromQuery(const QSqlQuery& q) {
  Baseline b;
  b.task = q.value(0).toString();
  b.jobId = q.value(1).toLongLong();
  b.evaluationId = q.value(2).toLongLong();
  b.modelLabel = q.value(3).toString();
  b.metrics = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
  b.setAt = q.value(5).toString();
  return b;
}

const QString kColumns = QStringLiteral("task, job_id, evaluation_id, model_label, metrics_json, set_at");

}  // namespace

QJsonObject Baseline::toJson() const {
  QJsonObject o{{QStringLiteral("task"), task},
                {QStringLiteral("model_label"), modelLabel},
                {QStringLiteral("metrics"), metrics},
                {QStringLiteral("set_at"), setAt}};
  if (jobId) o.insert(QStringLiteral("job_id"), jobId);
  if (evaluationId) o.insert(QStringLiteral("evaluation_id"), evaluationId);
  return o;
}

Baseline BaselineStore::setFromJob(const QString& task, qint64 jobId, const QString& modelLabel) const {
  if (task.trimmed().isEmpty())
    throw Error(store_.path(), QStringLiteral("task"), task, QStringLiteral("must not be empty"));
  const QList<EvaluationRow> evals = EvalStore(store_).evaluations(jobId);
  QStringList labels;
  for (const EvaluationRow& e : evals) labels << e.modelLabel;
  if (evals.isEmpty())
    throw Error(store_.path(), QStringLiteral("job"), QString::number(jobId),
                QStringLiteral("has no evaluation results (is it an evaluation job that ran?)"));
  const EvaluationRow* chosen = nullptr;
  if (modelLabel.isEmpty()) {
    if (evals.size() > 1)
      throw Error(store_.path(), QStringLiteral("model"), QString(),
                  QStringLiteral("job %1 evaluated several models; name one of %2").arg(jobId).arg(labels.join(u", ")));
    chosen = &evals.first();
  } else {
    for (const EvaluationRow& e : evals)
      if (e.modelLabel == modelLabel) chosen = &e;
    if (!chosen)
      throw Error(store_.path(), QStringLiteral("model"), modelLabel,
                  QStringLiteral("is not a model of job %1 (models: %2)").arg(jobId).arg(labels.join(u", ")));
  }
  if (chosen->metrics.isEmpty())
    throw Error(store_.path(), QStringLiteral("model"), chosen->modelLabel,
                QStringLiteral("has no metrics in job %1 yet (did it finish?)").arg(jobId));
  Baseline b{task, jobId, chosen->id, chosen->modelLabel, chosen->metrics, nowUtc()};
  QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT OR REPLACE INTO eval_baselines (%1) VALUES (?, ?, ?, ?, ?, ?)")
                                         .arg(kColumns));
  q.addBindValue(b.task);
  q.addBindValue(b.jobId);
  q.addBindValue(b.evaluationId);
  q.addBindValue(b.modelLabel);
  q.addBindValue(QString::fromUtf8(QJsonDocument(b.metrics).toJson(QJsonDocument::Compact)));
  q.addBindValue(b.setAt);
  sql::exec(store_, q, QStringLiteral("cannot set the baseline of task %1").arg(task));
  return b;
}

std::optional<Baseline> BaselineStore::find(const QString& task) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM eval_baselines WHERE task = ?").arg(kColumns));
  q.addBindValue(task);
  sql::exec(store_, q, QStringLiteral("cannot read the baseline of task %1").arg(task));
  if (!q.next()) return std::nullopt;
  return fromQuery(q);
}

std::vector<Baseline> BaselineStore::list() const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM eval_baselines ORDER BY task").arg(kColumns));
  sql::exec(store_, q, QStringLiteral("cannot list the baselines"));
  std::vector<Baseline> out;
  while (q.next()) out.push_back(fromQuery(q));
  return out;
}

bool BaselineStore::remove(const QString& task) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("DELETE FROM eval_baselines WHERE task = ?"));
  q.addBindValue(task);
  sql::exec(store_, q, QStringLiteral("cannot remove the baseline of task %1").arg(task));
  return q.numRowsAffected() > 0;
}

QString defaultEvalTask(const QJsonObject& jobConfig, qint64 jobId) {
  const QString test = jobConfig.value(QStringLiteral("data")).toObject().value(QStringLiteral("test")).toString();
  const QString name = QFileInfo(test).completeBaseName();
  return name.isEmpty() ? QStringLiteral("job %1").arg(jobId) : name;
}

}  // namespace distillery
