#include "shell/Translations.h"

#include "shell/AppSettings.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtCore/QLocale>
#include <QtCore/QFileInfo>
#include <QtCore/QTranslator>

namespace distillery::ui {

QList<QPair<QString, QString>> availableLanguages() {
  return {{QStringLiteral("en"), QStringLiteral("English")}, {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
}

QString installTranslations(const QString& language) {
  const QString code = language.isEmpty() ? AppSettings::language() : language;
  const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
  if (locale.language() == QLocale::English || locale.language() == QLocale::C) return {};
  // Our strings (embedded by qt_add_translations under :/i18n) and Qt's own dialogs' strings.
  auto* ours = new QTranslator(QCoreApplication::instance());
  if (!ours->load(locale, QStringLiteral("distillery"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
    delete ours;
    return {};
  }
  QCoreApplication::installTranslator(ours);
  auto* qt = new QTranslator(QCoreApplication::instance());
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(qt);
  else
    delete qt;
  return QFileInfo(ours->filePath()).completeBaseName().section(QLatin1Char('_'), 1);
}

}  // namespace distillery::ui
