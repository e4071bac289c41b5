// Prepared statements on a Store's per-thread connection that throw StoreError (naming the database and the
// SQL error) instead of returning false: the tables' accessors (JobStore, DatasetStore) share these.
#pragma once
#include "store/Store.h"

#include <QtSql/QSqlQuery>

namespace distillery::sql {

[[noreturn]] void fail(const Store& store, const QString& what, const QSqlQuery& q);
// A statement prepared on this thread's connection; throws StoreError when it does not compile.
QSqlQuery prepare(const Store& store, const QString& sql);
// Runs a prepared statement; throws StoreError "what: <SQL error>".
void exec(const Store& store, QSqlQuery& q, const QString& what);

}  // namespace distillery::sql
