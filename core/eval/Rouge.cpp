// A port of rouge-score's rouge_scorer.py (RougeScorer.score / score_multi) with its DefaultTokenizer
// (tokenize.py): lower-case, every run of characters outside [a-z0-9] a separator, NLTK's Porter stemmer on
// tokens longer than 3 characters when asked. rougeLsum is the summary-level LCS (union LCS per reference
// sentence, each token counted at most as often as it occurs) over newline-separated sentences.
#include "eval/Rouge.h"

#include "common/Error.h"
#include "eval/PorterStemmer.h"
#include "eval/ScoringText.h"

#include <QtCore/QRegularExpression>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace distillery {

using scoring::Text;

namespace {

enum class Kind { Ngram, Lcs, LcsSum };

struct RougeType {
  QString name;
  Kind kind = Kind::Ngram;
  int n = 0;  // Ngram: the order
};

// rouge-score accepts "rouge" + one digit 1–9 (re.match(r"rouge[0-9]$") and n > 0), rougeL and rougeLsum.
RougeType parseType(const QString& name) {
  if (name == QLatin1String("rougeL")) return {name, Kind::Lcs, 0};
  if (name == QLatin1String("rougeLsum")) return {name, Kind::LcsSum, 0};
  static const QRegularExpression ngram(QStringLiteral("^rouge([1-9])$"));
  if (const auto m = ngram.match(name); m.hasMatch()) return {name, Kind::Ngram, m.captured(1).toInt()};
  throw Error({}, QStringLiteral("types"), name,
              QStringLiteral("is not one of rouge1 … rouge9, rougeL, rougeLsum"));
}

// Tokens as interned ids: tokenize.tokenize (or, with charLevel, each non-whitespace character of the lower-cased
// text).
struct Tokenizer {
  const RougeOptions& o;
  scoring::TokenIds vocab;
  std::unordered_map<std::string, std::string> stems;  // Porter is the slow part; words repeat

