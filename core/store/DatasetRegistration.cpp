#include "store/DatasetRegistration.h"

#include "common/FileHash.h"
#include "store/DatasetStore.h"

#include <QtCore/QFileInfo>

namespace distillery {

namespace {

QString absolute(const QString& path) { return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath(); }

// The dataset row for a file on disk: name, absolute path, content hash (none for a folder).
DatasetRow describe(const QString& path) {
  DatasetRow row;
  const QFileInfo info(path);
  row.name = info.fileName();
  row.path = info.absoluteFilePath();
  if (info.isFile()) row.sha256 = fileSha256(row.path);
  return row;
}

}  // namespace

qint64 registerDatasetFile(const Store& store, const QString& input, const QString& output, const QString& schema,
                           int64_t rows, const QJsonObject& settings, const QJsonObject& stats) {
  const DatasetStore datasets(store);
  qint64 parent = 0;
  if (!input.isEmpty() && absolute(input) != absolute(output)) parent = datasets.addOrFind(describe(input));
  DatasetRow row = describe(output);
  row.schema = schema;
  row.rows = rows;
  row.parentId = parent;
  row.settings = settings;
  row.stats = stats;
  return datasets.add(row);
}

}  // namespace distillery
