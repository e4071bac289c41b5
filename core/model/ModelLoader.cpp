#include "model/ModelLoader.h"

#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>

namespace distillery {

QString shapeText(const std::vector<int64_t>& shape) {
  QStringList parts;
  for (int64_t d : shape) parts << QString::number(d);
  return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig& config, const std::optional<QuantConfig>& quant) {
  CausalLM shapes(config, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kMeta));
  QSet<QString> converted;  // "<module>.weight" of the Linears quant converts
  if (quant)
    for (const auto& [name, linear] : quantizableLinears(shapes, *quant)) {
      checkQuantizable(linear->weight.sizes().vec(), quant->scheme, name + QStringLiteral(".weight"));
      converted.insert(name + QStringLiteral(".weight"));
    }
  std::vector<ExpectedTensor> out;
  for (const auto& p : shapes->named_parameters()) {
    const QString name = QString::fromStdString(p.key());
    if (!converted.contains(name)) {
      out.push_back({name, p.value().sizes().vec(), std::nullopt});
      continue;
    }
    const QString module = name.chopped(int(QStringLiteral("weight").size()));  // "<module>."
    for (const QuantizedShape& q : quantizedShapes(p.value().size(0), p.value().size(1), quant->scheme))
      out.push_back({module + q.suffix, q.shape, dtypeFromScalarType(q.dtype)});
  }
  return out;
}

int64_t parameterCount(const ModelConfig& config) {
  int64_t n = 0;
  for (const ExpectedTensor& t : expectedTensors(config)) {
    int64_t numel = 1;
    for (int64_t d : t.shape) numel *= d;
    n += numel;
  }
  return n;
}

bool isIgnoredCheckpointTensor(const QString& name, const ModelConfig& config) {
  if (name.endsWith(QLatin1String(".rotary_emb.inv_freq")) || name == QLatin1String("rotary_emb.inv_freq")) return true;
  return config.tieWordEmbeddings && name == QLatin1String("lm_head.weight");
}

void checkCheckpoint(const CheckpointReader& ckpt, const ModelConfig& config, const std::optional<QuantConfig>& quant) {
  const std::vector<ExpectedTensor> expected = expectedTensors(config, quant);
  const QString& dir = ckpt.dir();
  const QString configName = QFileInfo(config.path).fileName();
  QSet<QString> known;
  for (const ExpectedTensor& e : expected) {
    known.insert(e.name);
    if (!ckpt.contains(e.name))
      throw FormatError(dir, e.name, {},
                        QStringLiteral("is missing from the checkpoint; %1 with this %2 needs it, shape %3")
                            .arg(config.architecture, configName, shapeText(e.shape)));
    const TensorInfo& info = ckpt.info(e.name);
    if (info.shape != e.shape)
      throw FormatError(dir, e.name, {},
                        QStringLiteral("has shape %1 in the checkpoint, but %2 implies %3")
                            .arg(shapeText(info.shape), configName, shapeText(e.shape)));
    if (e.dtype) {
      if (info.dtype != *e.dtype)
        throw FormatError(dir, e.name, {},
                          QStringLiteral("has dtype %1; the %2 layout of %3 stores it as %4")
                              .arg(dtypeName(info.dtype), quant->scheme.name(), configName, dtypeName(*e.dtype)));
      continue;
    }
    if (info.dtype != DType::F32 && info.dtype != DType::F16 && info.dtype != DType::BF16 && info.dtype != DType::F64)
      throw FormatError(dir, e.name, {},
                        QStringLiteral("has dtype %1; weights must be floating point (F32, F16, BF16)")
                            .arg(dtypeName(info.dtype)));
  }
  for (const QString& name : ckpt.names())
    if (!known.contains(name) && !isIgnoredCheckpointTensor(name, config))
      throw FormatError(dir, name, {},
                        QStringLiteral("is in the checkpoint but is not a parameter of %1 as %2 describes it; "
                                       "checkpoint and config do not match")
                            .arg(config.architecture, configName));
}

LoadedModel loadModel(const QString& dir, torch::ScalarType dtype, const torch::Device& device) {
  TORCH_CHECK(dtype == torch::kFloat32 || dtype == torch::kBFloat16 || dtype == torch::kFloat16,
              "models load as float32, bfloat16 or float16, not ", dtype);
  const QDir folder(dir);
  LoadedModel m;
  m.dir = dir;
  m.config = ModelConfig::fromFile(folder.filePath(QStringLiteral("config.json")));
  m.quant = QuantConfig::fromConfigJson(readJsonObject(m.config.path), m.config.path);
  m.generation = GenerationConfig::fromFile(folder.filePath(QStringLiteral("generation_config.json")));
  const CheckpointReader ckpt(dir);
  checkCheckpoint(ckpt, m.config, m.quant);

  m.model = CausalLM(m.config, torch::TensorOptions().dtype(dtype).device(device));
  torch::NoGradGuard noGrad;
  if (m.quant)
    for (auto& [name, linear] : quantizableLinears(m.model, *m.quant)) {
      const QString prefix = name + QLatin1Char('.');
      const auto load = [&](const QString& suffix, torch::ScalarType type) {
        return ckpt.load(prefix + suffix, type, device);
      };
      QuantizedTensor q;
      q.qweight = load(QStringLiteral("qweight"), m.quant->scheme.bits == 8 ? torch::kInt8 : torch::kUInt8);
      q.scales = load(QStringLiteral("scales"), torch::kFloat32);
      if (m.quant->scheme.bits == 4) q.zeros = load(QStringLiteral("zeros"), torch::kUInt8);
      linear->setQuantized(q, m.quant->scheme);
    }
  for (auto& p : m.model->named_parameters()) {
    p.value().copy_(ckpt.load(QString::fromStdString(p.key()), dtype, device));
    p.value().set_requires_grad(false);
  }
  m.model->eval();
  return m;
}

CausalLM loadCausalLM(const QString& dir, torch::ScalarType dtype, const torch::Device& device) {
  return loadModel(dir, dtype, device).model;
}

}  // namespace distillery
