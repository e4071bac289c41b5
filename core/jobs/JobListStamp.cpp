#include "jobs/JobListStamp.h"

#include "common/Error.h"

#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

namespace distillery {

QString jobListStamp(const Store& store) {
  QSqlQuery q(store.connection());
  // Unit separators keep "1"+"running" and "1r"+"unning" apart; the order is fixed so equal tables give equal stamps.
  if (!q.exec(QStringLiteral("SELECT count(*) || char(30) || coalesce(group_concat(id || char(31) || status || "
                             "char(31) || coalesce(name, ''), char(30)), '') FROM (SELECT id, status, name FROM jobs "
                             "ORDER BY id)")) ||
      !q.next())
    throw StoreError(store.path(), QStringLiteral("jobs"), {},
                     QStringLiteral("cannot read the job list: ") + q.lastError().text());
  return q.value(0).toString();
}

}  // namespace distillery
