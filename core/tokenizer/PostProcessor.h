// What encode(text, addSpecialTokens=true) adds around the ids: tokenizer.json's "post_processor"
// (TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence), or the template that
// transformers builds from tokenizer_config.json's add_bos_token / add_eos_token.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace distillery::tokenizer {

class PostProcessor {
 public:
  using IdOf = std::function<std::optional<int32_t>(const QString&)>;

  // Adds the special tokens of a single sequence around ids.
  void addSpecialTokens(std::vector<int32_t>& ids) const;
  // Whether the template puts id first / last (false when it adds nothing there).
  bool startsWith(int32_t id) const;
  bool endsWith(int32_t id) const;
  // A short description for summaries: "<s> $A", "$A".
  QString describe(const std::function<QString(int32_t)>& tokenOf) const;

  // j is tokenizer.json's "post_processor" (null: nothing added).
  static PostProcessor fromJson(const JsonAt& j);
  // bos/eos: the ids to put first/last (either may be absent).
  static PostProcessor bosEos(std::optional<int32_t> bos, std::optional<int32_t> eos);

 private:
  struct Item {
    bool sequence = false;      // the encoded text itself
    std::vector<int32_t> ids;   // else: special token ids
  };
  static void parse(const JsonAt& j, std::vector<Item>& items);
  std::vector<Item> items_;  // empty: the text alone
};

}  // namespace distillery::tokenizer
