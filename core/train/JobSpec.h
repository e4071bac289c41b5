// The one description of a job (training, a sweep, an evaluation, a quantization, a data operation): the GUI's forms
// edit it, `distillery-cli train JOB.json` (or `eval JOB.json`) reads it, the store keeps it verbatim
// (jobs.config_json). fromJson(toJson(s)) == s; unknown keys are refused with their name so a typo never silently
// trains with a default.
//
//   JobSpec s = JobSpec::fromJson(readJsonObject(path), path);   // FormatError(path, "train.lr", -1, "...")
//
// The two tool kinds run the same core code as their CLI commands (core/jobs/QuantizeJob.h, core/jobs/DataJob.h):
//
// kind quantize (`distillery-cli quantize`): top-level keys kind, name, model, quantize, data, eval, device,
// output only.
//   {"kind": "quantize",
//    "model": "models/student",          // required: the float model folder (never written)
//    "quantize": {"scheme": "int4-g32",   // required: int8 | int4-g32 | int4-g64 | int4-g128 | f16 | bf16
//                 "activations": "none",  // none | int8 (W8A8, simulated; not with f16/bf16)
//                 "adapter": "runs/lora"},// optional PEFT adapter merged first
//    "data": {"test": "held_out.jsonl"},  // optional: after quantizing, the fidelity check of `distillery-cli kld`
//                                         // (KLD, same top-1, PPL ratio vs the float model) on these {"text"} rows
//    "eval": {"seq_len": 512, "stride": 256, "max_samples": 0},  // optional, with data.test only: its windows
//                                         // (seq_len at most the model's max_position_embeddings) and rows (0: all)
//    "device": "cpu",                     // where the weights are quantized (and the check runs)
//    "output": "models/student-int4"}     // required: the quantized model folder (state.json beside it)
//
// kind data (`distillery-cli data clean|dedup|split|generate`): top-level keys kind, name, data_op, teacher (op
// generate only, required there), device, output only. "output" is the job's folder (state.json, the lock); the
// product goes to data_op.output, by default output/<op>.jsonl (split: output/ itself holds train.jsonl,
// validation.jsonl, test.jsonl). data_op keys are the CLI flags in snake_case; a key of another op is refused.
//   {"kind": "data", "output": "runs/clean-1",
//    "data_op": {"op": "clean",              // required: clean | dedup | split | generate
//                "input": "raw.jsonl",       // required: the dataset read (never written)
//                "output": "clean.jsonl",    // optional: the file written (split: the folder)
//                "format": "auto", "on_bad_row": "skip",            // every op (auto|jsonl|json|csv|tsv|text|
//                                                                   // text_files; skip|fail)
//                "field": "text", "threshold": 0.9, "num_perm": 128, "shingle": 5, "minhash_seed": 1,
//                "casefold": false,                                 // clean, dedup, split
//                "exact_dedup": true, "near_dedup": false, "min_chars": 0, "max_chars": 0, "min_tokens": 0,
//                "max_tokens": 0, "tokenizer": DIR, "keep_empty": false, "unicode": "none" (nfc|nfkc),
//                "keep_control": false, "scripts": ["han", "latin"], "min_script_share": 0.5,
//                "max_lines": 20,                                   // clean
//                "ratios": [0.8, 0.1, 0.1], "seed": 0, "stratify": FIELD,   // split (seed: the shuffle)
//                "map": {"prompt": "question"}, "schema": "", "batch": 8, "limit": 0, "max_prompt_tokens": 4096,
//                "max_new_tokens": 512, "greedy": false, "temperature": 0.7, "top_p": 0.9, "top_k": 0,
//                "repetition_penalty": 1.2 (1 with greedy), "seed": 0, "dtype": "f32" (bf16)},  // generate
//    "teacher": "models/teacher"}            // op generate: the model that answers
#pragma once
#include "data/DataOpSettings.h"
#include "quant/QuantizeSettings.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

enum class JobKind { Distill, Lora, FullFt, Sweep, Eval, Quantize, Data };

// How a value (τ, α) changes over training. Stages: the run is cut into `stages` equal parts and part k uses
// start + perStage·k (the seeds' progressive KD: τ = 3.0 − 0.8·k, α = 0.5 + 0.15·k).
struct ScheduleSpec {
  QString kind = "constant";  // constant | linear | cosine | stages
  double start = 0;           // value at step 0 (constant: the value)
  double end = 0;             // value at the last step (linear, cosine)
  int stages = 1;             // stages: number of equal parts
  double perStage = 0;        // stages: added per stage
  bool operator==(const ScheduleSpec&) const = default;
};

