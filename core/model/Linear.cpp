#include "model/Linear.h"

#include <torch/torch.h>

namespace distillery {

LinearImpl::LinearImpl(const LinearOptions& o, const torch::TensorOptions& t) {
  TORCH_CHECK(o.in > 0 && o.out > 0, "Linear needs positive sizes, got in=", o.in, " out=", o.out);
  weight = register_parameter("weight", torch::empty({o.out, o.in}, t));
  if (o.bias) bias = register_parameter("bias", torch::empty({o.out}, t));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::linear(x, weight, bias);
  if (!loraA_) return y;
  // As PEFT: the adapter runs in its own dtype (float32 over a bf16 base) and its result is cast back.
  torch::Tensor h = x.to(loraA_->weight.scalar_type());
  if (loraDropout_ > 0 && is_training()) h = torch::dropout(h, loraDropout_, /*train=*/true);
  const torch::Tensor delta = torch::linear(torch::linear(h, loraA_->weight), loraB_->weight);  // [..., out]
  return y + (delta * loraScaling_).to(y.scalar_type());
}

void LinearImpl::setLora(const LoraAdapterTensors& t) {
  TORCH_CHECK(!loraA_, "Linear already carries a LoRA adapter");
  TORCH_CHECK(t.a.dim() == 2 && t.b.dim() == 2 && t.a.size(1) == weight.size(1) && t.b.size(0) == weight.size(0) &&
                  t.a.size(0) == t.b.size(1),
              "LoRA A [r, ", weight.size(1), "] and B [", weight.size(0), ", r] expected, got ", t.a.sizes(), " and ",
              t.b.sizes());
  loraA_ = register_module("lora_A", std::make_shared<WeightOnly>(t.a));
  loraB_ = register_module("lora_B", std::make_shared<WeightOnly>(t.b));
  loraScaling_ = t.scaling;
  loraDropout_ = t.dropout;
}

void LinearImpl::removeLora() {
  if (!loraA_) return;
  unregister_module("lora_A");
  unregister_module("lora_B");
  loraA_.reset();
  loraB_.reset();
  loraScaling_ = loraDropout_ = 0;
}

const torch::Tensor& LinearImpl::loraA() const {
  TORCH_CHECK(loraA_, "Linear has no LoRA adapter");
  return loraA_->weight;
}

const torch::Tensor& LinearImpl::loraB() const {
  TORCH_CHECK(loraB_, "Linear has no LoRA adapter");
  return loraB_->weight;
}

}  // namespace distillery
