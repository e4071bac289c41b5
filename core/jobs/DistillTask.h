// Knowledge distillation: the student (all parameters, or those matching train.trainable) learns from one or
// more frozen teachers run without gradients in eval mode.
//
// Loss per step: chunkedKdLoss on the last hidden states of the counted positions (labels != -100), fused with
// both output projections and chunked over tokens (kd.chunk_tokens), so no [B·S, V] logits exist at once:
//   total = α·CE + (1−α)·τ²·D(teachers ‖ student)  [+ kd.feature.weight · feature loss]
// with τ and α from their schedules at the step (kdOptionsAtStep), the teachers' soft targets mixed by weight
// (spec.teacher with kd.teacher_weight, kd.teachers[] with theirs), and feature alignment (FeatureAlign, its
// projections trained with the student, named "feature_align.*") when kd.feature.weight > 0. Components logged:
// ce, kd and feature.
//
// Teacher cache (kd.cache.top_k > 0, one teacher only): each batch's teacher top-k logits are written to
// kd.cache.dir (default output/teacher_cache) the first time the batch is seen and read back afterwards.
//
// LoRA distillation is not offered yet: kind distill trains the student's weights themselves (use
// train.trainable to restrict them); the product is a full Hugging Face model.
#pragma once
#include "kd/FeatureAlign.h"
#include "kd/TeacherCache.h"
#include "model/CausalLM.h"
#include "train/JobSpec.h"
#include "train/TrainTask.h"

#include <memory>
#include <optional>

namespace distillery {

class DistillTask : public TrainTask {
 public:
  // Loads the student (trainableDtype) and the teachers (frozenDtype) on jobDevice(spec). Error for a cache with
  // several teachers, feature layers outside the student, or a train.trainable pattern that matches nothing.
  explicit DistillTask(const JobSpec& spec);

  std::vector<NamedTensor> trainableParameters() override { return trainable_; }
  LossParts loss(const Batch& batch, int64_t step, int64_t totalSteps) override;
  LossParts evaluate(const Batch& batch) override;  // at the τ/α of the last training step
  void saveArtifacts(const QString& dir) override;  // the student as a full HF model
  torch::Device device() const override;

  CausalLM& student() { return student_; }

 private:
  LossParts compute(const Batch& batch, int64_t step, int64_t totalSteps);

  JobSpec spec_;
  CausalLM student_{nullptr};
  std::vector<CausalLM> teachers_;
  std::vector<double> mix_;
  FeatureAlign align_{nullptr};
  std::optional<TeacherCache> cache_;
  std::vector<NamedTensor> trainable_;
  int64_t lastStep_ = 0, lastTotal_ = 1;
};

}  // namespace distillery
