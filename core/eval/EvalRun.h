// An evaluation job's work (JobSpec kind eval): every model of spec.models scored on data.test with the tasks of
// spec.eval, per sample and in aggregate, and every other model compared with the baseline (fidelity).
//
//   EvalRunOptions o;  o.device = torch::kCPU;  o.cancel = &control.cancel;  o.store = &store;  o.jobId = id;
//   EvalOutcome r = runEvaluation(spec, o);      // throws on bad input or a failed model; r.cancelled
//
// Order of work. First, before any model is loaded: data.test is read and checked, every model folder (and
// adapter) must exist, and every row is tokenized with each model's tokenizer — bad input fails here. Then the
// models are loaded one at a time; the baseline (when set) first and kept loaded, so each other model is compared
// with it window by window (at most two models in memory). Per model: perplexity / next-token accuracy (one
// sliding-window pass), multiple choice, generation (greedy, one prompt at a time for per-sample latency), then
// fidelity against the baseline.
//
// Written as it goes (a cancelled or failed run keeps what it finished):
//   store (when given): the dataset registered (datasets, by path and hash), one evaluations row per model
//     (job_id, model_label, dataset_id, metrics_json) and its eval_samples rows (sample_index, input, output,
//     reference, scores_json); a job's earlier rows are replaced when it runs again.
//   output/samples.jsonl: {"model", "index", "line", "input", "output", "reference", "scores"} per sample.
//   output/results.json (at the end, also when cancelled): {"name", "dataset", "rows", "complete",
//     "models": {label: metrics}, "models_order": [labels]}.
//
// Model metrics (metrics_json; absent when the task did not run): "path", "adapter", "samples" (rows scored),
// "complete", "perplexity", "next_token_accuracy", "tokens" (scored tokens), "mc_accuracy", "mc_accuracy_norm",
// "exact_match", "token_f1", "bleu", "chrf", "rouge1", "rouge2", "rougeL", the latency keys of latencySummary
// (core/eval/GenerationEval.h), "size_on_disk_bytes" (weight files of the model and adapter), "memory_bytes"
// (parameters and buffers as loaded), and for every model but the baseline "fidelity": {"baseline",
// "accuracy_metric", "accuracy_base", "accuracy", "accuracy_drop", "max_accuracy_drop", "pass", and — when both
// tokenize the data alike — the keys of fidelityJson (core/eval/Fidelity.h: "ppl_base", "ppl_other", "ppl_ratio",
// "kld": {"mean", "median", "p99", "max", ...}, "same_top1", "delta_p": {"mean", "rms", ...}, "tokens"); else
// "kld_skipped": why}.
// "slices" (eval.slice_by): {field: SliceReport::toJson (core/eval/Slices.h)} over the model's samples.
// "robustness" (eval.perturbations): per perturbation {"name", "kind", "mode"?, "rate", "seed", "clean",
// "perturbed", "change", "relative_change"}, each over mc_accuracy, exact_match and token_f1 (those the tasks give);
// the perturbed answers are lines of samples.jsonl with a "perturbation" key (not eval_samples rows).
// The accuracy of the pass rule is mc_accuracy when multiple_choice runs, else exact_match when generation
// scores it, else next_token_accuracy (none: no pass rule). Pass: baseline − model < eval.max_accuracy_drop.
//
// Sample scores (scores_json): "line", "fields" (EvalRow::sliceFields), "perplexity", "next_token_accuracy",
// "tokens", "mc_predicted", "mc_correct", the generation scores, "first_token_ms", "ms_per_token",
// "new_tokens", "total_ms", "finished".
#pragma once
#include "eval/Fidelity.h"
#include "train/JobSpec.h"

#include <torch/types.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

class Store;

struct EvalProgress {
  int64_t done = 0;    // units done: a unit is one row through one task of one model (fidelity counts as a task)
  int64_t total = 0;   // units in all
  int64_t tokens = 0;  // tokens scored or generated so far
  double seconds = 0;  // since the models started loading
};

struct EvalRunOptions {
  torch::Device device = torch::kCPU;                 // where the models run
  torch::ScalarType dtype = torch::kFloat32;          // their weights' dtype
  std::atomic_bool* cancel = nullptr;                 // read between samples and batches: stops the run (cancelled)
  const std::atomic_bool* pause = nullptr;            // while true the run waits before its next sample or batch
  std::function<void(const EvalProgress&)> progress;  // after every sample or batch
  std::function<void(const QString&)> message;        // what it is doing: a model loaded, fidelity skipped
  const Store* store = nullptr;                       // evaluations / eval_samples rows go here when given
  qint64 jobId = 0;                                   // the jobs row they belong to (0: none)
};

struct EvalOutcome {
  bool cancelled = false;
  int64_t samples = 0;    // sample rows written, over all models
  EvalProgress progress;  // where it stopped
  QJsonObject results;    // output/results.json's object
};

// Throws FormatError / Error for bad input (before any model is loaded) and for failures later; the caller (the
// job) turns them into its status.
EvalOutcome runEvaluation(const JobSpec& spec, const EvalRunOptions& o);

}  // namespace distillery
