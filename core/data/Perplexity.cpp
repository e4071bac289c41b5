#include "data/Perplexity.h"

#include <torch/torch.h>

#include <algorithm>

namespace distillery {

std::vector<double> rowPerplexities(CausalLM& lm, const std::vector<std::vector<int32_t>>& rows) {
  if (rows.empty()) return {};
  torch::NoGradGuard noGrad;
  int64_t width = 0;
  for (const auto& r : rows) {
    TORCH_CHECK(r.size() >= 2, "perplexity needs at least 2 tokens a row, got ", r.size());
    width = std::max<int64_t>(width, int64_t(r.size()));
  }
  const int64_t n = int64_t(rows.size());
  torch::Tensor ids = torch::zeros({n, width}, torch::kInt64);
  torch::Tensor mask = torch::zeros({n, width}, torch::kInt64);
  auto I = ids.accessor<int64_t, 2>();
  auto M = mask.accessor<int64_t, 2>();
  for (int64_t b = 0; b < n; ++b)
    for (size_t s = 0; s < rows[size_t(b)].size(); ++s) {
      I[b][int64_t(s)] = rows[size_t(b)][s];
      M[b][int64_t(s)] = 1;
    }
  const torch::Device device = lm->device();
  ForwardOptions forward;
  forward.attentionMask = mask.to(device);
  const torch::Tensor logits = lm->forward(ids.to(device), forward).logits.to(torch::kCPU);  // [B, S, V] float32
  // Position s predicts token s + 1; a target counts when it is a real token (right padding).
  const torch::Tensor logp = torch::log_softmax(logits.slice(1, 0, width - 1), -1);         // [B, S-1, V]
  const torch::Tensor target = ids.slice(1, 1);                                              // [B, S-1]
  const torch::Tensor valid = mask.slice(1, 1).to(torch::kFloat64);                          // [B, S-1]
  const torch::Tensor nll = -logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).to(torch::kFloat64);
  const torch::Tensor ppl = ((nll * valid).sum(1) / valid.sum(1)).exp();                    // [B]
  return std::vector<double>(ppl.data_ptr<double>(), ppl.data_ptr<double>() + n);
}

}  // namespace distillery
