#include "model/KvCache.h"

#include <torch/torch.h>

namespace distillery {

std::pair<torch::Tensor, torch::Tensor> LayerCache::append(const torch::Tensor& newK, const torch::Tensor& newV) {
  const int64_t steps = newK.size(2);
  const int64_t needed = length + steps;
  if (!k.defined() || k.size(2) < needed) {
    // First use or outrun: reserve the capacity asked for, or twice what is needed when that is not enough.
    const int64_t size = std::max(needed, k.defined() ? 2 * needed : reserve);
    auto sized = [&](const torch::Tensor& like, const torch::Tensor& old) {
      torch::Tensor t = torch::empty({like.size(0), like.size(1), size, like.size(3)}, like.options());
      if (length > 0) t.narrow(2, 0, length).copy_(old.narrow(2, 0, length));
      return t;
    };
    k = sized(newK, k);
    v = sized(newV, v);
  }
  TORCH_CHECK(k.size(0) == newK.size(0) && k.size(1) == newK.size(1) && k.size(3) == newK.size(3),
              "KV cache holds ", k.sizes(), ", cannot append ", newK.sizes());
  k.narrow(2, length, steps).copy_(newK);
  v.narrow(2, length, steps).copy_(newV);
  length = needed;
  return {k.narrow(2, 0, length), v.narrow(2, 0, length)};
}

LayerCache& KvCache::layer(size_t i) {
  while (layers_.size() <= i) {
    layers_.emplace_back();
    layers_.back().reserve = capacity_;
  }
  return layers_[i];
}

}  // namespace distillery
