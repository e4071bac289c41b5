// RMSNorm as transformers' LlamaRMSNorm computes it: in float32, then back to the input dtype, times the weight.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

struct RmsNormOptions {
  int64_t dim = 0;     // normalised (last) dimension
  double eps = 1e-6;   // added to the mean square
};

class RmsNormImpl : public torch::nn::Module {
 public:
  RmsNormImpl(const RmsNormOptions& o, const torch::TensorOptions& t);
  // x: [..., dim] → same shape and dtype
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;  // [dim]

 private:
  double eps_;
};
TORCH_MODULE(RmsNorm);

}  // namespace distillery
