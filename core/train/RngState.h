// The random-number generators a training step draws from (dropout, data shuffles inside tasks), saved in a
// checkpoint and restored on resume so the resumed run draws the same numbers as an uninterrupted one.
#pragma once
#include <c10/core/Device.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace distillery {

// {"cpu": base64 of torch's default CPU generator state, "cuda": ..., "cuda_device": N when `device` is CUDA}.
QJsonObject saveRngState(const c10::Device& device);
// The inverse; throws FormatError(source, "rng.cpu", ...) for a state that is not one.
void restoreRngState(const QJsonObject& state, const QString& source);

}  // namespace distillery
