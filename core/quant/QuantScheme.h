// Weight quantization schemes and the arithmetic they share: quantize, dequantize, INT4 packing, and the
// straight-through fake-quant that quantization-aware training uses.
//
//   INT8 ("int8")       per output channel, symmetric absmax: scale[o] = max|W[o,:]|/127,
//                       q = clamp(round(W/scale), −127, 127) as int8; W ≈ q·scale. An all-zero row gets scale 1.
//   INT4 ("int4-gG")    group-wise along the input dim (G = 32, 64, 128), asymmetric as GPTQ/AWQ: per [o, group]
//                       lo = min(0, min W), hi = max(0, max W) (0 is always in the range, so it is exact and the
//                       zero point needs no clamping), scale = (hi − lo)/15, zero = round(−lo/scale) in 0..15,
//                       q = clamp(round(W/scale) + zero, 0, 15); W ≈ (q − zero)·scale. An all-zero group gets
//                       scale 1, zero 0. Codes are packed two per byte: byte j of a row holds column 2j in its low
//                       nibble and column 2j+1 in its high nibble (adjacent columns; not llama.cpp's Q4_0 block order).
//   activations "int8"  optional W8A8 simulation: each token's Linear input is fake-quantized per token
//                       (absmax/127, round, clamp ±127) before the matmul; numerics are simulated in the
//                       activation dtype, there is no integer GEMM.
//
// Rounding is torch.round (half to even), computed in float32. Every element's error is at most scale/2 of its
// row (INT8) or group (INT4). Scales are stored float32 (exact for the error bound; 4 bytes per row or group).
#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

struct QuantScheme {
  int bits = 8;                  // 8: INT8 per output channel, symmetric; 4: INT4 group-wise, asymmetric
  int64_t groupSize = 0;         // INT4: input columns sharing one scale and zero (32, 64, 128); INT8: 0
  bool int8Activations = false;  // W8A8: fake-quantize each token's Linear input to INT8 (per-token absmax)

  // "int8", "int4-g32", ... (without the activation option).
  QString name() const;
  // "int8", "int4-g32", "int4-g64", "int4-g128". Throws FormatError(where, field, text, "is not a scheme; ...")
  // naming the accepted names.
  static QuantScheme parse(const QString& text, const QString& where, const QString& field);
  static QStringList names();
  bool operator==(const QuantScheme&) const = default;
};

// One Linear weight in quantized form.
struct QuantizedTensor {
  at::Tensor qweight;  // INT8: int8 [out, in]; INT4: uint8 [out, in/2], two codes per byte (see above)
  at::Tensor scales;   // float32 [out] (INT8) or [out, in/G] (INT4)
  at::Tensor zeros;    // INT4: uint8 [out, in/G] zero points 0..15; INT8: undefined
};

// Throws FormatError(tensorName, "shape", "[out, in]", ...) unless a weight of this shape can take the scheme: 2-D,
// and for INT4 `in` divisible by the group size (the message names the group size).
void checkQuantizable(const std::vector<int64_t>& shape, const QuantScheme& s, const QString& tensorName);

// w: [out, in], any float dtype and device → codes, scales, zeros on w's device. Checks as checkQuantizable.
QuantizedTensor quantizeWeight(const at::Tensor& w, const QuantScheme& s, const QString& tensorName);
// The inverse: [out, in] in dtype on the tensors' device (computed in float32, then cast).
at::Tensor dequantizeWeight(const QuantizedTensor& q, const QuantScheme& s, c10::ScalarType dtype);
// The shapes and dtypes quantizeWeight gives a [out, in] weight, in the order qweight, scales, zeros (INT8: two).
struct QuantizedShape {
  QString suffix;               // "qweight", "scales", "zeros"
  std::vector<int64_t> shape;
  c10::ScalarType dtype;
};
std::vector<QuantizedShape> quantizedShapes(int64_t out, int64_t in, const QuantScheme& s);

// uint8 [..., 2n] codes 0..15 → uint8 [..., n] (column 2j low nibble, 2j+1 high nibble). TORCH_CHECK: even last dim.
at::Tensor packInt4(const at::Tensor& codes);
// uint8 [..., n] → uint8 [..., 2n] codes 0..15.
at::Tensor unpackInt4(const at::Tensor& packed);

// QAT: w + (dequantize(quantize(w)) − w).detach(): forward sees the quantized weight, backward the identity
// (straight-through estimator). Same dtype and device as w.
at::Tensor fakeQuantizeWeight(const at::Tensor& w, const QuantScheme& s);
// W8A8: per-token symmetric INT8 fake-quant of x [..., in] (scale = max|x| over the last dim / 127), with a
// straight-through gradient. Same dtype as x.
at::Tensor fakeQuantizeActivations(const at::Tensor& x);

}  // namespace distillery
