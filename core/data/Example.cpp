#include "data/Example.h"

#include "common/Error.h"
#include "data/DataSchema.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>

namespace distillery {

const char* const kFallbackChatTemplate =
    "{{ bos_token if bos_token else '' }}{% for message in messages %}{{ '<|' + message['role'] + '|>\n' + "
    "message['content'] + (eos_token if eos_token else '') }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|assistant|>\n' }}{% endif %}";

ExampleRenderer::ExampleRenderer(const Tokenizer& tokenizer, const QString& modelDir, const QString& format,
                                 bool responsesOnly)
    : tokenizer_(tokenizer), format_(format), responsesOnly_(responsesOnly) {
  if (!dataSchemas().contains(format))
    throw FormatError(QString(), QStringLiteral("data.format"), format,
                      QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
  if (format == QLatin1String("text") || format == QLatin1String("prompt_completion")) return;
  template_ = modelChatTemplate(tokenizer_, modelDir, &fallback_);
}

ChatTemplate modelChatTemplate(const Tokenizer& tokenizer, const QString& modelDir, bool* fallback) {
  if (fallback) *fallback = tokenizer.chatTemplate().isEmpty();
  if (!tokenizer.chatTemplate().isEmpty()) return ChatTemplate::fromTokenizerConfig(modelDir);
  QJsonObject special;
  if (!tokenizer.bosToken().isEmpty()) special.insert("bos_token", tokenizer.bosToken());
  if (!tokenizer.eosToken().isEmpty()) special.insert("eos_token", tokenizer.eosToken());
  return ChatTemplate(QString::fromUtf8(kFallbackChatTemplate), special, QStringLiteral("fallback chat template"));
}

void ExampleRenderer::append(Example& e, const QString& text, bool counted) const {
  const std::vector<int32_t> ids = tokenizer_.encode(text, false);
  e.ids.insert(e.ids.end(), ids.begin(), ids.end());
  e.target.insert(e.target.end(), ids.size(), uint8_t(counted || !responsesOnly_));
}

QJsonArray ExampleRenderer::messagesOf(const QJsonObject& row, const QString& where) const {
  return rowMessages(row, format_, where);
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
    e.ids = tokenizer_.encode(rowText(row, format_, where), true);
    if (const auto eos = tokenizer_.eosId(); eos && (e.ids.empty() || e.ids.back() != *eos)) e.ids.push_back(*eos);
    e.target.assign(e.ids.size(), 1);
  } else if (format_ == QLatin1String("prompt_completion")) {
    const QJsonArray pair = rowMessages(row, format_, where);  // [user: prompt, assistant: completion]
    const QString prompt = pair[0].toObject().value("content").toString();
    const QString completion = pair[1].toObject().value("content").toString();
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
