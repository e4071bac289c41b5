// One pre-norm decoder block: x + attention(norm(x)), then + mlp(norm(·)).
#pragma once
#include "model/Attention.h"
#include "model/Mlp.h"
#include "model/RmsNorm.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

struct DecoderLayerOptions {
  AttentionOptions attention;  // self_attn
  MlpOptions mlp;              // mlp
  double rmsEps = 1e-6;        // eps of input_layernorm and post_attention_layernorm
};

class DecoderLayerImpl : public torch::nn::Module {
 public:
  DecoderLayerImpl(const DecoderLayerOptions& o, const torch::TensorOptions& t);
  // x: [B, S, hidden] → [B, S, hidden]; the other arguments as for Attention.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const AttentionMask& mask, LayerCache* cache = nullptr,
                        AttentionPath path = AttentionPath::Auto);

  Attention self_attn{nullptr};
  Mlp mlp{nullptr};
  RmsNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(DecoderLayer);

}  // namespace distillery
