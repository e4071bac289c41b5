// The Evaluation and Quantization panels on a real (quick) demo workspace: every figure shown equals the stored
// one, the samples sit side by side with matches marked, the filters work, and the fidelity rows carry the model
// folders' schemes and the pass rule. The slice and robustness views (Evaluation and Compare) on a stored job built
// from tests/data/eval_slices/slices_reference.json.
#include "compare/ComparePanel.h"
#include "demo/DemoPipeline.h"
#include "jobs/JobStore.h"
#include "store/StudyStore.h"
#include "eval/EvalJobPicker.h"
#include "eval/EvalStore.h"
#include "eval/EvaluationPanel.h"
#include "plot/QCustomPlot.h"
#include "quant/QuantizationPanel.h"
#include "eval/SliceView.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include "Fixtures.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QSpinBox>

#include <optional>

using namespace distillery;
using namespace distillery::ui;

class TestGuiEval : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::optional<Workspace> ws_;
  qint64 evalJob_ = 0;

 private Q_SLOTS:
  void initTestCase() {
    DemoOptions o;
    o.workspace = dir_.filePath(QStringLiteral("demo"));
    o.teacherSteps = 10;
    o.distillSteps = 6;
    o.loraSteps = 4;
    o.evalSamples = 6;
    const DemoResult r = buildDemo(o);
    evalJob_ = r.evalJob;
    QVERIFY(evalJob_ > 0);
    ws_ = Workspace::open(o.workspace);
  }
  void cleanupTestCase() {
    if (ws_) ws_->store().closeThisThread();
  }

  void markDifferencesMarksWordsNotInTheReference_data() {
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("html");
    QTest::newRow("one word") << "the cat sat" << "the dog sat" << "the <mark>cat</mark> sat";
    QTest::newRow("same") << " buses" << " buses" << " buses";
    QTest::newRow("escaped") << "a<b" << "c" << "<mark>a</mark><mark>&lt;</mark><mark>b</mark>";
    QTest::newRow("chinese") << "猫坐" << "狗坐" << "<mark>猫</mark>坐";
  }
  void markDifferencesMarksWordsNotInTheReference() {
    QFETCH(QString, output);
    QFETCH(QString, reference);
    QFETCH(QString, html);
    QCOMPARE(markDifferences(output, reference), html);
  }

  void evaluationPanelShowsTheStoredResults() {
    EvaluationPanel panel;
    panel.setWorkspace(&*ws_, nullptr);
    QCOMPARE(panel.jobPicker()->count(), 1);
    QCOMPARE(selectedJob(panel.jobPicker()), evalJob_);
    QAbstractItemModelTester t1(panel.metricsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(panel.samplesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(panel.samplesFilter(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QList<EvaluationRow> stored = EvalStore(ws_->store()).evaluations(evalJob_);
    EvalMetricsModel* m = panel.metricsModel();
    QCOMPARE(m->rowCount(), 5);
    // The baseline is evaluated first (it stays loaded for the comparisons), then the others in job order.
    const QStringList labels = {"student", "teacher", "student+lora", "student-int8", "student-int4"};
    int perplexityColumn = -1, exactColumn = -1;
    for (int c = 1; c + 1 < m->columnCount(); ++c) {
      if (m->columns()[size_t(c - 1)].key == QLatin1String("perplexity")) perplexityColumn = c;
      if (m->columns()[size_t(c - 1)].key == QLatin1String("exact_match")) exactColumn = c;
    }
    QVERIFY(perplexityColumn > 0 && exactColumn > 0);
    for (int r = 0; r < 5; ++r) {
      QCOMPARE(m->index(r, 0).data().toString(), labels[r]);
      QCOMPARE(m->index(r, perplexityColumn).data(Qt::UserRole).toDouble(),
               stored[r].metrics.value(QStringLiteral("perplexity")).toDouble());
      const double em = stored[r].metrics.value(QStringLiteral("exact_match")).toDouble();
      QCOMPARE(m->index(r, exactColumn).data().toString(), QStringLiteral("%1%").arg(em * 100.0, 0, 'f', 1));
    }
    // The baseline has no pass rule; the others say pass or FAIL as stored.
    QVERIFY(!m->index(0, m->columnCount() - 1).data().isValid());
    const bool int8Pass = stored[3].metrics.value(QStringLiteral("fidelity")).toObject().value(QStringLiteral("pass")).toBool();
    QCOMPARE(m->index(3, m->columnCount() - 1).data().toString(), int8Pass ? QStringLiteral("pass") : QStringLiteral("FAIL"));

    EvalSamplesModel* s = panel.samplesModel();
    QCOMPARE(s->rowCount(), 6);
    QCOMPARE(s->columnCount(), 2 + 5);
    for (int model = 0; model < 5; ++model) {
      const std::vector<EvalSampleRow> rows = EvalStore(ws_->store()).samples(stored[model].id);
      QCOMPARE(int(rows.size()), 6);
      for (int r = 0; r < 6; ++r) {
        QCOMPARE(s->index(r, 0).data().toString(), rows[size_t(r)].input);
        QCOMPARE(s->index(r, 1).data().toString(), rows[size_t(r)].reference);
        QCOMPARE(s->index(r, 2 + model).data().toString(), rows[size_t(r)].output);
        const bool exact = rows[size_t(r)].output.trimmed() == rows[size_t(r)].reference.trimmed();
        const QColor bg = s->index(r, 2 + model).data(Qt::BackgroundRole).value<QBrush>().color();
        QCOMPARE(bg, exact ? QColor(0xd8, 0xf3, 0xdc) : QColor(0xff, 0xe8, 0xcc));
      }
    }

    // Filters: by text, and to the rows where the outputs differ.
    int plural = 0, disagree = 0;
    for (int r = 0; r < 6; ++r) {
      plural += s->index(r, 0).data().toString().contains(QStringLiteral("plural")) ? 1 : 0;
      disagree += s->disagree(r) ? 1 : 0;
    }
    QVERIFY(plural > 0);
    panel.samplesFilter()->setText(QStringLiteral("plural"));
    QCOMPARE(panel.samplesFilter()->rowCount(), plural);
    panel.samplesFilter()->setText({});
    panel.samplesFilter()->setOnlyDisagreements(true);
    QCOMPARE(panel.samplesFilter()->rowCount(), disagree);
    panel.samplesFilter()->setOnlyDisagreements(false);
    QCOMPARE(panel.samplesFilter()->rowCount(), 6);

    // The detail view names every model and the reference.
    const QString html = panel.detailHtml(0);
    for (const QString& l : labels) QVERIFY2(html.contains(l.toHtmlEscaped()), qPrintable(html));
    QVERIFY(html.contains(s->index(0, 1).data().toString().toHtmlEscaped()));

    // Closing the workspace empties everything.
    panel.setWorkspace(nullptr, nullptr);
    QCOMPARE(panel.jobPicker()->count(), 0);
    QCOMPARE(m->rowCount(), 0);
    QCOMPARE(s->rowCount(), 0);
  }

  void quantizationPanelShowsFidelityAgainstTheBaseline() {
    QuantizationPanel panel;
    panel.setWorkspace(&*ws_, nullptr);
    FidelityModel* f = panel.model();
    QAbstractItemModelTester tester(f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(f->rowCount(), 4);  // every model but the baseline (student)
    const QStringList labels = {"teacher", "student+lora", "student-int8", "student-int4"};
    const QStringList schemes = {"float", "float", "int8", "int4-g32"};
    const QList<EvaluationRow> stored = EvalStore(ws_->store()).evaluations(evalJob_);
    int passes = 0;
    for (int r = 0; r < 4; ++r) {
      QCOMPARE(f->index(r, 0).data().toString(), labels[r]);
      QCOMPARE(f->index(r, 1).data().toString(), schemes[r]);
      QCOMPARE(f->index(r, 2).data().toString(), QStringLiteral("student"));
      const QJsonObject fid = stored[r + 1].metrics.value(QStringLiteral("fidelity")).toObject();
      QCOMPARE(f->index(r, 3).data(Qt::UserRole).toDouble(), fid.value(QStringLiteral("kld")).toObject().value(QStringLiteral("mean")).toDouble());
      QCOMPARE(f->index(r, 7).data(Qt::UserRole).toDouble(), fid.value(QStringLiteral("same_top1")).toDouble());
      passes += fid.value(QStringLiteral("pass")).toBool() ? 1 : 0;
    }
    QVERIFY2(panel.summary().startsWith(QStringLiteral("%1 of 4 models").arg(passes)), qPrintable(panel.summary()));
    // One bar per model for the chosen statistic, one box per model for the KLD distribution.
    QCOMPARE(panel.barPlot()->plottableCount(), 1);
    QCOMPARE(qobject_cast<QCPBars*>(panel.barPlot()->plottable(0))->data()->size(), 4);
    QCOMPARE(qobject_cast<QCPStatisticalBox*>(panel.boxPlot()->plottable(0))->data()->size(), 4);
    panel.statisticPicker()->setCurrentIndex(2);  // same top-1, in percent
    const double top1 = qobject_cast<QCPBars*>(panel.barPlot()->plottable(0))->data()->at(2)->value;
    QCOMPARE(top1, stored[3].metrics.value(QStringLiteral("fidelity")).toObject().value(QStringLiteral("same_top1")).toDouble() * 100.0);
  }

  // The dashboard: the three training runs' curves (training and validation loss as stored), the eval job's scores
  // and fidelity, and the pairwise study's human scores (blinded labels until revealed, names after).
  // A stored eval job of two models over the constructed samples of slices_reference.json (the second model with
  // every exact match flipped), one of them with robustness results: the panels show the slices computed from the
  // stored samples, the largest gap highlighted, small slices flagged, and the robustness rows as stored.
  void sliceViewsShowTheStoredSamplesBySlice() {
    const Workspace ws = Workspace::init(dir_.filePath(QStringLiteral("slices")));
    const JobSpec spec = JobSpec::fromJson(
        QJsonObject{{"kind", "eval"},
                    {"models", QJsonArray{QJsonObject{{"label", "a"}, {"path", "/a"}},
                                          QJsonObject{{"label", "b"}, {"path", "/b"}}}},
                    {"data", QJsonObject{{"test", "/d.jsonl"}, {"format", "prompt_completion"}}},
                    {"output", dir_.filePath(QStringLiteral("slices-out"))}},
        QStringLiteral("job.json"));
    const qint64 job = JobStore(ws.store()).create(spec);
    QFile f(QStringLiteral("%1/eval_slices/slices_reference.json").arg(testDataDir()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray list = QJsonDocument::fromJson(f.readAll()).object().value("samples").toArray();
    const EvalStore evals(ws.store());
    std::vector<std::vector<EvalSampleRow>> samples(2);
    for (int m = 0; m < 2; ++m) {
      const qint64 id = evals.addEvaluation(job, m == 0 ? "a" : "b", 0);
      for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        QJsonObject scores = o.value("scores").toObject();
        if (m == 1) scores.insert("exact_match", 1.0 - scores.value("exact_match").toDouble());
        const EvalSampleRow row{o.value("index").toInteger(), o.value("input").toString(),
                                o.value("output").toString(), o.value("reference").toString(), scores};
        evals.addSample(id, row);
        samples[size_t(m)].push_back(row);
      }
      QJsonObject metrics{{"exact_match", 0.4}};
      if (m == 0)
        metrics.insert("robustness", QJsonArray{QJsonObject{
                                         {"name", "typos 0.05"},
                                         {"clean", QJsonObject{{"exact_match", 0.4}, {"token_f1", 0.5}}},
                                         {"perturbed", QJsonObject{{"exact_match", 0.3}, {"token_f1", 0.55}}},
                                         {"change", QJsonObject{{"exact_match", -0.1}, {"token_f1", 0.05}}},
                                         {"relative_change", QJsonObject{{"exact_match", -0.25}, {"token_f1", 0.1}}}}});
      evals.setMetrics(id, metrics);
    }

    EvaluationPanel panel;
    panel.setWorkspace(&ws, nullptr);
    QCOMPARE(selectedJob(panel.jobPicker()), job);
    SliceOptions threeOrMore;
    threeOrMore.minSize = 3;
    SliceView* view = panel.sliceView();
    QAbstractItemModelTester t1(view->sliceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(view->robustnessModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view->modelPicker()->count(), 2);
    QCOMPARE(view->fieldPicker()->count(), 3);  // group, id, lang
    view->minSizeBox()->setValue(3);
    view->fieldPicker()->setCurrentIndex(view->fieldPicker()->findText("group"));
    const SliceReport expected = computeSlices(samples[0], "group", threeOrMore);
    SliceTableModel* m = view->sliceModel();
    QCOMPARE(m->rowCount(), 1 + 4);  // (overall), east, north, south, (missing)
    QCOMPARE(m->headerData(0, Qt::Horizontal).toString(), QStringLiteral("group"));
    QCOMPARE(m->index(4, 0).data().toString(), QStringLiteral("(missing)"));
    const int emColumn = 2 + int(expected.metrics.indexOf("exact_match"));
    QCOMPARE(m->headerData(emColumn, Qt::Horizontal).toString(), QStringLiteral("exact_match"));
    QCOMPARE(m->index(0, emColumn).data(Qt::UserRole).toDouble(), expected.overall.value("exact_match"));
    for (int r = 1; r <= 4; ++r) {
      const Slice& s = expected.slices[size_t(r - 1)];
      QCOMPARE(m->index(r, 0).data().toString(), s.value);
      QCOMPARE(m->index(r, 1).data().toLongLong(), qlonglong(s.count));
      QCOMPARE(m->index(r, emColumn).data(Qt::UserRole).toDouble(), s.metrics.value("exact_match"));
      QCOMPARE(m->index(r, emColumn).data(Qt::UserRole + 1).toDouble(), s.gaps.value("exact_match"));
      // Small slices (east: 2, (missing): 1) are greyed and say why.
      QCOMPARE(m->index(r, 0).data(Qt::ForegroundRole).isValid(), s.small);
    }
    // The largest gap of exact match (north, +0.1, among slices of at least 3) is highlighted, and only there.
    const int north = m->largestGapRow("exact_match");
    QCOMPARE(m->index(north, 0).data().toString(), QStringLiteral("north"));
    for (int r = 0; r < m->rowCount(); ++r)
      QCOMPARE(m->index(r, emColumn).data(Qt::BackgroundRole).isValid(), r == north);
    QCOMPARE(m->index(north, emColumn).data().toString(), QStringLiteral("0.500 (+0.100)"));
    QVERIFY2(view->statusText().contains(QStringLiteral("exact_match: north (+0.100)")),
             qPrintable(view->statusText()));

    // The other model's slices come from its own samples.
    view->modelPicker()->setCurrentIndex(1);
    QCOMPARE(view->fieldPicker()->currentText(), QStringLiteral("group"));
    const SliceReport other = computeSlices(samples[1], "group", threeOrMore);
    QCOMPARE(m->index(1, emColumn).data(Qt::UserRole).toDouble(), other.slices[0].metrics.value("exact_match"));

    // Robustness: one row per metric of the stored perturbation.
    RobustnessModel* rm = view->robustnessModel();
    QCOMPARE(rm->rowCount(), 2);
    QCOMPARE(rm->index(0, 0).data().toString(), QStringLiteral("a"));
    QCOMPARE(rm->index(0, 1).data().toString(), QStringLiteral("typos 0.05"));
    QCOMPARE(rm->index(0, 2).data().toString(), QStringLiteral("exact_match"));
    QCOMPARE(rm->index(0, 3).data(Qt::UserRole).toDouble(), 0.4);
    QCOMPARE(rm->index(0, 4).data(Qt::UserRole).toDouble(), 0.3);
    QCOMPARE(rm->index(0, 5).data().toString(), QStringLiteral("-0.100"));
    QCOMPARE(rm->index(0, 6).data().toString(), QStringLiteral("-25.0%"));
    QVERIFY(rm->index(0, 5).data(Qt::ForegroundRole).isValid());   // a drop
    QVERIFY(!rm->index(1, 5).data(Qt::ForegroundRole).isValid());  // token_f1 rose

    // Compare: exact match per slice of both models side by side.
    ComparePanel compare;
    compare.setWorkspace(&ws, nullptr);
    SliceCompareModel* cm = compare.slices()->model();
    QAbstractItemModelTester t3(cm, QAbstractItemModelTester::FailureReportingMode::QtTest);
    compare.slices()->fieldPicker()->setCurrentIndex(compare.slices()->fieldPicker()->findText("group"));
    compare.slices()->metricPicker()->setCurrentIndex(compare.slices()->metricPicker()->findText("exact_match"));
    QCOMPARE(cm->columnCount(), 3);
    QCOMPARE(cm->headerData(1, Qt::Horizontal).toString(), QStringLiteral("a"));
    QCOMPARE(cm->headerData(2, Qt::Horizontal).toString(), QStringLiteral("b"));
    QCOMPARE(cm->rowCount(), 5);
    const SliceReport a = computeSlices(samples[0], "group", {});
    const SliceReport b = computeSlices(samples[1], "group", {});
    QCOMPARE(cm->index(0, 1).data(Qt::UserRole).toDouble(), a.overall.value("exact_match"));
    QCOMPARE(cm->index(0, 2).data(Qt::UserRole).toDouble(), b.overall.value("exact_match"));
    for (int r = 1; r < 5; ++r) {
      QCOMPARE(cm->index(r, 0).data().toString(), a.slices[size_t(r - 1)].value);
      QCOMPARE(cm->index(r, 1).data(Qt::UserRole).toDouble(), a.slices[size_t(r - 1)].metrics.value("exact_match"));
      QCOMPARE(cm->index(r, 2).data(Qt::UserRole).toDouble(), b.slices[size_t(r - 1)].metrics.value("exact_match"));
    }
    ws.store().closeThisThread();
  }

  void compareShowsEverySourceSideBySide() {
    ComparePanel panel;
    panel.setWorkspace(&*ws_, nullptr);
    QAbstractItemModelTester t1(panel.humanScores(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(panel.runList()->count(), 3);  // teacher, distillation, LoRA
    const JobStore jobs(ws_->store());
    int graphs = 0;
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(panel.runList()->item(i)->checkState(), Qt::Checked);
      const qint64 id = panel.runList()->item(i)->data(Qt::UserRole).toLongLong();
      graphs += int(!jobs.metric(id, QStringLiteral("loss")).empty()) + int(!jobs.metric(id, QStringLiteral("val_loss")).empty());
    }
    QCOMPARE(panel.curves()->graphCount(), graphs);
    const qint64 first = panel.runList()->item(0)->data(Qt::UserRole).toLongLong();
    const std::vector<MetricPoint> loss = jobs.metric(first, QStringLiteral("loss"));
    QCOMPARE(panel.curves()->graph(0)->dataCount(), int(loss.size()));
    QCOMPARE(panel.curves()->graph(0)->data()->at(0)->value, loss.front().value);
    panel.runList()->item(0)->setCheckState(Qt::Unchecked);
    QVERIFY(panel.curves()->graphCount() < graphs);

    QCOMPARE(panel.scores()->rowCount(), 5);
    QCOMPARE(panel.fidelity()->rowCount(), 4);

    // The pairwise study (the demo's first) ranks three models, blinded before reveal.
    const StudyStore studies(ws_->store());
    const qint64 pairwise = studies.list().back().id;  // newest first: the rubric study was created last
    QCOMPARE(panel.studyPicker()->currentData().toLongLong(), pairwise);  // the newest study with ratings
    panel.studyPicker()->setCurrentIndex(panel.studyPicker()->findData(pairwise));
    QCOMPARE(panel.humanScores()->rowCount(), 3);
    QCOMPARE(panel.humanScores()->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Elo [95% CI]"));
    for (int r = 0; r < 3; ++r)
      QVERIFY2(panel.humanScores()->index(r, 0).data().toString().startsWith(QStringLiteral("model ")),
               qPrintable(panel.humanScores()->index(r, 0).data().toString()));
    studies.reveal(pairwise);
    panel.setWorkspace(&*ws_, nullptr);  // re-read
    panel.studyPicker()->setCurrentIndex(panel.studyPicker()->findData(pairwise));
    QStringList names;
    for (int r = 0; r < 3; ++r) names << panel.humanScores()->index(r, 0).data().toString();
    names.sort();
    QCOMPARE(names, (QStringList{"student", "student+lora", "teacher"}));
  }
};

QTEST_MAIN(TestGuiEval)
#include "tst_gui_eval.moc"
