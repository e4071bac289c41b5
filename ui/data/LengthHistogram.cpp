#include "data/LengthHistogram.h"

#include "plot/QCustomPlot.h"

#include <QtCore/QJsonArray>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

LengthHistogram::LengthHistogram(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)), bars_(nullptr) {
  setObjectName(QStringLiteral("lengthHistogram"));
  setToolTip(tr("Rows per token-length bin (equal-width bins from the shortest to the longest row)."));
  bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars_->setName(tr("rows"));
  bars_->setPen(QPen(QColor(0x1f, 0x77, 0xb4)));
  bars_->setBrush(QColor(0x1f, 0x77, 0xb4, 140));
  plot_->yAxis->setLabel(tr("rows"));
  plot_->setMinimumHeight(160);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
}

void LengthHistogram::setHistogram(const QJsonObject& histogram, const QString& xLabel) {
  const QJsonArray edges = histogram.value(QStringLiteral("edges")).toArray();
  const QJsonArray counts = histogram.value(QStringLiteral("counts")).toArray();
  if (edges.size() != counts.size() + 1 || counts.isEmpty()) {
    clear();
    return;
  }
  QVector<double> keys, values;
  double top = 0;
  for (int i = 0; i < counts.size(); ++i) {
    keys << (edges[i].toDouble() + edges[i + 1].toDouble()) / 2;  // bar at the bin's centre, as wide as the bin
    values << counts[i].toDouble();
    top = qMax(top, values.back());
  }
  const double width = edges[1].toDouble() - edges[0].toDouble();
  bars_->setWidth(width > 0 ? width : 1.0);  // all rows the same length: one bin of width 0
  bars_->setData(keys, values, /*alreadySorted=*/true);
  plot_->xAxis->setLabel(xLabel);
  plot_->xAxis->setRange(edges.first().toDouble() - width / 2, edges.last().toDouble() + width / 2);
  plot_->yAxis->setRange(0, top * 1.08 + 1);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void LengthHistogram::clear() {
  bars_->data()->clear();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

int LengthHistogram::bars() const { return bars_->data()->size(); }

std::vector<double> LengthHistogram::counts() const {
  std::vector<double> out;
  for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it) out.push_back(it->value);
  return out;
}

}  // namespace distillery::ui
