#include "audit/AuditPanel.h"

#include "audit/AuditLog.h"
#include "audit/AuditTableModel.h"
#include "audit/Lineage.h"
#include "store/Workspace.h"
#include "worker/BackgroundTask.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QTimer>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

// The filter boxes' time text as stored (UTC ISO-8601 with ms); empty text is no bound, bad text is nullopt.
std::optional<QString> utcBound(const QString& text) {
  const QString t = text.trimmed();
  if (t.isEmpty()) return QString();
  QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
  if (!d.isValid()) d = QDateTime::fromString(t, Qt::ISODate);
  if (!d.isValid()) {
    const QDate day = QDate::fromString(t, Qt::ISODate);
    if (day.isValid()) d = QDateTime(day, QTime(0, 0));  // a date alone: local midnight
  }
  if (!d.isValid()) return std::nullopt;
  return d.toUTC().toString(Qt::ISODateWithMs);
}

// A combo box whose first item means "any" (empty data) followed by values.
void setChoices(QComboBox* box, const QString& anyText, const QStringList& values) {
  const QString current = box->currentData().toString();
  box->blockSignals(true);
  box->clear();
  box->addItem(anyText, QString());
  for (const QString& v : values) box->addItem(v, v);
  box->setCurrentIndex(std::max(0, box->findData(current)));
  box->blockSignals(false);
}

}  // namespace

