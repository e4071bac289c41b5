#include "data/DataStats.h"

#include "common/Error.h"
#include "data/Perplexity.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

#include <algorithm>
#include <cmath>
#include <optional>

namespace distillery {

void RunningStat::add(double x) {
  ++n;
  const double delta = x - mean;
  mean += delta / double(n);
  m2 += delta * (x - mean);
  min = std::min(min, x);
  max = std::max(max, x);
}

double RunningStat::stddev() const { return std::sqrt(variance()); }

QJsonObject RunningStat::toJson() const {
  QJsonObject o{{"n", qint64(n)}, {"mean", mean}, {"std", stddev()}};
  o.insert("min", n ? QJsonValue(min) : QJsonValue());
  o.insert("max", n ? QJsonValue(max) : QJsonValue());
  return o;
}

double DatasetStats::quantile(double q) const {
  if (tokenLengths.empty()) return 0;
  std::vector<int32_t> sorted = tokenLengths;
  std::sort(sorted.begin(), sorted.end());
  const double at = q * double(sorted.size() - 1);
  const size_t lo = size_t(std::floor(at)), hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (at - double(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<double> DatasetStats::histogramEdges() const {
  // As numpy.histogram(lengths, bins): linspace(min, max, bins + 1), widened by 0.5 each way when all are equal.
  double lo = tokens.n ? tokens.min : 0, hi = tokens.n ? tokens.max : 0;
  if (hi == lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  std::vector<double> edges(size_t(bins) + 1);
  const double step = (hi - lo) / bins;
  for (int i = 0; i <= bins; ++i) edges[size_t(i)] = lo + i * step;
  edges.back() = hi;
  return edges;
}

std::vector<int64_t> DatasetStats::histogram() const {
  const std::vector<double> edges = histogramEdges();
  std::vector<int64_t> counts(size_t(bins), 0);
  const double norm = bins / (edges.back() - edges.front());
  for (const int32_t len : tokenLengths) {
    // Bins are [e_i, e_i+1), the last one closed; the guess from the bin width is checked against the edges.
    int64_t i = std::min<int64_t>(int64_t((len - edges.front()) * norm), bins - 1);
    if (len < edges[size_t(i)]) --i;
    else if (i + 1 < bins && len >= edges[size_t(i) + 1]) ++i;
    counts[size_t(i)] += 1;
  }
  return counts;
}

QJsonObject DatasetStats::toJson() const {
  QJsonObject schemaCounts;
  for (auto it = schemas.begin(); it != schemas.end(); ++it) schemaCounts.insert(it.key(), qint64(it.value()));
  // The schema the rows follow: the one most rows have ("mixed" is then only a note).
  QString majority;
  for (auto it = schemas.begin(); it != schemas.end(); ++it)
    if (majority.isEmpty() || it.value() > schemas.value(majority)) majority = it.key();
  QJsonObject o{{"path", path},
                {"format", format},
                {"rows", qint64(rows)},
                {"bad_rows", qint64(badRows)},
                {"schema_errors", qint64(schemaErrors)},
                {"issues", reader.value("issues")},
                {"schemas", schemaCounts},
                {"schema", majority},
                {"mixed", schemas.size() > 1},
                {"chars", chars.toJson()}};
  if (tokenized) {
    QJsonObject t = tokens.toJson();
    t.insert("total", qint64(totalTokens));
    t.insert("p50", quantile(0.5));
    t.insert("p90", quantile(0.9));
    t.insert("p99", quantile(0.99));
    QJsonArray edges, counts;
    for (const double e : histogramEdges()) edges.append(e);
    for (const int64_t c : histogram()) counts.append(qint64(c));
    t.insert("histogram", QJsonObject{{"edges", edges}, {"counts", counts}});
    o.insert("tokens", t);
    o.insert("vocab_size", qint64(vocabSize));
    o.insert("distinct_tokens", qint64(distinctTokens));
    o.insert("vocab_coverage", vocabSize ? double(distinctTokens) / double(vocabSize) : 0.0);
    o.insert("unk_rate", totalTokens ? double(unkTokens) / double(totalTokens) : 0.0);
    o.insert("byte_fallback_rate", totalTokens ? double(byteTokens) / double(totalTokens) : 0.0);
    o.insert("unk_rate_per_row", unkRate.toJson());
    o.insert("byte_fallback_rate_per_row", byteRate.toJson());
  }
  if (perplexity.n) o.insert("perplexity", perplexity.toJson());
  return o;
}

namespace {

int64_t codePoints(const QString& s) {
  return std::count_if(s.begin(), s.end(), [](QChar c) { return !c.isLowSurrogate(); });
}

// Rows for the perplexity model, scored a batch at a time.
class PerplexityBatches {
 public:
  PerplexityBatches(const StatsOptions& o, RunningStat& out)
      : model_(loadModel(o.modelDir, torch::kFloat32, o.device)),
        tokenizer_(Tokenizer::fromDirectory(o.modelDir)),
        maxLength_(o.maxLength),
        batchSize_(std::max<int64_t>(o.batchSize, 1)),
        out_(out) {}

  void add(const QString& text) {
    std::vector<int32_t> ids = tokenizer_.encode(text, true);  // as the model sees a document: BOS first
    if (int64_t(ids.size()) > maxLength_) ids.resize(size_t(maxLength_));
    if (ids.size() < 2) return;  // nothing is predicted
    pending_.push_back(std::move(ids));
    if (int64_t(pending_.size()) >= batchSize_) flush();
  }

  void flush() {
    for (const double p : rowPerplexities(model_.model, pending_)) out_.add(p);
    pending_.clear();
  }

 private:
  LoadedModel model_;
  Tokenizer tokenizer_;
  int64_t maxLength_, batchSize_;
  RunningStat& out_;
  std::vector<std::vector<int32_t>> pending_;
};

// Token statistics of one row at a time.
class TokenCounter {
 public:
  TokenCounter(const QString& dir, DatasetStats& s) : tokenizer_(Tokenizer::fromDirectory(dir)), s_(s) {
    s_.tokenized = true;
    s_.vocabSize = tokenizer_.vocabSize();
    seen_.assign(size_t(s_.vocabSize), 0);
    // SentencePiece-style byte fallback pieces: "<0x0A>".
    static const QRegularExpression byteToken(QStringLiteral("^<0x[0-9A-Fa-f]{2}>$"));
    isByte_.assign(size_t(s_.vocabSize), 0);
    for (int32_t id = 0; id < int32_t(s_.vocabSize); ++id)
      isByte_[size_t(id)] = byteToken.match(tokenizer_.idToToken(id)).hasMatch();
    unk_ = tokenizer_.unkId();
  }

  void add(const QString& text) {
    const std::vector<int32_t> ids = tokenizer_.encode(text, false);
    int64_t unk = 0, bytes = 0;
    for (const int32_t id : ids) {
      if (id >= 0 && size_t(id) >= seen_.size()) {  // an id past the reported size (added tokens)
        seen_.resize(size_t(id) + 1, 0);
        isByte_.resize(size_t(id) + 1, 0);
      }
      if (id >= 0 && !seen_[size_t(id)]) {
        seen_[size_t(id)] = 1;
        ++s_.distinctTokens;
      }
      unk += unk_ && id == *unk_;
      bytes += id >= 0 && isByte_[size_t(id)];
    }
    const int64_t n = int64_t(ids.size());
    s_.tokens.add(double(n));
    s_.tokenLengths.push_back(int32_t(n));
    s_.totalTokens += n;
    s_.unkTokens += unk;
    s_.byteTokens += bytes;
    if (n) {
      s_.unkRate.add(double(unk) / double(n));
      s_.byteRate.add(double(bytes) / double(n));
    }
  }

 private:
  Tokenizer tokenizer_;
  DatasetStats& s_;
  std::vector<uint8_t> seen_, isByte_;
  std::optional<int32_t> unk_;
};

}  // namespace

DatasetStats datasetStats(const QString& path, const StatsOptions& o) {
  if (!o.schema.isEmpty() && !dataSchemas().contains(o.schema))
    throw UsageError(QString(), QStringLiteral("--schema"), o.schema,
                     QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
  DatasetStats s;
  s.path = path;
  if (o.bins < 1) throw UsageError(QString(), QStringLiteral("--bins"), QString::number(o.bins),
                                   QStringLiteral("must be a whole number >= 1"));
  s.bins = o.bins;
  RowReader reader(path, o.read);
  s.format = formatName(reader.format());
  std::optional<TokenCounter> counter;
  const QString tokenizerDir = o.tokenizerDir.isEmpty() ? o.modelDir : o.tokenizerDir;
  if (!tokenizerDir.isEmpty()) counter.emplace(tokenizerDir, s);
  std::optional<PerplexityBatches> ppl;
  if (!o.modelDir.isEmpty()) ppl.emplace(o, s.perplexity);

  Row row;
  while (reader.next(row)) {
    const QJsonObject fields = applyFieldMap(row.fields, o.map);
    const QString detected = detectSchema(fields);
    const QString schema = o.schema.isEmpty() ? detected : o.schema;
    QString text;
    try {
      if (schema.isEmpty())
        throw FormatError(QString(), QString(), QString(), QStringLiteral("fits no schema"));
      text = rowText(fields, schema, QStringLiteral("%1:%2").arg(row.source).arg(row.line));
    } catch (const FormatError&) {
      // Not a schema's row: counted, never fatal here (`data convert` is where a row's fit is enforced).
      ++s.schemaErrors;
      continue;
    }
    ++s.rows;
    s.schemas[detected.isEmpty() ? QStringLiteral("unknown") : detected] += 1;
    s.chars.add(double(codePoints(text)));
    if (counter) counter->add(text);
    if (ppl) ppl->add(text);
  }
  if (ppl) ppl->flush();
  s.badRows = reader.badRows();
  s.reader = reader.report();
  return s;
}

double welchZ(const RunningStat& a, const RunningStat& b) {
  const double diff = b.mean - a.mean;
  const double se = std::sqrt(a.variance() / double(a.n) + b.variance() / double(b.n));
  if (se > 0) return diff / se;
  return diff == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
}

bool Drift::drifted() const {
  return std::any_of(features.begin(), features.end(), [](const DriftFeature& f) { return f.flagged; });
}

QJsonObject Drift::toJson() const {
  QJsonArray list;
  for (const DriftFeature& f : features)
    list.append(QJsonObject{{"name", f.name},
                            {"mean_a", f.a.mean},
                            {"mean_b", f.b.mean},
                            {"std_a", f.a.stddev()},
                            {"std_b", f.b.stddev()},
                            {"n_a", qint64(f.a.n)},
                            {"n_b", qint64(f.b.n)},
                            {"z", std::isfinite(f.z) ? QJsonValue(f.z) : QJsonValue(f.z > 0 ? "inf" : "-inf")},
                            {"flagged", f.flagged}});
  return QJsonObject{{"threshold", threshold}, {"drifted", drifted()}, {"features", list}};
}

Drift drift(const DatasetStats& a, const DatasetStats& b, double threshold) {
  Drift d;
  d.threshold = threshold;
  const auto add = [&](const QString& name, const RunningStat& x, const RunningStat& y) {
    if (x.n < 2 || y.n < 2) return;  // no variance to compare against
    DriftFeature f{name, x, y, welchZ(x, y), false};
    f.flagged = std::abs(f.z) > threshold;
    d.features.push_back(f);
  };
  add(QStringLiteral("chars"), a.chars, b.chars);
  if (a.tokenized && b.tokenized) {
    add(QStringLiteral("tokens"), a.tokens, b.tokens);
    add(QStringLiteral("unk_rate"), a.unkRate, b.unkRate);
    add(QStringLiteral("byte_fallback_rate"), a.byteRate, b.byteRate);
  }
  add(QStringLiteral("perplexity"), a.perplexity, b.perplexity);
  return d;
}

}  // namespace distillery
