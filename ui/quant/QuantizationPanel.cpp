#include "quant/QuantizationPanel.h"

#include "eval/EvalJobPicker.h"
#include "plot/QCustomPlot.h"
#include "store/Workspace.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <cmath>

namespace distillery::ui {

namespace {

// The statistics the bar chart offers: index into FidelityModel::columns().
const int kBarColumns[] = {0, 2, 4, 5, 7, 8};

QSharedPointer<QCPAxisTickerText> labelTicker(const QStringList& labels) {
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < labels.size(); ++i) ticker->addTick(i + 1, labels[i]);
  return ticker;
}

}  // namespace

QuantizationPanel::QuantizationPanel(QWidget* parent)
    : WorkspacePanel(parent),
      jobs_(new QComboBox(this)),
      statistic_(new QComboBox(this)),
      model_(new FidelityModel(this)),
      view_(new QTableView(this)),
      summary_(new QLabel(this)),
      bars_(new QCustomPlot(this)),
      boxes_(new QCustomPlot(this)) {
  setObjectName(QStringLiteral("panel_quantization"));
  jobs_->setObjectName(QStringLiteral("quantJob"));
  jobs_->setToolTip(tr("An evaluation job with a baseline: each other model (e.g. INT8, INT4) is compared with it."));
  statistic_->setObjectName(QStringLiteral("quantStatistic"));
  statistic_->setToolTip(tr("The statistic the bar chart compares across models."));
  for (int c : kBarColumns)
    statistic_->addItem(QCoreApplication::translate("EvalModels", FidelityModel::columns()[size_t(c)].title), c);
  view_->setObjectName(QStringLiteral("fidelityTable"));
  view_->setModel(model_);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  summary_->setObjectName(QStringLiteral("quantSummary"));
  summary_->setWordWrap(true);
  bars_->setObjectName(QStringLiteral("quantBars"));
  boxes_->setObjectName(QStringLiteral("quantBoxes"));
  for (QCustomPlot* p : {bars_, boxes_}) {
    p->setMinimumHeight(180);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->axisRect()->setRangeZoom(Qt::Vertical);
    p->axisRect()->setRangeDrag(Qt::Vertical);
  }
  boxes_->yAxis->setLabel(tr("per-token KL divergence (nats)"));
  boxes_->setToolTip(tr("Box: 25th to 75th percentile with the median; whiskers: 1st and 99th percentile."));

  auto* top = new QHBoxLayout;
  auto* jobLabel = new QLabel(tr("&Evaluation job:"), this);
  jobLabel->setBuddy(jobs_);
  top->addWidget(jobLabel);
  top->addWidget(jobs_, 1);
  auto* statLabel = new QLabel(tr("&Chart:"), this);
  statLabel->setBuddy(statistic_);
  top->addWidget(statLabel);
  top->addWidget(statistic_);
  auto* plots = new QSplitter(Qt::Horizontal, this);
  plots->addWidget(bars_);
  plots->addWidget(boxes_);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  vertical->addWidget(view_);
  vertical->addWidget(plots);
  vertical->setStretchFactor(0, 2);
  vertical->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Quantization").toHtmlEscaped()), this));
  layout->addLayout(top);
  layout->addWidget(summary_);
  layout->addWidget(vertical, 1);

  connect(jobs_, &QComboBox::currentIndexChanged, this, [this] { showJob(selectedJob(jobs_)); });
  connect(statistic_, &QComboBox::currentIndexChanged, this, &QuantizationPanel::replot);
}

void QuantizationPanel::setWorkspace(const Workspace* ws, JobRunner*) {
  if (ws) store_ = ws->store();
  else store_.reset();
  fillEvalJobs(jobs_, store_ ? &*store_ : nullptr);
  showJob(selectedJob(jobs_));
}

void QuantizationPanel::showJob(qint64 jobId) {
  model_->setEvaluations(store_ && jobId > 0 ? EvalStore(*store_).evaluations(jobId) : QList<EvaluationRow>{});
  summary_->setText(summary());
  replot();
}

QString QuantizationPanel::summary() const {
  if (model_->rowCount() == 0)
    return tr("No model was compared with a baseline in this job. Run an evaluation job with eval.baseline set "
              "(e.g. the float model) and the quantized models beside it.");
  int pass = 0, judged = 0;
  for (int r = 0; r < model_->rowCount(); ++r) {
    const QJsonValue p = model_->row(r).metrics.value(QStringLiteral("fidelity")).toObject().value(QStringLiteral("pass"));
    if (p.isBool()) {
      ++judged;
      pass += p.toBool() ? 1 : 0;
    }
  }
  const double limit = metricValue(model_->row(0).metrics, QStringLiteral("fidelity.max_accuracy_drop"));
  return tr("%1 of %2 models keep the accuracy drop below %3 against the baseline.")
      .arg(pass)
      .arg(judged)
      .arg(std::isfinite(limit) ? QStringLiteral("%1%").arg(limit * 100.0) : QStringLiteral("—"));
}

void QuantizationPanel::replot() {
  bars_->clearPlottables();
  boxes_->clearPlottables();
  QStringList labels;
  for (int r = 0; r < model_->rowCount(); ++r)
    labels << QStringLiteral("%1\n%2").arg(model_->row(r).modelLabel, model_->scheme(r));
  const int column = statistic_->currentData().toInt();
  const MetricColumn& c = FidelityModel::columns()[size_t(column)];
  auto* bars = new QCPBars(bars_->xAxis, bars_->yAxis);
  bars->setName(QCoreApplication::translate("EvalModels", c.title));
  bars->setBrush(QColor(0x5b, 0x8d, 0xef));
  double top = 0;
  for (int r = 0; r < model_->rowCount(); ++r) {
    double v = metricValue(model_->row(r).metrics, c.key);
    if (!std::isfinite(v)) continue;
    if (c.percent) v *= 100.0;
    if (c.bytes) v /= 1024.0 * 1024.0;
    bars->addData(r + 1, v);
    top = std::max(top, v);
  }
  bars_->xAxis->setTicker(labelTicker(labels));
  bars_->xAxis->setRange(0.4, model_->rowCount() + 0.6);
  bars_->yAxis->setRange(0, top > 0 ? top * 1.15 : 1);
  bars_->yAxis->setLabel(QCoreApplication::translate("EvalModels", c.title) +
                         (c.percent ? QStringLiteral(" (%)") : c.bytes ? QStringLiteral(" (MiB)") : QString()));

  auto* box = new QCPStatisticalBox(boxes_->xAxis, boxes_->yAxis);
  box->setBrush(QColor(0xf4, 0xa2, 0x59, 120));
  double high = 0;
  for (int r = 0; r < model_->rowCount(); ++r) {
    const QJsonObject& m = model_->row(r).metrics;
    const auto at = [&](const char* k) { return metricValue(m, QStringLiteral("fidelity.kld.") + QLatin1String(k)); };
    if (!std::isfinite(at("median"))) continue;  // KLD skipped (other tokenizer)
    box->addData(r + 1, at("p1"), at("p25"), at("median"), at("p75"), at("p99"));
    high = std::max(high, at("p99"));
  }
  boxes_->xAxis->setTicker(labelTicker(labels));
  boxes_->xAxis->setRange(0.4, model_->rowCount() + 0.6);
  boxes_->yAxis->setRange(0, high > 0 ? high * 1.15 : 1);
  bars_->replot(QCustomPlot::rpQueuedReplot);
  boxes_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace distillery::ui
