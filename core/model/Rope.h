// Rotary position embeddings as transformers computes them: inverse frequencies in float32 (with the llama3
// rescaling when configured), angles = position · inv_freq in float32, cos/sin cast to the activations' dtype,
// and the rotate-half convention (the two halves of each head are the pairs).
#pragma once
#include "model/ModelConfig.h"

#include <torch/types.h>

#include <utility>

namespace distillery {

struct RopeOptions {
  int64_t headDim = 0;       // rotated size per head (even)
  double theta = 10000.0;    // RoPE base
  RopeScaling scaling;       // llama3 frequency rescaling, or none
};

class Rope {
 public:
  Rope() = default;
  Rope(const RopeOptions& o, const torch::Device& device);

  // positionIds: [B, S] int64 → cos, sin: [B, S, headDim] in dtype.
  std::pair<torch::Tensor, torch::Tensor> cosSin(const torch::Tensor& positionIds, torch::ScalarType dtype) const;
  // x: [B, heads, S, headDim], cos/sin: [B, S, headDim] → x·cos + rotate_half(x)·sin
  static torch::Tensor apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

  // [headDim / 2] float32: the inverse frequencies (transformers' rotary_emb.inv_freq).
  const torch::Tensor& invFreq() const { return invFreq_; }
  // The llama3 frequencies from plain ones, as transformers' _compute_llama3_parameters.
  static torch::Tensor llama3InvFreq(const torch::Tensor& invFreq, const RopeScaling& s);

 private:
  torch::Tensor invFreq_;
};

}  // namespace distillery
