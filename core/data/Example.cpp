#include "data/Example.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>

namespace distillery {

const char* const kFallbackChatTemplate =
    "{{ bos_token if bos_token else '' }}{% for message in messages %}{{ '<|' + message['role'] + '|>\n' + "
    "message['content'] + (eos_token if eos_token else '') }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|assistant|>\n' }}{% endif %}";

namespace {

QString requiredString(const QJsonObject& o, const QString& key, const QString& where, const QString& field) {
  const QJsonValue v = o.value(key);
  if (v.isUndefined() || v.isNull()) throw FormatError(where, field, QString(), QStringLiteral("is missing"));
  if (!v.isString()) throw FormatError(where, field, jsonText(v), QStringLiteral("must be a string"));
  return v.toString();
}

}  // namespace

ExampleRenderer::ExampleRenderer(const Tokenizer& tokenizer, const QString& modelDir, const QString& format,
                                 bool responsesOnly)
    : tokenizer_(tokenizer), format_(format), responsesOnly_(responsesOnly) {
  static const QStringList formats = {"text", "alpaca", "sharegpt", "messages", "prompt_completion"};
  if (!formats.contains(format))
    throw FormatError(QString(), QStringLiteral("data.format"), format,
                      QStringLiteral("must be one of: ") + formats.join(QStringLiteral(", ")));
  if (format == QLatin1String("text") || format == QLatin1String("prompt_completion")) return;
  if (!tokenizer_.chatTemplate().isEmpty()) {
    template_ = ChatTemplate::fromTokenizerConfig(modelDir);
  } else {
    QJsonObject special;
    if (!tokenizer_.bosToken().isEmpty()) special.insert("bos_token", tokenizer_.bosToken());
    if (!tokenizer_.eosToken().isEmpty()) special.insert("eos_token", tokenizer_.eosToken());
    template_.emplace(QString::fromUtf8(kFallbackChatTemplate), special, QStringLiteral("fallback chat template"));
    fallback_ = true;
  }
}

void ExampleRenderer::append(Example& e, const QString& text, bool counted) const {
  const std::vector<int32_t> ids = tokenizer_.encode(text, false);
  e.ids.insert(e.ids.end(), ids.begin(), ids.end());
  e.target.insert(e.target.end(), ids.size(), uint8_t(counted || !responsesOnly_));
}

QJsonArray ExampleRenderer::messagesOf(const QJsonObject& row, const QString& where) const {
  QJsonArray messages;
  if (format_ == QLatin1String("alpaca")) {
    QString user = requiredString(row, "instruction", where, "instruction");
    const QJsonValue input = row.value("input");
    if (!input.isUndefined() && !input.isNull()) {
      if (!input.isString()) throw FormatError(where, "input", jsonText(input), QStringLiteral("must be a string"));
      if (!input.toString().isEmpty()) user += QStringLiteral("\n\n") + input.toString();
    }
    messages.append(QJsonObject{{"role", "user"}, {"content", user}});
    messages.append(QJsonObject{{"role", "assistant"}, {"content", requiredString(row, "output", where, "output")}});
    return messages;
  }
  const bool sharegpt = format_ == QLatin1String("sharegpt");
  const QString listKey = sharegpt ? QStringLiteral("conversations") : QStringLiteral("messages");
  const QString roleKey = sharegpt ? QStringLiteral("from") : QStringLiteral("role");
  const QString textKey = sharegpt ? QStringLiteral("value") : QStringLiteral("content");
  const QJsonValue list = row.value(listKey);
  if (list.isUndefined() || list.isNull()) throw FormatError(where, listKey, QString(), QStringLiteral("is missing"));
  if (!list.isArray() || list.toArray().isEmpty())
    throw FormatError(where, listKey, jsonText(list), QStringLiteral("must be a non-empty list of messages"));
  const QJsonArray items = list.toArray();
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
    messages.append(
        QJsonObject{{"role", role}, {"content", requiredString(m, textKey, where, at + QLatin1Char('.') + textKey)}});
  }
  return messages;
}

Example ExampleRenderer::renderChat(const QJsonArray& messages, const QString& where) const {
  // Pieces in order: prompt text (not counted) and reply text (counted), cut where each assistant turn starts
  // and ends; the whole conversation's rendering must be their concatenation.
  const QString full = template_->render(messages, false);
  Example e;
  if (!responsesOnly_) {  // every token counts: no prefix property needed
    append(e, full, true);
    return e;
  }
  qsizetype done = 0;  // characters of `full` already emitted
  bool anyReply = false;
  for (qsizetype i = 0; i < messages.size(); ++i) {
    if (messages[i].toObject().value("role").toString() != QLatin1String("assistant")) continue;
    QJsonArray before, through;
    for (qsizetype j = 0; j < i; ++j) before.append(messages[j]);
    through = before;
    through.append(messages[i]);
    const QString prompt = template_->render(before, true);
    const QString reply = template_->render(through, false);
    if (!reply.startsWith(prompt) || !full.startsWith(reply) || prompt.size() < done)
      throw FormatError(where, QStringLiteral("messages[%1]").arg(i), QString(),
                        QStringLiteral("cannot be masked: the chat template (%1) does not render the prompt as a "
                                       "prefix of the conversation; set data.responses_only to false")
                            .arg(template_->origin()));
    if (prompt.size() > done) append(e, full.mid(done, prompt.size() - done), false);
    append(e, full.mid(prompt.size(), reply.size() - prompt.size()), true);
    done = reply.size();
    anyReply = true;
  }
  if (done < full.size()) append(e, full.mid(done), false);
  if (!anyReply)
    throw FormatError(where, QStringLiteral("messages"), QString(),
                      QStringLiteral("has no assistant reply to train on"));
  return e;
}

Example ExampleRenderer::render(const QJsonObject& row, const QString& file, int64_t line) const {
  const QString where = QStringLiteral("%1:%2").arg(file).arg(line);
  Example e;
  if (format_ == QLatin1String("text")) {
    e.ids = tokenizer_.encode(requiredString(row, "text", where, "text"), true);
    if (const auto eos = tokenizer_.eosId(); eos && (e.ids.empty() || e.ids.back() != *eos)) e.ids.push_back(*eos);
    e.target.assign(e.ids.size(), 1);
  } else if (format_ == QLatin1String("prompt_completion")) {
    const QString prompt = requiredString(row, "prompt", where, "prompt");
    const QString completion = requiredString(row, "completion", where, "completion");
    // BOS (when the tokenizer adds one) comes with the prompt; the completion is encoded on its own.
    e.ids = tokenizer_.encode(prompt, true);
    e.target.assign(e.ids.size(), uint8_t(!responsesOnly_));
    append(e, completion, true);
    if (const auto eos = tokenizer_.eosId()) {
      e.ids.push_back(*eos);
      e.target.push_back(1);
    }
  } else {
    e = renderChat(messagesOf(row, where), where);
  }
  e.line = line;
  return e;
}

}  // namespace distillery
