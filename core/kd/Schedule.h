// How τ and α change over a distillation run (KdSpec's temperatureSchedule / alphaSchedule). scheduleValue itself
// is declared in kd/ScheduleCurve.h (torch-free, so the GUI's schedule preview uses the same code):
//
//   constant  start
//   linear    start + (end − start)·t,                 t = step / (totalSteps − 1), clamped to [0, 1]
//   cosine    end + (start − end)·(1 + cos(π·t)) / 2   (start at step 0, end at the last step)
//   stages    start + perStage·k, k = ⌊step·stages / totalSteps⌋ clamped to [0, stages − 1]: the run cut into
//             `stages` equal parts (the seeds' progressive KD: τ = 3.0 − 0.8·k, α = 0.5 + 0.15·k, 3 stages)
//
// Steps are 0-based optimizer steps; the last step is totalSteps − 1. With totalSteps ≤ 1, t = 0 (start).
//
//   double tau = scheduleValue(spec.kd.temperatureSchedule, step, spec.train.maxSteps);
//   KdLossOptions o = kdOptionsAtStep(spec.kd, step, spec.train.maxSteps);
#pragma once
#include "kd/KdLoss.h"
#include "kd/ScheduleCurve.h"
#include "train/JobSpec.h"

#include <cstdint>

namespace distillery {

// The loss options of a KD job at `step`: divergence, β and chunk size from the spec; τ and α from their
// schedules, or kd.temperature / kd.alpha where the schedule's kind is "constant" (its start is ignored then,
// so a job that only sets "temperature" means what it says).
KdLossOptions kdOptionsAtStep(const KdSpec& kd, int64_t step, int64_t totalSteps);

}  // namespace distillery