AuditPanel::AuditPanel(const PanelInfo& info, QWidget* parent)
    : WorkspacePanel(parent),
      model_(new AuditTableModel(this)),
      view_(new QTableView(this)),
      action_(new QComboBox(this)),
      object_(new QComboBox(this)),
      user_(new QComboBox(this)),
      text_(new QLineEdit(this)),
      since_(new QLineEdit(this)),
      until_(new QLineEdit(this)),
      verify_(new QPushButton(tr("&Verify chain"), this)),
      export_(new QPushButton(tr("E&xport…"), this)),
      refresh_(new QPushButton(tr("&Refresh"), this)),
      result_(new QLabel(this)),
      lineagePath_(new QLineEdit(this)),
      lineageFolder_(new QPushButton(tr("Model &folder…"), this)),
      lineageFile_(new QPushButton(tr("&Dataset file…"), this)),
      lineageShow_(new QPushButton(tr("Show &lineage"), this)),
      tree_(new QTreeWidget(this)),
      textDelay_(new QTimer(this)),
      task_(new BackgroundTask(this)) {
  setObjectName(QStringLiteral("panel_") + info.id);
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(info.title.toHtmlEscaped()), this);
  auto* about = new QLabel(info.description, this);
  about->setWordWrap(true);

  action_->setObjectName(QStringLiteral("actionFilter"));
  action_->setToolTip(tr("Show only one action (e.g. job.finished) or a family (job.*)."));
  object_->setObjectName(QStringLiteral("objectFilter"));
  object_->setToolTip(tr("Show only actions on one kind of object: workspace, model, dataset, job, study, settings."));
  user_->setObjectName(QStringLiteral("userFilter"));
  user_->setToolTip(tr("Show only actions by one operating-system user."));
  text_->setObjectName(QStringLiteral("textFilter"));
  text_->setClearButtonEnabled(true);
  text_->setPlaceholderText(tr("path, id or parameter text"));
  text_->setToolTip(tr("Show only rows whose action, object or parameters contain this text (any case)."));
  since_->setObjectName(QStringLiteral("sinceFilter"));
  since_->setPlaceholderText(tr("e.g. 2026-01-31"));
  since_->setToolTip(tr("Show only rows at or after this date or time (ISO-8601, local time unless it ends in Z)."));
  until_->setObjectName(QStringLiteral("untilFilter"));
  until_->setPlaceholderText(tr("e.g. 2026-02-01T12:00"));
  until_->setToolTip(tr("Show only rows before this date or time (ISO-8601, local time unless it ends in Z)."));
  verify_->setObjectName(QStringLiteral("verify"));
  verify_->setToolTip(tr("Recompute every row's SHA-256 and check the chain links and ids: reports the first "
                         "modified, deleted or reordered row."));
  export_->setObjectName(QStringLiteral("export"));
  export_->setToolTip(tr("Write the rows the filters show to a CSV or JSON Lines file, hashes included."));
  refresh_->setToolTip(tr("Read the log again (other processes may have appended to it)."));
  result_->setObjectName(QStringLiteral("result"));
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  view_->setObjectName(QStringLiteral("auditTable"));
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setAlternatingRowColors(true);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setWordWrap(false);

  auto* filters = new QFormLayout;
  auto* row1 = new QHBoxLayout;
  row1->addWidget(action_, 1);
  row1->addWidget(object_, 1);
  row1->addWidget(user_, 1);
  auto* actionLabel = new QLabel(tr("&Show:"), this);
  actionLabel->setBuddy(action_);
  filters->addRow(actionLabel, row1);
  auto* textLabel = new QLabel(tr("&Text:"), this);
  textLabel->setBuddy(text_);
  filters->addRow(textLabel, text_);
  auto* row2 = new QHBoxLayout;
  row2->addWidget(since_, 1);
  auto* untilLabel = new QLabel(tr("&until"), this);
  untilLabel->setBuddy(until_);
  row2->addWidget(untilLabel);
  row2->addWidget(until_, 1);
  auto* sinceLabel = new QLabel(tr("&From:"), this);
  sinceLabel->setBuddy(since_);
  filters->addRow(sinceLabel, row2);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(verify_);
  buttons->addWidget(export_);
  buttons->addWidget(refresh_);
  buttons->addStretch(1);

  auto* logPage = new QWidget(this);
  auto* logLayout = new QVBoxLayout(logPage);
  logLayout->addLayout(filters);
  logLayout->addWidget(view_, 1);
  logLayout->addLayout(buttons);
  logLayout->addWidget(result_);

  lineagePath_->setObjectName(QStringLiteral("lineagePath"));
  lineagePath_->setPlaceholderText(tr("model or adapter folder, or dataset file"));
  lineagePath_->setToolTip(tr("The artefact whose sources to trace: a trained model or adapter folder, a quantized "
                              "model folder, or a dataset file."));
  lineageFolder_->setToolTip(tr("Choose a model, adapter or quantized model folder."));
  lineageFile_->setToolTip(tr("Choose a dataset file."));
  lineageShow_->setObjectName(QStringLiteral("showLineage"));
  lineageShow_->setToolTip(tr("Trace the artefact back through provenance.json files and the datasets it was "
                              "derived from."));
  tree_->setObjectName(QStringLiteral("lineageTree"));
  tree_->setColumnCount(4);
  tree_->setHeaderLabels({tr("Artefact"), tr("Made by"), tr("SHA-256"), tr("Path")});
  tree_->setAlternatingRowColors(true);
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(lineagePath_, 1);
  pathRow->addWidget(lineageFolder_);
  pathRow->addWidget(lineageFile_);
  pathRow->addWidget(lineageShow_);
  auto* lineagePage = new QWidget(this);
  auto* lineageLayout = new QVBoxLayout(lineagePage);
  lineageLayout->addLayout(pathRow);
  lineageLayout->addWidget(tree_, 1);

  auto* tabs = new QTabWidget(this);
  tabs->addTab(logPage, tr("&Log"));
  tabs->addTab(lineagePage, tr("Li&neage"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(about);
  layout->addWidget(tabs, 1);

  textDelay_->setSingleShot(true);
  textDelay_->setInterval(250);
  connect(textDelay_, &QTimer::timeout, this, &AuditPanel::applyFilters);
  connect(text_, &QLineEdit::textChanged, textDelay_, qOverload<>(&QTimer::start));
  for (QComboBox* box : {action_, object_, user_})
    connect(box, &QComboBox::currentIndexChanged, this, &AuditPanel::applyFilters);
  for (QLineEdit* edit : {since_, until_}) connect(edit, &QLineEdit::editingFinished, this, &AuditPanel::applyFilters);
  connect(refresh_, &QPushButton::clicked, this, [this] {
    reloadFilterChoices();
    model_->refresh();
  });
  connect(verify_, &QPushButton::clicked, this, &AuditPanel::verify);
  connect(export_, &QPushButton::clicked, this, [this] {
    QString selected;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export audit trail"), QString(),
                                                      tr("CSV (*.csv);;JSON Lines (*.jsonl)"), &selected);
    if (file.isEmpty()) return;
    const bool jsonl = selected.contains(QLatin1String("jsonl"));
    const QString suffix = jsonl ? QStringLiteral(".jsonl") : QStringLiteral(".csv");
    exportTo(file.endsWith(suffix, Qt::CaseInsensitive) ? file : file + suffix);
  });
  connect(lineageFolder_, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Model or adapter folder"));
    if (!dir.isEmpty()) showLineage(dir);
  });
  connect(lineageFile_, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Dataset file"));
    if (!file.isEmpty()) showLineage(file);
  });
  connect(lineageShow_, &QPushButton::clicked, this, [this] { showLineage(lineagePath_->text().trimmed()); });
  connect(lineagePath_, &QLineEdit::returnPressed, lineageShow_, &QPushButton::click);

  connect(task_, &BackgroundTask::finished, this, [this](bool ok, const QJsonObject& r, const QString& error) {
    const Work work = work_;
    work_ = Work::None;
    updateEnabled();
    if (!ok) {
      showResult(error.isEmpty() ? tr("Cancelled.") : error, true);
      Q_EMIT taskFinished(false);
      return;
    }
    switch (work) {
      case Work::Verify:
        if (r.value(QStringLiteral("ok")).toBool()) {
          showResult(tr("Chain intact: %n row(s) verified.", nullptr, int(r.value(QStringLiteral("rows")).toInteger())),
                     false);
        } else {
          const qint64 bad = r.value(QStringLiteral("bad_id")).toInteger();
          showResult(tr("Broken at row %1 (%2): %3")
                         .arg(bad)
                         .arg(r.value(QStringLiteral("check")).toString(), r.value(QStringLiteral("detail")).toString()),
                     true);
          const int row = model_->rowOfId(bad);
          if (row >= 0) {
            view_->selectRow(row);
            view_->scrollTo(model_->index(row, 0));
          }
        }
        break;
      case Work::Export:
        showResult(tr("Exported %n row(s) to %1.", nullptr, int(r.value(QStringLiteral("rows")).toInteger()))
                       .arg(QDir::toNativeSeparators(r.value(QStringLiteral("file")).toString())),
                   false);
        break;
      case Work::Lineage:
        tree_->clear();
        fillTree(nullptr, r);
        tree_->expandAll();
        for (int c = 0; c < tree_->columnCount() - 1; ++c) tree_->resizeColumnToContents(c);
        break;
      case Work::None:
        break;
    }
    Q_EMIT taskFinished(true);
  });

  setWorkspace(nullptr, nullptr);
}

