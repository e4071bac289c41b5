#include "common/Error.h"

namespace distillery {

static std::string compose(const QString& path, const QString& field, const QString& value,
                           const QString& message) {
  QString text;
  if (!path.isEmpty()) text += path + QStringLiteral(": ");
  if (!field.isEmpty()) {
    text += field;
    if (!value.isNull()) text += QLatin1Char('=') + value;
    text += QLatin1Char(' ');
  }
  text += message;
  return text.toStdString();
}

Error::Error(const QString& path, const QString& field, const QString& value, const QString& message)
    : std::runtime_error(compose(path, field, value, message)),
      path_(path), field_(field), value_(value), detail_(message) {}

Error::Error(const QString& message) : Error(QString(), QString(), QString(), message) {}

}  // namespace distillery
