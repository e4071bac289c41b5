#include "quant/QuantScheme.h"

#include "common/Error.h"
#include "model/ModelLoader.h"

#include <torch/torch.h>

namespace distillery {

namespace {

constexpr double kInt8Max = 127;  // symmetric: −127..127, −128 unused so that q·scale is symmetric
constexpr double kInt4Max = 15;   // asymmetric codes 0..15

// 1 where s is 0 (an all-zero row or group): its codes are all 0 (INT4: zero point 0), nothing divides by 0.
torch::Tensor nonZero(const torch::Tensor& s) { return torch::where(s > 0, s, torch::ones_like(s)); }

}  // namespace

QString QuantScheme::name() const {
  return bits == 8 ? QStringLiteral("int8") : QStringLiteral("int4-g%1").arg(groupSize);
}

QStringList QuantScheme::names() {
  return {QStringLiteral("int8"), QStringLiteral("int4-g32"), QStringLiteral("int4-g64"), QStringLiteral("int4-g128")};
}

QuantScheme QuantScheme::parse(const QString& text, const QString& where, const QString& field) {
  QuantScheme s;
  if (text == QLatin1String("int8")) return s;
  for (int64_t g : {32, 64, 128})
    if (text == QStringLiteral("int4-g%1").arg(g)) {
      s.bits = 4;
      s.groupSize = g;
      return s;
    }
  throw FormatError(where, field, text, QStringLiteral("is not a quantization scheme; use one of %1")
                                            .arg(names().join(QStringLiteral(", "))));
}

void checkQuantizable(const std::vector<int64_t>& shape, const QuantScheme& s, const QString& tensorName) {
  if (shape.size() != 2)
    throw FormatError(tensorName, QStringLiteral("shape"), shapeText(shape),
                      QStringLiteral("only 2-D [out, in] weights are quantized"));
  if (s.bits == 4 && shape[1] % s.groupSize != 0)
    throw FormatError(tensorName, QStringLiteral("shape"), shapeText(shape),
                      QStringLiteral("has %1 input columns, not a multiple of the group size %2 of %3; choose a "
                                     "group size that divides it, or int8")
                          .arg(shape[1])
                          .arg(s.groupSize)
                          .arg(s.name()));
}

QuantizedTensor quantizeWeight(const at::Tensor& w, const QuantScheme& s, const QString& tensorName) {
  checkQuantizable(w.sizes().vec(), s, tensorName);
  torch::NoGradGuard noGrad;
  const torch::Tensor wf = w.detach().to(torch::kFloat32);
  if (!torch::isfinite(wf).all().item<bool>())
    throw FormatError(tensorName, QString(), QString(), QStringLiteral("holds NaN or infinite values"));
  const int64_t out = w.size(0), in = w.size(1);
  QuantizedTensor q;
  if (s.bits == 8) {
    q.scales = nonZero(wf.abs().amax(1) / kInt8Max);  // [out]
    q.qweight = torch::round(wf / q.scales.unsqueeze(1)).clamp(-kInt8Max, kInt8Max).to(torch::kInt8);
    return q;
  }
  const torch::Tensor groups = wf.view({out, in / s.groupSize, s.groupSize});  // [out, in/G, G]
  const torch::Tensor lo = groups.amin(2).clamp_max(0), hi = groups.amax(2).clamp_min(0);
  q.scales = nonZero((hi - lo) / kInt4Max);                                  // [out, in/G]
  const torch::Tensor zero = torch::round(-lo / q.scales).clamp(0, kInt4Max);  // [out, in/G]
  const torch::Tensor codes =
      (torch::round(groups / q.scales.unsqueeze(2)) + zero.unsqueeze(2)).clamp(0, kInt4Max).to(torch::kUInt8);
  q.qweight = packInt4(codes.view({out, in}));
  q.zeros = zero.to(torch::kUInt8);
  return q;
}

at::Tensor dequantizeWeight(const QuantizedTensor& q, const QuantScheme& s, c10::ScalarType dtype) {
  if (s.bits == 8) return (q.qweight.to(torch::kFloat32) * q.scales.to(torch::kFloat32).unsqueeze(1)).to(dtype);
  const torch::Tensor codes = unpackInt4(q.qweight);  // [out, in]
  const int64_t out = codes.size(0), in = codes.size(1);
  const torch::Tensor groups = codes.to(torch::kFloat32).view({out, in / s.groupSize, s.groupSize});
  return ((groups - q.zeros.to(torch::kFloat32).unsqueeze(2)) * q.scales.to(torch::kFloat32).unsqueeze(2))
      .view({out, in})
      .to(dtype);
}

std::vector<QuantizedShape> quantizedShapes(int64_t out, int64_t in, const QuantScheme& s) {
  if (s.bits == 8)
    return {{QStringLiteral("qweight"), {out, in}, torch::kInt8}, {QStringLiteral("scales"), {out}, torch::kFloat32}};
  const int64_t groups = in / s.groupSize;
  return {{QStringLiteral("qweight"), {out, in / 2}, torch::kUInt8},
          {QStringLiteral("scales"), {out, groups}, torch::kFloat32},
          {QStringLiteral("zeros"), {out, groups}, torch::kUInt8}};
}

at::Tensor packInt4(const at::Tensor& codes) {
  TORCH_CHECK(codes.scalar_type() == torch::kUInt8 && codes.dim() >= 1 && codes.size(-1) % 2 == 0,
              "packInt4 expects uint8 codes with an even last dimension, got ", codes.scalar_type(), " ",
              codes.sizes());
  const torch::Tensor lo = codes.slice(-1, 0, c10::nullopt, 2), hi = codes.slice(-1, 1, c10::nullopt, 2);
  return torch::bitwise_or(lo, torch::bitwise_left_shift(hi, 4)).contiguous();
}

at::Tensor unpackInt4(const at::Tensor& packed) {
  TORCH_CHECK(packed.scalar_type() == torch::kUInt8 && packed.dim() >= 1, "unpackInt4 expects uint8, got ",
              packed.scalar_type());
  const torch::Tensor lo = torch::bitwise_and(packed, 15), hi = torch::bitwise_right_shift(packed, 4);
  return torch::stack({lo, hi}, -1).flatten(-2);  // [..., n, 2] → [..., 2n]: column 2j, then 2j+1
}

at::Tensor fakeQuantizeWeight(const at::Tensor& w, const QuantScheme& s) {
  const torch::Tensor dq = dequantizeWeight(quantizeWeight(w, s, QStringLiteral("weight")), s, w.scalar_type());
  // Value exactly dq (w − w.detach() is 0), gradient the identity.
  return dq + (w - w.detach());
}

at::Tensor fakeQuantizeActivations(const at::Tensor& x) {
  torch::Tensor dq;
  {
    torch::NoGradGuard noGrad;
    const torch::Tensor xf = x.detach().to(torch::kFloat32);
    const torch::Tensor scale = nonZero(xf.abs().amax(-1, /*keepdim=*/true) / kInt8Max);  // [..., 1]
    dq = (torch::round(xf / scale).clamp(-kInt8Max, kInt8Max) * scale).to(x.scalar_type());
  }
  return dq + (x - x.detach());
}

}  // namespace distillery
