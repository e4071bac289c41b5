// Bayesian A/B comparison and regression alerts (issue 10): Beta posterior, credible interval, sign test and
// bootstrap against tests/data/eval_ab/reference.tsv (made by make_reference.py with exact rational arithmetic),
// the verdict text, counts from studies and evaluation jobs, the regression rule at its edges, the baselines table
// and the `eval baseline|check|compare` commands with their exit codes.
#include "Fixtures.h"
#include "TestUtil.h"
#include "common/Error.h"
#include "eval/AbSources.h"
#include "eval/BaselineStore.h"
#include "eval/BayesAB.h"
#include "eval/EvalStore.h"
#include "eval/Regression.h"
#include "jobs/JobStore.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using namespace distillery;

namespace {

QJsonObject parse(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

// A workspace with eval job `job` whose models "base" and "new" have the given aggregate metrics and per-sample
// exact_match scores.
struct EvalWorkspace {
  QTemporaryDir dir;
  Workspace ws = Workspace::init(dir.path());
  qint64 addJob(const QJsonObject& base, const QJsonObject& next, const std::vector<double>& baseScores,
                const std::vector<double>& newScores) {
    ws.store().exec(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) VALUES ('eval', "
                                   "'e', '{\"data\": {\"test\": \"/data/qa_test.jsonl\"}}', 'succeeded', 'now')"));
    qint64 job = 0;
    for (const JobRow& j : JobStore(ws.store()).list()) job = std::max(job, j.id);
    const EvalStore evals(ws.store());
    for (const auto& [label, metrics, scores] :
         {std::tuple{QStringLiteral("base"), base, baseScores}, std::tuple{QStringLiteral("new"), next, newScores}}) {
      const qint64 e = evals.addEvaluation(job, label, 0);
      evals.setMetrics(e, metrics);
      for (size_t i = 0; i < scores.size(); ++i) {
        EvalSampleRow row;
        row.index = qint64(i);
        row.scores = {{QStringLiteral("exact_match"), scores[i]}, {QStringLiteral("line"), double(i + 1)}};
        evals.addSample(e, row);
      }
    }
    return job;
  }
};

}  // namespace

class TestEvalAb : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void reference_data() {
    QTest::addColumn<QStringList>("cols");
    QFile f(testDataDir() + QStringLiteral("/eval_ab/reference.tsv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    for (const QByteArray& line : f.readAll().split('\n')) {
      if (line.isEmpty()) continue;
      const QStringList cols = QString::fromUtf8(line).split(QLatin1Char('\t'));
      QTest::addRow("%s-%s-%s", qPrintable(cols[0]), qPrintable(cols[1]), qPrintable(cols[2])) << cols;
    }
  }
  void reference() {
    QFETCH(QStringList, cols);
    QCOMPARE(cols.size(), 10);
    const AbCounts counts{cols[0].toLongLong(), cols[1].toLongLong(), cols[2].toLongLong()};
    const AbComparison c = compareAB(counts, {.bootstrapRounds = 20000, .seed = 7});
    auto close = [](double got, const QString& want, double tol, const char* what) {
      const double w = want.toDouble();
      const double err = std::fabs(got - w);
      QVERIFY2(err <= tol, qPrintable(QStringLiteral("%1: got %2, reference %3, error %4 > %5")
                                          .arg(QLatin1String(what)).arg(got, 0, 'g', 17).arg(want).arg(err).arg(tol)));
    };
    // The Beta numbers are deterministic: continued fraction and bisection reach ~1e-14.
    close(c.posteriorMean, cols[3], 1e-12, "posterior mean");
    close(c.probBBetter, cols[4], 1e-10, "P(B better)");
    close(c.credibleLow, cols[5], 1e-10, "credible low");
    close(c.credibleHigh, cols[6], 1e-10, "credible high");
    close(c.signTestP, cols[7], 1e-12, "sign test p");
    if (cols[8] == QLatin1String("nan")) {
      // No decisive item (nothing to resample) or too many items for the exact enumeration: only the range is known.
      if (counts.bWins + counts.aWins == 0) QVERIFY(std::isnan(c.bootstrapLow) && std::isnan(c.bootstrapHigh));
      else QVERIFY(c.bootstrapLow <= c.observedRate && c.observedRate <= c.bootstrapHigh);
    } else {
      // Monte-Carlo percentiles of a discrete distribution: with 20000 rounds they land on the exact percentile or
      // its neighbour, one attainable win rate away (≤ 1/(n−1) ≈ 0.05 for the smallest n here).
      const double step = 1.0 / double(std::max<int64_t>(counts.bWins + counts.aWins - 1, 1));
      close(c.bootstrapLow, cols[8], std::min(step, 0.05) + 1e-12, "bootstrap low");
      close(c.bootstrapHigh, cols[9], std::min(step, 0.05) + 1e-12, "bootstrap high");
    }
  }

