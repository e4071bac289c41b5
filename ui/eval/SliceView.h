// The Evaluation panel's slice and robustness section: one model's metrics broken down by a row field (field and
// model chooser, the largest gap highlighted, small slices greyed), and every model's accuracy change under the
// job's perturbations.
#pragma once
#include "eval/SliceModels.h"
#include "store/Store.h"

#include <QtWidgets/QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace distillery::ui {

class SliceView : public QWidget {
  Q_OBJECT
 public:
  explicit SliceView(QWidget* parent = nullptr);
  // A job's evaluations and the store their samples are read from (rows empty: nothing shown).
  void setEvaluations(const std::optional<Store>& store, const QList<EvaluationRow>& rows);

  QComboBox* modelPicker() const { return models_; }
  QComboBox* fieldPicker() const { return fields_; }
  QSpinBox* minSizeBox() const { return minSize_; }
  SliceTableModel* sliceModel() const { return slices_; }
  RobustnessModel* robustnessModel() const { return robustness_; }
  QString statusText() const;

 private:
  void loadModel();
  void recompute();

  std::optional<Store> store_;
  QList<EvaluationRow> rows_;
  std::vector<EvalSampleRow> samples_;  // of the chosen model
  QComboBox* models_;
  QComboBox* fields_;
  QSpinBox* minSize_;
  QLabel* status_;
  SliceTableModel* slices_;
  RobustnessModel* robustness_;
  QTableView* sliceTable_;
  QTableView* robustnessTable_;
};

}  // namespace distillery::ui