struct DataSpec {
  QString train;                  // dataset file: JSONL, JSON array, CSV/TSV or text (core/data/RowReader.h)
  QString validation;             // dataset file, optional
  QString test;                   // kind eval (required there): the dataset file the models are scored on; kind
                                  // quantize (optional): the rows of the fidelity check
  QString format = "text";        // text | alpaca | sharegpt | messages | prompt_completion
  bool responsesOnly = true;      // loss on assistant/response tokens only (ignored for text)
  bool packing = false;           // several examples per row of train.seq_len tokens, attention kept inside each
  bool bucketing = false;         // batches of rows of similar length (less padding)
  QString truncation = "right";   // right | left | drop: what an example longer than train.seq_len loses
  QMap<QString, QString> fields;  // schema field → source field, e.g. {"prompt": "question"} (a FieldMap)
  bool operator==(const DataSpec&) const = default;
};

struct TeacherSpec {
  QString path;          // model folder
  double weight = 1.0;   // ensemble weight of its soft targets (weights are normalised to sum 1)
  bool operator==(const TeacherSpec&) const = default;
};

struct KdSpec {
  QString loss = "forward_kl";     // forward_kl | reverse_kl | jsd
  double temperature = 2.0;        // τ (when temperatureSchedule is constant)
  double alpha = 0.5;              // weight of CE; (1−α) weighs the KD term
  double jsdBeta = 0.5;            // β of the generalised JSD
  ScheduleSpec temperatureSchedule;  // kind "constant" → temperature
  ScheduleSpec alphaSchedule;        // kind "constant" → alpha
  std::vector<TeacherSpec> extraTeachers;  // a second (third...) teacher; the main one is JobSpec::teacher
  double teacherWeight = 1.0;      // weight of JobSpec::teacher in the ensemble
  int64_t chunkTokens = 1024;      // tokens per chunk of the chunked loss (never all [B·S, V] at once)
  // Feature alignment (off when featureWeight is 0).
  double featureWeight = 0;        // weight of the feature loss in the total
  QString featureLoss = "mse";     // mse | cosine
  std::vector<int> featureLayers;  // student layers to align (hidden_states indices); empty: uniform mapping
  // Teacher logits cache: top-k per token written once under cacheDir and reused (0: online teacher).
  int64_t cacheTopK = 0;
  QString cacheDir;
  bool operator==(const KdSpec&) const = default;
};

struct LoraSpec {
  int r = 16;
  double alpha = 32;
  double dropout = 0.1;
  QStringList targetModules{"q_proj", "v_proj"};  // suffixes, or "all-linear"
  bool rslora = false;                            // scaling alpha/√r instead of alpha/r
  bool operator==(const LoraSpec&) const = default;
};

struct TrainSpec {
  int64_t maxSteps = 100;          // optimizer steps
  int64_t batchSize = 8;           // sequences per micro-batch
  int64_t gradAccum = 1;           // micro-batches per optimizer step
  int64_t seqLen = 512;            // tokens per sequence (longer ones are truncated)
  double lr = 2e-4;                // peak learning rate
  int64_t warmupSteps = 10;        // linear warmup from 0
  QString scheduler = "cosine";    // cosine | linear | constant (after warmup)
  double weightDecay = 0.0;        // AdamW decoupled decay (not on norms and biases)
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // AdamW
  double maxGradNorm = 1.0;        // clip the global norm (0: off)
  uint64_t seed = 0;               // data order, init, dropout
  int64_t evalEvery = 20;          // validation every N steps (0: off)
  int64_t saveEvery = 50;          // checkpoint every N steps (0: only at the end)
  int64_t logEvery = 1;            // metrics every N steps
  double earlyStopThreshold = 0.05;  // stop when val loss > best·(1 + threshold) ...
  int64_t patience = 3;              // ... for this many evaluations in a row (0: off)
  int64_t maxBadSteps = 5;         // NaN/Inf steps in a row before the job fails
  QStringList trainable;           // full_ft: name substrings of the parameters to train (empty: all)
  QString dtype = "auto";          // auto (bf16 autocast on CUDA, float32 on CPU) | float32 | bfloat16
  // Quantization-aware training: none | int8 | int4-g32 | int4-g64 | int4-g128 (core/quant/QuantScheme.h).
  // The trained Linear weights are fake-quantized in the forward pass with a straight-through estimator, so the
  // model learns weights that survive `quantize` with that scheme.
  QString qat = "none";
  bool operator==(const TrainSpec&) const = default;
};

