// The Jobs page: the job form (Configure) and the queue (Queue) of the open workspace, run by MainWindow's
// JobRunner. A 10 Hz timer copies the runner's snapshots into the table (never a signal per step); the runner's
// jobStatusChanged re-reads the rows. The selected job shows its log (status changes, the job's messages, last
// metrics) and, when it failed, its error with a suggested fix. The device line shows GPU utilisation and
// memory from NVML, or "no GPU".
#pragma once
#include "shell/Panels.h"
#include "shell/WorkspacePanel.h"
#include "train/JobSpec.h"

#include <QtCore/QJsonObject>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace distillery::ui {

class JobForm;
class JobTableModel;

class JobsPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit JobsPanel(const PanelInfo& info, QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  JobForm* form() const { return form_; }
  JobTableModel* jobsModel() const { return model_; }
  QTableView* jobsView() const { return view_; }
  // Queues the form's job (as the Start button does); returns its id, or 0 when it was refused (why: lastError()).
  qint64 startJob(const JobSpec& spec, const QJsonObject& json);
  void selectJob(qint64 id);
  qint64 selectedJob() const;
  QString lastError() const { return lastError_; }
  // The text of the details area of the selected job (error, hint, log), for tests and copying.
  QString detailsText() const;

 private:
  void tick();
  void updateButtons();
  void updateDetails();
  void updateGpu();
  void act(bool (JobRunner::*command)(qint64));

  JobRunner* runner_ = nullptr;
  const Workspace* ws_ = nullptr;
  QTabWidget* tabs_;
  JobForm* form_;
  JobTableModel* model_;
  QTableView* view_;
  QPushButton *pause_, *resume_, *cancel_;
  QLabel *gpu_, *error_, *hint_;
  QPlainTextEdit* log_;
  QTimer* timer_;
  int ticks_ = 0;
  QString lastError_;
  QString lastMetrics_;  // the selected job's last metrics, re-read once a second
};

}  // namespace distillery::ui
