#include "data/DataPanel.h"

#include "common/Error.h"
#include "data/CleanDialog.h"
#include "data/DataSchema.h"
#include "data/DatasetListModel.h"
#include "data/DatasetStatsJson.h"
#include "data/LazyRowModel.h"
#include "data/LengthHistogram.h"
#include "data/DataSplit.h"
#include "data/DedupDialog.h"
#include "data/GenerateDialog.h"
#include "data/RowReader.h"
#include "data/SplitDialog.h"
#include "jobs/JobRunner.h"
#include "runtime/Runtime.h"
#include "store/DatasetRegistration.h"
#include "store/DatasetStore.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"
#include "worker/BackgroundTask.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QMimeData>
#include <QtCore/QTimer>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

// A RowReader/cleanFile progress callback over the task's: fraction of bytes, false once cancelled.
std::function<bool(int64_t, int64_t)> readProgress(const std::atomic_bool& cancel,
                                                   const std::function<void(double)>& progress) {
  return [&cancel, progress](int64_t done, int64_t total) {
    if (total > 0) progress(double(done) / double(total));
    return !cancel.load();
  };
}

QString number(const QJsonValue& v, int decimals = 1) {
  if (!v.isDouble()) return QStringLiteral("–");
  const double d = v.toDouble();
  return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'f', decimals);
}

QString droppedFile(const QMimeData* mime) {
  if (!mime || !mime->hasUrls()) return {};
  for (const QUrl& url : mime->urls())
    if (url.isLocalFile() && QFileInfo::exists(url.toLocalFile())) return url.toLocalFile();
  return {};
}

}  // namespace

