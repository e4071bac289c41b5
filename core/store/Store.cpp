#include "store/Store.h"

#include "common/Error.h"
#include "store/Schema.h"

#include <QtCore/QAtomicInteger>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtCore/QThread>
#include <QtCore/QThreadStorage>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

namespace distillery {
namespace {

// Removes the connections a thread opened when that thread ends, so no handle outlives its thread.
struct ThreadConnections {
  QSet<QString> names;
  ~ThreadConnections() {
    for (const QString& name : std::as_const(names)) {
      QSqlDatabase::database(name, false).close();
      QSqlDatabase::removeDatabase(name);
    }
  }
};
QThreadStorage<ThreadConnections*> g_threadConnections;

QString connectionName(const QString& path) {
  return QStringLiteral("distillery:%1@%2").arg(path).arg(quintptr(QThread::currentThreadId()), 0, 16);
}

[[noreturn]] void fail(const QString& path, const QString& what, const QSqlError& error) {
  throw StoreError(path, {}, {}, what + QStringLiteral(": ") + error.text());
}

QSqlQuery run(const QSqlDatabase& db, const QString& path, const QString& sql) {
  QSqlQuery q(db);
  if (!q.exec(sql)) fail(path, QStringLiteral("statement failed (%1)").arg(sql.left(80)), q.lastError());
  return q;
}

// Opens a short-lived connection to inspect a file without changing it.
class ReadOnlyProbe {
 public:
  explicit ReadOnlyProbe(const QString& path) {
    static QAtomicInteger<int> counter;
    name_ = QStringLiteral("distillery-probe-%1").arg(counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name_);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    if (!db.open()) fail(path, QStringLiteral("cannot be opened"), db.lastError());
  }
  ~ReadOnlyProbe() {
    QSqlDatabase::database(name_, false).close();
    QSqlDatabase::removeDatabase(name_);
  }
  QSqlDatabase db() const { return QSqlDatabase::database(name_, false); }

 private:
  QString name_;
};

bool isSqliteFile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return false;
  return f.read(16) == QByteArray("SQLite format 3\0", 16);
}

}  // namespace

QString nowUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

int Store::peekVersion(const QString& path) {
  const QFileInfo info(path);
  if (!info.exists()) throw StoreError(path, {}, {}, QStringLiteral("does not exist"));
  if (info.isDir()) throw StoreError(path, {}, {}, QStringLiteral("is a folder, not a workspace database"));
  if (info.size() == 0) return 0;
  if (!isSqliteFile(path))
    throw StoreError(path, {}, {},
                     QStringLiteral("is not a Distillery workspace: not an SQLite database (the file was not changed)"));
  ReadOnlyProbe probe(path);
  QSqlQuery q(probe.db());
  if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
    fail(path, QStringLiteral("is damaged or not a database (the file was not changed)"), q.lastError());
  QSet<QString> tables;
  while (q.next()) tables.insert(q.value(0).toString());
  if (tables.isEmpty()) return 0;
  if (!tables.contains(QStringLiteral("schema_version")))
    throw StoreError(path, {}, {},
                     QStringLiteral("is an SQLite database but not a Distillery workspace (no schema_version "
                                    "table; the file was not changed)"));
  if (!q.exec(QStringLiteral("SELECT version FROM schema_version")) || !q.next())
    fail(path, QStringLiteral("has an unreadable schema_version (the file was not changed)"), q.lastError());
  return q.value(0).toInt();
}

Store Store::create(const QString& path) {
  const QFileInfo info(path);
  if (info.exists() && info.size() > 0)
    throw StoreError(path, {}, {}, QStringLiteral("already exists; open it instead of creating it"));
  if (!QFileInfo(info.absolutePath()).isDir())
    throw StoreError(path, {}, {}, QStringLiteral("cannot be created: folder %1 does not exist").arg(info.absolutePath()));
  {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
      throw StoreError(path, {}, {}, QStringLiteral("cannot be created (read-only location?): %1").arg(f.errorString()));
  }
  try {
    return open(path);
  } catch (...) {
    QSqlDatabase::removeDatabase(connectionName(QFileInfo(path).absoluteFilePath()));
    QFile::remove(path);  // we made it a moment ago; leave nothing half-made behind
    throw;
  }
}

