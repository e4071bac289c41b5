#include "kd/ScheduleCurve.h"

namespace distillery {

double kdTemperatureAt(const KdSpec& kd, int64_t step, int64_t totalSteps) {
  return kd.temperatureSchedule.kind == QLatin1String("constant")
             ? kd.temperature
             : scheduleValue(kd.temperatureSchedule, step, totalSteps);
}

double kdAlphaAt(const KdSpec& kd, int64_t step, int64_t totalSteps) {
  return kd.alphaSchedule.kind == QLatin1String("constant") ? kd.alpha
                                                            : scheduleValue(kd.alphaSchedule, step, totalSteps);
}

}  // namespace distillery
