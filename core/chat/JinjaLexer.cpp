#include "chat/JinjaLexer.h"

#include "chat/JinjaError.h"
#include "chat/PyText.h"

namespace distillery::jinja {

QString normalizeTemplateSource(const QString& source) {
  QString s = source;
  s.replace(QLatin1String("\r\n"), QLatin1String("\n"));
  s.replace(QLatin1Char('\r'), QLatin1Char('\n'));
  if (s.endsWith(QLatin1Char('\n'))) s.chop(1);
  return s;
}

namespace {

class Lexer {
 public:
  explicit Lexer(const QString& s) : s_(s), n_(s.size()) {}

  std::vector<Token> run() {
    bool lineStarting = true;
    while (pos_ < n_) {
      qsizetype i = pos_;
      while (i + 1 < n_ && !(s_[i] == QLatin1Char('{') &&
                             (s_[i + 1] == QLatin1Char('{') || s_[i + 1] == QLatin1Char('%') ||
                              s_[i + 1] == QLatin1Char('#'))))
        ++i;
      if (i + 1 >= n_) {
        emitData(s_.mid(pos_), pos_);
        break;
      }
      const QChar kind = s_[i + 1];
      qsizetype after = i + 2;
      QChar sign;
      if (after < n_ && (s_[after] == QLatin1Char('-') || s_[after] == QLatin1Char('+'))) sign = s_[after++];
      qsizetype rawEnd = -1;
      if (kind == QLatin1Char('%')) rawEnd = matchRawBegin(after);

      QString text = s_.mid(pos_, i - pos_);
      text = lstrip(text, sign, kind != QLatin1Char('{'), lineStarting);
      emitData(text, pos_);

      if (rawEnd >= 0) {
        lineStarting = s_[rawEnd - 1] == QLatin1Char('\n');
        pos_ = rawEnd;
        lineStarting = rawBody(i, lineStarting);
        continue;
      }
      pos_ = after;
      if (kind == QLatin1Char('#')) {
        lineStarting = comment(i);
      } else {
        lineStarting = tag(kind == QLatin1Char('%'), i);
        if (pos_ < 0) break;  // ran out of text inside a tag: the parser reports it
      }
    }
    tokens_.push_back(Token{Token::Eof, QString(), 0, 0, n_});
    return std::move(tokens_);
  }

 private:
  [[noreturn]] void fail(const QString& construct, const QString& message, qsizetype at) {
    throw TemplateError(TemplateError::Syntax, construct, message, at);
  }

  bool startsWith(qsizetype at, const char* lit) const {
    for (qsizetype k = 0; lit[k]; ++k)
      if (at + k >= n_ || s_[at + k] != QLatin1Char(lit[k])) return false;
    return true;
  }
  qsizetype skipSpace(qsizetype at) const {
    while (at < n_ && py::isSpace(s_[at].unicode())) ++at;
    return at;
  }

  // Whitespace control on the text before a tag: `-` strips all trailing whitespace; otherwise
  // lstrip_blocks removes the indentation of a block/comment tag that starts its line.
  QString lstrip(const QString& text, QChar sign, bool blockOrComment, bool lineStarting) const {
    if (sign == QLatin1Char('-')) return py::strip(text, std::nullopt, false, true);
    if (sign == QLatin1Char('+') || !blockOrComment) return text;
    const qsizetype lpos = text.lastIndexOf(QLatin1Char('\n')) + 1;
    if (lpos == 0 && !lineStarting) return text;
    if (lpos >= text.size()) return text;
    for (qsizetype k = lpos; k < text.size(); ++k)
      if (!py::isSpace(text[k].unicode())) return text;
    return text.left(lpos);
  }

  void emitData(const QString& text, qsizetype at) {
    if (!text.isEmpty()) tokens_.push_back(Token{Token::Data, text, 0, 0, at});
  }

  // `{%[-+]? raw (-%}\s*|%})`: returns the end offset of the opening raw tag, or -1.
  qsizetype matchRawBegin(qsizetype at) const {
    at = skipSpace(at);
    if (!startsWith(at, "raw")) return -1;
    at = skipSpace(at + 3);
    if (startsWith(at, "-%}")) return skipSpace(at + 3);
    if (startsWith(at, "%}")) return at + 2;
    return -1;
  }