void AuditPanel::setWorkspace(const Workspace* ws, JobRunner*) {
  if (ws)
    store_ = ws->store();
  else
    store_.reset();
  model_->setStore(store_);
  reloadFilterChoices();
  result_->clear();
  tree_->clear();
  updateEnabled();
}

void AuditPanel::reloadFilterChoices() {
  QStringList actions, kinds, users;
  if (store_) {
    try {
      const AuditLog log(*store_);
      actions = log.distinct(QStringLiteral("action"));
      kinds = log.distinct(QStringLiteral("object_kind"));
      users = log.distinct(QStringLiteral("user"));
    } catch (const std::exception& e) {
      showResult(QString::fromUtf8(e.what()), true);
    }
  }
  // Families ("job.") first, then the single actions.
  QStringList families;
  for (const QString& a : std::as_const(actions)) {
    const QString family = a.section(QLatin1Char('.'), 0, 0) + QLatin1Char('.');
    if (a.contains(QLatin1Char('.')) && !families.contains(family)) families << family;
  }
  setChoices(action_, tr("All actions"), families + actions);
  setChoices(object_, tr("All objects"), kinds);
  setChoices(user_, tr("All users"), users);
}

void AuditPanel::applyFilters() {
  textDelay_->stop();
  AuditFilter f;
  f.action = action_->currentData().toString();
  f.objectKind = object_->currentData().toString();
  f.user = user_->currentData().toString();
  f.text = text_->text().trimmed();
  const std::optional<QString> since = utcBound(since_->text()), until = utcBound(until_->text());
  if (!since || !until) {
    showResult(tr("%1 is not a date or time; write it as 2026-01-31 or 2026-01-31T09:30.")
                   .arg(!since ? since_->text() : until_->text()),
               true);
    return;
  }
  f.since = *since;
  f.until = *until;
  model_->setFilter(f);
  if (!model_->lastError().isEmpty())
    showResult(model_->lastError(), true);
  else
    showResult(tr("%n row(s) shown.", nullptr, int(model_->totalRows())), false);
}

