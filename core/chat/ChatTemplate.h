// A model's chat template: the Jinja program in tokenizer_config.json that turns a list of messages into
// the exact text the model was trained on. render() gives what transformers'
// `tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...)` gives, character for
// character: same Jinja whitespace rules (trim_blocks, lstrip_blocks), same Python semantics (str(None) is
// "None", `.strip()`, `namespace()`, `tojson` with ensure_ascii=False), same variables (messages,
// add_generation_prompt, tools=None, documents=None, bos_token/eos_token/... from the config).
//
// Parsed once, rendered many times; render() is const and safe to call from several threads.
// Templates using Jinja features this interpreter does not implement ({% include %}, `groupby`, ...) are
// refused when loaded with a FormatError naming the construct and its line:column.
#pragma once
#include <QtCore/QByteArrayView>
#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <memory>

namespace distillery {

namespace jinja {
struct TemplateAst;
struct DictData;
}

class ChatTemplate {
 public:
  // Reads `chat_template` from a tokenizer_config.json (path to the file, or the folder holding it). A
  // chat_template.jinja beside it takes precedence, as in transformers; a list of named templates gives
  // the one named "default". Special tokens (bos_token, eos_token, ... as strings or AddedToken objects)
  // come from the same file. Throws FormatError when there is no template or it cannot be used.
  static ChatTemplate fromTokenizerConfig(const QString& tokenizerConfigPath);

  // source: the Jinja text. specialTokens: {"bos_token": "<s>", ...}; values may be strings, AddedToken
  // objects ({"content": ...}), null (left undefined) or lists (additional_special_tokens). origin names
  // the template in error messages (a path, or "chat_template").
  explicit ChatTemplate(const QString& source, const QJsonObject& specialTokens = {},
                        const QString& origin = QStringLiteral("chat_template"));

  // messages: [{"role": ..., "content": ...}, ...]. extraContext: further template variables, e.g.
  // {"enable_thinking": false}, {"tools": [...]}, {"date_string": "26 Jul 2024"}; they override the
  // defaults. Note QJsonObject orders keys alphabetically, so `tojson`/`items` over message or tool dicts
  // see sorted keys, and Qt's JSON parser reads 3.0 as the integer 3; renderJson() keeps the document's key
  // order and number types, as Python's json.loads does.
  // Throws FormatError: runtime errors name the template line; raise_exception() from the template (e.g.
  // "Conversation roles must alternate ...") is reported as field "messages".
  QString render(const QJsonArray& messages, bool addGenerationPrompt, const QJsonObject& extraContext = {}) const;
  // The same from JSON text: messagesJson is an array, extraContextJson an object (or empty).
  QString renderJson(QByteArrayView messagesJson, bool addGenerationPrompt,
                     QByteArrayView extraContextJson = {}) const;

  // The clock behind `strftime_now()` (Llama 3.x templates print today's date). Invalid (the default):
  // the local time at each render, like transformers' datetime.now().
  void setNow(const QDateTime& now) { now_ = now; }

  const QString& source() const { return source_; }
  const QString& origin() const { return origin_; }

 private:
  // vars: messages, add_generation_prompt and the extra context; adds the defaults and special tokens.
  QString renderWith(const std::shared_ptr<jinja::DictData>& vars) const;

  QString source_;
  QString origin_;
  QJsonObject specialTokens_;
  QDateTime now_;
  std::shared_ptr<const jinja::TemplateAst> ast_;
};

}  // namespace distillery
