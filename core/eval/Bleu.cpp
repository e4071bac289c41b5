// A port of sacreBLEU 2.x's metrics/bleu.py: per-segment statistics (n-gram matches clipped by the most
// frequent occurrence in any reference, the closest reference length), summed for the corpus, and compute_bleu's
// smoothing and effective-order rules, operation for operation so the doubles come out the same.
#include "eval/Bleu.h"

#include "common/Error.h"
#include "eval/BleuTokenizers.h"
#include "eval/ScoringText.h"

#include <cmath>
#include <cstdlib>
#include <set>

namespace distillery {

using scoring::Text;

namespace {

enum class Smooth { None, Floor, AddK, Exp };

Smooth parseSmooth(const QString& name) {
  if (name == QLatin1String("exp")) return Smooth::Exp;
  if (name == QLatin1String("floor")) return Smooth::Floor;
  if (name == QLatin1String("add-k")) return Smooth::AddK;
  if (name == QLatin1String("none")) return Smooth::None;
  throw Error({}, QStringLiteral("smooth"), name, QStringLiteral("is not one of exp, floor, add-k, none"));
}

// SMOOTH_DEFAULTS: floor 0.1, add-k 1 when no value is given.
double smoothValue(Smooth s, const std::optional<double>& value) {
  if (value) return *value;
  return s == Smooth::Floor ? 0.1 : s == Smooth::AddK ? 1.0 : 0.0;
}

// One segment's sufficient statistics (sacreBLEU's [hyp_len, ref_len] + correct + total).
struct Stats {
  int64_t hypLen = 0;
  int64_t refLen = 0;
  std::vector<int64_t> correct, total;

