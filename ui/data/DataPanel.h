// The Data panel: the workspace's datasets with their lineage, a lazily loaded preview of the selected one
// (LazyRowModel), its statistics with a token-length histogram, and cleaning, deduplication and splitting. Import
// (drop a file on the panel or use the button), statistics and every action run in a worker (BackgroundTask) with
// progress and cancel, call the same core functions as `distillery-cli data ...` and register what they read and
// wrote in the datasets table as the CLI's --workspace does (core/store/DatasetRegistration.h).
#pragma once
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

namespace distillery {
struct CleanOptions;
}

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
  // Clean (drop empty rows, control characters, exact duplicates), dedup (exact and near, Jaccard 0.9) and split
  // (0.8/0.1/0.1, seed 0) the selected dataset into the workspace's data/ folder, registered as its children.
  bool startClean();
  bool startDedup();
  bool startSplit();
  void cancel();
  bool isBusy() const;

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
  qint64 lastOutputId() const { return lastOutputId_; }  // the dataset the last action registered (split: train)

 Q_SIGNALS:
  void actionFinished(bool ok, const QString& error);  // cancelled: !ok and error empty

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  bool start(const QString& label,
             const std::function<QJsonObject(const std::atomic_bool&, const std::function<void(double)>&)>& work);
  bool checkSelected(QString* path, qint64* id);
  bool startCleanFile(const QString& label, const QString& suffix, const QString& operation,
                      const CleanOptions& options);
  QString outputPath(const QString& source, const QString& suffix) const;
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
  QPushButton* cancel_;
  QComboBox* tokenizer_;
  QSpinBox* bins_;
  QProgressBar* progress_;
  QLabel* error_;
  QLabel* previewInfo_;
  QLabel* summary_;
  LengthHistogram* histogram_;
  BackgroundTask* task_;
  QTimer* timer_;
  QJsonObject statsJson_;
  qint64 lastOutputId_ = 0;
};

}  // namespace distillery::ui
