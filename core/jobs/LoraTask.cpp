#include "jobs/LoraTask.h"

#include "jobs/TaskSupport.h"
#include "model/ModelLoader.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

namespace distillery {

LoraConfig loraConfigOf(const LoraSpec& spec) {
  LoraConfig c;
  c.r = spec.r;
  c.alpha = spec.alpha;
  c.dropout = spec.dropout;
  c.targetModules = spec.targetModules;
  c.rslora = spec.rslora;
  return c;
}

LoraTask::LoraTask(const JobSpec& spec) : spec_(spec), config_(loraConfigOf(spec.lora)) {
  model_ = loadCausalLM(spec.student, frozenDtype(spec), jobDevice(spec));
  applyLora(model_, config_, spec.train.seed);
  // QAT: the merged weight is fake-quantized in forward, so the adapter learns to survive quantization.
  setFakeQuant(model_, qatScheme(spec.train.qat));
}

std::vector<NamedTensor> LoraTask::trainableParameters() { return loraParameters(model_); }

LossParts LoraTask::loss(const Batch& batch, int64_t, int64_t) {
  model_->train();  // adapter dropout on
  return causalLmLoss(model_, batch);
}

LossParts LoraTask::evaluate(const Batch& batch) {
  model_->eval();
  torch::NoGradGuard noGrad;
  return causalLmLoss(model_, batch);
}

void LoraTask::saveArtifacts(const QString& dir) { saveAdapter(model_, config_, dir, spec_.student); }

torch::Device LoraTask::device() const { return model_->device(); }

}  // namespace distillery
