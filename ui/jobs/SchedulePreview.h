// The τ(step) and α(step) curves of a distillation job, drawn from core's schedule code (kd/ScheduleCurve.h)
// so the preview is what the loss will use. Redrawn when the form changes (not per keystroke: the form batches).
#pragma once
#include "train/JobSpec.h"

#include <QtCore/QVector>
#include <QtWidgets/QWidget>

class QCustomPlot;
class QLabel;

namespace distillery::ui {

class SchedulePreview : public QWidget {
  Q_OBJECT
 public:
  explicit SchedulePreview(QWidget* parent = nullptr);
  // Samples both schedules over steps 0 .. totalSteps − 1 (at most kMaxPoints steps, evenly spread, last included).
  // An invalid schedule clears the plot and shows why.
  void setSchedule(const KdSpec& kd, int64_t totalSteps);
  static constexpr int kMaxPoints = 400;

  const QVector<double>& steps() const { return steps_; }
  const QVector<double>& temperatures() const { return tau_; }
  const QVector<double>& alphas() const { return alpha_; }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_;
  QLabel* error_;
  QVector<double> steps_, tau_, alpha_;
};

}  // namespace distillery::ui
