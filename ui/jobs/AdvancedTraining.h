// The Training page's "Advanced" group: AdamW's weight decay, betas and eps, gradient clipping, early stopping
// and the bad-step limit (train.* keys a run rarely changes). Folded by default; its fields are named by their job
// keys like the rest of the form.
#pragma once
#include "jobs/CollapsibleSection.h"
#include "train/JobSpec.h"

class QSpinBox;

namespace distillery::ui {

class NumberSpinBox;

class AdvancedTraining : public CollapsibleSection {
  Q_OBJECT
 public:
  explicit AdvancedTraining(QWidget* parent = nullptr);
  void setTrain(const TrainSpec& t);
  // Writes the group's keys into t (the others are left as they are).
  void read(TrainSpec& t) const;

 private:
  NumberSpinBox *weightDecay_, *beta1_, *beta2_, *eps_, *maxGradNorm_, *earlyStop_;
  QSpinBox *patience_, *maxBadSteps_;
};

}  // namespace distillery::ui
