// The workbench window: a sidebar of panels, the workspace menu (new, open, recent), settings, About, and a
// status bar with the workspace and the compute it runs on.
#pragma once
#include "store/Workspace.h"

#include <QtWidgets/QMainWindow>

#include <memory>
#include <optional>

class QAbstractItemModel;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace distillery {
class JobRunner;
}

namespace distillery::ui {

class DemoBuild;
class WorkspacePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens (migrating if needed) or, with create, initialises the workspace at path. On failure the current
  // workspace stays open, the error is shown and returned by lastError().
  bool openWorkspace(const QString& path, bool create = false);
  void closeWorkspace();
  // Opens (creating if needed) the demo workspace at path and, when it is not built yet, builds it in a worker
  // thread with progress in the status bar (cancellable); panels are refreshed after each step.
  // fastForTests: a few training steps only.
  void openDemo(const QString& path, bool fastForTests = false);
  DemoBuild* demoBuild() const { return demo_; }
  // Tells every panel again about the open workspace, so they re-read what changed.
  void refreshPanels();
  bool hasWorkspace() const { return workspace_.has_value(); }
  const std::optional<Workspace>& workspace() const { return workspace_; }
  // The open workspace's job queue (nullptr without a workspace); jobs started from any panel go here.
  JobRunner* jobRunner() const { return runner_.get(); }
  QString lastError() const { return lastError_; }

  QStringList panelIds() const;
  WorkspacePanel* panel(const QString& id) const;
  QString currentPanel() const;
  void showPanel(const QString& id);

  // Error dialogs are window-modal and non-blocking; tests can turn them off and read lastError().
  void setErrorDialogsEnabled(bool on) { errorDialogs_ = on; }

 Q_SIGNALS:
  void workspaceChanged(const QString& root);
  // The demo build ended (ok false: failed or stopped).
  void demoFinished(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void rebuildRecentMenu();
  void newWorkspaceDialog();
  void openWorkspaceDialog();
  void showSettings();
  void showAbout();
  void showError(const QString& title, const QString& text);
  void updateStatus();
  void stopDemo(bool wait);

  QListWidget* sidebar_;
  QStackedWidget* stack_;
  QMenu* recentMenu_ = nullptr;
  QLabel* workspaceLabel_;
  QLabel* computeLabel_;
  std::optional<Workspace> workspace_;
  std::unique_ptr<JobRunner> runner_;
  DemoBuild* demo_ = nullptr;
  QWidget* demoBar_ = nullptr;  // the demo's progress bar and stop button in the status bar
  QString lastError_;
  bool errorDialogs_ = true;
};

}  // namespace distillery::ui
