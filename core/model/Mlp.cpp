#include "model/Mlp.h"

#include <torch/torch.h>

namespace distillery {

MlpImpl::MlpImpl(const MlpOptions& o, const torch::TensorOptions& t) {
  gate_proj = register_module("gate_proj", Linear(LinearOptions{o.hidden, o.intermediate, o.bias}, t));
  up_proj = register_module("up_proj", Linear(LinearOptions{o.hidden, o.intermediate, o.bias}, t));
  down_proj = register_module("down_proj", Linear(LinearOptions{o.intermediate, o.hidden, o.bias}, t));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  return down_proj(torch::silu(gate_proj(x)) * up_proj(x));
}

}  // namespace distillery
