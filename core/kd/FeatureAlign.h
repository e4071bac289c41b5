// Feature alignment: make chosen student hidden layers match mapped teacher layers, through a learned linear
// projection (student width → teacher width) where the widths differ (FitNets / TinyBERT style).
//
// Layer indices are hidden_states indices (CausalLMOutput::hiddenStates, as transformers'
// output_hidden_states): a model with L layers has L + 1 entries, index 0 the embeddings, index i the output of
// layer i (the last one in our Decoder, as in transformers, after the final norm).
//
// Loss per aligned pair, over counted positions only (mask 1):
//   mse     mean over counted tokens and hidden dims of (proj(s) − t)²
//   cosine  mean over counted tokens of 1 − cos(proj(s), t)
// and the feature loss is the mean over the pairs. Teacher states carry no gradient.
//
//   FeatureAlign align({.studentLayers = {1, 2}, .teacherLayers = {2, 4}, .studentHidden = 64,
//                       .teacherHidden = 96});
//   torch::Tensor l = align->forward(studentOut.hiddenStates, teacherOut.hiddenStates, mask);
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

enum class FeatureLoss { Mse, Cosine };

// "mse" | "cosine" (KdSpec::featureLoss); throws Error naming the bad value otherwise.
FeatureLoss featureLossFromName(const QString& name);

// The default mapping: for each student hidden_states index i in 0..studentLayers, the teacher index
// round(i·teacherLayers / studentLayers) (halves round up). So 0 → 0 (embeddings), studentLayers →
// teacherLayers (last), and the layers between spread uniformly. Returns studentLayers + 1 entries.
std::vector<int> uniformLayerMapping(int studentLayers, int teacherLayers);

struct FeatureAlignOptions {
  std::vector<int> studentLayers;       // student hidden_states indices to align
  std::vector<int> teacherLayers;       // the teacher hidden_states index for each (same length)
  int64_t studentHidden = 0;            // student width H
  int64_t teacherHidden = 0;            // teacher width Ht; a projection H → Ht (with bias) per pair when they differ
  FeatureLoss loss = FeatureLoss::Mse;  // mse | cosine
};

// Student layers 1..studentLayers aligned to their uniform teacher mapping (used when KdSpec::featureLayers is
// empty), or the given student layers mapped uniformly.
FeatureAlignOptions defaultFeatureAlignOptions(int studentLayers, int teacherLayers, int64_t studentHidden,
                                               int64_t teacherHidden, FeatureLoss loss,
                                               const std::vector<int>& chosenStudentLayers = {});

class FeatureAlignImpl : public torch::nn::Module {
 public:
  // Projections (registered as "proj.0", "proj.1", ... one per pair) are initialised as torch::nn::Linear's
  // (seed with torch::manual_seed first). Throws Error for mismatched layer lists or non-positive widths.
  explicit FeatureAlignImpl(const FeatureAlignOptions& o);

  // studentStates: hidden_states of the student (each [B, S, H]), teacherStates: of the teacher ([B, S, Ht]),
  // mask: [B, S] (1/true = counted; undefined = all). → scalar loss; 0 when no position counts.
  // Computed in float32 (float64 if the student states are).
  torch::Tensor forward(const std::vector<torch::Tensor>& studentStates,
                        const std::vector<torch::Tensor>& teacherStates, const torch::Tensor& mask);

  const FeatureAlignOptions& options() const { return options_; }

 private:
  FeatureAlignOptions options_;
  torch::nn::ModuleList proj{nullptr};  // empty when the widths are equal
};
TORCH_MODULE(FeatureAlign);

}  // namespace distillery
