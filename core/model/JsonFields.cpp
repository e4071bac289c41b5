#include "model/JsonFields.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <QtCore/QJsonArray>

#include <cmath>

namespace distillery {

namespace {

// JSON numbers are doubles; an integer field must hold a whole number that int64 represents exactly.
std::optional<int64_t> wholeNumber(const QJsonValue& v) {
  if (!v.isDouble()) return std::nullopt;
  const double d = v.toDouble();
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0) return std::nullopt;
  return static_cast<int64_t>(d);
}

}  // namespace

std::optional<QJsonValue> JsonFields::get(const QString& key) const {
  const QJsonValue v = json_.value(key);
  if (v.isUndefined() || v.isNull()) return std::nullopt;
  return v;
}

void JsonFields::fail(const QString& key, const QJsonValue& value, const QString& expected) const {
  throw FormatError(path_, prefix_ + key, jsonText(value), expected);
}

int64_t JsonFields::positiveInt(const QString& key) const {
  if (!get(key)) throw FormatError(path_, prefix_ + key, {}, QStringLiteral("is missing"));
  return *optionalPositiveInt(key);
}

double JsonFields::positiveNumber(const QString& key) const {
  const auto v = optionalNumber(key);
  if (!v) throw FormatError(path_, prefix_ + key, {}, QStringLiteral("is missing"));
  if (!(*v > 0)) fail(key, json_.value(key), QStringLiteral("must be a positive number"));
  return *v;
}

std::optional<int64_t> JsonFields::optionalInt(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  const auto n = wholeNumber(*v);
  if (!n) fail(key, *v, QStringLiteral("must be an integer"));
  return n;
}

std::optional<int64_t> JsonFields::optionalPositiveInt(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  const auto n = wholeNumber(*v);
  if (!n || *n <= 0) fail(key, *v, QStringLiteral("must be a positive integer"));
  return n;
}

std::optional<double> JsonFields::optionalNumber(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  if (!v->isDouble()) fail(key, *v, QStringLiteral("must be a number"));
  return v->toDouble();
}

std::optional<bool> JsonFields::optionalBool(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  if (!v->isBool()) fail(key, *v, QStringLiteral("must be true or false"));
  return v->toBool();
}

std::optional<QString> JsonFields::optionalString(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  if (!v->isString()) fail(key, *v, QStringLiteral("must be a string"));
  return v->toString();
}

std::optional<int64_t> JsonFields::optionalTokenId(const QString& key) const {
  const auto v = get(key);
  if (!v) return std::nullopt;
  const auto n = wholeNumber(*v);
  if (!n || *n < 0) fail(key, *v, QStringLiteral("must be a token id (an integer ≥ 0)"));
  return n;
}

std::vector<int64_t> JsonFields::tokenIds(const QString& key) const {
  const auto v = get(key);
  if (!v) return {};
  if (!v->isArray()) return {*optionalTokenId(key)};
  std::vector<int64_t> ids;
  for (const QJsonValue& item : v->toArray()) {
    const auto n = wholeNumber(item);
    if (!n || *n < 0) fail(key, *v, QStringLiteral("must be a token id or a list of token ids"));
    ids.push_back(*n);
  }
  return ids;
}

}  // namespace distillery
