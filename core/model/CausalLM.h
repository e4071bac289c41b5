// A causal language model as transformers' *ForCausalLM: the decoder stack ("model.") and the output
// projection ("lm_head.", or model.embed_tokens.weight when tie_word_embeddings). named_parameters() keys are
// the checkpoint's tensor names one to one; a tied lm_head has no key of its own.
//
//   CausalLM lm(config, torch::TensorOptions().dtype(torch::kBFloat16).device(torch::kCUDA));  // uninitialised
//   (usually through loadModel() in ModelLoader.h, which fills it from the checkpoint)
//   torch::Tensor logits = lm->forward(ids, {.attentionMask = mask}).logits;          // [B, S, vocab] float32
#pragma once
#include "model/Decoder.h"
#include "model/Linear.h"
#include "model/ModelConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace distillery {

struct CausalLMOutput {
  torch::Tensor logits;                      // [B, S, vocab] (or the last N positions), float32 unless asked
  std::vector<torch::Tensor> hiddenStates;   // layers + 1 tensors [B, S, hidden] when asked (see Decoder)
};

class CausalLMImpl : public torch::nn::Module {
 public:
  // Parameters are made uninitialised with t's dtype and device.
  CausalLMImpl(const ModelConfig& c, const torch::TensorOptions& t);

  CausalLMOutput forward(const torch::Tensor& inputIds, const ForwardOptions& o = {});

  const ModelConfig& config() const { return config_; }
  // [vocab, hidden]: lm_head.weight, or the embeddings when tied.
  const torch::Tensor& outputWeight() const;
  torch::Device device() const;
  torch::ScalarType dtype() const;

  // Which attention computation forward() uses (Auto: SDPA when this LibTorch has it).
  void setAttentionPath(AttentionPath p) { path_ = p; }
  AttentionPath attentionPath() const { return path_; }

  Decoder model{nullptr};
  Linear lm_head{nullptr};  // null when tied

 private:
  ModelConfig config_;
  AttentionPath path_ = AttentionPath::Auto;
};
TORCH_MODULE(CausalLM);

}  // namespace distillery
