#include "audit/AuditLog.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "store/Sql.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QVariant>
#include <QtSql/QSqlError>

#include <pwd.h>
#include <unistd.h>

namespace distillery {

namespace {

const QString kColumns = QStringLiteral("id, time, user, action, object_kind, object_id, params, prev_hash, hash");

AuditEntry readEntry(const QSqlQuery& q) {
  AuditEntry e;
  e.id = q.value(0).toLongLong();
  e.time = q.value(1).toString();
  e.user = q.value(2).toString();
  e.action = q.value(3).toString();
  e.objectKind = q.value(4).toString();
  e.objectId = q.value(5).toString();
  e.params = q.value(6).toString();
  e.prevHash = q.value(7).toString();
  e.hash = q.value(8).toString();
  return e;
}

void netstring(QByteArray& out, const QByteArray& field) {
  out += QByteArray::number(field.size());
  out += ':';
  out += field;
  out += ',';
}

// WHERE clause and its bind values for a filter.
struct Where {
  QString sql;
  QVariantList values;
};

Where where(const AuditFilter& f) {
  QStringList parts;
  Where w;
  if (!f.action.isEmpty()) {
    if (f.action.endsWith(QLatin1Char('.'))) {
      parts << QStringLiteral("substr(action, 1, ?) = ?");
      w.values << qint64(f.action.size()) << f.action;
    } else {
      parts << QStringLiteral("action = ?");
      w.values << f.action;
    }
  }
  if (!f.objectKind.isEmpty()) {
    parts << QStringLiteral("object_kind = ?");
    w.values << f.objectKind;
  }
  if (!f.user.isEmpty()) {
    parts << QStringLiteral("user = ?");
    w.values << f.user;
  }
  if (!f.text.isEmpty()) {
    // instr on lower() rather than LIKE, so '%' and '_' in the text are plain characters.
    parts << QStringLiteral("(instr(lower(object_id), lower(?)) > 0 OR instr(lower(params), lower(?)) > 0 OR "
                            "instr(lower(action), lower(?)) > 0)");
    w.values << f.text << f.text << f.text;
  }
  if (!f.since.isEmpty()) {
    parts << QStringLiteral("time >= ?");
    w.values << f.since;
  }
  if (!f.until.isEmpty()) {
    parts << QStringLiteral("time < ?");
    w.values << f.until;
  }
  if (!parts.isEmpty()) w.sql = QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
  return w;
}

QByteArray csvField(const QString& s) {
  QByteArray b = s.toUtf8();
  if (!b.contains(',') && !b.contains('"') && !b.contains('\n') && !b.contains('\r')) return b;
  b.replace("\"", "\"\"");
  return '"' + b + '"';
}

}  // namespace

namespace audit {

QByteArray canonical(const AuditEntry& e) {
  QByteArray out;
  netstring(out, QByteArray::number(e.id));
  for (const QString* field : {&e.time, &e.user, &e.action, &e.objectKind, &e.objectId, &e.params, &e.prevHash})
    netstring(out, field->toUtf8());
  return out;
}

QString entryHash(const AuditEntry& e) {
  return QString::fromLatin1(QCryptographicHash::hash(canonical(e), QCryptographicHash::Sha256).toHex());
}

QString osUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
    return QString::fromLocal8Bit(pw->pw_name);
  for (const char* var : {"USER", "USERNAME"})
    if (const QString v = qEnvironmentVariable(var); !v.isEmpty()) return v;
  return QStringLiteral("unknown");
}

QString paramsText(const QJsonObject& params) {
  // QJsonObject keeps its keys sorted, so the compact form is canonical for a given object.
  return QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact));
}

}  // namespace audit

QJsonObject AuditEntry::toJson() const {
  return {{QStringLiteral("id"), id},
          {QStringLiteral("time"), time},
          {QStringLiteral("user"), user},
          {QStringLiteral("action"), action},
          {QStringLiteral("object_kind"), objectKind},
          {QStringLiteral("object_id"), objectId},
          {QStringLiteral("params"), QJsonDocument::fromJson(params.toUtf8()).object()},
          {QStringLiteral("prev_hash"), prevHash},
          {QStringLiteral("hash"), hash}};
}

QJsonObject AuditVerdict::toJson() const {
  QJsonObject o{{QStringLiteral("ok"), ok}, {QStringLiteral("rows"), rows}};
  if (!ok) {
    o.insert(QStringLiteral("bad_id"), badId);
    o.insert(QStringLiteral("check"), check);
    o.insert(QStringLiteral("detail"), detail);
  }
  return o;
}

