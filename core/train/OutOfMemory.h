// Recognising a device out-of-memory error, and the message a job fails with when one happens.
#pragma once
#include <QtCore/QString>

#include <cstdint>
#include <exception>

namespace distillery {

// True for c10::OutOfMemoryError, and for a c10::Error or std::bad_alloc whose text says "out of memory"
// (see DISTILLERY_HAS_OOM_ERROR in core/torch/TorchCompat.h).
bool isOutOfMemory(const std::exception& e);

// "CUDA out of memory at step 12 with batch size 8 × sequence length 512 (gradient accumulation 1). Try batch size
// 4 with gradient accumulation 2 (same effective batch), or a shorter sequence length." With batch size 1 the
// suggestion is half the sequence length.
QString outOfMemoryMessage(const QString& device, int64_t step, int64_t batchSize, int64_t seqLen, int64_t gradAccum);

}  // namespace distillery
