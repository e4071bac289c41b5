// Reading tokenizer.json / tokenizer_config.json fields with errors that name the file, the field path
// ("pre_tokenizer.pretokenizers[1].type") and the bad value.
#pragma once
#include "common/Error.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>

namespace distillery::tokenizer {

class JsonAt {
 public:
  JsonAt(QString path, QString field, QJsonValue value)
      : path_(std::move(path)), field_(std::move(field)), value_(std::move(value)) {}

  const QString& path() const { return path_; }
  const QString& field() const { return field_; }
  const QJsonValue& value() const { return value_; }
  bool isMissing() const { return value_.isUndefined() || value_.isNull(); }

  // A member of this object, or an element of this array (undefined when absent).
  JsonAt operator[](const QString& key) const {
    return {path_, field_.isEmpty() ? key : field_ + QLatin1Char('.') + key, value_.toObject().value(key)};
  }
  JsonAt operator[](qsizetype i) const {
    return {path_, field_ + QStringLiteral("[%1]").arg(i), value_.toArray().at(i)};
  }

  QJsonObject object() const {
    if (!value_.isObject()) fail(isMissing() ? QStringLiteral("is missing") : QStringLiteral("must be an object"));
    return value_.toObject();
  }
  QJsonArray array() const {
    if (!value_.isArray()) fail(isMissing() ? QStringLiteral("is missing") : QStringLiteral("must be an array"));
    return value_.toArray();
  }
  QString string() const {
    if (!value_.isString()) fail(isMissing() ? QStringLiteral("is missing") : QStringLiteral("must be a string"));
    return value_.toString();
  }
  QString stringOr(const QString& fallback) const { return isMissing() ? fallback : string(); }
  bool boolOr(bool fallback) const {
    if (isMissing()) return fallback;
    if (!value_.isBool()) fail(QStringLiteral("must be true or false"));
    return value_.toBool();
  }
  qint64 integer() const {
    const double d = value_.toDouble(-1.5);
    if (!value_.isDouble() || d != double(qint64(d)))
      fail(isMissing() ? QStringLiteral("is missing") : QStringLiteral("must be a whole number"));
    return qint64(d);
  }
  qint64 integerOr(qint64 fallback) const { return isMissing() ? fallback : integer(); }
  // One character (Metaspace replacement, CharDelimiterSplit delimiter, Strip content).
  char32_t character() const {
    const QString s = string();
    const QList<uint> ucs4 = s.toUcs4();
    if (ucs4.size() != 1) fail(QStringLiteral("must be a single character"));
    return char32_t(ucs4.first());
  }

  // The value as shown in an error: strings as they are, anything else as compact JSON, cut to 80 chars.
  QString shown() const {
    QString s;
    if (value_.isString()) s = value_.toString();
    else if (value_.isBool()) s = value_.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else if (value_.isDouble()) s = QString::number(value_.toDouble());
    else if (value_.isNull()) s = QStringLiteral("null");
    else if (value_.isObject()) s = QStringLiteral("{...}");
    else if (value_.isArray()) s = QStringLiteral("[...]");
    return s.size() > 80 ? s.left(77) + QStringLiteral("...") : s;
  }
  [[noreturn]] void fail(const QString& message) const {
    if (value_.isUndefined()) throw FormatError(path_, field_, QString(), message);
    throw FormatError(path_, field_, shown(), message);
  }
  [[noreturn]] void unsupported() const { fail(QStringLiteral("is not supported")); }

 private:
  QString path_, field_;
  QJsonValue value_;
};

}  // namespace distillery::tokenizer
