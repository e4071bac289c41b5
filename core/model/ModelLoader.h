// A Hugging Face model folder → a CausalLM filled from its safetensors, after checking that the checkpoint holds
// exactly the tensors config.json implies, with their shapes. A folder whose config.json has a
// "quantization_config" block (quant/QuantConfig.h) loads with quantized Linears that dequantize on the fly.
//
//   LoadedModel m = loadModel(dir, torch::kBFloat16, torch::kCUDA);   // FormatError naming file and tensor
//   torch::Tensor logits = m.model->forward(ids).logits;
#pragma once
#include "checkpoint/Safetensors.h"
#include "model/CausalLM.h"
#include "model/GenerationConfig.h"
#include "model/ModelConfig.h"
#include "quant/QuantConfig.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <optional>
#include <vector>

namespace distillery {

class CheckpointReader;

struct ExpectedTensor {
  QString name;                // checkpoint name, e.g. "model.layers.3.self_attn.q_proj.weight"
  std::vector<int64_t> shape;  // from the config
  std::optional<DType> dtype;  // exactly this dtype (quantized codes, scales, zeros); unset: any floating point
};

// Every tensor a checkpoint of this config holds (the model's named_parameters(), built on the meta device so
// nothing is allocated), in registration order; with quant, each converted Linear's "weight" is replaced in
// place by its qweight / scales (/ zeros) with their dtypes. Throws FormatError naming the first weight whose
// shape the scheme does not fit.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& config,
                                            const std::optional<QuantConfig>& quant = std::nullopt);
// The number of parameters (a tied lm_head counts once).
int64_t parameterCount(const ModelConfig& config);
// Tensors a checkpoint may hold beyond the expected ones, ignored as transformers ignores them: RoPE's
// rotary_emb.inv_freq buffers of older exports, and lm_head.weight when the embeddings are tied.
bool isIgnoredCheckpointTensor(const QString& name, const ModelConfig& config);

// Throws FormatError(checkpoint dir, tensor, ...) unless ckpt holds every expected tensor with its shape and a
// floating-point dtype (quantized tensors: their exact dtype), and nothing else but ignored tensors (what
// loadModel checks before allocating).
void checkCheckpoint(const CheckpointReader& ckpt, const ModelConfig& config,
                     const std::optional<QuantConfig>& quant = std::nullopt);

struct LoadedModel {
  QString dir;                  // the model folder
  ModelConfig config;           // config.json
  GenerationConfig generation;  // generation_config.json (empty when absent)
  std::optional<QuantConfig> quant;  // config.json's quantization_config, when the folder is quantized
  CausalLM model{nullptr};      // in eval mode, parameters with requires_grad false
};

// Reads dir/config.json, dir/generation_config.json and the checkpoint (model.safetensors or a sharded index),
// checks it, then builds the model in dtype on device and copies every tensor in (converted to dtype). Throws
// FormatError(dir, tensor name, ...) for a missing tensor, an unexpected one, a wrong shape or a non-float
// dtype, and config/checkpoint errors naming their files. Nothing is allocated on device before the checks pass.
// A quantized folder's codes, scales and zeros keep their dtypes (dtype applies to the float tensors and to the
// dequantized weights forward computes); the model is built in dtype first and each converted Linear's float
// weight is freed as its codes arrive, so the peak is about one float copy of the model.
LoadedModel loadModel(const QString& dir, torch::ScalarType dtype, const torch::Device& device);
CausalLM loadCausalLM(const QString& dir, torch::ScalarType dtype, const torch::Device& device);

// Shape as text: "[512, 64]".
QString shapeText(const std::vector<int64_t>& shape);

}  // namespace distillery
