#include "curves/CurvePanel.h"

#include "common/Error.h"
#include "curves/CheckListModel.h"
#include "curves/CurveExport.h"
#include "curves/CurvePlot.h"
#include "jobs/JobListStamp.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "store/Workspace.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimer>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSlider>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

#include <cmath>

namespace distillery::ui {

static QList<qint64> idsOf(const QVariantList& keys) {
  QList<qint64> ids;
  for (const QVariant& k : keys) ids << k.toLongLong();
  return ids;
}

CurvePanel::CurvePanel(QWidget* parent)
    : WorkspacePanel(parent),
      settings_(CurveSettings::load()),
      plot_(new CurvePlot(this)),
      jobs_(new CheckListModel(this)),
      metrics_(new CheckListModel(this)),
      jobView_(new QListView(this)),
      metricView_(new QListView(this)),
      smoothing_(new QSlider(Qt::Horizontal, this)),
      smoothingValue_(new QLabel(this)),
      showRaw_(new QCheckBox(tr("Ra&w"), this)),
      logY_(new QCheckBox(tr("&Log y"), this)),
      xAxis_(new QComboBox(this)),
      export_(new QToolButton(this)),
      status_(new QLabel(this)),
      timer_(new QTimer(this)) {
  setObjectName(QStringLiteral("curvesPanel"));

  // Left: which runs and which metrics.
  auto* runsLabel = new QLabel(tr("&Runs"), this);
  runsLabel->setBuddy(jobView_);
  jobView_->setModel(jobs_);
  jobView_->setObjectName(QStringLiteral("curveJobs"));
  jobView_->setToolTip(tr("Jobs of this workspace; the checked ones are overlaid on the plot (Space toggles)."));
  auto* metricsLabel = new QLabel(tr("&Metrics"), this);
  metricsLabel->setBuddy(metricView_);
  metricView_->setModel(metrics_);
  metricView_->setObjectName(QStringLiteral("curveMetrics"));
  metricView_->setToolTip(tr("Metrics the checked jobs logged (loss and its components, lr, grad_norm, val_loss, "
                             "…); each checked one is a curve per job."));
  auto* pickers = new QWidget(this);
  auto* pickerLayout = new QVBoxLayout(pickers);
  pickerLayout->setContentsMargins(0, 0, 0, 0);
  pickerLayout->addWidget(runsLabel);
  pickerLayout->addWidget(jobView_, 2);
  pickerLayout->addWidget(metricsLabel);
  pickerLayout->addWidget(metricView_, 3);

  // Above the plot: how the curves are drawn.
  auto* smoothingLabel = new QLabel(tr("&Smoothing"), this);
  smoothingLabel->setBuddy(smoothing_);
  smoothing_->setRange(0, 99);
  smoothing_->setPageStep(10);
  smoothing_->setObjectName(QStringLiteral("curveSmoothing"));
  smoothing_->setToolTip(tr("Exponential moving average weight w, as in TensorBoard (debiased): 0 draws the raw "
                            "values, 0.6 is a usual choice, 0.9–0.99 for noisy losses."));
  smoothingValue_->setMinimumWidth(32);
  showRaw_->setObjectName(QStringLiteral("curveShowRaw"));
  showRaw_->setToolTip(tr("Draw the raw values as a faint curve behind each smoothed one (same colour), so the "
                          "smoothing hides no spike. Only while smoothing is above 0."));
  logY_->setToolTip(tr("Logarithmic y-axis, for losses that fall over orders of magnitude (values ≤ 0 are not drawn)."));
  auto* xLabel = new QLabel(tr("&X axis"), this);
  xLabel->setBuddy(xAxis_);
  xAxis_->addItem(tr("Step"), int(CurveAxis::Step));
  xAxis_->addItem(tr("Wall time"), int(CurveAxis::WallTime));
  xAxis_->addItem(tr("Tokens"), int(CurveAxis::Tokens));
  xAxis_->setToolTip(tr("Optimizer step, seconds since the job started, or cumulative training tokens (the job's "
                        "tokens metric, else tokens_per_s integrated over time)."));
  auto* fit = new QPushButton(tr("&Fit"), this);
  fit->setToolTip(tr("Fit the axes to the curves and follow new points again (also: double-click the plot). "
                     "Drag to pan, wheel to zoom."));
  export_->setText(tr("&Export"));
  export_->setPopupMode(QToolButton::InstantPopup);
  export_->setToolTip(tr("Save the plot as PNG or SVG, or the drawn series as CSV."));
  auto* exportMenu = new QMenu(export_);
  exportMenu->addAction(tr("PNG image…"), this, [this] { exportAs(QStringLiteral("png")); });
  exportMenu->addAction(tr("SVG drawing…"), this, [this] { exportAs(QStringLiteral("svg")); });
  exportMenu->addAction(tr("CSV table…"), this, [this] { exportAs(QStringLiteral("csv")); });
  export_->setMenu(exportMenu);
  auto* controls = new QHBoxLayout;
  controls->addWidget(smoothingLabel);
  controls->addWidget(smoothing_, 1);
  controls->addWidget(smoothingValue_);
  controls->addWidget(showRaw_);
  controls->addSpacing(12);
  controls->addWidget(logY_);
  controls->addSpacing(12);
  controls->addWidget(xLabel);
  controls->addWidget(xAxis_);
  controls->addStretch();
  controls->addWidget(fit);
  controls->addWidget(export_);

  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addLayout(controls);
  rightLayout->addWidget(plot_, 1);
  rightLayout->addWidget(status_);

  auto* splitter = new QSplitter(this);
  splitter->addWidget(pickers);
  splitter->addWidget(right);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({220, 800});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);
  setTabOrder(jobView_, metricView_);
  setTabOrder(metricView_, smoothing_);
  setTabOrder(smoothing_, showRaw_);
  setTabOrder(showRaw_, logY_);
  setTabOrder(logY_, xAxis_);
  setTabOrder(xAxis_, fit);
  setTabOrder(fit, export_);

