#include "tokenizer/FastSplit.h"

#include "tokenizer/Unicode.h"

namespace distillery::tokenizer {

const char* const kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

namespace {

enum Class : uint8_t { kLetter, kNumber, kSpace, kOther };

struct Options {
  bool gpt2 = false;  // GPT-2 flavour: case-sensitive contractions, " ?" before letters/numbers, no newline rules
  int maxDigits = 0;  // cl100k: 3, Qwen 2: 1, GPT-2: unlimited (0)
};

class Scanner {
 public:
  explicit Scanner(QStringView s) : s_(s), p_(reinterpret_cast<const char16_t*>(s.utf16())), n_(s.size()) {}

  // Class and end of the code point at i (i < n).
  Class at(qsizetype i, qsizetype* next) const {
    const char16_t c = p_[i];
    if (c < 0x80) {
      *next = i + 1;
      return Class(kAscii[c]);
    }
    qsizetype j = i;
    const char32_t cp = nextCodePoint(s_, j);
    *next = j;
    if (isWhiteSpace(cp)) return kSpace;
    const auto cat = QChar::category(cp);
    if (cat >= QChar::Letter_Uppercase && cat <= QChar::Letter_Other) return kLetter;
    if (cat >= QChar::Number_DecimalDigit && cat <= QChar::Number_Other) return kNumber;
    return kOther;
  }
  bool is(qsizetype i, Class k) const {
    if (i >= n_) return false;
    qsizetype next;
    return at(i, &next) == k;
  }
  // End of the run of class k starting at i (i itself when s[i] is not k); counts code points in *count.
  qsizetype run(qsizetype i, Class k, int limit = 0, int* count = nullptr) const {
    int c = 0;
    while (i < n_ && (limit == 0 || c < limit)) {
      qsizetype next;
      if (at(i, &next) != k) break;
      i = next;
      ++c;
    }
    if (count) *count = c;
    return i;
  }
  qsizetype newlineRun(qsizetype i) const {
    while (i < n_ && (p_[i] == '\r' || p_[i] == '\n')) ++i;
    return i;
  }
  char16_t unit(qsizetype i) const { return i < n_ ? p_[i] : 0; }
  qsizetype size() const { return n_; }

 private:
  static const std::array<uint8_t, 128> kAscii;
  QStringView s_;
  const char16_t* p_;
  qsizetype n_;
};

const std::array<uint8_t, 128> Scanner::kAscii = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) t[c] = kLetter;
    else if (c >= '0' && c <= '9') t[c] = kNumber;
    else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) t[c] = kSpace;
    else t[c] = kOther;
  }
  return t;
}();

// Length of a contraction ('s 't 're 've 'm 'll 'd) at i, or 0.
qsizetype contraction(const Scanner& sc, qsizetype i, bool caseless) {
  if (sc.unit(i) != '\'') return 0;
  auto lower = [&](qsizetype k) -> char16_t {
    const char16_t c = sc.unit(k);
    if (!caseless) return c;
    if (c == 0x017F) return 's';  // LATIN SMALL LETTER LONG S folds to s
    return (c >= 'A' && c <= 'Z') ? char16_t(c + 32) : c;
  };
  const char16_t a = lower(i + 1);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  const char16_t b = lower(i + 2);
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

class FastSplit : public Pattern {
 public:
  explicit FastSplit(Options o) : o_(o) {}

  void findMatches(QStringView s, std::vector<Span>& out) const override {
    if (s.isEmpty()) {
      out.push_back({0, 0, false});
      return;
    }
    const Scanner sc(s);
    qsizetype i = 0;
    while (i < sc.size()) {
      const qsizetype e = o_.gpt2 ? matchGpt2(sc, i) : matchCl100k(sc, i);
      out.push_back({i, e, true});
      i = e;
    }
  }

 private:
  // Whitespace at i (a run to j): `\s+(?!\S)` leaves the last one for the next token when non-space follows.
  static qsizetype spaces(const Scanner& sc, qsizetype i) {
    const qsizetype j = sc.run(i, kSpace);
    if (j == sc.size()) return j;
    return j - 1 > i ? j - 1 : j;  // every whitespace character is one UTF-16 unit
  }

  qsizetype matchGpt2(const Scanner& sc, qsizetype i) const {
    if (const qsizetype c = contraction(sc, i, false)) return i + c;
    qsizetype next;
    const Class k = sc.at(i, &next);
    const qsizetype from = (sc.unit(i) == ' ' && next < sc.size()) ? next : i;  // the optional leading space
    qsizetype after;
    const Class k2 = from < sc.size() ? sc.at(from, &after) : k;
    if (from != i && k2 != kSpace) return sc.run(from, k2);  // " word", " 123", " ?!"
    if (k != kSpace) return sc.run(i, k);
    return spaces(sc, i);
  }

  qsizetype matchCl100k(const Scanner& sc, qsizetype i) const {
    if (const qsizetype c = contraction(sc, i, true)) return i + c;
    qsizetype next;
    const Class k = sc.at(i, &next);
    const char16_t u = sc.unit(i);
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (k == kLetter) return sc.run(i, kLetter);
    if (k != kNumber && u != '\r' && u != '\n' && sc.is(next, kLetter)) return sc.run(next, kLetter);
    // \p{N}{1,3} or \p{N}
    if (k == kNumber) return sc.run(i, kNumber, o_.maxDigits);
    //  ?[^\s\p{L}\p{N}]+[\r\n]*
    if (k == kOther) return sc.newlineRun(sc.run(i, kOther));
    if (u == ' ' && sc.is(next, kOther)) return sc.newlineRun(sc.run(next, kOther));
    // \s*[\r\n]+ : up to and including the last \r or \n of the whitespace run
    const qsizetype j = sc.run(i, kSpace);
    for (qsizetype m = j - 1; m >= i; --m)
      if (sc.unit(m) == '\r' || sc.unit(m) == '\n') return m + 1;
    return spaces(sc, i);
  }

  Options o_;
};

}  // namespace

std::unique_ptr<Pattern> fastSplitFor(const QString& p) {
  if (p == QLatin1String(kGpt2Pattern)) return std::make_unique<FastSplit>(Options{true, 0});
  if (p == QLatin1String(kCl100kPattern)) return std::make_unique<FastSplit>(Options{false, 3});
  if (p == QLatin1String(kQwen2Pattern)) return std::make_unique<FastSplit>(Options{false, 1});
  return nullptr;
}

}  // namespace distillery::tokenizer
