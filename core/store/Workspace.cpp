#include "store/Workspace.h"

#include "audit/AuditLog.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>

namespace distillery {

QString Workspace::databasePath(const QString& path) {
  const QFileInfo info(path);
  if (info.isDir()) return QDir(info.absoluteFilePath()).filePath(QLatin1String(kDatabaseName));
  return info.absoluteFilePath();
}

Workspace Workspace::init(const QString& dir, const QString& name) {
  const QFileInfo info(dir);
  if (info.exists() && !info.isDir())
    throw StoreError(dir, {}, {}, QStringLiteral("exists and is not a folder; choose a new folder for the workspace"));
  const QString root = info.absoluteFilePath();
  if (!QDir().mkpath(root))
    throw StoreError(root, {}, {}, QStringLiteral("cannot create the workspace folder (read-only location?)"));
  const QString db = QDir(root).filePath(QLatin1String(kDatabaseName));
  if (QFileInfo(db).exists() && QFileInfo(db).size() > 0)
    throw StoreError(root, {}, {}, QStringLiteral("already holds a workspace; open it instead"));
  Store store = Store::create(db);
  store.setMeta(QStringLiteral("name"), name.isEmpty() ? QFileInfo(root).fileName() : name);
  recordAudit(store, QStringLiteral("workspace.created"), QStringLiteral("workspace"), root, {{"name", store.meta(QStringLiteral("name"))}});
  return Workspace(root, store);
}

Workspace Workspace::open(const QString& path) {
  if (!QFileInfo::exists(path)) throw StoreError(path, {}, {}, QStringLiteral("no workspace here (it does not exist)"));
  const QString db = databasePath(path);
  if (!QFileInfo::exists(db))
    throw StoreError(path, {}, {}, QStringLiteral("is a folder without %1; create a workspace with "
                                                  "`distillery-cli workspace init`").arg(QLatin1String(kDatabaseName)));
  Store store = Store::open(db);
  return Workspace(QFileInfo(db).absolutePath(), store);
}

Workspace Workspace::openOrInit(const QString& dir, const QString& name) {
  if (QFileInfo::exists(databasePath(dir))) return open(dir);
  return init(dir, name);
}

QString Workspace::demoPath() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo"));
}

}  // namespace distillery
