// A workspace is a folder: workspace.sqlite (the store) plus the artefacts jobs write (runs/, models/, data/).
// Every entry point also accepts the .sqlite file itself.
#pragma once
#include "store/Store.h"

#include <QtCore/QString>

namespace distillery {

class Workspace {
 public:
  static constexpr const char* kDatabaseName = "workspace.sqlite";

  // Creates the folder (and parents) and a fresh database; throws StoreError if a workspace is already there.
  static Workspace init(const QString& dir, const QString& name = {});
  // Opens the folder or database file at path, migrating it; throws StoreError.
  static Workspace open(const QString& path);
  // Opens the workspace at dir, creating it first if it does not exist yet (the demo workspace).
  static Workspace openOrInit(const QString& dir, const QString& name = {});
  // The demo workspace under the user's data directory (QStandardPaths::AppDataLocation)/demo.
  static QString demoPath();
  // Maps a folder to its database path; a path to a file is returned as is.
  static QString databasePath(const QString& path);

  const QString& root() const { return root_; }
  const Store& store() const { return store_; }
  QString name() const { return store_.meta(QStringLiteral("name")); }

 private:
  Workspace(QString root, Store store) : root_(std::move(root)), store_(std::move(store)) {}
  QString root_;
  Store store_;
};

}  // namespace distillery
