// The "quantization_config" block of a quantized model folder's config.json, and the safetensors layout it
// announces. A folder written by `distillery-cli quantize` (or saveModel on a quantized CausalLM) holds:
//
//   config.json        the source config plus
//                      "quantization_config": {"quant_method": "distillery", "format_version": 1,
//                        "scheme": "int4-g32", "bits": 4, "group_size": 32, "activations": "none" | "int8",
//                        "modules_not_converted": ["lm_head"]}
//                      ("torch_dtype" is the dtype of the tensors kept in float)
//   model.safetensors  for every Linear of the decoder (q/k/v/o_proj, gate/up/down_proj) instead of
//                      "<module>.weight":
//                        <module>.qweight  I8 [out, in]          (int8)  or  U8 [out, in/2]  (int4: column 2j in
//                                                                            the low nibble, 2j+1 in the high one)
//                        <module>.scales   F32 [out]             (int8)  or  F32 [out, in/G]
//                        <module>.zeros    (int4 only)                        U8 [out, in/G], zero points 0..15
//                      W[o, i] = qweight[o, i]·scales[o]                        (int8)
//                      W[o, i] = (code[o, i] − zeros[o, i/G])·scales[o, i/G]     (int4)
//                      every other tensor (embeddings, norms, biases, lm_head) as in a float checkpoint
//
// modules_not_converted lists module names (or name suffixes, PEFT's matching rule) whose Linear stays float;
// lm_head always does (it is not a decoder Linear). Embeddings and norms are never quantized.
#pragma once
#include "quant/QuantScheme.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace distillery {

struct QuantConfig {
  QuantScheme scheme;                                            // bits, group size, activations
  QStringList modulesNotConverted{QStringLiteral("lm_head")};  // Linear modules kept in float

  // The "quantization_config" object.
  QJsonObject toJson() const;
  // Reads config.json's "quantization_config" (nullopt when absent or null). Throws FormatError(path,
  // "quantization_config.<key>", value, ...) for another quant_method, an unknown format_version, a scheme that
  // is not one of QuantScheme::names(), bits / group_size that contradict the scheme, an activations value other
  // than "none" / "int8", or a malformed modules_not_converted.
  static std::optional<QuantConfig> fromConfigJson(const QJsonObject& config, const QString& path);
  // Whether module (a dotted name) stays float: it equals an entry or ends with "." + entry.
  bool keepsFloat(const QString& module) const;
};

}  // namespace distillery
