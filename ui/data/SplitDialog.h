// Settings of the Data panel's Split action: the options of `distillery-cli data split` (train/validation/test
// ratios summing to 1, shuffle seed, a stratify field picked from the dataset's columns, the near-duplicate
// threshold that keeps clusters within one split).
#pragma once
#include "data/DataActionDialog.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace distillery::ui {

class SplitDialog : public DataActionDialog {
  Q_OBJECT
 public:
  explicit SplitDialog(const DataActionInput& input, QWidget* parent = nullptr);

 protected:
  QString check(QWidget** field) const override;
  void fill(JobSpec& spec) const override;

 private:
  QDoubleSpinBox* train_;
  QDoubleSpinBox* validation_;
  QDoubleSpinBox* test_;
  QSpinBox* seed_;
  QComboBox* stratify_;
  QDoubleSpinBox* threshold_;
  QComboBox* field_;
};

}  // namespace distillery::ui