DataPanel::DataPanel(const PanelInfo& info, QWidget* parent)
    : WorkspacePanel(parent),
      list_(new DatasetListModel(this)),
      preview_(new LazyRowModel(this)),
      table_(new QTableView(this)),
      previewView_(new QTableView(this)),
      import_(new QPushButton(tr("&Import…"), this)),
      stats_(new QPushButton(tr("&Statistics"), this)),
      clean_(new QPushButton(tr("C&lean…"), this)),
      dedup_(new QPushButton(tr("&Deduplicate…"), this)),
      split_(new QPushButton(tr("S&plit…"), this)),
      generate_(new QPushButton(tr("&Generate…"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      tokenizer_(new QComboBox(this)),
      bins_(new QSpinBox(this)),
      progress_(new QProgressBar(this)),
      error_(new QLabel(this)),
      status_(new QLabel(this)),
      previewInfo_(new QLabel(this)),
      summary_(new QLabel(this)),
      histogram_(new LengthHistogram(this)),
      task_(new BackgroundTask(this)),
      timer_(new QTimer(this)) {
  setObjectName(QStringLiteral("panel_") + info.id);
  setAcceptDrops(true);
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(info.title.toHtmlEscaped()), this);
  auto* about = new QLabel(info.description + QLatin1Char(' ') + tr("Drop a dataset file here to import it."), this);
  about->setWordWrap(true);

  import_->setObjectName(QStringLiteral("import"));
  import_->setToolTip(
      tr("Register a dataset file (JSONL, JSON, CSV/TSV, text) in this workspace: rows, schema "
         "and bad rows are counted; the file is only read."));
  stats_->setObjectName(QStringLiteral("stats"));
  stats_->setToolTip(tr("Characters and tokens per row with a length histogram, as `distillery-cli data stats`."));
  clean_->setObjectName(QStringLiteral("clean"));
  clean_->setToolTip(
      tr("Write a cleaned copy (Unicode form, control characters, length and script filters, exact or near "
         "duplicates), as `data clean`, run as a job."));
  dedup_->setObjectName(QStringLiteral("dedup"));
  dedup_->setToolTip(
      tr("Write a copy without exact and near duplicates (MinHash), original order kept, as `data dedup`, run as "
         "a job."));
  split_->setObjectName(QStringLiteral("split"));
  split_->setToolTip(
      tr("Split into train/validation/test with no near duplicates across splits, optionally stratified, as "
         "`data split`, run as a job."));
  generate_->setObjectName(QStringLiteral("generate"));
  generate_->setToolTip(
      tr("A teacher model answers each row's prompt into a messages dataset, as `data generate`, run as a job "
         "(resumable)."));
  cancel_->setObjectName(QStringLiteral("cancel"));
  cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancel_->setToolTip(tr("Stop the running import or statistics, or cancel the action's job (Esc); nothing "
                         "half-written is kept."));
  status_->setObjectName(QStringLiteral("status"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->hide();
  tokenizer_->setObjectName(QStringLiteral("tokenizer"));
  tokenizer_->setToolTip(tr("Model whose tokenizer counts tokens for the statistics; none counts characters only."));
  bins_->setObjectName(QStringLiteral("bins"));
  bins_->setRange(1, 200);
  bins_->setValue(20);
  bins_->setToolTip(tr("Equal-width bins of the token-length histogram. Typical: 10–50."));
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  progress_->hide();
  error_->setObjectName(QStringLiteral("error"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("color: #b00020"));
  error_->hide();
  previewInfo_->setObjectName(QStringLiteral("previewInfo"));
  previewInfo_->setWordWrap(true);
  summary_->setObjectName(QStringLiteral("summary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  for (QTableView* t : {table_, previewView_}) {
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
  }
  table_->setObjectName(QStringLiteral("datasets"));
  table_->setModel(list_);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  previewView_->setObjectName(QStringLiteral("preview"));
  previewView_->setModel(preview_);
  previewView_->setWordWrap(false);
  previewView_->setToolTip(tr("The rows of the selected dataset, read as you scroll; the row header is the line."));

  auto* tokLabel = new QLabel(tr("&Tokenizer:"), this);
  tokLabel->setBuddy(tokenizer_);
  auto* binsLabel = new QLabel(tr("&Bins:"), this);
  binsLabel->setBuddy(bins_);
  auto* tools = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{import_, stats_, tokLabel, tokenizer_, binsLabel, bins_, clean_,
                                                    dedup_, split_, generate_})
    tools->addWidget(w);
  // The same actions on the dataset list's context menu (and its keyboard menu key).
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  for (QPushButton* b : {stats_, clean_, dedup_, split_, generate_}) {
    auto* action = new QAction(b->text(), table_);
    action->setObjectName(b->objectName() + QStringLiteral("Action"));
    action->setToolTip(b->toolTip());
    connect(action, &QAction::triggered, b, &QPushButton::click);
    table_->addAction(action);
  }
  tools->addStretch();

  auto* previewPage = new QWidget(this);
  auto* pl = new QVBoxLayout(previewPage);
  pl->addWidget(previewInfo_);
  pl->addWidget(previewView_, 1);
  auto* statsPage = new QWidget(this);
  auto* sl = new QVBoxLayout(statsPage);
  sl->addWidget(summary_);
  sl->addWidget(histogram_, 1);
  auto* tabs = new QTabWidget(this);
  tabs->addTab(previewPage, tr("Pre&view"));
  tabs->addTab(statsPage, tr("Stat&istics"));
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  split->addWidget(tabs);
  split->setStretchFactor(1, 2);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(about);
  layout->addLayout(tools);
  auto* statusRow = new QHBoxLayout;
  statusRow->addWidget(progress_, 1);
  statusRow->addWidget(status_, 2);
  statusRow->addWidget(cancel_);
  layout->addLayout(statusRow);
  layout->addWidget(error_);
  layout->addWidget(split, 1);

  timer_->setInterval(100);  // 10 Hz progress
  connect(timer_, &QTimer::timeout, this, [this] {
    if (jobRunning_) followJob();
    else progress_->setValue(int(task_->progress() * 1000));
  });
  connect(import_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import a dataset"), QString(),
                                     tr("Datasets (*.jsonl *.ndjson *.json *.csv *.tsv *.txt *.md);;All files (*)"));
    if (!path.isEmpty()) importDataset(path);
  });
  connect(stats_, &QPushButton::clicked, this, &DataPanel::startStats);
  connect(clean_, &QPushButton::clicked, this, [this] { openAction(QStringLiteral("clean")); });
  connect(dedup_, &QPushButton::clicked, this, [this] { openAction(QStringLiteral("dedup")); });
  connect(split_, &QPushButton::clicked, this, [this] { openAction(QStringLiteral("split")); });
  connect(generate_, &QPushButton::clicked, this, [this] { openAction(QStringLiteral("generate")); });
  connect(cancel_, &QPushButton::clicked, this, &DataPanel::cancel);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DataPanel::selectionChanged);
  connect(list_, &QAbstractItemModel::modelReset, this, &DataPanel::selectionChanged);
  connect(task_, &BackgroundTask::finished, this, [this](bool ok, const QJsonObject& result, const QString& error) {
    timer_->stop();
    progress_->hide();
    if (ok) {
      const qint64 id = result.value(QStringLiteral("id")).toInteger();
      lastOutputId_ = id;
      list_->refresh();
      selectDataset(id);
    } else if (!error.isEmpty()) {
      showError(error);
    }
    updateEnabled();
    Q_EMIT actionFinished(ok, error);
  });
  setWorkspace(nullptr, nullptr);
}

DataPanel::~DataPanel() { delete task_; }  // cancels and joins before the models go

void DataPanel::setWorkspace(const Workspace* ws, JobRunner* runner) {
  task_->cancel();
  store_.reset();
  root_.clear();
  // A job of the old workspace is the Jobs panel's (its runner shuts down with the workspace).
  disconnect(runnerConnection_);
  runner_ = runner;
  jobId_ = 0;
  jobJson_ = {};
  jobRunning_ = false;
  timer_->stop();
  progress_->hide();
  status_->clear();
  status_->hide();
  if (runner_)
    runnerConnection_ = connect(runner_, &JobRunner::jobStatusChanged, this, &DataPanel::jobStatusChanged);
  if (ws) {
    store_ = ws->store();
    root_ = ws->root();
  }
  preview_->close();
  list_->setStore(store_);
  statsJson_ = {};
  showError({});
  fillTokenizers();
  if (list_->rowCount() > 0) table_->selectRow(0);
  updateEnabled();
}

void DataPanel::fillTokenizers() {
  tokenizer_->clear();
  tokenizer_->addItem(tr("none (characters only)"), QString());
  if (!store_) return;
  try {
    for (const ModelRow& m : ModelStore(*store_).list())
      if (!m.tokenizerPath.isEmpty()) tokenizer_->addItem(m.name, m.path);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  if (tokenizer_->count() > 1) tokenizer_->setCurrentIndex(1);
}

void DataPanel::setTokenizerDir(const QString& dir) {
  int index = tokenizer_->findData(dir);
  if (index < 0) {
    tokenizer_->addItem(QFileInfo(dir).fileName(), dir);
    index = tokenizer_->count() - 1;
  }
  tokenizer_->setCurrentIndex(index);
}

QString DataPanel::tokenizerDir() const { return tokenizer_->currentData().toString(); }
QString DataPanel::errorText() const { return error_->text(); }
bool DataPanel::isBusy() const { return task_->isRunning() || jobRunning_; }
QString DataPanel::statusText() const { return status_->text(); }

void DataPanel::cancel() {
  if (task_->isRunning()) task_->cancel();
  else if (jobRunning_ && runner_) runner_->cancel(jobId_);  // ends within one row; jobStatusChanged follows
}

void DataPanel::showError(const QString& text) {
  error_->setText(text);
  error_->setVisible(!text.isEmpty());
}

void DataPanel::updateEnabled() {
  const bool busy = task_->isRunning();
  const bool selected = selectedDatasetId() != 0;
  import_->setEnabled(store_ && !busy);
  stats_->setEnabled(store_ && selected && !busy);
  // One job of this panel at a time, so the status line has one thing to follow; the Jobs panel queues more.
  for (QPushButton* b : {clean_, dedup_, split_, generate_}) b->setEnabled(store_ && runner_ && selected && !isBusy());
  for (QAction* a : table_->actions()) {
    const auto* b = findChild<QPushButton*>(a->objectName().chopped(int(qstrlen("Action"))));
    if (b) a->setEnabled(b->isEnabled());
  }
  cancel_->setEnabled(isBusy());
}

void DataPanel::selectDataset(qint64 id) {
  if (const int row = list_->rowOfId(id); row >= 0) table_->selectRow(row);
}

qint64 DataPanel::selectedDatasetId() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? 0 : rows.first().data(DatasetListModel::kIdRole).toLongLong();
}

void DataPanel::selectionChanged() {
  updateEnabled();
  const DatasetRow* row = list_->find(selectedDatasetId());
  if (!row) {
    preview_->close();
    previewInfo_->setText(store_ ? tr("Import a dataset file, or select one to preview it.")
                                 : tr("Open or create a workspace to begin."));
    showStats({});
    return;
  }
  if (preview_->path() != row->path) {
    preview_->open(row->path);
    const qint64 bad = preview_->report().value(QStringLiteral("bad_rows")).toInteger();
    if (!preview_->error().isEmpty())
      previewInfo_->setText(tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(row->path), preview_->error()));
    else
      previewInfo_->setText((preview_->atEnd()
                                 ? tr("%1 — all %2 rows, %3 bad rows skipped.")
                                 : tr("%1 — first %2 rows (%3 bad rows skipped); more load as you scroll."))
                                .arg(QDir::toNativeSeparators(row->path))
                                .arg(preview_->rowCount())
                                .arg(bad));
  }
  showStats(row->stats.contains(QStringLiteral("chars")) ? row->stats : QJsonObject());
}

void DataPanel::showStats(const QJsonObject& s) {
  statsJson_ = s;
  if (s.isEmpty()) {
    summary_->setText(selectedDatasetId() ? tr("No statistics yet: press Statistics.") : QString());
    histogram_->clear();
    return;
  }
  const QJsonObject chars = s.value(QStringLiteral("chars")).toObject();
  QString text = tr("%1 rows (%2 bad, %3 not fitting their schema), schema %4. Characters per row: mean %5, "
                    "min %6, max %7.")
                     .arg(number(s.value(QStringLiteral("rows"))), number(s.value(QStringLiteral("bad_rows"))),
                          number(s.value(QStringLiteral("schema_errors"))),
                          s.value(QStringLiteral("schema")).toString(), number(chars.value(QStringLiteral("mean"))),
                          number(chars.value(QStringLiteral("min"))), number(chars.value(QStringLiteral("max"))));
  const QJsonObject tokens = s.value(QStringLiteral("tokens")).toObject();
  if (!tokens.isEmpty()) {
    text += QLatin1Char(' ') +
            tr("Tokens per row: mean %1, p50 %2, p90 %3, p99 %4, max %5.")
                .arg(number(tokens.value(QStringLiteral("mean"))), number(tokens.value(QStringLiteral("p50"))),
                     number(tokens.value(QStringLiteral("p90"))), number(tokens.value(QStringLiteral("p99"))),
                     number(tokens.value(QStringLiteral("max"))));
    histogram_->setHistogram(tokens.value(QStringLiteral("histogram")).toObject(), tr("tokens per row"));
  } else {
    text += QLatin1Char(' ') + tr("Choose a tokenizer for token counts and the length histogram.");
    histogram_->clear();
  }
  summary_->setText(text);
}

bool DataPanel::start(
    const QString& label,
    const std::function<QJsonObject(const std::atomic_bool&, const std::function<void(double)>&)>& work) {
  if (isBusy()) {
    showError(tr("Wait for the running action to finish, or cancel it."));
    return false;
  }
  showError({});
  progress_->setValue(0);
  progress_->setFormat(label);
  progress_->setToolTip(label);
  progress_->show();
  task_->start(work);
  timer_->start();
  updateEnabled();
  return true;
}

bool DataPanel::checkSelected(QString* path, qint64* id) {
  const DatasetRow* row = list_->find(selectedDatasetId());
  if (!store_ || !row) {
    showError(tr("Select a dataset first."));
    return false;
  }
  if (!QFileInfo::exists(row->path)) {
    showError(tr("%1: the file is gone").arg(QDir::toNativeSeparators(row->path)));
    return false;
  }
  *path = row->path;
  *id = row->id;
  return true;
}

bool DataPanel::importDataset(const QString& path) {
  if (!store_) {
    showError(tr("Open or create a workspace first."));
    return false;
  }
  if (!QFileInfo::exists(path)) {
    showError(tr("%1: no such file or folder").arg(QDir::toNativeSeparators(path)));
    return false;
  }
  return start(tr("Importing %1…").arg(QFileInfo(path).fileName()),
               [store = *store_, path](const std::atomic_bool& cancel, const std::function<void(double)>& progress) {
                 ReadOptions read;
                 read.progress = readProgress(cancel, progress);
                 RowReader reader(path, read);
                 QMap<QString, int64_t> schemas;
                 Row row;
                 while (reader.next(row)) {
                   const QString schema = detectSchema(row.fields);
                   schemas[schema.isEmpty() ? QStringLiteral("unknown") : schema] += 1;
                 }
                 QJsonObject report = reader.report();
                 if (reader.rows() == 0) {
                   const QJsonArray issues = report.value(QStringLiteral("issues")).toArray();
                   const QJsonObject first = issues.isEmpty() ? QJsonObject() : issues.first().toObject();
                   throw FormatError(path, QString(), QString(),
                                     first.isEmpty() ? QStringLiteral("holds no rows")
                                                     : QStringLiteral("holds no readable rows (%1 bad; line %2: %3)")
                                                           .arg(reader.badRows())
                                                           .arg(first.value(QStringLiteral("line")).toInteger())
                                                           .arg(first.value(QStringLiteral("reason")).toString()));
                 }
                 QString majority;
                 QJsonObject counts;
                 for (auto it = schemas.begin(); it != schemas.end(); ++it) {
                   counts.insert(it.key(), qint64(it.value()));
                   if (majority.isEmpty() || it.value() > schemas.value(majority)) majority = it.key();
                 }
                 report.insert(QStringLiteral("schema"), majority);
                 report.insert(QStringLiteral("schemas"), counts);
                 const QJsonObject settings{{QStringLiteral("operation"), QStringLiteral("import")},
                                            {QStringLiteral("format"), formatName(reader.format())}};
                 const qint64 id = registerDatasetFile(store, QString(), path,
                                                       majority == QLatin1String("unknown") ? QString() : majority,
                                                       reader.rows(), settings, report);
                 return QJsonObject{{QStringLiteral("id"), id}};
               });
}

bool DataPanel::startStats() {
  QString path;
  qint64 id = 0;
  if (!checkSelected(&path, &id)) return false;
  return start(tr("Statistics of %1…").arg(QFileInfo(path).fileName()),
               [store = *store_, path, id, tok = tokenizerDir(), bins = bins_->value()](
                   const std::atomic_bool& cancel, const std::function<void(double)>& progress) {
                 const QJsonObject stats = datasetStatsJson(path, tok, bins, readProgress(cancel, progress));
                 DatasetStore(store).setStats(id, stats);
                 return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("stats"), stats}};
               });
}

