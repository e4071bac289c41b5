// A port of the official SQuAD v1.1 evaluate script (evaluate-v1.1.py): normalize_answer, exact_match_score,
// f1_score and metric_max_over_ground_truths.
#include "eval/TextMatch.h"

#include "eval/ScoringText.h"

#include <QtCore/QChar>

#include <algorithm>
#include <unordered_map>

namespace distillery {

using scoring::Text;

namespace {

// Python's Unicode \w: alphanumeric (letters and numbers) or the underscore.
bool isWordChar(char32_t c) { return c == U'_' || QChar::isLetterOrNumber(c); }

// re.sub(r'\b(a|an|the)\b', ' ', text): a maximal run of word characters that is exactly a, an or the.
Text removeArticles(const Text& s) {
  Text out;
  size_t i = 0;
  while (i < s.size()) {
    if (!isWordChar(s[i])) {
      out += s[i++];
      continue;
    }
    size_t j = i;
    while (j < s.size() && isWordChar(s[j])) ++j;
    const std::u32string_view word(s.data() + i, j - i);
    if (word == U"a" || word == U"an" || word == U"the")
      out += U' ';
    else
      out += word;
    i = j;
  }
  return out;
}

std::vector<Text> normalizedTokens(const QString& text) {
  Text s;
  for (char32_t c : scoring::toText(text.toLower()))
    if (!scoring::isAsciiPunctuation(c)) s += c;
  return scoring::split(removeArticles(s));
}

double f1(const std::vector<Text>& prediction, const std::vector<Text>& truth) {
  std::unordered_map<Text, int64_t> counts;
  for (const Text& t : truth) ++counts[t];
  int64_t same = 0;
  for (const Text& t : prediction) {
    auto it = counts.find(t);
    if (it != counts.end() && it->second > 0) {
      ++same;
      --it->second;
    }
  }
  if (same == 0) return 0;
  const double precision = 1.0 * double(same) / double(prediction.size());
  const double recall = 1.0 * double(same) / double(truth.size());
  return (2 * precision * recall) / (precision + recall);
}

}  // namespace

QString normalizeAnswer(const QString& text) { return scoring::joinTokens(normalizedTokens(text)); }

double exactMatch(const QString& prediction, const QStringList& references) {
  const QString p = normalizeAnswer(prediction);
  for (const QString& r : references)
    if (normalizeAnswer(r) == p) return 1;
  return 0;
}

double tokenF1(const QString& prediction, const QStringList& references) {
  const std::vector<Text> p = normalizedTokens(prediction);
  double best = 0;
  for (const QString& r : references) best = std::max(best, f1(p, normalizedTokens(r)));
  return best;
}

}  // namespace distillery
