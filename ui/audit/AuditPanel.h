// The Audit panel: the workspace's hash-chained audit trail as a filterable table (action, object kind, user,
// text, time range), a Verify button that walks the chain off the UI thread and points at the first broken row,
// export to CSV/JSONL, and the lineage of an artefact (model folder or dataset file) as a tree.
#pragma once
#include "shell/Panels.h"
#include "shell/WorkspacePanel.h"
#include "store/Store.h"

#include <QtCore/QJsonObject>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace distillery::ui {

class AuditTableModel;
class BackgroundTask;

class AuditPanel : public WorkspacePanel {
  Q_OBJECT
 public:
  explicit AuditPanel(const PanelInfo& info, QWidget* parent = nullptr);
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;

  // What the buttons do, callable from tests. Each starts work off the UI thread; taskFinished() follows.
  void verify();
  void exportTo(const QString& file);
  void showLineage(const QString& path);

  AuditTableModel* model() const { return model_; }
  QTableView* view() const { return view_; }
  QComboBox* actionFilter() const { return action_; }
  QComboBox* objectFilter() const { return object_; }
  QComboBox* userFilter() const { return user_; }
  QLineEdit* textFilter() const { return text_; }
  QLineEdit* sinceFilter() const { return since_; }
  QLineEdit* untilFilter() const { return until_; }
  QPushButton* verifyButton() const { return verify_; }
  QLabel* resultLabel() const { return result_; }
  QTreeWidget* lineageTree() const { return tree_; }
  // Applies the filter boxes now (the text box otherwise waits a moment for typing to pause).
  void applyFilters();

 Q_SIGNALS:
  void taskFinished(bool ok);

 private:
  void reloadFilterChoices();
  void updateEnabled();
  void showResult(const QString& text, bool bad);
  void fillTree(QTreeWidgetItem* parent, const QJsonObject& node);

  std::optional<Store> store_;
  AuditTableModel* model_;
  QTableView* view_;
  QComboBox* action_;
  QComboBox* object_;
  QComboBox* user_;
  QLineEdit* text_;
  QLineEdit* since_;
  QLineEdit* until_;
  QPushButton* verify_;
  QPushButton* export_;
  QPushButton* refresh_;
  QLabel* result_;
  QLineEdit* lineagePath_;
  QPushButton* lineageFolder_;
  QPushButton* lineageFile_;
  QPushButton* lineageShow_;
  QTreeWidget* tree_;
  QTimer* textDelay_;
  BackgroundTask* task_;
  enum class Work { None, Verify, Export, Lineage } work_ = Work::None;
};

}  // namespace distillery::ui
