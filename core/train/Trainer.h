// The generic training loop: optimizer steps over a TrainTask with gradient accumulation, clipping, an LR
// schedule, validation and early stopping, atomic checkpoints and exact resume, NaN/OOM handling, metrics
// through a MetricsSink. It knows nothing of distillation or LoRA (those are TrainTasks).
//
//   TrainControl control;                     // the runner flips control.cancel / control.pause
//   JsonlMetricsSink sink(output + "/metrics.jsonl");
//   Trainer trainer(task, trainData, &validationData, TrainerOptions::fromJob(spec));
//   TrainResult r = trainer.run(control, sink);   // never throws: errors come back in r.error
//
// Output folder layout:
//   checkpoints/step-000050/{trainable,optimizer}.safetensors + state.json   (last 2 + the best kept)
//   best/    TrainTask::saveArtifacts at the best validation loss
#pragma once
#include "train/JobSpec.h"
#include "train/TrainTask.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace distillery {

class Collective;

// What the runner (another thread) tells a running loop. Read every micro-step.
struct TrainControl {
  std::atomic_bool cancel{false};  // stop after the current micro-step (status cancelled; a checkpoint is written)
  std::atomic_bool pause{false};   // wait before the next step (polled every 50 ms; cancel still works)
  // Called after every optimizer step with (steps done, total); returning false cancels (llama.cpp style).
  // Runs in the training thread; may be empty.
  std::function<bool(int64_t step, int64_t totalSteps)> progress;
};

// One logged optimizer step.
struct StepMetrics {
  int64_t step = 0;                          // optimizer steps done (1-based: the first step logs 1)
  int64_t totalSteps = 0;                    // TrainSpec::maxSteps
  double loss = 0;                           // token-weighted mean over the step's micro-batches
  std::map<std::string, double> components;  // "ce", "kd", ... logged as loss_<name>
  double lr = 0;                             // learning rate this step used
  double gradNorm = 0;                       // global L2 norm before clipping (NaN for a skipped step)
  double tokensPerSecond = 0;                // tokens that count (labels != -100) / wall time, since (re)start
  double gpuMemoryBytes = -1;                // device memory in use (NVML), -1 on the CPU
  double etaSeconds = -1;                    // remaining steps × mean step time since (re)start
  double epoch = 0;                          // micro-batches consumed / batches per epoch
  double wallTime = 0;                       // seconds since the job started (across resumes)
  int64_t tokensSeen = 0;                    // tokens trained on so far (across resumes)
  int64_t badSteps = 0;                      // steps skipped for NaN/Inf so far
  bool skipped = false;                      // this step was skipped (NaN/Inf loss or gradient)
  // Flat {"step", "loss", "loss_<c>", "lr", "grad_norm", "tokens_per_s", "gpu_mem", "eta_s", "epoch", "wall_s",
  // "tokens", "bad_steps"}: the metrics.jsonl line and the store's metric names.
  QJsonObject toJson() const;
};

// One validation pass over BatchSource::all().
struct ValidationMetrics {
  int64_t step = 0;                          // optimizer steps done when it ran
  double loss = 0;                           // token-weighted mean over all validation batches
  std::map<std::string, double> components;  // token-weighted means, logged as val_loss_<name>
  int64_t tokens = 0;                        // tokens it averaged over
  double wallTime = 0;                       // seconds since the job started
  bool best = false;                         // the best so far (output/best/ was written)
  // {"step", "val_loss", "val_loss_<c>", "val_tokens", "wall_s"}
  QJsonObject toJson() const;
};