DataActionInput DataPanel::actionInput() const {
  DataActionInput in;
  if (const DatasetRow* row = list_->find(selectedDatasetId())) in.path = row->path;
  if (preview_->path() == in.path) in.fields = preview_->columns();
  if (!root_.isEmpty()) in.runsDir = QDir(root_).filePath(QStringLiteral("runs"));
  if (store_) {
    try {
      for (const ModelRow& m : ModelStore(*store_).list()) in.models.append({m.name, m.path});
    } catch (const std::exception&) {
      // No models offered; the generate dialog still takes a folder.
    }
  }
  for (int i = 0; i < runtimeInfo().cudaDevices; ++i) in.devices.append(QStringLiteral("cuda:%1").arg(i));
  return in;
}

qint64 DataPanel::openAction(const QString& op) {
  QString path;
  qint64 id = 0;
  if (!checkSelected(&path, &id)) return 0;
  if (!runner_) {
    showError(tr("Open a workspace first: the actions run as jobs of its queue."));
    return 0;
  }
  const DataActionInput in = actionInput();
  std::unique_ptr<DataActionDialog> dialog;
  if (op == QLatin1String("clean")) dialog = std::make_unique<CleanDialog>(in, this);
  else if (op == QLatin1String("dedup")) dialog = std::make_unique<DedupDialog>(in, this);
  else if (op == QLatin1String("split")) dialog = std::make_unique<SplitDialog>(in, this);
  else if (op == QLatin1String("generate")) dialog = std::make_unique<GenerateDialog>(in, this);
  else return 0;
  if (dialog->exec() != QDialog::Accepted) return 0;
  return startJob(dialog->job());
}

