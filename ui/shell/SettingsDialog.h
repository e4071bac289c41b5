// Workspace → Settings: compute threads and language, stored with AppSettings on OK.
#pragma once
#include <QtWidgets/QDialog>

class QComboBox;
class QSpinBox;

namespace distillery::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SettingsDialog(QWidget* parent = nullptr);
  void accept() override;

 private:
  QSpinBox* threads_;
  QComboBox* language_;
};

}  // namespace distillery::ui
