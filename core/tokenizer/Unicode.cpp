#include "tokenizer/Unicode.h"

#include <QtCore/QChar>

namespace distillery::tokenizer {

void appendUtf8(std::string& out, QStringView s) {
  const qsizetype n = s.size();
  const char16_t* p = reinterpret_cast<const char16_t*>(s.utf16());
  qsizetype i = 0;
  while (i < n) {
    // Fast path for runs of ASCII.
    while (i < n && p[i] < 0x80) out.push_back(char(p[i++]));
    if (i >= n) break;
    char32_t c = p[i++];
    if (c >= 0xD800 && c < 0xE000) {
      if (c < 0xDC00 && i < n && p[i] >= 0xDC00 && p[i] < 0xE000) c = 0x10000 + ((c - 0xD800) << 10) + (p[i++] - 0xDC00);
      else c = 0xFFFD;
    }
    if (c < 0x800) {
      out.push_back(char(0xC0 | (c >> 6)));
      out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(char(0xE0 | (c >> 12)));
      out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(char(0x80 | (c & 0x3F)));
    } else {
      out.push_back(char(0xF0 | (c >> 18)));
      out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(char(0x80 | (c & 0x3F)));
    }
  }
}

// Decodes one UTF-8 sequence at bytes[i]. Returns the code point, or -1 with *consumed = the length of the
// maximal invalid prefix (at least 1), which is what Rust replaces by one U+FFFD.
static int32_t decodeOne(std::string_view b, size_t i, size_t* consumed) {
  const auto at = [&](size_t k) { return uint8_t(b[k]); };
  const uint8_t c0 = at(i);
  if (c0 < 0x80) {
    *consumed = 1;
    return c0;
  }
  int need = 0;
  uint8_t lo = 0x80, hi = 0xBF;
  int32_t cp = 0;
  if (c0 >= 0xC2 && c0 <= 0xDF) need = 1, cp = c0 & 0x1F;
  else if (c0 == 0xE0) need = 2, lo = 0xA0, cp = c0 & 0x0F;
  else if ((c0 >= 0xE1 && c0 <= 0xEC) || c0 == 0xEE || c0 == 0xEF) need = 2, cp = c0 & 0x0F;
  else if (c0 == 0xED) need = 2, hi = 0x9F, cp = c0 & 0x0F;
  else if (c0 == 0xF0) need = 3, lo = 0x90, cp = c0 & 0x07;
  else if (c0 >= 0xF1 && c0 <= 0xF3) need = 3, cp = c0 & 0x07;
  else if (c0 == 0xF4) need = 3, hi = 0x8F, cp = c0 & 0x07;
  else {
    *consumed = 1;
    return -1;
  }
  size_t k = i + 1;
  for (int j = 0; j < need; ++j, ++k) {
    if (k >= b.size()) {
      *consumed = k - i;
      return -1;
    }
    const uint8_t c = at(k);
    const uint8_t l = j == 0 ? lo : 0x80, h = j == 0 ? hi : 0xBF;
    if (c < l || c > h) {
      *consumed = k - i;
      return -1;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *consumed = k - i;
  return cp;
}

QString fromUtf8Lossy(std::string_view bytes) {
  QString out;
  out.reserve(qsizetype(bytes.size()));
  size_t i = 0;
  while (i < bytes.size()) {
    size_t n = 0;
    const int32_t cp = decodeOne(bytes, i, &n);
    if (cp < 0) out.append(QChar(0xFFFD));
    else if (cp < 0x10000) out.append(QChar(char16_t(cp)));
    else out.append(QChar::fromUcs4(char32_t(cp)));
    i += n;
  }
  return out;
}

bool isValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    size_t n = 0;
    if (decodeOne(bytes, i, &n) < 0) return false;
    i += n;
  }
  return true;
}

bool isWhiteSpace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool isNumeric(char32_t c) {
  const auto cat = QChar::category(c);
  return cat == QChar::Number_DecimalDigit || cat == QChar::Number_Letter || cat == QChar::Number_Other;
}

static bool isLetter(QChar::Category cat) {
  return cat >= QChar::Letter_Uppercase && cat <= QChar::Letter_Other;
}

bool isCombiningMark(char32_t c) {
  const auto cat = QChar::category(c);
  return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_SpacingCombining || cat == QChar::Mark_Enclosing;
}

bool isAlphabetic(char32_t c) {
  const auto cat = QChar::category(c);
  return isLetter(cat) || cat == QChar::Number_Letter || cat == QChar::Mark_SpacingCombining ||
         cat == QChar::Mark_NonSpacing;
}

bool isPunctuation(char32_t c) {
  if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
                       (c >= 0x7B && c <= 0x7E);
  const auto cat = QChar::category(c);
  return cat >= QChar::Punctuation_Connector && cat <= QChar::Punctuation_Other;
}

bool isWordChar(char32_t c) {
  const auto cat = QChar::category(c);
  return isLetter(cat) || (cat >= QChar::Mark_NonSpacing && cat <= QChar::Mark_Enclosing) ||
         cat == QChar::Number_DecimalDigit || cat == QChar::Punctuation_Connector;
}

const ByteAlphabet& ByteAlphabet::get() {
  static const ByteAlphabet table = [] {
    ByteAlphabet t;
    t.byteOf.fill(-1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const char16_t c = printable ? char16_t(b) : char16_t(256 + n++);
      t.charOf[b] = c;
      t.byteOf[c] = int16_t(b);
    }
    return t;
  }();
  return table;
}

QString toByteLevel(std::string_view bytes) {
  const ByteAlphabet& a = ByteAlphabet::get();
  QString out(qsizetype(bytes.size()), Qt::Uninitialized);
  QChar* d = out.data();
  for (size_t i = 0; i < bytes.size(); ++i) d[i] = QChar(a.charOf[uint8_t(bytes[i])]);
  return out;
}

}  // namespace distillery::tokenizer
