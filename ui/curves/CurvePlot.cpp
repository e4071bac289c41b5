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
  // Raw curves on a layer below the smoothed ones, so no run's faint curve covers another run's smoothed one.
  addLayer(QStringLiteral("raw"), layer(QStringLiteral("main")), QCustomPlot::limBelow);
  yAxis2->setVisible(false);  // shown while a right-axis metric is drawn
  yAxis2->setTickLabels(true);
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

// Appends the series' points from index `from` on (from 0: replaces the graph's data), to the raw curve as well.
void CurvePlot::fill(Graph& g, const CurveSeries& s, qsizetype from) {
  const std::vector<double>& xs = s.x(axis_);
  QVector<QCPGraphData> points(s.size() - from), raw(g.raw ? s.size() - from : 0);
  for (qsizetype i = from; i < s.size(); ++i) {
    const double x = xs[size_t(i)];
    points[i - from] = QCPGraphData(x, s.smoothed[size_t(i)]);
    g.bounds.add(x, s.smoothed[size_t(i)]);
    if (g.raw) {
      raw[i - from] = QCPGraphData(x, s.raw[size_t(i)]);
      g.rawBounds.add(x, s.raw[size_t(i)]);
    }
  }
  const bool sorted = std::is_sorted(xs.begin() + from, xs.end());  // wall time may restart after a resume
  for (auto [graph, data] : {std::pair{g.graph, &points}, std::pair{g.raw, &raw}}) {
    if (!graph) continue;
    if (from == 0) graph->data()->set(*data, sorted);
    else graph->data()->add(*data, sorted);
  }
}

bool CurvePlot::onRightAxis(const QString& metric) {
  static const QStringList names = {
      QStringLiteral("lr"),      QStringLiteral("grad_norm"), QStringLiteral("tokens"), QStringLiteral("tokens_per_s"),
      QStringLiteral("gpu_mem"), QStringLiteral("epoch"),     QStringLiteral("eta_s"),  QStringLiteral("val_tokens")};
  return names.contains(metric) || metric.startsWith(QLatin1String("lr_")) || metric.startsWith(QLatin1String("grad_"));
}

QString CurvePlot::graphName(const QString& jobLabel, const QString& metric) const {
  return onRightAxis(metric) ? tr("%1: %2 (right axis)").arg(jobLabel, metric) : tr("%1: %2").arg(jobLabel, metric);
}

void CurvePlot::rebuildGraphs() {
  tracer_->setGraph(nullptr);  // it would point at a deleted graph
  tracer_->setVisible(false);
  for (auto& [key, g] : graphs_) {
    if (g.raw) removeGraph(g.raw);
    removeGraph(g.graph);
  }
  graphs_.clear();
  const bool drawRaw = showRaw_ && smoothing_ > 0;
  bool anyRight = false;
  int color = 0;
  for (qint64 id : shownJobs_) {
    auto jt = jobs_.find(id);
    for (const QString& metric : shownMetrics_) {
      const CurveSeries* s = jt == jobs_.end() ? nullptr : jt->second.buffer.series(metric);
      if (!s || s->size() == 0) continue;
      Graph& g = graphs_[{id, metric}];
      g.right = onRightAxis(metric);
      anyRight = anyRight || g.right;
      QCPAxis* valueAxis = g.right ? yAxis2 : yAxis;
      const QColor c = paletteColor(color++);
      if (drawRaw) {
        g.raw = addGraph(xAxis, valueAxis);
        g.raw->setLayer(QStringLiteral("raw"));
        g.raw->setName(tr("%1 (raw)").arg(graphName(jt->second.label, metric)));
        g.raw->removeFromLegend();  // the legend names the smoothed curve; its raw twin has its colour
        QColor faint = c;
        faint.setAlpha(56);
        g.raw->setPen(QPen(faint, 0));
        // Not antialiased: at this alpha the jagged edge does not show, and the twin costs half as much to draw.
        g.raw->setAntialiased(false);
      }
      g.graph = addGraph(xAxis, valueAxis);
      g.graph->setName(graphName(jt->second.label, metric));
      // Width 0 (cosmetic, one device pixel): wider antialiased lines go through the stroker, ~20× slower to draw.
      g.graph->setPen(QPen(c, 0));
      // Validation runs every N steps: its few points are marked (a single one is visible at all). Training series
      // stay unmarked: a marker per point would cost every replot of a long run.
      if (metric.startsWith(QLatin1String("val_")))
        g.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
      fill(g, *s, 0);
    }
  }
  yAxis2->setVisible(anyRight);
  if (follow_) updateRanges();
}

void CurvePlot::updateRanges() {
  Bounds left, right;
  for (const auto& [key, g] : graphs_)
    for (const Bounds* b : {&g.bounds, g.raw ? &g.rawBounds : nullptr}) {
      if (!b || b->empty) continue;
      Bounds& all = g.right ? right : left;
      all.add(b->xMin, b->yMin);
      all.add(b->xMax, b->yMax);
      if (b->anyPositive) all.add(b->xMin, b->yMinPositive);
    }
  if (left.empty && right.empty) return;
  const double xMin = left.empty ? right.xMin : right.empty ? left.xMin : std::min(left.xMin, right.xMin);
  const double xMax = left.empty ? right.xMax : right.empty ? left.xMax : std::max(left.xMax, right.xMax);
  const double xPad = xMax > xMin ? 0.0 : 1.0;
  xAxis->setRange(xMin - xPad, xMax + xPad);
  rangeAxis(yAxis, left);
  rangeAxis(yAxis2, right);
}

// One value axis fitted to the bounds of its curves (left as it is when it has none).
void CurvePlot::rangeAxis(QCPAxis* axis, const Bounds& all) const {
  if (all.empty) return;
  if (logY_) {
    if (!all.anyPositive) return;
    const double lo = all.yMinPositive, hi = std::max(all.yMax, lo);
    axis->setRange(lo / 1.2, hi * 1.2);
  } else {
    const double span = all.yMax - all.yMin, pad = span > 0 ? span * 0.05 : std::max(1e-9, std::abs(all.yMax) * 0.1);
    axis->setRange(all.yMin - pad, all.yMax + pad);
  }
}

void CurvePlot::updateAxisLabels() {
  xAxis->setLabel(axis_ == CurveAxis::Step       ? tr("Step")
                  : axis_ == CurveAxis::WallTime ? tr("Wall time (s)")
                                                 : tr("Tokens"));
  QStringList left, right;
  for (const QString& m : shownMetrics_) (onRightAxis(m) ? right : left) << m;
  yAxis->setLabel(left.size() == 1 ? left.first() : tr("Value"));
  yAxis2->setLabel(right.join(QStringLiteral(", ")));
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
    if (key.first == jobId) {
      g.graph->setName(graphName(label, key.second));
      if (g.raw) g.raw->setName(tr("%1 (raw)").arg(graphName(label, key.second)));
    }
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

void CurvePlot::setShowRaw(bool on) {
  if (on == showRaw_) return;
  showRaw_ = on;
  rebuildGraphs();
}

void CurvePlot::setLogY(bool on) {
  if (on == logY_) return;
  logY_ = on;
  for (QCPAxis* axis : {yAxis, yAxis2}) {
    axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  }
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

QCPGraph* CurvePlot::rawGraphFor(qint64 jobId, const QString& metric) const {
  auto it = graphs_.find({jobId, metric});
  return it == graphs_.end() ? nullptr : it->second.raw;
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
