// The metric series of one job as the Curves panel plots them: raw values, their EMA-smoothed values and the
// three x coordinates (step, wall time, tokens), appended to as rows arrive. A plain class (no widgets), so it
// is tested and benchmarked on its own.
//
// Smoothing is TensorBoard's debiased exponential moving average with weight w in [0, 1):
//   last_t     = w · last_{t−1} + (1 − w) · x_t      (last_0 = 0)
//   smoothed_t = last_t / (1 − w^t)                   (t = 1, 2, … counts the finite values so far)
// The division removes the pull towards 0 of the zero start; w = 0 plots the raw values. A non-finite x_t is
// plotted as is and does not enter the average.
//
// Tokens on the x-axis are the cumulative training tokens at a point's step: the trainer's `tokens` metric (tokens
// seen so far) when the job logs it, else the sum of tokens_per_s · Δwall_time over its rows. A point whose step
// has no count yet (validation rows, or a read that split a step) takes the latest count at or before its step.
#pragma once
#include "store/MetricReader.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <map>
#include <vector>

namespace distillery::ui {

enum class CurveAxis { Step = 0, WallTime = 1, Tokens = 2 };

struct CurveSeries {
  QString name;
  std::vector<double> step, wallTime, tokens;  // x coordinates, one per point
  std::vector<double> raw, smoothed;           // y: as logged, and after the EMA
  double emaLast = 0;                          // the EMA's running state (last_t above)
  double emaPower = 1;                         // w^t, t: finite values averaged so far (kept, not pow()ed)
  const std::vector<double>& x(CurveAxis axis) const {
    return axis == CurveAxis::Step ? step : axis == CurveAxis::WallTime ? wallTime : tokens;
  }
  qsizetype size() const { return qsizetype(raw.size()); }
};

class CurveBuffer {
 public:
  // What one append() changed: series that only grew (from index `from` on) and series that were rewritten
  // (a resumed job logged steps again that the series already had: its tail was dropped first).
  struct Change {
    std::map<QString, qsizetype> grown;  // name → index of the first new point
    QStringList rewritten;
  };

  explicit CurveBuffer(double smoothing = 0) { setSmoothing(smoothing); }

  // Adds rows in the order they were logged (steps ascending within a series). Rows of the token metrics feed
  // the tokens axis and are series of their own as well.
  Change append(const std::vector<MetricRow>& rows);
  // Sets w (clamped to [0, 0.999]) and recomputes every series' smoothed values.
  void setSmoothing(double w);
  double smoothing() const { return smoothing_; }
  void clear();

  QStringList names() const;  // sorted
  const CurveSeries* series(const QString& name) const;
  // Cumulative training tokens at `step` (see above); 0 before the first count.
  double tokensAt(qint64 step) const;

  // TensorBoard's debiased EMA of a whole series (the formula above), for tests and exports.
  static std::vector<double> smooth(const std::vector<double>& values, double w);

 private:
  void smoothFrom(CurveSeries& s, qsizetype from) const;
  void noteTokens(const MetricRow& r);

  double smoothing_ = 0;
  std::map<QString, CurveSeries> series_;
  std::map<qint64, double> tokensByStep_;  // step → cumulative tokens
  bool hasTokensMetric_ = false;           // the job logs `tokens`: tokens_per_s is not integrated then
  double derivedTokens_ = 0, lastRateWall_ = 0;
};

}  // namespace distillery::ui
