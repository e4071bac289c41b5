// The few Python `str` behaviours the reference scorers (sacreBLEU, rouge-score, the SQuAD script) rely on, so the
// C++ ports split, strip and count exactly as they do: text as Unicode code points (Python indexes code points,
// QString UTF-16 units), str.split()/strip() whitespace, and n-gram keys built from interned token ids.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace distillery::scoring {

using Text = std::u32string;  // one element per code point, like a Python str

Text toText(const QString& s);
QString fromText(std::u32string_view s);

// Python's str.isspace(): Unicode White_Space plus the separators U+001C..U+001F.
bool isSpace(char32_t c);
// str.split() with no argument: runs of whitespace separate, no empty pieces.
std::vector<Text> split(std::u32string_view s);
// str.rstrip() / str.strip() with no argument.
std::u32string_view rstrip(std::u32string_view s);
std::u32string_view strip(std::u32string_view s);
// ''.join(s.split()): every whitespace character removed.
Text removeSpaces(std::u32string_view s);
// ' '.join(tokens)
QString joinTokens(const std::vector<Text>& tokens);
// A character of Python's string.punctuation (the 32 ASCII punctuation and symbol characters).
bool isAsciiPunctuation(char32_t c);

// Throws Error (field "refs") unless there is a reference stream, each with as many segments as hyps, and hyps has
// at least one segment.
void checkStreams(const QStringList& hyps, const QList<QStringList>& refs);

// Interns tokens as small integers so an n-gram is a string of ids (hashable, compared like Python's tuples).
class TokenIds {
 public:
  char32_t id(const Text& token);
  Text ids(const std::vector<Text>& tokens);  // one id per token

 private:
  std::unordered_map<Text, char32_t> ids_;
};

// n-gram → occurrences (Python's collections.Counter over tuples or substrings).
using NgramCounts = std::unordered_map<Text, int64_t>;
// Counts of every n-gram of `items` (token ids or characters) for one order n.
NgramCounts countNgrams(std::u32string_view items, int n);

}  // namespace distillery::scoring
