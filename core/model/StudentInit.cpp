#include "model/StudentInit.h"

#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

namespace distillery {

namespace {

constexpr int64_t kMaxStudentLayers = 4096;  // as ModelConfig refuses beyond

// The student's sizes after the teacher's defaults are filled in, validated.
struct Shape {
  int64_t layers = 0, hidden = 0, intermediate = 0, heads = 0, kvHeads = 0, headDim = 0;
  bool headDimFollows = false;  // head_dim is hidden / heads (recomputed) rather than a fixed value
};

void requireNonNegative(int64_t value, const char* flag) {
  if (value < 0)
    throw UsageError({}, QString::fromLatin1(flag), QString::number(value), QStringLiteral("must be positive"));
}

Shape studentShape(const QJsonObject& json, const ModelConfig& teacher, const StudentSpec& spec) {
  requireNonNegative(spec.hidden, "--hidden");
  requireNonNegative(spec.intermediate, "--intermediate");
  requireNonNegative(spec.heads, "--heads");
  requireNonNegative(spec.kvHeads, "--kv-heads");
  if (spec.layers < 1)
    throw UsageError({}, QStringLiteral("--layers"), QString::number(spec.layers),
                     QStringLiteral("must be at least 1"));
  if (spec.layers > kMaxStudentLayers)
    throw UsageError({}, QStringLiteral("--layers"), QString::number(spec.layers),
                     QStringLiteral("is implausibly large (at most %1)").arg(kMaxStudentLayers));
  Shape s;
  s.layers = spec.layers;
  s.hidden = spec.hidden > 0 ? spec.hidden : teacher.hidden;
  s.intermediate = spec.intermediate > 0 ? spec.intermediate : teacher.intermediate;
  s.heads = spec.heads > 0 ? spec.heads : teacher.heads;
  const QString headsText = spec.heads > 0 ? QStringLiteral("--heads %1").arg(s.heads)
                                           : QStringLiteral("the teacher's %1 attention heads").arg(s.heads);
  if (spec.kvHeads > 0) {
    s.kvHeads = spec.kvHeads;
    if (s.heads % s.kvHeads != 0)
      throw UsageError({}, QStringLiteral("--kv-heads"), QString::number(s.kvHeads),
                       QStringLiteral("does not divide %1").arg(headsText));
  } else {
    s.kvHeads = teacher.kvHeads;
    if (s.heads % s.kvHeads != 0)
      throw UsageError(
          {}, QStringLiteral("--heads"), QString::number(s.heads),
          QStringLiteral("is not a multiple of the teacher's %1 key/value heads; give --kv-heads").arg(s.kvHeads));
  }
  // head_dim follows the width when the teacher's did (no head_dim, or head_dim = hidden / heads); a fixed
  // head_dim (Qwen3's 128 beside a smaller hidden / heads) stays.
  const bool qwen3 = teacher.modelType == QLatin1String("qwen3");
  const bool explicitHeadDim =
      json.contains(QStringLiteral("head_dim")) && !json.value(QStringLiteral("head_dim")).isNull();
  s.headDimFollows = (explicitHeadDim || !qwen3) && teacher.hidden % teacher.heads == 0 &&
                     teacher.headDim == teacher.hidden / teacher.heads;
  if (s.headDimFollows) {
    if (s.hidden % s.heads != 0)
      throw UsageError({}, spec.hidden > 0 ? QStringLiteral("--hidden") : QStringLiteral("--heads"),
                       QString::number(spec.hidden > 0 ? s.hidden : s.heads),
                       spec.hidden > 0 ? QStringLiteral("is not divisible by %1").arg(headsText)
                                       : QStringLiteral("does not divide the teacher's hidden size %1").arg(s.hidden));
    s.headDim = s.hidden / s.heads;
    if (s.headDim % 2 != 0)
      throw UsageError(
          {}, spec.hidden > 0 ? QStringLiteral("--hidden") : QStringLiteral("--heads"),
          QString::number(spec.hidden > 0 ? s.hidden : s.heads),
          QStringLiteral("gives an odd head size %1 (hidden / heads); rotary embeddings need it even").arg(s.headDim));
  } else {
    s.headDim = teacher.headDim;
  }
  return s;
}

bool widthsDiffer(const Shape& s, const ModelConfig& t) {
  return s.hidden != t.hidden || s.intermediate != t.intermediate || s.heads != t.heads || s.kvHeads != t.kvHeads ||
         s.headDim != t.headDim;
}

// Student parameter name → the teacher's, for layer selection ("model.layers.1.mlp..." → "model.layers.11.mlp...").
QString teacherName(const QString& studentName, const std::vector<int64_t>& selection) {
  static const QRegularExpression layer(QStringLiteral("^model\\.layers\\.(\\d+)\\.(.*)$"));
  const QRegularExpressionMatch m = layer.match(studentName);
  if (!m.hasMatch()) return studentName;
  const auto i = static_cast<size_t>(m.captured(1).toLongLong());
  return QStringLiteral("model.layers.%1.%2").arg(selection.at(i)).arg(m.captured(2));
}

torch::ScalarType dtypeFromConfigName(const QString& name) {
  if (name == QLatin1String("bfloat16")) return torch::kBFloat16;
  if (name == QLatin1String("float16")) return torch::kFloat16;
  return torch::kFloat32;
}

// transformers' _init_weights for Llama/Qwen: Linear weights and Embedding rows normal(0, std), biases zero,
// the padding row zero, RMSNorm weights one. Parameters are visited in registration order with one generator, so
// a seed gives the same model every time.
void initialiseFresh(CausalLM& model, double std, std::optional<int64_t> padId, uint64_t seed) {
  torch::NoGradGuard noGrad;
  at::Generator gen = at::detail::createCPUGenerator(seed);
  for (const auto& item : model->named_modules()) {
    const std::shared_ptr<torch::nn::Module>& m = item.value();
    if (auto* linear = m->as<LinearImpl>()) {
      linear->weight.normal_(0.0, std, gen);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = m->as<EmbeddingImpl>()) {
      embedding->weight.normal_(0.0, std, gen);
      if (padId && *padId < embedding->weight.size(0)) embedding->weight[*padId].zero_();
    } else if (auto* norm = m->as<RmsNormImpl>()) {
      norm->weight.fill_(1.0);
    }
  }
}

}  // namespace

std::vector<int64_t> uniformLayerSelection(int64_t teacherLayers, int64_t studentLayers) {
  if (studentLayers < 1)
    throw UsageError({}, QStringLiteral("--layers"), QString::number(studentLayers),
                     QStringLiteral("must be at least 1"));
  if (studentLayers > teacherLayers)
    throw UsageError({}, QStringLiteral("--layers"), QString::number(studentLayers),
                     QStringLiteral("exceeds the teacher's %1 layers; layer selection copies teacher layers (change "
                                    "a width, e.g. --hidden, for a freshly initialised student)")
                         .arg(teacherLayers));
  std::vector<int64_t> out;
  if (studentLayers == 1) return {0};
  // round_half_up(i · (L − 1) / (N − 1)) in integers: floor((2·i·(L − 1) + (N − 1)) / (2·(N − 1))).
  for (int64_t i = 0; i < studentLayers; ++i)
    out.push_back((2 * i * (teacherLayers - 1) + (studentLayers - 1)) / (2 * (studentLayers - 1)));
  return out;
}

bool changesWidths(const QJsonObject& teacherConfig, const StudentSpec& spec, const QString& teacherConfigPath) {
  const ModelConfig teacher = ModelConfig::fromJson(teacherConfig, teacherConfigPath);
  return widthsDiffer(studentShape(teacherConfig, teacher, spec), teacher);
}

QJsonObject studentConfig(const QJsonObject& teacherConfig, const StudentSpec& spec, const QString& teacherConfigPath) {
  const ModelConfig teacher = ModelConfig::fromJson(teacherConfig, teacherConfigPath);
  const Shape s = studentShape(teacherConfig, teacher, spec);
  const bool fresh = widthsDiffer(s, teacher);
  const std::vector<int64_t> selection =
      fresh ? std::vector<int64_t>{} : uniformLayerSelection(teacher.layers, s.layers);

  QJsonObject out = teacherConfig;
  out.insert(QStringLiteral("num_hidden_layers"), static_cast<qint64>(s.layers));
  out.insert(QStringLiteral("hidden_size"), static_cast<qint64>(s.hidden));
  out.insert(QStringLiteral("intermediate_size"), static_cast<qint64>(s.intermediate));
  out.insert(QStringLiteral("num_attention_heads"), static_cast<qint64>(s.heads));
  out.insert(QStringLiteral("num_key_value_heads"), static_cast<qint64>(s.kvHeads));
  if (out.contains(QStringLiteral("head_dim")) && !out.value(QStringLiteral("head_dim")).isNull())
    out.insert(QStringLiteral("head_dim"), static_cast<qint64>(s.headDim));
  // layer_types lists one entry per layer: the selected layers' entries, or the teacher's pattern repeated.
  const QJsonValue types = teacherConfig.value(QStringLiteral("layer_types"));
  if (types.isArray() && !types.toArray().isEmpty()) {
    const QJsonArray from = types.toArray();
    QJsonArray to;
    for (int64_t i = 0; i < s.layers; ++i)
      to.append(from.at(fresh ? static_cast<qsizetype>(i % from.size())
                              : static_cast<qsizetype>(selection[static_cast<size_t>(i)])));
    out.insert(QStringLiteral("layer_types"), to);
  }
  ModelConfig::fromJson(out, teacherConfigPath);  // the student must be a config we (and transformers) accept
  return out;
}

int64_t createFreshModel(const QJsonObject& config, const QString& outDir, const QString& sideFilesDir,
                         uint64_t seed) {
  const ModelConfig cfg = ModelConfig::fromJson(config, QDir(outDir).filePath(QStringLiteral("config.json")));
  CausalLM model(cfg, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kCPU));
  initialiseFresh(model, config.value(QStringLiteral("initializer_range")).toDouble(0.02), cfg.padTokenId, seed);
  SaveOptions save;
  save.dtype = torch::kFloat32;
  save.allowOtherFiles = true;  // the caller may have put the tokenizer there already
  saveModel(model, config, outDir, sideFilesDir, save);
  return parameterCount(cfg);
}

