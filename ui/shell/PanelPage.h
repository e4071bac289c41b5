// A plain panel page: heading, what the panel is for, and the rows of one workspace table (or an empty state).
// Panels without their own widget yet use it.
#pragma once
#include "shell/Panels.h"
#include "shell/WorkspacePanel.h"
#include "store/StoreModels.h"

#include <optional>

class QAbstractItemModel;
class QLabel;
class QTableView;
class QVBoxLayout;

namespace distillery::ui {

class PanelPage : public WorkspacePanel {
  Q_OBJECT
 public:
  // table: the workspace table the page lists when a workspace is open (none: only the description).
  PanelPage(const PanelInfo& info, std::optional<StoreTable> table, QWidget* parent = nullptr);
  const QString& id() const { return id_; }
  void setWorkspace(const Workspace* ws, JobRunner* runner) override;
  // Shows model in the page's table (replacing any previous one); nullptr shows the empty-state text.
  void setTableModel(QAbstractItemModel* model);
  QTableView* table() const { return table_; }
  // Adds a widget under the description (e.g. the Curves panel's plot).
  void addContent(QWidget* widget);

 private:
  void updateEmptyState();
  QString id_;
  std::optional<StoreTable> storeTable_;
  QVBoxLayout* layout_;
  QLabel* empty_;
  QTableView* table_;
  bool hasContent_ = false;  // a widget from addContent() replaces the empty-state text
};

}  // namespace distillery::ui
