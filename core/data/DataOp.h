// One data preparation operation run from its settings (data/DataOpSettings.h): what `distillery-cli data clean |
// dedup | split | generate` and a job of kind data both call, so the two write the same files and register the same
// lineage in a workspace.
//
//   DataOpRequest r{.settings = s, .store = &ws.store()};   // s.output: "clean.jsonl"
//   DataOpResult res = runDataOp(r);   // res.summary: what the CLI prints
//
// Outputs: clean, dedup → a JSONL file (written atomically); split → a folder with train/validation/test.jsonl;
// generate → a JSONL file, with OUT.partial (+ .partial.json) while unfinished and OUT.provenance.json at the end
// (data/TeacherData.h: a stopped run resumes from the partial file).
// With a store, the input (by path and content hash) and each output are registered in its datasets table, the
// output as derived from the input with the operation's settings ("operation" included) and its report.
#pragma once
#include "data/DataOpSettings.h"

#include <c10/core/Device.h>

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

class Store;

struct DataOpRequest {
  DataOpSettings settings;
  QString teacher;               // generate: the teacher's model folder
  c10::Device device = c10::kCPU;  // generate: where the teacher runs
  const Store* store = nullptr;  // register input and outputs (this thread's connection); null: nothing registered
  // The names errors give the settings: "--format" style for the CLI, "data_op.format" style for a job.
  std::function<QString(const QString& snakeKey)> fieldName = [](const QString& k) { return k; };
  std::atomic_bool* cancel = nullptr;  // generate: between batches and decoding steps; the others: with readProgress
  // Bytes of the input read so far and in all (clean, dedup: one pass; split: two passes, each 0 → total), about
  // every MiB and at the end of a pass; false (or cancel) stops: Cancelled is thrown, nothing is written.
  std::function<bool(int64_t done, int64_t total)> readProgress;
  // generate: prompts answered so far (resumed ones included) and in all, after every batch; false stops with the
  // partial file kept (result.complete false).
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct DataOpResult {
  // What the CLI prints. clean: the report without "seconds"; dedup: {"rows", "kept", "removed_exact",
  // "removed_near"}; split: the split report; generate: the generation report plus "output" (OUT, or OUT.partial
  // when unfinished) and "dataset_id" when registered.
  QJsonObject summary;
  QJsonObject report;           // the operation's full report (clean: with "seconds")
  bool complete = true;         // generate: every prompt answered and OUT written
  int64_t rows = 0;             // rows written in all (split: over the three files)
  int64_t badRows = 0;          // input rows skipped as unreadable (BadRowPolicy::Skip)
  QStringList badRowNotes;      // "line N: why" for the first of them (clean, dedup)
  QStringList outputs;          // the files written
  QList<qint64> datasetIds;     // with a store: the registered outputs, in the order of outputs
};

// Throws UsageError / FormatError naming the setting (through fieldName) for a bad value, FormatError for a bad
// row under on_bad_row fail, Cancelled when stopped (clean, dedup, split: nothing written), Error for I/O, and
// StoreError from the registration.
DataOpResult runDataOp(const DataOpRequest& r);

}  // namespace distillery
