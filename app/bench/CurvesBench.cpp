// distillery-bench curves [N ...]: the Curves panel's plot beside bare QCustomPlot in one run, offscreen.
// For each N (default 100000 and 1000000): 4 curves × N points, adaptive sampling (QCustomPlot's default), a
// 1200×700 plot. Bare: replot() of the static data, and "live": addData of 1% new points per curve then replot().
// Ours: CurvePlot fed the same values as metric rows with EMA smoothing 0.6, each round appending 1% new points
// (CurveBuffer, EMA, graph data, axis bounds) then replot(). Medians of 20 rounds, the live rounds of the plots
// alternating; ratio = ours / bare live. "Ours" draws the same 4 curves as bare (raw curves off); "ours+raw" is the
// panel's default look, each smoothed curve with its faint raw curve behind it (8 curves drawn), compared with a
// bare plot drawing the same 8 (4 faint, non-antialiased twins below the 4 curves) and with the bare 4.
#include "Bench.h"
#include "curves/CurvePlot.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtWidgets/QApplication>

#include <algorithm>
#include <cmath>

namespace distillery::bench {

namespace {

constexpr int kCurves = 4, kRounds = 20;
const char* const kNames[kCurves] = {"grad_norm", "loss", "loss_ce", "loss_kd"};

// A noisy falling loss per curve, deterministic (an LCG, so both sides draw the same numbers).
struct Series {
  std::vector<double> x;
  std::vector<double> y[kCurves];
};

Series makeSeries(qsizetype n) {
  Series s;
  s.x.resize(size_t(n));
  for (auto& y : s.y) y.resize(size_t(n));
  quint32 state = 12345;
  for (qsizetype i = 0; i < n; ++i) {
    s.x[size_t(i)] = double(i + 1);
    for (int c = 0; c < kCurves; ++c) {
      state = state * 1664525u + 1013904223u;
      const double noise = double(state >> 8) / double(1u << 24) - 0.5;
      s.y[c][size_t(i)] = (1.0 + c) * (std::exp(-3.0 * double(i) / double(n)) + 0.05) * (1.0 + 0.2 * noise);
    }
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double ms(const QElapsedTimer& t) { return double(t.nsecsElapsed()) * 1e-6; }

struct Timings {
  double bareStatic = 0, bareLive = 0, ours = 0, bare8Live = 0, oursRaw = 0;
};

Timings measure(qsizetype n) {
  const qsizetype chunk = std::max<qsizetype>(1, n / 100);
  const Series s = makeSeries(n + chunk * kRounds);
  QStringList names;
  for (const char* name : kNames) names << QString::fromLatin1(name);

  const auto curvePoints = [&](int c) {
    QVector<QCPGraphData> points(n);
    for (qsizetype i = 0; i < n; ++i) points[i] = QCPGraphData(s.x[size_t(i)], s.y[c][size_t(i)]);
    return points;
  };
  QCustomPlot bare;
  bare.resize(1200, 700);
  bare.show();
  for (int c = 0; c < kCurves; ++c) bare.addGraph()->data()->set(curvePoints(c), true);
  bare.rescaleAxes();
  // The same 8 curves as ours with raw twins: the twins first (drawn below), faint and not antialiased.
  QCustomPlot bare8;
  bare8.resize(1200, 700);
  bare8.show();
  for (int twin = 1; twin >= 0; --twin)
    for (int c = 0; c < kCurves; ++c) {
      QCPGraph* g = bare8.addGraph();
      g->data()->set(curvePoints(c), true);
      if (twin) {
        g->setPen(QPen(QColor(0, 0, 255, 56), 0));
        g->setAntialiased(false);
      }
    }
  bare8.rescaleAxes();

  ui::CurvePlot ours, oursRaw;
  for (ui::CurvePlot* p : {&ours, &oursRaw}) {
    p->resize(1200, 700);
    p->show();
    p->setSmoothing(0.6);
    p->setShown({1}, names);
  }
  ours.setShowRaw(false);
  oursRaw.setShowRaw(true);
  // Rows as MetricReader hands them over: each step's metrics together.
  auto rows = [&](qsizetype from, qsizetype count) {
    std::vector<MetricRow> out;
    out.reserve(size_t(count * kCurves));
    for (qsizetype i = from; i < from + count; ++i)
      for (int c = 0; c < kCurves; ++c) out.push_back({qint64(s.x[size_t(i)]), names[c], s.y[c][size_t(i)], double(i)});
    return out;
  };
  for (qsizetype from = 0; from < n; from += 100000)
    for (ui::CurvePlot* p : {&ours, &oursRaw}) p->append(1, rows(from, std::min<qsizetype>(100000, n - from)));

  bare.replot();  // warm: paint buffers, label caches
  bare8.replot();
  ours.replot();
  oursRaw.replot();
  Timings t;
  std::vector<double> times;
  for (int r = 0; r < kRounds; ++r) {
    QElapsedTimer timer;
    timer.start();
    bare.replot();
    times.push_back(ms(timer));
  }
  t.bareStatic = median(times);
  // Live rounds alternate between the two plots, so the load of a shared machine falls on both alike.
  std::vector<double> bareTimes, oursTimes, bare8Times, oursRawTimes;
  for (int r = 0; r < kRounds; ++r) {
    const qsizetype from = n + r * chunk;
    QVector<QCPGraphData> points[kCurves];
    for (int c = 0; c < kCurves; ++c) {
      points[c].resize(chunk);
      for (qsizetype i = 0; i < chunk; ++i) points[c][i] = QCPGraphData(s.x[size_t(from + i)], s.y[c][size_t(from + i)]);
    }
    const std::vector<MetricRow> fresh = rows(from, chunk);  // the SQL read is not timed on either side
    QElapsedTimer timer;
    timer.start();
    for (int c = 0; c < kCurves; ++c) bare.graph(c)->data()->add(points[c], true);
    bare.xAxis->setRangeUpper(s.x[size_t(from + chunk - 1)]);
    bare.replot();
    bareTimes.push_back(ms(timer));
    timer.restart();
    ours.append(1, fresh);
    ours.replot();
    oursTimes.push_back(ms(timer));
    timer.restart();
    for (int g = 0; g < 2 * kCurves; ++g) bare8.graph(g)->data()->add(points[g % kCurves], true);
    bare8.xAxis->setRangeUpper(s.x[size_t(from + chunk - 1)]);
    bare8.replot();
    bare8Times.push_back(ms(timer));
    timer.restart();
    oursRaw.append(1, fresh);
    oursRaw.replot();
    oursRawTimes.push_back(ms(timer));
  }
  t.bareLive = median(bareTimes);
  t.ours = median(oursTimes);
  t.bare8Live = median(bare8Times);
  t.oursRaw = median(oursRawTimes);
  return t;
}

}  // namespace

int curvesBench(BenchContext& ctx) {
  QList<qsizetype> sizes;
  for (const QString& a : ctx.args) sizes << a.toLongLong();
  if (sizes.isEmpty()) sizes = {100000, 1000000};
  ctx.out << QStringLiteral("curves: %1 curves, 1200x700 offscreen (%2), adaptive sampling, median of %3 replots; "
                            "live rounds add 1% points per curve; ours smooths (EMA 0.6)\n")
                 .arg(kCurves)
                 .arg(QGuiApplication::platformName())
                 .arg(kRounds);
  ctx.out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                 .arg(QStringLiteral("points/curve"), -14)
                 .arg(QStringLiteral("bare ms"), 10)
                 .arg(QStringLiteral("bare live ms"), 14)
                 .arg(QStringLiteral("ours live ms"), 14)
                 .arg(QStringLiteral("ours/bare live"), 16)
                 .arg(QStringLiteral("bare 8 ms"), 11)
                 .arg(QStringLiteral("ours+raw ms"), 13)
                 .arg(QStringLiteral("ours+raw/bare 8"), 17)
                 .arg(QStringLiteral("ours+raw/bare 4"), 17);
  QJsonArray results;
  for (qsizetype n : sizes) {
    if (n <= 0) continue;
    const Timings t = measure(n);
    const double ratio = t.bareLive > 0 ? t.ours / t.bareLive : 0;
    const double rawRatio = t.bare8Live > 0 ? t.oursRaw / t.bare8Live : 0;
    const double rawRatio4 = t.bareLive > 0 ? t.oursRaw / t.bareLive : 0;
    ctx.out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                   .arg(n, -14)
                   .arg(t.bareStatic, 10, 'f', 2)
                   .arg(t.bareLive, 14, 'f', 2)
                   .arg(t.ours, 14, 'f', 2)
                   .arg(ratio, 16, 'f', 2)
                   .arg(t.bare8Live, 11, 'f', 2)
                   .arg(t.oursRaw, 13, 'f', 2)
                   .arg(rawRatio, 17, 'f', 2)
                   .arg(rawRatio4, 17, 'f', 2);
    ctx.out.flush();
    results.append(QJsonObject{{QStringLiteral("points_per_curve"), qint64(n)},
                               {QStringLiteral("curves"), kCurves},
                               {QStringLiteral("bare_replot_ms"), t.bareStatic},
                               {QStringLiteral("bare_live_ms"), t.bareLive},
                               {QStringLiteral("ours_live_ms"), t.ours},
                               {QStringLiteral("ratio"), ratio},
                               {QStringLiteral("bare_8_live_ms"), t.bare8Live},
                               {QStringLiteral("ours_raw_live_ms"), t.oursRaw},
                               {QStringLiteral("ours_raw_ratio"), rawRatio},
                               {QStringLiteral("ours_raw_ratio_to_bare_4"), rawRatio4}});
  }
  ctx.results.insert(QStringLiteral("curves"), QJsonObject{{QStringLiteral("platform"), QGuiApplication::platformName()},
                                                           {QStringLiteral("rounds"), kRounds},
                                                           {QStringLiteral("sizes"), results}});
  return 0;
}

}  // namespace distillery::bench
