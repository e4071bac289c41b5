#include "model/Linear.h"

#include <torch/torch.h>

namespace distillery {

LinearImpl::LinearImpl(const LinearOptions& o, const torch::TensorOptions& t) {
  TORCH_CHECK(o.in > 0 && o.out > 0, "Linear needs positive sizes, got in=", o.in, " out=", o.out);
  weight = register_parameter("weight", torch::empty({o.out, o.in}, t));
  if (o.bias) bias = register_parameter("bias", torch::empty({o.out}, t));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }

}  // namespace distillery
