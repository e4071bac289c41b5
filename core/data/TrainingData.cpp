#include "data/TrainingData.h"

#include "common/Error.h"

#include <torch/torch.h>

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

#include <algorithm>
#include <random>

namespace distillery {

Batch collate(const std::vector<const Example*>& rows, int64_t seqLen, int32_t padId, Padding padding) {
  TORCH_CHECK(!rows.empty(), "collate needs at least one row");
  int64_t width = 1;
  for (const Example* e : rows) width = std::max(width, std::min<int64_t>(int64_t(e->ids.size()), seqLen));
  const int64_t n = int64_t(rows.size());
  torch::Tensor ids = torch::full({n, width}, int64_t(padId), torch::kInt64);
  torch::Tensor mask = torch::zeros({n, width}, torch::kInt64);
  torch::Tensor labels = torch::full({n, width}, int64_t(-100), torch::kInt64);
  auto I = ids.accessor<int64_t, 2>();
  auto M = mask.accessor<int64_t, 2>();
  auto L = labels.accessor<int64_t, 2>();
  int64_t tokens = 0;
  for (int64_t b = 0; b < n; ++b) {
    const Example& e = *rows[size_t(b)];
    const int64_t len = std::min<int64_t>(int64_t(e.ids.size()), seqLen);
    const int64_t offset = padding == Padding::Left ? width - len : 0;
    for (int64_t s = 0; s < len; ++s) {
      I[b][offset + s] = e.ids[size_t(s)];
      M[b][offset + s] = 1;
      // Position s predicts token s + 1, when that token is counted and still inside the cut.
      if (s + 1 < len && e.target[size_t(s + 1)]) {
        L[b][offset + s] = e.ids[size_t(s + 1)];
        ++tokens;
      }
    }
  }
  Batch batch;
  batch.inputIds = ids;
  batch.attentionMask = mask;
  batch.labels = labels;
  // Positions count tokens only, so left and right padding see the same RoPE angles.
  batch.positionIds = (mask.cumsum(1) - 1).clamp_min(0);
  batch.tokens = tokens;
  return batch;
}

std::vector<Example> readExamples(const QString& jsonlPath, const ExampleRenderer& renderer) {
  QFile f(jsonlPath);
  if (!f.open(QIODevice::ReadOnly))
    throw FormatError(jsonlPath, QString(), QString(), QStringLiteral("cannot be read: ") + f.errorString());
  std::vector<Example> out;
  int64_t line = 0;
  while (!f.atEnd()) {
    const QByteArray bytes = f.readLine();
    ++line;
    if (bytes.trimmed().isEmpty()) continue;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    const QString where = QStringLiteral("%1:%2").arg(jsonlPath).arg(line);
    if (doc.isNull())
      throw FormatError(
          where, QString(), QString(),
          QStringLiteral("is not valid JSON: %1 at column %2").arg(error.errorString()).arg(error.offset + 1));
    if (!doc.isObject()) throw FormatError(where, QString(), QString(), QStringLiteral("is not a JSON object"));
    out.push_back(renderer.render(doc.object(), jsonlPath, line));
  }
  return out;
}

TrainingData::TrainingData(const QString& jsonlPath, const ExampleRenderer& renderer, const TrainingDataOptions& o)
    : examples_(readExamples(jsonlPath, renderer)), o_(o) {
  if (o_.padId < 0) {
    const Tokenizer& t = renderer.tokenizer();
    o_.padId = t.padId().value_or(t.eosId().value_or(0));
  }
  init(jsonlPath);
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
  // Drop rows with no counted target inside the cut: they would only add padding.
  const auto useless = [&](const Example& e) {
    const size_t len = std::min<size_t>(e.ids.size(), size_t(o_.seqLen));
    for (size_t s = 1; s < len; ++s)
      if (e.target[s]) return false;
    return true;
  };
  const size_t before = examples_.size();
  examples_.erase(std::remove_if(examples_.begin(), examples_.end(), useless), examples_.end());
  skipped_ = int64_t(before - examples_.size());
  if (examples_.empty())
    throw FormatError(
        origin, QString(), QString(),
        before == 0 ? QStringLiteral("holds no examples")
                    : QStringLiteral("holds no example with a token to train on within seq_len %1").arg(o_.seqLen));
  shuffleFor(0);
}

void TrainingData::shuffleFor(int64_t epoch) {
  order_.resize(examples_.size());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  if (!o_.shuffle) return;
  // mt19937_64's sequence is fixed by the standard (std::shuffle's use of it is not), so write Fisher–Yates out.
  std::mt19937_64 rng(o_.seed * 0x9E3779B97F4A7C15ULL + uint64_t(epoch) + 1);
  for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[size_t(rng() % i)]);
}

int64_t TrainingData::batchesPerEpoch() const { return (int64_t(examples_.size()) + o_.batchSize - 1) / o_.batchSize; }

Batch TrainingData::batchAt(const std::vector<size_t>& order, int64_t index) const {
  std::vector<const Example*> rows;
  const size_t from = size_t(index * o_.batchSize);
  for (size_t i = from; i < std::min(order.size(), from + size_t(o_.batchSize)); ++i)
    rows.push_back(&examples_[order[i]]);
  Batch b = collate(rows, o_.seqLen, padId_, o_.padding);
  if (o_.device != torch::Device(torch::kCPU)) {
    b.inputIds = b.inputIds.to(o_.device);
    b.attentionMask = b.attentionMask.to(o_.device);
    b.labels = b.labels.to(o_.device);
    b.positionIds = b.positionIds.to(o_.device);
  }
  return b;
}

Batch TrainingData::next() {
  if (index_ >= batchesPerEpoch()) {
    ++epoch_;
    index_ = 0;
    shuffleFor(epoch_);
  }
  return batchAt(order_, index_++);
}

std::vector<Batch> TrainingData::all() {
  std::vector<size_t> order(examples_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<Batch> out;
  for (int64_t i = 0; i < batchesPerEpoch(); ++i) out.push_back(batchAt(order, i));
  return out;
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
  shuffleFor(epoch_);
}

}  // namespace distillery
