#include "model/CausalLM.h"

#include <torch/torch.h>

namespace distillery {

CausalLMImpl::CausalLMImpl(const ModelConfig& c, const torch::TensorOptions& t) : config_(c) {
  model = register_module("model", Decoder(c, t));
  if (!c.tieWordEmbeddings)
    lm_head = register_module("lm_head", Linear(LinearOptions{c.hidden, c.vocabSize, false}, t));
}

const torch::Tensor& CausalLMImpl::outputWeight() const {
  return lm_head ? lm_head->weight : model->embed_tokens->weight;
}

torch::Device CausalLMImpl::device() const { return model->embed_tokens->weight.device(); }

torch::ScalarType CausalLMImpl::dtype() const { return model->embed_tokens->weight.scalar_type(); }

CausalLMOutput CausalLMImpl::forward(const torch::Tensor& inputIds, const ForwardOptions& o) {
  DecoderOutput d = model->forward(inputIds, o, path_);
  torch::Tensor h = d.last;
  if (o.lastPositions > 0 && o.lastPositions < h.size(1)) h = h.narrow(1, h.size(1) - o.lastPositions, o.lastPositions);
  CausalLMOutput out;
  out.logits = torch::linear(h, outputWeight());
  if (o.floatLogits) out.logits = out.logits.to(torch::kFloat32);
  out.hiddenStates = std::move(d.hiddenStates);
  return out;
}

}  // namespace distillery
