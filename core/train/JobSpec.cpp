#include "train/JobSpec.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "train/JobFields.h"
#include "train/ToolJobSpecs.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

#include <algorithm>
#include <cmath>
#include <functional>

namespace distillery {

namespace {

using jobspec::Fields;

const QStringList kTopKeys = {"kind",   "name",  "teacher", "student", "model",    "data",    "kd",
                              "lora",   "train", "sweep",   "models",  "eval",     "quantize", "data_op",
                              "device", "output"};
const QStringList kDataKeys = {"train",   "validation", "test",   "format",    "responses_only",
                               "packing", "bucketing",  "fields", "truncation"};
// The top-level fields of the data schemas (core/data/DataSchema.h): what data.fields may map onto.
const QStringList kSchemaFields = {"text",     "instruction",   "input",  "output",
                                   "messages", "conversations", "prompt", "completion"};
const QStringList kKdKeys = {"loss",           "temperature", "alpha",          "jsd_beta",     "temperature_schedule",
                             "alpha_schedule", "teachers",    "teacher_weight", "chunk_tokens", "feature",
                             "cache"};
const QStringList kScheduleKeys = {"kind", "start", "end", "stages", "per_stage"};
const QStringList kTeacherKeys = {"path", "weight"};
const QStringList kFeatureKeys = {"weight", "loss", "layers"};
const QStringList kCacheKeys = {"top_k", "dir"};
const QStringList kLoraKeys = {"r", "alpha", "dropout", "target_modules", "rslora"};
const QStringList kTrainKeys = {"max_steps",
                                "batch_size",
                                "grad_accum",
                                "seq_len",
                                "lr",
                                "warmup_steps",
                                "scheduler",
                                "weight_decay",
                                "beta1",
                                "beta2",
                                "eps",
                                "max_grad_norm",
                                "seed",
                                "eval_every",
                                "save_every",
                                "log_every",
                                "early_stop_threshold",
                                "patience",
                                "max_bad_steps",
                                "trainable",
                                "dtype",
                                "qat"};
const QStringList kEvalKeys = {"tasks",  "metrics",       "max_new_tokens", "max_samples", "seq_len",
                               "stride", "choices_field", "answer_field",   "baseline",    "max_accuracy_drop",
                               "dtype"};
const QStringList kEvalModelKeys = {"label", "path", "adapter"};
const QStringList kEvalTasks = {"perplexity", "next_token_accuracy", "multiple_choice", "generation"};
const QStringList kEvalMetrics = {"exact_match", "token_f1", "bleu", "chrf", "rouge"};
// Sections and keys of training jobs that an evaluation does not read (refused there rather than ignored).
const QStringList kNotForEval = {"teacher", "student", "kd", "lora", "train"};
// The sections the tool kinds do not read (refused rather than ignored).
const QStringList kNotForQuantize = {"teacher", "student", "kd", "lora", "train", "sweep", "models", "data_op"};
const QStringList kNotForData = {"student", "model", "data", "kd", "lora", "train", "sweep", "models", "eval",
                                 "quantize"};
const QStringList kSweepKeys = {"method", "trials", "metric", "params", "base"};
const QStringList kSweepParamKeys = {"key", "values", "min", "max", "log", "integer"};

// The numeric leaves a sweep may vary.
const QStringList kSweepableKeys = {
    "kd.temperature",   "kd.alpha",      "kd.jsd_beta",  "kd.teacher_weight",   "kd.chunk_tokens",
    "lora.r",           "lora.alpha",    "lora.dropout", "train.max_steps",     "train.batch_size",
    "train.grad_accum", "train.seq_len", "train.lr",     "train.warmup_steps",  "train.weight_decay",
    "train.beta1",      "train.beta2",   "train.eps",    "train.max_grad_norm", "train.seed"};

// value: what the schedule yields at the end points (stages: every stage); check: the allowed range.
ScheduleSpec readSchedule(const Fields& parent, const QString& key, double fallbackStart,
                          const std::function<bool(double)>& inRange, const QString& rangeText) {
  const QJsonObject json = parent.object(key);
  ScheduleSpec s;
  if (!parent.has(key)) return s;
  const Fields f(json, parent.source(), parent.key(key) + QLatin1Char('.'), kScheduleKeys);
  s.kind = f.choice("kind", s.kind, {"constant", "linear", "cosine", "stages"});
  s.start = f.number("start", fallbackStart);
  s.end = f.number("end", s.start);
  s.stages = static_cast<int>(f.integer("stages", s.stages));
  s.perStage = f.number("per_stage", s.perStage);
  if (f.has("stages") && (s.stages < 1 || s.stages > 1000))
    f.fail("stages", QStringLiteral("must be between 1 and 1000"));
  if (s.kind == QLatin1String("constant")) return s;  // the plain value (kd.temperature / kd.alpha) is used
  if (!inRange(s.start)) f.fail("start", rangeText);
  if ((s.kind == QLatin1String("linear") || s.kind == QLatin1String("cosine")) && !inRange(s.end))
    f.fail("end", rangeText);
  if (s.kind == QLatin1String("stages")) {
    const double last = s.start + s.perStage * (s.stages - 1);
    if (!inRange(last))
      f.fail("per_stage", QStringLiteral("makes the last stage's value %1; %2").arg(last).arg(rangeText));
  }
  return s;
}

QJsonObject scheduleJson(const ScheduleSpec& s) {
  return {{"kind", s.kind}, {"start", s.start}, {"end", s.end}, {"stages", s.stages}, {"per_stage", s.perStage}};
}

bool validDevice(const QString& d) {
  static const QRegularExpression cuda(QStringLiteral("^cuda(:[0-9]{1,2})?$"));
  return d == QLatin1String("cpu") || cuda.match(d).hasMatch();
}

JobKind kindFromName(const Fields& f) {
  f.require("kind");
  const QString k = f.choice("kind", {}, {"distill", "lora", "full_ft", "sweep", "eval", "quantize", "data"});
  if (k == QLatin1String("distill")) return JobKind::Distill;
  if (k == QLatin1String("quantize")) return JobKind::Quantize;
  if (k == QLatin1String("data")) return JobKind::Data;
  if (k == QLatin1String("lora")) return JobKind::Lora;
  if (k == QLatin1String("full_ft")) return JobKind::FullFt;
  if (k == QLatin1String("eval")) return JobKind::Eval;
  return JobKind::Sweep;
}

// Training kinds read data.train (required) and data.validation; an evaluation reads data.test (required) only.
DataSpec readData(const Fields& top, JobKind kind) {
  DataSpec d;
  const bool eval = kind == JobKind::Eval;
  const bool required = kind != JobKind::Sweep;
  if (required) top.require("data");
  const Fields f(top.object("data"), top.source(), top.key("data."), kDataKeys);
  if (required) f.require(eval ? "test" : "train");
  for (const char* k : {"train", "validation"})
    if (eval && f.has(k)) f.fail(k, QStringLiteral("is not used by kind eval (it scores data.test)"));
  for (const char* k : {"responses_only", "packing", "bucketing", "truncation"})
    if (eval && f.has(k)) f.fail(k, QStringLiteral("is a training setting, not used by kind eval"));
  if (!eval && f.has("test")) f.fail("test", QStringLiteral("is only for kind eval"));
  d.train = f.nonEmptyString("train", d.train);
  d.validation = f.string("validation", d.validation);
  d.test = f.nonEmptyString("test", d.test);
  d.format = f.choice("format", d.format, {"text", "alpaca", "sharegpt", "messages", "prompt_completion"});
  d.responsesOnly = f.boolean("responses_only", d.responsesOnly);
  d.packing = f.boolean("packing", d.packing);
  d.bucketing = f.boolean("bucketing", d.bucketing);
  d.truncation = f.choice("truncation", d.truncation, {"right", "left", "drop"});
  const QJsonObject fields = f.object("fields");
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const QString at = f.key("fields.") + it.key();
    if (!kSchemaFields.contains(it.key()))
      throw FormatError(
          f.source(), at, QString(),
          QStringLiteral("is not a schema field (expected one of: %1)").arg(kSchemaFields.join(QStringLiteral(", "))));
    if (!it.value().isString() || it.value().toString().isEmpty())
      throw FormatError(f.source(), at, jsonText(it.value()),
                        QStringLiteral("must be the name of a field of the source rows"));
    d.fields.insert(it.key(), it.value().toString());
  }
  return d;
}

KdSpec readKd(const Fields& top) {
  KdSpec k;
  const Fields f(top.object("kd"), top.source(), top.key("kd."), kKdKeys);
  k.loss = f.choice("loss", k.loss, {"forward_kl", "reverse_kl", "jsd"});
  k.temperature = f.number("temperature", k.temperature);
  f.positive("temperature", k.temperature);
  k.alpha = f.number("alpha", k.alpha);
  f.unit("alpha", k.alpha);
  k.jsdBeta = f.number("jsd_beta", k.jsdBeta);
  f.unit("jsd_beta", k.jsdBeta);
  k.temperatureSchedule = readSchedule(
      f, "temperature_schedule", k.temperature, [](double v) { return v > 0; },
      QStringLiteral("the temperature must stay > 0"));
  k.alphaSchedule = readSchedule(
      f, "alpha_schedule", k.alpha, [](double v) { return v >= 0 && v <= 1; },
      QStringLiteral("alpha must stay between 0 and 1"));
  const QJsonArray teachers = f.array("teachers");
  for (qsizetype i = 0; i < teachers.size(); ++i) {
    const QString at = f.key("teachers[%1]").arg(i);
    if (!teachers[i].isObject())
      throw FormatError(f.source(), at, jsonText(teachers[i]), QStringLiteral("must be an object {path, weight}"));
    const Fields t(teachers[i].toObject(), f.source(), at + QLatin1Char('.'), kTeacherKeys);
    TeacherSpec spec;
    t.require("path");
    spec.path = t.nonEmptyString("path", {});
    spec.weight = t.number("weight", spec.weight);
    t.positive("weight", spec.weight);
    k.extraTeachers.push_back(spec);
  }
  k.teacherWeight = f.number("teacher_weight", k.teacherWeight);
  f.positive("teacher_weight", k.teacherWeight);
  k.chunkTokens = f.integer("chunk_tokens", k.chunkTokens);
  f.atLeast("chunk_tokens", double(k.chunkTokens), 1);

  const Fields feature(f.object("feature"), f.source(), f.key("feature."), kFeatureKeys);
  k.featureWeight = feature.number("weight", k.featureWeight);
  feature.atLeast("weight", k.featureWeight, 0);
  k.featureLoss = feature.choice("loss", k.featureLoss, {"mse", "cosine"});
  const QJsonArray layers = feature.array("layers");
  for (const QJsonValue& v : layers) {
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < 0 || d > 10000)
      feature.fail("layers", QStringLiteral("must be a list of layer indices (integers ≥ 0)"));
    k.featureLayers.push_back(static_cast<int>(d));
  }

