// This rank's share of each global batch in a data-parallel run. Every rank reads the same data with the global
// batch size (batch_size × world size) and the same seed, so all draw the same global batch; rank r keeps its
// contiguous rows [r·B/N, (r+1)·B/N). N ranks with batch b thus train on exactly the rows one process with batch
// N·b would (the epoch's last, shorter batch is split as evenly; a rank may get no rows of it).
//
//   TrainingData global(path, renderer, {.batchSize = b * N, ...});
//   RankShare mine(global, rank, N);     // a BatchSource for the Trainer
#pragma once
#include "train/TrainTask.h"

namespace distillery {

// Rows [begin, end) of a batch (all its [B, S] tensors), tokens recounted. begin == end gives a batch of no rows.
Batch sliceRows(const Batch& batch, int64_t begin, int64_t end);

class RankShare : public BatchSource {
 public:
  // global must outlive this; 0 ≤ rank < worldSize.
  RankShare(BatchSource& global, int rank, int worldSize);

  Batch next() override;
  // Validation: every batch whole (each rank evaluates all of it; only rank 0 reports).
  std::vector<Batch> all() override { return global_.all(); }
  QJsonObject position() const override { return global_.position(); }
  void restore(const QJsonObject& position) override { global_.restore(position); }
  int64_t batchesPerEpoch() const override { return global_.batchesPerEpoch(); }

 private:
  BatchSource& global_;
  int rank_, worldSize_;
};

}  // namespace distillery
