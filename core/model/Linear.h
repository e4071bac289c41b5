// y = x·Wᵀ + b with weights a checkpoint fills: unlike torch::nn::Linear nothing is initialised, so building a
// 7B model costs no random init and no float32 detour; parameters are made directly in the target dtype and
// device and hold garbage until loaded.
//
// A Linear may also carry a LoRA adapter (core/lora/Lora.h attaches it): submodules "lora_A" [r, in] and
// "lora_B" [out, r], so their parameters are named "<module>.lora_A.weight" as in PEFT's checkpoints, and
// forward adds scaling·B·A·dropout(x). Without one, forward is the plain torch::linear.
//
// A Linear may instead hold its weight quantized (core/quant/QuantizeModel.h converts a model): the "weight"
// parameter gives way to buffers "qweight", "scales" (and "zeros" for INT4), saved under the same module prefix,
// and forward dequantizes them on the fly to the input's dtype on their device, then runs torch::linear (no
// custom kernel: correct everywhere, on CUDA a bf16 matmul). A quantized Linear refuses a LoRA adapter: QLoRA
// would need merging into codes, which loses what the adapter learned; train LoRA on the float model with QAT
// (below) and quantize the merged result instead. Beware module->to(dtype): LibTorch converts every buffer,
// codes included; load a quantized folder in the wanted dtype instead.
//
// For quantization-aware training a float Linear can fake-quantize its weight in forward (setFakeQuant): the
// matmul sees dequantize(quantize(W)), the gradient passes straight through to W (STE). With a LoRA adapter the
// merged weight W + scaling·B·A is what gets quantized after training, so forward is
//   x·(dq(q(W + s·B·A)) − s·B·A)ᵀ [constant] + s·B·A·dropout(x)
// whose value (without dropout) is exactly the merged-then-quantized layer's and whose gradient reaches A and B
// through the adapter path as STE through the merged weight would.
#pragma once
#include "quant/QuantScheme.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <optional>

namespace distillery {

struct LinearOptions {
  int64_t in = 0;     // input features
  int64_t out = 0;    // output features
  bool bias = false;  // also a "bias" [out]
};

// What setLora attaches.
struct LoraAdapterTensors {
  torch::Tensor a;     // [r, in], lora_A.weight
  torch::Tensor b;     // [out, r], lora_B.weight
  double scaling = 1;  // alpha/r (or alpha/√r)
  double dropout = 0;  // on the adapter's input, training mode only
};

class LinearImpl : public torch::nn::Module {
 public:
  LinearImpl(const LinearOptions& o, const torch::TensorOptions& t);
  // x: [..., in] → [..., out]
  torch::Tensor forward(const torch::Tensor& x);

  // Registers lora_A / lora_B with these tensors as their "weight" parameters (shapes checked against this
  // layer), replacing nothing: TORCH_CHECK fails when an adapter is already attached.
  void setLora(const LoraAdapterTensors& t);
  // Unregisters lora_A / lora_B (no-op without them).
  void removeLora();
  bool hasLora() const { return loraA_ != nullptr; }
  const torch::Tensor& loraA() const;  // [r, in]; TORCH_CHECK hasLora()
  const torch::Tensor& loraB() const;  // [out, r]
  double loraScaling() const { return loraScaling_; }
  double loraDropout() const { return loraDropout_; }

  // Replaces the float weight by q (shapes as quantizedShapes(out, in, s), on the layer's device): "weight" is
  // unregistered, "qweight" / "scales" / "zeros" registered as buffers, and `weight` becomes a meta-device tensor
  // that only tells the shape [out, in]. TORCH_CHECK fails when already quantized, with a LoRA adapter or under
  // fake-quant, or for shapes that do not fit.
  void setQuantized(const QuantizedTensor& q, const QuantScheme& s);
  bool isQuantized() const { return quantized_.has_value(); }
  const QuantizedTensor& quantized() const;  // TORCH_CHECK isQuantized()
  const QuantScheme& quantScheme() const;    // TORCH_CHECK isQuantized()

  // QAT: forward fake-quantizes the (merged) weight with scheme s, as described above; nullopt turns it off.
  // TORCH_CHECK fails on a quantized layer. s.int8Activations also fake-quantizes the input per token.
  void setFakeQuant(const std::optional<QuantScheme>& s);
  const std::optional<QuantScheme>& fakeQuant() const { return fakeQuant_; }

  // The weight forward multiplies by, [out, in] in dtype: the dequantized codes, the fake-quantized weight under
  // QAT (minus the adapter's part with LoRA, see above), or `weight` itself.
  torch::Tensor effectiveWeight(torch::ScalarType dtype) const;

  torch::Tensor weight;  // [out, in]; meta-device (shape only) when quantized
  torch::Tensor bias;    // [out], undefined without bias

 private:
  // A module holding only "weight", so the parameter is "lora_A.weight" / "lora_B.weight".
  struct WeightOnly : torch::nn::Module {
    explicit WeightOnly(const torch::Tensor& w) { weight = register_parameter("weight", w); }
    torch::Tensor weight;
  };
  // scaling·B·A [out, in] in float32 (with the adapter's autograd graph).
  torch::Tensor loraDelta() const;

  std::shared_ptr<WeightOnly> loraA_, loraB_;
  double loraScaling_ = 0;
  double loraDropout_ = 0;
  std::optional<QuantizedTensor> quantized_;  // the registered buffers, when quantized
  QuantScheme quantScheme_;                   // their scheme
  std::optional<QuantScheme> fakeQuant_;      // QAT
};
TORCH_MODULE(Linear);

}  // namespace distillery