  const Fields cache(f.object("cache"), f.source(), f.key("cache."), kCacheKeys);
  k.cacheTopK = cache.integer("top_k", k.cacheTopK);
  cache.atLeast("top_k", double(k.cacheTopK), 0);
  k.cacheDir = cache.string("dir", k.cacheDir);
  return k;
}

LoraSpec readLora(const Fields& top) {
  LoraSpec l;
  const Fields f(top.object("lora"), top.source(), top.key("lora."), kLoraKeys);
  const int64_t r = f.integer("r", l.r);
  if (f.has("r") && (r < 1 || r > 65536)) f.fail("r", QStringLiteral("must be between 1 and 65536"));
  l.r = static_cast<int>(r);
  l.alpha = f.number("alpha", l.alpha);
  f.positive("alpha", l.alpha);
  l.dropout = f.number("dropout", l.dropout);
  f.unitOpen("dropout", l.dropout);
  l.targetModules = f.strings("target_modules", l.targetModules);
  if (f.has("target_modules") && (l.targetModules.isEmpty() || l.targetModules.contains(QString())))
    f.fail("target_modules", QStringLiteral("must name at least one module suffix (or \"all-linear\"), none empty"));
  l.rslora = f.boolean("rslora", l.rslora);
  return l;
}

TrainSpec readTrain(const Fields& top) {
  TrainSpec t;
  const Fields f(top.object("train"), top.source(), top.key("train."), kTrainKeys);
  const auto positiveInt = [&](const char* k, int64_t& v) {
    v = f.integer(k, v);
    f.atLeast(k, double(v), 1);
  };
  const auto nonNegativeInt = [&](const char* k, int64_t& v) {
    v = f.integer(k, v);
    f.atLeast(k, double(v), 0);
  };
  positiveInt("max_steps", t.maxSteps);
  positiveInt("batch_size", t.batchSize);
  positiveInt("grad_accum", t.gradAccum);
  t.seqLen = f.integer("seq_len", t.seqLen);
  f.atLeast("seq_len", double(t.seqLen), 2);
  t.lr = f.number("lr", t.lr);
  f.positive("lr", t.lr);
  nonNegativeInt("warmup_steps", t.warmupSteps);
  t.scheduler = f.choice("scheduler", t.scheduler, {"cosine", "linear", "constant"});
  t.weightDecay = f.number("weight_decay", t.weightDecay);
  f.atLeast("weight_decay", t.weightDecay, 0);
  t.beta1 = f.number("beta1", t.beta1);
  f.unitOpen("beta1", t.beta1);
  t.beta2 = f.number("beta2", t.beta2);
  f.unitOpen("beta2", t.beta2);
  t.eps = f.number("eps", t.eps);
  f.positive("eps", t.eps);
  t.maxGradNorm = f.number("max_grad_norm", t.maxGradNorm);
  f.atLeast("max_grad_norm", t.maxGradNorm, 0);
  const int64_t seed = f.integer("seed", int64_t(t.seed));
  f.atLeast("seed", double(seed), 0);
  t.seed = static_cast<uint64_t>(seed);
  nonNegativeInt("eval_every", t.evalEvery);
  nonNegativeInt("save_every", t.saveEvery);
  positiveInt("log_every", t.logEvery);
  t.earlyStopThreshold = f.number("early_stop_threshold", t.earlyStopThreshold);
  f.atLeast("early_stop_threshold", t.earlyStopThreshold, 0);
  nonNegativeInt("patience", t.patience);
  positiveInt("max_bad_steps", t.maxBadSteps);
  t.trainable = f.strings("trainable", t.trainable);
  t.dtype = f.choice("dtype", t.dtype, {"auto", "float32", "bfloat16"});
  t.qat = f.choice("qat", t.qat, {"none", "int8", "int4-g32", "int4-g64", "int4-g128"});
  return t;
}

