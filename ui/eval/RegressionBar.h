// The Evaluation panel's regression strip: sets the shown job's model as its task's baseline, and flags the job
// when a model falls more than the threshold below that baseline or exceeds the p99 latency budget — a red badge
// with task, metric, baseline and value (core/eval/Regression.h, the rule `eval check` applies).
#pragma once
#include "store/Store.h"

#include <QtWidgets/QWidget>

#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace distillery::ui {

class RegressionBar : public QWidget {
  Q_OBJECT
 public:
  explicit RegressionBar(QWidget* parent = nullptr);
  void setStore(const Store* store);
  // Re-reads the job's models, its task's baseline, and checks them (0: none).
  void showJob(qint64 jobId);

  QString task() const { return task_; }
  bool flagged() const { return flagged_; }
  QString badgeText() const;
  QComboBox* modelPicker() const { return model_; }
  QDoubleSpinBox* threshold() const { return threshold_; }
  QDoubleSpinBox* latencyBudget() const { return budget_; }
  QPushButton* setBaselineButton() const { return set_; }

 Q_SIGNALS:
  void baselineSet(const QString& task);

 private:
  void check();
  void setBaseline();

  std::optional<Store> store_;
  qint64 jobId_ = 0;
  QString task_;
  bool flagged_ = false;
  QComboBox* model_;
  QPushButton* set_;
  QDoubleSpinBox* threshold_;
  QDoubleSpinBox* budget_;
  QLabel* badge_;
};

}  // namespace distillery::ui
