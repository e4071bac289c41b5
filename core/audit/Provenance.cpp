#include "audit/Provenance.h"

#include "BuildInfo.h"
#include "audit/AuditLog.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/FileHash.h"
#include "store/Sql.h"
#include "train/JobSpec.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QVariant>

namespace distillery {

namespace {

bool isModelFile(const QString& name) {
  static const QStringList exact = {
      QStringLiteral("config.json"),          QStringLiteral("generation_config.json"),
      QStringLiteral("tokenizer.json"),       QStringLiteral("tokenizer_config.json"),
      QStringLiteral("tokenizer.model"),      QStringLiteral("special_tokens_map.json"),
      QStringLiteral("adapter_config.json"),  QStringLiteral("model.safetensors.index.json")};
  return exact.contains(name) || name.endsWith(QLatin1String(".safetensors"));
}

QJsonObject datasetEntry(const Store* store, const QString& role, const QString& path) {
  QJsonObject o{{QStringLiteral("role"), role}, {QStringLiteral("path"), QFileInfo(path).absoluteFilePath()}};
  try {
    o.insert(QStringLiteral("sha256"), cachedFileSha256(store, path));
  } catch (const Error& e) {
    o.insert(QStringLiteral("error"), e.message());
  }
  return o;
}

QJsonObject modelEntry(const Store* store, const QString& role, const QString& dir) {
  QJsonObject o = modelFolderHashes(store, dir);
  o.insert(QStringLiteral("role"), role);
  return o;
}

}  // namespace

QString cachedFileSha256(const Store* store, const QString& path) {
  const QFileInfo info(path);
  const QString abs = info.absoluteFilePath();
  if (!info.isFile()) throw Error(path, {}, {}, QStringLiteral("cannot be hashed: not a readable file"));
  const qint64 size = info.size();
  const QString mtime = info.lastModified().toUTC().toString(Qt::ISODateWithMs);
  // The cache key (path, size, mtime) then any further values, bound in that order.
  auto run = [&](const QString& text, const QVariantList& more, const QString& what) {
    QSqlQuery q = sql::prepare(*store, text);
    for (const QVariant& v : QVariantList{abs, size, mtime} + more) q.addBindValue(v);
    sql::exec(*store, q, what);
    return q;
  };
  if (store) {
    QSqlQuery q = run(QStringLiteral("SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime = ?"), {},
                      QStringLiteral("cannot read the file hash cache"));
    if (q.next()) return q.value(0).toString();
  }
  const QString sha = fileSha256(abs);
  if (store)
    run(QStringLiteral("INSERT OR REPLACE INTO file_hashes (path, size, mtime, sha256, hashed_at) VALUES (?, ?, ?, ?, ?)"),
        {sha, nowUtc()}, QStringLiteral("cannot write the file hash cache"));
  return sha;
}

QJsonObject modelFolderHashes(const Store* store, const QString& dir) {
  const QDir d(dir);
  QJsonObject files;
  for (const QString& name : d.entryList(QDir::Files, QDir::Name)) {
    if (!isModelFile(name)) continue;
    try {
      files.insert(name, cachedFileSha256(store, d.filePath(name)));
    } catch (const Error& e) {
      files.insert(name, QString(QStringLiteral("error: ") + e.detail()));
    }
  }
  return {{QStringLiteral("path"), QDir::cleanPath(QFileInfo(dir).absoluteFilePath())},
          {QStringLiteral("files"), files}};
}

QJsonObject jobProvenance(const JobSpec& spec, const Store* store, qint64 jobId, const QString& status) {
  QJsonArray models, datasets;
  if (!spec.student.isEmpty()) models.append(modelEntry(store, QStringLiteral("student"), spec.student));
  if (!spec.teacher.isEmpty()) models.append(modelEntry(store, QStringLiteral("teacher"), spec.teacher));
  if (!spec.data.train.isEmpty()) datasets.append(datasetEntry(store, QStringLiteral("train"), spec.data.train));
  if (!spec.data.validation.isEmpty())
    datasets.append(datasetEntry(store, QStringLiteral("validation"), spec.data.validation));
  return {{QStringLiteral("artefact"), QJsonObject{{QStringLiteral("kind"), jobKindName(spec.kind)},
                                                   {QStringLiteral("path"), QFileInfo(spec.output).absoluteFilePath()}}},
          {QStringLiteral("job"), spec.toJson()},
          {QStringLiteral("job_id"), jobId},
          {QStringLiteral("status"), status},
          {QStringLiteral("models"), models},
          {QStringLiteral("datasets"), datasets}};
}

QJsonObject quantizeProvenance(const QString& sourceDir, const QString& adapterDir, const QJsonObject& settings,
                               const Store* store) {
  QJsonArray models{modelEntry(store, QStringLiteral("source"), sourceDir)};
  if (!adapterDir.isEmpty()) models.append(modelEntry(store, QStringLiteral("adapter"), adapterDir));
  return {{QStringLiteral("artefact"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("quantized")}}},
          {QStringLiteral("settings"), settings},
          {QStringLiteral("models"), models},
          {QStringLiteral("datasets"), QJsonArray()}};
}

void writeProvenance(const QString& dir, QJsonObject provenance) {
  QJsonObject artefact = provenance.value(QStringLiteral("artefact")).toObject();
  artefact.insert(QStringLiteral("path"), QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
  provenance.insert(QStringLiteral("artefact"), artefact);
  provenance.insert(QStringLiteral("format"), QString::fromLatin1(kProvenanceFormat));
  provenance.insert(QStringLiteral("code"), QJsonObject{{QStringLiteral("name"), QStringLiteral("distillery")},
                                                        {QStringLiteral("version"), QStringLiteral(DISTILLERY_VERSION)}});
  provenance.insert(QStringLiteral("created_at"), nowUtc());
  provenance.insert(QStringLiteral("user"), audit::osUser());
  writeFileAtomically(QDir(dir).filePath(QLatin1String(kProvenanceFile)),
                      QJsonDocument(provenance).toJson(QJsonDocument::Indented));
}

std::optional<QJsonObject> readProvenance(const QString& dir) {
  const QString path = QDir(dir).filePath(QLatin1String(kProvenanceFile));
  QFile f(path);
  if (!f.exists()) return std::nullopt;
  if (!f.open(QIODevice::ReadOnly)) throw Error(path, {}, {}, QStringLiteral("cannot read: ") + f.errorString());
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    throw FormatError(path, QStringLiteral("offset"), err.offset,
                      QStringLiteral("is not a JSON object: %1").arg(err.errorString()));
  return doc.object();
}

}  // namespace distillery