Store Store::open(const QString& path) {
  const QString abs = QFileInfo(path).absoluteFilePath();
  const int found = peekVersion(abs);
  const int latest = schema::latestVersion();
  if (found > latest)
    throw StoreError(abs, QStringLiteral("schema_version"), QString::number(found),
                     QStringLiteral("is newer than this Distillery understands (up to %1); open it with a newer "
                                    "Distillery (the file was not changed)").arg(latest));
  if (!QFileInfo(abs).isWritable())
    throw StoreError(abs, {}, {},
                     QStringLiteral("is read-only; copy the workspace to a writable folder or fix its permissions"));
  Store store(abs);
  QSqlDatabase db = store.connection();
  if (found < latest) migrate(db, abs, found);
  return store;
}

void Store::migrate(const QSqlDatabase& db, const QString& path, int from) {
  QSqlDatabase conn = db;
  if (!conn.transaction()) fail(path, QStringLiteral("cannot start the migration"), conn.lastError());
  try {
    const auto& all = schema::migrations();
    for (int v = from; v < all.size(); ++v)
      for (const QString& sql : all[v]) run(conn, path, sql);
    run(conn, path, QStringLiteral("UPDATE schema_version SET version = %1").arg(all.size()));
    if (from == 0)
      run(conn, path, QStringLiteral("INSERT INTO workspace (key, value) VALUES ('created_at', '%1')").arg(nowUtc()));
    if (!conn.commit()) fail(path, QStringLiteral("cannot commit the migration"), conn.lastError());
  } catch (...) {
    conn.rollback();
    throw;
  }
}

QSqlDatabase Store::connection() const {
  const QString name = connectionName(path_);
  if (QSqlDatabase::contains(name)) return QSqlDatabase::database(name);
  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
  db.setDatabaseName(path_);
  db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
  if (!db.open()) {
    const QSqlError error = db.lastError();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
    fail(path_, QStringLiteral("cannot be opened"), error);
  }
  if (!g_threadConnections.hasLocalData()) g_threadConnections.setLocalData(new ThreadConnections);
  g_threadConnections.localData()->names.insert(name);
  // WAL lets a GUI read metrics while a worker writes them; NORMAL sync is crash-safe in WAL mode
  // (an application crash loses nothing committed; only power loss can drop the last transactions).
  run(db, path_, QStringLiteral("PRAGMA journal_mode = WAL"));
  run(db, path_, QStringLiteral("PRAGMA synchronous = NORMAL"));
  run(db, path_, QStringLiteral("PRAGMA foreign_keys = ON"));
  return db;
}

void Store::closeThisThread() const {
  const QString name = connectionName(path_);
  if (!QSqlDatabase::contains(name)) return;
  QSqlDatabase::database(name, false).close();
  QSqlDatabase::removeDatabase(name);
  if (g_threadConnections.hasLocalData()) g_threadConnections.localData()->names.remove(name);
}

void Store::exec(const QString& sql) const { run(connection(), path_, sql); }

int Store::version() const {
  QSqlQuery q = run(connection(), path_, QStringLiteral("SELECT version FROM schema_version"));
  return q.next() ? q.value(0).toInt() : 0;
}

QString Store::meta(const QString& key) const {
  QSqlQuery q(connection());
  q.prepare(QStringLiteral("SELECT value FROM workspace WHERE key = ?"));
  q.addBindValue(key);
  if (!q.exec()) fail(path_, QStringLiteral("cannot read workspace.%1").arg(key), q.lastError());
  return q.next() ? q.value(0).toString() : QString();
}

void Store::setMeta(const QString& key, const QString& value) const {
  QSqlQuery q(connection());
  q.prepare(QStringLiteral("INSERT INTO workspace (key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  q.addBindValue(key);
  q.addBindValue(value);
  if (!q.exec()) fail(path_, QStringLiteral("cannot write workspace.%1").arg(key), q.lastError());
}

QMap<QString, qint64> Store::counts() const {
  QMap<QString, qint64> result;
  for (const char* table : {"models", "datasets", "jobs", "metrics", "checkpoints", "evaluations", "studies", "ratings"}) {
    const QString t = QString::fromLatin1(table);
    QSqlQuery q = run(connection(), path_, QStringLiteral("SELECT COUNT(*) FROM ") + t);
    result.insert(t, q.next() ? q.value(0).toLongLong() : 0);
  }
  return result;
}

}  // namespace distillery
