// The audit trail: an append-only table of every action that changed the workspace, chained by SHA-256 so a
// changed, deleted or reordered row is detectable. Torch-free, so the GUI includes it directly.
//
//   AuditLog log(workspace.store());
//   log.append(QStringLiteral("model.added"), {QStringLiteral("model"), path}, {{"role", "teacher"}});
//   AuditVerdict v = log.verify();  // v.ok, or v.badId and v.check (content_hash, prev_link, id_gap, truncated, head)
//
// Each row's hash is SHA-256 (lower-case hex) over its canonical serialisation: the fields id, time, user, action,
// object_kind, object_id, params, prev_hash in this order, each written as a netstring "<UTF-8 byte
// length>:<UTF-8 bytes>," (id in decimal). params is the stored JSON text verbatim (compact, keys sorted), so the
// hash never depends on how a JSON library formats numbers. The first row's prev_hash is 64 zeros.
#pragma once
#include "store/Store.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <vector>

namespace distillery {

// One row of the audit table.
struct AuditEntry {
  qint64 id = 0;
  QString time;        // ISO-8601 UTC with milliseconds
  QString user;        // OS user that ran the process
  QString action;      // "workspace.created", "model.added", "job.finished", ...
  QString objectKind;  // workspace | model | dataset | job | study | artefact | settings
  QString objectId;    // row id or path
  QString params;      // compact JSON text, as stored and hashed
  QString prevHash;
  QString hash;
  QJsonObject toJson() const;  // params parsed back into an object
};

// What an action acted on: a kind and its id or path.
struct AuditObject {
  QString kind;
  QString id;
};

// The result of AuditLog::verify(): ok with the row count, or the first broken row and which check failed.
struct AuditVerdict {
  bool ok = true;
  qint64 rows = 0;     // rows checked
  qint64 badId = 0;    // first broken row (0 when ok)
  QString check;       // content_hash | prev_link | id_gap | truncated (rows deleted from the end) | head
  QString detail;      // a sentence for people
  QJsonObject toJson() const;
};

// Filters of list() / count() / exportTo(); empty fields do not filter.
struct AuditFilter {
  QString action{};      // exact action, or a prefix ending in '.' ("job." = every job action)
  QString objectKind{};  // exact
  QString user{};        // exact
  QString text{};        // substring of action, object id or params (case-insensitive)
  QString since{};       // ISO-8601 UTC time, inclusive
  QString until{};       // ISO-8601 UTC time, exclusive
  qint64 offset = 0;   // rows to skip (oldest first)
  qint64 limit = -1;   // -1: all
};

namespace audit {
inline constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";
// workspace-table key holding the chain's head ("<id> <hash>" of the last appended row), written with each append so
// verify() notices rows deleted from the end of the chain.
inline constexpr const char* kHeadKey = "audit_head";
// The bytes hashed for a row (see the header comment).
QByteArray canonical(const AuditEntry& e);
// SHA-256 hex of canonical(e).
QString entryHash(const AuditEntry& e);
// The OS user running this process (getpwuid, else $USER/$USERNAME, else "unknown").
QString osUser();
// Params as stored: compact JSON, keys sorted.
QString paramsText(const QJsonObject& params);
// The action a job status change is recorded as: running → job.started, else job.<status>.
inline QString jobStatusAction(const QString& status) {
  return status == QLatin1String("running") ? QStringLiteral("job.started") : QStringLiteral("job.") + status;
}
}  // namespace audit

class AuditLog {
 public:
  explicit AuditLog(Store store) : store_(std::move(store)) {}

  // Appends one row and returns its id (note: it changes the connection's last insert rowid; read a caller's
  // lastInsertId() before appending). Linear under concurrency: it runs in BEGIN IMMEDIATE (the write lock is
  // taken before the last hash is read); called inside an open transaction of this thread's connection it joins
  // that one instead (the caller's write already holds the lock). Throws StoreError.
  qint64 append(const QString& action, const AuditObject& object, const QJsonObject& params = {}) const;

  // Oldest first.
  std::vector<AuditEntry> list(const AuditFilter& filter = {}) const;
  qint64 count(const AuditFilter& filter = {}) const;
  // Distinct values of a column (action, object_kind, user) for the GUI's filter boxes.
  QStringList distinct(const QString& column) const;

  // Walks the whole chain in id order: ids 1, 2, 3 ... without gaps, each prev_hash equal to the previous row's
  // hash, each hash equal to entryHash(row). Stops at the first broken row.
  AuditVerdict verify() const;

  // Writes the filtered rows to a .csv (header row, RFC 4180 quoting) or .jsonl file, atomically. Throws
  // UsageError for another extension, Error when the file cannot be written. Returns the number of rows.
  qint64 exportTo(const QString& file, const AuditFilter& filter = {}) const;

 private:
  Store store_;
};

// The one-line hook the stores, jobs and commands call after (or inside the transaction of) a change.
inline qint64 recordAudit(const Store& store, const QString& action, const QString& objectKind,
                          const QString& objectId, const QJsonObject& params = {}) {
  return AuditLog(store).append(action, {objectKind, objectId}, params);
}

// The same for callers that must not throw (a Qt slot): returns the error text, empty on success.
QString recordAuditNoThrow(const Store& store, const QString& action, const QString& objectKind,
                           const QString& objectId, const QJsonObject& params = {}) noexcept;

}  // namespace distillery
