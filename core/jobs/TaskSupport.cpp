#include "jobs/TaskSupport.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/ModelSaver.h"

#include <torch/torch.h>

namespace distillery {

torch::Device jobDevice(const JobSpec& spec) {
  if (spec.device == QLatin1String("cpu")) return torch::kCPU;
  if (!torch::cuda::is_available())
    throw Error(QString(), QStringLiteral("device"), spec.device,
                QStringLiteral("is not available: this machine has no CUDA device"));
  const int index = spec.device == QLatin1String("cuda") ? 0 : spec.device.section(QLatin1Char(':'), 1).toInt();
  if (index >= int(torch::cuda::device_count()))
    throw Error(QString(), QStringLiteral("device"), spec.device,
                QStringLiteral("is not available: %1 CUDA device(s)").arg(torch::cuda::device_count()));
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

torch::ScalarType frozenDtype(const JobSpec& spec) {
  if (spec.train.dtype == QLatin1String("float32")) return torch::kFloat32;
  if (spec.train.dtype == QLatin1String("bfloat16")) return torch::kBFloat16;
  return spec.device == QLatin1String("cpu") ? torch::kFloat32 : torch::kBFloat16;
}

torch::ScalarType trainableDtype(const JobSpec& spec) {
  return spec.train.dtype == QLatin1String("bfloat16") ? torch::kBFloat16 : torch::kFloat32;
}

ForwardOptions forwardOptions(const Batch& batch) {
  ForwardOptions o;
  o.attentionMask = batch.attentionMask;
  o.positionIds = batch.positionIds;
  o.segmentIds = batch.segmentIds;
  return o;
}

torch::Tensor countedPositions(const torch::Tensor& labels) {
  return labels.reshape({-1}).ne(-100).nonzero().reshape({-1});
}

LossParts causalLmLoss(CausalLM& lm, const Batch& batch) {
  const DecoderOutput d = lm->model->forward(batch.inputIds, forwardOptions(batch), lm->attentionPath());
  const torch::Tensor rows = countedPositions(batch.labels);
  const torch::Tensor hidden = d.last.reshape({-1, d.last.size(-1)}).index_select(0, rows);  // [N, H]
  const torch::Tensor targets = batch.labels.reshape({-1}).index_select(0, rows);            // [N]
  // [N, V] logits of the counted positions only, in float32 for a stable softmax.
  const torch::Tensor logits = torch::matmul(hidden, lm->outputWeight().t()).to(torch::kFloat32);
  LossParts out;
  out.tokens = rows.size(0);
  out.total = out.tokens > 0 ? torch::nn::functional::cross_entropy(logits, targets)
                             : (hidden.sum() * 0).to(torch::kFloat32);  // still attached, never NaN
  out.components["ce"] = out.total.detach().item<double>();
  return out;
}

std::vector<NamedTensor> selectTrainable(CausalLM& lm, const QStringList& patterns) {
  std::vector<NamedTensor> out;
  std::vector<bool> used(size_t(patterns.size()), false);
  for (const auto& item : lm->named_parameters()) {
    bool take = patterns.isEmpty();
    for (qsizetype i = 0; i < patterns.size(); ++i) {
      if (QString::fromStdString(item.key()).contains(patterns[i])) {
        take = true;
        used[size_t(i)] = true;
      }
    }
    torch::Tensor p = item.value();
    p.set_requires_grad(take);
    if (take) out.emplace_back(item.key(), p);
  }
  for (qsizetype i = 0; i < patterns.size(); ++i)
    if (!used[size_t(i)])
      throw Error(QString(), QStringLiteral("train.trainable"), patterns[i],
                  QStringLiteral(
                      "matches no parameter name of the model (e.g. \"layers.1.\", \"mlp\", \"lm_head\", \"norm\")"));
  return out;
}

void saveFullModel(CausalLM& lm, const QString& modelDir, const QString& dir) {
  SaveOptions o;
  o.allowOtherFiles = true;
  saveModel(lm, readJsonObject(modelDir + QStringLiteral("/config.json")), dir, modelDir, o);
}

}  // namespace distillery
