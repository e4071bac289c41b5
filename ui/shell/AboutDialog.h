// Help → About: versions of Distillery, Qt, LibTorch and BLAS; CUDA and the GPUs found.
#pragma once
#include "runtime/Runtime.h"

#include <QtWidgets/QDialog>

namespace distillery::ui {

class AboutDialog : public QDialog {
  Q_OBJECT
 public:
  explicit AboutDialog(const RuntimeInfo& info, QWidget* parent = nullptr);
  // The text shown, as plain text (tests read it).
  QString text() const { return text_; }

 private:
  QString text_;
};

}  // namespace distillery::ui