qint64 DataPanel::startJob(const QJsonObject& job) {
  if (!runner_ || !store_) {
    showError(tr("Open a workspace first: the actions run as jobs of its queue."));
    return 0;
  }
  if (isBusy()) {
    showError(tr("Wait for the running action to finish, or cancel it."));
    return 0;
  }
  qint64 id = 0;
  try {
    id = runner_->enqueue(JobSpec::fromJson(job, tr("the %1 dialog").arg(job.value(QStringLiteral("data_op"))
                                                                             .toObject()
                                                                             .value(QStringLiteral("op"))
                                                                             .toString())),
                          job);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return 0;
  }
  showError({});
  jobId_ = id;
  jobJson_ = job;
  jobRunning_ = true;
  progress_->setValue(0);
  progress_->setFormat(QString());
  progress_->show();
  status_->show();
  followJob();
  timer_->start();
  updateEnabled();
  return id;
}

namespace {

QString opTitle(const QString& op) {
  if (op == QLatin1String("clean")) return DataPanel::tr("Clean");
  if (op == QLatin1String("dedup")) return DataPanel::tr("Deduplicate");
  if (op == QLatin1String("split")) return DataPanel::tr("Split");
  return DataPanel::tr("Generate");
}

}  // namespace

// The status line while the job runs: its state and progress from the runner's snapshot (polled by the timer).
void DataPanel::followJob() {
  if (!runner_ || !jobId_) return;
  const JobSnapshot s = runner_->snapshot(jobId_);
  progress_->setValue(int(s.progress() * 1000));
  const QString op = jobJson_.value(QStringLiteral("data_op")).toObject().value(QStringLiteral("op")).toString();
  const QString input = QFileInfo(jobJson_.value(QStringLiteral("data_op")).toObject().value(QStringLiteral("input")).toString()).fileName();
  QString text = tr("%1 %2 — job #%3 %4").arg(opTitle(op), input).arg(jobId_).arg(jobStatusName(s.status));
  if (s.totalSteps > 0) text += tr(", %1 of %2").arg(s.step).arg(s.totalSteps);
  if (!s.message.isEmpty()) text += QStringLiteral(" — ") + s.message;
  text += QLatin1Char('.') + QLatin1Char(' ') + tr("Also in the Jobs panel with its log.");
  status_->setText(text);
}