  void incompleteBetaEdges() {
    QCOMPARE(incompleteBetaRegularized(2, 3, 0), 0.0);
    QCOMPARE(incompleteBetaRegularized(2, 3, 1), 1.0);
    // I_x(1, 1) = x; I_x(a, 1) = x^a; symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
    QVERIFY(std::fabs(incompleteBetaRegularized(1, 1, 0.3) - 0.3) < 1e-14);
    QVERIFY(std::fabs(incompleteBetaRegularized(2.5, 1, 0.4) - std::pow(0.4, 2.5)) < 1e-14);
    QVERIFY(std::fabs(incompleteBetaRegularized(3.5, 0.7, 0.8) + incompleteBetaRegularized(0.7, 3.5, 0.2) - 1) < 1e-14);
    QVERIFY(std::fabs(betaQuantile(1, 1, 0.975) - 0.975) < 1e-14);
    QVERIFY_THROWS_EXCEPTION(Error, incompleteBetaRegularized(0, 1, 0.5));
    QVERIFY_THROWS_EXCEPTION(Error, compareAB({-1, 0, 0}));
    QVERIFY_THROWS_EXCEPTION(Error, compareAB({1, 0, 0}, {.level = 1.0}));
  }

  void verdict() {
    const AbComparison c = compareAB({25, 14, 5}, {.bootstrapRounds = 0});
    QCOMPARE(c.verdict(QStringLiteral("base"), QStringLiteral("student")),
             QStringLiteral("student is better than base with probability 96% (95% CI of student's win rate "
                            "0.48–0.77); sign test p = 0.11 (25 wins, 14 losses, 5 ties)"));
    QCOMPARE(compareAB({3, 7, 0}).verdict(QStringLiteral("A"), QStringLiteral("B")),
             QStringLiteral("A is better than B with probability 89% (95% CI of B's win rate 0.11–0.61); sign test "
                            "p = 0.34 (3 wins, 7 losses, 0 ties)"));
    QCOMPARE(compareAB({40, 10, 0}).verdict(QStringLiteral("A"), QStringLiteral("B")),
             QStringLiteral("B is better than A with probability > 99.9% (95% CI of B's win rate 0.67–0.89); sign "
                            "test p = < 0.001 (40 wins, 10 losses, 0 ties)"));
    QCOMPARE(compareAB({0, 0, 3}).verdict(QStringLiteral("A"), QStringLiteral("B")),
             QStringLiteral("No decisive comparison between A and B (0 wins, 0 losses, 3 ties): nothing to tell them "
                            "apart."));
    const QJsonObject j = compareAB({0, 0, 3}).toJson(QStringLiteral("A"), QStringLiteral("B"));
    QVERIFY(j.value(QStringLiteral("bootstrap_low")).isNull());
    QCOMPARE(j.value(QStringLiteral("p_b_better")).toDouble(), 0.5);
  }

  void pairCounts() {
    const AbCounts c = countPairs({1, 0, 0.5, 1, NAN}, {0, 1, 0.5, 1, 1});
    QCOMPARE(c.bWins, 1);
    QCOMPARE(c.aWins, 1);
    QCOMPARE(c.ties, 2);
    const AbCounts lower = countPairs({10, 20}, {5, 30}, true);
    QCOMPARE(lower.bWins, 1);
    QCOMPARE(lower.aWins, 1);

    StudyResults r;
    r.study.id = 4;
    r.tallies = {{QStringLiteral("m1"), {}, 5, 3, 2, 1}, {QStringLiteral("m2"), {}, 3, 5, 2, 1}};
    r.headToHead = {{QStringLiteral("m1"), QStringLiteral("m2"), 5, 3, 2, 1}};  // m1 beat m2 5 times
    const AbCounts s = studyPairCounts(r, QStringLiteral("m1"), QStringLiteral("m2"));
    QCOMPARE(s.bWins, 3);
    QCOMPARE(s.aWins, 5);
    QCOMPARE(s.ties, 3);  // tie and both bad
    const AbCounts back = studyPairCounts(r, QStringLiteral("m2"), QStringLiteral("m1"));
    QCOMPARE(back.bWins, 5);
    try {
      studyPairCounts(r, QStringLiteral("m1"), QStringLiteral("m9"));
      QFAIL("no error");
    } catch (const Error& e) {
      QCOMPARE(e.message(), QStringLiteral("model=m9 is not a model of study 4 (models: m1, m2)"));
    }
  }

