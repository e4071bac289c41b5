// Text helpers shared by the tokenizer stages: UTF-16 → UTF-8, Rust's lossy UTF-8 decoding, the character
// classes Rust's `char` methods use, and GPT-2's byte-level alphabet.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <array>
#include <string>
#include <string_view>

namespace distillery::tokenizer {

// Appends s as UTF-8 (lone surrogates become U+FFFD, as Qt does).
void appendUtf8(std::string& out, QStringView s);
inline std::string toUtf8(QStringView s) {
  std::string out;
  appendUtf8(out, s);
  return out;
}

// Rust's String::from_utf8_lossy: each maximal invalid subsequence becomes one U+FFFD.
QString fromUtf8Lossy(std::string_view bytes);
// True when bytes are valid UTF-8 (Rust's String::from_utf8 would succeed).
bool isValidUtf8(std::string_view bytes);

// The next code point of s at i (UTF-16); advances i past it.
inline char32_t nextCodePoint(QStringView s, qsizetype& i) {
  const char16_t c = s[i++].unicode();
  if (QChar::isHighSurrogate(c) && i < s.size() && QChar::isLowSurrogate(s[i].unicode()))
    return QChar::surrogateToUcs4(c, s[i++].unicode());
  return c;
}

// Rust's char::is_whitespace (the Unicode White_Space property).
bool isWhiteSpace(char32_t c);
// Rust's char::is_numeric (general categories Nd, Nl, No).
bool isNumeric(char32_t c);
// Rust's char::is_alphabetic, approximated by L* and Nl plus combining marks (Other_Alphabetic is mostly marks).
bool isAlphabetic(char32_t c);
// tokenizers' is_punc: ASCII punctuation or a Unicode P* category.
bool isPunctuation(char32_t c);
// A regex word character (\w): letters, marks, decimal digits, connector punctuation.
bool isWordChar(char32_t c);
// Unicode combining marks (Mn, Mc, Me), what StripAccents removes.
bool isCombiningMark(char32_t c);

// GPT-2's byte ↔ character table: printable Latin-1 bytes map to themselves, the rest to U+0100 + n.
struct ByteAlphabet {
  std::array<char16_t, 256> charOf{};   // byte → character
  std::array<int16_t, 324> byteOf{};    // character (< 324) → byte, or -1
  static const ByteAlphabet& get();
  int byteFor(char32_t c) const { return c < byteOf.size() ? byteOf[c] : -1; }
};

// The byte-level form of s's UTF-8 bytes (what the ByteLevel pre-tokenizer hands the model).
QString toByteLevel(std::string_view bytes);

}  // namespace distillery::tokenizer
