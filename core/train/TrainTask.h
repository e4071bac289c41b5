// The seam between the generic training loop (Trainer) and what is trained: a TrainTask knows the model(s) and
// the loss, a BatchSource yields token batches. Distillation, LoRA and full fine-tuning are TrainTasks
// (core/jobs/); the Trainer knows none of them.
//
//   Trainer t(task, trainData, &validationData, options);
//   TrainResult r = t.run(control, sink);
#pragma once
#include <torch/types.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace distillery {

// One step's input, already on the task's device.
struct Batch {
  torch::Tensor inputIds;       // [B, S] int64
  torch::Tensor attentionMask;  // [B, S] int64, 1 token / 0 padding; undefined: all tokens
  torch::Tensor labels;         // [B, S] int64, the id to predict at each position (already shifted: labels[b, s]
                                // is the target of logits[b, s]); -100 where no loss is taken (prompt, padding)
  torch::Tensor positionIds;    // [B, S] int64 or undefined (packed rows restart them at 0 per example)
  torch::Tensor segmentIds;     // [B, S] int64 or undefined: in packed rows the example each position belongs to
                                // (1..n per row, 0 padding); attention stays inside an example
  int64_t tokens = 0;           // positions that count (labels != -100), for tokens/s and loss averaging
};

// A loss and its parts for logging. total carries the graph (train) or not (evaluate).
struct LossParts {
  torch::Tensor total;                          // scalar; what backward() runs on
  std::map<std::string, double> components;     // "ce", "kd", "feature", ... (plain numbers, logged as loss_<name>)
  int64_t tokens = 0;                           // tokens the loss averaged over
};

// A named tensor of the model (a parameter, or optimizer state keyed by it).
using NamedTensor = std::pair<std::string, torch::Tensor>;

class TrainTask {
 public:
  virtual ~TrainTask() = default;

  // The parameters the optimizer updates, with stable names (checkpoint keys), in a fixed order; requires_grad set.
  virtual std::vector<NamedTensor> trainableParameters() = 0;
  // Whether a parameter is exempt from weight decay (norms and biases by default).
  virtual bool noWeightDecay(const std::string& name) const;
  // Forward in training mode at `step` (0-based optimizer step; schedules of τ/α read it) and `totalSteps`.
  virtual LossParts loss(const Batch& batch, int64_t step, int64_t totalSteps) = 0;
  // Forward in eval mode without gradients (validation).
  virtual LossParts evaluate(const Batch& batch) = 0;
  // Writes the job's product into dir (merged model, PEFT adapter, ...): called for the final and best models.
  virtual void saveArtifacts(const QString& dir) = 0;
  // Extra state a checkpoint must restore beyond the trainable parameters (e.g. a feature projection's own
  // step counters); most tasks have none.
  virtual QJsonObject extraState() const { return {}; }
  virtual void restoreExtraState(const QJsonObject&) {}
  virtual torch::Device device() const = 0;
};

// An endless, resumable stream of batches (it wraps around epochs with a seeded reshuffle).
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual Batch next() = 0;
  // All batches once, in order, for validation (does not move the training position).
  virtual std::vector<Batch> all() = 0;
  // Where the stream is (epoch, index, seed): a checkpoint stores it and restore() continues exactly there.
  virtual QJsonObject position() const = 0;
  virtual void restore(const QJsonObject& position) = 0;
  // Batches per epoch, for progress and the epoch counter.
  virtual int64_t batchesPerEpoch() const = 0;
};

}  // namespace distillery
