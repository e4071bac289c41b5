#include "train/StoreMetricsSink.h"

#include "common/Error.h"
#include "store/Store.h"

#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

namespace distillery {

StoreMetricsSink::StoreMetricsSink(const Store& store, qint64 jobId, int flushEvery)
    : store_(store), jobId_(jobId), writer_(std::make_unique<MetricWriter>(store, flushEvery)) {}

StoreMetricsSink::~StoreMetricsSink() = default;  // MetricWriter flushes what is left

void StoreMetricsSink::addAll(const QJsonObject& row, qint64 step, double wallTime) {
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (it.key() == QLatin1String("step") || it.key() == QLatin1String("wall_s") || !it.value().isDouble()) continue;
    writer_->add(jobId_, step, it.key().toStdString(), it.value().toDouble(), wallTime);
  }
}

void StoreMetricsSink::stepMetrics(const StepMetrics& m) { addAll(m.toJson(), m.step, m.wallTime); }

void StoreMetricsSink::validationMetrics(const ValidationMetrics& m) {
  addAll(m.toJson(), m.step, m.wallTime);
  writer_->flush();  // validation points are few and the UI waits for them
}

void StoreMetricsSink::resumed(int64_t step) {
  writer_->flush();
  QSqlQuery q(store_.connection());
  q.prepare(QStringLiteral("DELETE FROM metrics WHERE job_id = ? AND step > ?"));
  q.addBindValue(jobId_);
  q.addBindValue(qint64(step));
  if (!q.exec())
    throw StoreError(store_.path(), QStringLiteral("metrics"), QString::number(jobId_),
                     QStringLiteral("cannot drop the rows after step %1: %2").arg(step).arg(q.lastError().text()));
}

void StoreMetricsSink::finished() { writer_->flush(); }

}  // namespace distillery
