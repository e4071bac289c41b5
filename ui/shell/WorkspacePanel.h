// Base of every page in the workbench's sidebar. MainWindow tells each panel when a workspace opens or closes;
// a panel reads the store on the UI thread only through Qt models and short queries, and runs anything heavy
// (model loading, generation, statistics) in a worker or as a job on the runner.
#pragma once
#include <QtWidgets/QWidget>

namespace distillery {
class Workspace;
class JobRunner;
}  // namespace distillery

namespace distillery::ui {

class WorkspacePanel : public QWidget {
  Q_OBJECT
 public:
  using QWidget::QWidget;
  // ws: the open workspace, valid until the next call; nullptr when none is open. runner: that workspace's job
  // queue (nullptr with ws). Called on the UI thread; a panel drops every model and query of the old workspace
  // here (their connection is closed right after).
  virtual void setWorkspace(const Workspace* ws, JobRunner* runner) = 0;
};

}  // namespace distillery::ui
