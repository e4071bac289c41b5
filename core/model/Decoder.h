// The decoder stack of a causal LM (transformers' LlamaModel / Qwen2Model, the checkpoint's "model."):
// embed_tokens → layers → norm, with the masks and position ids every layer shares.
#pragma once
#include "model/Attention.h"
#include "model/DecoderLayer.h"
#include "model/Embedding.h"
#include "model/KvCache.h"
#include "model/ModelConfig.h"
#include "model/RmsNorm.h"
#include "model/Rope.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace distillery {

struct ForwardOptions {
  torch::Tensor attentionMask;  // [B, past + S]: 1 token, 0 padding (left); undefined: all tokens
  torch::Tensor positionIds;    // [B, S] int64; undefined: cumsum(mask) - 1 as transformers' generate
  torch::Tensor segmentIds;     // [B, S] int64 example of each position in a packed row (1..n, 0 padding):
                                // attention stays inside each example; undefined: one sequence per row. Give
                                // positionIds restarting at 0 per example with it; not with a cache.
  KvCache* cache = nullptr;     // attend to the positions it holds and append this call's keys/values
  bool hiddenStates = false;    // also return every layer's hidden states
  bool floatLogits = true;      // logits in float32 (false: the model's dtype)
  int64_t lastPositions = 0;    // > 0: logits of the last N positions only (generation)
};

struct DecoderOutput {
  torch::Tensor last;                         // [B, S, hidden] after the final norm
  std::vector<torch::Tensor> hiddenStates;    // with ForwardOptions::hiddenStates, as output_hidden_states
};

class DecoderImpl : public torch::nn::Module {
 public:
  DecoderImpl(const ModelConfig& c, const torch::TensorOptions& t);

  // inputIds: [B, S] int64 in [0, vocab). hiddenStates, when asked, are layers + 1 tensors [B, S, hidden] as
  // transformers returns them: the embeddings, the outputs of layers 0 .. L-2, and the final normed output.
  DecoderOutput forward(const torch::Tensor& inputIds, const ForwardOptions& o = {},
                        AttentionPath path = AttentionPath::Auto);

  Embedding embed_tokens{nullptr};
  torch::nn::ModuleList layers{nullptr};
  RmsNorm norm{nullptr};

 private:
  ModelConfig config_;
  Rope rope_;
};
TORCH_MODULE(Decoder);

}  // namespace distillery
