#include "store/MetricReader.h"

#include "store/Sql.h"

#include <QtCore/QVariant>

namespace distillery {

std::vector<MetricRow> MetricReader::readNew(int limit) {
  // NOT INDEXED: the (job_id, name, step) index would make SQLite walk every row of the job on each poll; the
  // rowid range walks only the rows added since the last read (rowid lookups still apply without indexes).
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT rowid, step, name, value, wall_time FROM metrics NOT INDEXED "
                                                    "WHERE rowid > ? AND job_id = ? ORDER BY rowid LIMIT ?"));
  q.setForwardOnly(true);
  q.addBindValue(lastRowId_);
  q.addBindValue(jobId_);
  q.addBindValue(limit > 0 ? qint64(limit) : qint64(-1));
  sql::exec(store_, q, QStringLiteral("metrics of job %1").arg(jobId_));
  std::vector<MetricRow> rows;
  while (q.next()) {
    lastRowId_ = q.value(0).toLongLong();
    MetricRow r;
    r.step = q.value(1).toLongLong();
    r.name = q.value(2).toString();
    r.value = q.value(3).toDouble();
    r.wallTime = q.value(4).toDouble();
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace distillery
