// What the LoRA, full fine-tuning and distillation tasks share: where and in which dtype models live, the plain
// causal-LM loss, choosing trainable parameters, saving a full model into a job's output.
#pragma once
#include "model/CausalLM.h"
#include "train/JobSpec.h"
#include "train/TrainTask.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

// spec.device as a torch device ("cpu", "cuda" = "cuda:0", "cuda:N"); Error when CUDA is asked but absent.
torch::Device jobDevice(const JobSpec& spec);
// Weights that are not trained (LoRA's base, teachers): float32 on the CPU; bfloat16 on CUDA unless
// train.dtype is float32.
torch::ScalarType frozenDtype(const JobSpec& spec);
// Weights that are trained: float32 (the Trainer autocasts to bf16 on CUDA) unless train.dtype is bfloat16.
torch::ScalarType trainableDtype(const JobSpec& spec);

// The batch's mask, position ids and segment ids (packed rows) as model forward options.
ForwardOptions forwardOptions(const Batch& batch);
// Flat indices [N] int64 of the positions whose label counts (labels [B, S] != -100).
torch::Tensor countedPositions(const torch::Tensor& labels);

// Mean cross-entropy of lm on the batch's counted positions, computed from the last hidden states of those
// positions only (never the full [B, S, V] logits). Components: {"ce"}.
LossParts causalLmLoss(CausalLM& lm, const Batch& batch);

// The model's parameters whose names contain one of the patterns (all when patterns is empty), with
// requires_grad set on them and cleared on the others. Throws Error(field "train.trainable") naming a pattern
// that matches nothing.
std::vector<NamedTensor> selectTrainable(CausalLM& lm, const QStringList& patterns);

// Writes lm as a Hugging Face folder into dir (a job's output or best/ folder: other files there are kept), with
// modelDir's config.json and tokenizer files.
void saveFullModel(CausalLM& lm, const QString& modelDir, const QString& dir);

}  // namespace distillery