JobSpec readJob(const QJsonObject& json, const QString& source, const QString& prefix);

std::vector<EvalModelSpec> readEvalModels(const Fields& top) {
  top.require("models");
  const QJsonArray models = top.array("models");
  if (models.isEmpty()) top.fail("models", QStringLiteral("must list at least one model {label, path, adapter?}"));
  std::vector<EvalModelSpec> out;
  for (qsizetype i = 0; i < models.size(); ++i) {
    const QString at = top.key("models[%1]").arg(i);
    if (!models[i].isObject())
      throw FormatError(top.source(), at, jsonText(models[i]),
                        QStringLiteral("must be an object {label, path, adapter?}"));
    const Fields m(models[i].toObject(), top.source(), at + QLatin1Char('.'), kEvalModelKeys);
    EvalModelSpec spec;
    m.require("label");
    spec.label = m.nonEmptyString("label", {});
    for (const EvalModelSpec& earlier : out)
      if (earlier.label == spec.label)
        m.fail("label", QStringLiteral("is used by an earlier model; labels must be unique"));
    m.require("path");
    spec.path = m.nonEmptyString("path", {});
    spec.adapter = m.nonEmptyString("adapter", {});
    out.push_back(spec);
  }
  return out;
}

EvalSpec readEval(const Fields& top, const DataSpec& data, const std::vector<EvalModelSpec>& models) {
  EvalSpec e;
  const Fields f(top.object("eval"), top.source(), top.key("eval."), kEvalKeys);
  const bool hasPrompts = data.format != QLatin1String("text");
  e.tasks = QStringList{"perplexity", "next_token_accuracy"};
  if (hasPrompts) e.tasks << QStringLiteral("generation");
  e.tasks = f.strings("tasks", e.tasks);
  if (f.has("tasks") && e.tasks.isEmpty()) f.fail("tasks", QStringLiteral("must name at least one task"));
  for (const QString& t : e.tasks) {
    if (!kEvalTasks.contains(t))
      f.fail("tasks", QStringLiteral("has \"%1\"; tasks are: %2").arg(t, kEvalTasks.join(QStringLiteral(", "))));
    if (e.tasks.count(t) > 1) f.fail("tasks", QStringLiteral("names \"%1\" twice").arg(t));
  }
  if (!hasPrompts)
    for (const char* t : {"generation", "multiple_choice"})
      if (e.tasks.contains(QLatin1String(t)))
        f.fail("tasks", QStringLiteral("has %1, which needs prompts: data.format text has none").arg(QLatin1String(t)));
  e.metrics = f.strings("metrics", e.metrics);
  for (const QString& m : e.metrics) {
    if (!kEvalMetrics.contains(m))
      f.fail("metrics", QStringLiteral("has \"%1\"; metrics are: %2").arg(m, kEvalMetrics.join(QStringLiteral(", "))));
    if (e.metrics.count(m) > 1) f.fail("metrics", QStringLiteral("names \"%1\" twice").arg(m));
  }
  e.maxNewTokens = f.integer("max_new_tokens", e.maxNewTokens);
  f.atLeast("max_new_tokens", double(e.maxNewTokens), 1);
  e.maxSamples = f.integer("max_samples", e.maxSamples);
  f.atLeast("max_samples", double(e.maxSamples), 0);
  e.seqLen = f.integer("seq_len", e.seqLen);
  f.atLeast("seq_len", double(e.seqLen), 2);
  e.stride = f.integer("stride", std::max<int64_t>(1, e.seqLen / 2));
  if (f.has("stride") && (e.stride < 1 || e.stride > e.seqLen))
    f.fail("stride", QStringLiteral("must be between 1 and seq_len (%1)").arg(e.seqLen));
  e.choicesField = f.nonEmptyString("choices_field", e.choicesField);
  e.answerField = f.nonEmptyString("answer_field", e.answerField);
  e.baseline = f.string("baseline", e.baseline);
  if (f.has("baseline")) {
    const bool known =
        std::any_of(models.begin(), models.end(), [&](const EvalModelSpec& m) { return m.label == e.baseline; });
    QStringList labels;
    for (const EvalModelSpec& m : models) labels << m.label;
    if (!known)
      f.fail("baseline", QStringLiteral("is not a model label (models: %1)").arg(labels.join(QStringLiteral(", "))));
    if (models.size() < 2) f.fail("baseline", QStringLiteral("needs at least one other model to compare with"));
  }
  e.maxAccuracyDrop = f.number("max_accuracy_drop", e.maxAccuracyDrop);
  f.unit("max_accuracy_drop", e.maxAccuracyDrop);
  e.dtype = f.choice("dtype", e.dtype, {"auto", "float32", "bfloat16"});
  return e;
}

