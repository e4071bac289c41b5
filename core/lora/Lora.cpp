#include "lora/Lora.h"

#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "model/ModelLoader.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>

#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace distillery {

namespace {

const QString kAllLinear = QStringLiteral("all-linear");
const QString kConfigFile = QStringLiteral("adapter_config.json");
const QString kWeightsFile = QStringLiteral("adapter_model.safetensors");
// PeftModel wraps the base model twice (PeftModelForCausalLM.base_model = LoraModel, LoraModel.model = the
// transformers model), so its saved keys carry this prefix before the model's own parameter names.
const std::string kPeftPrefix = "base_model.model.";

// Every Linear of the model except lm_head, by dotted module name, in registration order.
std::vector<std::pair<QString, std::shared_ptr<LinearImpl>>> linears(CausalLM& model) {
  std::vector<std::pair<QString, std::shared_ptr<LinearImpl>>> out;
  for (const auto& item : model->named_modules("", /*include_self=*/false)) {
    auto linear = std::dynamic_pointer_cast<LinearImpl>(item.value());
    if (!linear || item.key() == "lm_head") continue;
    out.emplace_back(QString::fromStdString(item.key()), std::move(linear));
  }
  return out;
}

// PEFT's check_target_module_exists for a list of names: the key equals a target or ends with "." + target.
bool matchesSuffix(const QString& name, const QStringList& targets) {
  for (const QString& t : targets)
    if (name == t || name.endsWith(QLatin1Char('.') + t)) return true;
  return false;
}

QString lastComponent(const QString& name) { return name.section(QLatin1Char('.'), -1); }

// Module names selected by targets, which is either a list of suffixes, ["all-linear"], or (from a PEFT config
// whose target_modules is a string) a one-entry regex that must match the whole name, flagged by isRegex.
QStringList selectTargets(CausalLM& model, const QStringList& targets, bool isRegex, const QString& path) {
  QStringList names;
  for (const auto& [name, linear] : linears(model)) names.push_back(name);
  if (targets.isEmpty())
    throw FormatError(path, QStringLiteral("target_modules"), QStringLiteral("[]"),
                      QStringLiteral("names no module to adapt"));
  if (targets.size() == 1 && targets.front() == kAllLinear) return names;
  QStringList selected;
  if (isRegex) {
    const QRegularExpression re(QRegularExpression::anchoredPattern(targets.front()));
    if (!re.isValid())
      throw FormatError(path, QStringLiteral("target_modules"), targets.front(),
                        QStringLiteral("is not a valid regular expression: ") + re.errorString());
    for (const QString& n : names)
      if (re.match(n).hasMatch()) selected.push_back(n);
    if (selected.isEmpty())
      throw FormatError(path, QStringLiteral("target_modules"), targets.front(),
                        QStringLiteral("matches no linear module of the model"));
    return selected;
  }
  for (const QString& t : targets) {
    if (t == kAllLinear)
      throw FormatError(path, QStringLiteral("target_modules"), t,
                        QStringLiteral("\"all-linear\" must be the only target"));
    bool any = false;
    for (const QString& n : names)
      if (n == t || n.endsWith(QLatin1Char('.') + t)) any = true;
    if (!any)
      throw FormatError(path, QStringLiteral("target_modules"), t,
                        t == QLatin1String("lm_head")
                            ? QStringLiteral("LoRA on the output projection (lm_head) is not supported")
                            : QStringLiteral("matches no linear module of the model (its linear layers end in: ") +
                                  linearModuleSuffixes(model).join(QStringLiteral(", ")) + QLatin1Char(')'));
  }
  for (const QString& n : names)
    if (matchesSuffix(n, targets)) selected.push_back(n);
  return selected;
}

void checkOptions(const LoraConfig& c, const QString& path) {
  if (c.r < 1) throw FormatError(path, QStringLiteral("r"), c.r, QStringLiteral("must be at least 1"));
  if (!(c.alpha > 0) || !std::isfinite(c.alpha))
    throw FormatError(path, QStringLiteral("lora_alpha"), c.alpha, QStringLiteral("must be a positive number"));
  if (!(c.dropout >= 0 && c.dropout < 1))
    throw FormatError(path, QStringLiteral("lora_dropout"), c.dropout, QStringLiteral("must be in [0, 1)"));
}

// Everything a load needs, read and checked before the model is touched.
struct PendingAdapter {
  QString module;
  torch::Tensor a, b;  // CPU float32
};

// Reads adapter_config.json into a LoraConfig, refusing what this implementation does not do.
LoraConfig readAdapterConfig(const QString& path, bool& targetIsRegex) {
  const QJsonObject o = readJsonObject(path);
  const auto field = [&](const char* key) { return o.value(QLatin1String(key)); };
  const auto isUnset = [](const QJsonValue& v) {
    return v.isUndefined() || v.isNull() || (v.isArray() && v.toArray().isEmpty()) ||
           (v.isObject() && v.toObject().isEmpty());
  };
  const auto refuse = [&](const char* key, const QString& why) {
    throw FormatError(path, QString::fromLatin1(key), jsonText(field(key)), why);
  };

  if (field("peft_type").toString() != QLatin1String("LORA"))
    refuse("peft_type", QStringLiteral("is not a LoRA adapter (peft_type must be \"LORA\")"));
  if (!field("use_dora").isUndefined() && !field("use_dora").isNull() && field("use_dora").toBool())
    refuse("use_dora", QStringLiteral("DoRA adapters are not supported"));
  if (!field("bias").isUndefined() && field("bias").toString() != QLatin1String("none"))
    refuse("bias", QStringLiteral("only bias \"none\" is supported (trained biases are not)"));
  if (field("lora_bias").toBool()) refuse("lora_bias", QStringLiteral("LoRA biases are not supported"));
  if (field("fan_in_fan_out").toBool())
    refuse("fan_in_fan_out", QStringLiteral("transposed (Conv1D) weights are not supported"));
  for (const char* key : {"modules_to_save", "rank_pattern", "alpha_pattern", "layers_to_transform", "exclude_modules",
                          "layer_replication", "trainable_token_indices", "target_parameters"})
    if (!isUnset(field(key))) refuse(key, QStringLiteral("is not supported (only plain LoRA on linear layers)"));
  for (const char* key : {"use_qalora", "use_bdlora"})
    if (field(key).toBool()) refuse(key, QStringLiteral("is not supported"));

  LoraConfig c;
  const QJsonValue r = field("r");
  if (!r.isDouble() || r.toDouble() != std::floor(r.toDouble())) refuse("r", QStringLiteral("must be a whole number"));
  c.r = r.toInt();
  if (!field("lora_alpha").isDouble()) refuse("lora_alpha", QStringLiteral("must be a number"));
  c.alpha = field("lora_alpha").toDouble();
  const QJsonValue dropout = field("lora_dropout");
  if (!dropout.isUndefined() && !dropout.isDouble()) refuse("lora_dropout", QStringLiteral("must be a number"));
  c.dropout = dropout.toDouble(0);
  const QJsonValue rs = field("use_rslora");
  if (!rs.isUndefined() && !rs.isNull() && !rs.isBool()) refuse("use_rslora", QStringLiteral("must be true or false"));
  c.rslora = rs.toBool(false);
  checkOptions(c, path);

  const QJsonValue targets = field("target_modules");
  targetIsRegex = false;
  c.targetModules.clear();
  if (targets.isString()) {
    c.targetModules = {targets.toString()};
    targetIsRegex = targets.toString() != kAllLinear;
  } else if (targets.isArray()) {
    for (const QJsonValue& v : targets.toArray()) {
      if (!v.isString()) refuse("target_modules", QStringLiteral("must be a list of module names"));
      c.targetModules.push_back(v.toString());
    }
  } else {
    refuse("target_modules", QStringLiteral("must be a list of module names or a regular expression"));
  }
  return c;
}

}  // namespace

