// What the Curves panel remembers between runs (QSettings, group "curves"): smoothing, raw curves, log-y, x-axis,
// metrics.
#pragma once
#include "curves/CurveBuffer.h"

#include <QtCore/QStringList>

namespace distillery::ui {

struct CurveSettings {
  double smoothing = 0.6;  // TensorBoard's default EMA weight
  bool showRaw = true;     // the faint raw curve behind each smoothed one (TensorBoard draws it too)
  bool logY = false;
  CurveAxis xAxis = CurveAxis::Step;
  QStringList metrics = {QStringLiteral("loss"), QStringLiteral("val_loss")};  // checked in the metric list

  static CurveSettings load();
  void save() const;
};

}  // namespace distillery::ui
