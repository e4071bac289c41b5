// BLEU as sacreBLEU 2.x computes it (corpus and sentence level, several reference streams, the closest reference
// length, its tokenisers and smoothing methods), so a number printed here reproduces a published sacreBLEU one.
//
//   BleuResult r = bleu(hyps, {refs1, refs2}, {});   // r.corpus.score in 0–100, r.lines[i] per segment
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>
#include <vector>

namespace distillery {

struct BleuOptions {
  QString tokenize = "13a";           // 13a | zh | intl | char | none (sacreBLEU's --tokenize)
  QString smooth = "exp";             // exp | floor | add-k | none (sacreBLEU's --smooth-method)
  std::optional<double> smoothValue;  // floor: 0.1, add-k: 1 when absent (sacreBLEU's defaults)
  bool lowercase = false;             // compare lower-cased text
  int maxNgramOrder = 4;              // n-grams 1..N
  bool effectiveOrder = false;        // corpus level: stop at the highest order with matches (sentence level: on)
};

struct BleuScore {
  double score = 0;                // 0–100
  std::vector<double> precisions;  // per order, 0–100
  std::vector<int64_t> counts;     // matched n-grams per order
  std::vector<int64_t> totals;     // hypothesis n-grams per order
  double brevityPenalty = 1;
  int64_t hypLength = 0;           // tokens
  int64_t refLength = 0;           // closest reference length summed
};

struct BleuResult {
  BleuScore corpus;
  std::vector<BleuScore> lines;  // sentence BLEU of each segment (sacreBLEU's sentence_score rules)
  QString signature;             // "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x" style
};

// hyps[i] against refs[k][i] for every reference stream k. Throws Error when a stream's length differs from
// hyps' (naming the stream) or an option is out of range.
BleuResult bleu(const QStringList& hyps, const QList<QStringList>& refs, const BleuOptions& options);

// sacreBLEU's BLEU.compute_bleu on already summed statistics (counts/totals per order 1..maxNgramOrder, e.g. stored
// per-sample statistics added up): its smoothing, effective-order and brevity-penalty rules. Throws Error when the
// vectors are not maxNgramOrder long.
BleuScore bleuFromCounts(const std::vector<int64_t>& counts, const std::vector<int64_t>& totals, int64_t hypLength,
                         int64_t refLength, const BleuOptions& options);

// Throws Error (field "tokenize", "smooth", "smooth-value" or "max-ngram-order", the bad value, the allowed
// values) for options bleu() would refuse, so a caller can reject them before reading any input.
void checkBleuOptions(const BleuOptions& options);

// sacreBLEU's tokenisers: the text split into the tokens BLEU counts (joined by single spaces).
QString bleuTokenize(const QString& text, const QString& tokenizer);

}  // namespace distillery