  bool rawBody(qsizetype openedAt, bool lineStarting) {
    if (pos_ >= n_) return false;  // Jinja's lexer stops quietly when the text ends right after the tag
    for (qsizetype k = pos_; k + 1 < n_; ++k) {
      if (!startsWith(k, "{%")) continue;
      qsizetype j = k + 2;
      QChar sign;
      if (j < n_ && (s_[j] == QLatin1Char('-') || s_[j] == QLatin1Char('+'))) sign = s_[j++];
      j = skipSpace(j);
      if (!startsWith(j, "endraw")) continue;
      j = skipSpace(j + 6);
      qsizetype end = -1;
      if (startsWith(j, "+%}")) end = j + 3;
      else if (startsWith(j, "-%}")) end = skipSpace(j + 3);
      else if (startsWith(j, "%}")) end = j + 2 + (j + 2 < n_ && s_[j + 2] == QLatin1Char('\n') ? 1 : 0);
      if (end < 0) continue;
      emitData(lstrip(s_.mid(pos_, k - pos_), sign, true, lineStarting), pos_);
      pos_ = end;
      return s_[end - 1] == QLatin1Char('\n');
    }
    fail(QStringLiteral("{% raw %}"), QStringLiteral("is missing its {% endraw %}"), openedAt);
  }

  bool comment(qsizetype openedAt) {
    if (pos_ >= n_) return false;  // as for raw: nothing after the opener is not an error in Jinja
    for (qsizetype k = pos_; k < n_; ++k) {
      qsizetype end = -1;
      if (startsWith(k, "+#}")) end = k + 3;
      else if (startsWith(k, "-#}")) end = skipSpace(k + 3);
      else if (startsWith(k, "#}")) end = k + 2 + (k + 2 < n_ && s_[k + 2] == QLatin1Char('\n') ? 1 : 0);
      if (end < 0) continue;
      pos_ = end;
      return s_[end - 1] == QLatin1Char('\n');
    }
    fail(QStringLiteral("{#"), QStringLiteral("is missing its end of comment tag #}"), openedAt);
  }

  // Expression tokens up to the closing `%}` / `}}`; returns whether the closing match ended a line.
  bool tag(bool block, qsizetype openedAt) {
    tokens_.push_back(Token{block ? Token::BlockBegin : Token::VariableBegin,
                            block ? QStringLiteral("{%") : QStringLiteral("{{"), 0, 0, openedAt});
    std::vector<QChar> balance;
    while (true) {
      if (pos_ >= n_) {
        pos_ = -1;
        return false;
      }
      if (balance.empty()) {
        qsizetype end = -1;
        if (block) {
          if (startsWith(pos_, "+%}")) end = pos_ + 3;
          else if (startsWith(pos_, "-%}")) end = skipSpace(pos_ + 3);
          else if (startsWith(pos_, "%}"))
            end = pos_ + 2 + (pos_ + 2 < n_ && s_[pos_ + 2] == QLatin1Char('\n') ? 1 : 0);
        } else {
          if (startsWith(pos_, "-}}")) end = skipSpace(pos_ + 3);
          else if (startsWith(pos_, "}}")) end = pos_ + 2;
        }
        if (end >= 0) {
          tokens_.push_back(Token{block ? Token::BlockEnd : Token::VariableEnd,
                                  block ? QStringLiteral("%}") : QStringLiteral("}}"), 0, 0, pos_});
          pos_ = end;
          return s_[end - 1] == QLatin1Char('\n');
        }
      }
      const QChar c = s_[pos_];
      if (py::isSpace(c.unicode())) {
        pos_ = skipSpace(pos_);
        continue;
      }
      if (number()) continue;
      if (name()) continue;
      if (string()) continue;
      if (op(balance)) continue;
      fail(QString(c), QStringLiteral("is an unexpected character"), pos_);
    }
  }

  static bool isDigit(QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); }
  qsizetype digits(qsizetype at) const {  // (\d+_)*\d+ ; returns end or -1
    if (at >= n_ || !isDigit(s_[at])) return -1;
    while (true) {
      while (at < n_ && isDigit(s_[at])) ++at;
      if (at + 1 < n_ && s_[at] == QLatin1Char('_') && isDigit(s_[at + 1])) {
        ++at;
        continue;
      }
      return at;
    }
  }

