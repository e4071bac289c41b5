#include "store/DatasetRegistration.h"

#include "audit/AuditLog.h"
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
  if (!input.isEmpty() && absolute(input) != absolute(output)) {
    const DatasetRow source = describe(input);
    const bool known = datasets.findByPath(source.path, source.sha256).has_value();
    parent = datasets.addOrFind(source);
    if (!known) recordAudit(store, QStringLiteral("dataset.imported"), QStringLiteral("dataset"), source.path, {{"id", parent}, {"sha256", source.sha256}});
  }
  DatasetRow row = describe(output);
  row.schema = schema;
  row.rows = rows;
  row.parentId = parent;
  row.settings = settings;
  row.stats = stats;
  const qint64 id = datasets.add(row);
  recordAudit(store, parent ? QStringLiteral("dataset.derived") : QStringLiteral("dataset.imported"), QStringLiteral("dataset"), row.path, {{"id", id}, {"parent_id", parent}, {"sha256", row.sha256}, {"settings", settings}});
  return id;
}

}  // namespace distillery
