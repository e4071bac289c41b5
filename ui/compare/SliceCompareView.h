// The Compare panel's per-slice section: one metric per value of a row field, for each model of the chosen
// evaluation job side by side (each model's largest gap highlighted).
#pragma once
#include "eval/SliceModels.h"
#include "store/Store.h"

#include <QtWidgets/QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QTableView;

namespace distillery::ui {

class SliceCompareView : public QWidget {
  Q_OBJECT
 public:
  explicit SliceCompareView(QWidget* parent = nullptr);
  void setEvaluations(const std::optional<Store>& store, const QList<EvaluationRow>& rows);

  QComboBox* fieldPicker() const { return fields_; }
  QComboBox* metricPicker() const { return metrics_; }
  SliceCompareModel* model() const { return model_; }

 private:
  void recompute();

  QStringList labels_;
  std::vector<std::vector<EvalSampleRow>> samples_;  // per model
  QComboBox* fields_;
  QComboBox* metrics_;
  QLabel* status_;
  SliceCompareModel* model_;
};

}  // namespace distillery::ui
