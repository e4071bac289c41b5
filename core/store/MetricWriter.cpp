#include "store/MetricWriter.h"

#include "common/Error.h"
#include "store/Store.h"

#include <QtCore/QVariant>
#include <QtSql/QSqlDriver>

#include <sqlite3.h>

namespace distillery {

// Metric rows are the one hot write path, so they bypass QSqlQuery's per-value QVariant boxing and go through
// SQLite's C API on the same connection handle (Debian's QSQLITE plugin links the system libsqlite3).
MetricWriter::MetricWriter(const Store& store, int batchRows)
    : path_(store.path().toStdString()), batchRows_(std::max(1, batchRows)) {
  const QVariant handle = store.connection().driver()->handle();
  if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
    throw StoreError(store.path(), {}, {}, QStringLiteral("the SQLite driver gives no native handle"));
  db_ = *static_cast<sqlite3* const*>(handle.constData());
  check(sqlite3_prepare_v2(db_, "INSERT INTO metrics (job_id, step, name, value, wall_time) VALUES (?, ?, ?, ?, ?)",
                           -1, &insert_, nullptr),
        "prepare the metric insert");
  rows_.reserve(size_t(batchRows_));
}

MetricWriter::~MetricWriter() {
  try {
    flush();
  } catch (const std::exception&) {
  }
  sqlite3_finalize(insert_);
}

void MetricWriter::check(int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  throw StoreError(QString::fromStdString(path_), {}, {},
                   QStringLiteral("cannot %1: %2").arg(QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(db_))));
}

void MetricWriter::add(qint64 jobId, qint64 step, std::string_view name, double value, double wallTime) {
  rows_.push_back(Row{jobId, step, std::string(name), value, wallTime});
  if (qsizetype(rows_.size()) >= batchRows_) flush();
}

void MetricWriter::flush() {
  if (rows_.empty()) return;
  check(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin a metrics transaction");
  try {
    for (const Row& r : rows_) {
      sqlite3_bind_int64(insert_, 1, r.jobId);
      sqlite3_bind_int64(insert_, 2, r.step);
      sqlite3_bind_text(insert_, 3, r.name.data(), int(r.name.size()), SQLITE_STATIC);
      sqlite3_bind_double(insert_, 4, r.value);
      sqlite3_bind_double(insert_, 5, r.wallTime);
      const int rc = sqlite3_step(insert_);
      sqlite3_reset(insert_);
      check(rc, "insert a metric row");
    }
    check(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), "commit metrics");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  written_ += qint64(rows_.size());
  rows_.clear();
}

}  // namespace distillery
