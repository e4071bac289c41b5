// One training example as tokens: a JSONL row of any supported format → token ids and, per token, whether the
// loss is taken on it. Conversations are rendered with the student's chat template, so the model is trained on
// exactly the text it will be prompted with.
//
// Formats (data.format; the schemas of data/DataSchema.h, which turns a row into messages):
//   text               {"text": "..."}                                        every token counted
//   alpaca             {"instruction", "input" (optional), "output"}          → user: instruction [+ "\n\n" + input],
//                                                                               assistant: output
//   sharegpt           {"conversations": [{"from": "system"|"human"|"gpt", "value"}]}
//   messages           {"messages": [{"role": "system"|"user"|"assistant", "content"}]}   (OpenAI)
//   prompt_completion  {"prompt", "completion"}                               plain text, no template: prompt +
//                                                                               completion + eos
//
// Responses only (masking): for each assistant message i the template renders the conversation up to i with
// add_generation_prompt (the prompt P_i) and through i (C_i). The text C_i minus its prefix P_i is the reply as
// the model must write it, end-of-turn token included. Each rendered piece is then tokenized on its own
// (add_special_tokens=False, as apply_chat_template(tokenize=True) does) and the ids concatenated, so a token
// never straddles a prompt/reply boundary. This needs the template's prefix property (P_i is a prefix of C_i,
// C_i of the full conversation); a template that rewrites earlier turns (e.g. drops past reasoning) breaks it
// and is refused with a FormatError naming the row and suggesting responses_only false.
//
// A tokenizer without a chat template gets kFallbackChatTemplate: "<|role|>\ncontent" + eos per message
// (documented in the README); text and prompt_completion need no template.
#pragma once
#include "chat/ChatTemplate.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

// The template used when tokenizer_config.json has none.
extern const char* const kFallbackChatTemplate;

// The chat template of a model folder's tokenizer, or kFallbackChatTemplate (with its bos/eos) when it has none;
// *fallback (when given) says which.
ChatTemplate modelChatTemplate(const Tokenizer& tokenizer, const QString& modelDir, bool* fallback = nullptr);

struct Example {
  std::vector<int32_t> ids;     // the tokens, not yet truncated
  std::vector<uint8_t> target;  // per token: 1 when the loss is taken on predicting it
  int64_t line = 0;             // 1-based line in the JSONL file (for messages)
};

class ExampleRenderer {
 public:
  // format: text | alpaca | sharegpt | messages | prompt_completion. responsesOnly false counts every token.
  // The chat template comes from modelDir's tokenizer files (the fallback when there is none).
  ExampleRenderer(const Tokenizer& tokenizer, const QString& modelDir, const QString& format, bool responsesOnly);

  // One JSON row → tokens. Throws FormatError("FILE:LINE", field, value, why) for a missing or wrong-typed field
  // or a template that breaks the prefix property.
  Example render(const QJsonObject& row, const QString& file, int64_t line) const;

  // The conversation a row holds as [{"role", "content"}] (not for text / prompt_completion).
  QJsonArray messagesOf(const QJsonObject& row, const QString& where) const;

  const QString& format() const { return format_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  bool usesFallbackTemplate() const { return fallback_; }

 private:
  Example renderChat(const QJsonArray& messages, const QString& where) const;
  void append(Example& e, const QString& text, bool counted) const;

  Tokenizer tokenizer_;
  QString format_;
  bool responsesOnly_;
  std::optional<ChatTemplate> template_;
  bool fallback_ = false;
};

}  // namespace distillery
