#include "rating/RatingPanel.h"

#include "common/Error.h"
#include "rating/CreateStudyDialog.h"
#include "rating/RaterView.h"
#include "rating/ResultsView.h"
#include "rating/StudyListModel.h"
#include "store/Workspace.h"

#include <QtCore/QSettings>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {
const QString kRaterKey = QStringLiteral("rating/rater");
}

RatingPanel::RatingPanel(QWidget* parent)
    : WorkspacePanel(parent),
      studies_(new StudyListModel(this)),
      table_(new QTableView(this)),
      raterName_(new QLineEdit(this)),
      message_(new QLabel(this)),
      tabs_(new QTabWidget(this)),
      rater_(new RaterView(this)),
      results_(new ResultsView(this)),
      newButton_(new QPushButton(tr("&New study…"), this)),
      revealButton_(new QPushButton(tr("Re&veal models…"), this)),
      exportItemsButton_(new QPushButton(tr("Export &items…"), this)),
      exportRatingsButton_(new QPushButton(tr("Export ra&tings…"), this)),
      importButton_(new QPushButton(tr("I&mport ratings…"), this)),
      deleteButton_(new QPushButton(tr("&Delete study…"), this)) {
  setObjectName(QStringLiteral("panel_rating"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Human rating").toHtmlEscaped()), this));

  auto* bar = new QHBoxLayout;
  auto* raterLabel = new QLabel(tr("R&ater:"), this);
  raterLabel->setBuddy(raterName_);
  raterName_->setObjectName(QStringLiteral("raterName"));
  raterName_->setPlaceholderText(tr("your name"));
  raterName_->setToolTip(tr("Who is rating: each rater's ratings are stored apart (remembered between sessions)."));
  raterName_->setMaximumWidth(200);
  raterName_->setText(QSettings().value(kRaterKey).toString());
  bar->addWidget(raterLabel);
  bar->addWidget(raterName_);
  bar->addStretch(1);
  newButton_->setToolTip(tr("Create a rubric or blind pairwise study from a JSONL file or an evaluation job."));
  revealButton_->setToolTip(tr("Show the model names of this study from now on (recorded; cannot be undone)."));
  exportItemsButton_->setToolTip(tr("Save the study's items as CSV, JSONL or JSON (blinded until revealed)."));
  exportRatingsButton_->setToolTip(tr("Save every rater's ratings as CSV, JSONL or JSON."));
  importButton_->setToolTip(tr("Add ratings collected elsewhere (CSV, JSONL or JSON); checked first, all or nothing."));
  deleteButton_->setObjectName(QStringLiteral("deleteStudy"));
  deleteButton_->setToolTip(tr("Delete this study with its items and every rater's ratings (asks first; cannot be "
                               "undone: export the ratings first to keep them)."));
  for (QPushButton* b :
       {newButton_, revealButton_, exportItemsButton_, exportRatingsButton_, importButton_, deleteButton_})
    bar->addWidget(b);
  layout->addLayout(bar);

  message_->setObjectName(QStringLiteral("ratingMessage"));
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->hide();
  layout->addWidget(message_);

  auto* split = new QSplitter(Qt::Horizontal, this);
  table_->setObjectName(QStringLiteral("studyTable"));
  table_->setModel(studies_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->horizontalHeader()->setMaximumSectionSize(260);  // a long study name wraps instead of taking the row
  table_->setWordWrap(true);
  table_->setMinimumWidth(360);
  table_->setToolTip(tr("The workspace's studies; choose one to rate it or see its results."));
  split->addWidget(table_);
  tabs_->addTab(rater_, tr("&Rate"));
  tabs_->addTab(results_, tr("Res&ults"));
  split->addWidget(tabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  layout->addWidget(split, 1);

  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RatingPanel::studyChosen);
  connect(raterName_, &QLineEdit::editingFinished, this, [this] { setRater(raterName_->text()); });
  connect(rater_, &RaterView::ratingSaved, this, &RatingPanel::refreshStudies);
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (tabs_->currentWidget() == results_) results_->setStudy(store_, current_);
  });
  connect(newButton_, &QPushButton::clicked, this, &RatingPanel::newStudy);
  connect(revealButton_, &QPushButton::clicked, this, [this] { reveal(); });
  connect(exportItemsButton_, &QPushButton::clicked, this, [this] { exportWithDialog(StudyExport::Items); });
  connect(exportRatingsButton_, &QPushButton::clicked, this, [this] { exportWithDialog(StudyExport::Ratings); });
  connect(importButton_, &QPushButton::clicked, this, &RatingPanel::importWithDialog);
  connect(deleteButton_, &QPushButton::clicked, this, [this] { removeStudy(); });
  rater_->setRater(raterName_->text());
  updateActions();
}

void RatingPanel::setWorkspace(const Workspace* ws, JobRunner*) {
  // Drop everything that reads the old store before its connection closes.
  current_.reset();
  rater_->setStudy(std::nullopt, std::nullopt);
  results_->setStudy(std::nullopt, std::nullopt);
  store_ = ws ? std::optional<Store>(ws->store()) : std::nullopt;
  message_->hide();
  try {
    studies_->setStore(store_);
  } catch (const Error& e) {
    studies_->setStore(std::nullopt);
    setMessage(e.message(), true);
  }
  if (studies_->rowCount() > 0) table_->selectRow(0);
  updateActions();
}

void RatingPanel::studyChosen() {
  if (refreshing_) return;
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  std::optional<StudyInfo> chosen;
  if (!rows.isEmpty()) chosen = studies_->study(rows.first().row());
  if ((chosen ? chosen->id : 0) == currentStudy()) return;
  current_ = chosen;
  rater_->setStudy(store_, current_);
  if (tabs_->currentWidget() == results_)
    results_->setStudy(store_, current_);
  else
    results_->setStudy(std::nullopt, std::nullopt);  // computed when the tab is shown
  updateActions();
}

void RatingPanel::refreshStudies() {
  refreshing_ = true;
  try {
    studies_->refresh();
  } catch (const Error& e) {
    setMessage(e.message(), true);  // the list keeps its old rows' values; the rating itself is stored
  }
  const int row = current_ ? studies_->rowOf(current_->id) : -1;
  if (row >= 0) {
    table_->selectRow(row);
    current_ = studies_->study(row);
  } else {
    current_.reset();
  }
  refreshing_ = false;
  if (row < 0) {
    rater_->setStudy(store_, std::nullopt);
    results_->setStudy(std::nullopt, std::nullopt);
  }
  updateActions();
}

void RatingPanel::selectStudy(qint64 studyId) {
  const int row = studies_->rowOf(studyId);
  if (row >= 0) table_->selectRow(row);
}

void RatingPanel::setRater(const QString& name) {
  if (raterName_->text() != name) raterName_->setText(name);
  QSettings().setValue(kRaterKey, name.trimmed());
  rater_->setRater(name);
}

void RatingPanel::showRater() { tabs_->setCurrentWidget(rater_); }
void RatingPanel::showResults() { tabs_->setCurrentWidget(results_); }

void RatingPanel::updateActions() {
  const bool has = current_.has_value();
  newButton_->setEnabled(store_.has_value());
  revealButton_->setEnabled(has && !current_->revealed);
  exportItemsButton_->setEnabled(has);
  exportRatingsButton_->setEnabled(has);
  importButton_->setEnabled(has);
  deleteButton_->setEnabled(has);
}

void RatingPanel::setMessage(const QString& text, bool error) {
  message_->setText(text);
  message_->setStyleSheet(error ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
  message_->setVisible(!text.isEmpty());
  if (error && dialogs_) QMessageBox::warning(this, tr("Human rating"), text);
}

QString RatingPanel::messageText() const { return message_->text(); }

void RatingPanel::newStudy() {
  if (!store_) return;
  CreateStudyDialog dialog(*store_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  refreshStudies();
  selectStudy(dialog.createdStudy());
  setMessage(tr("Study created."), false);
}

bool RatingPanel::reveal() {
  if (!store_ || !current_ || current_->revealed) return false;
  if (dialogs_ &&
      QMessageBox::question(this, tr("Reveal models"),
                            tr("Show which model wrote each output in \"%1\"? Raters who see the names are no longer "
                               "blind; the reveal is recorded and cannot be undone.")
                                .arg(current_->name),
                            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
    return false;
  try {
    StudyStore(*store_).reveal(current_->id);
  } catch (const Error& e) {
    setMessage(e.message(), true);
    return false;
  }
  refreshStudies();
  if (current_) results_->setStudy(store_, current_);
  setMessage(tr("Models revealed."), false);
  return true;
}

bool RatingPanel::removeStudy() {
  if (!store_ || !current_) return false;
  const StudyInfo study = *current_;
  if (dialogs_) {
    QMessageBox box(QMessageBox::Warning, tr("Delete study"), tr("Delete the study \"%1\"?").arg(study.name),
                    QMessageBox::Cancel, this);
    box.setInformativeText(tr("Its %1 item(s) and %n rating(s) by %2 rater(s) are deleted from the workspace. This "
                              "cannot be undone: export the ratings first if you may need them.",
                              nullptr, study.ratings)
                               .arg(study.items)
                               .arg(study.raters));
    QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != remove) return false;
  }
  try {
    StudyStore(*store_).remove(study.id);
  } catch (const Error& e) {
    setMessage(e.message(), true);
    return false;
  }
  refreshStudies();  // the study is gone from the list; nothing is chosen then
  setMessage(tr("Deleted the study \"%1\" and its %n rating(s).", nullptr, study.ratings).arg(study.name), false);
  return true;
}

bool RatingPanel::exportTo(const QString& path, StudyExport what) {
  if (!store_ || !current_) return false;
  try {
    const StudyStore studies(*store_);
    exportStudy(studies, current_->id, what, path);
    setMessage(tr("Exported %1 to %2%3.")
                   .arg(what == StudyExport::Items ? tr("the items") : tr("the ratings"), path,
                        current_->revealed ? QString() : tr(" (blinded)")),
               false);
  } catch (const Error& e) {
    setMessage(e.message(), true);
    return false;
  }
  return true;
}

bool RatingPanel::importFrom(const QString& path) {
  if (!store_ || !current_) return false;
  try {
    const SaveReport r = importRatings(StudyStore(*store_), current_->id, path);
    setMessage(
        tr("Imported %1: %2 new, %3 updated, %4 unchanged.").arg(path).arg(r.inserted).arg(r.updated).arg(r.unchanged),
        false);
  } catch (const Error& e) {
    setMessage(tr("Nothing imported. %1").arg(e.message()), true);
    return false;
  }
  refreshStudies();
  rater_->setStudy(store_, current_);  // the rater's own ratings may have come in
  if (tabs_->currentWidget() == results_) results_->setStudy(store_, current_);
  return true;
}

void RatingPanel::exportWithDialog(StudyExport what) {
  const QString path =
      QFileDialog::getSaveFileName(this, what == StudyExport::Items ? tr("Export items") : tr("Export ratings"),
                                   QString(), tr("CSV (*.csv);;JSON lines (*.jsonl);;JSON (*.json)"));
  if (!path.isEmpty()) exportTo(path, what);
}

void RatingPanel::importWithDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import ratings"), QString(),
                                                    tr("Ratings (*.csv *.jsonl *.json);;All files (*)"));
  if (!path.isEmpty()) importFrom(path);
}

}  // namespace distillery::ui
