// The job form's quantization page (kind quantize, what `distillery-cli quantize` does as a queued job): the float
// model folder, the scheme (int8, int4 with its group size, or a plain f16/bf16 export), simulated int8
// activations, an adapter merged first, and the optional fidelity check against the float model (data.test with
// its windows). Fields are named by their job keys; the check's data.test / eval.* share their names with the
// evaluation page's, so JobForm looks a key up on the page of the current kind first.
#pragma once
#include "train/JobSpec.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;

namespace distillery::ui {

class QuantizeSection : public QWidget {
  Q_OBJECT
 public:
  explicit QuantizeSection(QWidget* parent = nullptr);
  // Shows the quantize keys of s (a job of another kind: the defaults, empty paths).
  void setSpec(const JobSpec& s);
  // Writes model, quantize, data (test only) and eval (the check's windows only) into s.
  void read(JobSpec& s) const;

 private:
  QLineEdit *model_, *adapter_, *test_;
  QComboBox *scheme_, *activations_;
  QSpinBox *seqLen_, *stride_, *maxSamples_;
};

}  // namespace distillery::ui
