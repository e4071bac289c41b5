// Reads a job's metric rows as they arrive: each readNew() returns only the rows inserted since the previous
// call, so the GUI's timer costs O(new rows), not O(series). No torch here: ui/ uses it directly.
//
//   MetricReader reader(workspace.store(), jobId);
//   ... on a QTimer: for (const MetricRow& r : reader.readNew(100000)) buffer.add(r);
#pragma once
#include "store/Store.h"

#include <QtCore/QString>

#include <vector>

namespace distillery {

// One row of the metrics table.
struct MetricRow {
  qint64 step = 0;
  QString name;         // loss, loss_ce, loss_kd, lr, grad_norm, tokens, tokens_per_s, val_loss, ...
  double value = 0;
  double wallTime = 0;  // seconds since the job started
};

class MetricReader {
 public:
  MetricReader(Store store, qint64 jobId) : store_(std::move(store)), jobId_(jobId) {}
  qint64 jobId() const { return jobId_; }

  // Rows of the job inserted since the last call, in insertion order; at most `limit` (0: all), the rest come
  // with the next call. Runs on this thread's connection; throws StoreError on an SQL error.
  std::vector<MetricRow> readNew(int limit = 0);
  // Reads from the start again (after a resume deleted and rewrote the rows past its checkpoint: SQLite may
  // hand the deleted rowids out again, which readNew would otherwise skip).
  void rewind() { lastRowId_ = 0; }

 private:
  Store store_;
  qint64 jobId_;
  qint64 lastRowId_ = 0;  // rowid of the last row returned; SQLite gives new rows larger rowids
};

}  // namespace distillery
