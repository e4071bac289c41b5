#include "eval/ScoringText.h"

#include "common/Error.h"
#include "tokenizer/Unicode.h"

namespace distillery::scoring {

Text toText(const QString& s) {
  Text out;
  out.reserve(size_t(s.size()));
  for (qsizetype i = 0; i < s.size();) out.push_back(tokenizer::nextCodePoint(s, i));
  return out;
}

QString fromText(std::u32string_view s) { return QString::fromUcs4(s.data(), qsizetype(s.size())); }

bool isSpace(char32_t c) { return tokenizer::isWhiteSpace(c) || (c >= 0x1C && c <= 0x1F); }

std::vector<Text> split(std::u32string_view s) {
  std::vector<Text> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isSpace(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !isSpace(s[i])) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::u32string_view rstrip(std::u32string_view s) {
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::u32string_view strip(std::u32string_view s) {
  s = rstrip(s);
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  return s;
}

Text removeSpaces(std::u32string_view s) {
  Text out;
  out.reserve(s.size());
  for (char32_t c : s)
    if (!isSpace(c)) out.push_back(c);
  return out;
}

QString joinTokens(const std::vector<Text>& tokens) {
  QString out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += QLatin1Char(' ');
    out += fromText(tokens[i]);
  }
  return out;
}

bool isAsciiPunctuation(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

void checkStreams(const QStringList& hyps, const QList<QStringList>& refs) {
  if (refs.isEmpty())
    throw Error({}, QStringLiteral("refs"), QStringLiteral("0"), QStringLiteral("needs a reference stream"));
  for (qsizetype k = 0; k < refs.size(); ++k)
    if (refs[k].size() != hyps.size())
      throw Error({}, QStringLiteral("refs"), QStringLiteral("stream %1").arg(k + 1),
                  QStringLiteral("has %1 segments but the hypotheses have %2").arg(refs[k].size()).arg(hyps.size()));
  if (hyps.isEmpty()) throw Error({}, QStringLiteral("hyps"), QStringLiteral("0"), QStringLiteral("has no segments"));
}

char32_t TokenIds::id(const Text& token) {
  return ids_.try_emplace(token, char32_t(ids_.size() + 1)).first->second;
}

Text TokenIds::ids(const std::vector<Text>& tokens) {
  Text out;
  out.reserve(tokens.size());
  for (const Text& t : tokens) out.push_back(id(t));
  return out;
}

NgramCounts countNgrams(std::u32string_view items, int n) {
  NgramCounts counts;
  if (n <= 0) return counts;
  for (size_t i = 0; i + size_t(n) <= items.size(); ++i) ++counts[Text(items.substr(i, size_t(n)))];
  return counts;
}

}  // namespace distillery::scoring
