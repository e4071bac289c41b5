// Ports of sacreBLEU 2.x's tokenizer_13a.py, tokenizer_re.py, tokenizer_zh.py, tokenizer_intl.py and
// tokenizer_char.py. Each regex substitution is replayed as Python's re.sub does it: scan left to right, replace a
// match and continue after it (so in "a.." only the first pair matches the two-character patterns).
#include "eval/BleuTokenizers.h"

#include "common/Error.h"
#include "eval/Bleu.h"
#include "tokenizer/Unicode.h"

#include <QtCore/QChar>

namespace distillery {

using scoring::Text;

namespace {

bool isAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// tokenizer_re's first class [\{-\~\[-\` -\&\(-\+\:-\@\/]: ASCII punctuation and space except ' , - .
bool isRegexpSymbol(char32_t c) {
  return (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26) ||
         (c >= 0x28 && c <= 0x2B) || (c >= 0x3A && c <= 0x40) || c == U'/';
}

// One pass of re.sub for a two-character pattern (first, second) → before + c1 + middle + c2 + after.
template <typename First, typename Second>
Text substitutePairs(const Text& s, First first, Second second, std::u32string_view before,
                     std::u32string_view middle, std::u32string_view after) {
  Text out;
  out.reserve(s.size() + s.size() / 2);
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && first(s[i]) && second(s[i + 1])) {
      out += before;
      out += s[i];
      out += middle;
      out += s[i + 1];
      out += after;
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

template <typename Pred>
Text padSingles(const Text& s, Pred pred) {
  Text out;
  out.reserve(s.size() + s.size() / 2);
  for (char32_t c : s) {
    if (pred(c)) {
      out += U' ';
      out += c;
      out += U' ';
    } else {
      out += c;
    }
  }
  return out;
}

// TokenizerRegexp: the mteval-v13a punctuation rules shared by 13a and zh.
std::vector<Text> regexpTokens(const Text& line) {
  const auto dotComma = [](char32_t c) { return c == U'.' || c == U','; };
  const auto notDigit = [](char32_t c) { return !isAsciiDigit(c); };
  Text s = padSingles(line, isRegexpSymbol);
  s = substitutePairs(s, notDigit, dotComma, U"", U" ", U" ");   // ([^0-9])([\.,]) → \1 \2
  s = substitutePairs(s, dotComma, notDigit, U" ", U" ", U"");   // ([\.,])([^0-9]) →  \1 \2
  s = substitutePairs(s, isAsciiDigit, [](char32_t c) { return c == U'-'; }, U"", U" ", U" ");  // ([0-9])(-)
  return scoring::split(s);
}

void replaceAll(Text& s, std::u32string_view from, std::u32string_view to) {
  Text out;
  size_t i = 0;
  while (true) {
    const size_t at = s.find(from, i);
    if (at == Text::npos) break;
    out.append(s, i, at - i);
    out += to;
    i = at + from.size();
  }
  out.append(s, i, Text::npos);
  s = std::move(out);
}

std::vector<Text> tokens13a(std::u32string_view text) {
  Text line(text);
  replaceAll(line, U"<skipped>", U"");
  replaceAll(line, U"-\n", U"");
  replaceAll(line, U"\n", U" ");
  replaceAll(line, U"&quot;", U"\"");
  replaceAll(line, U"&amp;", U"&");
  replaceAll(line, U"&lt;", U"<");
  replaceAll(line, U"&gt;", U">");
  return regexpTokens(U" " + line + U" ");
}

// tokenizer_zh's _UCODE_RANGES compared as Python compares strings: the two five-digit entries ('\u20000',
// '\u2a6d6' and '\u2f800', '\u2fa1d') are really a BMP character followed by a digit, so they cover
// U+2001..U+2A6D and U+2F81..U+2FA1 (and not the supplementary-plane ideographs their comments name).
bool isChineseChar(char32_t c) {
  static constexpr char32_t ranges[][2] = {
      {0x3400, 0x4DB5}, {0x4E00, 0x9FA5}, {0x9FA6, 0x9FBB}, {0xF900, 0xFA2D}, {0xFA30, 0xFA6A}, {0xFA70, 0xFAD9},
      {0x2001, 0x2A6D}, {0x2F81, 0x2FA1}, {0xFF00, 0xFFEF}, {0x2E80, 0x2EFF}, {0x3000, 0x303F}, {0x31C0, 0x31EF},
      {0x2F00, 0x2FDF}, {0x2FF0, 0x2FFF}, {0x3100, 0x312F}, {0x31A0, 0x31BF}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F},
      {0x2600, 0x26FF}, {0x2700, 0x27BF}, {0x3200, 0x32FF}, {0x3300, 0x33FF}};
  for (const auto& r : ranges)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

std::vector<Text> tokensZh(std::u32string_view text) {
  return regexpTokens(padSingles(Text(scoring::strip(text)), isChineseChar));
}

bool isPunct(char32_t c) {  // \p{P}
  switch (QChar::category(c)) {
    case QChar::Punctuation_Connector: case QChar::Punctuation_Dash: case QChar::Punctuation_Open:
    case QChar::Punctuation_Close: case QChar::Punctuation_InitialQuote: case QChar::Punctuation_FinalQuote:
    case QChar::Punctuation_Other:
      return true;
    default:
      return false;
  }
}

bool isSymbol(char32_t c) {  // \p{S}
  switch (QChar::category(c)) {
    case QChar::Symbol_Math: case QChar::Symbol_Currency: case QChar::Symbol_Modifier: case QChar::Symbol_Other:
      return true;
    default:
      return false;
  }
}

// TokenizerV14International (mteval-v14): punctuation split off unless between digits, symbols always.
std::vector<Text> tokensIntl(std::u32string_view text) {
  const auto notNumber = [](char32_t c) { return !tokenizer::isNumeric(c); };  // \P{N}
  Text s = substitutePairs(Text(text), notNumber, isPunct, U"", U" ", U" ");  // (\P{N})(\p{P}) → \1 \2
  s = substitutePairs(s, isPunct, notNumber, U" ", U" ", U"");              // (\p{P})(\P{N}) →  \1 \2
  s = padSingles(s, isSymbol);                                              // (\p{S}) →  \1
  return scoring::split(s);
}

std::vector<Text> tokensChar(std::u32string_view text) {
  std::vector<Text> out;
  for (char32_t c : text)
    if (!scoring::isSpace(c)) out.emplace_back(1, c);
  return out;
}

}  // namespace

const QStringList& bleuTokenizerNames() {
  static const QStringList names{QStringLiteral("13a"), QStringLiteral("zh"), QStringLiteral("intl"),
                                 QStringLiteral("char"), QStringLiteral("none")};
  return names;
}

BleuTokenizer parseBleuTokenizer(const QString& name) {
  const int i = int(bleuTokenizerNames().indexOf(name));
  if (i < 0)
    throw Error({}, QStringLiteral("tokenize"), name,
                QStringLiteral("is not one of %1").arg(bleuTokenizerNames().join(QStringLiteral(", "))));
  return BleuTokenizer(i);
}

QString bleuTokenizerName(BleuTokenizer t) { return bleuTokenizerNames().at(int(t)); }

std::vector<Text> bleuTokens(std::u32string_view text, BleuTokenizer t) {
  switch (t) {
    case BleuTokenizer::V13a: return tokens13a(text);
    case BleuTokenizer::Zh: return tokensZh(text);
    case BleuTokenizer::Intl: return tokensIntl(text);
    case BleuTokenizer::Char: return tokensChar(text);
    case BleuTokenizer::None: break;
  }
  return scoring::split(text);
}

QString bleuTokenize(const QString& text, const QString& tokenizer) {
  return scoring::joinTokens(bleuTokens(scoring::toText(text), parseBleuTokenizer(tokenizer)));
}

}  // namespace distillery
