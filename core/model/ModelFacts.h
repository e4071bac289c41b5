// What `distillery-cli inspect` prints and the Models panel shows about a model folder, computed in one place:
// architecture and sizes from config.json, the checkpoint's files checked against the config, the tokenizer's
// summary (and whether it loads), and bf16 memory estimates. The header needs no torch, so the GUI can call it.
//
//   QJsonObject facts = inspectModel("/models/tiny-llama");   // FormatError when config.json is missing or bad
//   facts["parameters"], facts["tokenizer"]["present"], facts["memory"]["inference_bf16"]["total_gib"]
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace distillery {

// {"dir", "architecture", "model_type", "parameters", "layers", "heads", "kv_heads", "head_dim", "hidden",
//  "intermediate", "vocab", "dtype", "tied", "rope_theta", "rope_scaling", "max_positions", "sliding_window",
//  "eos_token_ids", "checkpoint": {"files", "tensors", "bytes", "matches_config"[, "error"]},
//  "tokenizer": {"present"[, summary...][, "error"]}, "memory": {"inference_bf16", "lora_training_bf16"}}
// Throws FormatError naming config.json (and the field) when it cannot be read; a checkpoint or tokenizer that
// does not load is reported inside the object instead.
QJsonObject inspectModel(const QString& dir);

}  // namespace distillery
