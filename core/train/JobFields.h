// Typed, strict reads of one JSON object of a job file (JobSpec.cpp and the readers of its sections): internal to
// core/train, not part of JobSpec's interface.
#pragma once
#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cmath>
#include <cstdint>

namespace distillery::jobspec {

// Typed, strict reads of one JSON object of a job: every read names the dotted key in its error, and the
// constructor refuses keys the object does not know (a typo must never silently train with a default).
class Fields {
 public:
  Fields(const QJsonObject& json, const QString& source, const QString& prefix, const QStringList& known)
      : json_(json), source_(source), prefix_(prefix) {
    for (auto it = json.begin(); it != json.end(); ++it)
      if (!known.contains(it.key()))
        throw FormatError(
            source_, prefix_ + it.key(), QString(),
            QStringLiteral("is not a known key (expected one of: %1)").arg(known.join(QStringLiteral(", "))));
  }

  QString key(const QString& k) const { return prefix_ + k; }
  const QString& source() const { return source_; }
  bool has(const QString& k) const {
    const QJsonValue v = json_.value(k);
    return !v.isUndefined() && !v.isNull();
  }
  QJsonValue value(const QString& k) const { return json_.value(k); }

  [[noreturn]] void fail(const QString& k, const QString& why) const {
    throw FormatError(source_, key(k), jsonText(json_.value(k)), why);
  }
  void require(const QString& k) const {
    if (!has(k)) throw FormatError(source_, key(k), QString(), QStringLiteral("is missing"));
  }

  QString string(const QString& k, const QString& fallback) const {
    if (!has(k)) return fallback;
    if (!json_.value(k).isString()) fail(k, QStringLiteral("must be a string"));
    return json_.value(k).toString();
  }
  QString nonEmptyString(const QString& k, const QString& fallback) const {
    const QString s = string(k, fallback);
    if (has(k) && s.isEmpty()) fail(k, QStringLiteral("must not be empty"));
    return s;
  }
  QString choice(const QString& k, const QString& fallback, const QStringList& allowed) const {
    const QString s = string(k, fallback);
    if (!allowed.contains(s)) fail(k, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
    return s;
  }
  double number(const QString& k, double fallback) const {
    if (!has(k)) return fallback;
    if (!json_.value(k).isDouble() || !std::isfinite(json_.value(k).toDouble()))
      fail(k, QStringLiteral("must be a number"));
    return json_.value(k).toDouble();
  }
  int64_t integer(const QString& k, int64_t fallback) const {
    if (!has(k)) return fallback;
    const QJsonValue v = json_.value(k);
    const double d = v.toDouble();
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
      fail(k, QStringLiteral("must be an integer"));
    return static_cast<int64_t>(d);
  }
  bool boolean(const QString& k, bool fallback) const {
    if (!has(k)) return fallback;
    if (!json_.value(k).isBool()) fail(k, QStringLiteral("must be true or false"));
    return json_.value(k).toBool();
  }
  QStringList strings(const QString& k, const QStringList& fallback) const {
    if (!has(k)) return fallback;
    if (!json_.value(k).isArray()) fail(k, QStringLiteral("must be a list of strings"));
    QStringList out;
    for (const QJsonValue& v : json_.value(k).toArray()) {
      if (!v.isString()) fail(k, QStringLiteral("must be a list of strings"));
      out << v.toString();
    }
    return out;
  }
  QJsonObject object(const QString& k) const {
    if (!has(k)) return {};
    if (!json_.value(k).isObject()) fail(k, QStringLiteral("must be an object"));
    return json_.value(k).toObject();
  }
  QJsonArray array(const QString& k) const {
    if (!has(k)) return {};
    if (!json_.value(k).isArray()) fail(k, QStringLiteral("must be a list"));
    return json_.value(k).toArray();
  }

  // Range checks on a value already read: the message says the allowed range.
  void atLeast(const QString& k, double v, double min) const {
    if (has(k) && !(v >= min)) fail(k, QStringLiteral("must be ≥ %1").arg(min));
  }
  void positive(const QString& k, double v) const {
    if (has(k) && !(v > 0)) fail(k, QStringLiteral("must be > 0"));
  }
  void unit(const QString& k, double v) const {
    if (has(k) && !(v >= 0 && v <= 1)) fail(k, QStringLiteral("must be between 0 and 1"));
  }
  void unitOpen(const QString& k, double v) const {
    if (has(k) && !(v >= 0 && v < 1)) fail(k, QStringLiteral("must be ≥ 0 and < 1"));
  }

 private:
  QJsonObject json_;
  QString source_;
  QString prefix_;
};

}  // namespace distillery::jobspec
