// tokenizer.json's "model" of type BPE, as `tokenizers` runs it: vocabulary, ranked merges, byte fallback
// (<0xNN> tokens), unknown-token fusing, ignore_merges, continuing-subword prefix and end-of-word suffix.
// Pieces arrive as UTF-8; byte-level pieces are encoded straight from their bytes.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <QtCore/QString>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace distillery::tokenizer {

class BpeModel {
 public:
  // j is tokenizer.json's "model". byteLevelInput: some pieces will come byte-level (a ByteLevel
  // pre-tokenizer), so the byte-keyed lookups are built.
  static std::unique_ptr<BpeModel> fromJson(const JsonAt& j, bool byteLevelInput);
  ~BpeModel();

  std::optional<int32_t> tokenToId(const QString& token) const;
  // A null QString for ids the vocabulary does not have.
  QString idToToken(int32_t id) const;
  // Highest id + 1.
  int32_t idLimit() const { return int32_t(tokens_.size()); }
  qsizetype tokenCount() const { return qsizetype(vocab_.size()); }
  const QString& unkToken() const { return unkToken_; }
  bool byteFallback() const { return byteFallback_; }
  qsizetype mergeCount() const { return mergeCount_; }

  // Appends the ids of one pre-tokenized piece.
  void encode(std::string_view utf8, bool byteLevel, std::vector<int32_t>& out) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using StringMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;
  class MergeMap;
  struct Symbol;

  BpeModel();
  int32_t lookup(const StringMap& m, std::string_view key) const {
    const auto it = m.find(key);
    return it == m.end() ? -1 : it->second;
  }
  // Splits a piece into initial symbols the way tokenizers' merge_word does.
  void initialSymbols(std::string_view utf8, bool byteLevel, std::vector<int32_t>& syms) const;
  void mergeSymbols(std::vector<int32_t>& syms) const;
  void mergeLong(std::vector<int32_t>& syms) const;

  std::vector<QString> tokens_;        // id → token (null where no token has the id)
  StringMap vocab_;                     // token (UTF-8) → id
  StringMap rawVocab_;                  // byte-level tokens by their raw bytes (for ignore_merges)
  std::vector<int32_t> charIds_;        // BMP code point → id of that one-character token, -1 if none
  std::array<int32_t, 256> byteIds_{};  // byte → id of its byte-level character, -1 if none
  bool byteIdsComplete_ = false;
  std::array<int32_t, 256> fallbackIds_{};  // byte → id of <0xNN>, -1 if none
  std::unique_ptr<MergeMap> merges_;
  qsizetype mergeCount_ = 0;
  QString unkToken_;
  int32_t unkId_ = -1;
  std::string prefix_, suffix_;  // continuing_subword_prefix, end_of_word_suffix
  bool byteFallback_ = false, fuseUnk_ = false, ignoreMerges_ = false;
  uint64_t serial_ = 0;  // names this model's entries in the per-thread word caches
};

}  // namespace distillery::tokenizer
