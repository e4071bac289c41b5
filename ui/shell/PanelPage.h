// A panel's page in the shell: heading, what the panel is for, and the workspace rows it shows.
#pragma once
#include "shell/Panels.h"

#include <QtWidgets/QWidget>

class QAbstractItemModel;
class QLabel;
class QTableView;
class QVBoxLayout;

namespace distillery::ui {

class PanelPage : public QWidget {
  Q_OBJECT
 public:
  explicit PanelPage(const PanelInfo& info, QWidget* parent = nullptr);
  const QString& id() const { return id_; }
  // Shows model in the page's table (replacing any previous one); nullptr shows the empty-state text.
  void setTableModel(QAbstractItemModel* model);
  QTableView* table() const { return table_; }
  // Adds a widget under the description (e.g. the Curves panel's plot).
  void addContent(QWidget* widget);

 private:
  void updateEmptyState();
  QString id_;
  QVBoxLayout* layout_;
  QLabel* empty_;
  QTableView* table_;
  bool hasContent_ = false;  // a widget from addContent() replaces the empty-state text
};

}  // namespace distillery::ui
