// The "Human rating" page: the workspace's studies, a rater name (remembered), the rater view and the results
// view of the chosen study, and the study actions (new, reveal, export, import, delete). Errors show in the page's message
// line naming the file, line and field; nothing is stored then.
#pragma once
#include "shell/WorkspacePanel.h"
#include "store/StudyExchange.h"
#include "store/StudyStore.h"

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace distillery::ui {

class RaterView;
class ResultsView;
class StudyListModel;

class RatingPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit RatingPanel(QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  StudyListModel* studies() const { return studies_; }
  QTableView* studyTable() const { return table_; }
  RaterView* raterView() const { return rater_; }
  ResultsView* resultsView() const { return results_; }
  QTabWidget* tabs() const { return tabs_; }
  qint64 currentStudy() const { return current_ ? current_->id : 0; }
  QString messageText() const;

  // Tests and callers that skip the dialogs: confirmations (reveal, delete) and message boxes are off when false.
  void setDialogsEnabled(bool on) { dialogs_ = on; }
  void selectStudy(qint64 studyId);
  void setRater(const QString& name);
  void showRater();
  void showResults();
  // The actions; each reports success or the error in the message line.
  bool reveal();
  bool exportTo(const QString& path, StudyExport what);
  bool importFrom(const QString& path);
  void newStudy();
  // Deletes the chosen study with its items and ratings (StudyStore::remove), after a confirmation naming the study
  // and what is lost; there is no undo.
  bool removeStudy();

 private:
  void studyChosen();
  void refreshStudies();  // re-reads the list keeping the chosen study
  void updateActions();
  void setMessage(const QString& text, bool error);
  void exportWithDialog(StudyExport what);
  void importWithDialog();

  std::optional<Store> store_;
  std::optional<StudyInfo> current_;
  bool dialogs_ = true;
  bool refreshing_ = false;
  StudyListModel* studies_;
  QTableView* table_;
  QLineEdit* raterName_;
  QLabel* message_;
  QTabWidget* tabs_;
  RaterView* rater_;
  ResultsView* results_;
  QPushButton* newButton_;
  QPushButton* revealButton_;
  QPushButton* exportItemsButton_;
  QPushButton* exportRatingsButton_;
  QPushButton* importButton_;
  QPushButton* deleteButton_;
};

}  // namespace distillery::ui
