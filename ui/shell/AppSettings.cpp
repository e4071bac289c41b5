#include "shell/AppSettings.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSettings>

namespace distillery::ui {

static QString key(const char* k) { return QString::fromLatin1(k); }

QStringList AppSettings::recentWorkspaces() { return QSettings().value(key("workspace/recent")).toStringList(); }

void AppSettings::addRecentWorkspace(const QString& path) {
  const QString abs = QFileInfo(path).absoluteFilePath();
  QStringList list = recentWorkspaces();
  list.removeAll(abs);
  list.prepend(abs);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(key("workspace/recent"), list);
}

void AppSettings::removeRecentWorkspace(const QString& path) {
  QStringList list = recentWorkspaces();
  list.removeAll(path);
  QSettings().setValue(key("workspace/recent"), list);
}

int AppSettings::computeThreads() { return QSettings().value(key("compute/threads"), 0).toInt(); }
void AppSettings::setComputeThreads(int n) { QSettings().setValue(key("compute/threads"), n); }

QString AppSettings::language() { return QSettings().value(key("ui/language")).toString(); }
void AppSettings::setLanguage(const QString& code) { QSettings().setValue(key("ui/language"), code); }

QByteArray AppSettings::windowGeometry() { return QSettings().value(key("window/geometry")).toByteArray(); }
QByteArray AppSettings::windowState() { return QSettings().value(key("window/state")).toByteArray(); }
void AppSettings::setWindow(const QByteArray& geometry, const QByteArray& state) {
  QSettings s;
  s.setValue(key("window/geometry"), geometry);
  s.setValue(key("window/state"), state);
}
QString AppSettings::lastPanel() { return QSettings().value(key("window/panel")).toString(); }
void AppSettings::setLastPanel(const QString& id) { QSettings().setValue(key("window/panel"), id); }

}  // namespace distillery::ui
