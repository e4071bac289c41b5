// A CausalLM → a Hugging Face model folder that transformers and loadModel() read back:
//
//   config.json                      the given config object, pretty-printed, "torch_dtype"/"dtype" = saved dtype
//   model.safetensors                named_parameters() under checkpoint names, metadata {"format": "pt"}; a tied
//                                    lm_head is not stored (transformers drops it too)
//   model-0000i-of-0000n.safetensors + model.safetensors.index.json   instead, when over maxShardBytes
//   tokenizer.json, tokenizer_config.json, special_tokens_map.json, generation_config.json, chat_template.jinja
//                                    copied from sourceDir when present there
//
//   saveModel(lm, readJsonObject(teacher + "/config.json"), out, teacher);   // Error naming the folder or file
//
// A quantized model (quant/QuantizeModel.h) is saved when configJson carries the matching "quantization_config"
// block: its Linears' qweight / scales / zeros go into the weight files in their own dtypes (the layout of
// quant/QuantConfig.h), the float tensors in dtype.
//
// Safety: every file is first written into a hidden temp folder beside dir, fsynced, then moved in by rename.
// A new or empty dir is replaced by the temp folder in one rename; an existing model folder (it has config.json)
// gets the files renamed over its own one by one (weights first, config.json last) and loses the weight files
// of an earlier save that this one does not write. Files with other names are never touched.
#pragma once
#include "model/CausalLM.h"

#include <torch/types.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <optional>

namespace distillery {

struct SaveOptions {
  std::optional<torch::ScalarType> dtype;  // convert weights to this (float32, bfloat16, float16); unset: as they are
  int64_t maxShardBytes = 5'000'000'000;   // shard above this many bytes, as save_pretrained's max_shard_size
                                           // ("5GB"); <= 0: never shard
  bool allowOtherFiles = false;            // accept an existing folder that is not a model folder but holds other
                                           // files (a job's output folder with metrics.jsonl, state.json): they
                                           // are kept; false: such a folder is refused
};

// The file names copied from sourceDir when present, in this order.
QStringList modelSideFiles();

// Writes model as a Hugging Face folder (see above). configJson must describe model: it is read with
// ModelConfig::fromJson and the model must hold exactly the parameters it implies, with their shapes (a model
// with LoRA adapters still attached is refused: merge or unload them first; a quantized model needs the
// quantization_config block of its scheme). Throws Error naming dir for a
// non-empty folder that is not a model folder (unless allowed), FormatError for a config that does not match,
// and Error for any failed write (the folder then holds its previous files). sourceDir may be empty.
void saveModel(CausalLM& model, const QJsonObject& configJson, const QString& dir, const QString& sourceDir,
               const SaveOptions& options = {});

// "float32", "bfloat16", "float16" as config.json spells them (Error for other dtypes).
QString configDtypeName(torch::ScalarType dtype);

}  // namespace distillery
