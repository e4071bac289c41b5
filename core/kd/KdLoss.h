// Knowledge-distillation losses: α·CE(labels) + (1−α)·τ²·D(teacher, student) at temperature τ, where D is
//
//   forward KL   KL(p‖q)                                     (Hinton et al.; the fixture's kl_forward_scaled)
//   reverse KL   KL(q‖p)                                     (MiniLLM; the fixture's kl_reverse_scaled)
//   JSD(β)       β·KL(p‖m) + (1−β)·KL(q‖m),  m = β·p + (1−β)·q   (GKD, as TRL's generalized_jsd_loss)
//
// with p the teacher's and q the student's softmax at temperature τ. As in TRL, β = 0 is taken as exactly
// forward KL and β = 1 as exactly reverse KL (the mixture formula degenerates to 0 at both ends). Every D is
// scaled by τ² (so its gradient keeps the size of the CE's as τ grows), not only the forward KL.
//
// Reduction: per token, sum over the vocabulary; then mean over the counted tokens (label != -100: padding and
// prompt tokens are excluded from both CE and D). With no counted token the loss is 0 (still attached to the
// graph), never NaN.
//
// Vocabulary mismatch: a teacher may have a padded, larger vocabulary (e.g. 152064 vs 151936) or the student
// may. D is taken over the shared first min(V, Vt) ids only: both distributions are softmaxes over those
// columns alone, so padding ids of the larger vocabulary get no mass. CE always uses the student's full vocab.
//
// Several teachers: p = Σ w_t·softmax(teacher_t/τ) with the weights normalised to sum 1 (an ensemble of soft
// targets, mixed in probability space).
//
//   KdLossResult r = kdLoss(studentLogits, teacherLogits, labels, {.divergence = Divergence::ForwardKl});
//   KdLossResult r = chunkedKdLoss(hidden, lm->outputWeight(), {{teacherHidden, teacherWeight}}, labels, o);
//   r.total.backward();                                 // grads into hidden and the output weight
#pragma once
#include <torch/types.h>

#include <QtCore/QString>

#include <cstdint>
#include <utility>
#include <vector>

namespace distillery {

enum class Divergence { ForwardKl, ReverseKl, Jsd };

// "forward_kl" | "reverse_kl" | "jsd" (KdSpec::loss); throws Error naming the bad value otherwise.
Divergence divergenceFromName(const QString& name);
QString divergenceName(Divergence d);

struct KdLossOptions {
  Divergence divergence = Divergence::ForwardKl;  // D in the formula above
  double temperature = 2.0;                       // τ > 0, for D only (CE is at τ = 1)
  double alpha = 0.5;                             // weight of CE in [0, 1]; (1−α) weighs τ²·D
  double jsdBeta = 0.5;                           // β of the generalised JSD in [0, 1]
  int64_t chunkTokens = 1024;                     // chunkedKdLoss: counted tokens per chunk (> 0)
};

struct KdLossResult {
  torch::Tensor total;  // scalar α·ce + (1−α)·kd, float32 (float64 for float64 inputs), carrying the graph
  double ce = 0;        // mean CE over counted tokens
  double kd = 0;        // mean τ²·D over counted tokens (before the (1−α) weight)
  int64_t tokens = 0;   // counted tokens (labels != -100)
};

// One teacher's soft targets for chunkedKdLoss: either its last hidden states and output projection (online;
// logits are made chunk by chunk), or cached top-k logits (TeacherCache).
struct TeacherTargets {
  TeacherTargets() = default;
  // Online: hidden [N, Ht] and output weight [Vt, Ht].
  TeacherTargets(torch::Tensor h, torch::Tensor w, double m = 1) : hidden(std::move(h)), weight(std::move(w)), mix(m) {}

  torch::Tensor hidden;       // [N, Ht] final-norm hidden states, rows aligned with the student's
  torch::Tensor weight;       // [Vt, Ht] the teacher's output projection (lm_head or tied embeddings)
  double mix = 1;             // ensemble weight (normalised over all teachers)
  torch::Tensor topkValues;   // [N, k] raw teacher logits of its k largest ids, when cached instead
  torch::Tensor topkIndices;  // [N, k] int64 their ids
  int64_t vocab = 0;          // cached: the teacher's vocabulary size Vt (0: take the student's V)
};

// The reference, unchunked loss on full logits. studentLogits [N, V], teacherLogits [N, Vt], labels [N] int64.
// Differentiable by plain autograd w.r.t. studentLogits. Computed in float32 (float64 if the student is).
KdLossResult kdLoss(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits, const torch::Tensor& labels,
                    const KdLossOptions& o);
// The same with an ensemble: teachers[t] [N, Vt_t] mixed with weights mix[t] (normalised to sum 1).
KdLossResult kdLoss(const torch::Tensor& studentLogits, const std::vector<torch::Tensor>& teachers,
                    const std::vector<double>& mix, const torch::Tensor& labels, const KdLossOptions& o);

// The training loss, fused with the output projection and chunked over tokens: student logits are
// studentHidden [N, H] · studentWeight [V, H]ᵀ, made o.chunkTokens counted tokens at a time (rows whose label is
// -100 are skipped entirely), so neither the student's nor any teacher's [N, V] float32 logits exist at once:
// peak extra memory is a few [chunkTokens, V] float32 buffers. The gradients w.r.t. studentHidden and
// studentWeight are computed chunk by chunk during the forward (as Liger's fused linear losses do) and kept
// for backward; only those of the inputs that require grad are computed. Always float32 inside (float64 when
// studentHidden is float64), whatever the input dtype (bf16 hidden states are upcast); the gradients come back
// in the inputs' dtypes. Teachers contribute no gradient. Cached top-k teachers: see TeacherCache.h for the
// approximation; reverse KL needs the full support and is refused for k < vocab.
KdLossResult chunkedKdLoss(const torch::Tensor& studentHidden, const torch::Tensor& studentWeight,
                           const std::vector<TeacherTargets>& teachers, const torch::Tensor& labels,
                           const KdLossOptions& o);

}  // namespace distillery
