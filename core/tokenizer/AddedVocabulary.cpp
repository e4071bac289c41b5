#include "tokenizer/AddedVocabulary.h"

#include "tokenizer/Normalizer.h"
#include "tokenizer/Unicode.h"

#include <algorithm>

namespace distillery::tokenizer {

namespace {

// Rust regex's \w, which single_word tests against the characters around a match.
bool isRegexWord(char32_t c) {
  return isWordChar(c) || isAlphabetic(c) || c == 0x200C || c == 0x200D;
}

char32_t lastCodePoint(QStringView s) {
  qsizetype i = s.size() - 1;
  if (i > 0 && s[i].isLowSurrogate() && s[i - 1].isHighSurrogate()) --i;
  return nextCodePoint(s, i);
}

}  // namespace

AddedVocabulary::AddedVocabulary(const JsonAt& j, const Normalizer* normalizer) {
  if (j.isMissing()) return;
  const QJsonArray list = j.array();
  for (qsizetype i = 0; i < list.size(); ++i) {
    const JsonAt t = j[i];
    t.object();
    AddedToken a;
    a.id = int32_t(t[QStringLiteral("id")].integer());
    a.content = t[QStringLiteral("content")].string();
    a.singleWord = t[QStringLiteral("single_word")].boolOr(false);
    a.lstrip = t[QStringLiteral("lstrip")].boolOr(false);
    a.rstrip = t[QStringLiteral("rstrip")].boolOr(false);
    a.normalized = t[QStringLiteral("normalized")].boolOr(true);
    a.special = t[QStringLiteral("special")].boolOr(false);
    if (a.id < 0) t[QStringLiteral("id")].fail(QStringLiteral("must not be negative"));
    if (a.content.isEmpty() || byContent_.contains(a.content)) continue;  // tokenizers ignores these too
    byId_.insert(a.id, tokens_.size());
    byContent_.insert(a.content, a.id);
    if (a.special) specialContents_.insert(a.content);
    tokens_.push_back(a);
  }
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const AddedToken& a = tokens_[k];
    if (!a.normalized) {
      raw_.patterns.push_back({a.content, k});
    } else {
      QString text = a.content;
      if (normalizer) normalizer->normalize(text);
      if (!text.isEmpty()) normalized_.patterns.push_back({text, k});
    }
  }
  raw_.build();
  normalized_.build();
}

void AddedVocabulary::PatternSet::build() {
  byFirst.clear();
  firstBits.assign(0x10000 / 64, 0);
  for (size_t i = 0; i < patterns.size(); ++i) {
    const char16_t c = patterns[i].text[0].unicode();
    byFirst[c].push_back(i);
    firstBits[c / 64] |= uint64_t(1) << (c % 64);
  }
  for (auto it = byFirst.begin(); it != byFirst.end(); ++it)
    std::stable_sort(it->begin(), it->end(),
                     [&](size_t a, size_t b) { return patterns[a].text.size() > patterns[b].text.size(); });
}

bool AddedVocabulary::PatternSet::find(QStringView s, qsizetype from, qsizetype* begin, qsizetype* end,
                                       size_t* token) const {
  if (patterns.empty()) return false;
  const char16_t* u = reinterpret_cast<const char16_t*>(s.utf16());
  for (qsizetype p = from; p < s.size(); ++p) {
    if (!(firstBits[u[p] / 64] >> (u[p] % 64) & 1)) continue;
    const auto it = byFirst.constFind(u[p]);
    if (it == byFirst.constEnd()) continue;
    for (size_t k : *it) {
      const QString& t = patterns[k].text;
      if (s.size() - p >= t.size() && s.mid(p, t.size()) == t) {
        *begin = p;
        *end = p + t.size();
        *token = patterns[k].token;
        return true;
      }
    }
  }
  return false;
}

void AddedVocabulary::split(QStringView s, bool normalizedSet, std::vector<Match>& out) const {
  const PatternSet& set = normalizedSet ? normalized_ : raw_;
  qsizetype startOffset = 0, searchFrom = 0, b = 0, e = 0;
  size_t k = 0;
  while (set.find(s, searchFrom, &b, &e, &k)) {
    searchFrom = e;
    const AddedToken& a = tokens_[k];
    if (a.singleWord) {
      const bool spaceBefore = b == 0 || !isRegexWord(lastCodePoint(s.first(b)));
      qsizetype after = e;
      const bool spaceAfter = e == s.size() || !isRegexWord(nextCodePoint(s, after));
      if (!spaceBefore || !spaceAfter) continue;
    }
    if (a.lstrip) {
      qsizetype nb = b;
      while (nb > 0 && isWhiteSpace(s[nb - 1].unicode())) --nb;
      b = std::max(nb, startOffset);
    }
    if (a.rstrip)
      while (e < s.size() && isWhiteSpace(s[e].unicode())) ++e;
    if (startOffset < b) out.push_back({startOffset, b, -1});
    out.push_back({b, e, a.id});
    startOffset = e;
  }
  if (startOffset < s.size()) out.push_back({startOffset, s.size(), -1});
}

const AddedToken* AddedVocabulary::byId(int32_t id) const {
  const auto it = byId_.constFind(id);
  return it == byId_.constEnd() ? nullptr : &tokens_[*it];
}

std::optional<int32_t> AddedVocabulary::idOf(const QString& content) const {
  const auto it = byContent_.constFind(content);
  if (it == byContent_.constEnd()) return std::nullopt;
  return *it;
}

}  // namespace distillery::tokenizer
