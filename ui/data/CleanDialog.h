// Settings of the Data panel's Clean action: the options of `distillery-cli data clean` (Unicode form, control
// characters, empty rows, length in characters or tokens, a script filter, exact and near dedup).
#pragma once
#include "data/DataActionDialog.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace distillery::ui {

class CleanDialog : public DataActionDialog {
  Q_OBJECT
 public:
  explicit CleanDialog(const DataActionInput& input, QWidget* parent = nullptr);

 protected:
  QString check(QWidget** field) const override;
  void fill(JobSpec& spec) const override;

 private:
  void updateEnabled();

  QComboBox* unicode_;
  QCheckBox* keepControl_;
  QCheckBox* keepEmpty_;
  QComboBox* lengthUnit_;
  QSpinBox* minLength_;
  QSpinBox* maxLength_;
  QComboBox* tokenizer_;
  QLineEdit* scripts_;
  QDoubleSpinBox* minScriptShare_;
  QCheckBox* exact_;
  QCheckBox* near_;
  QDoubleSpinBox* threshold_;
  QCheckBox* casefold_;
  QComboBox* field_;
};

}  // namespace distillery::ui
