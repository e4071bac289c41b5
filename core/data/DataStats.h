// Statistics of a dataset, and drift between two: what a dataset holds (rows, schemas, characters, tokens,
// vocabulary use, unknown and byte-fallback tokens, optionally perplexity under a model) and whether a second
// dataset looks like it came from the same place.
//
//   DatasetStats a = datasetStats("train.jsonl", {.tokenizerDir = model});
//   DatasetStats b = datasetStats("new.csv", {.map = parseFieldMap("text=body", "--map"), .tokenizerDir = model});
//   Drift d = drift(a, b);          // d.drifted: some feature's |z| > threshold
//
// Every row is streamed once (RowReader → applyFieldMap → rowText), so memory is one row plus 4 bytes a row
// for the exact token-length quantiles. Per-row features keep Welford running sums (RunningStat), so drift
// needs nothing but the two stats objects:
//   z = (mean_B − mean_A) / sqrt(var_A/n_A + var_B/n_B)   (Welch; sample variances, ddof 1)
#pragma once
#include "data/DataSchema.h"
#include "data/RowReader.h"

#include <torch/types.h>

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>

#include <cstdint>
#include <limits>
#include <vector>

namespace distillery {

// Count, mean, sample variance (Welford's update, stable for millions of rows), min and max of a stream.
struct RunningStat {
  int64_t n = 0;
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from the mean
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void add(double x);
  double variance() const { return n > 1 ? m2 / double(n - 1) : 0.0; }  // ddof 1, as numpy.var(ddof=1)
  double stddev() const;
  QJsonObject toJson() const;  // {"n", "mean", "std", "min", "max"} (min/max null when n is 0)
};

struct StatsOptions {
  ReadOptions read;              // how the file is read (format, bad rows, progress)
  FieldMap map;                  // applied to every row first
  QString schema;                // the rows' schema; empty: detected row by row
  QString tokenizerDir;          // a model folder with tokenizer.json; empty: no token statistics
  QString modelDir;              // a model folder; set: per-row perplexity under it (its own tokenizer)
  torch::Device device = torch::kCPU;  // where the perplexity model runs
  int64_t maxLength = 512;       // perplexity: tokens per row at most (longer rows are cut)
  int64_t batchSize = 8;         // perplexity: rows per forward pass
  int bins = 20;                 // token-length histogram: equal-width bins from min to max (numpy.histogram)
};

struct DatasetStats {
  QString path;
  QString format;                 // formatName of the format read
  int64_t rows = 0;               // rows counted (read and fitting their schema)
  int64_t badRows = 0;            // rows the reader refused
  int64_t schemaErrors = 0;       // rows read but not fitting their schema (missing or wrong-typed fields)
  QJsonObject reader;             // RowReader::report() (bad rows with their lines)
  QMap<QString, int64_t> schemas; // detected schema → rows ("unknown" when none fits)
  RunningStat chars;              // characters (Unicode code points) of rowText per row

  // With a tokenizer:
  bool tokenized = false;
  RunningStat tokens;             // tokens per row (add_special_tokens false)
  std::vector<int32_t> tokenLengths;  // every row's token count, for quantiles and the histogram
  int64_t vocabSize = 0;
  int64_t distinctTokens = 0;     // token ids seen at least once
  int64_t totalTokens = 0, unkTokens = 0, byteTokens = 0;
  RunningStat unkRate;            // per row: unknown-token share of its tokens (rows with tokens)
  RunningStat byteRate;           // per row: byte-fallback ("<0x0A>") share of its tokens

  // With a model:
  RunningStat perplexity;         // per row with at least 2 tokens: exp(mean NLL of tokens 2..n)

  int bins = 20;
  double quantile(double q) const;  // token-length quantile, linear interpolation (numpy's default)
  std::vector<double> histogramEdges() const;  // bins + 1 edges, numpy.histogram's: linspace(min, max, bins + 1)
  std::vector<int64_t> histogram() const;      // token rows per bin, [e_i, e_i+1) with the last bin closed
  // {"path", "format", "rows", "bad_rows", "schema_errors", "issues", "schemas", "schema", "chars", "tokens"?:
  //  {..., "p50", "p90", "p99", "histogram": {"edges", "counts"}}, "vocab_coverage"?, "unk_rate"?,
  //  "byte_fallback_rate"?, "perplexity"?}
  QJsonObject toJson() const;
};

// Reads path once and returns its statistics. Throws what RowReader throws (FormatError, Cancelled), FormatError
// for a tokenizer or model that cannot be loaded.
DatasetStats datasetStats(const QString& path, const StatsOptions& o);

struct DriftFeature {
  QString name;              // "chars", "tokens", "unk_rate", "byte_fallback_rate", "perplexity"
  RunningStat a, b;
  double z = 0;              // Welch z of mean_B − mean_A; ±inf when both variances are 0 and the means differ
  bool flagged = false;      // |z| > threshold
};

struct Drift {
  double threshold = 3.0;
  std::vector<DriftFeature> features;  // the features both datasets have, with at least 2 rows on each side
  bool drifted() const;
  // {"threshold", "drifted", "features": [{"name", "mean_a", "mean_b", "n_a", "n_b", "z", "flagged"}]}
  QJsonObject toJson() const;
};

double welchZ(const RunningStat& a, const RunningStat& b);
Drift drift(const DatasetStats& a, const DatasetStats& b, double threshold = 3.0);

}  // namespace distillery
