#include "chat/PyText.h"

#include <charconv>
#include <cmath>

namespace distillery::py {

bool isSpace(char32_t c) {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  switch (c) {
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

bool isPrintable(char32_t c) {
  if (c == 0x20) return true;
  switch (QChar::category(c)) {
    case QChar::Other_Control: case QChar::Other_Format: case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse: case QChar::Other_NotAssigned: case QChar::Separator_Line:
    case QChar::Separator_Paragraph: case QChar::Separator_Space:
      return false;
    default:
      return true;
  }
}

QList<char32_t> codePoints(const QString& s) {
  QList<char32_t> out;
  out.reserve(s.size());
  for (qsizetype i = 0; i < s.size(); ++i) {
    const QChar c = s.at(i);
    if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
      out.append(QChar::surrogateToUcs4(c, s.at(i + 1)));
      ++i;
    } else {
      out.append(c.unicode());
    }
  }
  return out;
}

static void appendCodePoint(QString& out, char32_t c) {
  if (QChar::requiresSurrogates(c)) {
    out.append(QChar(QChar::highSurrogate(c)));
    out.append(QChar(QChar::lowSurrogate(c)));
  } else {
    out.append(QChar(char16_t(c)));
  }
}

QString fromCodePoints(const QList<char32_t>& cps, qsizetype from, qsizetype to) {
  if (to < 0 || to > cps.size()) to = cps.size();
  QString out;
  out.reserve(to - from);
  for (qsizetype i = from; i < to; ++i) appendCodePoint(out, cps[i]);
  return out;
}

static bool hasSurrogates(const QString& s) {
  for (QChar c : s)
    if (c.isSurrogate()) return true;
  return false;
}

qsizetype length(const QString& s) { return hasSurrogates(s) ? codePoints(s).size() : s.size(); }

QString strip(const QString& s, const std::optional<QString>& chars, bool left, bool right) {
  const QList<char32_t> cps = codePoints(s);
  const QList<char32_t> set = chars ? codePoints(*chars) : QList<char32_t>();
  auto drop = [&](char32_t c) { return chars ? set.contains(c) : isSpace(c); };
  qsizetype b = 0, e = cps.size();
  if (left)
    while (b < e && drop(cps[b])) ++b;
  if (right)
    while (e > b && drop(cps[e - 1])) --e;
  return fromCodePoints(cps, b, e);
}

static QStringList splitWhitespace(const QString& s, qsizetype maxsplit, bool fromRight) {
  const QList<char32_t> cps = codePoints(s);
  QStringList parts;
  if (!fromRight) {
    qsizetype i = 0, n = cps.size();
    while (true) {
      while (i < n && isSpace(cps[i])) ++i;
      if (i >= n) break;
      if (maxsplit >= 0 && parts.size() == maxsplit) {  // the rest, trailing whitespace included
        parts << fromCodePoints(cps, i);
        break;
      }
      qsizetype j = i;
      while (j < n && !isSpace(cps[j])) ++j;
      parts << fromCodePoints(cps, i, j);
      i = j;
    }
    return parts;
  }
  qsizetype i = cps.size();
  while (true) {
    while (i > 0 && isSpace(cps[i - 1])) --i;
    if (i <= 0) break;
    if (maxsplit >= 0 && parts.size() == maxsplit) {  // the rest, leading whitespace included
      parts.prepend(fromCodePoints(cps, 0, i));
      break;
    }
    qsizetype j = i;
    while (j > 0 && !isSpace(cps[j - 1])) --j;
    parts.prepend(fromCodePoints(cps, j, i));
    i = j;
  }
  return parts;
}

QStringList split(const QString& s, const std::optional<QString>& sep, qsizetype maxsplit) {
  if (!sep) return splitWhitespace(s, maxsplit, false);
  QStringList parts;
  qsizetype from = 0;
  while (maxsplit < 0 || parts.size() < maxsplit) {
    const qsizetype at = s.indexOf(*sep, from);
    if (at < 0) break;
    parts << s.mid(from, at - from);
    from = at + sep->size();
  }
  parts << s.mid(from);
  return parts;
}

QStringList rsplit(const QString& s, const std::optional<QString>& sep, qsizetype maxsplit) {
  if (!sep) return splitWhitespace(s, maxsplit, true);
  if (maxsplit < 0) return split(s, sep, -1);
  QStringList parts;
  qsizetype end = s.size();
  while (parts.size() < maxsplit) {
    const qsizetype at = end - sep->size() < 0 ? -1 : s.lastIndexOf(*sep, end - sep->size());
    if (at < 0) break;
    parts.prepend(s.mid(at + sep->size(), end - at - sep->size()));
    end = at;
  }
  parts.prepend(s.left(end));
  return parts;
}

static bool isLineBreak(char32_t c) {
  switch (c) {
    case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x1c: case 0x1d: case 0x1e: case 0x85: case 0x2028:
    case 0x2029:
      return true;
    default:
      return false;
  }
}

QStringList splitLines(const QString& s, bool keepEnds) {
  const QList<char32_t> cps = codePoints(s);
  QStringList lines;
  qsizetype start = 0, i = 0;
  while (i < cps.size()) {
    if (!isLineBreak(cps[i])) {
      ++i;
      continue;
    }
    qsizetype end = i + 1;
    if (cps[i] == 0x0d && end < cps.size() && cps[end] == 0x0a) ++end;
    lines << fromCodePoints(cps, start, keepEnds ? end : i);
    start = i = end;
  }
  if (start < cps.size()) lines << fromCodePoints(cps, start);
  return lines;
}

QString replace(const QString& s, const QString& before, const QString& after, qsizetype count) {
  if (count == 0) return s;
  if (before.isEmpty()) {
    const QList<char32_t> cps = codePoints(s);
    QString out;
    qsizetype done = 0;
    for (qsizetype i = 0; i <= cps.size(); ++i) {
      if (count < 0 || done < count) {
        out += after;
        ++done;
      }
      if (i < cps.size()) appendCodePoint(out, cps[i]);
    }
    return out;
  }
  QString out;
  qsizetype from = 0, done = 0;
  while (count < 0 || done < count) {
    const qsizetype at = s.indexOf(before, from);
    if (at < 0) break;
    out += QStringView(s).mid(from, at - from);
    out += after;
    from = at + before.size();
    ++done;
  }
  out += QStringView(s).mid(from);
  return out;
}

QString upper(const QString& s) { return s.toUpper(); }
QString lower(const QString& s) { return s.toLower(); }

static bool isCased(char32_t c) {
  return QChar::isLower(c) || QChar::isUpper(c) || QChar::isTitleCase(c);
}

QString title(const QString& s) {
  QString out;
  bool previousCased = false;
  for (char32_t c : codePoints(s)) {
    if (QChar::isUpper(c) || QChar::isTitleCase(c)) {
      const QString one = QString::fromUcs4(&c, 1);
      out += previousCased ? one.toLower() : one;
    } else if (QChar::isLower(c)) {
      if (previousCased) appendCodePoint(out, c);
      else appendCodePoint(out, QChar::toTitleCase(c));
    } else {
      appendCodePoint(out, c);
    }
    previousCased = isCased(c);
  }
  return out;
}

QString capitalize(const QString& s) {
  const QList<char32_t> cps = codePoints(s);
  if (cps.isEmpty()) return s;
  QString out;
  appendCodePoint(out, QChar::toTitleCase(cps[0]));
  return out + fromCodePoints(cps, 1).toLower();
}

qsizetype find(const QString& s, const QString& needle, bool fromRight) {
  const qsizetype at = fromRight ? s.lastIndexOf(needle) : s.indexOf(needle);
  if (at < 0) return -1;
  return hasSurrogates(s) ? length(s.left(at)) : at;
}

int compare(const QString& a, const QString& b) {
  if (!hasSurrogates(a) && !hasSurrogates(b)) {
    const int c = a.compare(b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  const QList<char32_t> x = codePoints(a), y = codePoints(b);
  for (qsizetype i = 0; i < x.size() && i < y.size(); ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
}

QString repr(const QString& s) {
  const QChar quote = s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"')) ? QLatin1Char('"')
                                                                                      : QLatin1Char('\'');
  QString out(quote);
  for (char32_t c : codePoints(s)) {
    if (c == quote.unicode() || c == U'\\') {
      out += QLatin1Char('\\');
      appendCodePoint(out, c);
    } else if (c == U'\t') {
      out += QLatin1String("\\t");
    } else if (c == U'\n') {
      out += QLatin1String("\\n");
    } else if (c == U'\r') {
      out += QLatin1String("\\r");
    } else if (c < 0x20 || c == 0x7f) {
      out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    } else if (c < 0x7f || isPrintable(c)) {
      appendCodePoint(out, c);
    } else if (c <= 0xff) {
      out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    } else if (c <= 0xffff) {
      out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
    } else {
      out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
    }
  }
  out += quote;
  return out;
}

QString floatRepr(double d) {
  if (std::isnan(d)) return QStringLiteral("nan");
  if (std::isinf(d)) return d < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
  // Shortest round-trip digits in scientific form, then laid out the way CPython's float_repr_style
  // 'short' does: plain notation for exponents -4..15, otherwise d.ddde+XX.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string sci(buf, res.ptr);
  const size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  const int exp = std::stoi(sci.substr(e + 1));
  const bool negative = mant[0] == '-';
  if (negative) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    out.append(digits, 0, 1);
    if (digits.size() > 1) out.append(1, '.').append(digits, 1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out.append(eb);
  } else if (exp < 0) {
    out.append("0.").append(size_t(-exp - 1), '0').append(digits);
  } else {
    const size_t intLen = size_t(exp) + 1;
    if (digits.size() <= intLen) out.append(digits).append(intLen - digits.size(), '0').append(".0");
    else out.append(digits, 0, intLen).append(1, '.').append(digits, intLen);
  }
  return QString::fromLatin1(out);
}

}  // namespace distillery::py
