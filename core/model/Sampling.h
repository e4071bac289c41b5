// Next-token logit processing in transformers' order and semantics (RepetitionPenaltyLogitsProcessor,
// TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper), then the choice of a token.
// All take and return scores [B, vocab] float32; removed tokens become -inf.
#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace distillery {

// seen: [B, vocab] bool, the ids already in each row (prompt and generated). Their scores s become s / penalty
// when s > 0 and s · penalty otherwise. penalty 1 leaves scores as they are.
at::Tensor applyRepetitionPenalty(const at::Tensor& scores, const at::Tensor& seen, double penalty);
// scores / temperature.
at::Tensor applyTemperature(const at::Tensor& scores, double temperature);
// Keeps the k highest scores (and any tied with the k-th); k ≤ 0 or ≥ vocab keeps all.
at::Tensor applyTopK(const at::Tensor& scores, int64_t k);
// Keeps the smallest set of highest-probability tokens whose probability sums to more than p (at least one);
// p ≥ 1 keeps all.
at::Tensor applyTopP(const at::Tensor& scores, double p);

}  // namespace distillery