void AuditPanel::verify() {
  if (!store_ || task_->isRunning()) return;
  const Store store = *store_;
  work_ = Work::Verify;
  task_->start([store](const std::atomic_bool&, const BackgroundTask::Progress&) {
    const QJsonObject r = AuditLog(store).verify().toJson();
    store.closeThisThread();
    return r;
  });
  showResult(tr("Verifying…"), false);
  updateEnabled();
}

void AuditPanel::exportTo(const QString& file) {
  if (!store_ || task_->isRunning()) return;
  const Store store = *store_;
  const AuditFilter filter = model_->filter();
  work_ = Work::Export;
  task_->start([store, filter, file](const std::atomic_bool&, const BackgroundTask::Progress&) {
    const qint64 rows = AuditLog(store).exportTo(file, filter);
    store.closeThisThread();
    return QJsonObject{{QStringLiteral("file"), file}, {QStringLiteral("rows"), rows}};
  });
  updateEnabled();
}

void AuditPanel::showLineage(const QString& path) {
  if (path.isEmpty() || task_->isRunning()) return;
  lineagePath_->setText(QDir::toNativeSeparators(path));
  const std::optional<Store> store = store_;
  work_ = Work::Lineage;
  task_->start([store, path](const std::atomic_bool&, const BackgroundTask::Progress&) {
    const QJsonObject r = lineageOf(store ? &*store : nullptr, path).toJson();
    if (store) store->closeThisThread();
    return r;
  });
  updateEnabled();
}

void AuditPanel::fillTree(QTreeWidgetItem* parent, const QJsonObject& node) {
  const QString role = node.value(QStringLiteral("role")).toString();
  const QString kind = node.value(QStringLiteral("kind")).toString();
  const QString path = node.value(QStringLiteral("path")).toString();
  //: lineage tree: "train: dataset clean.jsonl" (how the child used it, what it is, its name)
  const QString label = (role.isEmpty() ? QString() : tr("%1: ").arg(role)) +
                        tr("%1 %2").arg(kind, QFileInfo(path).fileName());
  const QStringList columns{label, node.value(QStringLiteral("how")).toString(),
                            node.value(QStringLiteral("sha256")).toString().left(16),
                            QDir::toNativeSeparators(path)};
  auto* item = parent ? new QTreeWidgetItem(parent, columns) : new QTreeWidgetItem(tree_, columns);
  item->setToolTip(2, node.value(QStringLiteral("sha256")).toString());
  item->setToolTip(3, QDir::toNativeSeparators(path));
  for (const QJsonValue& s : node.value(QStringLiteral("sources")).toArray()) fillTree(item, s.toObject());
}

void AuditPanel::updateEnabled() {
  const bool idle = !task_->isRunning();
  for (QWidget* w : std::initializer_list<QWidget*>{verify_, export_, refresh_})
    w->setEnabled(store_.has_value() && idle);
  for (QWidget* w : std::initializer_list<QWidget*>{lineageShow_, lineageFolder_, lineageFile_}) w->setEnabled(idle);
}

void AuditPanel::showResult(const QString& text, bool bad) {
  result_->setText(text);
  result_->setProperty("bad", bad);
  result_->setStyleSheet(bad ? QStringLiteral("color: #b3261e;") : QString());
}

}  // namespace distillery::ui
