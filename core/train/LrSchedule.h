// Learning-rate schedules as transformers' get_{cosine,linear,constant}_schedule_with_warmup define them: the
// update after `step` optimizer steps (0-based) uses lr·factor(step), with
//
//   warmup  (step < W):  step / max(1, W)                                   (the first update uses lr 0 when W > 0)
//   cosine:              max(0, ½·(1 + cos(π · (step − W) / max(1, T − W))))
//   linear:              max(0, (T − step) / max(1, T − W))
//   constant:            1
//
// The schedule is a pure function of the step, so a checkpoint only needs the step to restore it.
#pragma once
#include <QtCore/QString>

#include <cstdint>

namespace distillery {

enum class LrScheduleKind { Cosine, Linear, Constant };

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::Cosine;  // shape after the warmup
  double peakLr = 0;                             // lr at the end of the warmup
  int64_t warmupSteps = 0;                       // W: linear ramp from 0
  int64_t totalSteps = 0;                        // T: optimizer steps of the run

  // Throws Error(source, "train.scheduler", name, ...) for a name other than cosine | linear | constant.
  static LrScheduleKind parseKind(const QString& name, const QString& source = {});
  double factor(int64_t step) const;  // the multiplier above
  double lr(int64_t step) const { return peakLr * factor(step); }
};

}  // namespace distillery
