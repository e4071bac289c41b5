#include "model/Rope.h"

#include <torch/torch.h>

#include <numbers>

namespace distillery {

Rope::Rope(const RopeOptions& o, const torch::Device& device) {
  TORCH_CHECK(o.headDim > 0 && o.headDim % 2 == 0, "RoPE needs an even head size, got ", o.headDim);
  // 1 / theta^(arange(0, d, 2) / d), each step in float32 as transformers does it.
  const torch::Tensor exponent =
      torch::arange(0, o.headDim, 2, torch::kInt64).to(torch::kFloat32) / static_cast<double>(o.headDim);
  torch::Tensor inv = torch::pow(o.theta, exponent).reciprocal();
  if (o.scaling.type == RopeScaling::Type::Llama3) inv = llama3InvFreq(inv, o.scaling);
  invFreq_ = inv.to(device);
}

torch::Tensor Rope::llama3InvFreq(const torch::Tensor& invFreq, const RopeScaling& s) {
  const double oldContext = static_cast<double>(s.originalMaxPositions);
  const double lowFreqWavelen = oldContext / s.lowFreqFactor;
  const double highFreqWavelen = oldContext / s.highFreqFactor;
  const torch::Tensor wavelen = invFreq.reciprocal() * (2 * std::numbers::pi);
  // Long wavelengths are divided by factor, short ones kept, the ones between interpolated smoothly.
  torch::Tensor scaled = torch::where(wavelen > lowFreqWavelen, invFreq / s.factor, invFreq);
  const torch::Tensor smooth = (wavelen.reciprocal() * oldContext - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
  const torch::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  const torch::Tensor medium = (wavelen >= highFreqWavelen).logical_and(wavelen <= lowFreqWavelen);
  return torch::where(medium, smoothed, scaled);
}

std::pair<torch::Tensor, torch::Tensor> Rope::cosSin(const torch::Tensor& positionIds,
                                                     torch::ScalarType dtype) const {
  TORCH_CHECK(invFreq_.defined(), "Rope used before construction");
  const torch::Tensor inv = invFreq_.device() == positionIds.device() ? invFreq_ : invFreq_.to(positionIds.device());
  // [B, S, 1] · [d/2] → [B, S, d/2]: one float32 product each, as transformers' matmul with an inner size of 1.
  const torch::Tensor freqs = positionIds.to(torch::kFloat32).unsqueeze(-1) * inv;
  const torch::Tensor emb = torch::cat({freqs, freqs}, -1);
  return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

torch::Tensor Rope::apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  const int64_t half = x.size(-1) / 2;
  const torch::Tensor rotated = torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1);
}

}  // namespace distillery