  // The relative drop just over and just under the threshold, and the latency budget.
  void regressionRule_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("latency");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<double>("budget");  // 0: none
    QTest::addColumn<QStringList>("flagged");
    const QStringList none;
    QTest::newRow("4.9% drop") << 0.8 * 0.951 << 100.0 << 0.05 << 0.0 << none;
    QTest::newRow("5.1% drop") << 0.8 * 0.949 << 100.0 << 0.05 << 0.0 << QStringList{QStringLiteral("exact_match")};
    QTest::newRow("better") << 0.9 << 100.0 << 0.05 << 0.0 << none;
    QTest::newRow("1% allowed, 1.1% drop") << 0.8 * 0.989 << 100.0 << 0.01 << 0.0
                                           << QStringList{QStringLiteral("exact_match")};
    QTest::newRow("under budget") << 0.8 << 299.9 << 0.05 << 300.0 << none;
    QTest::newRow("over budget") << 0.8 << 300.1 << 0.05 << 300.0 << QStringList{QStringLiteral("first_token_ms_p99")};
    QTest::newRow("no budget") << 0.8 << 1e6 << 0.05 << 0.0 << none;
    QTest::newRow("both") << 0.5 << 400.0 << 0.05 << 300.0
                          << QStringList{QStringLiteral("exact_match"), QStringLiteral("first_token_ms_p99")};
  }
  void regressionRule() {
    QFETCH(double, value);
    QFETCH(double, latency);
    QFETCH(double, threshold);
    QFETCH(double, budget);
    QFETCH(QStringList, flagged);
    const QJsonObject baseline{{QStringLiteral("exact_match"), 0.8}, {QStringLiteral("bleu"), 0.0},
                               {QStringLiteral("first_token_ms_p99"), 100.0}};
    const QJsonObject now{{QStringLiteral("exact_match"), value}, {QStringLiteral("bleu"), 0.0},
                          {QStringLiteral("first_token_ms_p99"), latency}, {QStringLiteral("mc_accuracy"), 0.1}};
    RegressionRule rule{threshold, budget > 0 ? std::optional<double>(budget) : std::nullopt};
    QStringList got;
    for (const RegressionFinding& f : findRegressions(QStringLiteral("qa"), QStringLiteral("new"), baseline, now, rule))
      got << f.metric;
    QCOMPARE(got, flagged);
  }

  void regressionMessages() {
    const auto f = findRegressions(QStringLiteral("qa"), QStringLiteral("new"), {{QStringLiteral("exact_match"), 0.8}},
                                   {{QStringLiteral("exact_match"), 0.6}, {QStringLiteral("first_token_ms_p99"), 412.0}},
                                   {0.05, 300.0});
    QCOMPARE(int(f.size()), 2);
    QCOMPARE(f[0].message(), QStringLiteral("task qa: model new exact_match 0.6000 is 25.0% below the baseline 0.8000"));
    QCOMPARE(f[1].message(),
             QStringLiteral("task qa: model new first_token_ms_p99 412.0 ms exceeds the budget 300.0 ms"));
    QVERIFY_THROWS_EXCEPTION(Error, findRegressions({}, {}, {}, {}, {1.0, std::nullopt}));
    QVERIFY_THROWS_EXCEPTION(Error, findRegressions({}, {}, {}, {}, {0.05, 0.0}));
  }

  void baselineStore() {
    EvalWorkspace w;
    const qint64 job = w.addJob({{QStringLiteral("exact_match"), 0.8}}, {{QStringLiteral("exact_match"), 0.7}}, {}, {});
    const BaselineStore baselines(w.ws.store());
    QVERIFY(!baselines.find(QStringLiteral("qa_test")));
    QCOMPARE(defaultEvalTask(JobStore(w.ws.store()).job(job).config, job), QStringLiteral("qa_test"));
    try {
      baselines.setFromJob(QStringLiteral("qa_test"), job);
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(e.message().contains(QStringLiteral("name one of base, new")), qPrintable(e.message()));
    }
    QVERIFY_THROWS_EXCEPTION(Error, baselines.setFromJob(QStringLiteral("qa_test"), job, QStringLiteral("nope")));
    baselines.setFromJob(QStringLiteral("qa_test"), job, QStringLiteral("base"));
    const std::optional<Baseline> b = baselines.find(QStringLiteral("qa_test"));
    QVERIFY(b);
    QCOMPARE(b->modelLabel, QStringLiteral("base"));
    QCOMPARE(b->jobId, job);
    QCOMPARE(b->metrics.value(QStringLiteral("exact_match")).toDouble(), 0.8);
    baselines.setFromJob(QStringLiteral("qa_test"), job, QStringLiteral("new"));  // replaces
    QCOMPARE(int(baselines.list().size()), 1);
    QCOMPARE(baselines.find(QStringLiteral("qa_test"))->modelLabel, QStringLiteral("new"));
    QVERIFY(baselines.remove(QStringLiteral("qa_test")));
    QVERIFY(!baselines.remove(QStringLiteral("qa_test")));
  }

  // eval baseline set / check exit codes: 0 within the threshold, 3 on a regression (message on stderr), 1 without
  // a baseline, 2 for a bad option value.
  void cliCheck() {
    EvalWorkspace w;
    const QString ws = w.dir.path();
    const qint64 first = w.addJob({{QStringLiteral("exact_match"), 0.8}}, {{QStringLiteral("exact_match"), 0.79}}, {}, {});
    CliResult r = runCli({QStringLiteral("eval"), QStringLiteral("check"), QString::number(first),
                          QStringLiteral("--workspace"), ws});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("task=qa_test has no baseline")), qPrintable(r.err));
    r = runCli({QStringLiteral("--json"), QStringLiteral("eval"), QStringLiteral("baseline"), QStringLiteral("set"),
                QString::number(first), QStringLiteral("--model"), QStringLiteral("base"), QStringLiteral("--workspace"),
                ws});
    QCOMPARE(r.code, 0);
    QCOMPARE(parse(r.out).value(QStringLiteral("task")).toString(), QStringLiteral("qa_test"));
    r = runCli({QStringLiteral("--json"), QStringLiteral("eval"), QStringLiteral("check"), QString::number(first),
                QStringLiteral("--workspace"), ws});
    QCOMPARE(r.code, 0);
    QCOMPARE(parse(r.out).value(QStringLiteral("regressions")).toArray().size(), 0);

    const qint64 second = w.addJob({{QStringLiteral("exact_match"), 0.8}},
                                   {{QStringLiteral("exact_match"), 0.7}, {QStringLiteral("first_token_ms_p99"), 500.0}},
                                   {}, {});
    r = runCli({QStringLiteral("--json"), QStringLiteral("eval"), QStringLiteral("check"), QString::number(second),
                QStringLiteral("--latency-budget-ms"), QStringLiteral("400"), QStringLiteral("--workspace"), ws});
    QCOMPARE(r.code, 3);
    QCOMPARE(r.err, QStringLiteral("regression: task qa_test: model new exact_match 0.7000 is 12.5% below the baseline "
                                   "0.8000\nregression: task qa_test: model new first_token_ms_p99 500.0 ms exceeds "
                                   "the budget 400.0 ms\n"));
    QCOMPARE(parse(r.out).value(QStringLiteral("regressions")).toArray().size(), 2);
    r = runCli({QStringLiteral("eval"), QStringLiteral("check"), QString::number(second), QStringLiteral("--threshold"),
                QStringLiteral("0.2"), QStringLiteral("--workspace"), ws});
    QCOMPARE(r.code, 0);
    r = runCli({QStringLiteral("eval"), QStringLiteral("check"), QString::number(second), QStringLiteral("--threshold"),
                QStringLiteral("1.5"), QStringLiteral("--workspace"), ws});
    QCOMPARE(r.code, 2);
    r = runCli({QStringLiteral("eval"), QStringLiteral("/nonexistent/job.json"), QStringLiteral("--fail-on-regression")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("needs --workspace")), qPrintable(r.err));
  }

  void cliCompare() {
    EvalWorkspace w;
    // new beats base on 7 samples, loses on 3, ties on 2: the (7, 3, 2) reference row.
    const std::vector<double> base{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
    const std::vector<double> next{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0};
    const qint64 job = w.addJob({}, {}, base, next);
    CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("eval"), QStringLiteral("compare"),
                          QString::number(job), QStringLiteral("base"), QStringLiteral("new"), QStringLiteral("--metric"),
                          QStringLiteral("exact_match"), QStringLiteral("--workspace"), w.dir.path()});
    QCOMPARE(r.code, 0);
    const QJsonObject o = parse(r.out);
    QCOMPARE(o.value(QStringLiteral("b_wins")).toInt(), 7);
    QCOMPARE(o.value(QStringLiteral("a_wins")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("ties")).toInt(), 2);
    QVERIFY(std::fabs(o.value(QStringLiteral("p_b_better")).toDouble() - 0.88671875) < 1e-10);
    QCOMPARE(o.value(QStringLiteral("sign_test_p")).toDouble(), 0.34375);
    r = runCli({QStringLiteral("eval"), QStringLiteral("compare"), QString::number(job), QStringLiteral("base"),
                QStringLiteral("new"), QStringLiteral("--metric"), QStringLiteral("bleu"), QStringLiteral("--workspace"),
                w.dir.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("metric=bleu is not a per-sample score both models of job 1 have "
                                           "(scores: exact_match)")),
             qPrintable(r.err));
  }

  // A revealed pairwise study where beta beats alpha in 7 ratings, loses 3, ties 1 and both are bad once: the
  // (7, 3, 2) reference row.
  void cliStudyCompare() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    std::vector<StudyItemInput> items;
    for (int i = 0; i < 12; ++i)
      items.push_back({.prompt = QStringLiteral("q%1").arg(i), .outputA = QStringLiteral("a%1").arg(i),
                       .modelA = QStringLiteral("alpha"), .outputB = QStringLiteral("b%1").arg(i),
                       .modelB = QStringLiteral("beta")});
    const qint64 id = studies.create({.name = QStringLiteral("ab"), .kind = StudyKind::Pairwise, .seed = 5}, items);
    int k = 0;
    for (const StudyItem& it : studies.items(id)) {
      const int n = k++;
      // beta's side on screen is the right one unless the item was swapped.
      const ScreenChoice beta = it.swapped ? ScreenChoice::Left : ScreenChoice::Right;
      const ScreenChoice alpha = it.swapped ? ScreenChoice::Right : ScreenChoice::Left;
      const ScreenChoice c = n < 7 ? beta : n < 10 ? alpha : n == 10 ? ScreenChoice::Tie : ScreenChoice::BothBad;
      studies.rate(it.id, QStringLiteral("ann"), {.scores = {}, .choice = c, .comment = {}});
    }
    studies.reveal(id);
    const CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("study"), QStringLiteral("compare"),
                                QString::number(id), QStringLiteral("alpha"), QStringLiteral("beta"),
                                QStringLiteral("--workspace"), dir.path()});
    QCOMPARE(r.code, 0);
    const QJsonObject o = parse(r.out);
    QCOMPARE(o.value(QStringLiteral("b_wins")).toInt(), 7);
    QCOMPARE(o.value(QStringLiteral("a_wins")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("ties")).toInt(), 2);
    QVERIFY(std::fabs(o.value(QStringLiteral("credible_low")).toDouble() - 0.3902574404275788) < 1e-10);
    QCOMPARE(o.value(QStringLiteral("verdict")).toString(),
             QStringLiteral("beta is better than alpha with probability 89% (95% CI of beta's win rate 0.39–0.89); "
                            "sign test p = 0.34 (7 wins, 3 losses, 2 ties)"));
    const CliResult bad = runCli({QStringLiteral("study"), QStringLiteral("compare"), QString::number(id),
                                  QStringLiteral("alpha"), QStringLiteral("gamma"), QStringLiteral("--workspace"),
                                  dir.path()});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("model=gamma is not a model of study")), qPrintable(bad.err));
  }
};

QTEST_GUILESS_MAIN(TestEvalAb)
#include "tst_eval_ab.moc"
