// The Curves panel: live training and validation curves of the workspace's jobs. A run list and a metric list
// (checkable) pick what is overlaid; smoothing, log-y and the x-axis sit above the plot; exports go to PNG, SVG
// or CSV. A 10 Hz timer reads only the rows each shown job logged since the last tick (MetricReader) and
// replots once (rpQueuedReplot); jobs are listed again when the job runner reports a status change, and when the
// jobs table's stamp (core/jobs/JobListStamp.h, checked once a second on the same timer) says that another
// process (`distillery-cli train` on this workspace) added or moved a job.
#pragma once
#include "curves/CurveSettings.h"
#include "shell/WorkspacePanel.h"
#include "store/MetricReader.h"

#include <map>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QSlider;
class QTimer;
class QToolButton;

namespace distillery::ui {

class CheckListModel;
class CurvePlot;

class CurvePanel : public WorkspacePanel {
  Q_OBJECT
 public:
  static constexpr int kTickMs = 100;
  static constexpr int kRowsPerTick = 200000;  // a long job's history loads over a few ticks, not in one stall
  static constexpr int kJobPollMs = 1000;      // how often the jobs table is checked for other processes' jobs

  explicit CurvePanel(QWidget* parent = nullptr);
  ~CurvePanel() override;
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  CurvePlot* plot() const { return plot_; }
  CheckListModel* jobModel() const { return jobs_; }
  CheckListModel* metricModel() const { return metrics_; }
  QSlider* smoothingSlider() const { return smoothing_; }
  QCheckBox* showRawBox() const { return showRaw_; }
  QCheckBox* logYBox() const { return logY_; }
  QComboBox* xAxisBox() const { return xAxis_; }

  // Lists the workspace's jobs again (new ones, names, statuses); the first time, checks the running jobs or
  // else the newest one with metrics.
  void refreshJobs();
  // One timer tick: reads the new rows of the checked jobs into the plot and replots if any arrived; once every
  // kJobPollMs, lists the jobs again if the jobs table changed.
  void poll();
  // Asks for a file and exports (the dialogs); the errors show in the status line.
  void exportAs(const QString& format);

 private:
  void applySettings();
  void saveSettings();
  void updateShown();
  void refreshMetricList();
  void jobStatusChanged(qint64 id, const QString& status);
  void pollJobList();

  const Workspace* ws_ = nullptr;
  CurveSettings settings_;
  CurvePlot* plot_;
  CheckListModel* jobs_;
  CheckListModel* metrics_;
  QListView* jobView_;
  QListView* metricView_;
  QSlider* smoothing_;
  QLabel* smoothingValue_;
  QCheckBox* showRaw_;
  QCheckBox* logY_;
  QComboBox* xAxis_;
  QToolButton* export_;
  QLabel* status_;
  QTimer* timer_;
  std::map<qint64, std::unique_ptr<MetricReader>> readers_;
  bool jobsListed_ = false;
  QString jobStamp_;          // jobListStamp at the last listing
  qint64 lastJobPollMs_ = 0;  // QDateTime::currentMSecsSinceEpoch of the last stamp check
  bool polling_ = false;
};

}  // namespace distillery::ui
