// Post-training quantization of a loaded CausalLM in place, and the QAT switch for training.
//
//   QuantReport r = quantizeModel(m.model, QuantScheme::parse("int4-g32", ...), config);  // every decoder Linear
//   saveModel(m.model, configWithBlock, out, m.dir);          // the layout of quant/QuantConfig.h
//
// Converted: every Linear of the decoder (q/k/v/o_proj, gate/up/down_proj) not kept by modules_not_converted.
// Kept in float: the embeddings, the norms, biases and lm_head (the tied or untied output projection carries the
// most sensitive logits and is a small share of the weights; llama.cpp and AWQ keep it at higher precision too).
#pragma once
#include "model/CausalLM.h"
#include "model/Linear.h"
#include "quant/QuantConfig.h"
#include "quant/QuantScheme.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace distillery {

// How one weight fared.
struct QuantTensorReport {
  QString name;                // "model.layers.0.self_attn.q_proj.weight"
  std::vector<int64_t> shape;  // [out, in]
  int64_t bytesBefore = 0;     // the float weight as it was: numel · element size
  int64_t bytesAfter = 0;      // qweight + scales (+ zeros)
  double maxAbsError = 0;      // max |W − dequantize(quantize(W))|, in float32
  double meanAbsError = 0;     // mean of the same over the elements
};

struct QuantReport {
  QuantScheme scheme;
  std::vector<QuantTensorReport> tensors;  // in module order
  int64_t bytesBefore = 0, bytesAfter = 0;  // sums over tensors
  double maxAbsError = 0;                   // over all quantized elements
  double meanAbsError = 0;                  // element-weighted mean over all quantized elements
  bool stopped = false;                     // progress returned false: the model is part-quantized, discard it

  QJsonObject toJson() const;  // {"scheme", "tensors", "bytes_before", "bytes_after", "max_abs_error", ...}
};

// Bytes of q's tensors (qweight + scales + zeros).
int64_t quantizedBytes(const QuantizedTensor& q);

// The figures of one tensor: w [out, in] as it was, q what quantizeWeight made of it.
QuantTensorReport measureQuantization(const QString& name, const torch::Tensor& w, const QuantizedTensor& q,
                                      const QuantScheme& s);

// The decoder Linears c converts, by dotted module name in registration order (lm_head never; modules that
// c.keepsFloat neither).
std::vector<std::pair<QString, Linear>> quantizableLinears(CausalLM& model, const QuantConfig& c);

// Replaces the weight of every quantizable Linear by its quantized form (Linear::setQuantized). All shapes are
// checked first (FormatError naming the first tensor whose input size the group size does not divide), so on
// error the model is unchanged. Throws Error for a model that carries LoRA adapters or is already quantized.
// progress (may be empty) hears (tensors done, tensors in all) after each tensor; returning false stops there with
// report.stopped set (the model is then part-quantized: a job's cancel, the caller discards the model).
QuantReport quantizeModel(CausalLM& model, const QuantConfig& c,
                          const std::function<bool(int64_t done, int64_t total)>& progress = {});

// QAT: every quantizable Linear fake-quantizes its (merged) weight in forward with s (nullopt: off again).
// Checks every shape before changing anything (FormatError as quantizeModel); Error(field "train.qat") for a model
// that is already quantized. Returns the modules switched.
QStringList setFakeQuant(CausalLM& model, const std::optional<QuantScheme>& s);

// train.qat of a job ("none", "int8", "int4-g32", "int4-g64", "int4-g128") → the scheme QAT fake-quantizes with,
// nullopt for "none". Throws FormatError(field "train.qat") for anything else.
std::optional<QuantScheme> qatScheme(const QString& qat);

// Whether any Linear of the model holds quantized weights.
bool isQuantized(CausalLM& model);

}  // namespace distillery
