// The training data path of a job: a JSONL file → rendered, masked examples (Example.h) → shuffled, padded
// batches (a BatchSource the Trainer pulls from).
//
//   ExampleRenderer r(tokenizer, studentDir, spec.data.format, spec.data.responsesOnly);
//   TrainingData data(spec.data.train, r, {.seqLen = 512, .batchSize = 8, .seed = 0, .device = device});
//   Batch b = data.next();       // inputIds/attentionMask/labels/positionIds [B, S], labels shifted
//
// Batches: labels are shifted for a causal LM (labels[s] = ids[s+1] when token s+1 is counted, else -100; the
// last position is -100), sequences are cut to seqLen tokens, and each batch is padded to its longest row
// (right padding by default; left padding as generation uses, with position ids cumsum(mask) − 1 either way, so
// both give the same loss). Rows whose counted tokens were all cut away are dropped when the file is read
// (skipped() says how many). Epochs: the row order is a Fisher–Yates shuffle by a mt19937_64 seeded with
// (seed, epoch), so the same seed gives the same batches on every platform; position() = {epoch, index, seed}
// resumes exactly there.
//
// The full pipeline (cleaning, dedup, packing, statistics) belongs to the data issue; this is the minimal path.
#pragma once
#include "data/Example.h"
#include "train/TrainTask.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

enum class Padding {
  Right,  // tokens first, padding after (training default)
  Left,   // padding first, as batched generation does
};

struct TrainingDataOptions {
  int64_t seqLen = 512;                // tokens per row at most (longer rows are cut)
  int64_t batchSize = 8;               // rows per batch (the epoch's last batch may be smaller)
  uint64_t seed = 0;                   // shuffle seed
  bool shuffle = true;                 // false: file order (validation)
  Padding padding = Padding::Right;    // where padding goes
  torch::Device device = torch::kCPU;  // batches are moved here
  int32_t padId = -1;                  // padding token; -1: the tokenizer's pad, else its eos, else 0
};

// Rows → one batch (on the CPU). rows must not be empty.
Batch collate(const std::vector<const Example*>& rows, int64_t seqLen, int32_t padId, Padding padding);

// Every row of a JSONL file rendered (blank lines skipped). Throws FormatError("FILE:LINE", field, ...) for a
// line that is not a JSON object or a row the renderer refuses, FormatError(FILE) when it cannot be read.
std::vector<Example> readExamples(const QString& jsonlPath, const ExampleRenderer& renderer);

class TrainingData : public BatchSource {
 public:
  // Reads and renders the whole file. Throws FormatError naming the file when no row has a token to train on.
  TrainingData(const QString& jsonlPath, const ExampleRenderer& renderer, const TrainingDataOptions& o);
  // Examples already rendered (tests, other sources).
  TrainingData(std::vector<Example> examples, const QString& origin, const TrainingDataOptions& o);

  Batch next() override;
  std::vector<Batch> all() override;
  QJsonObject position() const override;
  void restore(const QJsonObject& position) override;
  int64_t batchesPerEpoch() const override;

  const std::vector<Example>& examples() const { return examples_; }
  int64_t skipped() const { return skipped_; }  // rows dropped: nothing counted within seqLen
  int64_t epoch() const { return epoch_; }

 private:
  void init(const QString& origin);
  void shuffleFor(int64_t epoch);
  Batch batchAt(const std::vector<size_t>& order, int64_t index) const;

  std::vector<Example> examples_;
  TrainingDataOptions o_;
  int32_t padId_ = 0;
  int64_t skipped_ = 0;
  int64_t epoch_ = 0;
  int64_t index_ = 0;          // next batch within the epoch
  std::vector<size_t> order_;  // this epoch's row order
};

}  // namespace distillery