qint64 AuditLog::append(const QString& action, const AuditObject& object, const QJsonObject& params) const {
  QSqlDatabase db = store_.connection();
  // BEGIN IMMEDIATE takes the write lock now, so no other connection can append between our read of the last hash
  // and our insert. Inside the caller's transaction SQLite refuses a second BEGIN; we then join it.
  bool own = false;
  {
    QSqlQuery begin(db);
    if (begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
      own = true;
    else if (!begin.lastError().text().contains(QLatin1String("within a transaction")))
      sql::fail(store_, QStringLiteral("cannot start the audit transaction"), begin);
  }
  auto rollback = [&] {
    if (own) QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
  };
  try {
    AuditEntry e;
    {
      QSqlQuery last = sql::prepare(store_, QStringLiteral("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"));
      sql::exec(store_, last, QStringLiteral("cannot read the audit chain"));
      if (last.next()) {
        e.id = last.value(0).toLongLong() + 1;
        e.prevHash = last.value(1).toString();
      } else {
        e.id = 1;
        e.prevHash = QString::fromLatin1(audit::kGenesis);
      }
    }
    e.time = nowUtc();
    e.user = audit::osUser();
    e.action = action;
    e.objectKind = object.kind;
    e.objectId = object.id;
    e.params = audit::paramsText(params);
    e.hash = audit::entryHash(e);
    {
      QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT INTO audit (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                                             .arg(kColumns));
      for (const QVariant& v : QVariantList{e.id, e.time, e.user, e.action, e.objectKind, e.objectId, e.params,
                                            e.prevHash, e.hash})
        q.addBindValue(v);
      sql::exec(store_, q, QStringLiteral("cannot append to the audit trail (%1)").arg(action));
    }
    // The chain's head, kept beside it in the same transaction: rows deleted from the end leave no gap and no
    // broken link, only a head that names a row no longer there (see verify()).
    store_.setMeta(QString::fromLatin1(audit::kHeadKey), QStringLiteral("%1 %2").arg(e.id).arg(e.hash));
    if (own) {
      QSqlQuery commit(db);
      if (!commit.exec(QStringLiteral("COMMIT"))) sql::fail(store_, QStringLiteral("cannot commit the audit row"), commit);
    }
    return e.id;
  } catch (...) {
    rollback();
    throw;
  }
}

std::vector<AuditEntry> AuditLog::list(const AuditFilter& filter) const {
  const Where w = where(filter);
  QString text = QStringLiteral("SELECT %1 FROM audit%2 ORDER BY id").arg(kColumns, w.sql);
  if (filter.limit >= 0 || filter.offset > 0)
    text += QStringLiteral(" LIMIT %1 OFFSET %2").arg(filter.limit).arg(filter.offset);
  QSqlQuery q = sql::prepare(store_, text);
  q.setForwardOnly(true);
  for (const QVariant& v : w.values) q.addBindValue(v);
  sql::exec(store_, q, QStringLiteral("cannot read the audit trail"));
  std::vector<AuditEntry> rows;
  while (q.next()) rows.push_back(readEntry(q));
  return rows;
}

qint64 AuditLog::count(const AuditFilter& filter) const {
  const Where w = where(filter);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT COUNT(*) FROM audit") + w.sql);
  for (const QVariant& v : w.values) q.addBindValue(v);
  sql::exec(store_, q, QStringLiteral("cannot count the audit trail"));
  return q.next() ? q.value(0).toLongLong() : 0;
}

QStringList AuditLog::distinct(const QString& column) const {
  static const QStringList allowed = {QStringLiteral("action"), QStringLiteral("object_kind"), QStringLiteral("user")};
  if (!allowed.contains(column))
    throw UsageError({}, QStringLiteral("column"), column, QStringLiteral("must be action, object_kind or user"));
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT DISTINCT %1 FROM audit ORDER BY %1").arg(column));
  sql::exec(store_, q, QStringLiteral("cannot read the audit trail"));
  QStringList out;
  while (q.next()) out << q.value(0).toString();
  return out;
}

AuditVerdict AuditLog::verify() const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM audit ORDER BY id").arg(kColumns));
  q.setForwardOnly(true);
  sql::exec(store_, q, QStringLiteral("cannot read the audit trail"));
  AuditVerdict v;
  qint64 expectedId = 1;
  QString prevHash = QString::fromLatin1(audit::kGenesis);
  while (q.next()) {
    const AuditEntry e = readEntry(q);
    auto broken = [&](const char* check, const QString& detail) {
      v.ok = false;
      v.badId = e.id;
      v.check = QString::fromLatin1(check);
      v.detail = detail;
      return v;
    };
    if (e.id != expectedId) {
      const QString where = expectedId == 1 ? QStringLiteral("row %1 is the first row").arg(e.id)
                                            : QStringLiteral("row %1 follows row %2").arg(e.id).arg(expectedId - 1);
      const QString missing = e.id - expectedId == 1
                                  ? QStringLiteral("row %1 was deleted").arg(expectedId)
                                  : QStringLiteral("rows %1 to %2 were deleted").arg(expectedId).arg(e.id - 1);
      return broken("id_gap", where + QStringLiteral(": ") + missing);
    }
    if (e.prevHash != prevHash)
      return broken("prev_link", QStringLiteral("row %1's prev_hash %2 is not the hash of row %3 (%4)")
                                     .arg(e.id).arg(e.prevHash, QString::number(e.id - 1), prevHash));
    const QString recomputed = audit::entryHash(e);
    if (e.hash != recomputed)
      return broken("content_hash", QStringLiteral("row %1's content does not match its hash (stored %2, content "
                                                   "hashes to %3): the row was modified")
                                        .arg(e.id).arg(e.hash, recomputed));
    prevHash = e.hash;
    ++expectedId;
    ++v.rows;
  }
  // The head recorded by the last append. Older than the last row: rows were added another way (not an append),
  // nothing to compare. Past the last row: rows were deleted from the end. The last row itself with another hash:
  // it was replaced.
  const QStringList head = store_.meta(QString::fromLatin1(audit::kHeadKey)).split(QLatin1Char(' '));
  const qint64 lastId = expectedId - 1;
  if (head.size() == 2) {
    const qint64 headId = head[0].toLongLong();
    if (headId > lastId) {
      v.ok = false;
      v.badId = lastId + 1;
      v.check = QStringLiteral("truncated");
      const QString what = headId == lastId + 1
                               ? QStringLiteral("row %1 was deleted from the end").arg(headId)
                               : QStringLiteral("row %1 to row %2 were deleted from the end")
                                     .arg(lastId + 1)
                                     .arg(headId);
      v.detail = what + QStringLiteral(": the last append recorded row %1 as the chain's head").arg(headId);
    } else if (headId == lastId && head[1] != prevHash) {
      v.ok = false;
      v.badId = lastId;
      v.check = QStringLiteral("head");
      v.detail = QStringLiteral("row %1 is not the row last appended (its hash %2, the recorded head %3): the row "
                                "was replaced").arg(lastId).arg(prevHash, head[1]);
    }
  }
  return v;
}