double LoraConfig::scaling() const { return rslora ? alpha / std::sqrt(double(r)) : alpha / double(r); }

QStringList linearModuleNames(CausalLM& model) {
  QStringList names;
  for (const auto& [name, linear] : linears(model)) names.push_back(name);
  return names;
}

QStringList linearModuleSuffixes(CausalLM& model) {
  QStringList out;
  for (const auto& [name, linear] : linears(model))
    if (!out.contains(lastComponent(name))) out.push_back(lastComponent(name));
  return out;
}

QStringList loraTargets(CausalLM& model, const QStringList& targetModules) {
  return selectTargets(model, targetModules, false, QString());
}

bool hasLora(CausalLM& model) {
  for (const auto& [name, linear] : linears(model))
    if (linear->hasLora()) return true;
  return false;
}

QStringList applyLora(CausalLM& model, const LoraConfig& c, uint64_t seed) {
  checkOptions(c, QString());
  if (hasLora(model))
    throw Error(QStringLiteral("the model already carries LoRA adapters; merge or unload them first"));
  const QStringList targets = selectTargets(model, c.targetModules, false, QString());

  torch::NoGradGuard noGrad;
  for (auto& p : model->parameters()) p.set_requires_grad(false);
  // One CPU generator for all modules, drawn in module order: the same seed gives the same A on any device.
  at::Generator gen = at::detail::createCPUGenerator(seed);
  const torch::Device device = model->device();
  for (const auto& [name, linear] : linears(model)) {
    if (!targets.contains(name)) continue;
    const int64_t in = linear->weight.size(1), out = linear->weight.size(0);
    // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound = gain·√(3/fan_in) = 1/√in.
    const double bound = 1.0 / std::sqrt(double(in));
    torch::Tensor a = torch::empty({c.r, in}, torch::kFloat32).uniform_(-bound, bound, gen).to(device);
    torch::Tensor b = torch::zeros({out, c.r}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    a.set_requires_grad(true);
    b.set_requires_grad(true);
    linear->setLora({a, b, c.scaling(), c.dropout});
  }
  return targets;
}

std::vector<NamedTensor> loraParameters(CausalLM& model) {
  std::vector<NamedTensor> out;
  for (const auto& item : model->named_parameters()) {
    const std::string& k = item.key();
    if (k.find(".lora_A.") != std::string::npos || k.find(".lora_B.") != std::string::npos)
      out.emplace_back(k, item.value());
  }
  return out;
}

void saveAdapter(CausalLM& model, const LoraConfig& c, const QString& dir, const QString& baseModelPath) {
  const std::vector<NamedTensor> params = loraParameters(model);
  if (params.empty())
    throw Error(dir, QString(), QString(), QStringLiteral("the model carries no LoRA adapters to save"));
  if (!QDir().mkpath(dir)) throw Error(dir, QString(), QString(), QStringLiteral("cannot create the folder"));

  // PEFT expands "all-linear" into the suffixes it adapted and writes target_modules as a sorted list.
  QStringList targets = c.targetModules.size() == 1 && c.targetModules.front() == kAllLinear
                            ? linearModuleSuffixes(model)
                            : c.targetModules;
  targets.removeDuplicates();
  targets.sort();

  std::vector<std::pair<std::string, at::Tensor>> tensors;
  tensors.reserve(params.size());
  for (const auto& [name, t] : params) tensors.emplace_back(kPeftPrefix + name, t.detach());
  writeSafetensors(dir + QLatin1Char('/') + kWeightsFile, tensors, {{QStringLiteral("format"), QStringLiteral("pt")}});

  // The keys and defaults PEFT 0.21's LoraConfig.save_pretrained writes.
  QJsonObject o;
  o.insert("alora_invocation_tokens", QJsonValue::Null);
  o.insert("alpha_pattern", QJsonObject{});
  o.insert("arrow_config", QJsonValue::Null);
  o.insert("auto_mapping", QJsonValue::Null);
  o.insert("base_model_name_or_path", baseModelPath.isEmpty() ? QJsonValue() : QJsonValue(baseModelPath));
  o.insert("bias", "none");
  o.insert("corda_config", QJsonValue::Null);
  o.insert("ensure_weight_tying", false);
  o.insert("eva_config", QJsonValue::Null);
  o.insert("exclude_modules", QJsonValue::Null);
  o.insert("fan_in_fan_out", false);
  o.insert("inference_mode", true);
  o.insert("init_lora_weights", true);
  o.insert("kasa_config", QJsonValue::Null);
  o.insert("layer_replication", QJsonValue::Null);
  o.insert("layers_pattern", QJsonValue::Null);
  o.insert("layers_to_transform", QJsonValue::Null);
  o.insert("loftq_config", QJsonObject{});
  o.insert("lora_alpha", c.alpha == std::floor(c.alpha) ? QJsonValue(qint64(c.alpha)) : QJsonValue(c.alpha));
  o.insert("lora_bias", false);
  o.insert("lora_dropout", c.dropout);
  o.insert("lora_ga_config", QJsonValue::Null);
  o.insert("megatron_config", QJsonValue::Null);
  o.insert("megatron_core", "megatron.core");
  o.insert("modules_to_save", QJsonValue::Null);
  o.insert("monteclora_config", QJsonValue::Null);
  o.insert("peft_type", "LORA");
  o.insert("peft_version", "0.21.0");
  o.insert("qalora_group_size", 16);
  o.insert("r", c.r);
  o.insert("rank_pattern", QJsonObject{});
  o.insert("revision", QJsonValue::Null);
  o.insert("target_modules", QJsonArray::fromStringList(targets));
  o.insert("target_parameters", QJsonValue::Null);
  o.insert("task_type", "CAUSAL_LM");
  o.insert("trainable_token_indices", QJsonValue::Null);
  o.insert("use_bdlora", QJsonValue::Null);
  o.insert("use_dora", false);
  o.insert("use_qalora", false);
  o.insert("use_rslora", c.rslora);
  o.insert("velora_config", QJsonValue::Null);
  // The config last: a folder with adapter_config.json is a complete adapter.
  writeFileAtomically(dir + QLatin1Char('/') + kConfigFile, QJsonDocument(o).toJson(QJsonDocument::Indented));
}

LoraConfig loadAdapter(CausalLM& model, const QString& dir) {
  const QString configPath = dir + QLatin1Char('/') + kConfigFile;
  const QString weightsPath = dir + QLatin1Char('/') + kWeightsFile;
  if (!QFileInfo(dir).isDir())
    throw FormatError(dir, QString(), QString(), QStringLiteral("is not a folder (a PEFT adapter folder expected)"));
  bool targetIsRegex = false;
  const LoraConfig c = readAdapterConfig(configPath, targetIsRegex);
  if (hasLora(model))
    throw Error(dir, QString(), QString(),
                QStringLiteral("the model already carries LoRA adapters; merge or unload them first"));
  const QStringList targets = selectTargets(model, c.targetModules, targetIsRegex, configPath);
  if (!QFileInfo::exists(weightsPath)) {
    const bool pickle = QFileInfo::exists(dir + QStringLiteral("/adapter_model.bin"));
    throw FormatError(weightsPath, QString(), QString(),
                      pickle ? QStringLiteral("does not exist (adapter_model.bin is a pickle file and is not read; "
                                              "convert it to safetensors)")
                             : QStringLiteral("does not exist"));
  }
  const SafetensorsFile file(weightsPath);

  std::map<QString, std::shared_ptr<LinearImpl>> byName;
  for (auto& [name, linear] : linears(model))
    if (targets.contains(name)) byName[name] = linear;

  std::map<QString, PendingAdapter> pending;
  for (const TensorInfo& info : file.tensors()) {
    const QString key = QString::fromStdString(info.name);
    const bool isA = key.endsWith(QLatin1String(".lora_A.weight"));
    const bool isB = key.endsWith(QLatin1String(".lora_B.weight"));
    if (info.name.rfind(kPeftPrefix, 0) != 0 || !(isA || isB))
      throw FormatError(weightsPath, key, shapeText(info.shape),
                        QStringLiteral("is not a LoRA weight (\"base_model.model.<module>.lora_A.weight\" or "
                                       "\"...lora_B.weight\" expected)"));
    const QString module = key.mid(int(kPeftPrefix.size())).chopped(int(strlen(".lora_A.weight")));
    const auto it = byName.find(module);
    if (it == byName.end())
      throw FormatError(weightsPath, key, shapeText(info.shape),
                        QStringLiteral("belongs to module \"%1\", which is not a target of this adapter's "
                                       "target_modules or not a linear module of the model")
                            .arg(module));
    const torch::Tensor& w = it->second->weight;
    const std::vector<int64_t> want = isA ? std::vector<int64_t>{c.r, w.size(1)} : std::vector<int64_t>{w.size(0), c.r};
    if (info.shape != want)
      throw FormatError(weightsPath, key, shapeText(info.shape),
                        QStringLiteral("has the wrong shape: %1 expected (r = %2, module %3 is [%4, %5])")
                            .arg(shapeText(want))
                            .arg(c.r)
                            .arg(module)
                            .arg(w.size(0))
                            .arg(w.size(1)));
    if (!(info.dtype == DType::F32 || info.dtype == DType::F16 || info.dtype == DType::BF16 ||
          info.dtype == DType::F64))
      throw FormatError(weightsPath, key, dtypeName(info.dtype), QStringLiteral("must be a floating-point tensor"));
    PendingAdapter& p = pending[module];
    p.module = module;
    (isA ? p.a : p.b) = file.tensor(info.name).to(torch::kFloat32);
  }
  for (const auto& [name, linear] : byName) {
    const auto it = pending.find(name);
    for (const char* part : {"lora_A", "lora_B"}) {
      const bool have = it != pending.end() && (part[5] == 'A' ? it->second.a.defined() : it->second.b.defined());
      if (!have)
        throw FormatError(weightsPath,
                          QString::fromStdString(kPeftPrefix) + name + QLatin1Char('.') + QLatin1String(part) +
                              QStringLiteral(".weight"),
                          QString(), QStringLiteral("is missing: target_modules selects module %1").arg(name));
    }
  }

  // Every check passed: only now is the model changed.
  torch::NoGradGuard noGrad;
  for (auto& p : model->parameters()) p.set_requires_grad(false);
  const torch::Device device = model->device();
  for (auto& [name, p] : pending) {
    torch::Tensor a = p.a.to(device), b = p.b.to(device);
    a.set_requires_grad(true);
    b.set_requires_grad(true);
    byName[name]->setLora({a, b, c.scaling(), c.dropout});
  }
  return c;
}

void mergeLora(CausalLM& model) {
  torch::NoGradGuard noGrad;
  for (auto& [name, linear] : linears(model)) {
    if (!linear->hasLora()) continue;
    torch::Tensor& w = linear->weight;
    // [out, r]·[r, in] → [out, in], in float32 whatever the base dtype.
    const torch::Tensor delta =
        torch::matmul(linear->loraB().to(torch::kFloat32), linear->loraA().to(torch::kFloat32)) * linear->loraScaling();
    w.copy_((w.to(torch::kFloat32) + delta.to(w.device())).to(w.scalar_type()));
    linear->removeLora();
  }
}

void unloadLora(CausalLM& model) {
  for (auto& [name, linear] : linears(model)) linear->removeLora();
}

}  // namespace distillery
