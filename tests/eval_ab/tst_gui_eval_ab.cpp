// The regression badge of the Evaluation panel and the A/B view of the Compare panel (issue 10), offscreen, on a
// workspace holding one evaluation job with models "base" (exact_match 0.8) and "new" (0.7).
#include "compare/AbComparisonView.h"
#include "compare/ComparePanel.h"
#include "eval/BaselineStore.h"
#include "eval/EvalJobPicker.h"
#include "eval/EvalStore.h"
#include "eval/EvaluationPanel.h"
#include "eval/RegressionBar.h"
#include "jobs/JobStore.h"
#include "store/Workspace.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QPushButton>

#include <optional>

using namespace distillery;
using namespace distillery::ui;

class TestGuiEvalAb : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::optional<Workspace> ws_;
  qint64 job_ = 0;

 private Q_SLOTS:
  void initTestCase() {
    ws_ = Workspace::init(dir_.path());
    ws_->store().exec(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) VALUES ('eval', "
                                     "'e', '{\"data\": {\"test\": \"/data/qa_test.jsonl\"}}', 'succeeded', 'now')"));
    job_ = JobStore(ws_->store()).list().first().id;
    const EvalStore evals(ws_->store());
    // new beats base on 7 samples, loses on 3, ties on 2.
    const std::vector<double> base{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
    const std::vector<double> next{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0};
    for (const auto& [label, accuracy, scores] : {std::tuple{QStringLiteral("base"), 0.8, base},
                                                 std::tuple{QStringLiteral("new"), 0.7, next}}) {
      const qint64 e = evals.addEvaluation(job_, label, 0);
      evals.setMetrics(e, {{QStringLiteral("exact_match"), accuracy}, {QStringLiteral("first_token_ms_p99"), 250.0}});
      for (size_t i = 0; i < scores.size(); ++i) {
        EvalSampleRow row;
        row.index = qint64(i);
        row.scores = {{QStringLiteral("exact_match"), scores[i]}};
        evals.addSample(e, row);
      }
    }
  }
  void cleanupTestCase() {
    if (ws_) ws_->store().closeThisThread();
  }

  // No baseline → a hint; the button sets "base" as the baseline of task qa_test → "new" is flagged in red with
  // the numbers; a looser threshold clears the flag, a latency budget under 250 ms raises it again.
  void regressionBadge() {
    EvaluationPanel panel;
    panel.setWorkspace(&*ws_, nullptr);
    QAbstractItemModelTester tester(panel.metricsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.jobPicker()->setCurrentIndex(panel.jobPicker()->findData(job_));
    RegressionBar* bar = panel.regressionBar();
    QCOMPARE(bar->task(), QStringLiteral("qa_test"));
    QVERIFY(!bar->flagged());
    QVERIFY2(bar->badgeText().contains(QStringLiteral("No baseline for task qa_test")), qPrintable(bar->badgeText()));
    QCOMPARE(bar->modelPicker()->count(), 2);
    bar->modelPicker()->setCurrentIndex(bar->modelPicker()->findText(QStringLiteral("base")));
    QTest::mouseClick(bar->setBaselineButton(), Qt::LeftButton);
    QCOMPARE(BaselineStore(ws_->store()).find(QStringLiteral("qa_test"))->modelLabel, QStringLiteral("base"));
    QVERIFY(bar->flagged());
    QVERIFY2(bar->badgeText().contains(
                 QStringLiteral("task qa_test: model new exact_match 0.7000 is 12.5% below the baseline 0.8000")),
             qPrintable(bar->badgeText()));
    QVERIFY(!bar->badgeText().contains(QStringLiteral("model base")  + QStringLiteral(" exact_match")));
    bar->threshold()->setValue(15);
    QVERIFY(!bar->flagged());
    bar->latencyBudget()->setValue(200);
    QVERIFY(bar->flagged());
    QVERIFY2(bar->badgeText().contains(QStringLiteral("model new first_token_ms_p99 250.0 ms exceeds the budget 200.0 ms")),
             qPrintable(bar->badgeText()));
    BaselineStore(ws_->store()).remove(QStringLiteral("qa_test"));
  }

  void abComparison() {
    ComparePanel panel;
    panel.setWorkspace(&*ws_, nullptr);
    panel.evalPicker()->setCurrentIndex(panel.evalPicker()->findData(job_));
    AbComparisonView* ab = panel.abComparison();
    QCOMPARE(ab->modelA()->currentText(), QStringLiteral("base"));
    QCOMPARE(ab->modelB()->currentText(), QStringLiteral("new"));
    QCOMPARE(ab->metric()->currentText(), QStringLiteral("exact_match"));
    QVERIFY(ab->compare());
    QCOMPARE(ab->verdictText(), QStringLiteral("new is better than base with probability 89% (95% CI of new's win "
                                               "rate 0.39–0.89); sign test p = 0.34 (7 wins, 3 losses, 2 ties)"));
    ab->modelB()->setCurrentIndex(0);  // base against itself
    QVERIFY(!ab->compare());
    QCOMPARE(ab->verdictText(), QStringLiteral("model=base is compared with itself"));
  }
};

QTEST_MAIN(TestGuiEvalAb)
#include "tst_gui_eval_ab.moc"
