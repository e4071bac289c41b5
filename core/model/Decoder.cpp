#include "model/Decoder.h"

#include <torch/torch.h>

namespace distillery {

DecoderImpl::DecoderImpl(const ModelConfig& c, const torch::TensorOptions& t)
    : config_(c), rope_(RopeOptions{c.headDim, c.ropeTheta, c.ropeScaling}, t.device()) {
  embed_tokens = register_module("embed_tokens", Embedding(EmbeddingOptions{c.vocabSize, c.hidden}, t));
  layers = register_module("layers", torch::nn::ModuleList());
  DecoderLayerOptions lo;
  lo.attention = AttentionOptions{c.hidden, c.heads, c.kvHeads, c.headDim, c.qkvBias, c.oBias, c.qkNorm, c.rmsEps};
  lo.mlp = MlpOptions{c.hidden, c.intermediate, c.mlpBias};
  lo.rmsEps = c.rmsEps;
  for (int64_t i = 0; i < c.layers; ++i) layers->push_back(DecoderLayer(lo, t));
  norm = register_module("norm", RmsNorm(RmsNormOptions{c.hidden, c.rmsEps}, t));
}

DecoderOutput DecoderImpl::forward(const torch::Tensor& inputIds, const ForwardOptions& o, AttentionPath path) {
  TORCH_CHECK(inputIds.dim() == 2 && inputIds.scalar_type() == torch::kInt64,
              "input_ids must be [batch, sequence] int64, got ", inputIds.sizes(), " ", inputIds.scalar_type());
  const int64_t batch = inputIds.size(0), steps = inputIds.size(1);
  TORCH_CHECK(batch > 0 && steps > 0, "input_ids is empty: ", inputIds.sizes());
  const auto [lowest, highest] = torch::aminmax(inputIds);
  TORCH_CHECK(lowest.item<int64_t>() >= 0 && highest.item<int64_t>() < config_.vocabSize,
              "input_ids must lie in [0, ", config_.vocabSize, "), got values from ", lowest.item<int64_t>(),
              " to ", highest.item<int64_t>());
  const torch::Device device = embed_tokens->weight.device();
  const int64_t past = o.cache ? o.cache->length() : 0;

  torch::Tensor positions = o.positionIds;
  if (positions.defined()) {
    TORCH_CHECK(positions.sizes() == inputIds.sizes(), "position_ids must be ", inputIds.sizes(), ", got ",
                positions.sizes());
  } else {
    positions = makePositionIds(o.attentionMask, batch, past, steps, device);
  }
  const auto [cos, sin] = rope_.cosSin(positions.to(device), embed_tokens->weight.scalar_type());

  // One mask for full-attention layers and, when some layer has a window, one for those.
  const AttentionMask full = makeAttentionMask(o.attentionMask, batch, past, steps, 0, device, o.segmentIds);
  AttentionMask windowed;
  if (config_.slidingWindow > 0)
    windowed = makeAttentionMask(o.attentionMask, batch, past, steps, config_.slidingWindow, device, o.segmentIds);

  DecoderOutput out;
  torch::Tensor h = embed_tokens(inputIds.to(device));
  for (size_t i = 0; i < layers->size(); ++i) {
    if (o.hiddenStates) out.hiddenStates.push_back(h);
    const AttentionMask& mask = config_.windowOf(static_cast<int64_t>(i)) > 0 ? windowed : full;
    h = layers[i]->as<DecoderLayer>()->forward(h, cos, sin, mask, o.cache ? &o.cache->layer(i) : nullptr, path);
  }
  out.last = norm(h);
  if (o.hiddenStates) out.hiddenStates.push_back(out.last);
  return out;
}

}  // namespace distillery
