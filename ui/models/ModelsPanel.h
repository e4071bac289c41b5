// The Models panel: the workspace's teacher and student checkpoints. Add a model folder (button or drop a folder
// on the panel), give it a role, see its inspect facts (core/model/ModelFacts.h) and tokenizer check, prompt it
// in the quick prompt box, and see before any job starts whether the teacher and student can be distilled
// logit-to-logit (core/kd/Preflight.h: same tokenizer and vocabulary). Facts, preflight and generation run in
// worker threads; the panel only reads the store through short queries.
#pragma once
#include "shell/Panels.h"
#include "shell/WorkspacePanel.h"
#include "store/ModelStore.h"

#include <QtCore/QJsonObject>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace distillery::ui {

class BackgroundTask;
class ModelListModel;
class QuickPromptBox;

// The logit-KD check of the models marked teacher and student.
struct ModelsPreflight {
  enum class State {
    NoPair,    // no teacher or no student marked yet
    Checking,  // running in the worker
    Ok,        // logit KD possible (same tokenizer; maybe over the shared ids of a padded vocabulary)
    Refused,   // different tokenizers / vocabularies: the reason says how
    Failed,    // a file could not be read: the reason is the error
  } state = State::NoPair;
  QString verdict;  // verdictName(): "logit_kd", "shared_ids", "refused" (empty unless Ok/Refused)
  QString reason;   // preflight's explanation, or the error
  qint64 teacherId = 0, studentId = 0;
};

class ModelsPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit ModelsPanel(const PanelInfo& info, QWidget* parent = nullptr);
  ~ModelsPanel() override;
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  // Registers dir with role (ModelStore::addFolder) and selects it; false with errorText() saying why (missing
  // folder, no or bad config.json) and nothing written.
  bool addModelFolder(const QString& dir, ModelRole role);
  // Sets the role of the model with this id (preflight runs again).
  void setModelRole(qint64 id, ModelRole role);
  void selectModel(qint64 id);
  qint64 selectedModelId() const;  // 0: none

  QString errorText() const;
  ModelListModel* modelList() const { return list_; }
  QJsonObject facts() const { return facts_; }  // inspect facts of the selected model (empty until factsReady)
  ModelsPreflight preflightResult() const { return preflight_; }
  QuickPromptBox* promptBox() const { return prompt_; }

 Q_SIGNALS:
  void factsReady();        // facts() of the selected model (or errorText()) are in
  void preflightChecked();  // preflightResult() left the Checking state

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void refresh();
  void showError(const QString& text);
  void selectionChanged();
  void startFacts();
  void startPreflight();
  void showPreflight();
  void chooseFolder();
  ModelRole addRole() const;

  std::optional<Store> store_;
  ModelListModel* list_;
  QTableView* table_;
  QComboBox* addAs_;
  QPushButton* add_;
  QComboBox* role_;
  QPushButton* remove_;
  QLabel* error_;
  QTextBrowser* factsView_;
  QLabel* preflightLabel_;
  QuickPromptBox* prompt_;
  BackgroundTask* factsTask_;
  BackgroundTask* preflightTask_;
  QJsonObject facts_;
  QString factsDir_;             // the folder facts_ (or the running task) belongs to
  bool factsAgain_ = false;      // the selection changed while the facts task ran
  bool preflightAgain_ = false;  // the roles changed while the preflight task ran
  ModelsPreflight preflight_;
};

}  // namespace distillery::ui
