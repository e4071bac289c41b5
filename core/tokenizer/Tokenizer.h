// A Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) that encodes and decodes exactly as the
// `tokenizers` library does: BPE models with byte-level or SentencePiece-style (byte fallback) vocabularies,
// their normalizers, pre-tokenizers, added/special tokens, decoders and post-processors. Unknown component
// types are refused with a FormatError naming the field, never encoded some other way.
//
// A value type: copies share the loaded tables. encode()/decode() are const and safe from many threads
// (each thread keeps its own cache of merged words).
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace distillery {

class Tokenizer {
 public:
  // An empty tokenizer: isNull(), and every other call throws.
  Tokenizer();

  // dir/tokenizer.json (required), dir/tokenizer_config.json and dir/chat_template.jinja (optional).
  static Tokenizer fromDirectory(const QString& dir);
  // tokenizerConfigJson may be empty: no config.
  static Tokenizer fromFiles(const QString& tokenizerJson, const QString& tokenizerConfigJson = {});

  bool isNull() const { return !d_; }

  // tokenizers' Tokenizer.encode(text, add_special_tokens).ids. With addSpecialTokens the post-processor's
  // tokens are added (for Llama-style configs, add_bos_token/add_eos_token from tokenizer_config.json).
  std::vector<int32_t> encode(const QString& text, bool addSpecialTokens = false) const;
  // tokenizers' decode(ids, skip_special_tokens). Ids the tokenizer does not know are skipped, as there.
  QString decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = false) const;

  // Highest token id + 1 (added tokens included): ids lie in [0, vocabSize()). Equals transformers'
  // len(tokenizer) when ids are contiguous.
  int vocabSize() const;
  std::optional<int32_t> tokenToId(const QString& token) const;
  // A null QString for an unknown id.
  QString idToToken(int32_t id) const;

  // Special tokens named by tokenizer_config.json (unk also from the model); empty/nullopt when not set.
  QString bosToken() const;
  QString eosToken() const;
  QString padToken() const;
  QString unkToken() const;
  std::optional<int32_t> bosId() const;
  std::optional<int32_t> eosId() const;
  std::optional<int32_t> padId() const;
  std::optional<int32_t> unkId() const;
  // The added tokens flagged special, by id.
  QStringList specialTokens() const;
  bool isSpecial(int32_t id) const;

  // tokenizer_config.json's chat_template as written (the "default" one when it is a list of named
  // templates), else chat_template.jinja beside it; empty when there is none.
  QString chatTemplate() const;
  // tokenizer_config.json as read (empty when there was none).
  QJsonObject config() const;
  // What `inspect` shows: model type, sizes, pipeline, special tokens.
  QJsonObject summary() const;
  // The tokenizer.json this was read from.
  QString path() const;

 private:
  struct Impl;
  // chatTemplateFile: read when the config has no chat_template and the file exists.
  static Tokenizer load(const QString& tokenizerJson, const QString& tokenizerConfigJson, const QString& chatTemplateFile);
  std::shared_ptr<const Impl> d_;
  const Impl& impl() const;
};

}  // namespace distillery
