#include "model/DecoderLayer.h"

#include <torch/torch.h>

namespace distillery {

DecoderLayerImpl::DecoderLayerImpl(const DecoderLayerOptions& o, const torch::TensorOptions& t) {
  self_attn = register_module("self_attn", Attention(o.attention, t));
  mlp = register_module("mlp", Mlp(o.mlp, t));
  input_layernorm = register_module("input_layernorm", RmsNorm(RmsNormOptions{o.attention.hidden, o.rmsEps}, t));
  post_attention_layernorm =
      register_module("post_attention_layernorm", RmsNorm(RmsNormOptions{o.attention.hidden, o.rmsEps}, t));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                        const AttentionMask& mask, LayerCache* cache, AttentionPath path) {
  const torch::Tensor h = x + self_attn(input_layernorm(x), cos, sin, mask, cache, path);
  return h + mlp(post_attention_layernorm(h));
}

}  // namespace distillery
