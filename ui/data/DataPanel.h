// The Data panel: the workspace's datasets with their lineage, a lazily loaded preview of the selected one
// (LazyRowModel), its statistics with a token-length histogram, and the clean, deduplicate, split and
// teacher-generate actions. Import (drop a file on the panel or use the button) and statistics run in a worker
// (BackgroundTask) and register what they read as the CLI's --workspace does (core/store/DatasetRegistration.h).
// The four actions open their settings dialog (CleanDialog, ...) and run as jobs of kind "data" on the workspace's
// JobRunner, so they queue in the Jobs panel with progress, cancel and logs; the panel's status line follows the
// job it started, and when it ends the list is re-read and the derived dataset selected.
#pragma once
#include "data/DataActionDialog.h"
#include "shell/Panels.h"
#include "shell/WorkspacePanel.h"
#include "store/Store.h"

#include <QtCore/QJsonObject>

#include <atomic>
#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace distillery::ui {

class BackgroundTask;
class DatasetListModel;
class LazyRowModel;
class LengthHistogram;

class DataPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit DataPanel(const PanelInfo& info, QWidget* parent = nullptr);
  ~DataPanel() override;
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  // Each starts a worker and returns true, or returns false with errorText() set (no workspace, nothing selected,
  // a run going on, a missing file). actionFinished() follows a true.
  // Import: reads every row (count, schema, bad rows), hashes the file and registers it as a source.
  bool importDataset(const QString& path);
  // Statistics of the selected dataset (chars; tokens with the tokenizer of tokenizerDir()), stored on its row.
  bool startStats();
  // What an action dialog is opened on: the selected dataset, its columns, the workspace's models, the devices.
  DataActionInput actionInput() const;
  // Opens the settings dialog of op (clean | dedup | split | generate) on the selected dataset and, when it is
  // accepted, starts its job. Returns the job id, 0 when cancelled or refused (errorText() says why).
  qint64 openAction(const QString& op);
  // Queues a kind "data" job (an action dialog's job()) on the runner and follows it in the status line. Returns
  // its id, or 0 with errorText() set (no runner, a job of this panel still running, a spec the runner refuses).
  // actionFinished() follows when the job ends.
  qint64 startJob(const QJsonObject& job);
  qint64 currentJob() const { return jobId_; }  // the job the status line follows (0: none)
  QString statusText() const;                   // the status line: the running job, or how the last one ended
  // Stops the running import or statistics, or cancels the job the status line follows.
  void cancel();
  bool isBusy() const;  // a worker or the followed job is running

  void selectDataset(qint64 id);
  qint64 selectedDatasetId() const;  // 0: none
  // The folder whose tokenizer.json counts tokens for statistics (empty: characters only). Defaults to the first
  // workspace model with a tokenizer.
  void setTokenizerDir(const QString& dir);
  QString tokenizerDir() const;

  QString errorText() const;
  DatasetListModel* datasetList() const { return list_; }
  LazyRowModel* preview() const { return preview_; }
  QJsonObject stats() const { return statsJson_; }  // of the selected dataset: computed, or stored on its row
  LengthHistogram* histogram() const { return histogram_; }
  // The dataset the last import, statistics or job registered (split: train).
  qint64 lastOutputId() const { return lastOutputId_; }

 Q_SIGNALS:
  void actionFinished(bool ok, const QString& error);  // cancelled: !ok and error empty

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  bool start(const QString& label,
             const std::function<QJsonObject(const std::atomic_bool&, const std::function<void(double)>&)>& work);
  bool checkSelected(QString* path, qint64* id);
  void followJob();
  void jobStatusChanged(qint64 id, const QString& status);
  qint64 derivedDataset(const QString& output) const;
  QString lineageText(qint64 id) const;
  void selectionChanged();
  void showStats(const QJsonObject& stats);
  void showError(const QString& text);
  void fillTokenizers();
  void updateEnabled();

  std::optional<Store> store_;
  QString root_;  // the workspace folder
  DatasetListModel* list_;
  LazyRowModel* preview_;
  QTableView* table_;
  QTableView* previewView_;
  QPushButton* import_;
  QPushButton* stats_;
  QPushButton* clean_;
  QPushButton* dedup_;
  QPushButton* split_;
  QPushButton* generate_;
  QPushButton* cancel_;
  QComboBox* tokenizer_;
  QSpinBox* bins_;
  QProgressBar* progress_;
  QLabel* error_;
  QLabel* status_;  // the followed job: running with its progress, or how it ended
  QLabel* previewInfo_;
  QLabel* summary_;
  LengthHistogram* histogram_;
  BackgroundTask* task_;
  QTimer* timer_;
  QJsonObject statsJson_;
  qint64 lastOutputId_ = 0;
  JobRunner* runner_ = nullptr;
  QMetaObject::Connection runnerConnection_;
  qint64 jobId_ = 0;       // the job the status line follows
  QJsonObject jobJson_;    // its JSON (op, output)
  bool jobRunning_ = false;
};

}  // namespace distillery::ui
