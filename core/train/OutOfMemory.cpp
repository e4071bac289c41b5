#include "train/OutOfMemory.h"

#include "torch/TorchCompat.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <new>
#include <string_view>

namespace distillery {

bool isOutOfMemory(const std::exception& e) {
#if DISTILLERY_HAS_OOM_ERROR
  if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) return true;
#endif
  if (dynamic_cast<const std::bad_alloc*>(&e)) return true;
  if (const auto* c = dynamic_cast<const c10::Error*>(&e))
    return std::string_view(c->what_without_backtrace()).find("out of memory") != std::string_view::npos;
  return false;
}

QString outOfMemoryMessage(const QString& device, int64_t step, int64_t batchSize, int64_t seqLen, int64_t gradAccum) {
  const QString where = device.startsWith(QLatin1String("cuda")) ? QStringLiteral("CUDA (%1)").arg(device) : device;
  QString text =
      QStringLiteral("%1 out of memory at step %2 with batch size %3 × sequence length %4 (gradient accumulation %5). ")
          .arg(where)
          .arg(step)
          .arg(batchSize)
          .arg(seqLen)
          .arg(gradAccum);
  if (batchSize > 1)
    text += QStringLiteral(
                "Try train.batch_size %1 with train.grad_accum %2 (the same effective batch), or a shorter "
                "train.seq_len.")
                .arg((batchSize + 1) / 2)
                .arg(gradAccum * 2);
  else
    text += QStringLiteral("Try train.seq_len %1, or a smaller model.").arg(std::max<int64_t>(1, seqLen / 2));
  return text;
}

}  // namespace distillery
