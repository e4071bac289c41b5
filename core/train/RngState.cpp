#include "train/RngState.h"

#include "common/Error.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <mutex>

namespace distillery {

namespace {

QString encode(const at::Generator& generator) {
  // get_state() is a uint8 CPU tensor holding the generator's whole state (Mersenne twister or Philox seed+offset).
  const at::Tensor s = generator.get_state().contiguous();
  return QString::fromLatin1(
      QByteArray(reinterpret_cast<const char*>(s.data_ptr<uint8_t>()), qsizetype(s.numel())).toBase64());
}

void decode(at::Generator generator, const QJsonValue& value, const QString& source, const QString& field) {
  const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
  if (!value.isString() || bytes.isEmpty())
    throw FormatError(source, field, value.toVariant().toString(), QStringLiteral("expected a base64 generator state"));
  at::Tensor s = torch::empty({int64_t(bytes.size())}, torch::kUInt8);
  std::memcpy(s.data_ptr<uint8_t>(), bytes.constData(), size_t(bytes.size()));
  try {
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(s);
  } catch (const c10::Error& e) {
    throw FormatError(source, field, QStringLiteral("%1 bytes").arg(bytes.size()),
                      QStringLiteral("not a generator state: %1").arg(QString::fromUtf8(e.what_without_backtrace())));
  }
}

}  // namespace

QJsonObject saveRngState(const c10::Device& device) {
  QJsonObject o;
  o[QStringLiteral("cpu")] = encode(at::globalContext().defaultGenerator(c10::Device(c10::kCPU)));
  if (device.is_cuda()) {
    const int index = device.has_index() ? device.index() : 0;
    o[QStringLiteral("cuda")] = encode(at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, int8_t(index))));
    o[QStringLiteral("cuda_device")] = index;
  }
  return o;
}

void restoreRngState(const QJsonObject& state, const QString& source) {
  decode(at::globalContext().defaultGenerator(c10::Device(c10::kCPU)), state.value(QStringLiteral("cpu")), source,
         QStringLiteral("rng.cpu"));
  if (state.contains(QStringLiteral("cuda"))) {
    const int index = state.value(QStringLiteral("cuda_device")).toInt();
    decode(at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, int8_t(index))),
           state.value(QStringLiteral("cuda")), source, QStringLiteral("rng.cuda"));
  }
}

}  // namespace distillery
