// Slice (fairness) metrics: an evaluation's per-sample scores broken down by one field of the evaluated rows
// (group, domain, language), each slice's metric next to the overall one, and the largest gap flagged — so a
// student that is fine on average but worse for one group of users shows it.
//
//   std::vector<EvalSampleRow> samples = EvalStore(store).samples(evaluationId);
//   SliceReport r = computeSlices(samples, "group", {.minSize = 10, .source = "job 7 student"});
//   r.slices[i].metrics["exact_match"], r.slices[i].gaps["exact_match"], r.largestGap["exact_match"]
//
// Where a slice's metric comes from (the sample scores core/eval/EvalRun.h stores; a metric is reported when any
// sample has it, over the samples that have it):
//   means of the per-sample values: exact_match, token_f1, rouge1, rouge2, rougeL; mc_accuracy from mc_correct
//   token-weighted, as the overall value is: next_token_accuracy (Σ acc·tokens / Σ tokens) and perplexity
//     (exp(Σ tokens·log ppl / Σ tokens), i.e. exp of the slice's mean NLL per token)
//   corpus statistics recomputed from the slice's outputs and references, not averaged: bleu (sacreBLEU corpus
//     BLEU, 13a, exp smoothing) and chrf (corpus chrF) — of the samples that have a per-sample bleu / chrf.
// The field's value is read from scores.fields (EvalRow::sliceFields): strings as they are, numbers in shortest
// form, booleans true/false; rows without the field (absent, null or "") form the "(missing)" slice. Slices are
// sorted by value (numerically when all values are numbers), "(missing)" last; an empty slice cannot occur.
// gap = slice − overall. The largest gap of a metric is the slice with the largest |gap| among the slices of at
// least minSize samples (among all when every slice is smaller); smaller slices are flagged small.
#pragma once
#include "eval/EvalStore.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

inline const QString kMissingSlice = QStringLiteral("(missing)");

struct SliceOptions {
  int64_t minSize = 10;  // slices with fewer samples are flagged small (and not candidates for the largest gap)
  QString source;        // names the evaluation in errors ("job 7, model student")
  QString fieldKey = QStringLiteral("slice_by");  // how errors name the field setting ("--by" on the command line)
};

struct Slice {
  QString value;                  // the field's value; kMissingSlice for rows without it
  int64_t count = 0;              // samples in the slice
  bool small = false;             // count < minSize
  QMap<QString, double> metrics;  // metric → value over the slice
  QMap<QString, double> gaps;     // metric → slice − overall
};

struct SliceReport {
  QString field;
  int64_t minSize = 10;
  int64_t samples = 0;            // all samples
  QStringList metrics;            // the metrics present, in a fixed order (accuracies first)
  QMap<QString, double> overall;  // metric → value over all samples
  std::vector<Slice> slices;
  QMap<QString, int> largestGap;  // metric → index into slices
  // {"field", "min_size", "samples", "metrics": [...], "overall": {...}, "slices": [{"value", "count", "small",
  //  "metrics", "gaps"}], "largest_gap": {metric: {"slice", "gap"}}}
  QJsonObject toJson() const;
  static SliceReport fromJson(const QJsonObject& json);
};

// The field names any sample has (scores.fields), sorted.
QStringList sliceFieldNames(const std::vector<EvalSampleRow>& samples);

// Throws Error(o.source, o.fieldKey, field, "is not a field of the evaluated rows (fields: ...)") when no sample
// has the field, and Error(o.source, "samples", "0", ...) when there are no samples.
SliceReport computeSlices(const std::vector<EvalSampleRow>& samples, const QString& field, const SliceOptions& o);

}  // namespace distillery
