// A port of sacreBLEU 2.x's metrics/chrf.py: character n-grams (whitespace removed unless asked), word n-grams over
// _remove_punctuation's words for chrF++, [hyp, ref, match] counts per order, the reference with the best
// sentence F per segment, corpus statistics summed, and _compute_f_score's two averaging modes.
#include "eval/Chrf.h"

#include "common/Error.h"
#include "eval/ScoringText.h"

#include <cmath>
#include <set>

namespace distillery {

using scoring::Text;

namespace {

// The n-gram counters of one segment: char orders 1..charOrder, then word orders 1..wordOrder.
using SegmentNgrams = std::vector<scoring::NgramCounts>;

// _remove_punctuation: a trailing (else a leading) punctuation mark of a multi-character word becomes its own word.
std::vector<Text> removePunctuation(std::u32string_view sent) {
  std::vector<Text> out;
  for (Text& w : scoring::split(sent)) {
    if (w.size() == 1) {
      out.push_back(std::move(w));
    } else if (scoring::isAsciiPunctuation(w.back())) {
      out.push_back(w.substr(0, w.size() - 1));
      out.push_back(w.substr(w.size() - 1));
    } else if (scoring::isAsciiPunctuation(w.front())) {
      out.push_back(w.substr(0, 1));
      out.push_back(w.substr(1));
    } else {
      out.push_back(std::move(w));
    }
  }
  return out;
}

struct Extractor {
  const ChrfOptions& o;
  scoring::TokenIds words;

  SegmentNgrams ngrams(const QString& segment) {
    const Text text = scoring::toText(o.lowercase ? segment.toLower() : segment);
    const Text chars = o.whitespace ? text : scoring::removeSpaces(text);
    SegmentNgrams all;
    for (int n = 1; n <= o.charOrder; ++n) all.push_back(scoring::countNgrams(chars, n));
    if (o.wordOrder > 0) {
      const Text ids = words.ids(removePunctuation(text));
      for (int n = 1; n <= o.wordOrder; ++n) all.push_back(scoring::countNgrams(ids, n));
    }
    return all;
  }
};

// _get_match_statistics for every order: [hyp count (0 when the reference has none), ref count, matches].
std::vector<int64_t> matchStatistics(const SegmentNgrams& hyp, const SegmentNgrams& ref) {
  std::vector<int64_t> stats;
  for (size_t k = 0; k < hyp.size(); ++k) {
    int64_t matches = 0, hypCount = 0, refCount = 0;
    for (const auto& [ngram, count] : hyp[k]) {
      hypCount += count;
      if (const auto it = ref[k].find(ngram); it != ref[k].end()) matches += std::min(count, it->second);
    }
    for (const auto& [ngram, count] : ref[k]) refCount += count;
    stats.insert(stats.end(), {ref[k].empty() ? 0 : hypCount, refCount, matches});
  }
  return stats;
}

// _compute_f_score, 0–100.
double fScore(const std::vector<int64_t>& stats, const ChrfOptions& o) {
  const double eps = 1e-16;
  const double factor = o.beta * o.beta;
  const size_t order = stats.size() / 3;
  double score = 0.0, avgPrec = 0.0, avgRec = 0.0;
  int effectiveOrder = 0;
  for (size_t i = 0; i < order; ++i) {
    const int64_t nHyp = stats[3 * i], nRef = stats[3 * i + 1], nMatch = stats[3 * i + 2];
    const double prec = nHyp > 0 ? double(nMatch) / double(nHyp) : eps;
    const double rec = nRef > 0 ? double(nMatch) / double(nRef) : eps;
    const double denom = factor * prec + rec;
    score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
    if (nHyp > 0 && nRef > 0) {  // sacreBLEU < 2.0 style effective order
      avgPrec += prec;
      avgRec += rec;
      ++effectiveOrder;
    }
  }
  if (o.epsSmoothing) return 100 * score / double(order);
  if (effectiveOrder == 0) {
    avgPrec = avgRec = 0.0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec != 0) {
    score = (1 + factor) * avgPrec * avgRec;
    score /= (factor * avgPrec) + avgRec;
    return 100 * score;
  }
  return 0.0;
}

}  // namespace

ChrfResult chrf(const QStringList& hyps, const QList<QStringList>& refs, const ChrfOptions& options) {
  if (options.charOrder < 0 || options.wordOrder < 0 || options.charOrder + options.wordOrder < 1)
    throw Error({}, QStringLiteral("char_order"),
                QStringLiteral("%1 (word order %2)").arg(options.charOrder).arg(options.wordOrder),
                QStringLiteral("needs at least one n-gram order"));
  if (!std::isfinite(options.beta) || options.beta < 0)
    throw Error({}, QStringLiteral("beta"), QString::number(options.beta), QStringLiteral("must be 0 or more"));
  scoring::checkStreams(hyps, refs);

  Extractor extract{options, {}};
  ChrfResult result;
  std::vector<int64_t> corpus(size_t(3 * (options.charOrder + options.wordOrder)), 0);
  std::set<int> refCounts;
  for (qsizetype i = 0; i < hyps.size(); ++i) {
    const SegmentNgrams hyp = extract.ngrams(hyps[i]);
    std::vector<int64_t> best;
    double bestF = -1.0;
    int nonEmpty = 0;
    for (const QStringList& stream : refs) {
      if (stream[i].isEmpty()) continue;  // a missing reference for this segment
      ++nonEmpty;
      std::vector<int64_t> stats = matchStatistics(hyp, extract.ngrams(stream[i]));
      const double f = fScore(stats, options);
      if (f > bestF) {
        bestF = f;
        best = std::move(stats);
      }
    }
    if (nonEmpty == 0)
      throw Error({}, QStringLiteral("refs"), QStringLiteral("segment %1").arg(i + 1),
                  QStringLiteral("has only empty references"));
    refCounts.insert(nonEmpty);
    for (size_t k = 0; k < corpus.size(); ++k) corpus[k] += best[k];
    result.lines.push_back(fScore(best, options));
  }
  result.score = fScore(corpus, options);
  result.signature = QStringLiteral("nrefs:%1|case:%2|eff:%3|nc:%4|nw:%5|space:%6|version:2.x")
                         .arg(refCounts.size() == 1 ? QString::number(*refCounts.begin()) : QStringLiteral("var"),
                              options.lowercase ? QStringLiteral("lc") : QStringLiteral("mixed"),
                              options.epsSmoothing ? QStringLiteral("no") : QStringLiteral("yes"))
                         .arg(options.charOrder)
                         .arg(options.wordOrder)
                         .arg(options.whitespace ? QStringLiteral("yes") : QStringLiteral("no"));
  return result;
}

}  // namespace distillery
