// The datasets table: every dataset file the workspace has read or made, with its content hash, schema, row
// count and statistics; a derived dataset (cleaned, deduplicated, split, generated, augmented) links to its
// parent and keeps the settings that made it, so its lineage can be walked back to the source file.
//
//   DatasetStore datasets(workspace.store());
//   qint64 src = datasets.addOrFind({.name = "raw", .path = "/data/raw.jsonl", .sha256 = fileSha256(path)});
//   qint64 out = datasets.add({.name = "clean", .path = ..., .parentId = src, .settings = {...}});
//   datasets.lineage(out);            // [out, src]
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace distillery {

struct DatasetRow {
  qint64 id = 0;
  QString name;            // shown in the GUI; default: the file name
  QString path;            // absolute path of the file or folder
  QString schema;          // text | alpaca | sharegpt | messages | prompt_completion (empty: unknown)
  qint64 rows = -1;        // -1: not counted
  QString sha256;          // hex of the content (a folder: empty)
  qint64 parentId = 0;     // 0: a source, not derived
  QJsonObject settings;    // how it was derived ({"operation": "dedup", "threshold": 0.9, ...})
  QJsonObject stats;       // statistics / the operation's report
  QString createdAt;       // ISO-8601 UTC
  QJsonObject toJson() const;
};

class DatasetStore {
 public:
  explicit DatasetStore(Store store) : store_(std::move(store)) {}

  // Inserts a row (id and createdAt are filled in); returns its id. Throws StoreError, also for a parentId
  // that does not exist.
  qint64 add(const DatasetRow& row) const;
  // The newest row with the same path and sha256 when there is one, else add(row).
  qint64 addOrFind(const DatasetRow& row) const;
  // Throws StoreError naming the id when there is none.
  DatasetRow get(qint64 id) const;
  std::optional<DatasetRow> findByPath(const QString& path, const QString& sha256) const;
  // Newest first.
  std::vector<DatasetRow> list() const;
  // id, its parent, the parent's parent ... up to a source (stops at a cycle, which the schema cannot make).
  std::vector<DatasetRow> lineage(qint64 id) const;
  // Replaces the stats of a row (statistics computed later).
  void setStats(qint64 id, const QJsonObject& stats) const;

 private:
  Store store_;
};

}  // namespace distillery
