#include "model/Sampling.h"

#include <torch/torch.h>

#include <limits>

namespace distillery {

namespace {
constexpr float kRemoved = -std::numeric_limits<float>::infinity();
}

at::Tensor applyRepetitionPenalty(const at::Tensor& scores, const at::Tensor& seen, double penalty) {
  TORCH_CHECK(penalty > 0, "repetition penalty must be positive, got ", penalty);
  if (penalty == 1.0) return scores;
  const torch::Tensor penalised = torch::where(scores < 0, scores * penalty, scores / penalty);
  return torch::where(seen, penalised, scores);
}

at::Tensor applyTemperature(const at::Tensor& scores, double temperature) {
  TORCH_CHECK(temperature > 0, "temperature must be positive, got ", temperature);
  if (temperature == 1.0) return scores;
  return scores / temperature;
}

at::Tensor applyTopK(const at::Tensor& scores, int64_t k) {
  if (k <= 0 || k >= scores.size(-1)) return scores;
  const torch::Tensor kth = std::get<0>(torch::topk(scores, k)).narrow(-1, k - 1, 1);
  return scores.masked_fill(scores < kth, kRemoved);
}

at::Tensor applyTopP(const at::Tensor& scores, double p) {
  TORCH_CHECK(p > 0, "top_p must be positive, got ", p);
  if (p >= 1.0) return scores;
  // Ascending, as transformers: drop the low tail whose cumulative probability stays within 1 - p.
  const auto [sorted, indices] = torch::sort(scores, /*dim=*/-1, /*descending=*/false);
  const torch::Tensor cumulative = torch::softmax(sorted, -1).cumsum(-1);
  torch::Tensor remove = cumulative <= (1 - p);
  remove.narrow(-1, remove.size(-1) - 1, 1).fill_(false);  // always keep the most likely token
  return scores.masked_fill(remove.scatter(-1, indices, remove), kRemoved);
}

}  // namespace distillery
