// Batched metric rows for one thread: add() buffers, flush() writes the buffer in one transaction.
// A training loop adds a handful of rows per step and flushes every N rows or at logging intervals; the GUI
// reads the same table through its own connection (WAL: readers never block the writer).
#pragma once
#include <QtCore/QtGlobal>

#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace distillery {

class Store;

class MetricWriter {
 public:
  // batchRows: flush automatically once this many rows are buffered.
  explicit MetricWriter(const Store& store, int batchRows = 1000);
  ~MetricWriter();  // flushes what is left; errors at that point are swallowed (call flush() to see them)
  MetricWriter(const MetricWriter&) = delete;
  MetricWriter& operator=(const MetricWriter&) = delete;

  // name: a short ASCII metric name (loss, lr, grad_norm, val_loss, ...); wallTime: seconds since job start.
  void add(qint64 jobId, qint64 step, std::string_view name, double value, double wallTime);
  // Writes all buffered rows in one transaction; throws StoreError (rows stay buffered) on failure.
  void flush();
  qsizetype pending() const { return qsizetype(rows_.size()); }
  qint64 written() const { return written_; }

 private:
  struct Row {
    qint64 jobId, step;
    std::string name;
    double value, wallTime;
  };
  void check(int rc, const char* what);
  std::string path_;
  sqlite3* db_ = nullptr;         // borrowed from this thread's QSqlDatabase connection
  sqlite3_stmt* insert_ = nullptr;
  std::vector<Row> rows_;
  int batchRows_;
  qint64 written_ = 0;
};

}  // namespace distillery