  void add(const Stats& o) {
    hypLen += o.hypLen;
    refLen += o.refLen;
    for (size_t n = 0; n < correct.size(); ++n) {
      correct[n] += o.correct[n];
      total[n] += o.total[n];
    }
  }
};

// my_log: log floored at -9999999999 for a zero precision.
double myLog(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

// BLEU.compute_bleu.
BleuScore computeBleu(const Stats& s, Smooth smooth, double smoothVal, bool effectiveOrder, int maxOrder) {
  BleuScore r;
  r.counts = s.correct;
  r.totals = s.total;
  r.hypLength = s.hypLen;
  r.refLength = s.refLen;
  r.precisions.assign(size_t(maxOrder), 0.0);
  if (s.hypLen < s.refLen)
    r.brevityPenalty = s.hypLen > 0 ? std::exp(1.0 - double(s.refLen) / double(s.hypLen)) : 0.0;
  else
    r.brevityPenalty = 1.0;

  bool anyCorrect = false;  // early stop when nothing matches (sacreBLEU #141)
  for (int64_t c : s.correct) anyCorrect = anyCorrect || c != 0;
  if (!anyCorrect) {
    r.score = 0.0;
    return r;
  }

  double smoothMteval = 1.0;
  int effOrder = maxOrder;
  for (int n = 1; n <= maxOrder; ++n) {
    double correct = double(s.correct[size_t(n - 1)]);
    double total = double(s.total[size_t(n - 1)]);
    if (smooth == Smooth::AddK && n > 1) {  // add-k leaves unigrams alone
      correct += smoothVal;
      total += smoothVal;
    }
    if (total == 0) break;
    if (effectiveOrder) effOrder = n;
    double& p = r.precisions[size_t(n - 1)];
    if (correct == 0) {
      if (smooth == Smooth::Exp) {
        smoothMteval *= 2;
        p = 100. / (smoothMteval * total);
      } else if (smooth == Smooth::Floor) {
        p = 100. * smoothVal / total;
      }
    } else {
      p = 100. * correct / total;
    }
  }
  double sum = 0;
  for (int n = 0; n < effOrder; ++n) sum += myLog(r.precisions[size_t(n)]);
  r.score = r.brevityPenalty * std::exp(sum / effOrder);
  return r;
}

// _get_closest_ref_len: the smallest |hyp - ref|, ties going to the shorter reference.
int64_t closestRefLength(int64_t hypLen, const std::vector<int64_t>& refLens) {
  int64_t bestDiff = -1, best = -1;
  for (int64_t len : refLens) {
    const int64_t diff = std::llabs(hypLen - len);
    if (bestDiff == -1 || diff < bestDiff) {
      bestDiff = diff;
      best = len;
    } else if (diff == bestDiff && len < best) {
      best = len;
    }
  }
  return best;
}

// Every n-gram of orders 1..maxOrder in one map (an id string's length is its order), as extract_all_word_ngrams.
scoring::NgramCounts allNgrams(const Text& ids, int maxOrder) {
  scoring::NgramCounts all;
  for (int n = 1; n <= maxOrder; ++n)
    for (auto& [ngram, count] : scoring::countNgrams(ids, n)) all[ngram] += count;
  return all;
}

}  // namespace

void checkBleuOptions(const BleuOptions& options) {
  parseBleuTokenizer(options.tokenize);
  parseSmooth(options.smooth);
  if (options.maxNgramOrder < 1)
    throw Error({}, QStringLiteral("max-ngram-order"), QString::number(options.maxNgramOrder),
                QStringLiteral("must be at least 1"));
  if (options.smoothValue && !std::isfinite(*options.smoothValue))
    throw Error({}, QStringLiteral("smooth-value"), QString::number(*options.smoothValue),
                QStringLiteral("must be a finite number"));
}

BleuScore bleuFromCounts(const std::vector<int64_t>& counts, const std::vector<int64_t>& totals, int64_t hypLength,
                         int64_t refLength, const BleuOptions& options) {
  checkBleuOptions(options);
  if (counts.size() != size_t(options.maxNgramOrder) || totals.size() != size_t(options.maxNgramOrder))
    throw Error({}, QStringLiteral("counts"), QStringLiteral("%1 and %2 orders").arg(counts.size()).arg(totals.size()),
                QStringLiteral("need max-ngram-order (%1) values each").arg(options.maxNgramOrder));
  const Smooth smooth = parseSmooth(options.smooth);
  return computeBleu({hypLength, refLength, counts, totals}, smooth, smoothValue(smooth, options.smoothValue),
                     options.effectiveOrder, options.maxNgramOrder);
}

BleuResult bleu(const QStringList& hyps, const QList<QStringList>& refs, const BleuOptions& options) {
  checkBleuOptions(options);
  const BleuTokenizer tokenizer = parseBleuTokenizer(options.tokenize);
  const Smooth smooth = parseSmooth(options.smooth);
  scoring::checkStreams(hyps, refs);

  const int maxOrder = options.maxNgramOrder;
  const double smoothVal = smoothValue(smooth, options.smoothValue);
  scoring::TokenIds vocab;
  // _preprocess_segment: optional lower(), then the tokenizer on the right-stripped line.
  const auto tokenIds = [&](const QString& segment) {
    const Text text = scoring::toText(options.lowercase ? segment.toLower() : segment);
    return vocab.ids(bleuTokens(scoring::rstrip(text), tokenizer));
  };

  BleuResult result;
  Stats corpus;
  corpus.correct.assign(size_t(maxOrder), 0);
  corpus.total.assign(size_t(maxOrder), 0);
  std::set<int> refCounts;  // non-empty references per segment: one value → nrefs:N, several → nrefs:var
  for (qsizetype i = 0; i < hyps.size(); ++i) {
    // _extract_reference_info: the maximum count of each n-gram over the (non-empty) references.
    scoring::NgramCounts refNgrams;
    std::vector<int64_t> refLens;
    for (const QStringList& stream : refs) {
      if (stream[i].isEmpty()) continue;  // a missing reference for this segment
      const Text ids = tokenIds(stream[i]);
      refLens.push_back(int64_t(ids.size()));
      for (auto& [ngram, count] : allNgrams(ids, maxOrder)) {
        int64_t& best = refNgrams[ngram];
        best = std::max(best, count);
      }
    }
    if (refLens.empty())
      throw Error({}, QStringLiteral("refs"), QStringLiteral("segment %1").arg(i + 1),
                  QStringLiteral("has only empty references"));
    refCounts.insert(int(refLens.size()));

    const Text hypIds = tokenIds(hyps[i]);
    Stats s;
    s.hypLen = int64_t(hypIds.size());
    s.refLen = closestRefLength(s.hypLen, refLens);
    s.correct.assign(size_t(maxOrder), 0);
    s.total.assign(size_t(maxOrder), 0);
    for (const auto& [ngram, count] : allNgrams(hypIds, maxOrder)) {
      const size_t n = ngram.size() - 1;
      s.total[n] += count;
      if (const auto it = refNgrams.find(ngram); it != refNgrams.end()) s.correct[n] += std::min(count, it->second);
    }
    corpus.add(s);
    // The sacrebleu --sentence-level lines: the same settings with effective order switched on.
    result.lines.push_back(computeBleu(s, smooth, smoothVal, true, maxOrder));
  }
  result.corpus = computeBleu(corpus, smooth, smoothVal, options.effectiveOrder, maxOrder);

  QString smoothText = options.smooth;
  if (smooth == Smooth::Floor || smooth == Smooth::AddK) smoothText += QStringLiteral("[%1]").arg(smoothVal, 0, 'f', 2);
  result.signature = QStringLiteral("nrefs:%1|case:%2|eff:%3|tok:%4|smooth:%5|version:2.x")
                         .arg(refCounts.size() == 1 ? QString::number(*refCounts.begin()) : QStringLiteral("var"),
                              options.lowercase ? QStringLiteral("lc") : QStringLiteral("mixed"),
                              options.effectiveOrder ? QStringLiteral("yes") : QStringLiteral("no"),
                              bleuTokenizerName(tokenizer), smoothText);
  return result;
}

}  // namespace distillery
