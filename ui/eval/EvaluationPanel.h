// The Evaluation panel: an evaluation job's models × metrics (with the accuracy-drop pass rule), and the
// per-sample outputs side by side — exact matches green, misses amber, the selected sample's answers with the
// words that differ from the reference highlighted — filtered by text or to the samples where models disagree.
#pragma once
#include "eval/EvalModels.h"
#include "eval/SliceView.h"
#include "shell/WorkspacePanel.h"
#include "store/Store.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;
class QTextBrowser;

namespace distillery::ui {

class RegressionBar;

class EvaluationPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit EvaluationPanel(QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  // Shows the results of eval job id (0: none).
  void showJob(qint64 jobId);
  EvalMetricsModel* metricsModel() const { return metrics_; }
  EvalSamplesModel* samplesModel() const { return samples_; }
  EvalSamplesFilter* samplesFilter() const { return filter_; }
  QComboBox* jobPicker() const { return jobs_; }
  RegressionBar* regressionBar() const { return regression_; }
  SliceView* sliceView() const { return slices_; }
  // The HTML of the detail view for a row of samplesModel().
  QString detailHtml(int row) const;

 private:
  void showDetail();

  std::optional<Store> store_;
  QComboBox* jobs_;
  EvalMetricsModel* metrics_;
  EvalSamplesModel* samples_;
  EvalSamplesFilter* filter_;
  QTableView* metricsView_;
  QTableView* samplesView_;
  QLineEdit* search_;
  QCheckBox* disagree_;
  QTextBrowser* detail_;
  RegressionBar* regression_ = nullptr;
  SliceView* slices_ = nullptr;
};

// Words of output that do not occur in reference wrapped in <mark>, the rest HTML-escaped (a light diff that
// works for any language with spaces; characters for text without them).
QString markDifferences(const QString& output, const QString& reference);

}  // namespace distillery::ui
