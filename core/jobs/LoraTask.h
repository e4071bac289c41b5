// LoRA fine-tuning: the student's base weights frozen, PEFT-style adapters on spec.lora.target_modules trained
// on the causal-LM loss; the product is a PEFT adapter folder (adapter_config.json + adapter_model.safetensors).
#pragma once
#include "lora/Lora.h"
#include "model/CausalLM.h"
#include "train/JobSpec.h"
#include "train/TrainTask.h"

namespace distillery {

LoraConfig loraConfigOf(const LoraSpec& spec);

class LoraTask : public TrainTask {
 public:
  // Loads spec.student (frozenDtype) on jobDevice(spec) and applies the adapters seeded with train.seed.
  explicit LoraTask(const JobSpec& spec);

  std::vector<NamedTensor> trainableParameters() override;
  LossParts loss(const Batch& batch, int64_t step, int64_t totalSteps) override;
  LossParts evaluate(const Batch& batch) override;
  void saveArtifacts(const QString& dir) override;  // the PEFT adapter
  torch::Device device() const override;

  CausalLM& model() { return model_; }

 private:
  JobSpec spec_;
  LoraConfig config_;
  CausalLM model_{nullptr};
};

}  // namespace distillery
