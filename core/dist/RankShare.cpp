#include "dist/RankShare.h"

#include "common/Error.h"

#include <torch/torch.h>

namespace distillery {

namespace {

torch::Tensor rows(const torch::Tensor& t, int64_t begin, int64_t end) {
  return t.defined() ? t.narrow(0, begin, end - begin) : t;
}

}  // namespace

Batch sliceRows(const Batch& batch, int64_t begin, int64_t end) {
  Batch b;
  b.inputIds = rows(batch.inputIds, begin, end);
  b.attentionMask = rows(batch.attentionMask, begin, end);
  b.labels = rows(batch.labels, begin, end);
  b.positionIds = rows(batch.positionIds, begin, end);
  b.segmentIds = rows(batch.segmentIds, begin, end);
  b.tokens = b.labels.defined() ? (b.labels != -100).sum().item<int64_t>() : 0;
  return b;
}

RankShare::RankShare(BatchSource& global, int rank, int worldSize)
    : global_(global), rank_(rank), worldSize_(worldSize) {
  if (worldSize < 1 || rank < 0 || rank >= worldSize)
    throw Error(QString(), QStringLiteral("rank"), QString::number(rank),
                QStringLiteral("must be between 0 and the world size %1 - 1").arg(worldSize));
}

Batch RankShare::next() {
  const Batch global = global_.next();
  const int64_t n = global.inputIds.size(0);
  return sliceRows(global, n * rank_ / worldSize_, n * (rank_ + 1) / worldSize_);
}

}  // namespace distillery
