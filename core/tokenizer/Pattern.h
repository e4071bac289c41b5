// What the Split pre-tokenizer and the Replace normalizer/decoder search for: a literal string, a regex with
// the Oniguruma semantics `tokenizers` uses, or a character class. Plus the split behaviors.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <QtCore/QStringView>

#include <memory>
#include <vector>

namespace distillery::tokenizer {

// A stretch of the searched text [begin, end) in UTF-16 units, matched or between matches.
struct Span {
  qsizetype begin = 0;
  qsizetype end = 0;
  bool isMatch = false;
};

class Pattern {
 public:
  virtual ~Pattern() = default;
  // tokenizers' find_matches: spans covering s in order; an empty s gives one empty non-match.
  virtual void findMatches(QStringView s, std::vector<Span>& out) const = 0;

  // {"String": "..."} or {"Regex": "..."}.
  static std::unique_ptr<Pattern> fromJson(const JsonAt& j);
  static std::unique_ptr<Pattern> literal(const QString& text);
  // where names the field in errors (an invalid pattern is a FormatError). The pre-tokenizer patterns of
  // GPT-2, Llama 3 and Qwen 2 get a hand-written matcher unless allowFast is false.
  static std::unique_ptr<Pattern> regex(const QString& onigPattern, const JsonAt& where, bool allowFast = true);
  // Every character for which pred holds is a match of its own.
  static std::unique_ptr<Pattern> chars(bool (*pred)(char32_t));
  static std::unique_ptr<Pattern> oneChar(char32_t c);
};

// Rewrites an Oniguruma (Ruby syntax) pattern for PCRE2: \s, \S, \w, \W, \h, \H get Oniguruma's meaning.
QString onigToPcre(const QString& pattern);

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
SplitBehavior splitBehaviorFromJson(const JsonAt& j);

// tokenizers' NormalizedString::split: turns matches into the pieces to keep (empty ones dropped).
// spans is consumed (modified).
void splitByBehavior(std::vector<Span>& spans, SplitBehavior behavior, std::vector<Span>& pieces);

// Replaces every match of pattern in s by content (literally, no back-references).
QString replaceAll(const Pattern& pattern, const QString& s, const QString& content);

}  // namespace distillery::tokenizer
