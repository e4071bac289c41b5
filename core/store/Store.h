// The workspace database: one SQLite file, WAL, foreign keys on, one named connection per thread.
//
//   Store store = Store::open(path);        // validates, migrates; throws StoreError, file untouched then
//   QSqlDatabase db = store.connection();   // this thread's connection, opened on first use
#pragma once
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtSql/QSqlDatabase>

namespace distillery {

class Store {
 public:
  // Creates the database file (its folder must exist) at the latest schema. Throws StoreError if the file
  // exists and is not empty, or cannot be created.
  static Store create(const QString& dbPath);
  // Opens an existing database and applies pending migrations in one transaction. A file that is not SQLite,
  // not a Distillery workspace, from a newer version or read-only is refused and left byte-for-byte unchanged.
  static Store open(const QString& dbPath);
  // Schema version recorded in the file without opening it for writing; 0 for an empty file.
  static int peekVersion(const QString& dbPath);

  const QString& path() const { return path_; }

  // This thread's connection, named "distillery:<path>@<thread>"; closed when the thread ends.
  QSqlDatabase connection() const;
  // Closes this thread's connection (e.g. the GUI switching workspaces).
  void closeThisThread() const;

  int version() const;
  QString meta(const QString& key) const;
  void setMeta(const QString& key, const QString& value) const;
  // Row counts of the main tables, for `workspace info` and the status bar.
  QMap<QString, qint64> counts() const;

  // Runs one statement (no result rows expected); throws StoreError with the SQL error.
  void exec(const QString& sql) const;

 private:
  explicit Store(QString path) : path_(std::move(path)) {}
  static void migrate(const QSqlDatabase& db, const QString& path, int from);
  QString path_;
};

// ISO-8601 UTC with milliseconds, the format of every *_at column.
QString nowUtc();

}  // namespace distillery
