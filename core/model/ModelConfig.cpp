#include "model/ModelConfig.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/JsonFields.h"

#include <QtCore/QJsonArray>

#include <cmath>

namespace distillery {

namespace {

struct Family {
  const char* architecture;
  const char* modelType;
  int64_t defaultMaxPositions;  // transformers' config class default
};

constexpr Family kFamilies[] = {
    {"LlamaForCausalLM", "llama", 2048},
    {"MistralForCausalLM", "mistral", 4096 * 32},
    {"Qwen2ForCausalLM", "qwen2", 32768},
    {"Qwen3ForCausalLM", "qwen3", 40960},
};

const Family* familyOf(const QString& architecture) {
  for (const Family& f : kFamilies)
    if (architecture == QLatin1String(f.architecture)) return &f;
  return nullptr;
}

// rope_scaling (older files) or rope_parameters (transformers 5), whichever says more.
void readRope(const JsonFields& in, ModelConfig& cfg) {
  if (const auto theta = in.optionalNumber(QStringLiteral("rope_theta"))) cfg.ropeTheta = *theta;

  QString key = QStringLiteral("rope_scaling");
  QJsonValue scaling = in.json().value(key);
  if (scaling.isUndefined() || scaling.isNull()) {
    key = QStringLiteral("rope_parameters");
    scaling = in.json().value(key);
  }
  if (scaling.isUndefined() || scaling.isNull()) return;
  if (!scaling.isObject()) throw FormatError(in.path(), key, jsonText(scaling), QStringLiteral("must be an object"));
  const JsonFields rope(scaling.toObject(), in.path(), key + QLatin1Char('.'));
  if (key == QLatin1String("rope_parameters"))
    if (const auto theta = rope.optionalNumber(QStringLiteral("rope_theta"))) cfg.ropeTheta = *theta;

  const QString typeKey = rope.json().contains(QStringLiteral("rope_type")) ? QStringLiteral("rope_type")
                                                                             : QStringLiteral("type");
  const QString type = rope.optionalString(typeKey).value_or(QStringLiteral("default"));
  if (type == QLatin1String("default")) return;
  if (type != QLatin1String("llama3"))
    throw FormatError(in.path(), key + QLatin1Char('.') + typeKey, type,
                      QStringLiteral("is not supported; Distillery implements the default and llama3 RoPE"));
  RopeScaling& s = cfg.ropeScaling;
  s.type = RopeScaling::Type::Llama3;
  s.factor = rope.positiveNumber(QStringLiteral("factor"));
  s.lowFreqFactor = rope.positiveNumber(QStringLiteral("low_freq_factor"));
  s.highFreqFactor = rope.positiveNumber(QStringLiteral("high_freq_factor"));
  s.originalMaxPositions = rope.positiveInt(QStringLiteral("original_max_position_embeddings"));
  if (s.highFreqFactor <= s.lowFreqFactor)
    throw FormatError(in.path(), key + QStringLiteral(".high_freq_factor"), s.highFreqFactor,
                      QStringLiteral("must be greater than low_freq_factor (%1)").arg(s.lowFreqFactor));
}

// Which layers attend within a window, as transformers decides it per family.
void readSlidingWindow(const JsonFields& in, ModelConfig& cfg) {
  cfg.slidingLayers.assign(static_cast<size_t>(cfg.layers), false);
  const bool mistral = cfg.modelType == QLatin1String("mistral");
  const bool qwen = cfg.modelType == QLatin1String("qwen2") || cfg.modelType == QLatin1String("qwen3");
  if (!mistral && !qwen) return;
  const std::optional<int64_t> window = in.optionalPositiveInt(QStringLiteral("sliding_window"));
  if (!window) return;
  if (qwen && !in.optionalBool(QStringLiteral("use_sliding_window")).value_or(false)) return;
  cfg.slidingWindow = *window;
  if (mistral) {
    cfg.slidingLayers.assign(static_cast<size_t>(cfg.layers), true);
    return;
  }
  const QString typesKey = QStringLiteral("layer_types");
  const QJsonValue types = in.json().value(typesKey);
  if (types.isUndefined() || types.isNull()) {
    const int64_t first = in.optionalInt(QStringLiteral("max_window_layers")).value_or(28);
    for (int64_t i = first; i < cfg.layers; ++i) cfg.slidingLayers[static_cast<size_t>(i)] = true;
    return;
  }
  const QJsonArray list = types.toArray();
  if (!types.isArray() || list.size() != cfg.layers)
    throw FormatError(in.path(), typesKey, jsonText(types),
                      QStringLiteral("must list one attention type per layer (%1)").arg(cfg.layers));
  for (qsizetype i = 0; i < list.size(); ++i) {
    const QString t = list[i].toString();
    if (t != QLatin1String("full_attention") && t != QLatin1String("sliding_attention"))
      throw FormatError(in.path(), typesKey + QStringLiteral("[%1]").arg(i), jsonText(list[i]),
                        QStringLiteral("must be \"full_attention\" or \"sliding_attention\""));
    cfg.slidingLayers[static_cast<size_t>(i)] = t == QLatin1String("sliding_attention");
  }
}

}  // namespace

QStringList ModelConfig::supportedArchitectures() {
  QStringList names;
  for (const Family& f : kFamilies) names << QString::fromLatin1(f.architecture);
  return names;
}

int64_t ModelConfig::windowOf(int64_t layer) const {
  if (slidingWindow <= 0 || layer < 0 || layer >= static_cast<int64_t>(slidingLayers.size())) return 0;
  return slidingLayers[static_cast<size_t>(layer)] ? slidingWindow : 0;
}

ModelConfig ModelConfig::fromFile(const QString& configJsonPath) {
  return fromJson(readJsonObject(configJsonPath), configJsonPath);
}

ModelConfig ModelConfig::fromJson(const QJsonObject& json, const QString& path) {
  const JsonFields in(json, path);
  ModelConfig cfg;
  cfg.path = path;

  const QString archKey = QStringLiteral("architectures");
  const QJsonValue archs = json.value(archKey);
  if (archs.isUndefined() || archs.isNull())
    throw FormatError(path, archKey, {},
                      QStringLiteral("is missing; expected one of ") + supportedArchitectures().join(QStringLiteral(", ")));
  if (!archs.isArray() || archs.toArray().size() != 1 || !archs.toArray().at(0).isString())
    throw FormatError(path, archKey, jsonText(archs), QStringLiteral("must be a list of one architecture name"));
  cfg.architecture = archs.toArray().at(0).toString();
  const Family* family = familyOf(cfg.architecture);
  if (!family)
    throw FormatError(path, archKey, cfg.architecture,
                      QStringLiteral("is not supported; Distillery runs ") +
                          supportedArchitectures().join(QStringLiteral(", ")));
  cfg.modelType = in.optionalString(QStringLiteral("model_type")).value_or(QString::fromLatin1(family->modelType));
  if (cfg.modelType != QLatin1String(family->modelType))
    throw FormatError(path, QStringLiteral("model_type"), cfg.modelType,
                      QStringLiteral("does not match architectures (%1 is model_type \"%2\")")
                          .arg(cfg.architecture, QLatin1String(family->modelType)));

  const QString act = in.optionalString(QStringLiteral("hidden_act")).value_or(QStringLiteral("silu"));
  if (act != QLatin1String("silu"))
    throw FormatError(path, QStringLiteral("hidden_act"), act,
                      QStringLiteral("is not supported; Distillery's MLP is SwiGLU with silu"));

  cfg.vocabSize = in.positiveInt(QStringLiteral("vocab_size"));
  cfg.hidden = in.positiveInt(QStringLiteral("hidden_size"));
  cfg.intermediate = in.positiveInt(QStringLiteral("intermediate_size"));
  cfg.layers = in.positiveInt(QStringLiteral("num_hidden_layers"));
  cfg.heads = in.positiveInt(QStringLiteral("num_attention_heads"));
  // Far beyond any published model; a larger value is a damaged file, and building its module list would
  // take minutes before the checkpoint check could refuse it.
  constexpr int64_t kMaxLayers = 4096;
  if (cfg.layers > kMaxLayers)
    throw FormatError(path, QStringLiteral("num_hidden_layers"), cfg.layers,
                      QStringLiteral("is implausibly large (at most %1)").arg(kMaxLayers));
  cfg.kvHeads = in.optionalPositiveInt(QStringLiteral("num_key_value_heads")).value_or(cfg.heads);
  if (cfg.heads % cfg.kvHeads != 0)
    throw FormatError(path, QStringLiteral("num_key_value_heads"), cfg.kvHeads,
                      QStringLiteral("does not divide num_attention_heads (%1)").arg(cfg.heads));

  const bool qwen3 = cfg.modelType == QLatin1String("qwen3");
  if (const auto headDim = in.optionalPositiveInt(QStringLiteral("head_dim"))) {
    cfg.headDim = *headDim;
  } else if (qwen3) {
    cfg.headDim = 128;  // Qwen3Config's default
  } else {
    if (cfg.hidden % cfg.heads != 0)
      throw FormatError(path, QStringLiteral("hidden_size"), cfg.hidden,
                        QStringLiteral("is not divisible by num_attention_heads (%1) and head_dim is not given")
                            .arg(cfg.heads));
    cfg.headDim = cfg.hidden / cfg.heads;
  }
  if (cfg.headDim % 2 != 0)
    throw FormatError(path, QStringLiteral("head_dim"), cfg.headDim,
                      QStringLiteral("must be even for rotary position embeddings"));

  cfg.rmsEps = in.optionalNumber(QStringLiteral("rms_norm_eps")).value_or(1e-6);
  if (!(cfg.rmsEps > 0))
    throw FormatError(path, QStringLiteral("rms_norm_eps"), cfg.rmsEps, QStringLiteral("must be positive"));
  readRope(in, cfg);
  if (!(cfg.ropeTheta > 0))
    throw FormatError(path, QStringLiteral("rope_theta"), cfg.ropeTheta, QStringLiteral("must be positive"));
  cfg.maxPositions =
      in.optionalPositiveInt(QStringLiteral("max_position_embeddings")).value_or(family->defaultMaxPositions);
  cfg.tieWordEmbeddings = in.optionalBool(QStringLiteral("tie_word_embeddings")).value_or(false);

  const bool attentionBias = in.optionalBool(QStringLiteral("attention_bias")).value_or(false);
  if (cfg.modelType == QLatin1String("qwen2")) {
    cfg.qkvBias = true;  // Qwen2Attention: q/k/v always biased, o_proj never
  } else if (cfg.modelType == QLatin1String("llama") || qwen3) {
    cfg.qkvBias = cfg.oBias = attentionBias;
  }
  cfg.qkNorm = qwen3;
  if (cfg.modelType == QLatin1String("llama")) cfg.mlpBias = in.optionalBool(QStringLiteral("mlp_bias")).value_or(false);
  readSlidingWindow(in, cfg);

  QString dtypeKey = QStringLiteral("torch_dtype");
  if (!json.contains(dtypeKey)) dtypeKey = QStringLiteral("dtype");
  cfg.dtype = in.optionalString(dtypeKey).value_or(QString());
  if (!cfg.dtype.isEmpty() && cfg.dtype != QLatin1String("float32") && cfg.dtype != QLatin1String("bfloat16") &&
      cfg.dtype != QLatin1String("float16"))
    throw FormatError(path, dtypeKey, cfg.dtype, QStringLiteral("must be \"float32\", \"bfloat16\" or \"float16\""));

  cfg.bosTokenId = in.optionalTokenId(QStringLiteral("bos_token_id"));
  cfg.eosTokenIds = in.tokenIds(QStringLiteral("eos_token_id"));
  cfg.padTokenId = in.optionalTokenId(QStringLiteral("pad_token_id"));
  return cfg;
}

}  // namespace distillery
