// Settings of the Data panel's Deduplicate action: the options of `distillery-cli data dedup` (compared field,
// Jaccard threshold, MinHash permutations, shingle size and seed, case folding). Rows are written verbatim.
#pragma once
#include "data/DataActionDialog.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace distillery::ui {

class DedupDialog : public DataActionDialog {
  Q_OBJECT
 public:
  explicit DedupDialog(const DataActionInput& input, QWidget* parent = nullptr);

 protected:
  QString check(QWidget** field) const override;
  void fill(JobSpec& spec) const override;

 private:
  QComboBox* field_;
  QDoubleSpinBox* threshold_;
  QSpinBox* numPerm_;
  QSpinBox* shingle_;
  QSpinBox* seed_;
  QCheckBox* casefold_;
};

}  // namespace distillery::ui
