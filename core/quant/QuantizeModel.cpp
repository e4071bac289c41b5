#include "quant/QuantizeModel.h"

#include "common/Error.h"
#include "lora/Lora.h"

#include <torch/torch.h>

#include <QtCore/QJsonArray>

namespace distillery {

namespace {

QString weightName(const QString& module) { return module + QStringLiteral(".weight"); }

QJsonArray shapeJson(const std::vector<int64_t>& shape) {
  QJsonArray a;
  for (int64_t d : shape) a.append(qint64(d));
  return a;
}

}  // namespace

QJsonObject QuantReport::toJson() const {
  QJsonArray list;
  for (const QuantTensorReport& t : tensors)
    list.append(QJsonObject{{QStringLiteral("name"), t.name},
                            {QStringLiteral("shape"), shapeJson(t.shape)},
                            {QStringLiteral("bytes_before"), qint64(t.bytesBefore)},
                            {QStringLiteral("bytes_after"), qint64(t.bytesAfter)},
                            {QStringLiteral("max_abs_error"), t.maxAbsError},
                            {QStringLiteral("mean_abs_error"), t.meanAbsError}});
  return {{QStringLiteral("scheme"), scheme.name()},
          {QStringLiteral("activations"), scheme.int8Activations ? QStringLiteral("int8") : QStringLiteral("none")},
          {QStringLiteral("tensors_quantized"), qint64(tensors.size())},
          {QStringLiteral("bytes_before"), qint64(bytesBefore)},
          {QStringLiteral("bytes_after"), qint64(bytesAfter)},
          {QStringLiteral("max_abs_error"), maxAbsError},
          {QStringLiteral("mean_abs_error"), meanAbsError},
          {QStringLiteral("tensors"), list}};
}

int64_t quantizedBytes(const QuantizedTensor& q) {
  int64_t n = 0;
  for (const torch::Tensor* t : {&q.qweight, &q.scales, &q.zeros})
    if (t->defined()) n += t->numel() * static_cast<int64_t>(t->element_size());
  return n;
}

QuantTensorReport measureQuantization(const QString& name, const torch::Tensor& w, const QuantizedTensor& q,
                                      const QuantScheme& s) {
  torch::NoGradGuard noGrad;
  QuantTensorReport r;
  r.name = name;
  r.shape = w.sizes().vec();
  r.bytesBefore = w.numel() * static_cast<int64_t>(w.element_size());
  r.bytesAfter = quantizedBytes(q);
  const torch::Tensor err = (w.detach().to(torch::kFloat32) - dequantizeWeight(q, s, torch::kFloat32)).abs();
  r.maxAbsError = err.max().item<double>();
  r.meanAbsError = err.to(torch::kFloat64).mean().item<double>();
  return r;
}

std::vector<std::pair<QString, Linear>> quantizableLinears(CausalLM& model, const QuantConfig& c) {
  std::vector<std::pair<QString, Linear>> out;
  for (const auto& item : model->named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
    const QString name = QString::fromStdString(item.key());
    if (name == QLatin1String("lm_head") || c.keepsFloat(name)) continue;
    if (auto linear = std::dynamic_pointer_cast<LinearImpl>(item.value())) out.emplace_back(name, Linear(linear));
  }
  return out;
}

QuantReport quantizeModel(CausalLM& model, const QuantConfig& c,
                          const std::function<bool(int64_t done, int64_t total)>& progress) {
  if (hasLora(model))
    throw Error(QStringLiteral("the model carries LoRA adapters; merge them (or unload them) before quantizing"));
  if (isQuantized(model)) throw Error(QStringLiteral("the model is already quantized"));
  std::vector<std::pair<QString, Linear>> linears = quantizableLinears(model, c);
  for (const auto& [name, linear] : linears) checkQuantizable(linear->weight.sizes().vec(), c.scheme, weightName(name));

  QuantReport report;
  report.scheme = c.scheme;
  double errorSum = 0;
  int64_t elements = 0;
  for (auto& [name, linear] : linears) {
    const QuantizedTensor q = quantizeWeight(linear->weight, c.scheme, weightName(name));
    QuantTensorReport t = measureQuantization(weightName(name), linear->weight, q, c.scheme);
    linear->setQuantized(q, c.scheme);  // frees the float weight
    report.bytesBefore += t.bytesBefore;
    report.bytesAfter += t.bytesAfter;
    report.maxAbsError = std::max(report.maxAbsError, t.maxAbsError);
    const int64_t n = t.shape[0] * t.shape[1];
    errorSum += t.meanAbsError * double(n);
    elements += n;
    report.tensors.push_back(std::move(t));
    if (progress && !progress(int64_t(report.tensors.size()), int64_t(linears.size()))) {
      report.stopped = true;
      break;
    }
  }
  report.meanAbsError = elements > 0 ? errorSum / double(elements) : 0;
  return report;
}

QStringList setFakeQuant(CausalLM& model, const std::optional<QuantScheme>& s) {
  if (s && isQuantized(model))
    throw Error({}, QStringLiteral("train.qat"), s->name(),
                QStringLiteral("cannot apply to a model that is already quantized; train the float model"));
  QuantConfig c;
  if (s) c.scheme = *s;
  std::vector<std::pair<QString, Linear>> linears = quantizableLinears(model, c);
  if (s)
    for (const auto& [name, linear] : linears) checkQuantizable(linear->weight.sizes().vec(), *s, weightName(name));
  QStringList names;
  for (auto& [name, linear] : linears) {
    linear->setFakeQuant(s);
    names << name;
  }
  return names;
}

std::optional<QuantScheme> qatScheme(const QString& qat) {
  if (qat.isEmpty() || qat == QLatin1String("none")) return std::nullopt;
  return QuantScheme::parse(qat, {}, QStringLiteral("train.qat"));
}

bool isQuantized(CausalLM& model) {
  for (const auto& m : model->modules(/*include_self=*/false))
    if (auto linear = std::dynamic_pointer_cast<LinearImpl>(m); linear && linear->isQuantized()) return true;
  return false;
}

}  // namespace distillery
