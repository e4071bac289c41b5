#include "jobs/FullFtTask.h"

#include "jobs/TaskSupport.h"
#include "model/ModelLoader.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

namespace distillery {

FullFtTask::FullFtTask(const JobSpec& spec) : spec_(spec) {
  model_ = loadCausalLM(spec.student, trainableDtype(spec), jobDevice(spec));
  trainable_ = selectTrainable(model_, spec.train.trainable);
  setFakeQuant(model_, qatScheme(spec.train.qat));  // QAT: decoder Linears fake-quantize their weights (STE)
}

LossParts FullFtTask::loss(const Batch& batch, int64_t, int64_t) {
  model_->train();
  return causalLmLoss(model_, batch);
}

LossParts FullFtTask::evaluate(const Batch& batch) {
  model_->eval();
  torch::NoGradGuard noGrad;
  return causalLmLoss(model_, batch);
}

void FullFtTask::saveArtifacts(const QString& dir) { saveFullModel(model_, spec_.student, dir); }

torch::Device FullFtTask::device() const { return model_->device(); }

}  // namespace distillery
