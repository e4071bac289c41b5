// Perplexity of token rows under a causal LM: how surprising a dataset's text is to a model, row by row.
#pragma once
#include "model/CausalLM.h"

#include <cstdint>
#include <vector>

namespace distillery {

// One batched forward pass (no grad; rows right-padded, attention-masked) → per row exp(mean NLL of predicting
// tokens 2..n from those before them). Every row needs at least 2 tokens; the model's device is used.
//   logits [B, S, vocab] → log-probabilities of ids[:, 1:] [B, S−1], masked mean per row, exp
std::vector<double> rowPerplexities(CausalLM& lm, const std::vector<std::vector<int32_t>>& rows);

}  // namespace distillery
