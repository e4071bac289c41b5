// The Curves panel offscreen: the debiased EMA against hand-computed values, the tokens axis, resumed series,
// reading only new rows, axis modes, overlays and their legend, the faint raw curves (against stored values) behind
// the smoothed ones (against a Python reference, tests/data/gui_curves), the right y-axis for lr and grad_norm,
// jobs another process adds to the store, exports (CSV exact, PNG/SVG real), the pickers' model, persisted
// settings, the panel inside MainWindow, and a tiny real LoRA job whose curve grows live.
#include "curves/CheckListModel.h"
#include "curves/CurveBuffer.h"
#include "curves/CurveExport.h"
#include "curves/CurvePanel.h"
#include "curves/CurvePlot.h"
#include "curves/CurveSettings.h"
#include "jobs/JobRunner.h"
#include "shell/MainWindow.h"
#include "store/MetricReader.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include "Fixtures.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtGui/QImage>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QSlider>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace distillery;
using namespace distillery::ui;

namespace {

MetricRow row(qint64 step, const char* name, double value, double wall) {
  return MetricRow{step, QString::fromLatin1(name), value, wall};
}

// A job row (succeeded) with this name; returns its id.
qint64 addJob(const Store& store, const QString& name) {
  QSqlQuery q(store.connection());
  q.prepare(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) "
                           "VALUES ('lora', ?, '{}', 'succeeded', 'now')"));
  q.addBindValue(name);
  if (!q.exec()) qFatal("cannot add a job");
  return q.lastInsertId().toLongLong();
}

// Metric rows of a job in one statement.
void addMetrics(const Store& store, qint64 job, const std::vector<MetricRow>& rows) {
  QStringList values;
  for (const MetricRow& r : rows)
    values << QStringLiteral("(%1, %2, '%3', %4, %5)")
                  .arg(job)
                  .arg(r.step)
                  .arg(r.name)
                  .arg(r.value, 0, 'g', 17)
                  .arg(r.wallTime, 0, 'g', 17);
  store.exec(QStringLiteral("INSERT INTO metrics (job_id, step, name, value, wall_time) VALUES ") +
             values.join(QLatin1Char(',')));
}

std::vector<double> keysOf(const QCPGraph* g) {
  std::vector<double> keys;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) keys.push_back(it->key);
  return keys;
}

std::vector<double> valuesOf(const QCPGraph* g) {
  std::vector<double> values;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) values.push_back(it->value);
  return values;
}

// tests/data/gui_curves/ema_reference.json (make_ema_reference.py): steps, loss, lr, smoothed{"0.6", "0.9"}.
QJsonObject emaReference() {
  QFile f(testDataDir() + QStringLiteral("/gui_curves/ema_reference.json"));
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read ema_reference.json");
  return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<double> doubles(const QJsonValue& v) {
  std::vector<double> out;
  for (const QJsonValue& x : v.toArray()) out.push_back(x.toDouble());
  return out;
}

// max_i |a_i − b_i| / |b_i| (infinity when the sizes differ).
double maxRelativeError(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]) / std::abs(b[i]));
  return worst;
}

// The stored values of a job's metric in step order, read back with SQL (what the raw curve must show).
std::vector<double> storedValues(const Store& store, qint64 job, const QString& name) {
  QSqlQuery q(store.connection());
  q.prepare(QStringLiteral("SELECT value FROM metrics WHERE job_id = ? AND name = ? ORDER BY step"));
  q.addBindValue(job);
  q.addBindValue(name);
  if (!q.exec()) qFatal("cannot read metrics");
  std::vector<double> out;
  while (q.next()) out.push_back(q.value(0).toDouble());
  return out;
}

// Steps 1..n of loss (1/step), lr and tokens (100 per step), one second apart.
std::vector<MetricRow> trainingRows(qint64 from, qint64 to) {
  std::vector<MetricRow> rows;
  for (qint64 s = from; s <= to; ++s) {
    rows.push_back(row(s, "loss", 1.0 / double(s), double(s)));
    rows.push_back(row(s, "lr", 1e-3, double(s)));
    rows.push_back(row(s, "tokens", 100.0 * double(s), double(s)));
  }
  return rows;
}

}  // namespace

