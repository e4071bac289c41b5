// Rewriting the text fields of a row in place, per schema.
#include "data/TextFields.h"

#include <QtCore/QJsonArray>

namespace distillery {

namespace {

// fn applied to obj[key] when it is a string; written back only when changed (a QJsonObject write detaches it).
int rewriteString(QJsonObject& obj, const QString& key, const std::function<QString(const QString&)>& fn) {
  const auto it = obj.constFind(key);
  if (it == obj.constEnd() || !it->isString()) return 0;
  const QString before = it->toString();
  QString after = fn(before);
  if (after == before) return 0;
  obj.insert(key, std::move(after));
  return 1;
}

// The turns of a conversation array: textKey of each, only where roleKey's value is in roles (empty: all).
int rewriteTurns(QJsonObject& row, const QString& arrayKey, const QString& textKey, const QString& roleKey,
                 const QStringList& roles, const std::function<QString(const QString&)>& fn) {
  const auto it = row.constFind(arrayKey);
  if (it == row.constEnd() || !it->isArray()) return 0;
  QJsonArray turns = it->toArray();
  int changed = 0;
  for (qsizetype i = 0; i < turns.size(); ++i) {
    if (!turns.at(i).isObject()) continue;
    QJsonObject turn = turns.at(i).toObject();
    if (!roles.isEmpty() && !roles.contains(turn.value(roleKey).toString())) continue;
    if (rewriteString(turn, textKey, fn)) {
      turns.replace(i, turn);
      ++changed;
    }
  }
  if (changed) row.insert(arrayKey, turns);
  return changed;
}

}  // namespace

int rewriteTextFields(QJsonObject& row, const QString& schema, const QString& field, TextSide side,
                      const std::function<QString(const QString&)>& fn) {
  if (!field.isEmpty()) return rewriteString(row, field, fn);
  const bool all = side == TextSide::All;
  if (schema == QLatin1String("text")) return rewriteString(row, QStringLiteral("text"), fn);
  if (schema == QLatin1String("alpaca"))
    return rewriteString(row, QStringLiteral("instruction"), fn) + rewriteString(row, QStringLiteral("input"), fn) +
           (all ? rewriteString(row, QStringLiteral("output"), fn) : 0);
  if (schema == QLatin1String("prompt_completion"))
    return rewriteString(row, QStringLiteral("prompt"), fn) + (all ? rewriteString(row, QStringLiteral("completion"), fn) : 0);
  if (schema == QLatin1String("messages"))
    return rewriteTurns(row, QStringLiteral("messages"), QStringLiteral("content"), QStringLiteral("role"),
                        all ? QStringList{} : QStringList{QStringLiteral("user")}, fn);
  if (schema == QLatin1String("sharegpt"))
    return rewriteTurns(row, QStringLiteral("conversations"), QStringLiteral("value"), QStringLiteral("from"),
                        all ? QStringList{} : QStringList{QStringLiteral("human")}, fn);
  return 0;
}

}  // namespace distillery
