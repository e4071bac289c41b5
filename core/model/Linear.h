// y = x·Wᵀ + b with weights a checkpoint fills: unlike torch::nn::Linear nothing is initialised, so building a
// 7B model costs no random init and no float32 detour; parameters are made directly in the target dtype and
// device and hold garbage until loaded.
//
// A Linear may also carry a LoRA adapter (core/lora/Lora.h attaches it): submodules "lora_A" [r, in] and
// "lora_B" [out, r], so their parameters are named "<module>.lora_A.weight" as in PEFT's checkpoints, and
// forward adds scaling·B·A·dropout(x). Without one, forward is the plain torch::linear.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>

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

  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out], undefined without bias

 private:
  // A module holding only "weight", so the parameter is "lora_A.weight" / "lora_B.weight".
  struct WeightOnly : torch::nn::Module {
    explicit WeightOnly(const torch::Tensor& w) { weight = register_parameter("weight", w); }
    torch::Tensor weight;
  };
  std::shared_ptr<WeightOnly> loraA_, loraB_;
  double loraScaling_ = 0;
  double loraDropout_ = 0;
};
TORCH_MODULE(Linear);

}  // namespace distillery