// A hyper-parameter search over a base job: each trial is a child job.
struct SweepParam {
  QString key;                 // dotted JSON path into the base job, e.g. "train.lr", "lora.r", "kd.temperature"
  std::vector<double> values;  // grid / choices
  double min = 0, max = 0;     // range (when values is empty)
  bool log = false;            // sample the range on a log scale
  bool integer = false;        // round samples
  bool operator==(const SweepParam&) const = default;
};

struct SweepSpec {
  QString method = "grid";     // grid | tpe
  int trials = 8;              // tpe: trials to run (grid: all combinations)
  QString metric = "val_loss"; // minimised
  std::vector<SweepParam> params;
  QJsonObject base;            // the base job (kind distill | lora | full_ft)
  bool operator==(const SweepSpec&) const = default;
};

// One model an evaluation scores: a model folder (full precision or quantized), optionally with a LoRA adapter.
struct EvalModelSpec {
  QString label;    // unique within the job: the name results are stored under ("teacher", "student+lora")
  QString path;     // model folder (Hugging Face layout, or one written by `distillery-cli quantize`)
  QString adapter;  // PEFT LoRA adapter folder applied on top of path; empty: none
  bool operator==(const EvalModelSpec&) const = default;
};

// What an evaluation job measures (kind eval). Every model of JobSpec::models runs every task on data.test.
struct EvalSpec {
  // perplexity | next_token_accuracy | multiple_choice | generation. Default: perplexity and next-token
  // accuracy, plus generation when data.format has prompts (anything but text).
  QStringList tasks;
  // Generation scores per sample and over the corpus: exact_match | token_f1 (SQuAD), bleu (sacreBLEU 13a),
  // chrf, rouge (ROUGE-1/2/L F). Default: all five.
  QStringList metrics{"exact_match", "token_f1", "bleu", "chrf", "rouge"};
  int64_t maxNewTokens = 128;     // generation: new tokens per answer at most (greedy decoding)
  int64_t maxSamples = 0;         // the first N rows of data.test only; 0: all
  int64_t seqLen = 512;           // perplexity / accuracy: tokens per window
  int64_t stride = 256;           // sliding window step (1..seq_len); default seq_len / 2
  QString choicesField = "choices";  // multiple_choice: the row field with the candidate answers (strings)
  QString answerField = "answer";    // multiple_choice: the row field with the right one (0-based index or its text)
  QString baseline;               // label of the reference model for fidelity (KLD, accuracy drop); empty: none
  double maxAccuracyDrop = 0.02;  // pass rule: accuracy may fall at most this much (absolute, 0..1) vs baseline
  QString dtype = "auto";         // auto (float32 on the CPU, bfloat16 on CUDA) | float32 | bfloat16
  bool operator==(const EvalSpec&) const = default;
};

struct JobSpec {
  JobKind kind = JobKind::Lora;
  QString name;            // shown in the queue; default: kind + student folder name
  QString teacher;         // model folder (distill; data with op generate: the model that answers)
  QString student;         // model folder: the model trained
  QString model;           // quantize only: the float model folder quantized
  DataSpec data;
  KdSpec kd;               // distill only
  LoraSpec lora;           // lora only
  TrainSpec train;
  SweepSpec sweep;         // sweep only
  std::vector<EvalModelSpec> models;  // eval only: the models scored (at least one)
  EvalSpec eval;                      // eval only
  QuantizeSettings quantize;          // quantize only: the "quantize" section
  DataOpSettings dataOp;              // data only: the "data_op" section
  QString device = "cpu";  // cpu | cuda | cuda:N
  QString output;          // folder: final model / adapter (quantize: the quantized model), metrics.jsonl,
                           // state.json, checkpoints/ (data: state.json and by default the product)

  // Throws FormatError(source, "dotted.key", value, why) for a missing required key, a wrong type, a value out
  // of range or an unknown key. Defaults fill what is absent.
  static JobSpec fromJson(const QJsonObject& json, const QString& source);
  // Reads a job file (duplicate keys refused). Relative paths in it (teacher, student, model, data.*,
  // kd.teachers[].path, kd.cache.dir, models[].path, models[].adapter, quantize.adapter, data_op.input,
  // data_op.output, data_op.tokenizer, output, and the same inside sweep.base) resolve against the file's folder, so a job file
  // travels with its data; the returned spec holds absolute paths.
  static JobSpec fromFile(const QString& path);
  QJsonObject toJson() const;
  bool operator==(const JobSpec&) const = default;
};

QString jobKindName(JobKind k);  // "distill", "lora", "full_ft", "sweep", "eval", "quantize", "data"

}  // namespace distillery
