#include "model/AttentionMask.h"

#include <torch/torch.h>

namespace distillery {

AttentionMask makeAttentionMask(const torch::Tensor& padding, int64_t batch, int64_t past, int64_t steps,
                                int64_t window, const torch::Device& device, const torch::Tensor& segments) {
  const int64_t keys = past + steps;
  if (padding.defined()) {
    TORCH_CHECK(padding.dim() == 2 && padding.size(0) == batch && padding.size(1) == keys,
                "attention mask must be [", batch, ", ", keys, "] (cached and new positions), got ", padding.sizes());
  }
  if (segments.defined()) {
    TORCH_CHECK(past == 0, "segment ids (packed rows) cannot be used with a KV cache, which holds ", past,
                " positions");
    TORCH_CHECK(segments.dim() == 2 && segments.size(0) == batch && segments.size(1) == steps,
                "segment ids must be [", batch, ", ", steps, "], got ", segments.sizes());
  }
  const bool padded = padding.defined() && !padding.to(torch::kBool).all().item<bool>();
  const bool windowed = window > 0 && window < keys;
  if (!padded && !windowed && !segments.defined() && past == 0) return {AttentionMask::Kind::Causal, {}};
  if (!padded && !windowed && !segments.defined() && steps == 1) return {AttentionMask::Kind::All, {}};

  const auto longs = torch::TensorOptions().dtype(torch::kInt64).device(device);
  const torch::Tensor q = torch::arange(past, keys, longs).unsqueeze(1);  // [S, 1] cache positions of queries
  const torch::Tensor k = torch::arange(0, keys, longs).unsqueeze(0);     // [1, keys]
  torch::Tensor allowed = k <= q;
  if (windowed) allowed = allowed.logical_and(q - k < window);
  allowed = allowed.unsqueeze(0).unsqueeze(0).expand({batch, 1, steps, keys});
  if (padded) {
    allowed = allowed.logical_and(padding.to(device, torch::kBool).view({batch, 1, 1, keys}));
  }
  if (segments.defined()) {
    // [B, 1, S, 1] == [B, 1, 1, S]: the query's example is the key's (no cache, so keys are the S positions).
    const torch::Tensor s = segments.to(device, torch::kInt64);
    allowed = allowed.logical_and(s.view({batch, 1, steps, 1}) == s.view({batch, 1, 1, steps}));
  }
  const torch::Tensor none = allowed.any(-1, /*keepdim=*/true).logical_not();
  return {AttentionMask::Kind::Explicit, allowed.logical_or(none).contiguous()};
}

torch::Tensor makePositionIds(const torch::Tensor& padding, int64_t batch, int64_t past, int64_t steps,
                              const torch::Device& device) {
  if (!padding.defined())
    return torch::arange(past, past + steps, torch::TensorOptions().dtype(torch::kInt64).device(device))
        .unsqueeze(0)
        .expand({batch, steps});
  const torch::Tensor mask = padding.to(device, torch::kInt64);
  torch::Tensor positions = mask.cumsum(-1) - 1;
  positions.masked_fill_(mask == 0, 1);
  return positions.narrow(1, past, steps);
}

torch::Tensor causalMask(int64_t steps, const torch::Device& device) {
  return torch::ones({steps, steps}, torch::TensorOptions().dtype(torch::kBool).device(device)).tril().view(
      {1, 1, steps, steps});
}

}  // namespace distillery
