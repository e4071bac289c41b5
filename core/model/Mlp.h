// The SwiGLU feed-forward block: down_proj(silu(gate_proj(x)) · up_proj(x)).
#pragma once
#include "model/Linear.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

struct MlpOptions {
  int64_t hidden = 0;        // model width
  int64_t intermediate = 0;  // inner width
  bool bias = false;         // all three projections have biases (Llama mlp_bias)
};

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(const MlpOptions& o, const torch::TensorOptions& t);
  // x: [..., hidden] → [..., hidden]
  torch::Tensor forward(const torch::Tensor& x);

  Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(Mlp);

}  // namespace distillery
