#include "model/Attention.h"

#include "model/Rope.h"
#include "torch/TorchCompat.h"

#include <torch/torch.h>

#include <cmath>

namespace distillery {

namespace {

// [B, kvHeads, K, D] → [B, kvHeads·groups, K, D], each key/value head serving `groups` query heads in a row
// (transformers' repeat_kv).
torch::Tensor repeatKv(const torch::Tensor& x, int64_t groups) {
  if (groups == 1) return x;
  const auto s = x.sizes();
  return x.unsqueeze(2).expand({s[0], s[1], groups, s[2], s[3]}).reshape({s[0], s[1] * groups, s[2], s[3]});
}

torch::Tensor attendExplicit(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                             const AttentionMask& mask) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  torch::Tensor scores = torch::matmul(q, k.transpose(2, 3)) * scale;
  torch::Tensor allowed;
  if (mask.kind == AttentionMask::Kind::Causal) allowed = causalMask(q.size(2), q.device());
  else if (mask.kind == AttentionMask::Kind::Explicit) allowed = mask.allowed;
  scores = scores.to(torch::kFloat32);
  if (allowed.defined()) scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  const torch::Tensor probs = torch::softmax(scores, -1).to(q.scalar_type());
  return torch::matmul(probs, v);
}

}  // namespace

bool sdpaAvailable() { return DISTILLERY_HAS_SDPA; }

torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                     const AttentionMask& mask, AttentionPath path) {
  if (path == AttentionPath::Auto) path = sdpaAvailable() ? AttentionPath::Sdpa : AttentionPath::Explicit;
  if (path == AttentionPath::Explicit) return attendExplicit(q, k, v, mask);
#if DISTILLERY_HAS_SDPA
  if (mask.kind == AttentionMask::Kind::Explicit)
    return at::scaled_dot_product_attention(q, k, v, mask.allowed, /*dropout_p=*/0.0, /*is_causal=*/false);
  return at::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/mask.kind == AttentionMask::Kind::Causal);
#else
  TORCH_CHECK(false, "scaled_dot_product_attention needs LibTorch 2.0 or newer; this build has ", TORCH_VERSION,
              "; use the explicit attention path");
#endif
}

AttentionImpl::AttentionImpl(const AttentionOptions& o, const torch::TensorOptions& t) : o_(o) {
  TORCH_CHECK(o.heads > 0 && o.kvHeads > 0 && o.heads % o.kvHeads == 0, "key/value heads (", o.kvHeads,
              ") must divide query heads (", o.heads, ")");
  q_proj = register_module("q_proj", Linear(LinearOptions{o.hidden, o.heads * o.headDim, o.qkvBias}, t));
  k_proj = register_module("k_proj", Linear(LinearOptions{o.hidden, o.kvHeads * o.headDim, o.qkvBias}, t));
  v_proj = register_module("v_proj", Linear(LinearOptions{o.hidden, o.kvHeads * o.headDim, o.qkvBias}, t));
  o_proj = register_module("o_proj", Linear(LinearOptions{o.heads * o.headDim, o.hidden, o.oBias}, t));
  if (o.qkNorm) {
    q_norm = register_module("q_norm", RmsNorm(RmsNormOptions{o.headDim, o.rmsEps}, t));
    k_norm = register_module("k_norm", RmsNorm(RmsNormOptions{o.headDim, o.rmsEps}, t));
  }
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                     const AttentionMask& mask, LayerCache* cache, AttentionPath path) {
  const int64_t batch = x.size(0), steps = x.size(1);
  torch::Tensor q = q_proj(x).view({batch, steps, o_.heads, o_.headDim});
  torch::Tensor k = k_proj(x).view({batch, steps, o_.kvHeads, o_.headDim});
  torch::Tensor v = v_proj(x).view({batch, steps, o_.kvHeads, o_.headDim}).transpose(1, 2);
  if (o_.qkNorm) {
    q = q_norm(q);
    k = k_norm(k);
  }
  q = Rope::apply(q.transpose(1, 2), cos, sin);
  k = Rope::apply(k.transpose(1, 2), cos, sin);
  if (cache) std::tie(k, v) = cache->append(k, v);

  const int64_t groups = o_.heads / o_.kvHeads;
  const torch::Tensor out = attend(q, repeatKv(k, groups), repeatKv(v, groups), mask, path);
  return o_proj(out.transpose(1, 2).reshape({batch, steps, o_.heads * o_.headDim}));
}

}  // namespace distillery
