#include "train/LrSchedule.h"

#include "common/Error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace distillery {

LrScheduleKind LrSchedule::parseKind(const QString& name, const QString& source) {
  if (name == QLatin1String("cosine")) return LrScheduleKind::Cosine;
  if (name == QLatin1String("linear")) return LrScheduleKind::Linear;
  if (name == QLatin1String("constant")) return LrScheduleKind::Constant;
  throw FormatError(source, QStringLiteral("train.scheduler"), name,
                    QStringLiteral("expected cosine, linear or constant"));
}

double LrSchedule::factor(int64_t step) const {
  if (step < warmupSteps) return double(step) / double(std::max<int64_t>(1, warmupSteps));
  const double span = double(std::max<int64_t>(1, totalSteps - warmupSteps));
  switch (kind) {
    case LrScheduleKind::Constant:
      return 1.0;
    case LrScheduleKind::Linear:
      return std::max(0.0, double(totalSteps - step) / span);
    case LrScheduleKind::Cosine: {
      // transformers' num_cycles = 0.5: half a cosine from 1 down to 0 over the steps after the warmup.
      const double progress = double(step - warmupSteps) / span;
      return std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * 2.0 * 0.5 * progress)));
    }
  }
  return 1.0;
}

}  // namespace distillery
