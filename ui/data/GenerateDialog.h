// Settings of the Data panel's Generate action: a teacher answers each row's prompt (`distillery-cli data
// generate`): the teacher picked from the workspace's models or a folder, sampling (temperature, top-p, top-k, max
// new tokens, repetition penalty, seed, or greedy), the prompt field, batch size, a row limit and the device.
#pragma once
#include "data/DataActionDialog.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace distillery::ui {

class GenerateDialog : public DataActionDialog {
  Q_OBJECT
 public:
  explicit GenerateDialog(const DataActionInput& input, QWidget* parent = nullptr);
  // Picks (adding when new) this folder as the teacher, as "Folder…" does after its dialog.
  void setTeacherFolder(const QString& folder);
  QString teacher() const;

 protected:
  QString check(QWidget** field) const override;
  void fill(JobSpec& spec) const override;

 private:
  void updateEnabled();

  QComboBox* teacher_;
  QCheckBox* greedy_;
  QDoubleSpinBox* temperature_;
  QDoubleSpinBox* topP_;
  QSpinBox* topK_;
  QSpinBox* maxNew_;
  QDoubleSpinBox* penalty_;
  QSpinBox* seed_;
  QComboBox* promptField_;
  QComboBox* answerField_;
  QSpinBox* batch_;
  QSpinBox* limit_;
  QComboBox* device_;
  QComboBox* dtype_;
  int folderItem_ = -1;  // the "Folder…" entry
};

}  // namespace distillery::ui