void DataPanel::jobStatusChanged(qint64 id, const QString& name) {
  if (id != jobId_ || !jobRunning_) return;
  JobStatus status = JobStatus::Running;
  try {
    status = parseJobStatus(name);
  } catch (const std::exception&) {
    return;
  }
  if (status == JobStatus::Queued || status == JobStatus::Running || status == JobStatus::Paused) {
    followJob();
    return;
  }
  jobRunning_ = false;
  timer_->stop();
  progress_->hide();
  const JobSnapshot s = runner_->snapshot(id);
  const QString op = jobJson_.value(QStringLiteral("data_op")).toObject().value(QStringLiteral("op")).toString();
  QString error;
  if (status == JobStatus::Succeeded) {
    list_->refresh();
    const qint64 derived =
        derivedDataset(jobJson_.value(QStringLiteral("data_op")).toObject().value(QStringLiteral("output")).toString());
    lastOutputId_ = derived;
    if (derived) selectDataset(derived);
    status_->setText(derived ? tr("%1 finished (job #%2): %3").arg(opTitle(op)).arg(id).arg(lineageText(derived))
                             : tr("%1 finished (job #%2); its output is not registered in this workspace.")
                                   .arg(opTitle(op))
                                   .arg(id));
  } else if (status == JobStatus::Cancelled || status == JobStatus::Interrupted) {
    // Generate keeps its answers so far in OUT.partial; the same output (proposed again, as OUT does not exist)
    // resumes from them.
    const QString output = jobJson_.value(QStringLiteral("data_op")).toObject().value(QStringLiteral("output")).toString();
    status_->setText(op == QLatin1String("generate") && QFileInfo::exists(output + QStringLiteral(".partial"))
                         ? tr("%1 cancelled (job #%2); the answers so far are kept in %3: generate into the same "
                              "file to resume.")
                               .arg(opTitle(op))
                               .arg(id)
                               .arg(QDir::toNativeSeparators(output + QStringLiteral(".partial")))
                         : tr("%1 cancelled (job #%2); nothing half-written was kept.").arg(opTitle(op)).arg(id));
  } else {
    error = s.error.isEmpty() ? tr("job #%1 failed").arg(id) : s.error;
    status_->setText(tr("%1 failed (job #%2).").arg(opTitle(op)).arg(id));
    showError(error);
  }
  updateEnabled();
  Q_EMIT actionFinished(status == JobStatus::Succeeded, error);
}

