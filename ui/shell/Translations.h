// Installs the translator for the chosen language (AppSettings::language(), else the system locale).
#pragma once
#include <QtCore/QString>

class QCoreApplication;

namespace distillery::ui {

// Returns the language loaded ("zh_CN"), or an empty string when the UI stays in English.
QString installTranslations(const QString& language = {});
// Languages offered in the settings: code -> native name.
QList<QPair<QString, QString>> availableLanguages();

}  // namespace distillery::ui
