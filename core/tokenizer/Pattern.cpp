#include "tokenizer/Pattern.h"

#include "tokenizer/FastSplit.h"
#include "tokenizer/Unicode.h"

#include <QtCore/QRegularExpression>

namespace distillery::tokenizer {

namespace {

class LiteralPattern : public Pattern {
 public:
  explicit LiteralPattern(QString text) : text_(std::move(text)) {}
  void findMatches(QStringView s, std::vector<Span>& out) const override {
    if (s.isEmpty()) {
      out.push_back({0, 0, false});
      return;
    }
    qsizetype prev = 0;
    if (!text_.isEmpty()) {
      for (qsizetype at = s.indexOf(text_); at >= 0; at = s.indexOf(text_, at + text_.size())) {
        if (at > prev) out.push_back({prev, at, false});
        out.push_back({at, at + text_.size(), true});
        prev = at + text_.size();
      }
    }
    if (prev < s.size()) out.push_back({prev, s.size(), false});
  }

 private:
  QString text_;
};

class RegexPattern : public Pattern {
 public:
  explicit RegexPattern(QRegularExpression re) : re_(std::move(re)) {}
  void findMatches(QStringView s, std::vector<Span>& out) const override {
    if (s.isEmpty()) {
      out.push_back({0, 0, false});
      return;
    }
    qsizetype prev = 0;
    QRegularExpressionMatchIterator it = re_.globalMatch(s);
    while (it.hasNext()) {
      const QRegularExpressionMatch m = it.next();
      const qsizetype b = m.capturedStart(), e = m.capturedEnd();
      if (b > prev) out.push_back({prev, b, false});
      out.push_back({b, e, true});
      prev = e;
    }
    if (prev < s.size()) out.push_back({prev, s.size(), false});
  }

 private:
  QRegularExpression re_;
};

class CharPattern : public Pattern {
 public:
  CharPattern(bool (*pred)(char32_t), char32_t only) : pred_(pred), only_(only) {}
  void findMatches(QStringView s, std::vector<Span>& out) const override {
    if (s.isEmpty()) {
      out.push_back({0, 0, false});
      return;
    }
    qsizetype prev = 0, i = 0;
    while (i < s.size()) {
      const qsizetype at = i;
      const char32_t c = nextCodePoint(s, i);
      if (pred_ ? pred_(c) : c == only_) {
        if (at > prev) out.push_back({prev, at, false});
        out.push_back({at, i, true});
        prev = i;
      }
    }
    if (prev < s.size()) out.push_back({prev, s.size(), false});
  }

 private:
  bool (*pred_)(char32_t);
  char32_t only_;
};

// Oniguruma's \s (White_Space), written for a PCRE2 character class body.
const QString kSpaceBody = QStringLiteral(
    "\\x{09}-\\x{0D}\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}");
const QString kWordBody = QStringLiteral("\\p{L}\\p{M}\\p{Nd}\\p{Pc}");
const QString kHexBody = QStringLiteral("0-9a-fA-F");

}  // namespace

QString onigToPcre(const QString& p) {
  QString out;
  out.reserve(p.size() + 32);
  int classDepth = 0;
  for (qsizetype i = 0; i < p.size(); ++i) {
    const QChar c = p[i];
    if (c == QLatin1Char('\\') && i + 1 < p.size()) {
      const QChar e = p[++i];
      const QString* body = nullptr;
      bool negated = false;
      switch (e.unicode()) {
        case 's': body = &kSpaceBody; break;
        case 'S': body = &kSpaceBody, negated = true; break;
        case 'w': body = &kWordBody; break;
        case 'W': body = &kWordBody, negated = true; break;
        case 'h': body = &kHexBody; break;
        case 'H': body = &kHexBody, negated = true; break;
        default: break;
      }
      if (body && classDepth == 0) {
        out += (negated ? QStringLiteral("[^") : QStringLiteral("[")) + *body + QLatin1Char(']');
      } else if (body && !negated) {
        out += *body;
      } else {
        out += c;  // negated classes inside a class keep PCRE2's (Unicode) meaning
        out += e;
      }
      continue;
    }
    if (c == QLatin1Char('[')) {
      ++classDepth;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < p.size() && p[i + 1] == QLatin1Char('^')) out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == QLatin1Char(']')) out += p[++i];
      continue;
    }
    if (c == QLatin1Char(']') && classDepth > 0) --classDepth;
    out += c;
  }
  return out;
}