SweepSpec readSweep(const Fields& top) {
  SweepSpec s;
  top.require("sweep");
  const Fields f(top.object("sweep"), top.source(), top.key("sweep."), kSweepKeys);
  s.method = f.choice("method", s.method, {"grid", "tpe"});
  s.trials = static_cast<int>(f.integer("trials", s.trials));
  if (f.has("trials") && (s.trials < 1 || s.trials > 10000))
    f.fail("trials", QStringLiteral("must be between 1 and 10000"));
  s.metric = f.choice("metric", s.metric, {"val_loss", "loss"});
  f.require("params");
  const QJsonArray params = f.array("params");
  if (params.isEmpty()) f.fail("params", QStringLiteral("must list at least one parameter"));
  for (qsizetype i = 0; i < params.size(); ++i) {
    const QString at = f.key("params[%1]").arg(i);
    if (!params[i].isObject())
      throw FormatError(f.source(), at, jsonText(params[i]),
                        QStringLiteral("must be an object {key, values | min, max}"));
    const Fields p(params[i].toObject(), f.source(), at + QLatin1Char('.'), kSweepParamKeys);
    SweepParam sp;
    p.require("key");
    sp.key = p.choice("key", {}, kSweepableKeys);
    for (const QJsonValue& v : p.array("values")) {
      if (!v.isDouble()) p.fail("values", QStringLiteral("must be a list of numbers"));
      sp.values.push_back(v.toDouble());
    }
    sp.min = p.number("min", sp.min);
    sp.max = p.number("max", sp.max);
    sp.log = p.boolean("log", sp.log);
    sp.integer = p.boolean("integer", sp.integer);
    if (p.has("values")) {
      if (sp.values.empty()) p.fail("values", QStringLiteral("must not be empty"));
      if (p.has("min") || p.has("max")) p.fail("values", QStringLiteral("and min/max exclude each other"));
    } else {
      if (!p.has("min") || !p.has("max"))
        throw FormatError(f.source(), at, QString(), QStringLiteral("needs values, or min and max"));
      if (!(sp.min < sp.max)) p.fail("max", QStringLiteral("must be greater than min (%1)").arg(sp.min));
      if (sp.log && !(sp.min > 0)) p.fail("min", QStringLiteral("must be > 0 for a log scale"));
      if (s.method == QLatin1String("grid")) p.fail("min", QStringLiteral("a grid sweep needs values, not a range"));
    }
    s.params.push_back(sp);
  }
  f.require("base");
  s.base = f.object("base");
  // The base must be a valid job of a trainable kind: check it now, with its keys named under sweep.base.
  const JobSpec base = readJob(s.base, f.source(), f.key("base."));
  if (base.kind != JobKind::Distill && base.kind != JobKind::Lora && base.kind != JobKind::FullFt)
    throw FormatError(
        f.source(), f.key("base.kind"), jsonText(s.base.value("kind")),
        QStringLiteral("must be distill, lora or full_ft (sweeps do not nest, the other kinds train nothing)"));
  return s;
}