QString recordAuditNoThrow(const Store& store, const QString& action, const QString& objectKind,
                           const QString& objectId, const QJsonObject& params) noexcept {
  try {
    recordAudit(store, action, objectKind, objectId, params);
    return {};
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  } catch (...) {
    return QStringLiteral("unknown error while appending to the audit trail");
  }
}

qint64 AuditLog::exportTo(const QString& file, const AuditFilter& filter) const {
  const QString suffix = QFileInfo(file).suffix().toLower();
  if (suffix != QLatin1String("csv") && suffix != QLatin1String("jsonl"))
    throw UsageError({}, QStringLiteral("FILE"), file, QStringLiteral("must end in .csv or .jsonl"));
  const std::vector<AuditEntry> rows = list(filter);
  QByteArray out;
  if (suffix == QLatin1String("csv")) {
    out = kColumns.toUtf8().replace(", ", ",") + "\r\n";
    for (const AuditEntry& e : rows) {
      QByteArrayList fields{QByteArray::number(e.id)};
      for (const QString* s : {&e.time, &e.user, &e.action, &e.objectKind, &e.objectId, &e.params, &e.prevHash, &e.hash})
        fields << csvField(*s);
      out += fields.join(',') + "\r\n";
    }
  } else {
    for (const AuditEntry& e : rows) {
      // params stays the stored text, so a reader can recompute every hash from the export alone.
      QJsonObject o = e.toJson();
      o.insert(QStringLiteral("params"), e.params);
      out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
  }
  writeFileAtomically(file, out);
  return qint64(rows.size());
}

}  // namespace distillery
