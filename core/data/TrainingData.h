// The training data path of a job: a dataset file → rendered, masked examples (Example.h) → rows (one example
// each, or several packed, Packing.h) → shuffled, padded batches (a BatchSource the Trainer pulls from).
//
//   ExampleRenderer r(tokenizer, studentDir, spec.data.format, spec.data.responsesOnly);
//   TrainingData data(spec.data.train, r, {.seqLen = 512, .batchSize = 8, .seed = 0, .device = device});
//   Batch b = data.next();       // inputIds/attentionMask/labels/positionIds [B, S], labels shifted
//   data.stats();                // {"mode", "rows", "padding_waste_pct", ...}
//
// Batches: labels are shifted for a causal LM (labels[s] = ids[s+1] when token s+1 is counted, else -100; the
// last position is -100), sequences are cut to seqLen tokens, and each batch is padded to its longest row
// (right padding by default; left padding as generation uses, with position ids cumsum(mask) − 1 either way, so
// both give the same loss). Rows whose counted tokens were all cut away are dropped when the file is read
// (skipped() says how many). Epochs: the row order is a Fisher–Yates shuffle by a mt19937_64 seeded with
// (seed, epoch), so the same seed gives the same batches on every platform; position() = {epoch, index, seed}
// resumes exactly there.
//
// Packing (options.packing): examples are packed into rows of seqLen tokens once, when the data is read
// (best-fit decreasing, Packing.h), with segment ids keeping attention inside each example; epochs shuffle the
// rows. Bucketing (options.bucketing): after the shuffle, the rows of each window of bucketWindow batches are
// sorted by length (longest first) and cut into batches, then the order of all the epoch's batches is shuffled
// by the same generator, so a batch holds rows of similar length and pads little. Both are deterministic with
// the seed. Padding waste = padding positions / all positions of an epoch's batches.
#pragma once
#include "data/DataSchema.h"
#include "data/Example.h"
#include "data/Packing.h"
#include "train/TrainTask.h"

#include <torch/types.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

// What happens to an example longer than seqLen.
enum class Truncation {
  Right,  // keep its first seqLen tokens (the prompt's start; a long reply loses its end)
  Left,   // keep its last seqLen tokens (the reply and the end of the prompt; the start, e.g. a system prompt, goes)
  Drop,   // leave it out (counted in skipped())
};

// "right" | "left" | "drop" → Truncation; throws Error(where, value) for anything else.
Truncation parseTruncation(const QString& name, const QString& where);

struct TrainingDataOptions {
  int64_t seqLen = 512;                // tokens per row at most (longer examples: see truncation)
  Truncation truncation = Truncation::Right;  // what an example longer than seqLen loses
  int64_t batchSize = 8;               // rows per batch (the epoch's last batch may be smaller)
  uint64_t seed = 0;                   // shuffle seed
  bool shuffle = true;                 // false: file order (validation)
  Padding padding = Padding::Right;    // where padding goes
  torch::Device device = torch::kCPU;  // batches are moved here
  int32_t padId = -1;                  // padding token; -1: the tokenizer's pad, else its eos, else 0
  bool packing = false;                // several examples per row of seqLen tokens, attention kept inside each
  bool bucketing = false;              // batches of rows of similar length (less padding)
  int64_t bucketWindow = 50;           // bucketing: rows are sorted by length within windows of this many batches
  FieldMap fields;                     // schema field → source field, applied to each row before rendering
};

// Rows of one example each → one batch (on the CPU). rows must not be empty. (collateRows in Packing.h.)
Batch collate(const std::vector<const Example*>& rows, int64_t seqLen, int32_t padId, Padding padding);

// Every row of a dataset file rendered (blank lines skipped), fields renamed by `fields` first. Throws
// FormatError("FILE:LINE", field, ...) for a line that is not a JSON object or a row the renderer refuses,
// FormatError(FILE) when it cannot be read.
std::vector<Example> readExamples(const QString& path, const ExampleRenderer& renderer, const FieldMap& fields = {});

// Tokens and positions (rows × width, padding included) of the batches of one epoch.
struct PaddingStats {
  int64_t tokens = 0;     // real tokens
  int64_t positions = 0;  // all positions
  // padding positions / all positions, in percent (0 when there are no positions)
  double wastePercent() const { return positions > 0 ? 100.0 * double(positions - tokens) / double(positions) : 0; }
};

class TrainingData : public BatchSource {
 public:
  // Reads and renders the whole file. Throws FormatError naming the file when no row has a token to train on.
  TrainingData(const QString& path, const ExampleRenderer& renderer, const TrainingDataOptions& o);
  // Examples already rendered (tests, other sources).
  TrainingData(std::vector<Example> examples, const QString& origin, const TrainingDataOptions& o);

  Batch next() override;
  std::vector<Batch> all() override;
  QJsonObject position() const override;
  void restore(const QJsonObject& position) override;
  int64_t batchesPerEpoch() const override;

  const std::vector<Example>& examples() const { return examples_; }
  // The rows batches are made of: example indices per row (one each unless packing).
  const std::vector<PackedRow>& rows() const { return rows_; }
  int64_t skipped() const { return skipped_; }  // examples left out: nothing counted within seqLen, or too long
                                                // under Truncation::Drop
  int64_t truncated() const { return truncated_; }  // examples longer than seqLen (before truncation)
  int64_t epoch() const { return epoch_; }

  // Padding of the batches of epoch `epoch` as next() gives them (bucketed and plain batches differ per epoch).
  PaddingStats padding(int64_t epoch = 0) const;
  double paddingWastePercent(int64_t epoch = 0) const { return padding(epoch).wastePercent(); }
  // {"mode": "plain"|"bucketed"|"packed"|"packed+bucketed", "examples", "skipped", "truncated" (examples longer
  // than seq_len), "rows", "batches_per_epoch", "tokens", "positions", "padding_waste_pct"} for epoch 0.
  QJsonObject stats() const;

 private:
  using Plan = std::vector<std::vector<size_t>>;  // an epoch's batches: row indices per batch

  void init(const QString& origin);
  Plan planFor(int64_t epoch, bool shuffle) const;
  Batch batchOf(const std::vector<size_t>& rows) const;

  std::vector<Example> examples_;
  std::vector<PackedRow> rows_;
  std::vector<int64_t> rowLengths_;  // tokens of each row after the cut
  TrainingDataOptions o_;
  int32_t padId_ = 0;
  int64_t skipped_ = 0;
  int64_t truncated_ = 0;
  int64_t epoch_ = 0;
  int64_t index_ = 0;  // next batch within the epoch
  Plan plan_;          // this epoch's batches
};

}  // namespace distillery
