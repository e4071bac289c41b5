#include "model/Linear.h"

#include "common/Error.h"

#include <torch/torch.h>

namespace distillery {

LinearImpl::LinearImpl(const LinearOptions& o, const torch::TensorOptions& t) {
  TORCH_CHECK(o.in > 0 && o.out > 0, "Linear needs positive sizes, got in=", o.in, " out=", o.out);
  weight = register_parameter("weight", torch::empty({o.out, o.in}, t));
  if (o.bias) bias = register_parameter("bias", torch::empty({o.out}, t));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
  const QuantScheme* scheme = quantized_ ? &quantScheme_ : fakeQuant_ ? &*fakeQuant_ : nullptr;
  const torch::Tensor input = scheme && scheme->int8Activations ? fakeQuantizeActivations(x) : x;
  torch::Tensor y = torch::linear(input, effectiveWeight(quantized_ ? x.scalar_type() : weight.scalar_type()), bias);
  if (!loraA_) return y;
  // As PEFT: the adapter runs in its own dtype (float32 over a bf16 base) and its result is cast back.
  torch::Tensor h = x.to(loraA_->weight.scalar_type());
  if (loraDropout_ > 0 && is_training()) h = torch::dropout(h, loraDropout_, /*train=*/true);
  const torch::Tensor delta = torch::linear(torch::linear(h, loraA_->weight), loraB_->weight);  // [..., out]
  return y + (delta * loraScaling_).to(y.scalar_type());
}

torch::Tensor LinearImpl::effectiveWeight(torch::ScalarType dtype) const {
  if (quantized_) return dequantizeWeight(*quantized_, quantScheme_, dtype);
  if (!fakeQuant_) return weight.to(dtype);
  if (!loraA_) return fakeQuantizeWeight(weight, *fakeQuant_).to(dtype);
  // The constant base term of QAT with LoRA (see Linear.h): dq(q(W + δ)) − δ, δ = s·B·A, [out, in].
  torch::NoGradGuard noGrad;
  const torch::Tensor delta = loraDelta();
  const torch::Tensor merged = weight.to(torch::kFloat32) + delta.to(weight.device());
  const QuantizedTensor q = quantizeWeight(merged.to(weight.scalar_type()), *fakeQuant_, QStringLiteral("weight"));
  return (dequantizeWeight(q, *fakeQuant_, torch::kFloat32) - delta).to(dtype);
}

torch::Tensor LinearImpl::loraDelta() const {
  // [out, r]·[r, in] → [out, in], in float32 as mergeLora computes it.
  return torch::matmul(loraB_->weight.to(torch::kFloat32), loraA_->weight.to(torch::kFloat32)) * loraScaling_;
}

void LinearImpl::setQuantized(const QuantizedTensor& q, const QuantScheme& s) {
  TORCH_CHECK(!quantized_, "Linear is already quantized");
  TORCH_CHECK(!loraA_, "a Linear carrying a LoRA adapter cannot be quantized; merge or unload the adapter first");
  TORCH_CHECK(!fakeQuant_, "a Linear under fake-quant (QAT) cannot be quantized; turn fake-quant off first");
  const int64_t out = weight.size(0), in = weight.size(1);
  const std::vector<QuantizedShape> shapes = quantizedShapes(out, in, s);
  const torch::Tensor* given[] = {&q.qweight, &q.scales, &q.zeros};
  for (size_t i = 0; i < shapes.size(); ++i)
    TORCH_CHECK(given[i]->defined() && given[i]->sizes().vec() == shapes[i].shape &&
                    given[i]->scalar_type() == shapes[i].dtype,
                shapes[i].suffix.toStdString(), " ", shapes[i].shape, " ", shapes[i].dtype, " expected for ",
                s.name().toStdString(), " over [", out, ", ", in, "]");
  parameters_.erase("weight");
  QuantizedTensor held;
  held.qweight = register_buffer("qweight", q.qweight);
  held.scales = register_buffer("scales", q.scales);
  if (s.bits == 4) held.zeros = register_buffer("zeros", q.zeros);
  quantized_ = held;
  quantScheme_ = s;
  weight = torch::empty({out, in}, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kMeta));
}

const QuantizedTensor& LinearImpl::quantized() const {
  TORCH_CHECK(quantized_, "Linear is not quantized");
  return *quantized_;
}

const QuantScheme& LinearImpl::quantScheme() const {
  TORCH_CHECK(quantized_, "Linear is not quantized");
  return quantScheme_;
}

void LinearImpl::setFakeQuant(const std::optional<QuantScheme>& s) {
  TORCH_CHECK(!quantized_ || !s, "a quantized Linear cannot also fake-quantize");
  if (s) checkQuantizable(weight.sizes().vec(), *s, QStringLiteral("weight"));
  fakeQuant_ = s;
}

void LinearImpl::setLora(const LoraAdapterTensors& t) {
  TORCH_CHECK(!loraA_, "Linear already carries a LoRA adapter");
  if (quantized_)
    throw Error(QStringLiteral("LoRA adapters cannot be attached to a quantized Linear (%1); attach them to the "
                               "float model (train.qat makes the adapter quantization-aware) and quantize after "
                               "merging")
                    .arg(quantScheme_.name()));
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