// Kind quantize: data.test (the rows of the optional fidelity check) and eval.{seq_len, stride, max_samples}.
void readFidelityCheck(const Fields& top, JobSpec& s) {
  if (top.has("data")) {
    const Fields d(top.object("data"), top.source(), top.key("data."), {"test"});
    d.require("test");
    s.data.test = d.nonEmptyString("test", s.data.test);
    if (!s.quantize.adapter.isEmpty())
      d.fail("test", QStringLiteral("cannot be checked with quantize.adapter: the check compares with the model "
                                    "folder, which lacks the merged adapter (merge it into a float model first)"));
  }
  if (!top.has("eval")) return;
  if (s.data.test.isEmpty()) top.fail("eval", QStringLiteral("needs data.test (the rows of the fidelity check)"));
  const Fields e(top.object("eval"), top.source(), top.key("eval."), {"seq_len", "stride", "max_samples"});
  EvalSpec& v = s.eval;
  v.seqLen = e.integer("seq_len", v.seqLen);
  e.atLeast("seq_len", double(v.seqLen), 2);
  v.stride = e.integer("stride", std::max<int64_t>(1, v.seqLen / 2));
  if (e.has("stride") && (v.stride < 1 || v.stride > v.seqLen))
    e.fail("stride", QStringLiteral("must be between 1 and seq_len (%1)").arg(v.seqLen));
  v.maxSamples = e.integer("max_samples", v.maxSamples);
  e.atLeast("max_samples", double(v.maxSamples), 0);
}