StudentResult initStudent(const QString& teacherDir, const QString& outDir, const StudentSpec& spec) {
  const QString configPath = QDir(teacherDir).filePath(QStringLiteral("config.json"));
  const QJsonObject teacherJson = readJsonObject(configPath);
  const ModelConfig teacher = ModelConfig::fromJson(teacherJson, configPath);
  StudentResult r;
  r.config = studentConfig(teacherJson, spec, configPath);
  const ModelConfig cfg = ModelConfig::fromJson(r.config, QDir(outDir).filePath(QStringLiteral("config.json")));
  r.parameters = parameterCount(cfg);
  const bool fresh = widthsDiffer(studentShape(teacherJson, teacher, spec), teacher);
  r.method = fresh ? StudentMethod::FreshInit : StudentMethod::LayerSelection;

  if (fresh) {
    const torch::ScalarType dtype = dtypeFromConfigName(teacher.dtype);
    const double std = teacherJson.value(QStringLiteral("initializer_range")).toDouble(0.02);
    CausalLM model(cfg, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kCPU));
    initialiseFresh(model, std, cfg.padTokenId, spec.seed);
    saveModel(model, r.config, outDir, teacherDir, SaveOptions{dtype});
    return r;
  }

  r.teacherLayers = uniformLayerSelection(teacher.layers, cfg.layers);
  const CheckpointReader ckpt(teacherDir);
  checkCheckpoint(ckpt, teacher);
  // The student keeps the dtype the teacher's weights are stored in, so the copied layers are bit-identical.
  const DType stored = ckpt.info(QStringLiteral("model.embed_tokens.weight")).dtype;
  const torch::ScalarType dtype = stored == DType::BF16  ? torch::kBFloat16
                                  : stored == DType::F16 ? torch::kFloat16
                                                         : torch::kFloat32;
  CausalLM model(cfg, torch::TensorOptions().dtype(dtype).device(torch::kCPU));
  {
    torch::NoGradGuard noGrad;
    for (auto& p : model->named_parameters())
      p.value().copy_(ckpt.load(teacherName(QString::fromStdString(p.key()), r.teacherLayers), dtype, torch::kCPU));
  }
  saveModel(model, r.config, outDir, teacherDir, SaveOptions{dtype});
  return r;
}

}  // namespace distillery