  bool number() {
    const qsizetype start = pos_;
    if (!isDigit(s_[start])) return false;
    // float: (?<!\.)(\d+_)*\d+((\.(\d+_)*\d+)?e[+\-]?(\d+_)*\d+|\.(\d+_)*\d+)
    if (start == 0 || s_[start - 1] != QLatin1Char('.')) {
      const qsizetype intEnd = digits(start);
      qsizetype end = -1;
      qsizetype at = intEnd;
      qsizetype fracEnd = -1;
      if (at < n_ && s_[at] == QLatin1Char('.')) fracEnd = digits(at + 1);
      auto exponent = [&](qsizetype from) -> qsizetype {
        if (from < n_ && (s_[from] == QLatin1Char('e') || s_[from] == QLatin1Char('E'))) {
          qsizetype k = from + 1;
          if (k < n_ && (s_[k] == QLatin1Char('+') || s_[k] == QLatin1Char('-'))) ++k;
          return digits(k);
        }
        return -1;
      };
      if (fracEnd >= 0) {
        const qsizetype e = exponent(fracEnd);
        end = e >= 0 ? e : fracEnd;
      } else {
        end = exponent(intEnd);
      }
      if (end >= 0) {
        QString text = s_.mid(start, end - start);
        text.remove(QLatin1Char('_'));
        bool ok = false;
        const double d = text.toDouble(&ok);
        tokens_.push_back(Token{Token::Float, text, 0, ok ? d : 0, start});
        pos_ = end;
        return true;
      }
    }
    // integer: 0b.. 0o.. 0x.. [1-9](_?\d)* 0(_?0)*
    int base = 10;
    qsizetype at = start;
    auto isBaseDigit = [&](QChar c) {
      const char16_t u = c.toLower().unicode();
      if (base == 2) return u == '0' || u == '1';
      if (base == 8) return u >= '0' && u <= '7';
      if (base == 16) return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f');
      return u >= '0' && u <= '9';
    };
    auto run = [&](qsizetype from) {  // (_?d)+ ; returns end (== from when nothing matched)
      qsizetype k = from;
      while (true) {
        if (k < n_ && isBaseDigit(s_[k])) {
          ++k;
        } else if (k + 1 < n_ && s_[k] == QLatin1Char('_') && isBaseDigit(s_[k + 1])) {
          k += 2;
        } else {
          return k;
        }
      }
    };
    qsizetype end = -1;
    if (s_[start] == QLatin1Char('0') && start + 1 < n_) {
      const QChar p = s_[start + 1].toLower();
      base = p == QLatin1Char('b') ? 2 : p == QLatin1Char('o') ? 8 : p == QLatin1Char('x') ? 16 : 10;
      if (base != 10) {
        const qsizetype k = run(start + 2);
        if (k > start + 2) end = k;
        else base = 10;
      }
    }
    if (end < 0) {
      base = 10;
      if (s_[start] == QLatin1Char('0')) {
        at = start + 1;
        while (true) {
          if (at < n_ && s_[at] == QLatin1Char('0')) ++at;
          else if (at + 1 < n_ && s_[at] == QLatin1Char('_') && s_[at + 1] == QLatin1Char('0')) at += 2;
          else break;
        }
        end = at;
      } else {
        end = run(start + 1);
      }
    }
    QString text = s_.mid(start, end - start);
    QString digitsOnly = text;
    digitsOnly.remove(QLatin1Char('_'));
    if (base != 10) digitsOnly = digitsOnly.mid(2);
    bool ok = false;
    const qint64 v = digitsOnly.toLongLong(&ok, base);
    if (!ok) throw TemplateError(TemplateError::Unsupported, text, QStringLiteral("is too large an integer"), start);
    tokens_.push_back(Token{Token::Integer, text, v, 0, start});
    pos_ = end;
    return true;
  }

  static bool isNameChar(QChar c) {
    return c == QLatin1Char('_') || c.isLetterOrNumber() || c.isMark() || c.isSurrogate();
  }
  bool name() {
    const QChar c = s_[pos_];
    if (!(c == QLatin1Char('_') || c.isLetter() || c.isSurrogate())) return false;
    const qsizetype start = pos_;
    qsizetype k = pos_;
    while (k < n_ && isNameChar(s_[k])) ++k;
    tokens_.push_back(Token{Token::Name, s_.mid(start, k - start), 0, 0, start});
    pos_ = k;
    return true;
  }

  bool string() {
    const QChar quote = s_[pos_];
    if (quote != QLatin1Char('\'') && quote != QLatin1Char('"')) return false;
    qsizetype k = pos_ + 1;
    while (k < n_ && s_[k] != quote) k += s_[k] == QLatin1Char('\\') ? 2 : 1;
    if (k >= n_) return false;  // unterminated: falls through to "unexpected character"
    tokens_.push_back(Token{Token::String, decode(s_.mid(pos_ + 1, k - pos_ - 1), pos_), 0, 0, pos_});
    pos_ = k + 1;
    return true;
  }