std::unique_ptr<Pattern> Pattern::literal(const QString& text) { return std::make_unique<LiteralPattern>(text); }

std::unique_ptr<Pattern> Pattern::regex(const QString& onigPattern, const JsonAt& where, bool allowFast) {
  if (allowFast)
    if (auto fast = fastSplitFor(onigPattern)) return fast;
  QRegularExpression re(onigToPcre(onigPattern),
                        QRegularExpression::UseUnicodePropertiesOption | QRegularExpression::MultilineOption);
  if (!re.isValid())
    where.fail(QStringLiteral("is not a valid regular expression (%1 at %2)")
                   .arg(re.errorString()).arg(re.patternErrorOffset()));
  re.optimize();
  return std::make_unique<RegexPattern>(std::move(re));
}

std::unique_ptr<Pattern> Pattern::chars(bool (*pred)(char32_t)) { return std::make_unique<CharPattern>(pred, 0); }
std::unique_ptr<Pattern> Pattern::oneChar(char32_t c) { return std::make_unique<CharPattern>(nullptr, c); }

std::unique_ptr<Pattern> Pattern::fromJson(const JsonAt& j) {
  const QJsonObject o = j.object();
  if (o.contains(QStringLiteral("String"))) return literal(j[QStringLiteral("String")].string());
  if (o.contains(QStringLiteral("Regex"))) {
    const JsonAt re = j[QStringLiteral("Regex")];
    return regex(re.string(), re);
  }
  j.fail(QStringLiteral("must be {\"String\": ...} or {\"Regex\": ...}"));
}

SplitBehavior splitBehaviorFromJson(const JsonAt& j) {
  const QString b = j.string();
  if (b == QLatin1String("Removed")) return SplitBehavior::Removed;
  if (b == QLatin1String("Isolated")) return SplitBehavior::Isolated;
  if (b == QLatin1String("MergedWithPrevious")) return SplitBehavior::MergedWithPrevious;
  if (b == QLatin1String("MergedWithNext")) return SplitBehavior::MergedWithNext;
  if (b == QLatin1String("Contiguous")) return SplitBehavior::Contiguous;
  j.unsupported();
}

void splitByBehavior(std::vector<Span>& spans, SplitBehavior behavior, std::vector<Span>& pieces) {
  // Each kept piece has isMatch=false here, as in tokenizers (the flag then means "remove").
  const auto keep = [&](qsizetype b, qsizetype e) {
    if (e > b) pieces.push_back({b, e, false});
  };
  switch (behavior) {
    case SplitBehavior::Isolated:
      for (const Span& s : spans) keep(s.begin, s.end);
      return;
    case SplitBehavior::Removed:
      for (const Span& s : spans)
        if (!s.isMatch) keep(s.begin, s.end);
      return;
    case SplitBehavior::Contiguous:
    case SplitBehavior::MergedWithPrevious: {
      std::vector<Span> acc;
      acc.reserve(spans.size());
      bool previousMatch = false;
      for (const Span& s : spans) {
        const bool merge = behavior == SplitBehavior::Contiguous ? s.isMatch == previousMatch
                                                                 : (s.isMatch && !previousMatch);
        if (merge && !acc.empty()) acc.back().end = s.end;
        else acc.push_back({s.begin, s.end, false});
        previousMatch = s.isMatch;
      }
      for (const Span& s : acc) keep(s.begin, s.end);
      return;
    }
    case SplitBehavior::MergedWithNext: {
      std::vector<Span> acc;
      acc.reserve(spans.size());
      bool previousMatch = false;
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->isMatch && !previousMatch && !acc.empty()) acc.back().begin = it->begin;
        else acc.push_back({it->begin, it->end, false});
        previousMatch = it->isMatch;
      }
      for (auto it = acc.rbegin(); it != acc.rend(); ++it) keep(it->begin, it->end);
      return;
    }
  }
}

QString replaceAll(const Pattern& pattern, const QString& s, const QString& content) {
  std::vector<Span> spans;
  pattern.findMatches(s, spans);
  QString out;
  out.reserve(s.size());
  for (const Span& sp : spans) {
    if (sp.isMatch) out += content;
    else out += QStringView(s).mid(sp.begin, sp.end - sp.begin);
  }
  return out;
}

}  // namespace distillery::tokenizer
