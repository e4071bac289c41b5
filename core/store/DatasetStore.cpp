#include "store/DatasetStore.h"

#include "common/Error.h"
#include "store/Sql.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QVariant>

#include <set>

namespace distillery {

namespace {

const QString kColumns =
    QStringLiteral("id, name, path, schema, rows, sha256, parent_id, settings_json, stats_json, created_at");

QJsonObject parseObject(const QVariant& v) { return QJsonDocument::fromJson(v.toString().toUtf8()).object(); }

QString compact(const QJsonObject& o) {
  return o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QVariant orNull(const QString& s) { return s.isEmpty() ? QVariant() : QVariant(s); }

DatasetRow readRow(const QSqlQuery& q) {
  DatasetRow r;
  r.id = q.value(0).toLongLong();
  r.name = q.value(1).toString();
  r.path = q.value(2).toString();
  r.schema = q.value(3).toString();
  r.rows = q.value(4).isNull() ? -1 : q.value(4).toLongLong();
  r.sha256 = q.value(5).toString();
  r.parentId = q.value(6).isNull() ? 0 : q.value(6).toLongLong();
  r.settings = parseObject(q.value(7));
  r.stats = parseObject(q.value(8));
  r.createdAt = q.value(9).toString();
  return r;
}

}  // namespace

QJsonObject DatasetRow::toJson() const {
  QJsonObject o{{QStringLiteral("id"), id},       {QStringLiteral("name"), name},
                {QStringLiteral("path"), path},   {QStringLiteral("schema"), schema},
                {QStringLiteral("rows"), rows},   {QStringLiteral("sha256"), sha256},
                {QStringLiteral("created_at"), createdAt}};
  if (parentId) o.insert(QStringLiteral("parent_id"), parentId);
  if (!settings.isEmpty()) o.insert(QStringLiteral("settings"), settings);
  if (!stats.isEmpty()) o.insert(QStringLiteral("stats"), stats);
  return o;
}

qint64 DatasetStore::add(const DatasetRow& row) const {
  if (row.parentId) get(row.parentId);  // names the missing parent instead of a bare constraint failure
  QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT INTO datasets (name, path, schema, rows, sha256, "
                                                    "parent_id, settings_json, stats_json, created_at) "
                                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  q.addBindValue(row.name);
  q.addBindValue(row.path);
  q.addBindValue(orNull(row.schema));
  q.addBindValue(row.rows < 0 ? QVariant() : QVariant(row.rows));
  q.addBindValue(orNull(row.sha256));
  q.addBindValue(row.parentId ? QVariant(row.parentId) : QVariant());
  q.addBindValue(orNull(compact(row.settings)));
  q.addBindValue(orNull(compact(row.stats)));
  q.addBindValue(nowUtc());
  sql::exec(store_, q, QStringLiteral("cannot add dataset %1").arg(row.path));
  return q.lastInsertId().toLongLong();
}

qint64 DatasetStore::addOrFind(const DatasetRow& row) const {
  if (const auto found = findByPath(row.path, row.sha256)) return found->id;
  return add(row);
}

DatasetRow DatasetStore::get(qint64 id) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM datasets WHERE id = ?").arg(kColumns));
  q.addBindValue(id);
  sql::exec(store_, q, QStringLiteral("cannot read dataset %1").arg(id));
  if (!q.next())
    throw StoreError(store_.path(), QStringLiteral("dataset"), QString::number(id), QStringLiteral("does not exist"));
  return readRow(q);
}

std::optional<DatasetRow> DatasetStore::findByPath(const QString& path, const QString& sha256) const {
  // IS rather than = so that an empty hash (a folder) matches the NULL it was stored as.
  QSqlQuery q = sql::prepare(
      store_,
      QStringLiteral("SELECT %1 FROM datasets WHERE path = ? AND sha256 IS ? ORDER BY id DESC LIMIT 1").arg(kColumns));
  q.addBindValue(path);
  q.addBindValue(orNull(sha256));
  sql::exec(store_, q, QStringLiteral("cannot look up dataset %1").arg(path));
  if (!q.next()) return std::nullopt;
  return readRow(q);
}

std::vector<DatasetRow> DatasetStore::list() const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM datasets ORDER BY id DESC").arg(kColumns));
  sql::exec(store_, q, QStringLiteral("cannot list datasets"));
  std::vector<DatasetRow> rows;
  while (q.next()) rows.push_back(readRow(q));
  return rows;
}

std::vector<DatasetRow> DatasetStore::lineage(qint64 id) const {
  std::vector<DatasetRow> chain;
  std::set<qint64> seen;
  for (qint64 next = id; next && seen.insert(next).second;) {
    chain.push_back(get(next));
    next = chain.back().parentId;
  }
  return chain;
}

void DatasetStore::setStats(qint64 id, const QJsonObject& stats) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("UPDATE datasets SET stats_json = ? WHERE id = ?"));
  q.addBindValue(orNull(compact(stats)));
  q.addBindValue(id);
  sql::exec(store_, q, QStringLiteral("cannot update dataset %1").arg(id));
  if (q.numRowsAffected() == 0)
    throw StoreError(store_.path(), QStringLiteral("dataset"), QString::number(id), QStringLiteral("does not exist"));
}

}  // namespace distillery
