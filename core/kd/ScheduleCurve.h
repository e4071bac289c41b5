// τ and α of a distillation job at a step, for callers that must not include torch (the GUI's schedule
// preview): the same values kdOptionsAtStep (kd/Schedule.h) gives the loss, from the same code.
//
//   for (int64_t s = 0; s < spec.train.maxSteps; ++s) plot(s, kdTemperatureAt(spec.kd, s, spec.train.maxSteps));
#pragma once
#include "train/JobSpec.h"

#include <cstdint>

namespace distillery {

// The schedule's value at `step` (the kinds are described in kd/Schedule.h, which includes this header; this one
// stays free of torch). Throws Error(field "kind", value) for an unknown kind, or stages < 1. Defined in
// Schedule.cpp.
double scheduleValue(const ScheduleSpec& s, int64_t step, int64_t totalSteps);

// kd.temperature / kd.alpha where the schedule's kind is "constant", else the schedule's value at `step`.
// Throws Error (field "kind" or "stages") for a schedule scheduleValue refuses.
double kdTemperatureAt(const KdSpec& kd, int64_t step, int64_t totalSteps);
double kdAlphaAt(const KdSpec& kd, int64_t step, int64_t totalSteps);

}  // namespace distillery
