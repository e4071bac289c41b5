// Human-evaluation statistics: Cohen's/Fleiss' κ and Krippendorff's α against published worked examples and
// against tests/data/eval_human/reference.json (made by make_reference.py: ports of sklearn's
// cohen_kappa_score, statsmodels' fleiss_kappa and the Chatbot Arena notebook's Elo, an exact Bradley-Terry MLE);
// bootstrap intervals on simulated votes; the agreement and rank commands, bad input included.
#include "common/Error.h"
#include "data/SeededRandom.h"
#include "eval/Agreement.h"
#include "eval/Correlation.h"
#include "eval/Ranking.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <random>

using namespace distillery;

Q_DECLARE_METATYPE(std::vector<Rating>)
Q_DECLARE_METATYPE(MeasurementLevel)
Q_DECLARE_METATYPE(KappaWeights)

namespace {

QString dataFile(const QString& name) { return testDataDir() + QStringLiteral("/eval_human/") + name; }

const QJsonObject& reference() {
  static const QJsonObject r = [] {
    QFile f(dataFile(QStringLiteral("reference.json")));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open reference.json");
    return QJsonDocument::fromJson(f.readAll()).object();
  }();
  return r;
}

// Two raters' scores over the same items (the same length; an empty string is a missing rating).
std::vector<Rating> twoRaters(const QStringList& a, const QStringList& b) {
  std::vector<Rating> r;
  for (int i = 0; i < a.size(); ++i) {
    if (!a[i].isEmpty()) r.push_back({QString::number(i), QStringLiteral("r1"), a[i], {}});
    if (!b[i].isEmpty()) r.push_back({QString::number(i), QStringLiteral("r2"), b[i], {}});
  }
  return r;
}

// Items given as counts per category (a Fleiss table row): raters numbered per item, category names "c0".."ck".
std::vector<Rating> fromCounts(const std::vector<std::vector<int>>& table) {
  std::vector<Rating> r;
  for (size_t i = 0; i < table.size(); ++i) {
    int rater = 0;
    for (size_t c = 0; c < table[i].size(); ++c)
      for (int k = 0; k < table[i][c]; ++k)
        r.push_back({QString::number(i), QString::number(rater++), QStringLiteral("c%1").arg(c), {}});
  }
  return r;
}

// Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units, missing
// values; the same data as tests/data/eval_human/krippendorff2011.csv.
std::vector<Rating> krippendorff2011() {
  const QStringList rows = {"1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3", ". 3 3 3 2 3 4 2 2 5 1 .",
                            "1 2 3 3 2 4 4 1 2 5 1 ."};
  std::vector<Rating> r;
  for (int o = 0; o < rows.size(); ++o) {
    const QStringList v = rows[o].split(QLatin1Char(' '));
    for (int u = 0; u < v.size(); ++u)
      if (v[u] != QLatin1String(".")) r.push_back({QString::number(u), QString(QChar('A' + o)), v[u], {}});
  }
  return r;
}

std::vector<Battle> battlesFromJson(const QJsonArray& a) {
  std::vector<Battle> b;
  for (const QJsonValue& v : a) {
    const QJsonArray x = v.toArray();
    b.push_back({x[0].toString(), x[1].toString(), parseWinner(x[2].toString(), {})});
  }
  return b;
}

// Battles drawn from Bradley-Terry strengths (Elo scale), ties with probability tieRate.
std::vector<Battle> simulate(const std::map<QString, double>& strength, int count, double tieRate, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<QString> names;
  for (const auto& [m, s] : strength) names.push_back(m);
  std::vector<Battle> out;
  while (int(out.size()) < count) {
    const QString a = names[uniformBelow(rng, names.size())], b = names[uniformBelow(rng, names.size())];
    if (a == b) continue;
    const double p = 1.0 / (1.0 + std::pow(10.0, (strength.at(b) - strength.at(a)) / 400.0));
    const double tie = uniform01(rng), u = uniform01(rng);
    out.push_back({a, b, tie < tieRate ? Winner::Tie : u < p ? Winner::A : Winner::B});
  }
  return out;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(text);
  return path;
}

}  // namespace

