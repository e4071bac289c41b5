// Token embedding table filled from a checkpoint (no initialisation, see Linear.h).
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace distillery {

struct EmbeddingOptions {
  int64_t count = 0;  // rows: the vocabulary size
  int64_t dim = 0;    // columns: the model width
};

class EmbeddingImpl : public torch::nn::Module {
 public:
  EmbeddingImpl(const EmbeddingOptions& o, const torch::TensorOptions& t);
  // ids: [...] int64 → [..., dim]
  torch::Tensor forward(const torch::Tensor& ids);

  torch::Tensor weight;  // [count, dim]
};
TORCH_MODULE(Embedding);

}  // namespace distillery
