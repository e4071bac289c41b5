// tokenizer.json's "added_tokens": found in the text before the model runs, as tokenizers does it
// (leftmost-longest matching; single_word, lstrip, rstrip; tokens with normalized=true are looked for in
// the normalized text, the others in the raw text).
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QStringView>

#include <optional>
#include <vector>

namespace distillery::tokenizer {

class Normalizer;

struct AddedToken {
  int32_t id = -1;
  QString content;
  bool singleWord = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

class AddedVocabulary {
 public:
  AddedVocabulary() = default;
  // j is tokenizer.json's "added_tokens" (may be missing).
  AddedVocabulary(const JsonAt& j, const Normalizer* normalizer);

  // A stretch of text: an added token's id, or -1 for text the model encodes.
  struct Match {
    qsizetype begin = 0, end = 0;
    int32_t id = -1;
  };
  // tokenizers' find_matches: the raw-text tokens (normalizedSet false) or the normalized ones.
  void split(QStringView s, bool normalizedSet, std::vector<Match>& out) const;

  const AddedToken* byId(int32_t id) const;
  std::optional<int32_t> idOf(const QString& content) const;
  bool isSpecialContent(const QString& content) const { return specialContents_.contains(content); }
  const std::vector<AddedToken>& tokens() const { return tokens_; }
  bool hasRawPatterns() const { return !raw_.patterns.empty(); }
  bool hasNormalizedPatterns() const { return !normalized_.patterns.empty(); }

 private:
  struct PatternSet {
    struct Entry {
      QString text;
      size_t token;  // index into tokens_
    };
    std::vector<Entry> patterns;
    QHash<char16_t, std::vector<size_t>> byFirst;  // first UTF-16 unit → pattern indexes, longest first
    std::vector<uint64_t> firstBits;                // bit set of those first units, for a quick scan
    void build();
    // Leftmost-longest match at or after from; false when none.
    bool find(QStringView s, qsizetype from, qsizetype* begin, qsizetype* end, size_t* token) const;
  };

  std::vector<AddedToken> tokens_;
  QHash<int32_t, size_t> byId_;
  QHash<QString, int32_t> byContent_;
  QSet<QString> specialContents_;
  PatternSet raw_, normalized_;
};

}  // namespace distillery::tokenizer