// Kinds quantize and data: their own section, device, output; every training or evaluation section refused.
JobSpec readToolJob(const Fields& f, JobSpec s) {
  const bool quantize = s.kind == JobKind::Quantize;
  for (const QString& k : quantize ? kNotForQuantize : kNotForData)
    if (f.has(k)) f.fail(k, QStringLiteral("is not used by kind %1").arg(jobKindName(s.kind)));
  if (quantize) {
    f.require("model");
    s.model = f.nonEmptyString("model", s.model);
    s.quantize = jobspec::readQuantize(f);
    readFidelityCheck(f, s);
  } else {
    s.dataOp = jobspec::readDataOp(f);
    if (s.dataOp.op == QLatin1String("generate"))
      f.require("teacher");
    else if (f.has("teacher"))
      f.fail("teacher", QStringLiteral("is only for data_op.op generate (the model that answers)"));
    s.teacher = f.nonEmptyString("teacher", s.teacher);
  }
  s.device = f.string("device", s.device);
  if (!validDevice(s.device)) f.fail("device", QStringLiteral("must be cpu, cuda or cuda:N"));
  f.require("output");
  s.output = f.nonEmptyString("output", s.output);
  if (f.has("name")) {
    s.name = f.string("name", {});
  } else if (quantize) {
    s.name = QStringLiteral("quantize %1 %2").arg(QFileInfo(QDir::cleanPath(s.model)).fileName(), s.quantize.scheme);
  } else {
    s.name = QStringLiteral("data %1 %2").arg(s.dataOp.op, QFileInfo(QDir::cleanPath(s.dataOp.input)).fileName());
  }
  return s;
}

JobSpec readJob(const QJsonObject& json, const QString& source, const QString& prefix) {
  const Fields f(json, source, prefix, kTopKeys);
  JobSpec s;
  s.kind = kindFromName(f);
  if (s.kind == JobKind::Quantize || s.kind == JobKind::Data) return readToolJob(f, s);
  for (const char* k : {"model", "quantize"})
    if (f.has(k)) f.fail(k, QStringLiteral("is only for kind quantize"));
  if (f.has("data_op")) f.fail("data_op", QStringLiteral("is only for kind data"));
  const bool sweep = s.kind == JobKind::Sweep;
  const bool eval = s.kind == JobKind::Eval;
  if (eval) {
    for (const QString& k : kNotForEval)
      if (f.has(k)) f.fail(k, QStringLiteral("is not used by kind eval (it scores the models listed in models)"));
  } else {
    for (const char* k : {"models", "eval"})
      if (f.has(k)) f.fail(k, QStringLiteral("is only for kind eval"));
  }
  if (!sweep && !eval) f.require("student");
  s.student = f.nonEmptyString("student", s.student);
  if (s.kind == JobKind::Distill) f.require("teacher");
  s.teacher = f.nonEmptyString("teacher", s.teacher);
  s.data = readData(f, s.kind);
  if (eval) {
    s.models = readEvalModels(f);
    s.eval = readEval(f, s.data, s.models);
  }
  s.kd = readKd(f);
  s.lora = readLora(f);
  s.train = readTrain(f);
  s.device = f.string("device", s.device);
  if (!validDevice(s.device)) f.fail("device", QStringLiteral("must be cpu, cuda or cuda:N"));
  if (!sweep) f.require("output");
  s.output = f.nonEmptyString("output", s.output);
  if (sweep)
    s.sweep = readSweep(f);
  else if (f.has("sweep"))
    f.fail("sweep", QStringLiteral("is only for kind sweep"));
  if (f.has("name")) {
    s.name = f.string("name", {});
  } else {
    s.name = jobKindName(s.kind);
    if (!s.student.isEmpty()) s.name += QLatin1Char(' ') + QFileInfo(QDir::cleanPath(s.student)).fileName();
    if (eval) s.name += QLatin1Char(' ') + QFileInfo(QDir::cleanPath(s.data.test)).fileName();
  }
  return s;
}

