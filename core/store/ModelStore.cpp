#include "store/ModelStore.h"

#include "audit/AuditLog.h"
#include "common/Error.h"
#include "model/ModelLoader.h"
#include "store/Sql.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QVariant>

namespace distillery {

namespace {

const QString kColumns = QStringLiteral(
    "id, name, path, role, architecture, params, dtype, vocab_size, tokenizer_path, config_json, added_at");

ModelRow readRow(const QSqlQuery& q) {
  ModelRow r;
  r.id = q.value(0).toLongLong();
  r.name = q.value(1).toString();
  r.path = q.value(2).toString();
  r.role = parseModelRole(q.value(3).toString());
  r.architecture = q.value(4).toString();
  r.params = q.value(5).isNull() ? -1 : q.value(5).toLongLong();
  r.dtype = q.value(6).toString();
  r.vocabSize = q.value(7).isNull() ? -1 : q.value(7).toLongLong();
  r.tokenizerPath = q.value(8).toString();
  r.config = QJsonDocument::fromJson(q.value(9).toString().toUtf8()).object();
  r.addedAt = q.value(10).toString();
  return r;
}

std::vector<ModelRow> readRows(QSqlQuery& q) {
  std::vector<ModelRow> rows;
  while (q.next()) rows.push_back(readRow(q));
  return rows;
}

}  // namespace

QString roleName(ModelRole role) {
  switch (role) {
    case ModelRole::Teacher: return QStringLiteral("teacher");
    case ModelRole::Student: return QStringLiteral("student");
    case ModelRole::Other: return QStringLiteral("other");
  }
  return {};
}

ModelRole parseModelRole(const QString& text) {
  for (ModelRole r : {ModelRole::Teacher, ModelRole::Student, ModelRole::Other})
    if (text == roleName(r)) return r;
  throw UsageError({}, QStringLiteral("role"), text, QStringLiteral("must be teacher, student or other"));
}

QJsonObject ModelRow::toJson() const {
  return {{QStringLiteral("id"), id},
          {QStringLiteral("name"), name},
          {QStringLiteral("path"), path},
          {QStringLiteral("role"), roleName(role)},
          {QStringLiteral("architecture"), architecture},
          {QStringLiteral("params"), params},
          {QStringLiteral("dtype"), dtype},
          {QStringLiteral("vocab_size"), vocabSize},
          {QStringLiteral("tokenizer_path"), tokenizerPath},
          {QStringLiteral("added_at"), addedAt}};
}

qint64 ModelStore::addFolder(const QString& dir, ModelRole role, const QString& name) const {
  const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  if (!QFileInfo(path).isDir())
    throw FormatError(dir, QString(), QString(), QStringLiteral("is not a model folder (no such directory)"));
  const QString configPath = QDir(path).filePath(QStringLiteral("config.json"));
  const ModelConfig c = ModelConfig::fromFile(configPath);  // FormatError for a missing or unsupported config
  const QString label = name.isEmpty() ? QFileInfo(path).fileName() : name;
  const QString tokenizer = QDir(path).filePath(QStringLiteral("tokenizer.json"));
  QFile file(configPath);
  const QString configText = file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();

  if (const std::optional<ModelRow> existing = findByPath(path)) {
    QSqlQuery q = sql::prepare(store_, QStringLiteral("UPDATE models SET role = ?, name = ? WHERE id = ?"));
    q.addBindValue(roleName(role));
    q.addBindValue(label);
    q.addBindValue(existing->id);
    sql::exec(store_, q, QStringLiteral("cannot update model %1").arg(path));
    recordAudit(store_, QStringLiteral("model.updated"), QStringLiteral("model"), path, {{"id", existing->id}, {"role", roleName(role)}, {"name", label}});
    return existing->id;
  }
  QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT INTO models (name, path, role, architecture, params, "
                                                    "dtype, vocab_size, tokenizer_path, config_json, added_at) "
                                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  q.addBindValue(label);
  q.addBindValue(path);
  q.addBindValue(roleName(role));
  q.addBindValue(c.architecture);
  q.addBindValue(qint64(parameterCount(c)));
  q.addBindValue(c.dtype.isEmpty() ? QVariant() : QVariant(c.dtype));
  q.addBindValue(qint64(c.vocabSize));
  q.addBindValue(QFileInfo::exists(tokenizer) ? QVariant(tokenizer) : QVariant());
  q.addBindValue(configText);
  q.addBindValue(nowUtc());
  sql::exec(store_, q, QStringLiteral("cannot add model %1").arg(path));
  const qint64 id = q.lastInsertId().toLongLong();  // before the audit row's insert changes the last rowid
  recordAudit(store_, QStringLiteral("model.added"), QStringLiteral("model"), path, {{"id", id}, {"role", roleName(role)}, {"name", label}});
  return id;
}

ModelRow ModelStore::get(qint64 id) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM models WHERE id = ?").arg(kColumns));
  q.addBindValue(id);
  sql::exec(store_, q, QStringLiteral("cannot read model %1").arg(id));
  if (!q.next()) throw StoreError(store_.path(), QStringLiteral("model"), QString::number(id), QStringLiteral("does not exist"));
  return readRow(q);
}

std::optional<ModelRow> ModelStore::findByPath(const QString& dir) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM models WHERE path = ? ORDER BY id").arg(kColumns));
  q.addBindValue(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
  sql::exec(store_, q, QStringLiteral("cannot read models"));
  if (!q.next()) return std::nullopt;
  return readRow(q);
}

std::vector<ModelRow> ModelStore::list() const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM models ORDER BY id").arg(kColumns));
  sql::exec(store_, q, QStringLiteral("cannot list models"));
  return readRows(q);
}

void ModelStore::setRole(qint64 id, ModelRole role) const {
  get(id);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("UPDATE models SET role = ? WHERE id = ?"));
  q.addBindValue(roleName(role));
  q.addBindValue(id);
  sql::exec(store_, q, QStringLiteral("cannot change model %1").arg(id));
}

void ModelStore::remove(qint64 id) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("DELETE FROM models WHERE id = ?"));
  q.addBindValue(id);
  sql::exec(store_, q, QStringLiteral("cannot remove model %1").arg(id));
  if (q.numRowsAffected() > 0) recordAudit(store_, QStringLiteral("model.removed"), QStringLiteral("model"), QString::number(id));
}

}  // namespace distillery
