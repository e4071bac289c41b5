#include "shell/PanelPage.h"

#include "store/Workspace.h"

#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

PanelPage::PanelPage(const PanelInfo& info, std::optional<StoreTable> table, QWidget* parent)
    : WorkspacePanel(parent), id_(info.id), storeTable_(table), layout_(new QVBoxLayout(this)), empty_(new QLabel(this)), table_(new QTableView(this)) {
  setObjectName(QStringLiteral("panel_") + info.id);
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(info.title.toHtmlEscaped()), this);
  auto* about = new QLabel(info.description, this);
  about->setWordWrap(true);
  empty_->setObjectName(QStringLiteral("emptyState"));
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  table_->setObjectName(QStringLiteral("table"));
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setAlternatingRowColors(true);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  table_->hide();
  layout_->addWidget(heading);
  layout_->addWidget(about);
  layout_->addWidget(table_, 1);
  layout_->addWidget(empty_, 1);
  updateEmptyState();
}

void PanelPage::setWorkspace(const Workspace* ws, JobRunner*) {
  if (!storeTable_) return;
  QAbstractItemModel* old = table_->model();
  setTableModel(ws ? makeStoreTableModel(ws->store(), *storeTable_, this) : nullptr);
  delete old;  // its query holds the old connection, which is closed next
}

void PanelPage::setTableModel(QAbstractItemModel* model) {
  table_->setModel(model);
  if (model) {
    connect(model, &QAbstractItemModel::modelReset, this, &PanelPage::updateEmptyState);
    connect(model, &QAbstractItemModel::rowsInserted, this, &PanelPage::updateEmptyState);
  }
  updateEmptyState();
}

void PanelPage::addContent(QWidget* widget) {
  hasContent_ = true;
  empty_->hide();
  layout_->insertWidget(layout_->indexOf(empty_), widget, 1);
}

void PanelPage::updateEmptyState() {
  QAbstractItemModel* model = table_->model();
  const bool hasRows = model && model->rowCount() > 0;
  table_->setVisible(model != nullptr);
  empty_->setVisible(!hasRows && !hasContent_);
  empty_->setText(model ? tr("Nothing here yet in this workspace.") : tr("Open or create a workspace to begin."));
}

}  // namespace distillery::ui
