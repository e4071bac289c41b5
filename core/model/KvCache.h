// Keys and values of earlier positions, so generation runs each new token through the model once. Storage is
// preallocated to a capacity (the prompt plus the tokens to come) and grows by reallocation if outrun.
//
//   KvCache cache(promptLength + maxNewTokens);
//   model->forward(prompt, {.attentionMask = mask, .cache = &cache});   // fills positions [0, P)
//   model->forward(next, {.attentionMask = longerMask, .cache = &cache}); // appends position P
#pragma once
#include <torch/types.h>

#include <utility>
#include <vector>

namespace distillery {

struct LayerCache {
  torch::Tensor k, v;   // [B, kvHeads, capacity, headDim]; positions [0, length) are valid
  int64_t length = 0;
  int64_t reserve = 0;  // positions to allocate on first use (0: exactly what it needs)

  // Appends k, v [B, kvHeads, S, headDim] and returns all keys and values so far, [B, kvHeads, length, headDim].
  std::pair<torch::Tensor, torch::Tensor> append(const torch::Tensor& k, const torch::Tensor& v);
};

class KvCache {
 public:
  // capacity: positions to reserve per layer on first use (0: exactly what the first call needs).
  explicit KvCache(int64_t capacity = 0) : capacity_(capacity) {}

  // Positions already cached (the same in every layer).
  int64_t length() const { return layers_.empty() ? 0 : layers_.front().length; }
  int64_t capacity() const { return capacity_; }
  // The cache of one layer, made on first use.
  LayerCache& layer(size_t i);
  void clear() { layers_.clear(); }

 private:
  int64_t capacity_;
  std::vector<LayerCache> layers_;
};

}  // namespace distillery
