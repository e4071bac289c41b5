// The Quantization panel: for an evaluation job with a baseline, every other model's fidelity (llama.cpp's KLD
// statistics, same top-1, Δp, perplexity ratio), its size, and the "accuracy drop < limit" rule as pass/fail;
// a bar chart of the chosen statistic and a box plot of each model's per-token KL divergence (p1, p25, median,
// p75, p99).
#pragma once
#include "eval/EvalModels.h"
#include "shell/WorkspacePanel.h"
#include "store/Store.h"

#include <optional>

class QCPBars;
class QComboBox;
class QCustomPlot;
class QLabel;
class QTableView;

namespace distillery::ui {

class QuantizationPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit QuantizationPanel(QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  void showJob(qint64 jobId);
  FidelityModel* model() const { return model_; }
  QComboBox* jobPicker() const { return jobs_; }
  QComboBox* statisticPicker() const { return statistic_; }
  QCustomPlot* barPlot() const { return bars_; }
  QCustomPlot* boxPlot() const { return boxes_; }
  QString summary() const;

 private:
  void replot();

  std::optional<Store> store_;
  QComboBox* jobs_;
  QComboBox* statistic_;
  FidelityModel* model_;
  QTableView* view_;
  QLabel* summary_;
  QCustomPlot* bars_;
  QCustomPlot* boxes_;
};

}  // namespace distillery::ui