  // Python's `.encode("ascii", "backslashreplace").decode("unicode-escape")` on a string literal's body.
  QString decode(const QString& body, qsizetype at) {
    if (!body.contains(QLatin1Char('\\'))) return body;
    const QList<char32_t> cps = py::codePoints(body);
    QString out;
    auto hex = [&](qsizetype from, int count, const char* what) -> char32_t {
      char32_t v = 0;
      for (int k = 0; k < count; ++k) {
        if (from + k >= cps.size()) fail(QStringLiteral("\\"), QString::fromLatin1(what), at);
        const char32_t c = cps[from + k];
        int d = -1;
        if (c >= '0' && c <= '9') d = int(c - '0');
        else if (c >= 'a' && c <= 'f') d = int(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = int(c - 'A' + 10);
        if (d < 0) fail(QStringLiteral("\\"), QString::fromLatin1(what), at);
        v = v * 16 + char32_t(d);
      }
      return v;
    };
    auto put = [&](char32_t c) { out += QString::fromUcs4(&c, 1); };
    for (qsizetype k = 0; k < cps.size(); ++k) {
      const char32_t c = cps[k];
      if (c != '\\' || k + 1 >= cps.size()) {
        put(c);
        continue;
      }
      const char32_t e = cps[++k];
      switch (e) {
        case '\n': break;
        case '\\': put('\\'); break;
        case '\'': put('\''); break;
        case '"': put('"'); break;
        case 'a': put(7); break;
        case 'b': put(8); break;
        case 'f': put(12); break;
        case 'n': put(10); break;
        case 'r': put(13); break;
        case 't': put(9); break;
        case 'v': put(11); break;
        case 'x': put(hex(k + 1, 2, "truncated \\xXX escape")); k += 2; break;
        case 'u': put(hex(k + 1, 4, "truncated \\uXXXX escape")); k += 4; break;
        case 'U': {
          const char32_t v = hex(k + 1, 8, "truncated \\UXXXXXXXX escape");
          if (v > 0x10ffff) fail(QStringLiteral("\\U"), QStringLiteral("is an illegal Unicode character"), at);
          put(v);
          k += 8;
          break;
        }
        case 'N': unsupported(QStringLiteral("\\N{...} escape"), at);
        default:
          if (e >= '0' && e <= '7') {
            char32_t v = e - '0';
            for (int d = 0; d < 2 && k + 1 < cps.size() && cps[k + 1] >= '0' && cps[k + 1] <= '7'; ++d)
              v = v * 8 + (cps[++k] - '0');
            put(v);
          } else if (e > 0x7f) {
            // backslashreplace turned the character into an escape that unicode-escape reads literally
            out += QLatin1Char('\\');
            out += e <= 0xff     ? QStringLiteral("x%1").arg(uint(e), 2, 16, QLatin1Char('0'))
                   : e <= 0xffff ? QStringLiteral("u%1").arg(uint(e), 4, 16, QLatin1Char('0'))
                                 : QStringLiteral("U%1").arg(uint(e), 8, 16, QLatin1Char('0'));
          } else {
            put('\\');
            put(e);
          }
      }
    }
    return out;
  }

  bool op(std::vector<QChar>& balance) {
    static const char* const two[] = {"//", "**", "==", "!=", ">=", "<="};
    for (const char* o : two)
      if (startsWith(pos_, o)) {
        tokens_.push_back(Token{Token::Operator, QString::fromLatin1(o), 0, 0, pos_});
        pos_ += 2;
        return true;
      }
    const QChar c = s_[pos_];
    if (!QStringLiteral("+-/*%~[](){}><=.:|,;").contains(c)) return false;
    if (c == QLatin1Char('(')) balance.push_back(QLatin1Char(')'));
    else if (c == QLatin1Char('[')) balance.push_back(QLatin1Char(']'));
    else if (c == QLatin1Char('{')) balance.push_back(QLatin1Char('}'));
    else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
      if (balance.empty()) fail(QString(c), QStringLiteral("is unexpected (nothing to close)"), pos_);
      if (balance.back() != c)
        fail(QString(c), QStringLiteral("is unexpected, expected '%1'").arg(balance.back()), pos_);
      balance.pop_back();
    }
    tokens_.push_back(Token{Token::Operator, QString(c), 0, 0, pos_});
    ++pos_;
    return true;
  }

  const QString& s_;
  const qsizetype n_;
  qsizetype pos_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> tokenize(const QString& source) { return Lexer(source).run(); }

}  // namespace distillery::jinja
