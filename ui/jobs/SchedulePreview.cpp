#include "jobs/SchedulePreview.h"

#include "common/Error.h"
#include "kd/ScheduleCurve.h"
#include "plot/QCustomPlot.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace distillery::ui {

SchedulePreview::SchedulePreview(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), error_(new QLabel(this)) {
  setObjectName(QStringLiteral("schedulePreview"));
  plot_->setObjectName(QStringLiteral("schedulePlot"));
  plot_->setMinimumHeight(160);
  plot_->setToolTip(
      tr("τ (left axis) and α (right axis) at each optimizer step, as the distillation loss will "
         "use them."));
  plot_->addGraph(plot_->xAxis, plot_->yAxis);
  plot_->graph(0)->setName(tr("τ (temperature)"));
  plot_->graph(0)->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
  plot_->addGraph(plot_->xAxis, plot_->yAxis2);
  plot_->graph(1)->setName(tr("α (CE weight)"));
  plot_->graph(1)->setPen(QPen(QColor(0xd6, 0x27, 0x28), 2));
  plot_->xAxis->setLabel(tr("step"));
  plot_->yAxis->setLabel(tr("τ"));
  plot_->yAxis2->setLabel(tr("α"));
  plot_->yAxis2->setVisible(true);
  plot_->legend->setVisible(true);
  error_->setObjectName(QStringLiteral("scheduleError"));
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #c62828"));
  error_->hide();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_, 1);
  layout->addWidget(error_);
}

void SchedulePreview::setSchedule(const KdSpec& kd, int64_t totalSteps) {
  steps_.clear();
  tau_.clear();
  alpha_.clear();
  error_->hide();
  const int64_t total = std::max<int64_t>(totalSteps, 1);
  const int64_t points = std::min<int64_t>(total, kMaxPoints);
  try {
    for (int64_t i = 0; i < points; ++i) {
      const int64_t step = points > 1 ? i * (total - 1) / (points - 1) : 0;
      steps_.append(double(step));
      tau_.append(kdTemperatureAt(kd, step, total));
      alpha_.append(kdAlphaAt(kd, step, total));
    }
  } catch (const Error& e) {
    steps_.clear();
    tau_.clear();
    alpha_.clear();
    error_->setText(tr("No preview: %1").arg(e.message()));
    error_->show();
  }
  plot_->graph(0)->setData(steps_, tau_, true);
  plot_->graph(1)->setData(steps_, alpha_, true);
  plot_->xAxis->setRange(0, double(std::max<int64_t>(total - 1, 1)));
  bool found = false;
  const QCPRange tauRange = plot_->graph(0)->getValueRange(found);
  plot_->yAxis->setRange(found ? QCPRange(std::min(0.0, tauRange.lower), tauRange.upper * 1.1 + 0.1) : QCPRange(0, 1));
  plot_->yAxis2->setRange(0, 1.05);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace distillery::ui