  applySettings();
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) {
    smoothingValue_->setText(QString::number(v / 100.0, 'f', 2));
    plot_->setSmoothing(v / 100.0);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    saveSettings();
  });
  connect(showRaw_, &QCheckBox::toggled, this, [this](bool on) {
    plot_->setShowRaw(on);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    saveSettings();
  });
  connect(logY_, &QCheckBox::toggled, this, [this](bool on) {
    plot_->setLogY(on);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    saveSettings();
  });
  connect(xAxis_, &QComboBox::currentIndexChanged, this, [this] {
    plot_->setXAxis(CurveAxis(xAxis_->currentData().toInt()));
    plot_->replot(QCustomPlot::rpQueuedReplot);
    saveSettings();
  });
  connect(fit, &QPushButton::clicked, plot_, &CurvePlot::fitToData);
  connect(jobs_, &CheckListModel::checkedChanged, this, &CurvePanel::updateShown);
  connect(metrics_, &CheckListModel::checkedChanged, this, [this] {
    updateShown();
    saveSettings();
  });
  connect(plot_, &CurvePlot::metricNamesChanged, this, &CurvePanel::refreshMetricList);
  timer_->setInterval(kTickMs);
  connect(timer_, &QTimer::timeout, this, &CurvePanel::poll);
}

CurvePanel::~CurvePanel() = default;

void CurvePanel::applySettings() {
  smoothing_->setValue(int(std::lround(settings_.smoothing * 100)));
  smoothingValue_->setText(QString::number(smoothing_->value() / 100.0, 'f', 2));
  showRaw_->setChecked(settings_.showRaw);
  logY_->setChecked(settings_.logY);
  xAxis_->setCurrentIndex(xAxis_->findData(int(settings_.xAxis)));
  plot_->setSmoothing(smoothing_->value() / 100.0);
  plot_->setShowRaw(settings_.showRaw);
  plot_->setLogY(settings_.logY);
  plot_->setXAxis(settings_.xAxis);
}

void CurvePanel::saveSettings() {
  settings_.smoothing = smoothing_->value() / 100.0;
  settings_.showRaw = showRaw_->isChecked();
  settings_.logY = logY_->isChecked();
  settings_.xAxis = CurveAxis(xAxis_->currentData().toInt());
  // Metrics the shown jobs do not have stay remembered (another workspace may log them).
  QStringList metrics;
  for (const CheckItem& item : metrics_->items())
    if (item.checked) metrics << item.key.toString();
  for (const QString& m : settings_.metrics)
    if (!metrics.contains(m) && !plot_->metricNames().contains(m)) metrics << m;
  settings_.metrics = metrics;
  settings_.save();
}

void CurvePanel::setWorkspace(const Workspace* ws, JobRunner* runner) {
  timer_->stop();
  readers_.clear();
  plot_->setShown({}, {});
  plot_->clearJobs();
  jobs_->setItems({});
  metrics_->setItems({});
  jobsListed_ = false;
  jobStamp_.clear();
  status_->clear();
  ws_ = ws;
  plot_->replot(QCustomPlot::rpQueuedReplot);
  if (!ws) return;
  if (runner)
    connect(runner, &JobRunner::jobStatusChanged, this, &CurvePanel::jobStatusChanged, Qt::UniqueConnection);
  refreshJobs();
  poll();
  timer_->start();
}

