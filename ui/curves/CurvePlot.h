// The Curves panel's plot: one graph per shown (job, metric) pair on a QCustomPlot, fed by CurveBuffers. New
// rows go to the graphs with addData (never a full reload), the axes follow the data from bounds kept as points
// arrive (no scan of the series), and the caller replots once per timer tick (rpQueuedReplot). Zoom and pan with
// the mouse stop the following; a double-click (or fitToData) brings it back. Hovering shows the nearest point.
//
// Behind each smoothed curve a faint raw curve (same colour, low alpha, on a layer below) shows what the EMA
// hides; it is left out while smoothing is 0 (the two would coincide). Metrics of another scale than the losses
// (lr, grad_norm, token counts and rates, ...: onRightAxis) go on the right y-axis, each axis ranged on its own
// curves; log-y applies to both axes, each from its own smallest positive value.
#pragma once
#include "curves/CurveBuffer.h"
#include "plot/QCustomPlot.h"

#include <map>
#include <memory>
#include <utility>

namespace distillery::ui {

class CurvePlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit CurvePlot(QWidget* parent = nullptr);
  ~CurvePlot() override;

  // Rows of a job read since the last call (MetricReader::readNew); shown graphs get the new points.
  void append(qint64 jobId, const std::vector<MetricRow>& rows);
  // Forgets a job's points (it will be read again from its first row); clearJobs forgets every job.
  void resetJob(qint64 jobId);
  void clearJobs();
  // The name the legend and exports give a job ("#id" until set).
  void setJobLabel(qint64 jobId, const QString& label);
  QString jobLabel(qint64 jobId) const;
  // Which jobs and metrics are drawn: one graph per pair that has points.
  void setShown(const QList<qint64>& jobs, const QStringList& metrics);
  const QList<qint64>& shownJobs() const { return shownJobs_; }
  const QStringList& shownMetrics() const { return shownMetrics_; }

  void setSmoothing(double w);  // EMA weight in [0, 0.999] (CurveBuffer); 0 draws the raw values
  // Draws the faint raw curve behind each smoothed one (when smoothing > 0).
  void setShowRaw(bool on);
  bool showRaw() const { return showRaw_; }
  double smoothing() const { return smoothing_; }
  void setLogY(bool on);
  bool logY() const { return logY_; }
  void setXAxis(CurveAxis axis);
  CurveAxis xAxisMode() const { return axis_; }

  // Sets the axes to the shown data and follows new points again.
  void fitToData();
  bool following() const { return follow_; }

  const CurveBuffer* buffer(qint64 jobId) const;
  // Metric names the shown jobs have, sorted.
  QStringList metricNames() const;
  // The graph of a pair, nullptr when not drawn; rawGraphFor: its faint raw curve, nullptr when not drawn.
  QCPGraph* graphFor(qint64 jobId, const QString& metric) const;
  QCPGraph* rawGraphFor(qint64 jobId, const QString& metric) const;
  // Whether a metric is drawn on the right y-axis: lr and grad_norm (and names starting "lr_" or "grad_"), the
  // token counts and rates, gpu_mem, epoch, eta_s. Losses and every other metric go on the left.
  static bool onRightAxis(const QString& metric);

  struct ShownSeries {
    qint64 jobId;
    QString jobLabel;
    const CurveSeries* series;
  };
  // The drawn series in legend order (for exports).
  QList<ShownSeries> shownSeries() const;

  // What hovering at `pos` (widget pixels) shows: the nearest point within 20 px, or an empty text.
  QString hoverText(const QPointF& pos);

 Q_SIGNALS:
  // A shown job logged a metric name not seen before (the panel's metric list grows).
  void metricNamesChanged();

 protected:
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  struct Bounds {  // of one graph's points, kept up to date as they arrive
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0, yMinPositive = 0;
    bool empty = true, anyPositive = false;
    void add(double x, double y);
  };
  struct Job {
    QString label;
    CurveBuffer buffer;
  };
  struct Graph {
    QCPGraph* graph = nullptr;  // the smoothed curve (the raw values when smoothing is 0)
    QCPGraph* raw = nullptr;    // the faint raw curve behind it, when drawn
    Bounds bounds, rawBounds;   // of the two curves' points
    bool right = false;         // on yAxis2
  };
  using Key = std::pair<qint64, QString>;

  void rebuildGraphs();
  void fill(Graph& g, const CurveSeries& s, qsizetype from);
  void updateRanges();
  void rangeAxis(QCPAxis* axis, const Bounds& all) const;
  void updateAxisLabels();
  QString graphName(const QString& jobLabel, const QString& metric) const;
  Job& job(qint64 jobId);

  std::map<qint64, Job> jobs_;
  std::map<Key, Graph> graphs_;
  QList<qint64> shownJobs_;
  QStringList shownMetrics_;
  QStringList knownNames_;
  double smoothing_ = 0;
  bool showRaw_ = true;
  bool logY_ = false;
  CurveAxis axis_ = CurveAxis::Step;
  bool follow_ = true;
  QCPItemTracer* tracer_;
};

}  // namespace distillery::ui
