#include "jobs/JobsPanel.h"

#include "common/Error.h"
#include "jobs/JobErrorHint.h"
#include "jobs/JobForm.h"
#include "jobs/JobRunner.h"
#include "jobs/JobTableModel.h"
#include "jobs/ProgressDelegate.h"
#include "runtime/Nvml.h"
#include "runtime/Runtime.h"
#include "store/Workspace.h"

#include <QtCore/QItemSelectionModel>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace distillery::ui {

JobsPanel::JobsPanel(const PanelInfo& info, QWidget* parent)
    : WorkspacePanel(parent),
      tabs_(new QTabWidget(this)),
      form_(new JobForm(this)),
      model_(new JobTableModel(this)),
      view_(new QTableView(this)),
      pause_(new QPushButton(tr("&Pause"), this)),
      resume_(new QPushButton(tr("&Resume"), this)),
      cancel_(new QPushButton(tr("&Cancel job"), this)),
      gpu_(new QLabel(this)),
      error_(new QLabel(this)),
      hint_(new QLabel(this)),
      log_(new QPlainTextEdit(this)),
      timer_(new QTimer(this)) {
  setObjectName(QStringLiteral("panel_") + info.id);
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(info.title.toHtmlEscaped()), this);

  QStringList devices{QStringLiteral("cpu")};
  const RuntimeInfo runtime = runtimeInfo();
  for (int i = 0; i < runtime.cudaDevices; ++i) devices.append(QStringLiteral("cuda:%1").arg(i));
  form_->setDevices(devices);
  connect(form_, &JobForm::startRequested, this, [this](const JobSpec& spec, const QJsonObject& json) {
    if (startJob(spec, json) != 0) tabs_->setCurrentIndex(1);
  });

  view_->setObjectName(QStringLiteral("jobsTable"));
  view_->setModel(model_);
  view_->setItemDelegateForColumn(JobTableModel::Progress, new ProgressDelegate(view_));
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setAlternatingRowColors(true);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setSectionResizeMode(JobTableModel::Name, QHeaderView::Stretch);
  view_->horizontalHeader()->setMinimumSectionSize(40);
  view_->setColumnWidth(JobTableModel::Progress, 140);
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
    lastMetrics_.clear();
    lastError_.clear();
    ticks_ = 0;  // re-read the metrics of the newly selected job on this tick
    updateButtons();
    updateDetails();
  });

  pause_->setObjectName(QStringLiteral("pause"));
  pause_->setToolTip(tr("Pauses the selected running job before its next step."));
  resume_->setObjectName(QStringLiteral("resume"));
  resume_->setToolTip(
      tr("Continues a paused job, or queues a failed, cancelled or interrupted one again from its "
         "last checkpoint."));
  cancel_->setObjectName(QStringLiteral("cancel"));
  cancel_->setToolTip(tr("Stops the selected job within one step (a queued one leaves the queue)."));
  connect(pause_, &QPushButton::clicked, this, [this] { act(&JobRunner::pause); });
  connect(resume_, &QPushButton::clicked, this, [this] { act(&JobRunner::resume); });
  connect(cancel_, &QPushButton::clicked, this, [this] { act(&JobRunner::cancel); });
  gpu_->setObjectName(QStringLiteral("gpuStatus"));
  gpu_->setToolTip(tr("GPU utilisation and memory from NVML, refreshed every second."));
  error_->setObjectName(QStringLiteral("jobError"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("color: #c62828"));
  hint_->setObjectName(QStringLiteral("jobHint"));
  hint_->setWordWrap(true);
  hint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  log_->setObjectName(QStringLiteral("jobLog"));
  log_->setReadOnly(true);
  log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  log_->setToolTip(tr("The selected job's status changes, messages and last metrics."));

  auto* queue = new QWidget(this);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(pause_);
  buttons->addWidget(resume_);
  buttons->addWidget(cancel_);
  buttons->addStretch(1);
  buttons->addWidget(gpu_);
  auto* details = new QWidget(this);
  auto* detailsLayout = new QVBoxLayout(details);
  detailsLayout->setContentsMargins(0, 0, 0, 0);
  detailsLayout->addWidget(error_);
  detailsLayout->addWidget(hint_);
  auto* logLabel = new QLabel(tr("&Log:"), details);
  logLabel->setBuddy(log_);
  detailsLayout->addWidget(logLabel);
  detailsLayout->addWidget(log_, 1);
  auto* split = new QSplitter(Qt::Vertical, queue);
  split->addWidget(view_);
  split->addWidget(details);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* queueLayout = new QVBoxLayout(queue);
  queueLayout->addLayout(buttons);
  queueLayout->addWidget(split, 1);

  tabs_->setObjectName(QStringLiteral("jobsTabs"));
  tabs_->addTab(form_, tr("Con&figure"));
  tabs_->addTab(queue, tr("&Queue"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(tabs_, 1);

  timer_->setInterval(100);  // 10 Hz: snapshots into the table, details of the selected job
  connect(timer_, &QTimer::timeout, this, &JobsPanel::tick);
  updateGpu();
  updateButtons();
  updateDetails();
}

void JobsPanel::setWorkspace(const Workspace* ws, JobRunner* runner) {
  if (runner_) disconnect(runner_, nullptr, this, nullptr);
  ws_ = ws;
  runner_ = runner;
  model_->setSource(ws ? std::optional<Store>(ws->store()) : std::nullopt, runner);
  form_->setStartEnabled(runner != nullptr);
  form_->setWorkspace(ws);
  lastMetrics_.clear();
  if (runner) {
    connect(runner, &JobRunner::jobStatusChanged, this, [this](qint64 id, const QString& status) {
      const qint64 selected = selectedJob();
      model_->addLog(id, tr("status: %1").arg(status));
      model_->reload();
      selectJob(selected);
      updateButtons();
      updateDetails();
    });
    timer_->start();
  } else {
    timer_->stop();
  }
  updateButtons();
  updateDetails();
}

qint64 JobsPanel::startJob(const JobSpec& spec, const QJsonObject& json) {
  lastError_.clear();
  if (!runner_) {
    lastError_ = tr("Open a workspace first: jobs run in a workspace.");
    return 0;
  }
  qint64 id = 0;
  try {
    id = runner_->enqueue(spec, json);
  } catch (const Error& e) {
    lastError_ = e.message();
    updateDetails();
    return 0;
  }
  model_->reload();
  selectJob(id);
  return id;
}

void JobsPanel::selectJob(qint64 id) {
  const int row = model_->rowOf(id);
  if (row < 0) return;
  view_->selectionModel()->setCurrentIndex(model_->index(row, 0),
                                           QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

qint64 JobsPanel::selectedJob() const {
  const QModelIndex current = view_->selectionModel()->currentIndex();
  return current.isValid() ? model_->idAt(current.row()) : 0;
}

void JobsPanel::tick() {
  model_->poll();
  if (ticks_++ % 10 == 0) {  // once a second: the GPU line and the selected job's metrics (short queries)
    updateGpu();
    const qint64 id = selectedJob();
    lastMetrics_.clear();
    if (id && ws_) {
      const QJsonObject m = JobStore(ws_->store()).lastMetrics(id);
      QStringList parts;
      qint64 step = 0;
      for (auto it = m.begin(); it != m.end(); ++it) {  // name → {step, value}
        const QJsonObject point = it.value().toObject();
        step = std::max(step, qint64(point.value(QLatin1String("step")).toDouble()));
        parts.append(it.key() + QLatin1Char('=') +
                     QString::number(point.value(QLatin1String("value")).toDouble(), 'g', 5));
      }
      if (!parts.isEmpty())
        lastMetrics_ = tr("last metrics (step %1): %2").arg(step).arg(parts.join(QStringLiteral(", ")));
    }
  }
  updateButtons();
  updateDetails();
}

void JobsPanel::act(bool (JobRunner::*command)(qint64)) {
  const qint64 id = selectedJob();
  if (!runner_ || !id) return;
  if (!(runner_->*command)(id)) model_->addLog(id, tr("the runner refused: the job is not in a state for that"));
  model_->poll();
  updateButtons();
}

void JobsPanel::updateButtons() {
  const QModelIndex current = view_->selectionModel()->currentIndex();
  const bool has = runner_ && current.isValid();
  const JobStatus s = has ? model_->statusAt(current.row()) : JobStatus::Succeeded;
  pause_->setEnabled(has && s == JobStatus::Running);
  resume_->setEnabled(has && (s == JobStatus::Paused || isResumable(s)));
  cancel_->setEnabled(has && (s == JobStatus::Queued || s == JobStatus::Running || s == JobStatus::Paused));
}

void JobsPanel::updateDetails() {
  const qint64 id = selectedJob();
  const QModelIndex current = view_->selectionModel()->currentIndex();
  const bool failed = id && model_->statusAt(current.row()) == JobStatus::Failed;
  const QString error = failed ? model_->errorOf(id) : QString();
  error_->setText(error.isEmpty() ? lastError_ : error);  // lastError_: a job the runner refused to queue
  const QString hint = error.isEmpty() ? QString() : jobErrorHint(error);
  hint_->setText(hint.isEmpty() ? QString() : tr("Suggested fix: %1").arg(hint));
  error_->setVisible(!error_->text().isEmpty());
  hint_->setVisible(!hint.isEmpty());
  QStringList lines = id ? model_->logOf(id) : QStringList();
  if (!lastMetrics_.isEmpty()) lines.append(lastMetrics_);
  if (!id) lines.append(runner_ ? tr("Select a job to see its log.") : tr("Open or create a workspace to begin."));
  const QString text = lines.join(QLatin1Char('\n'));
  if (log_->toPlainText() != text) {
    log_->setPlainText(text);
    log_->moveCursor(QTextCursor::End);
  }
}

void JobsPanel::updateGpu() {
  const QList<GpuInfo> gpus = nvmlGpus();
  if (gpus.isEmpty()) {
    gpu_->setText(tr("no GPU"));
    return;
  }
  QStringList parts;
  constexpr double GiB = 1024.0 * 1024.0 * 1024.0;
  for (const GpuInfo& g : gpus) {
    const QString util = g.utilization >= 0 ? tr("%1%").arg(g.utilization) : tr("?%");
    parts.append(tr("cuda:%1 %2: %3, %4 / %5 GiB")
                     .arg(g.index)
                     .arg(g.name, util)
                     .arg(double(g.memoryUsed) / GiB, 0, 'f', 1)
                     .arg(double(g.memoryTotal) / GiB, 0, 'f', 1));
  }
  gpu_->setText(parts.join(QStringLiteral(" · ")));
}

QString JobsPanel::detailsText() const {
  QStringList parts;
  if (!error_->text().isEmpty()) parts.append(error_->text());
  if (!hint_->text().isEmpty()) parts.append(hint_->text());
  parts.append(log_->toPlainText());
  return parts.join(QLatin1Char('\n'));
}

}  // namespace distillery::ui