// Where the loop's numbers go. A plain interface called from the training thread; batching and thread hand-off
// are the sink's business. Every method has an empty default.
class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  virtual void stepMetrics(const StepMetrics&) {}
  virtual void validationMetrics(const ValidationMetrics&) {}
  virtual void checkpointWritten(int64_t step, const QString& dir) {}
  // Human sentences: early stop, a failed checkpoint write, a skipped NaN step, resume.
  virtual void message(const QString& text) {}
  // Called once when the loop starts, with the step it starts from: the checkpoint's step on resume, 0 for a
  // fresh run. Rows an earlier run logged for later steps belong to a lost run (drop them).
  virtual void resumed(int64_t step) {}
  // The run ended (any status); flush what is buffered.
  virtual void finished() {}
};

// Forwards to several sinks (null entries skipped), in order.
class MultiMetricsSink : public MetricsSink {
 public:
  explicit MultiMetricsSink(std::vector<MetricsSink*> sinks) : sinks_(std::move(sinks)) {}
  void stepMetrics(const StepMetrics& m) override;
  void validationMetrics(const ValidationMetrics& m) override;
  void checkpointWritten(int64_t step, const QString& dir) override;
  void message(const QString& text) override;
  void resumed(int64_t step) override;
  void finished() override;

 private:
  std::vector<MetricsSink*> sinks_;
};

struct TrainerOptions {
  TrainSpec train;                     // steps, batch, lr, schedule, accumulation, clipping, eval/save cadence, seed
  QString outputDir;                   // best/ and (by default) checkpoints/ go here; created when missing
  QString checkpointDir;               // empty: outputDir + "/checkpoints"
  QString device = "cpu";              // the task's device, for autocast and OOM messages ("cpu", "cuda:0")
  bool resume = false;                 // continue from the newest complete checkpoint (none: start fresh, said so)
  int keepCheckpoints = 2;             // newest checkpoints kept besides the best one
  bool failOnCheckpointError = false;  // false: a failed checkpoint write is reported and the run goes on
  bool saveFinal = true;               // call TrainTask::saveArtifacts(outputDir) when the run finishes or stops early
  // Test hook: called with the temp folder after a checkpoint's files are written, before it is renamed into
  // place; throwing simulates a failed write (disk full).
  std::function<void(const QString& tempDir)> beforeCheckpointCommit;
  // Data-parallel run (train/Collective.h): null or one rank, the single-process loop. With several ranks each
  // step's token count, loss and gradients are summed over the ranks (the train source gives this rank's share
  // of the global batch), rank 0's parameters are broadcast at the start, only rank 0 writes checkpoints, best/
  // and the output, and cancel takes effect on all ranks after the same step. Pause is not supported there.
  Collective* collective = nullptr;

  static TrainerOptions fromJob(const JobSpec& spec);  // train, output, device from the job
};

enum class TrainStatus { Finished, Cancelled, EarlyStopped, Failed };
QString trainStatusName(TrainStatus s);  // "finished", "cancelled", "early_stopped", "failed"

struct TrainResult {
  TrainStatus status = TrainStatus::Failed;
  QString error;      // failed: why (NaN steps naming the step, OOM with a smaller setting, ...)
  int64_t steps = 0;  // optimizer steps done (skipped NaN steps included)
  double bestValLoss = std::numeric_limits<double>::quiet_NaN();  // NaN when no validation ran
  QString bestCheckpoint;                                      // the best model's folder (output/best), empty when none
  double lastLoss = std::numeric_limits<double>::quiet_NaN();  // the last step's training loss
  QString lastCheckpoint;                                      // the newest complete checkpoint folder, empty when none
};

class Trainer {
 public:
  // The task, sources and sink must outlive run(). validation may be null (no validation, no early stopping).
  Trainer(TrainTask& task, BatchSource& train, BatchSource* validation, const TrainerOptions& options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Runs to maxSteps, cancel, early stop or failure. Never throws: exceptions (task, data, OOM) become
  // status failed and their text the error.
  TrainResult run(TrainControl& control, MetricsSink& sink);

 private:
  struct State;
  TrainTask& task_;
  BatchSource& train_;
  BatchSource* validation_;
  TrainerOptions options_;
};

}  // namespace distillery
