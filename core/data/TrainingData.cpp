#include "data/TrainingData.h"

#include "common/Error.h"
#include "data/RowReader.h"
#include "data/SeededRandom.h"

#include <torch/torch.h>

#include <QtCore/QJsonDocument>

#include <algorithm>
#include <random>

namespace distillery {

Truncation parseTruncation(const QString& name, const QString& where) {
  if (name == QLatin1String("right")) return Truncation::Right;
  if (name == QLatin1String("left")) return Truncation::Left;
  if (name == QLatin1String("drop")) return Truncation::Drop;
  throw Error(QString(), where, name, QStringLiteral("must be right, left or drop"));
}

Batch collate(const std::vector<const Example*>& rows, int64_t seqLen, int32_t padId, Padding padding) {
  std::vector<std::vector<const Example*>> single;
  for (const Example* e : rows) single.push_back({e});
  return collateRows(single, seqLen, padId, padding, /*packed=*/false);
}

std::vector<Example> readExamples(const QString& path, const ExampleRenderer& renderer, const FieldMap& fields) {
  // Any format RowReader reads (JSONL, JSON array, CSV/TSV, text); a bad row fails the job with its FILE:LINE.
  ReadOptions options;
  options.onBadRow = BadRowPolicy::Fail;
  RowReader reader(path, options);
  std::vector<Example> out;
  Row row;
  while (reader.next(row)) out.push_back(renderer.render(applyFieldMap(row.fields, fields), row.source, row.line));
  return out;
}

TrainingData::TrainingData(const QString& path, const ExampleRenderer& renderer, const TrainingDataOptions& o)
    : examples_(readExamples(path, renderer, o.fields)), o_(o) {
  if (o_.padId < 0) {
    const Tokenizer& t = renderer.tokenizer();
    o_.padId = t.padId().value_or(t.eosId().value_or(0));
  }
  init(path);
}

TrainingData::TrainingData(std::vector<Example> examples, const QString& origin, const TrainingDataOptions& o)
    : examples_(std::move(examples)), o_(o) {
  if (o_.padId < 0) o_.padId = 0;
  init(origin);
}

void TrainingData::init(const QString& origin) {
  if (o_.seqLen < 2)
    throw Error(origin, QStringLiteral("train.seq_len"), QString::number(o_.seqLen), QStringLiteral("must be ≥ 2"));
  if (o_.batchSize < 1)
    throw Error(origin, QStringLiteral("train.batch_size"), QString::number(o_.batchSize),
                QStringLiteral("must be ≥ 1"));
  padId_ = o_.padId;
  const size_t read = examples_.size();
  const auto tooLong = [&](const Example& e) { return int64_t(e.ids.size()) > o_.seqLen; };
  truncated_ = std::count_if(examples_.begin(), examples_.end(), tooLong);
  if (o_.truncation == Truncation::Drop) {
    examples_.erase(std::remove_if(examples_.begin(), examples_.end(), tooLong), examples_.end());
  } else if (o_.truncation == Truncation::Left) {
    for (Example& e : examples_)
      if (tooLong(e)) {
        const auto cut = std::ptrdiff_t(e.ids.size()) - std::ptrdiff_t(o_.seqLen);
        e.ids.erase(e.ids.begin(), e.ids.begin() + cut);
        e.target.erase(e.target.begin(), e.target.begin() + cut);
      }
  }
  // Drop rows with no counted target inside the cut: they would only add padding.
  const auto useless = [&](const Example& e) {
    const size_t len = std::min<size_t>(e.ids.size(), size_t(o_.seqLen));
    for (size_t s = 1; s < len; ++s)
      if (e.target[s]) return false;
    return true;
  };
  examples_.erase(std::remove_if(examples_.begin(), examples_.end(), useless), examples_.end());
  skipped_ = int64_t(read - examples_.size());
  if (examples_.empty())
    throw FormatError(
        origin, QString(), QString(),
        read == 0 ? QStringLiteral("holds no examples")
                    : QStringLiteral("holds no example with a token to train on within seq_len %1").arg(o_.seqLen));
  if (o_.bucketing && o_.bucketWindow < 1)
    throw Error(origin, QStringLiteral("bucket window"), QString::number(o_.bucketWindow),
                QStringLiteral("must be ≥ 1"));

  std::vector<int64_t> lengths;
  for (const Example& e : examples_) lengths.push_back(std::min<int64_t>(int64_t(e.ids.size()), o_.seqLen));
  if (o_.packing) {
    rows_ = packRows(lengths, o_.seqLen);
  } else {
    rows_.resize(examples_.size());
    for (size_t i = 0; i < rows_.size(); ++i) rows_[i] = {i};
  }
  for (const PackedRow& row : rows_) {
    int64_t len = 0;
    for (size_t i : row) len += lengths[i];
    rowLengths_.push_back(len);
  }
  plan_ = planFor(0, o_.shuffle);
}

TrainingData::Plan TrainingData::planFor(int64_t epoch, bool shuffle) const {
  std::vector<size_t> order(rows_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // std::shuffle's use of the engine is not fixed by the standard; shuffleInPlace (SeededRandom.h) is.
  std::mt19937_64 rng(o_.seed * 0x9E3779B97F4A7C15ULL + uint64_t(epoch) + 1);
  if (shuffle) shuffleInPlace(order, rng);

  const size_t batch = size_t(o_.batchSize);
  // Without bucketing one window holds the whole epoch and keeps its order.
  const size_t window = o_.bucketing ? batch * size_t(o_.bucketWindow) : std::max<size_t>(order.size(), 1);
  Plan plan;
  for (size_t from = 0; from < order.size(); from += window) {
    const auto first = order.begin() + std::ptrdiff_t(from);
    const auto last = order.begin() + std::ptrdiff_t(std::min(order.size(), from + window));
    // Longest first; stable, so equal lengths keep the shuffled order.
    if (o_.bucketing)
      std::stable_sort(first, last, [&](size_t a, size_t b) { return rowLengths_[a] > rowLengths_[b]; });
    for (auto it = first; it < last; it += std::ptrdiff_t(std::min<size_t>(batch, size_t(last - it))))
      plan.emplace_back(it, it + std::ptrdiff_t(std::min<size_t>(batch, size_t(last - it))));
  }
  // The sorted batches would run from long to short within each window: shuffle their order.
  if (o_.bucketing && shuffle) shuffleInPlace(plan, rng);
  return plan;
}

int64_t TrainingData::batchesPerEpoch() const { return int64_t(plan_.size()); }

Batch TrainingData::batchOf(const std::vector<size_t>& rowIndices) const {
  std::vector<std::vector<const Example*>> rows;
  for (size_t r : rowIndices) {
    std::vector<const Example*> members;
    for (size_t i : rows_[r]) members.push_back(&examples_[i]);
    rows.push_back(std::move(members));
  }
  Batch b = collateRows(rows, o_.seqLen, padId_, o_.padding, o_.packing);
  if (o_.device != torch::Device(torch::kCPU)) {
    b.inputIds = b.inputIds.to(o_.device);
    b.attentionMask = b.attentionMask.to(o_.device);
    b.labels = b.labels.to(o_.device);
    b.positionIds = b.positionIds.to(o_.device);
    if (b.segmentIds.defined()) b.segmentIds = b.segmentIds.to(o_.device);
  }
  return b;
}

Batch TrainingData::next() {
  if (index_ >= batchesPerEpoch()) {
    ++epoch_;
    index_ = 0;
    plan_ = planFor(epoch_, o_.shuffle);
  }
  return batchOf(plan_[size_t(index_++)]);
}

std::vector<Batch> TrainingData::all() {
  std::vector<Batch> out;
  for (const std::vector<size_t>& rows : planFor(0, /*shuffle=*/false)) out.push_back(batchOf(rows));
  return out;
}

PaddingStats TrainingData::padding(int64_t epoch) const {
  PaddingStats p;
  for (const std::vector<size_t>& rows : planFor(epoch, o_.shuffle)) {
    int64_t width = 1;  // as collateRows: the batch's longest row
    for (size_t r : rows) {
      width = std::max(width, rowLengths_[r]);
      p.tokens += rowLengths_[r];
    }
    p.positions += width * int64_t(rows.size());
  }
  return p;
}

QJsonObject TrainingData::stats() const {
  const PaddingStats p = padding(0);
  QString mode = o_.packing ? QStringLiteral("packed") : QStringLiteral("plain");
  if (o_.bucketing) mode = o_.packing ? QStringLiteral("packed+bucketed") : QStringLiteral("bucketed");
  return {{"mode", mode},
          {"examples", qint64(examples_.size())},
          {"skipped", qint64(skipped_)},
          {"truncated", qint64(truncated_)},
          {"rows", qint64(rows_.size())},
          {"batches_per_epoch", qint64(plan_.size())},
          {"tokens", qint64(p.tokens)},
          {"positions", qint64(p.positions)},
          {"padding_waste_pct", p.wastePercent()}};
}

QJsonObject TrainingData::position() const {
  return {{"epoch", qint64(epoch_)}, {"index", qint64(index_)}, {"seed", QString::number(o_.seed)}};
}

void TrainingData::restore(const QJsonObject& position) {
  const int64_t epoch = position.value("epoch").toInteger(-1);
  const int64_t index = position.value("index").toInteger(-1);
  if (epoch < 0 || index < 0 || index > batchesPerEpoch())
    throw Error(QString(), QStringLiteral("data position"),
                QString::fromUtf8(QJsonDocument(position).toJson(QJsonDocument::Compact)),
                QStringLiteral("is not a position of this data (%1 batches per epoch)").arg(batchesPerEpoch()));
  epoch_ = epoch;
  index_ = index;
  plan_ = planFor(epoch_, o_.shuffle);
}

}  // namespace distillery