// Keys whose values are file system paths (relative ones resolve against the job file's folder).
void resolvePaths(QJsonObject& job, const QDir& base) {
  const auto fix = [&](QJsonObject& o, const char* k) {
    const QJsonValue v = o.value(QLatin1String(k));
    if (v.isString() && !v.toString().isEmpty() && QFileInfo(v.toString()).isRelative())
      o.insert(QLatin1String(k), QDir::cleanPath(base.absoluteFilePath(v.toString())));
  };
  fix(job, "teacher");
  fix(job, "student");
  fix(job, "model");
  fix(job, "output");
  if (job.value("quantize").isObject()) {
    QJsonObject quantize = job.value("quantize").toObject();
    fix(quantize, "adapter");
    job.insert("quantize", quantize);
  }
  if (job.value("data_op").isObject()) {
    QJsonObject op = job.value("data_op").toObject();
    fix(op, "input");
    fix(op, "output");
    fix(op, "tokenizer");
    job.insert("data_op", op);
  }
  if (job.value("data").isObject()) {
    QJsonObject data = job.value("data").toObject();
    fix(data, "train");
    fix(data, "validation");
    fix(data, "test");
    job.insert("data", data);
  }
  if (job.value("models").isArray()) {
    QJsonArray models = job.value("models").toArray();
    for (qsizetype i = 0; i < models.size(); ++i) {
      if (!models[i].isObject()) continue;
      QJsonObject m = models[i].toObject();
      fix(m, "path");
      fix(m, "adapter");
      models[i] = m;
    }
    job.insert("models", models);
  }
  if (job.value("kd").isObject()) {
    QJsonObject kd = job.value("kd").toObject();
    if (kd.value("teachers").isArray()) {
      QJsonArray teachers = kd.value("teachers").toArray();
      for (qsizetype i = 0; i < teachers.size(); ++i) {
        if (!teachers[i].isObject()) continue;
        QJsonObject t = teachers[i].toObject();
        fix(t, "path");
        teachers[i] = t;
      }
      kd.insert("teachers", teachers);
    }
    if (kd.value("cache").isObject()) {
      QJsonObject cache = kd.value("cache").toObject();
      fix(cache, "dir");
      kd.insert("cache", cache);
    }
    job.insert("kd", kd);
  }
  if (job.value("sweep").isObject()) {
    QJsonObject sweep = job.value("sweep").toObject();
    if (sweep.value("base").isObject()) {
      QJsonObject b = sweep.value("base").toObject();
      resolvePaths(b, base);
      sweep.insert("base", b);
    }
    job.insert("sweep", sweep);
  }
}

}  // namespace

QString jobKindName(JobKind k) {
  switch (k) {
    case JobKind::Distill:
      return QStringLiteral("distill");
    case JobKind::Lora:
      return QStringLiteral("lora");
    case JobKind::FullFt:
      return QStringLiteral("full_ft");
    case JobKind::Sweep:
      return QStringLiteral("sweep");
    case JobKind::Eval:
      return QStringLiteral("eval");
    case JobKind::Quantize:
      return QStringLiteral("quantize");
    case JobKind::Data:
      return QStringLiteral("data");
  }
  return {};
}

JobSpec JobSpec::fromJson(const QJsonObject& json, const QString& source) { return readJob(json, source, {}); }

JobSpec JobSpec::fromFile(const QString& path) {
  QJsonObject json = readJsonObject(path, DuplicateKeys::Refuse);
  resolvePaths(json, QFileInfo(path).absoluteDir());
  return fromJson(json, path);
}

