// y = x·Wᵀ + b with weights a checkpoint fills: unlike torch::nn::Linear nothing is initialised, so building a
// 7B model costs no random init and no float32 detour; parameters are made directly in the target dtype and
// device and hold garbage until loaded.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

struct LinearOptions {
  int64_t in = 0;     // input features
  int64_t out = 0;    // output features
  bool bias = false;  // also a "bias" [out]
};

class LinearImpl : public torch::nn::Module {
 public:
  LinearImpl(const LinearOptions& o, const torch::TensorOptions& t);
  // x: [..., in] → [..., out]
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out], undefined without bias
};
TORCH_MODULE(Linear);

}  // namespace distillery