class TestGuiCurves : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("DistilleryCurvesTest"));
    QSettings().clear();
  }
  void init() { QSettings().clear(); }

  // ---- CurveBuffer ----
  void emaEqualsHandComputedValues() {
    // w = 0.5 on 1, 2, 3: last = 0.5, 1.25, 2.125; debiased by 1 − 0.5^t = 0.5, 0.75, 0.875.
    const std::vector<double> s = CurveBuffer::smooth({1, 2, 3}, 0.5);
    QCOMPARE(s.size(), size_t(3));
    QCOMPARE(s[0], 1.0);
    QCOMPARE(s[1], 1.25 / 0.75);
    QCOMPARE(s[2], 2.125 / 0.875);
    // w = 0: the raw values.
    QCOMPARE(CurveBuffer::smooth({4, 5}, 0.0), (std::vector<double>{4, 5}));
    // A NaN is drawn as is and skipped by the average: the third point is the second finite value.
    const std::vector<double> n = CurveBuffer::smooth({1, std::nan(""), 3}, 0.5);
    QVERIFY(std::isnan(n[1]));
    QCOMPARE(n[2], (0.5 * 0.5 + 0.5 * 3) / 0.75);
  }

  void emaContinuesAcrossAppendsAndRecomputes() {
    CurveBuffer b(0.9);
    b.append({row(1, "loss", 2, 0), row(2, "loss", 4, 0)});
    b.append({row(3, "loss", 1, 0)});
    QCOMPARE(b.series("loss")->smoothed, CurveBuffer::smooth({2, 4, 1}, 0.9));
    b.setSmoothing(0.3);
    QCOMPARE(b.series("loss")->smoothed, CurveBuffer::smooth({2, 4, 1}, 0.3));
    QCOMPARE(b.series("loss")->raw, (std::vector<double>{2, 4, 1}));
  }

  void tokensAxisFromTheTokensMetric() {
    CurveBuffer b;
    // The step's tokens row comes after its loss row (alphabetical), validation after the step.
    b.append({row(1, "loss", 3, 1), row(1, "tokens", 64, 1), row(2, "loss", 2, 2), row(2, "tokens", 128, 2),
              row(2, "val_loss", 2.5, 2.2), row(3, "loss", 1, 3)});
    QCOMPARE(b.series("loss")->tokens, (std::vector<double>{64, 128, 128}));
    QCOMPARE(b.series("val_loss")->tokens, (std::vector<double>{128}));
    QCOMPARE(b.tokensAt(0), 0.0);
  }

  void tokensAxisFromTheRate() {
    CurveBuffer b;
    // 100 tok/s over [0, 2] s, then 50 tok/s over [2, 3] s.
    b.append({row(1, "loss", 3, 2), row(1, "tokens_per_s", 100, 2), row(2, "loss", 2, 3),
              row(2, "tokens_per_s", 50, 3)});
    QCOMPARE(b.series("loss")->tokens, (std::vector<double>{200, 250}));
  }

  void resumedJobRewritesItsTail() {
    CurveBuffer b(0.5);
    b.append(trainingRows(1, 5));
    const CurveBuffer::Change c = b.append({row(4, "loss", 9, 40), row(5, "loss", 8, 50)});
    QCOMPARE(c.rewritten, QStringList{QStringLiteral("loss")});
    QCOMPARE(b.series("loss")->step, (std::vector<double>{1, 2, 3, 4, 5}));
    QCOMPARE(b.series("loss")->raw, (std::vector<double>{1, 0.5, 1.0 / 3, 9, 8}));
    QCOMPARE(b.series("loss")->smoothed, CurveBuffer::smooth({1, 0.5, 1.0 / 3, 9, 8}, 0.5));
  }

  // ---- MetricReader and the panel's timer ----
  void readsOnlyNewRows() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const qint64 job = addJob(ws.store(), QStringLiteral("run a"));
    addMetrics(ws.store(), job, trainingRows(1, 3));
    MetricReader reader(ws.store(), job);
    QCOMPARE(reader.readNew().size(), size_t(9));
    QCOMPARE(reader.readNew().size(), size_t(0));
    addMetrics(ws.store(), job, trainingRows(4, 4));
    const std::vector<MetricRow> fresh = reader.readNew(2);  // the limit: the rest comes next time
    QCOMPARE(fresh.size(), size_t(2));
    QCOMPARE(fresh[0].step, qint64(4));
    QCOMPARE(fresh[0].name, QStringLiteral("loss"));
    QCOMPARE(reader.readNew().size(), size_t(1));
    // The poll query walks the rowid range, not the job's whole index.
    QSqlQuery plan(ws.store().connection());
    QVERIFY(plan.exec(QStringLiteral("EXPLAIN QUERY PLAN SELECT rowid, step, name, value, wall_time FROM metrics "
                                     "NOT INDEXED WHERE rowid > 5 AND job_id = 1 ORDER BY rowid LIMIT 10")));
    QVERIFY(plan.next());
    QVERIFY2(plan.value(3).toString().contains(QStringLiteral("rowid>?")), qPrintable(plan.value(3).toString()));
    ws.store().closeThisThread();
  }

  void panelTickAppendsNewRows() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const qint64 job = addJob(ws.store(), QStringLiteral("run a"));
    addMetrics(ws.store(), job, trainingRows(1, 3));
    {
      CurvePanel panel;
      panel.smoothingSlider()->setValue(0);
      panel.setWorkspace(&ws, nullptr);
      QCOMPARE(panel.jobModel()->checkedKeys(), QVariantList{job});  // the newest job with metrics
      QCPGraph* loss = panel.plot()->graphFor(job, QStringLiteral("loss"));
      QVERIFY(loss);
      QVERIFY(!panel.plot()->rawGraphFor(job, QStringLiteral("loss")));  // smoothing 0: no raw twin
      QCOMPARE(loss->dataCount(), 3);
      QVERIFY(!panel.plot()->graphFor(job, QStringLiteral("lr")));  // not checked by default
      addMetrics(ws.store(), job, trainingRows(4, 6));
      panel.poll();
      QCOMPARE(loss->dataCount(), 6);
      QCOMPARE(keysOf(loss).back(), 6.0);
      QCOMPARE(valuesOf(loss).back(), 1.0 / 6);
      // Checking lr draws it from what was read already; the timer keeps both growing.
      panel.metricModel()->setChecked(QStringLiteral("lr"), true);
      QCPGraph* lr = panel.plot()->graphFor(job, QStringLiteral("lr"));
      QVERIFY(lr);
      QCOMPARE(lr->dataCount(), 6);
      addMetrics(ws.store(), job, trainingRows(7, 7));
      QTRY_COMPARE(loss->dataCount(), 7);  // the 10 Hz timer
      QCOMPARE(lr->dataCount(), 7);
      QCOMPARE(panel.plot()->buffer(job)->series(QStringLiteral("loss"))->size(), qsizetype(7));
      panel.setWorkspace(nullptr, nullptr);
      QCOMPARE(panel.plot()->graphCount(), 0);
      QCOMPARE(panel.jobModel()->rowCount(), 0);
    }
    ws.store().closeThisThread();
  }

  // ---- Raw and smoothed curves, the right axis ----
  void rawCurveBehindTheSmoothedOne() {
    const QJsonObject ref = emaReference();
    const std::vector<double> steps = doubles(ref["steps"]), loss = doubles(ref["loss"]), lr = doubles(ref["lr"]);
    std::vector<MetricRow> rows;
    for (size_t i = 0; i < steps.size(); ++i) {
      rows.push_back(MetricRow{qint64(steps[i]), QStringLiteral("loss"), loss[i], steps[i]});
      rows.push_back(MetricRow{qint64(steps[i]), QStringLiteral("lr"), lr[i], steps[i]});
    }
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const qint64 job = addJob(ws.store(), QStringLiteral("noisy"));
    addMetrics(ws.store(), job, rows);
    {
      CurvePanel panel;
      panel.smoothingSlider()->setValue(60);
      QVERIFY(panel.showRawBox()->isChecked());  // the default
      panel.setWorkspace(&ws, nullptr);
      QCPGraph* smoothed = panel.plot()->graphFor(job, QStringLiteral("loss"));
      QCPGraph* raw = panel.plot()->rawGraphFor(job, QStringLiteral("loss"));
      QVERIFY(smoothed && raw);
      // The raw curve: the values as stored, at the same steps.
      QCOMPARE(valuesOf(raw), storedValues(ws.store(), job, QStringLiteral("loss")));
      QCOMPARE(keysOf(raw), steps);
      QCOMPARE(keysOf(smoothed), steps);
      // The smoothed curve: the EMA the panel computes (CurveBuffer::smooth), and that equals the Python reference.
      const std::vector<double> drawn = valuesOf(smoothed), expected = doubles(ref["smoothed"].toObject()["0.6"]);
      QCOMPARE(drawn, CurveBuffer::smooth(storedValues(ws.store(), job, QStringLiteral("loss")), 0.6));
      double worst = maxRelativeError(drawn, expected);
      QVERIFY2(worst < 1e-12, qPrintable(QStringLiteral("relative error %1").arg(worst)));
      // Same colour, faint, on the layer below, and not in the legend (one entry per smoothed curve).
      QCOMPARE(raw->pen().color().rgb() & 0xffffff, smoothed->pen().color().rgb() & 0xffffff);
      QVERIFY(raw->pen().color().alpha() < 100);
      QCOMPARE(smoothed->pen().color().alpha(), 255);
      QCOMPARE(raw->layer()->name(), QStringLiteral("raw"));
      QVERIFY(raw->layer()->index() < smoothed->layer()->index());
      QCOMPARE(panel.plot()->legend->itemCount(), 1);
      // More smoothing: the reference's w = 0.9 column; the raw curve does not change.
      panel.smoothingSlider()->setValue(90);
      smoothed = panel.plot()->graphFor(job, QStringLiteral("loss"));
      worst = maxRelativeError(valuesOf(smoothed), doubles(ref["smoothed"].toObject()["0.9"]));
      QVERIFY2(worst < 1e-12, qPrintable(QStringLiteral("relative error %1").arg(worst)));
      QCOMPARE(valuesOf(panel.plot()->rawGraphFor(job, QStringLiteral("loss"))), loss);
      // The toggle, and no raw twin without smoothing (the two would coincide).
      panel.showRawBox()->setChecked(false);
      QVERIFY(!panel.plot()->rawGraphFor(job, QStringLiteral("loss")));
      QCOMPARE(panel.plot()->graphCount(), 1);
      panel.showRawBox()->setChecked(true);
      QCOMPARE(panel.plot()->graphCount(), 2);
      panel.smoothingSlider()->setValue(0);
      QVERIFY(!panel.plot()->rawGraphFor(job, QStringLiteral("loss")));
      QCOMPARE(valuesOf(panel.plot()->graphFor(job, QStringLiteral("loss"))), loss);
      panel.setWorkspace(nullptr, nullptr);
    }
    QVERIFY(CurveSettings::load().showRaw);
    ws.store().closeThisThread();
  }

  void lrAndGradNormOnTheRightAxis() {
    CurvePlot plot;
    plot.setSmoothing(0.5);
    plot.setShown({1}, {QStringLiteral("loss"), QStringLiteral("lr"), QStringLiteral("grad_norm")});
    std::vector<MetricRow> rows = trainingRows(1, 10);  // loss 1/step, lr 1e-3
    for (qint64 s = 1; s <= 10; ++s) rows.push_back(row(s, "grad_norm", 40.0 + double(s), double(s)));
    plot.append(1, rows);
    QCOMPARE(plot.graphFor(1, "loss")->valueAxis(), plot.yAxis);
    QCOMPARE(plot.graphFor(1, "lr")->valueAxis(), plot.yAxis2);
    QCOMPARE(plot.graphFor(1, "grad_norm")->valueAxis(), plot.yAxis2);
    QCOMPARE(plot.rawGraphFor(1, "lr")->valueAxis(), plot.yAxis2);  // the raw twin follows its curve
    QCOMPARE(plot.rawGraphFor(1, "loss")->valueAxis(), plot.yAxis);
    QVERIFY(plot.yAxis2->visible());
    QCOMPARE(plot.yAxis->label(), QStringLiteral("loss"));
    QCOMPARE(plot.yAxis2->label(), QStringLiteral("lr, grad_norm"));
    QCOMPARE(plot.graphFor(1, "lr")->name(), QStringLiteral("#1: lr (right axis)"));
    // Each axis spans its own curves: the left one the losses (0.1 … 1), the right one lr and grad_norm (1e-3 … 50).
    QVERIFY(plot.yAxis->range().lower <= 0.1 && plot.yAxis->range().upper >= 1 && plot.yAxis->range().upper < 2);
    QVERIFY(plot.yAxis2->range().lower <= 1e-3 && plot.yAxis2->range().upper >= 50);
    // Log-y on both, each from its own smallest positive value.
    plot.setLogY(true);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(plot.yAxis2->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(plot.yAxis->range().lower, 0.1 / 1.2);
    QCOMPARE(plot.yAxis2->range().lower, 1e-3 / 1.2);
    QCOMPARE(plot.yAxis2->range().upper, 50 * 1.2);
    // Only losses shown: no right axis.
    plot.setShown({1}, {QStringLiteral("loss")});
    QVERIFY(!plot.yAxis2->visible());
    QVERIFY(!CurvePlot::onRightAxis(QStringLiteral("val_loss")) && !CurvePlot::onRightAxis(QStringLiteral("loss_kd")));
    QVERIFY(CurvePlot::onRightAxis(QStringLiteral("tokens_per_s")));
  }

  // A job another process writes to the store (`distillery-cli train` on the same workspace) joins the run list at
  // the next check of the jobs table, without any JobRunner signal; so does its status change.
  void jobsOfAnotherProcessAppear() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const qint64 first = addJob(ws.store(), QStringLiteral("ours"));
    addMetrics(ws.store(), first, trainingRows(1, 3));
    {
      CurvePanel panel;
      panel.setWorkspace(&ws, nullptr);
      QCOMPARE(panel.jobModel()->rowCount(), 1);
      {
        // Another connection to the same file, as another process has.
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("otherProcess"));
        other.setDatabaseName(ws.store().path());
        QVERIFY(other.open());
        QSqlQuery q(other);
        QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) "
                                      "VALUES ('distill', 'cli run', '{}', 'running', 'now')")));
        const qint64 id = q.lastInsertId().toLongLong();
        QElapsedTimer seen;
        seen.start();
        QTRY_COMPARE_WITH_TIMEOUT(panel.jobModel()->rowCount(), 2, 2500);
        QVERIFY2(seen.elapsed() <= CurvePanel::kJobPollMs + 2 * CurvePanel::kTickMs + 500,
                 qPrintable(QStringLiteral("%1 ms").arg(seen.elapsed())));
        const auto labelOf = [&panel](qint64 key) {
          for (int r = 0; r < panel.jobModel()->rowCount(); ++r)
            if (panel.jobModel()->items()[r].key.toLongLong() == key) return panel.jobModel()->index(r).data().toString();
          return QString();
        };
        QCOMPARE(labelOf(id), QStringLiteral("cli run (running)"));
        QVERIFY(!panel.jobModel()->isChecked(id));  // the user's checked run stays what is shown
        QVERIFY(q.exec(QStringLiteral("UPDATE jobs SET status = 'succeeded' WHERE id = %1").arg(id)));
        QTRY_COMPARE_WITH_TIMEOUT(labelOf(id), QStringLiteral("cli run (succeeded)"), 2500);
        QVERIFY(panel.jobModel()->isChecked(first));
        // With nothing shown, another process's job that starts running is checked, as one of ours would be.
        panel.jobModel()->setChecked(first, false);
        QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) "
                                      "VALUES ('lora', 'cli lora', '{}', 'running', 'now')")));
        const qint64 running = q.lastInsertId().toLongLong();
        QTRY_VERIFY_WITH_TIMEOUT(panel.jobModel()->isChecked(running), 2500);
        QCOMPARE(panel.jobModel()->checkedKeys(), QVariantList{running});
        q.finish();
        other.close();
      }
      QSqlDatabase::removeDatabase(QStringLiteral("otherProcess"));
      panel.setWorkspace(nullptr, nullptr);
    }
    ws.store().closeThisThread();
  }

  // ---- Plot modes ----
  void axisModesMapTheData() {
    CurvePlot plot;
    plot.setShown({1}, {QStringLiteral("loss")});
    plot.append(1, trainingRows(1, 4));
    QCPGraph* g = plot.graphFor(1, QStringLiteral("loss"));
    QVERIFY(g);
    QCOMPARE(keysOf(g), (std::vector<double>{1, 2, 3, 4}));
    plot.setXAxis(CurveAxis::WallTime);
    g = plot.graphFor(1, QStringLiteral("loss"));
    QCOMPARE(keysOf(g), (std::vector<double>{1, 2, 3, 4}));  // one second per step
    plot.setXAxis(CurveAxis::Tokens);
    g = plot.graphFor(1, QStringLiteral("loss"));
    QCOMPARE(keysOf(g), (std::vector<double>{100, 200, 300, 400}));
    QCOMPARE(plot.xAxis->label(), QStringLiteral("Tokens"));
    QVERIFY(plot.xAxis->range().lower <= 100 && plot.xAxis->range().upper >= 400);
    plot.setLogY(true);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.yAxis->range().lower > 0 && plot.yAxis->range().lower <= 0.25);
    QVERIFY(plot.yAxis->range().upper >= 1);
    plot.setLogY(false);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLinear);
    // Smoothing changes the drawn values, not the keys.
    plot.setSmoothing(0.5);
    g = plot.graphFor(1, QStringLiteral("loss"));
    QCOMPARE(valuesOf(g), CurveBuffer::smooth({1, 0.5, 1.0 / 3, 0.25}, 0.5));
  }

  void overlayOfTwoJobsHasTwoLegendEntries() {
    CurvePlot plot;
    plot.setJobLabel(1, QStringLiteral("teacher run"));
    plot.setJobLabel(2, QStringLiteral("student run"));
    plot.setShown({1, 2}, {QStringLiteral("loss")});
    plot.append(1, trainingRows(1, 3));
    plot.append(2, trainingRows(1, 5));
    QCOMPARE(plot.graphCount(), 2);
    QCOMPARE(plot.legend->itemCount(), 2);
    QStringList names;
    for (int i = 0; i < plot.legend->itemCount(); ++i)
      names << static_cast<QCPPlottableLegendItem*>(plot.legend->item(i))->plottable()->name();
    QCOMPARE(names, (QStringList{QStringLiteral("teacher run: loss"), QStringLiteral("student run: loss")}));
    QVERIFY(plot.graphFor(1, "loss")->pen().color() != plot.graphFor(2, "loss")->pen().color());
  }

  void hoverShowsTheNearestPoint() {
    CurvePlot plot;
    plot.resize(600, 400);
    plot.setJobLabel(1, QStringLiteral("run a"));
    plot.setShown({1}, {QStringLiteral("loss")});
    plot.append(1, trainingRows(1, 4));
    plot.replot();
    const QPointF at(plot.xAxis->coordToPixel(2), plot.yAxis->coordToPixel(0.5));
    const QString text = plot.hoverText(at);
    QVERIFY2(text.startsWith(QStringLiteral("run a · loss\nstep 2 · 2.0 s · 200 tokens\nvalue 0.5")), qPrintable(text));
    QVERIFY(plot.hoverText(QPointF(-100, -100)).isEmpty());
  }

  // ---- Exports ----
  void csvExportIsExact() {
    CurvePlot plot;
    plot.setJobLabel(3, QStringLiteral("a, \"b\""));
    plot.setShown({3}, {QStringLiteral("loss"), QStringLiteral("val_loss")});
    plot.setSmoothing(0.5);
    plot.append(3, {row(1, "loss", 1, 0.5), row(1, "tokens", 10, 0.5), row(2, "loss", 2, 1.25), row(2, "tokens", 20, 1.25),
                    row(2, "val_loss", 3, 1.5)});
    QCOMPARE(curvesCsv(plot), QStringLiteral("job_id,job,metric,step,wall_time,tokens,value,smoothed\n"
                                             "3,\"a, \"\"b\"\"\",loss,1,0.5,10,1,1\n"
                                             "3,\"a, \"\"b\"\"\",loss,2,1.25,20,2,1.6666666666666667\n"
                                             "3,\"a, \"\"b\"\"\",val_loss,2,1.5,20,3,3\n"));
    QTemporaryDir dir;
    exportCurvesCsv(plot, dir.filePath("c.csv"));
    QFile f(dir.filePath("c.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), curvesCsv(plot));
  }

  void pngAndSvgExportsAreReal() {
    CurvePlot plot;
    plot.resize(640, 400);
    plot.setShown({1}, {QStringLiteral("loss")});
    plot.append(1, trainingRows(1, 50));
    plot.replot();
    QTemporaryDir dir;
    exportCurvesPng(plot, dir.filePath("p.png"));
    const QImage image(dir.filePath("p.png"));
    QCOMPARE(image.size(), QSize(640, 400));
    // Not blank: the curve's colour is somewhere in the image.
    const QRgb curve = plot.graphFor(1, "loss")->pen().color().rgb();
    bool found = false;
    for (int y = 0; y < image.height() && !found; ++y)
      for (int x = 0; x < image.width() && !found; ++x) found = (image.pixel(x, y) & 0xffffff) == (curve & 0xffffff);
    QVERIFY(found);
    exportCurvesSvg(plot, dir.filePath("p.svg"));
    QFile svg(dir.filePath("p.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray text = svg.readAll();
    QVERIFY2(text.size() > 2000, qPrintable(QString::number(text.size())));
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("<polyline") || text.contains("<path"));
    // An unwritable target names the file.
    bool threw = false;
    try {
      exportCurvesCsv(plot, QStringLiteral("/nonexistent-dir/c.csv"));
    } catch (const std::exception& e) {
      threw = QString::fromUtf8(e.what()).contains(QStringLiteral("/nonexistent-dir/c.csv"));
    }
    QVERIFY(threw);
  }

  // ---- Pickers, settings ----
  void checkListModelPassesTheTester() {
    CheckListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy checked(&model, &CheckListModel::checkedChanged);
    model.setItems({{1, QStringLiteral("a"), {}, false}, {2, QStringLiteral("b"), QStringLiteral("tip"), true}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(model.index(1).data(Qt::ToolTipRole).toString(), QStringLiteral("tip"));
    QVERIFY(model.setData(model.index(0), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(checked.count(), 1);
    QCOMPARE(model.checkedKeys(), (QVariantList{1, 2}));
    // A refresh keeps the user's choices for known keys, takes the given state for new ones.
    model.setItems({{3, QStringLiteral("c"), {}, true}, {1, QStringLiteral("a2"), {}, false}});
    QCOMPARE(model.checkedKeys(), (QVariantList{3, 1}));
    model.setItems({{3, QStringLiteral("c"), {}, false}, {1, QStringLiteral("a3"), {}, false}});  // same keys: in place
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("a3"));
    QCOMPARE(model.checkedKeys(), (QVariantList{3, 1}));
    model.setItems({});
    QCOMPARE(model.rowCount(), 0);
  }

  void settingsPersist() {
    {
      CurvePanel panel;
      QCOMPARE(panel.smoothingSlider()->value(), 60);  // the default
      panel.smoothingSlider()->setValue(85);
      panel.showRawBox()->setChecked(false);
      panel.logYBox()->setChecked(true);
      panel.xAxisBox()->setCurrentIndex(panel.xAxisBox()->findData(int(CurveAxis::Tokens)));
    }
    CurvePanel again;
    QCOMPARE(again.smoothingSlider()->value(), 85);
    QVERIFY(!again.showRawBox()->isChecked());
    QVERIFY(!again.plot()->showRaw());
    QVERIFY(again.logYBox()->isChecked());
    QCOMPARE(again.plot()->xAxisMode(), CurveAxis::Tokens);
    QCOMPARE(again.plot()->smoothing(), 0.85);
    QVERIFY(again.plot()->logY());
  }

  // ---- Through the main window ----
  void panelInTheMainWindow() {
    QTemporaryDir dir;
    qint64 a = 0;
    {
      const Workspace ws = Workspace::init(dir.filePath("ws"));
      a = addJob(ws.store(), QStringLiteral("run a"));
      addMetrics(ws.store(), a, trainingRows(1, 20));
      ws.store().closeThisThread();
    }
    MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(w.openWorkspace(dir.filePath("ws")));
    w.showPanel(QStringLiteral("curves"));
    auto* panel = qobject_cast<CurvePanel*>(w.panel(QStringLiteral("curves")));
    QVERIFY(panel);
    QVERIFY(panel->isVisible());
    QTRY_VERIFY(panel->plot()->graphFor(a, QStringLiteral("loss")));
    QCOMPARE(panel->plot()->graphCount(), 2);  // the smoothed curve and its raw twin (smoothing 0.6, the default)
    QCOMPARE(panel->plot()->graphFor(a, QStringLiteral("loss"))->dataCount(), 20);
    QCOMPARE(panel->plot()->graphFor(a, QStringLiteral("loss"))->name(), QStringLiteral("run a: loss"));
    QCOMPARE(panel->plot()->rawGraphFor(a, QStringLiteral("loss"))->dataCount(), 20);
    QCOMPARE(panel->jobModel()->index(0).data().toString(), QStringLiteral("run a (succeeded)"));
    w.closeWorkspace();
    QCOMPARE(panel->plot()->graphCount(), 0);
  }

  // ---- A real job, live ----
  void liveJobCurveGrows() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    const int steps = 40;
    const QJsonObject train{{"max_steps", steps}, {"batch_size", 2},   {"seq_len", 32},    {"lr", 0.01},
                            {"warmup_steps", 0},  {"eval_every", 0},   {"save_every", 0},  {"log_every", 1},
                            {"seed", 0}};
    const QJsonObject job{{"kind", "lora"},
                          {"name", "live lora"},
                          {"output", dir.filePath("out")},
                          {"device", "cpu"},
                          {"student", fixture("tiny-llama")},
                          {"data", QJsonObject{{"train", QString(testDataDir() + "/jobs/alpaca.jsonl")}, {"format", "alpaca"}}},
                          {"lora", QJsonObject{{"r", 4}, {"alpha", 8}, {"target_modules", QJsonArray{"q_proj", "v_proj"}}}},
                          {"train", train}};
    CurvePanel panel;
    JobRunner runner(ws.store());
    panel.setWorkspace(&ws, &runner);
    const qint64 id = runner.enqueue(JobSpec::fromJson(job, QStringLiteral("job.json")));
    QSignalSpy idle(&runner, &JobRunner::idle);
    // Paused part-way (so the check does not depend on how fast this machine trains): the panel has checked the job
    // and shows the steps the trainer has written so far (rows arrive in batches of 200, about 20 steps).
    QTRY_VERIFY_WITH_TIMEOUT(runner.snapshot(id).step >= 30, 120000);
    QVERIFY(runner.pause(id));
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(id).status, JobStatus::Paused, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.plot()->graphFor(id, QStringLiteral("loss")) &&
                                 panel.plot()->graphFor(id, QStringLiteral("loss"))->dataCount() > 0,
                             10000);
    const int partWay = panel.plot()->graphFor(id, QStringLiteral("loss"))->dataCount();
    QVERIFY2(partWay > 0 && partWay < steps, qPrintable(QStringLiteral("%1 points while paused").arg(partWay)));
    QVERIFY(panel.jobModel()->isChecked(id));
    QVERIFY(runner.resume(id));
    QTRY_VERIFY_WITH_TIMEOUT(!idle.isEmpty(), 120000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Succeeded);
    // After the job: every step, the curve grown from where it was.
    QTRY_COMPARE(panel.plot()->graphFor(id, QStringLiteral("loss"))->dataCount(), steps);
    panel.setWorkspace(nullptr, nullptr);
    ws.store().closeThisThread();
  }
};

QTEST_MAIN(TestGuiCurves)
#include "tst_gui_curves.moc"
