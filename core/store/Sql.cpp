#include "store/Sql.h"

#include "common/Error.h"

#include <QtSql/QSqlError>

namespace distillery::sql {

void fail(const Store& store, const QString& what, const QSqlQuery& q) {
  throw StoreError(store.path(), {}, {}, what + QStringLiteral(": ") + q.lastError().text());
}

QSqlQuery prepare(const Store& store, const QString& sql) {
  QSqlQuery q(store.connection());
  if (!q.prepare(sql)) fail(store, QStringLiteral("cannot prepare (%1)").arg(sql.left(80)), q);
  return q;
}

void exec(const Store& store, QSqlQuery& q, const QString& what) {
  if (!q.exec()) fail(store, what, q);
}

}  // namespace distillery::sql