class TestEvalHuman : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Expected values: the examples of scipy's documentation (spearmanr: [1..5] vs [5, 6, 7, 8, 7] → 0.8207826816681233;
  // kendalltau: [12, 2, 1, 12, 2] vs [1, 4, 7, 1, 0] → −0.47140452079103173) and Wikipedia's "Spearman's rank
  // correlation coefficient" worked example (IQ vs hours of TV per week: ρ = −29/165), plus hand-computed cases.
  void rankCorrelation_data() {
    QTest::addColumn<QList<double>>("x");
    QTest::addColumn<QList<double>>("y");
    QTest::addColumn<double>("rho");
    QTest::addColumn<double>("tau");
    QTest::newRow("scipy spearmanr") << QList<double>{1, 2, 3, 4, 5} << QList<double>{5, 6, 7, 8, 7}
                                     << 0.8207826816681233
                                     << 7.0 / std::sqrt(90.0);  // τ-b by hand: 8 concordant, 1 discordant, 1 tie in y
    QTest::newRow("scipy kendalltau") << QList<double>{12, 2, 1, 12, 2} << QList<double>{1, 4, 7, 1, 0}
                                      << -5.0 / std::sqrt(85.5)  // ρ by hand: average ranks, Σdxdy −5, Σdx² 9, Σdy² 9.5
                                      << -0.47140452079103173;
    QTest::newRow("wikipedia IQ vs TV") << QList<double>{106, 100, 86, 101, 99, 103, 97, 113, 112, 110}
                                        << QList<double>{7, 27, 2, 50, 28, 29, 20, 12, 6, 17} << -29.0 / 165.0
                                        << -5.0 / 45.0;  // pair count: 20 concordant, 25 discordant, no ties
    QTest::newRow("perfect reverse") << QList<double>{1, 2, 3} << QList<double>{3, 2, 1} << -1.0 << -1.0;
  }
  void rankCorrelation() {
    QFETCH(QList<double>, x);
    QFETCH(QList<double>, y);
    QFETCH(double, rho);
    QFETCH(double, tau);
    const std::vector<double> a(x.begin(), x.end()), b(y.begin(), y.end());
    QVERIFY2(std::abs(spearman(a, b) - rho) < 1e-12, qPrintable(QString::number(spearman(a, b), 'g', 17)));
    QVERIFY2(std::abs(kendallTauB(a, b) - tau) < 1e-12, qPrintable(QString::number(kendallTauB(a, b), 'g', 17)));
  }

  void rankCorrelationEdges() {
    QCOMPARE(averageRanks({10, 20, 20, 5}), (std::vector<double>{2, 3.5, 3.5, 1}));
    QVERIFY(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));   // no ranking in x: undefined, as scipy
    QVERIFY(std::isnan(kendallTauB({1, 2, 3}, {4, 4, 4})));
    QCOMPARE(errorOf([] { spearman({1, 2}, {1, 2, 3}); }),
             QStringLiteral("spearman=2 and 3 values needs two series of the same length"));
    QCOMPARE(errorOf([] { kendallTauB({1}, {1}); }), QStringLiteral("kendall=1 needs at least 2 pairs"));
    QCOMPARE(errorOf([] { spearman({1, NAN}, {1, 2}); }), QStringLiteral("spearman=pair 2 is not a finite number"));
  }

  void statistic_data() {
    QTest::addColumn<std::vector<Rating>>("ratings");
    QTest::addColumn<QString>("statistic");  // cohen, fleiss, alpha
    QTest::addColumn<MeasurementLevel>("level");
    QTest::addColumn<KappaWeights>("weights");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");  // half a unit of the published value's last digit, or 1e-12

    // Wikipedia "Cohen's kappa", worked example: 50 proposals, both yes 20, A yes/B no 5, A no/B yes 10, both
    // no 15: p_o = 0.7, p_e = 0.5, κ = 0.4 exactly.
    QStringList a, b;
    for (const auto& [x, y, n] : std::vector<std::tuple<const char*, const char*, int>>{
             {"yes", "yes", 20}, {"yes", "no", 5}, {"no", "yes", 10}, {"no", "no", 15}})
      for (int i = 0; i < n; ++i) a << x, b << y;
    QTest::newRow("cohen wikipedia 2x2") << twoRaters(a, b) << "cohen" << MeasurementLevel::Nominal
                                         << KappaWeights::None << 0.4 << 1e-12;
    // Missing ratings: the items only one rater rated do not count.
    QTest::newRow("cohen missing cells ignored")
        << twoRaters(a + QStringList{"yes", ""}, b + QStringList{"", "no"}) << "cohen" << MeasurementLevel::Nominal
        << KappaWeights::None << 0.4 << 1e-12;
    // sklearn.metrics.cohen_kappa_score (ported in make_reference.py) on 60 ordinal items.
    const QJsonObject c = reference()["cohen"].toObject();
    QStringList r1, r2;
    for (const QJsonValue& v : c["rater1"].toArray()) r1 << QString::number(v.toInt());
    for (const QJsonValue& v : c["rater2"].toArray()) r2 << QString::number(v.toInt());
    QTest::newRow("cohen sklearn unweighted") << twoRaters(r1, r2) << "cohen" << MeasurementLevel::Nominal
                                              << KappaWeights::None << c["none"].toDouble() << 1e-12;
    QTest::newRow("cohen sklearn linear") << twoRaters(r1, r2) << "cohen" << MeasurementLevel::Nominal
                                          << KappaWeights::Linear << c["linear"].toDouble() << 1e-12;
    QTest::newRow("cohen sklearn quadratic") << twoRaters(r1, r2) << "cohen" << MeasurementLevel::Nominal
                                             << KappaWeights::Quadratic << c["quadratic"].toDouble() << 1e-12;

    // Wikipedia "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories): κ = 0.210 (rounded).
    const std::vector<std::vector<int>> wiki = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                                                {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                                                {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
    QTest::newRow("fleiss wikipedia") << fromCounts(wiki) << "fleiss" << MeasurementLevel::Nominal << KappaWeights::None
                                      << 0.210 << 5e-4;
    // statsmodels' fleiss_kappa (ported) on 30 items × 6 ratings.
    std::vector<std::vector<int>> table;
    for (const QJsonValue& item : reference()["fleiss"]["items"].toArray()) {
      std::vector<int> counts(4, 0);
      for (const QJsonValue& v : item.toArray()) counts[size_t(v.toInt())] += 1;
      table.push_back(counts);
    }
    QTest::newRow("fleiss statsmodels") << fromCounts(table) << "fleiss" << MeasurementLevel::Nominal
                                        << KappaWeights::None << reference()["fleiss"]["kappa"].toDouble() << 1e-12;

    // Krippendorff 2011, section C (missing data): nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
    QTest::newRow("alpha k2011 nominal") << krippendorff2011() << "alpha" << MeasurementLevel::Nominal
                                         << KappaWeights::None << 0.743 << 5e-4;
    QTest::newRow("alpha k2011 ordinal") << krippendorff2011() << "alpha" << MeasurementLevel::Ordinal
                                         << KappaWeights::None << 0.815 << 5e-4;
    QTest::newRow("alpha k2011 interval")
        << krippendorff2011() << "alpha" << MeasurementLevel::Interval << KappaWeights::None << 0.849 << 5e-4;
    QTest::newRow("alpha k2011 ratio") << krippendorff2011() << "alpha" << MeasurementLevel::Ratio << KappaWeights::None
                                       << 0.797 << 5e-4;
    // By hand, two raters with complete nominal data (Wikipedia's 2×2 table): n = 100 pairable values, o_yes,no
    // = o_no,yes = 15, n_yes = 55, n_no = 45: α = 1 − (n−1)·Σo·δ/Σn_c·n_k·δ = 1 − 99·30/(2·55·45) = 0.4.
    QTest::newRow("alpha wikipedia 2x2") << twoRaters(a, b) << "alpha" << MeasurementLevel::Nominal
                                         << KappaWeights::None << 1.0 - 99.0 * 30.0 / (2.0 * 55.0 * 45.0) << 1e-12;
  }

  void statistic() {
    QFETCH(std::vector<Rating>, ratings);
    QFETCH(QString, statistic);
    QFETCH(MeasurementLevel, level);
    QFETCH(KappaWeights, weights);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    const RatingTable t(ratings, level != MeasurementLevel::Nominal || weights != KappaWeights::None);
    const double got = statistic == QLatin1String("cohen")    ? cohenKappa(t, weights)
                       : statistic == QLatin1String("fleiss") ? fleissKappa(t)
                                                              : krippendorffAlpha(t, level);
    if (!(std::abs(got - expected) <= tolerance))
      QFAIL(qPrintable(QStringLiteral("got %1, expected %2 ± %3").arg(got, 0, 'g', 17).arg(expected).arg(tolerance)));
  }

  void badInput_data() {
    QTest::addColumn<std::vector<Rating>>("ratings");
    QTest::addColumn<MeasurementLevel>("level");
    QTest::addColumn<QString>("message");
    QTest::newRow("non-numeric ordinal") << std::vector<Rating>{{"q1", "ann", "2", "r.csv:2"},
                                                                {"q1", "bob", "good", "r.csv:3"}}
                                         << MeasurementLevel::Ordinal
                                         << "r.csv:3: score=good is not a number (this level needs numbers)";
    QTest::newRow("one rater") << std::vector<Rating>{{"q1", "ann", "2", "r.csv:2"}, {"q2", "ann", "1", "r.csv:3"}}
                               << MeasurementLevel::Nominal
                               << "raters=1 agreement needs ratings from at least two raters";
    QTest::newRow("nothing pairable") << std::vector<Rating>{{"q1", "ann", "2", "r.csv:2"},
                                                             {"q2", "bob", "1", "r.csv:3"}}
                                      << MeasurementLevel::Nominal
                                      << "items=0 no item has 2 or more ratings: nothing is pairable";
    QTest::newRow("rated twice") << std::vector<Rating>{{"q1", "ann", "2", "r.csv:2"}, {"q1", "ann", "1", "r.csv:5"}}
                                 << MeasurementLevel::Nominal
                                 << "r.csv:5: rater=ann rated item q1 a second time (first at r.csv:2)";
  }

  void badInput() {
    QFETCH(std::vector<Rating>, ratings);
    QFETCH(MeasurementLevel, level);
    QFETCH(QString, message);
    QCOMPARE(errorOf([&] { computeAgreement(ratings, {.level = level}); }), message);
  }

  void fleissNeedsEqualCounts() {
    // Krippendorff's data has 2 to 4 ratings per unit: Fleiss' κ refuses, naming the item; α still comes out.
    const RatingTable t(krippendorff2011(), false);
    QCOMPARE(errorOf([&] { fleissKappa(t); }),
             QStringLiteral("item=1 has 4 ratings but item 0 has 3: Fleiss' kappa needs the same number of ratings "
                            "per item (Krippendorff's alpha allows missing ratings)"));
    const AgreementResult r = computeAgreement(krippendorff2011());
    QVERIFY(!r.fleissKappa);
    QVERIFY(!r.cohenKappa);         // four raters
    QCOMPARE(r.pairableItems, 11);  // unit 12 has one rating
    QCOMPARE(r.ratings, 41);
  }

  void eloAndBradleyTerry() {
    const QJsonObject ref = reference()["battles"].toObject();
    const std::vector<Battle> battles = battlesFromJson(ref["battles"].toArray());
    const std::map<QString, double> elo = onlineElo(battles), bt = bradleyTerry(battles);
    QCOMPARE(int(elo.size()), 5);
    QCOMPARE(int(bt.size()), 5);
    double mean = 0;
    for (const auto& [m, r] : elo) QVERIFY2(std::abs(r - ref["elo"][m].toDouble()) < 1e-9, qPrintable(m));
    for (const auto& [m, r] : bt) {
      QVERIFY2(std::abs(r - ref["bt"][m].toDouble()) < 1e-8,
               qPrintable(m + QStringLiteral(" %1 vs %2").arg(r, 0, 'g', 12).arg(ref["bt"][m].toDouble(), 0, 'g', 12)));
      mean += r / 5;
    }
    QVERIFY(std::abs(mean - 1000) < 1e-9);
  }

  void btModelThatNeverWins() {
    // A model that lost every battle has no finite MLE; the ridge keeps it finite and far below the others.
    std::vector<Battle> b;
    for (int i = 0; i < 10; ++i)
      b.push_back({"x", "y", Winner::A}), b.push_back({"y", "z", i % 2 ? Winner::A : Winner::Tie});
    const std::map<QString, double> bt = bradleyTerry(b);
    QVERIFY(std::isfinite(bt.at("z")) && std::isfinite(bt.at("x")));
    QVERIFY(bt.at("x") > bt.at("y") && bt.at("y") > bt.at("z"));
  }

  void bootstrapCoversTrueStrengths() {
    // 8 models, 3000 simulated battles (10% ties) from known Bradley-Terry strengths centred on 1000.
    const std::map<QString, double> truth = {{"m0", 1175}, {"m1", 1125}, {"m2", 1075}, {"m3", 1025},
                                             {"m4", 975},  {"m5", 925},  {"m6", 875},  {"m7", 825}};
    const std::vector<Battle> battles = simulate(truth, 3000, 0.10, 7);
    const std::map<QString, ModelRank> r = rankModels(battles, {.bootstrapRounds = 200, .seed = 11});
    // Each 95% interval misses its true value with probability ≈ 0.05, so all 8 hold with probability ≈ 0.66 and
    // at most one misses with ≈ 0.94; a second miss would point at a biased fit or too narrow intervals.
    int missed = 0;
    for (const auto& [m, s] : truth) {
      const ModelRank& x = r.at(m);
      QVERIFY(x.btLow <= x.bt && x.bt <= x.btHigh);
      QVERIFY(x.btHigh - x.btLow < 80);  // ~375 battles a model: σ ≈ 15 Elo points
      if (s < x.btLow || s > x.btHigh) ++missed;
    }
    QVERIFY2(missed <= 1, qPrintable(QString::number(missed)));
  }

  void bootstrapDeterministic() {
    const std::vector<Battle> battles = battlesFromJson(reference()["battles"]["battles"].toArray());
    const auto a = rankModels(battles, {.bootstrapRounds = 30, .seed = 5});
    const auto b = rankModels(battles, {.bootstrapRounds = 30, .seed = 5});
    const auto c = rankModels(battles, {.bootstrapRounds = 30, .seed = 6});
    bool differs = false;
    for (const auto& [m, x] : a) {
      QCOMPARE(x.eloLow, b.at(m).eloLow);
      QCOMPARE(x.eloHigh, b.at(m).eloHigh);
      QCOMPARE(x.btLow, b.at(m).btLow);
      QCOMPARE(x.btHigh, b.at(m).btHigh);
      differs = differs || x.btLow != c.at(m).btLow;
    }
    QVERIFY(differs);
  }

  void quantileAsNumpy() {
    // numpy.quantile([1, 2, 4, 8], q): 0.025 → 1.075, 0.5 → 3, 0.975 → 7.7.
    const std::vector<double> v = {1, 2, 4, 8};
    QVERIFY(std::abs(quantileSorted(v, 0.025) - 1.075) < 1e-12);
    QVERIFY(std::abs(quantileSorted(v, 0.5) - 3) < 1e-12);
    QVERIFY(std::abs(quantileSorted(v, 0.975) - 7.7) < 1e-12);
  }

  void cliAgreement() {
    const CliResult r = runCli({"--json", "agreement", dataFile("krippendorff2011.csv"), "--level", "interval"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY(std::abs(o["krippendorff_alpha"].toDouble() - 0.849) < 5e-4);
    QCOMPARE(o["items"].toInt(), 12);
    QCOMPARE(o["raters"].toInt(), 4);
    QVERIFY(o["fleiss_kappa"].isNull());
    QVERIFY(o["fleiss_skipped"].toString().contains("item=u2"));
    QVERIFY(!o.contains("cohen_kappa"));

    QTemporaryDir dir;
    const QString two = writeFile(dir, "two.csv", "item,rater,score\nq1,a,1\nq1,b,2\nq2,a,3\nq2,b,3\nq3,a,2\nq3,b,2\n");
    const CliResult w = runCli({"--json", "agreement", two, "--weights", "quadratic", "--level", "ordinal"});
    QCOMPARE(w.code, 0);
    const QJsonObject ow = QJsonDocument::fromJson(w.out.toUtf8()).object();
    // By hand: categories 1,2,3 (ranks 0..2); observed pairs (1,2), (3,3), (2,2) → Σw·o = 1; margins a (1,1,1),
    // b (0,2,1) → Σw·e = (1·(1·2 + 4·1) + 1·(1·1) + 1·(1·2))/3 = 3; κ = 1 − 1/3 (sklearn gives the same).
    QVERIFY(std::abs(ow["cohen_kappa"].toDouble() - 2.0 / 3.0) < 1e-12);
    QCOMPARE(ow["fleiss_items"].toInt(), 3);
  }

  void cliRank() {
    const CliResult r = runCli({"--json", "rank", dataFile("battles.csv"), "--bootstrap", "20", "--seed", "3"});
    QCOMPARE(r.code, 0);
    const QJsonObject m = QJsonDocument::fromJson(r.out.toUtf8()).object()["models"].toObject();
    QCOMPARE(m.size(), 5);
    const QJsonObject ref = reference()["battles"].toObject();
    for (const QString& name : m.keys()) {
      const QJsonObject x = m[name].toObject();
      QVERIFY(std::abs(x["elo"].toDouble() - ref["elo"][name].toDouble()) < 1e-9);
      QVERIFY(std::abs(x["bt"].toDouble() - ref["bt"][name].toDouble()) < 1e-8);
      QCOMPARE(x["bt_ci"].toArray().size(), 2);
      QVERIFY(x["elo_ci"][0].toDouble() <= x["elo_ci"][1].toDouble());
    }
  }

  void cliBadInput_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("message");  // after "distillery-cli: FILE"
    QTest::newRow("missing column")
        << "rank" << QByteArray("model_a,model_b\nx,y\n")
        << ": columns=model_a,model_b has no column 'winner' (needs model_a,model_b,winner)";
    QTest::newRow("unknown winner") << "rank" << QByteArray("model_a,model_b,winner\nx,y,a\nx,y,c\n")
                                    << ":3: winner=c must be a, b or tie";
    QTest::newRow("same model") << "rank" << QByteArray("model_a,model_b,winner\nx,x,a\n")
                                << ":2: model_b=x is the same model as model_a";
    QTest::newRow("empty") << "rank" << QByteArray("model_a,model_b,winner\n") << ": rows=0 has no rows";
    QTest::newRow("non-numeric ordinal") << "agreement" << QByteArray("item,rater,score\nq,a,1\nq,b,high\n")
                                         << ":3: score=high is not a number (this level needs numbers)";
    QTest::newRow("empty score") << "agreement" << QByteArray("item,rater,score\nq,a,1\nq,b,\n")
                                 << ":3: score= is empty";
    QTest::newRow("one rater") << "agreement" << QByteArray("item,rater,score\nq,a,1\nr,a,2\n")
                               << ": raters=1 agreement needs ratings from at least two raters";
  }

  void cliBadInput() {
    QFETCH(QString, command);
    QFETCH(QByteArray, csv);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = writeFile(dir, "in.csv", csv);
    QStringList args{command, path};
    if (command == QLatin1String("agreement"))
      args << "--level"
           << "ordinal";
    const CliResult r = runCli(args);
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err.trimmed(), QStringLiteral("distillery-cli: ") + path + message);
  }
};

QTEST_GUILESS_MAIN(TestEvalHuman)
#include "tst_eval_human.moc"
