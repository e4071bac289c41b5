#include "curves/CurvePlot.h"

#include <QtWidgets/QToolTip>

#include <algorithm>
#include <cmath>

namespace distillery::ui {

// Tableau 10: distinct on light backgrounds and for the common colour-vision deficiencies.
static QColor paletteColor(int i) {
  static const QRgb colors[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor(colors[i % 10]);
}

void CurvePlot::Bounds::add(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  if (empty) {
    xMin = xMax = x;
    yMin = yMax = y;
    empty = false;
  } else {
    xMin = std::min(xMin, x);
    xMax = std::max(xMax, x);
    yMin = std::min(yMin, y);
    yMax = std::max(yMax, y);
  }
  if (y > 0) {
    yMinPositive = anyPositive ? std::min(yMinPositive, y) : y;
    anyPositive = true;
  }
}

CurvePlot::CurvePlot(QWidget* parent) : QCustomPlot(parent) {
  setObjectName(QStringLiteral("curvePlot"));
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  setNoAntialiasingOnDrag(true);
  legend->setVisible(true);
  legend->setBrush(QColor(255, 255, 255, 210));
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  // The tracer lives on a buffered layer of its own, so moving it repaints that layer only, not the curves.
  addLayer(QStringLiteral("hover"), layer(QStringLiteral("overlay")), QCustomPlot::limBelow);
  layer(QStringLiteral("hover"))->setMode(QCPLayer::lmBuffered);
  tracer_ = new QCPItemTracer(this);
  tracer_->setLayer(QStringLiteral("hover"));
  tracer_->setStyle(QCPItemTracer::tsCircle);
  tracer_->setSize(8);
  tracer_->setVisible(false);
  // Not a tooltip: it would cover the hover values.
  setWhatsThis(tr("Drag to pan, wheel to zoom, double-click to fit the curves again. Hover a curve for its values."));
  updateAxisLabels();
}

CurvePlot::~CurvePlot() = default;

CurvePlot::Job& CurvePlot::job(qint64 jobId) {
  auto [it, created] = jobs_.try_emplace(jobId);
  if (created) {
    it->second.label = QStringLiteral("#%1").arg(jobId);
    it->second.buffer.setSmoothing(smoothing_);
  }
  return it->second;
}

void CurvePlot::append(qint64 jobId, const std::vector<MetricRow>& rows) {
  if (rows.empty()) return;
  Job& j = job(jobId);
  const CurveBuffer::Change change = j.buffer.append(rows);
  const bool shown = shownJobs_.contains(jobId);
  bool namesChanged = false, needRebuild = false;
  for (const auto& [name, from] : change.grown) {
    if (shown && !knownNames_.contains(name)) namesChanged = true;
    if (!shown || !shownMetrics_.contains(name)) continue;
    auto it = graphs_.find({jobId, name});
    if (it == graphs_.end()) {
      needRebuild = true;  // the pair's first points: it gets a graph (and a legend entry, in order)
      continue;
    }
    fill(it->second, *j.buffer.series(name), from);
  }
  if (shown && !change.rewritten.isEmpty()) needRebuild = true;
  if (needRebuild) rebuildGraphs();
  else if (follow_) updateRanges();
  if (namesChanged) {
    knownNames_ = metricNames();
    Q_EMIT metricNamesChanged();
  }
}

// Appends the series' points from index `from` on (from 0: replaces the graph's data).
void CurvePlot::fill(Graph& g, const CurveSeries& s, qsizetype from) {
  const std::vector<double>& xs = s.x(axis_);
  QVector<QCPGraphData> points(s.size() - from);
  for (qsizetype i = from; i < s.size(); ++i) {
    points[i - from] = QCPGraphData(xs[size_t(i)], s.smoothed[size_t(i)]);
    g.bounds.add(xs[size_t(i)], s.smoothed[size_t(i)]);
  }
  const bool sorted = std::is_sorted(xs.begin() + from, xs.end());  // wall time may restart after a resume
  if (from == 0) g.graph->data()->set(points, sorted);
  else g.graph->data()->add(points, sorted);
}

void CurvePlot::rebuildGraphs() {
  tracer_->setGraph(nullptr);  // it would point at a deleted graph
  tracer_->setVisible(false);
  for (auto& [key, g] : graphs_) removeGraph(g.graph);
  graphs_.clear();
  int color = 0;
  for (qint64 id : shownJobs_) {
    auto jt = jobs_.find(id);
    for (const QString& metric : shownMetrics_) {
      const CurveSeries* s = jt == jobs_.end() ? nullptr : jt->second.buffer.series(metric);
      if (!s || s->size() == 0) continue;
      Graph& g = graphs_[{id, metric}];
      g.graph = addGraph();
      g.graph->setName(tr("%1: %2").arg(jt->second.label, metric));
      // Width 0 (cosmetic, one device pixel): wider antialiased lines go through the stroker, ~20× slower to draw.
      g.graph->setPen(QPen(paletteColor(color++), 0));
      // Validation runs every N steps: its few points are marked (a single one is visible at all). Training series
      // stay unmarked: a marker per point would cost every replot of a long run.
      if (metric.startsWith(QLatin1String("val_")))
        g.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
      fill(g, *s, 0);
    }
  }
  if (follow_) updateRanges();
}

void CurvePlot::updateRanges() {
  Bounds all;
  for (const auto& [key, g] : graphs_) {
    if (g.bounds.empty) continue;
    all.add(g.bounds.xMin, g.bounds.yMin);
    all.add(g.bounds.xMax, g.bounds.yMax);
    if (g.bounds.anyPositive) all.add(g.bounds.xMin, g.bounds.yMinPositive);
  }
  if (all.empty) return;
  const double xPad = all.xMax > all.xMin ? 0.0 : 1.0;
  xAxis->setRange(all.xMin - xPad, all.xMax + xPad);
  if (logY_) {
    if (!all.anyPositive) return;
    const double lo = all.yMinPositive, hi = std::max(all.yMax, lo);
    yAxis->setRange(lo / 1.2, hi * 1.2);
  } else {
    const double span = all.yMax - all.yMin, pad = span > 0 ? span * 0.05 : std::max(1e-9, std::abs(all.yMax) * 0.1);
    yAxis->setRange(all.yMin - pad, all.yMax + pad);
  }
}

void CurvePlot::updateAxisLabels() {
  xAxis->setLabel(axis_ == CurveAxis::Step       ? tr("Step")
                  : axis_ == CurveAxis::WallTime ? tr("Wall time (s)")
                                                 : tr("Tokens"));
  yAxis->setLabel(shownMetrics_.size() == 1 ? shownMetrics_.first() : tr("Value"));
}

void CurvePlot::resetJob(qint64 jobId) {
  if (auto it = jobs_.find(jobId); it != jobs_.end()) it->second.buffer.clear();
  rebuildGraphs();
}

void CurvePlot::clearJobs() {
  jobs_.clear();
  knownNames_.clear();
  rebuildGraphs();
}

void CurvePlot::setJobLabel(qint64 jobId, const QString& label) {
  Job& j = job(jobId);
  if (j.label == label) return;
  j.label = label;
  for (auto& [key, g] : graphs_)
    if (key.first == jobId) g.graph->setName(tr("%1: %2").arg(label, key.second));
}

QString CurvePlot::jobLabel(qint64 jobId) const {
  auto it = jobs_.find(jobId);
  return it == jobs_.end() ? QStringLiteral("#%1").arg(jobId) : it->second.label;
}

void CurvePlot::setShown(const QList<qint64>& jobs, const QStringList& metrics) {
  if (jobs == shownJobs_ && metrics == shownMetrics_) return;
  shownJobs_ = jobs;
  shownMetrics_ = metrics;
  updateAxisLabels();
  rebuildGraphs();
  const QStringList names = metricNames();
  if (names != knownNames_) {
    knownNames_ = names;
    Q_EMIT metricNamesChanged();
  }
}

void CurvePlot::setSmoothing(double w) {
  w = std::clamp(w, 0.0, 0.999);
  if (w == smoothing_) return;
  smoothing_ = w;
  for (auto& [id, j] : jobs_) j.buffer.setSmoothing(w);
  rebuildGraphs();
}

void CurvePlot::setLogY(bool on) {
  if (on == logY_) return;
  logY_ = on;
  yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
  else yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  updateRanges();
}

void CurvePlot::setXAxis(CurveAxis axis) {
  if (axis == axis_) return;
  axis_ = axis;
  updateAxisLabels();
  rebuildGraphs();
  updateRanges();  // the old x range means nothing on the new axis
}

void CurvePlot::fitToData() {
  follow_ = true;
  updateRanges();
  replot(rpQueuedReplot);
}

const CurveBuffer* CurvePlot::buffer(qint64 jobId) const {
  auto it = jobs_.find(jobId);
  return it == jobs_.end() ? nullptr : &it->second.buffer;
}

QStringList CurvePlot::metricNames() const {
  QStringList names;
  for (qint64 id : shownJobs_)
    if (auto it = jobs_.find(id); it != jobs_.end())
      for (const QString& n : it->second.buffer.names())
        if (!names.contains(n)) names << n;
  names.sort();
  return names;
}

QCPGraph* CurvePlot::graphFor(qint64 jobId, const QString& metric) const {
  auto it = graphs_.find({jobId, metric});
  return it == graphs_.end() ? nullptr : it->second.graph;
}

QList<CurvePlot::ShownSeries> CurvePlot::shownSeries() const {
  QList<ShownSeries> list;
  for (qint64 id : shownJobs_)
    for (const QString& metric : shownMetrics_)
      if (graphs_.count({id, metric})) {
        const Job& j = jobs_.at(id);
        list.push_back({id, j.label, j.buffer.series(metric)});
      }
  return list;
}

QString CurvePlot::hoverText(const QPointF& pos) {
  double best = 20;  // pixels
  const Key* bestKey = nullptr;
  int bestIndex = -1;
  for (const auto& [key, g] : graphs_) {
    QVariant details;
    const double d = g.graph->selectTest(pos, false, &details);
    const QCPDataSelection sel = details.value<QCPDataSelection>();
    if (d >= 0 && d < best && !sel.isEmpty()) {
      best = d;
      bestKey = &key;
      bestIndex = sel.dataRange().begin();
    }
  }
  if (!bestKey) {
    tracer_->setVisible(false);
    return {};
  }
  const Graph& g = graphs_.at(*bestKey);
  const double key = (g.graph->data()->constBegin() + bestIndex)->key;
  tracer_->setGraph(g.graph);
  tracer_->setGraphKey(key);
  tracer_->setPen(g.graph->pen());
  tracer_->setVisible(true);
  // The graph's points are the series' points in x order, which is their order except after a wall-time restart.
  const CurveSeries& s = *jobs_.at(bestKey->first).buffer.series(bestKey->second);
  const std::vector<double>& xs = s.x(axis_);
  auto at = std::find(xs.begin(), xs.end(), key);
  const size_t i = at == xs.end() ? size_t(std::min<qsizetype>(bestIndex, s.size() - 1)) : size_t(at - xs.begin());
  QString text = tr("%1 · %2\nstep %3 · %4 s · %5 tokens\nvalue %6")
                     .arg(jobLabel(bestKey->first), bestKey->second)
                     .arg(qint64(s.step[i]))
                     .arg(s.wallTime[i], 0, 'f', 1)
                     .arg(qint64(s.tokens[i]))
                     .arg(s.raw[i], 0, 'g', 6);
  if (smoothing_ > 0) text += tr(" (smoothed %1)").arg(s.smoothed[i], 0, 'g', 6);
  return text;
}

void CurvePlot::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  if (event->buttons() != Qt::NoButton) return;
  const bool wasVisible = tracer_->visible();
  const QString text = hoverText(event->position());
  if (text.isEmpty()) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), text, this);
  if (wasVisible || tracer_->visible()) layer(QStringLiteral("hover"))->replot();
}

void CurvePlot::mousePressEvent(QMouseEvent* event) {
  follow_ = false;  // the user pans: stop moving the axes under the mouse
  QCustomPlot::mousePressEvent(event);
}

void CurvePlot::wheelEvent(QWheelEvent* event) {
  follow_ = false;
  QCustomPlot::wheelEvent(event);
}

void CurvePlot::mouseDoubleClickEvent(QMouseEvent* event) {
  QCustomPlot::mouseDoubleClickEvent(event);
  fitToData();
}

void CurvePlot::leaveEvent(QEvent* event) {
  QCustomPlot::leaveEvent(event);
  if (tracer_->visible()) {
    tracer_->setVisible(false);
    layer(QStringLiteral("hover"))->replot();
  }
}

}  // namespace distillery::ui