  Text tokens(const QString& text) {
    const Text lower = scoring::toText(text.toLower());
    std::vector<Text> out;
    if (o.charLevel) {
      for (char32_t c : lower)
        if (!scoring::isSpace(c)) out.emplace_back(1, c);
      return vocab.ids(out);
    }
    std::string word;
    const auto flush = [&] {
      if (word.empty()) return;
      if (o.stemmer && word.size() > 3) {
        auto it = stems.find(word);
        if (it == stems.end()) it = stems.emplace(word, porterStem(word)).first;
        word = it->second;
      }
      out.emplace_back(word.begin(), word.end());
      word.clear();
    };
    for (char32_t c : lower) {
      if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9'))
        word.push_back(char(c));
      else
        flush();
    }
    flush();
    return vocab.ids(out);
  }
};

RougeF makeScore(double precision, double recall) {
  // scoring.fmeasure
  const double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  return {precision, recall, f};
}

// _score_ngrams
RougeF scoreNgrams(const Text& target, const Text& prediction, int n) {
  const scoring::NgramCounts t = scoring::countNgrams(target, n), p = scoring::countNgrams(prediction, n);
  int64_t overlap = 0, targetCount = 0, predictionCount = 0;
  for (const auto& [ngram, count] : t) {
    targetCount += count;
    if (const auto it = p.find(ngram); it != p.end()) overlap += std::min(count, it->second);
  }
  for (const auto& [ngram, count] : p) predictionCount += count;
  return makeScore(double(overlap) / double(std::max<int64_t>(predictionCount, 1)),
                   double(overlap) / double(std::max<int64_t>(targetCount, 1)));
}

// _lcs_table: [(ref + 1) × (can + 1)] lengths, row-major.
struct LcsTable {
  size_t cols;
  std::vector<int32_t> t;
  LcsTable(const Text& ref, const Text& can) : cols(can.size() + 1), t((ref.size() + 1) * cols, 0) {
    for (size_t i = 1; i <= ref.size(); ++i)
      for (size_t j = 1; j <= can.size(); ++j)
        at(i, j) = ref[i - 1] == can[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
  }
  int32_t& at(size_t i, size_t j) { return t[i * cols + j]; }
};

// _score_lcs
RougeF scoreLcs(const Text& target, const Text& prediction) {
  if (target.empty() || prediction.empty()) return {};
  LcsTable table(target, prediction);
  const double lcs = table.at(target.size(), prediction.size());
  return makeScore(lcs / double(prediction.size()), lcs / double(target.size()));
}

// lcs_ind / _backtrack_norec: the reference indices of one LCS, with rouge-score's tie-breaking.
std::vector<size_t> lcsIndices(const Text& ref, const Text& can) {
  LcsTable t(ref, can);
  std::vector<size_t> lcs;
  size_t i = ref.size(), j = can.size();
  while (i > 0 && j > 0) {
    if (ref[i - 1] == can[j - 1]) {
      lcs.push_back(i - 1);
      --i;
      --j;
    } else if (t.at(i, j - 1) > t.at(i - 1, j)) {
      --j;
    } else {
      --i;
    }
  }
  std::reverse(lcs.begin(), lcs.end());
  return lcs;
}

// _summary_level_lcs
RougeF summaryLevelLcs(const std::vector<Text>& refSents, const std::vector<Text>& canSents) {
  if (refSents.empty() || canSents.empty()) return {};
  size_t m = 0, n = 0;
  std::unordered_map<char32_t, int64_t> refCounts, canCounts;
  for (const Text& s : refSents) {
    m += s.size();
    for (char32_t t : s) ++refCounts[t];
  }
  for (const Text& s : canSents) {
    n += s.size();
    for (char32_t t : s) ++canCounts[t];
  }
  if (n == 0 || m == 0) return {};
  int64_t hits = 0;
  for (const Text& r : refSents) {
    std::set<size_t> unionLcs;  // _union_lcs: sorted union of the LCS indices against every candidate sentence
    for (const Text& c : canSents)
      for (size_t k : lcsIndices(r, c)) unionLcs.insert(k);
    for (size_t k : unionLcs) {
      const char32_t t = r[k];
      if (canCounts[t] > 0 && refCounts[t] > 0) {  // no token counted more often than it occurs
        ++hits;
        --canCounts[t];
        --refCounts[t];
      }
    }
  }
  return makeScore(double(hits) / double(n), double(hits) / double(m));
}

// get_sents: split on "\n", empty lines dropped.
std::vector<Text> sentenceTokens(const QString& text, Tokenizer& tok) {
  std::vector<Text> out;
  for (const QString& s : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) out.push_back(tok.tokens(s));
  return out;
}

RougeScores scoreWith(const QString& target, const QString& prediction, const std::vector<RougeType>& types,
                      Tokenizer& tok) {
  const Text t = tok.tokens(target), p = tok.tokens(prediction);
  RougeScores out;
  for (const RougeType& type : types) {
    switch (type.kind) {
      case Kind::Ngram: out.insert(type.name, scoreNgrams(t, p, type.n)); break;
      case Kind::Lcs: out.insert(type.name, scoreLcs(t, p)); break;
      case Kind::LcsSum:
        out.insert(type.name, summaryLevelLcs(sentenceTokens(target, tok), sentenceTokens(prediction, tok)));
        break;
    }
  }
  return out;
}

std::vector<RougeType> parseTypes(const QStringList& names) {
  if (names.isEmpty()) throw Error({}, QStringLiteral("types"), QString(), QStringLiteral("needs at least one type"));
  std::vector<RougeType> types;
  for (const QString& name : names) types.push_back(parseType(name));
  return types;
}

}  // namespace

RougeScores rougeScore(const QString& target, const QString& prediction, const RougeOptions& options) {
  Tokenizer tok{options, {}, {}};
  return scoreWith(target, prediction, parseTypes(options.types), tok);
}

RougeResult rouge(const QStringList& hyps, const QList<QStringList>& refs, const RougeOptions& options) {
  const std::vector<RougeType> types = parseTypes(options.types);
  scoring::checkStreams(hyps, refs);

  Tokenizer tok{options, {}, {}};
  RougeResult result;
  for (qsizetype i = 0; i < hyps.size(); ++i) {
    // score_multi: per type, the reference with the highest F (the first on ties, as np.argmax).
    RougeScores best;
    for (const QStringList& stream : refs) {
      const RougeScores s = scoreWith(stream[i], hyps[i], types, tok);
      for (const RougeType& type : types)
        if (!best.contains(type.name) || s[type.name].fmeasure > best[type.name].fmeasure)
          best.insert(type.name, s[type.name]);
    }
    result.lines.push_back(best);
  }
  // The corpus value: each of precision, recall and F averaged over segments.
  for (const RougeType& type : types) {
    double p = 0, r = 0, f = 0;
    for (const RougeScores& line : result.lines) {
      p += line[type.name].precision;
      r += line[type.name].recall;
      f += line[type.name].fmeasure;
    }
    const double count = double(result.lines.size());
    result.mean.insert(type.name, {p / count, r / count, f / count});
  }
  return result;
}

}  // namespace distillery
