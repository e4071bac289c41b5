#include "kd/Schedule.h"

#include "common/Error.h"
#include "kd/ScheduleCurve.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace distillery {

double scheduleValue(const ScheduleSpec& s, int64_t step, int64_t totalSteps) {
  // Fraction of the run done: 0 at step 0, 1 at the last step (totalSteps − 1).
  const double t = totalSteps > 1 ? std::clamp(double(step) / double(totalSteps - 1), 0.0, 1.0) : 0.0;
  if (s.kind == QLatin1String("constant")) return s.start;
  if (s.kind == QLatin1String("linear")) return s.start + (s.end - s.start) * t;
  if (s.kind == QLatin1String("cosine")) return s.end + (s.start - s.end) * (1 + std::cos(std::numbers::pi * t)) / 2;
  if (s.kind == QLatin1String("stages")) {
    if (s.stages < 1)
      throw Error(QString(), QStringLiteral("stages"), QString::number(s.stages), QStringLiteral("must be >= 1"));
    const int64_t total = std::max<int64_t>(totalSteps, 1);
    const int64_t k = std::clamp<int64_t>(std::max<int64_t>(step, 0) * s.stages / total, 0, s.stages - 1);
    return s.start + s.perStage * double(k);
  }
  throw Error(QString(), QStringLiteral("kind"), s.kind, QStringLiteral("must be constant, linear, cosine or stages"));
}

KdLossOptions kdOptionsAtStep(const KdSpec& kd, int64_t step, int64_t totalSteps) {
  KdLossOptions o;
  o.divergence = divergenceFromName(kd.loss);
  o.jsdBeta = kd.jsdBeta;
  o.chunkTokens = kd.chunkTokens;
  o.temperature = kdTemperatureAt(kd, step, totalSteps);
  o.alpha = kdAlphaAt(kd, step, totalSteps);
  return o;
}

}  // namespace distillery
