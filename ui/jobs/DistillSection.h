// The job form's distillation page: divergence, τ and α with their schedules (previewed as a plot from core's
// schedule code), feature alignment, the teachers' mix, and (folded under Advanced) the teacher top-k cache. Its
// fields are named by their job keys (kd.*) like the rest of the form, so JobForm finds them for validation
// messages.
#pragma once
#include "train/JobSpec.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace distillery::ui {

class NumberSpinBox;
class SchedulePreview;

class DistillSection : public QWidget {
  Q_OBJECT
 public:
  explicit DistillSection(QWidget* parent = nullptr);
  void setKd(const KdSpec& kd);
  // The section's values over `base` (keys without a field keep base's). The first text the
  // section cannot read (a layer index, a weight) sets *problemKey and *problemMessage.
  KdSpec kd(const KdSpec& base, QString* problemKey, QString* problemMessage) const;
  SchedulePreview* preview() const { return preview_; }

 private:
  void fillSchedule(const QString& prefix, const ScheduleSpec& s);
  ScheduleSpec readSchedule(const QString& prefix) const;

  QComboBox *kdLoss_, *featureLoss_;
  NumberSpinBox *temperature_, *alpha_, *jsdBeta_, *featureWeight_, *teacherWeight_;
  QSpinBox *chunkTokens_, *cacheTopK_;
  QLineEdit *featureLayers_, *cacheDir_;
  QTableWidget* teachers_;
  SchedulePreview* preview_;
};

}  // namespace distillery::ui