QJsonObject JobSpec::toJson() const {
  QJsonObject o;
  o.insert("kind", jobKindName(kind));
  o.insert("name", name);
  if (!teacher.isEmpty()) o.insert("teacher", teacher);
  if (!student.isEmpty()) o.insert("student", student);
  if (!model.isEmpty()) o.insert("model", model);
  const bool tool = kind == JobKind::Quantize || kind == JobKind::Data;
  if (kind == JobKind::Quantize) {
    o.insert("quantize", jobspec::quantizeJson(quantize));
    if (!data.test.isEmpty()) {
      o.insert("data", QJsonObject{{"test", data.test}});
      o.insert("eval", QJsonObject{{"seq_len", qint64(eval.seqLen)},
                                   {"stride", qint64(eval.stride)},
                                   {"max_samples", qint64(eval.maxSamples)}});
    }
  }
  if (kind == JobKind::Data) o.insert("data_op", jobspec::dataOpJson(dataOp));
  if ((kind != JobKind::Sweep && !tool) || (data != DataSpec{} && kind != JobKind::Quantize)) {
    QJsonObject d{{"format", data.format}};
    if (kind != JobKind::Eval) {
      d.insert("responses_only", data.responsesOnly);
      d.insert("packing", data.packing);
      d.insert("bucketing", data.bucketing);
      d.insert("truncation", data.truncation);
    }
    if (!data.train.isEmpty()) d.insert("train", data.train);
    if (!data.validation.isEmpty()) d.insert("validation", data.validation);
    if (!data.test.isEmpty()) d.insert("test", data.test);
    if (!data.fields.isEmpty()) {
      QJsonObject fields;
      for (auto it = data.fields.begin(); it != data.fields.end(); ++it) fields.insert(it.key(), it.value());
      d.insert("fields", fields);
    }
    o.insert("data", d);
  }
  if (kind == JobKind::Distill || kd != KdSpec{}) {
    QJsonObject k{
        {"loss", kd.loss},        {"temperature", kd.temperature},      {"alpha", kd.alpha},
        {"jsd_beta", kd.jsdBeta}, {"teacher_weight", kd.teacherWeight}, {"chunk_tokens", qint64(kd.chunkTokens)}};
    if (kd.temperatureSchedule != ScheduleSpec{})
      k.insert("temperature_schedule", scheduleJson(kd.temperatureSchedule));
    if (kd.alphaSchedule != ScheduleSpec{}) k.insert("alpha_schedule", scheduleJson(kd.alphaSchedule));
    QJsonArray teachers;
    for (const TeacherSpec& t : kd.extraTeachers) teachers.append(QJsonObject{{"path", t.path}, {"weight", t.weight}});
    if (!teachers.isEmpty()) k.insert("teachers", teachers);
    QJsonArray layers;
    for (int l : kd.featureLayers) layers.append(l);
    k.insert("feature", QJsonObject{{"weight", kd.featureWeight}, {"loss", kd.featureLoss}, {"layers", layers}});
    QJsonObject cache{{"top_k", qint64(kd.cacheTopK)}};
    if (!kd.cacheDir.isEmpty()) cache.insert("dir", kd.cacheDir);
    k.insert("cache", cache);
    o.insert("kd", k);
  }
  if (kind == JobKind::Lora || lora != LoraSpec{}) {
    o.insert("lora", QJsonObject{{"r", lora.r},
                                 {"alpha", lora.alpha},
                                 {"dropout", lora.dropout},
                                 {"target_modules", QJsonArray::fromStringList(lora.targetModules)},
                                 {"rslora", lora.rslora}});
  }
  if ((kind != JobKind::Sweep && kind != JobKind::Eval && !tool) || train != TrainSpec{}) {
    const TrainSpec& t = train;
    o.insert("train", QJsonObject{{"max_steps", qint64(t.maxSteps)},
                                  {"batch_size", qint64(t.batchSize)},
                                  {"grad_accum", qint64(t.gradAccum)},
                                  {"seq_len", qint64(t.seqLen)},
                                  {"lr", t.lr},
                                  {"warmup_steps", qint64(t.warmupSteps)},
                                  {"scheduler", t.scheduler},
                                  {"weight_decay", t.weightDecay},
                                  {"beta1", t.beta1},
                                  {"beta2", t.beta2},
                                  {"eps", t.eps},
                                  {"max_grad_norm", t.maxGradNorm},
                                  {"seed", qint64(t.seed)},
                                  {"eval_every", qint64(t.evalEvery)},
                                  {"save_every", qint64(t.saveEvery)},
                                  {"log_every", qint64(t.logEvery)},
                                  {"early_stop_threshold", t.earlyStopThreshold},
                                  {"patience", qint64(t.patience)},
                                  {"max_bad_steps", qint64(t.maxBadSteps)},
                                  {"trainable", QJsonArray::fromStringList(t.trainable)},
                                  {"dtype", t.dtype},
                                  {"qat", t.qat}});
  }
  if (kind == JobKind::Sweep) {
    QJsonArray params;
    for (const SweepParam& p : sweep.params) {
      QJsonObject j{{"key", p.key}, {"log", p.log}, {"integer", p.integer}};
      if (!p.values.empty()) {
        QJsonArray values;
        for (double v : p.values) values.append(v);
        j.insert("values", values);
      } else {
        j.insert("min", p.min);
        j.insert("max", p.max);
      }
      params.append(j);
    }
    o.insert("sweep", QJsonObject{{"method", sweep.method},
                                  {"trials", sweep.trials},
                                  {"metric", sweep.metric},
                                  {"params", params},
                                  {"base", sweep.base}});
  }
  if (kind == JobKind::Eval) {
    QJsonArray list;
    for (const EvalModelSpec& m : models) {
      QJsonObject j{{"label", m.label}, {"path", m.path}};
      if (!m.adapter.isEmpty()) j.insert("adapter", m.adapter);
      list.append(j);
    }
    o.insert("models", list);
    QJsonObject e{{"tasks", QJsonArray::fromStringList(eval.tasks)},
                  {"metrics", QJsonArray::fromStringList(eval.metrics)},
                  {"max_new_tokens", qint64(eval.maxNewTokens)},
                  {"max_samples", qint64(eval.maxSamples)},
                  {"seq_len", qint64(eval.seqLen)},
                  {"stride", qint64(eval.stride)},
                  {"choices_field", eval.choicesField},
                  {"answer_field", eval.answerField},
                  {"max_accuracy_drop", eval.maxAccuracyDrop},
                  {"dtype", eval.dtype}};
    if (!eval.baseline.isEmpty()) e.insert("baseline", eval.baseline);
    o.insert("eval", e);
  }
  o.insert("device", device);
  if (!output.isEmpty()) o.insert("output", output);
  return o;
}

}  // namespace distillery