// The dataset the job registered at output (split: its train file, else the first split written), newest first.
qint64 DataPanel::derivedDataset(const QString& output) const {
  QStringList wanted{QFileInfo(output).absoluteFilePath()};
  for (const QString& split : splitNames()) wanted.append(QDir(output).absoluteFilePath(split + QStringLiteral(".jsonl")));
  for (const QString& path : wanted)
    for (const DatasetRow& row : list_->rows())
      if (QFileInfo(row.path).absoluteFilePath() == path) return row.id;
  return 0;
}

// "#7 rows.clean.jsonl (40 rows) ← #3 rows.jsonl": the dataset and what it was derived from, back to its source.
QString DataPanel::lineageText(qint64 id) const {
  QStringList parts;
  try {
    for (const DatasetRow& row : DatasetStore(*store_).lineage(id))
      parts.append(tr("#%1 %2 (%3 rows)").arg(row.id).arg(row.name).arg(row.rows));
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
  return parts.join(QStringLiteral(" ← "));
}

void DataPanel::dragEnterEvent(QDragEnterEvent* event) {
  if (store_ && !droppedFile(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void DataPanel::dropEvent(QDropEvent* event) {
  const QString path = droppedFile(event->mimeData());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  importDataset(path);
}

}  // namespace distillery::ui
