// The Compare panel — the view the product is named for: the chosen training runs' loss curves overlaid, an
// evaluation job's automatic scores and quantization fidelity, and a rating study's human scores, side by side.
#pragma once
#include "compare/HumanScoresModel.h"
#include "compare/SliceCompareView.h"
#include "eval/EvalModels.h"
#include "shell/WorkspacePanel.h"
#include "store/Store.h"

#include <optional>

class QComboBox;
class QCustomPlot;
class QListWidget;
class QTableView;

namespace distillery::ui {

class AbComparisonView;

class ComparePanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit ComparePanel(QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  QListWidget* runList() const { return runs_; }
  QComboBox* evalPicker() const { return evalJobs_; }
  QComboBox* studyPicker() const { return studies_; }
  QCustomPlot* curves() const { return plot_; }
  EvalMetricsModel* scores() const { return scores_; }
  FidelityModel* fidelity() const { return fidelity_; }
  HumanScoresModel* humanScores() const { return human_; }
  AbComparisonView* abComparison() const { return ab_; }
  SliceCompareView* slices() const { return slices_; }
  // Redraws the curves of the checked runs.
  void replotRuns();

 private:
  void fillRuns();
  void fillStudies();
  void showEval();
  void showStudy();

  std::optional<Store> store_;
  QListWidget* runs_;
  QComboBox* evalJobs_;
  QComboBox* studies_;
  QCustomPlot* plot_;
  EvalMetricsModel* scores_;
  FidelityModel* fidelity_;
  HumanScoresModel* human_;
  AbComparisonView* ab_ = nullptr;
  SliceCompareView* slices_ = nullptr;
};

}  // namespace distillery::ui
