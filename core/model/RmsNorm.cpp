#include "model/RmsNorm.h"

#include <torch/torch.h>

namespace distillery {

RmsNormImpl::RmsNormImpl(const RmsNormOptions& o, const torch::TensorOptions& t) : eps_(o.eps) {
  TORCH_CHECK(o.dim > 0, "RmsNorm needs a positive size, got ", o.dim);
  weight = register_parameter("weight", torch::empty({o.dim}, t));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
  const auto dtype = x.scalar_type();
  torch::Tensor h = x.to(torch::kFloat32);
  const torch::Tensor variance = h.pow(2).mean(-1, /*keepdim=*/true);
  h = h * torch::rsqrt(variance + eps_);
  return weight * h.to(dtype);
}

}  // namespace distillery
