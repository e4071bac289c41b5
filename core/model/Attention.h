// Multi-head self-attention of Llama-family decoders: grouped-query attention with any number of key/value
// heads, optional q/k/v (and o) biases, Qwen3's per-head q_norm/k_norm, RoPE, an optional KV cache.
//
// Two computations, equal up to rounding: torch::scaled_dot_product_attention where LibTorch has it (2.x,
// DISTILLERY_HAS_SDPA), and the explicit softmax(QKᵀ·scale + mask)·V with the softmax in float32 (transformers'
// "eager" attention). Auto picks SDPA when available; tests force either to compare them.
#pragma once
#include "model/AttentionMask.h"
#include "model/KvCache.h"
#include "model/Linear.h"
#include "model/RmsNorm.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

enum class AttentionPath {
  Auto,      // SDPA when this LibTorch has it, else Explicit
  Sdpa,      // torch::scaled_dot_product_attention (an error on LibTorch 1.x)
  Explicit,  // matmul, float32 softmax, matmul
};

// Whether the SDPA path exists in this build.
bool sdpaAvailable();

struct AttentionOptions {
  int64_t hidden = 0;     // model width
  int64_t heads = 0;      // query heads
  int64_t kvHeads = 0;    // key/value heads (GQA when < heads; divides heads)
  int64_t headDim = 0;    // size of each head
  bool qkvBias = false;   // q_proj/k_proj/v_proj have biases
  bool oBias = false;     // o_proj has a bias
  bool qkNorm = false;    // RMSNorm over each q and k head before RoPE (Qwen3)
  double rmsEps = 1e-6;   // eps of q_norm/k_norm
};

class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(const AttentionOptions& o, const torch::TensorOptions& t);

  // x: [B, S, hidden]; cos/sin: [B, S, headDim]; mask for S queries over cache + S keys; cache: this layer's,
  // or null → [B, S, hidden]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const AttentionMask& mask, LayerCache* cache = nullptr,
                        AttentionPath path = AttentionPath::Auto);

  Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  RmsNorm q_norm{nullptr}, k_norm{nullptr};  // only with qkNorm

 private:
  AttentionOptions o_;
};
TORCH_MODULE(Attention);

// q: [B, H, S, D]; k, v: [B, H, K, D] (heads already repeated) → [B, H, S, D]
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                     const AttentionMask& mask, AttentionPath path);

}  // namespace distillery
