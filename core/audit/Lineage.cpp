#include "audit/Lineage.h"

#include "audit/Provenance.h"
#include "common/Error.h"
#include "store/DatasetStore.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QSet>

namespace distillery {

namespace {

constexpr int kMaxDepth = 32;

struct Walker {
  const Store* store;
  QSet<QString> onPath;  // folders/files being expanded (a cycle would revisit one)

  // The folder holding provenance.json for dir: dir itself, or a parent up to two levels (output/best,
  // output/checkpoints/step-N).
  static QString provenanceFolder(const QString& dir) {
    QDir d(dir);
    for (int up = 0; up < 3; ++up) {
      if (QFileInfo::exists(d.filePath(QLatin1String(kProvenanceFile)))) return d.absolutePath();
      if (!d.cdUp()) break;
    }
    return {};
  }

  LineageNode datasetFromRow(const DatasetRow& row, int depth) {
    LineageNode n;
    n.kind = QStringLiteral("dataset");
    n.path = row.path;
    n.sha256 = row.sha256;
    n.datasetId = row.id;
    n.how = row.settings.value(QStringLiteral("operation")).toString();
    if (n.how.isEmpty() && row.parentId) n.how = QStringLiteral("derived");
    if (row.parentId && depth < kMaxDepth && store) {
      try {
        LineageNode parent = datasetFromRow(DatasetStore(*store).get(row.parentId), depth + 1);
        parent.role = QStringLiteral("parent");
        n.sources.push_back(std::move(parent));
      } catch (const Error&) {
        // The parent row was removed (ON DELETE SET NULL makes this rare): the walk stops here.
      }
    }
    return n;
  }

  // A node for path: kind, or "missing" when the path is gone.
  static LineageNode start(const QString& kind, const QString& abs) {
    LineageNode n;
    n.kind = QFileInfo::exists(abs) ? kind : QStringLiteral("missing");
    n.path = abs;
    return n;
  }

  LineageNode dataset(const QString& path, int depth) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    LineageNode n = start(QStringLiteral("dataset"), abs);
    if (n.kind == QLatin1String("missing")) return n;
    try {
      n.sha256 = cachedFileSha256(store, abs);
    } catch (const Error&) {
    }
    if (store) {
      // The row for this exact content; else the newest row for the path (the file changed since).
      std::optional<DatasetRow> row = DatasetStore(*store).findByPath(abs, n.sha256);
      if (!row)
        for (const DatasetRow& r : DatasetStore(*store).list())
          if (r.path == abs) {
            row = r;
            break;
          }
      if (row) {
        LineageNode fromRow = datasetFromRow(*row, depth);
        fromRow.sha256 = n.sha256;
        return fromRow;
      }
    }
    return n;
  }

  LineageNode model(const QString& path, int depth) {
    const QString abs = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    LineageNode n = start(QStringLiteral("model"), abs);
    const QString folder = n.kind == QLatin1String("missing") ? QString() : provenanceFolder(abs);
    if (folder.isEmpty() || depth >= kMaxDepth || onPath.contains(folder)) return n;
    const std::optional<QJsonObject> p = readProvenance(folder);
    if (!p) return n;
    onPath.insert(folder);
    const QString kind = p->value(QStringLiteral("artefact")).toObject().value(QStringLiteral("kind")).toString();
    n.kind = kind.isEmpty() ? QStringLiteral("model") : kind;
    const qint64 jobId = p->value(QStringLiteral("job_id")).toInteger();
    n.how = jobId > 0 ? QStringLiteral("%1 job %2").arg(n.kind).arg(jobId) : n.kind;
    for (const QJsonValue& m : p->value(QStringLiteral("models")).toArray()) {
      LineageNode s = model(m.toObject().value(QStringLiteral("path")).toString(), depth + 1);
      s.role = m.toObject().value(QStringLiteral("role")).toString();
      n.sources.push_back(std::move(s));
    }
    for (const QJsonValue& d : p->value(QStringLiteral("datasets")).toArray()) {
      LineageNode s = dataset(d.toObject().value(QStringLiteral("path")).toString(), depth + 1);
      s.role = d.toObject().value(QStringLiteral("role")).toString();
      n.sources.push_back(std::move(s));
    }
    onPath.remove(folder);
    return n;
  }
};

}  // namespace

QJsonObject LineageNode::toJson() const {
  QJsonObject o{{QStringLiteral("kind"), kind}, {QStringLiteral("path"), path}};
  if (!role.isEmpty()) o.insert(QStringLiteral("role"), role);
  if (!sha256.isEmpty()) o.insert(QStringLiteral("sha256"), sha256);
  if (!how.isEmpty()) o.insert(QStringLiteral("how"), how);
  if (datasetId) o.insert(QStringLiteral("dataset_id"), datasetId);
  QJsonArray s;
  for (const LineageNode& n : sources) s.append(n.toJson());
  if (!s.isEmpty()) o.insert(QStringLiteral("sources"), s);
  return o;
}

LineageNode lineageOf(const Store* store, const QString& path) {
  const QFileInfo info(path);
  if (!info.exists()) throw Error(path, {}, {}, QStringLiteral("does not exist: give a model folder or a dataset file"));
  Walker w{store, {}};
  return info.isDir() ? w.model(path, 0) : w.dataset(path, 0);
}

}  // namespace distillery