void CurvePanel::refreshJobs() {
  if (!ws_) return;
  QList<JobRow> rows;
  try {
    jobStamp_ = jobListStamp(ws_->store());  // before the list: a change in between shows at the next check
    lastJobPollMs_ = QDateTime::currentMSecsSinceEpoch();
    rows = JobStore(ws_->store()).list();
  } catch (const Error& e) {
    status_->setText(e.message());
    return;
  }
  QList<CheckItem> items;
  for (const JobRow& r : rows) {
    const QString name = r.name.isEmpty() ? QStringLiteral("%1 #%2").arg(r.kind).arg(r.id) : r.name;
    items.push_back({r.id, tr("%1 (%2)").arg(name, jobStatusName(r.status)),
                     tr("Job %1: %2, %3").arg(r.id).arg(r.kind, jobStatusName(r.status)), false});
    plot_->setJobLabel(r.id, name);
  }
  if (!jobsListed_) {
    // First listing: the running jobs, else the newest job that logged anything.
    bool any = false;
    for (CheckItem& item : items)
      for (const JobRow& r : rows)
        if (r.id == item.key.toLongLong() && (r.status == JobStatus::Running || r.status == JobStatus::Paused))
          item.checked = any = true;
    if (!any)
      for (CheckItem& item : items)
        if (!JobStore(ws_->store()).metricNames(item.key.toLongLong()).isEmpty()) {
          item.checked = true;
          break;
        }
    jobsListed_ = true;
  }
  jobs_->setItems(items);
  updateShown();
}

void CurvePanel::updateShown() {
  plot_->setShown(idsOf(jobs_->checkedKeys()), [this] {
    QStringList names;
    for (const QVariant& k : metrics_->checkedKeys()) names << k.toString();
    return names;
  }());
  poll();  // a job checked for the first time loads now, not a tick later
}

void CurvePanel::refreshMetricList() {
  QList<CheckItem> items;
  for (const QString& name : plot_->metricNames())
    items.push_back({name, name, {}, settings_.metrics.contains(name)});
  metrics_->setItems(items);
  updateShown();
}

void CurvePanel::poll() {
  // Appending can grow the metric list, which changes what is shown and polls again: one pass at a time.
  if (!ws_ || polling_) return;
  if (QDateTime::currentMSecsSinceEpoch() - lastJobPollMs_ >= kJobPollMs) pollJobList();
  polling_ = true;
  bool any = false;
  try {
    const QList<qint64> shown = plot_->shownJobs();
    for (qint64 id : shown) {
      auto& reader = readers_[id];
      if (!reader) reader = std::make_unique<MetricReader>(ws_->store(), id);
      const std::vector<MetricRow> rows = reader->readNew(kRowsPerTick);
      if (rows.empty()) continue;
      plot_->append(id, rows);
      any = true;
    }
  } catch (const Error& e) {
    status_->setText(e.message());
  }
  polling_ = false;
  if (any) plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CurvePanel::jobStatusChanged(qint64 id, const QString& status) {
  // A resumed job deletes its rows past the checkpoint and logs them again: read it from the start.
  if (status == QLatin1String("running") && readers_.count(id)) {
    readers_[id]->rewind();
    plot_->resetJob(id);
  }
  const bool known = [&] {
    for (const CheckItem& item : jobs_->items())
      if (item.key.toLongLong() == id) return true;
    return false;
  }();
  refreshJobs();
  // A job that starts while nothing is shown is what the user wants to watch.
  if (status == QLatin1String("running") && (!known || jobs_->checkedKeys().isEmpty())) jobs_->setChecked(id, true);
}

void CurvePanel::pollJobList() {
  lastJobPollMs_ = QDateTime::currentMSecsSinceEpoch();
  QString stamp;
  try {
    stamp = jobListStamp(ws_->store());
  } catch (const Error& e) {
    status_->setText(e.message());
    return;
  }
  if (stamp == jobStamp_) return;
  QList<qint64> known;
  for (const CheckItem& item : jobs_->items()) known << item.key.toLongLong();
  refreshJobs();
  // Another process's job that started while nothing is shown is what the user wants to watch, as for ours.
  if (!jobs_->checkedKeys().isEmpty()) return;
  try {
    for (const JobRow& r : JobStore(ws_->store()).list(JobStatus::Running))
      if (!known.contains(r.id)) {
        jobs_->setChecked(r.id, true);
        break;
      }
  } catch (const Error& e) {
    status_->setText(e.message());
  }
}

void CurvePanel::exportAs(const QString& format) {
  const QString filter = format == QLatin1String("png")   ? tr("PNG image (*.png)")
                         : format == QLatin1String("svg") ? tr("SVG drawing (*.svg)")
                                                          : tr("CSV table (*.csv)");
  QString path = QFileDialog::getSaveFileName(this, tr("Export curves"), QStringLiteral("curves.") + format, filter);
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive)) path += QLatin1Char('.') + format;
  try {
    if (format == QLatin1String("png")) exportCurvesPng(*plot_, path);
    else if (format == QLatin1String("svg")) exportCurvesSvg(*plot_, path);
    else exportCurvesCsv(*plot_, path);
    status_->setText(tr("Saved %1").arg(path));
  } catch (const Error& e) {
    status_->setText(e.message());
  }
}

}  // namespace distillery::ui
