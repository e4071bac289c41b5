// Everything the workbench remembers between runs, in QSettings (organisation "Distillery").
#pragma once
#include <QtCore/QByteArray>
#include <QtCore/QStringList>

namespace distillery::ui {

struct AppSettings {
  static constexpr int kMaxRecent = 8;

  static QStringList recentWorkspaces();
  // Moves path to the front of the recent list (dropping duplicates and the oldest beyond kMaxRecent).
  static void addRecentWorkspace(const QString& path);
  static void removeRecentWorkspace(const QString& path);

  static int computeThreads();  // 0: all usable cores
  static void setComputeThreads(int n);

  static QString language();    // "" follows the system locale; otherwise e.g. "zh_CN" or "en"
  static void setLanguage(const QString& code);

  static QByteArray windowGeometry();
  static QByteArray windowState();
  static void setWindow(const QByteArray& geometry, const QByteArray& state);
  static QString lastPanel();
  static void setLastPanel(const QString& id);
};

}  // namespace distillery::ui
