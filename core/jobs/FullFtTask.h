// Full fine-tuning: every parameter of the student, or those whose names contain one of train.trainable, trained
// on the causal-LM loss; the others stay frozen and bit-identical. The product is a full Hugging Face model.
#pragma once
#include "model/CausalLM.h"
#include "train/JobSpec.h"
#include "train/TrainTask.h"

namespace distillery {

class FullFtTask : public TrainTask {
 public:
  // Loads spec.student (trainableDtype) on jobDevice(spec); Error when a train.trainable pattern matches nothing.
  explicit FullFtTask(const JobSpec& spec);

  std::vector<NamedTensor> trainableParameters() override { return trainable_; }
  LossParts loss(const Batch& batch, int64_t step, int64_t totalSteps) override;
  LossParts evaluate(const Batch& batch) override;
  void saveArtifacts(const QString& dir) override;  // config.json, model.safetensors, tokenizer files
  torch::Device device() const override;

  CausalLM& model() { return model_; }

 private:
  JobSpec spec_;
  CausalLM model_{nullptr};
  std::vector<NamedTensor> trainable_;
};

}  // namespace distillery
