#include "data/DataSchema.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <QtCore/QJsonDocument>

namespace distillery {

namespace {

const QString kText = QStringLiteral("text"), kAlpaca = QStringLiteral("alpaca"),
              kShareGpt = QStringLiteral("sharegpt"), kMessages = QStringLiteral("messages"),
              kPromptCompletion = QStringLiteral("prompt_completion");

QString requiredString(const QJsonObject& o, const QString& key, const QString& where, const QString& field) {
  const QJsonValue v = o.value(key);
  if (v.isUndefined() || v.isNull()) throw FormatError(where, field, QString(), QStringLiteral("is missing"));
  if (!v.isString()) throw FormatError(where, field, jsonText(v), QStringLiteral("must be a string"));
  return v.toString();
}

// alpaca's optional input: empty when absent or null.
QString optionalInput(const QJsonObject& row, const QString& where) {
  const QJsonValue input = row.value("input");
  if (input.isUndefined() || input.isNull()) return QString();
  if (!input.isString()) throw FormatError(where, "input", jsonText(input), QStringLiteral("must be a string"));
  return input.toString();
}

QJsonObject message(const QString& role, const QString& content) {
  return QJsonObject{{"role", role}, {"content", content}};
}

// sharegpt's "conversations" or OpenAI's "messages" as [{"role", "content"}], roles checked.
QJsonArray conversation(const QJsonObject& row, bool sharegpt, const QString& where) {
  const QString listKey = sharegpt ? QStringLiteral("conversations") : QStringLiteral("messages");
  const QString roleKey = sharegpt ? QStringLiteral("from") : QStringLiteral("role");
  const QString textKey = sharegpt ? QStringLiteral("value") : QStringLiteral("content");
  const QJsonValue list = row.value(listKey);
  if (list.isUndefined() || list.isNull()) throw FormatError(where, listKey, QString(), QStringLiteral("is missing"));
  if (!list.isArray() || list.toArray().isEmpty())
    throw FormatError(where, listKey, jsonText(list), QStringLiteral("must be a non-empty list of messages"));
  const QJsonArray items = list.toArray();
  QJsonArray messages;
  for (qsizetype i = 0; i < items.size(); ++i) {
    const QString at = QStringLiteral("%1[%2]").arg(listKey).arg(i);
    if (!items[i].isObject()) throw FormatError(where, at, jsonText(items[i]), QStringLiteral("must be an object"));
    const QJsonObject m = items[i].toObject();
    QString role = requiredString(m, roleKey, where, at + QLatin1Char('.') + roleKey);
    if (sharegpt) {
      static const QMap<QString, QString> roles = {{"system", "system"}, {"human", "user"}, {"gpt", "assistant"}};
      if (!roles.contains(role))
        throw FormatError(where, at + ".from", jsonText(m.value("from")),
                          QStringLiteral("must be one of: system, human, gpt"));
      role = roles.value(role);
    } else if (role != QLatin1String("system") && role != QLatin1String("user") && role != QLatin1String("assistant")) {
      throw FormatError(where, at + ".role", jsonText(m.value("role")),
                        QStringLiteral("must be one of: system, user, assistant"));
    }
    messages.append(message(role, requiredString(m, textKey, where, at + QLatin1Char('.') + textKey)));
  }
  return messages;
}

void checkSchema(const QString& schema, const QString& where) {
  if (!dataSchemas().contains(schema))
    throw FormatError(where, QStringLiteral("schema"), schema,
                      QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
}

}  // namespace

const QStringList& dataSchemas() {
  static const QStringList schemas = {kText, kAlpaca, kShareGpt, kMessages, kPromptCompletion};
  return schemas;
}

QString detectSchema(const QJsonObject& row) {
  if (row.contains("messages")) return kMessages;
  if (row.contains("conversations")) return kShareGpt;
  if (row.contains("instruction") && row.contains("output")) return kAlpaca;
  if (row.contains("prompt") && row.contains("completion")) return kPromptCompletion;
  if (row.contains("text")) return kText;
  return QString();
}

FieldMap parseFieldMap(const QString& spec, const QString& where) {
  FieldMap map;
  const QString trimmed = spec.trimmed();
  if (trimmed.startsWith(QLatin1Char('{'))) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
    if (!doc.isObject())
      throw UsageError(QString(), where, trimmed,
                       QStringLiteral("is not a JSON object of schema field to source field: ") + error.errorString());
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (!it.value().isString() || it.value().toString().isEmpty())
        throw UsageError(QString(), where, it.key() + QLatin1Char('=') + jsonText(it.value()),
                         QStringLiteral("the source field must be a non-empty string"));
      map.insert(it.key(), it.value().toString());
    }
    return map;
  }
  for (const QString& part : trimmed.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const qsizetype eq = part.indexOf(QLatin1Char('='));
    const QString to = part.left(eq).trimmed(), from = part.mid(eq + 1).trimmed();
    if (eq < 0 || to.isEmpty() || from.isEmpty())
      throw UsageError(QString(), where, part.trimmed(),
                       QStringLiteral("must be schema_field=source_field (e.g. prompt=question,completion=answer)"));
    if (map.contains(to)) throw UsageError(QString(), where, part.trimmed(), QStringLiteral("maps %1 twice").arg(to));
    map.insert(to, from);
  }
  return map;
}

QJsonObject applyFieldMap(const QJsonObject& row, const FieldMap& map) {
  if (map.isEmpty()) return row;
  // Built from the original row, so a swap (prompt=completion,completion=prompt) works.
  QJsonObject out = row;
  for (const QString& from : map) out.remove(from);
  for (auto it = map.begin(); it != map.end(); ++it)
    if (row.contains(it.value())) out.insert(it.key(), row.value(it.value()));
  return out;
}

QJsonArray rowMessages(const QJsonObject& row, const QString& schema, const QString& where) {
  checkSchema(schema, where);
  if (schema == kText) return {message("assistant", requiredString(row, "text", where, "text"))};
  if (schema == kPromptCompletion)
    return {message("user", requiredString(row, "prompt", where, "prompt")),
            message("assistant", requiredString(row, "completion", where, "completion"))};
  if (schema == kAlpaca) {
    QString user = requiredString(row, "instruction", where, "instruction");
    const QString input = optionalInput(row, where);
    if (!input.isEmpty()) user += QStringLiteral("\n\n") + input;
    return {message("user", user), message("assistant", requiredString(row, "output", where, "output"))};
  }
  return conversation(row, schema == kShareGpt, where);
}

QString rowText(const QJsonObject& row, const QString& schema, const QString& where) {
  checkSchema(schema, where);
  if (schema == kAlpaca) {  // field by field: instruction and input are one message, but two texts
    QStringList parts = {requiredString(row, "instruction", where, "instruction")};
    if (const QString input = optionalInput(row, where); !input.isEmpty()) parts.append(input);
    parts.append(requiredString(row, "output", where, "output"));
    return parts.join(QLatin1Char('\n'));
  }
  QStringList parts;
  for (const QJsonValue& m : rowMessages(row, schema, where)) parts.append(m.toObject().value("content").toString());
  return parts.join(QLatin1Char('\n'));
}

QJsonArray promptMessages(const QJsonObject& row, const QString& schema, const QString& where) {
  QJsonArray messages = rowMessages(row, schema, where);
  if (messages.last().toObject().value("role").toString() == QLatin1String("assistant")) messages.removeLast();
  if (messages.isEmpty())
    throw FormatError(where, schema == kText ? QStringLiteral("text") : QString(), QString(),
                      QStringLiteral("has no prompt: nothing comes before its last assistant message"));
  return messages;
}

}  // namespace distillery
