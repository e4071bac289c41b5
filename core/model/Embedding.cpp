#include "model/Embedding.h"

#include <torch/torch.h>

namespace distillery {

EmbeddingImpl::EmbeddingImpl(const EmbeddingOptions& o, const torch::TensorOptions& t) {
  TORCH_CHECK(o.count > 0 && o.dim > 0, "Embedding needs positive sizes, got count=", o.count, " dim=", o.dim);
  weight = register_parameter("weight", torch::empty({o.count, o.dim}, t));
}

torch::Tensor EmbeddingImpl::forward(const torch::Tensor& ids) { return torch::embedding(weight, ids); }

}  // namespace distillery
