// Slice (fairness) metrics and robustness under perturbations: slice metrics of a constructed sample set equal
// Python's (tests/data/eval_slices/slices_reference.py, corpus BLEU per slice reimplemented there), chrF per slice
// equals the corpus chrF of the slice's texts, the bad-input messages; the perturbations equal a Python
// reimplementation (perturb_reference.py) and are deterministic per seed; the eval job keys; a tiny evaluation of
// the fixture model with slice_by and perturbations, and `distillery-cli score slices|robustness`.
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "eval/Bleu.h"
#include "eval/Chrf.h"
#include "eval/EvalRun.h"
#include "eval/EvalStore.h"
#include "eval/Perturb.h"
#include "eval/Slices.h"
#include "eval/TextMatch.h"
#include "jobs/JobStore.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include "Fixtures.h"
#include "JsonLines.h"
#include "TestUtil.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>

using namespace distillery;

namespace {

QString sliceData(const QString& name) { return testDataDir() + QStringLiteral("/eval_slices/") + name; }

QJsonObject jsonFile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
  return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<EvalSampleRow> samplesOf(const QJsonArray& list) {
  std::vector<EvalSampleRow> out;
  for (const QJsonValue& v : list) {
    const QJsonObject o = v.toObject();
    out.push_back({o.value("index").toInteger(), o.value("input").toString(), o.value("output").toString(),
                   o.value("reference").toString(), o.value("scores").toObject()});
  }
  return out;
}

SliceOptions sized(int64_t minSize, const QString& source = {}) {
  SliceOptions o;
  o.minSize = minSize;
  o.source = source;
  return o;
}

JobSpec spec(const QJsonObject& job) { return JobSpec::fromJson(job, QStringLiteral("job.json")); }

// The tiny job: tiny-llama on groups.jsonl (6 rows, one without a group), multiple choice and short generation,
// sliced by group and run again under two perturbations.
QJsonObject groupsJob(const QString& out) {
  return {{"kind", "eval"},
          {"models", QJsonArray{QJsonObject{{"label", "base"}, {"path", fixture("tiny-llama")}}}},
          {"data", QJsonObject{{"test", sliceData("groups.jsonl")}, {"format", "prompt_completion"}}},
          {"eval",
           QJsonObject{{"tasks", QJsonArray{"multiple_choice", "generation"}},
                       {"metrics", QJsonArray{"exact_match", "token_f1", "bleu"}},
                       {"max_new_tokens", 4},
                       {"slice_by", QJsonArray{"group"}},
                       {"min_slice_size", 2},
                       {"perturbations",
                        QJsonArray{QJsonObject{{"kind", "typos"}, {"rate", 0.2}},
                                   QJsonObject{{"kind", "casing"}, {"mode", "upper"}, {"rate", 1.0}, {"seed", 7}}}}}},
          {"device", "cpu"},
          {"output", out}};
}

void compareReports(const SliceReport& got, const QJsonObject& expected, double tol) {
  QCOMPARE(got.field, expected.value("field").toString());
  QCOMPARE(got.samples, expected.value("samples").toInteger());
  for (const QJsonValue& m : expected.value("metrics").toArray())
    QVERIFY2(got.metrics.contains(m.toString()), qPrintable(m.toString()));
  const QJsonObject overall = expected.value("overall").toObject();
  for (auto it = overall.begin(); it != overall.end(); ++it) {
    const double err = std::fabs(got.overall.value(it.key()) - it.value().toDouble());
    QVERIFY2(err < tol, qPrintable(QStringLiteral("overall %1: error %2").arg(it.key()).arg(err)));
  }
  const QJsonArray slices = expected.value("slices").toArray();
  QCOMPARE(int(got.slices.size()), int(slices.size()));
  for (int i = 0; i < int(slices.size()); ++i) {
    const QJsonObject e = slices[i].toObject();
    const Slice& s = got.slices[size_t(i)];
    QCOMPARE(s.value, e.value("value").toString());
    QCOMPARE(s.count, e.value("count").toInteger());
    QCOMPARE(s.small, e.value("small").toBool());
    for (const char* part : {"metrics", "gaps"}) {
      const QJsonObject values = e.value(QLatin1String(part)).toObject();
      const QMap<QString, double>& mine = QLatin1String(part) == QLatin1String("metrics") ? s.metrics : s.gaps;
      for (auto it = values.begin(); it != values.end(); ++it) {
        const double err = std::fabs(mine.value(it.key(), NAN) - it.value().toDouble());
        QVERIFY2(err < tol, qPrintable(QStringLiteral("%1 %2 %3: %4 vs %5")
                                           .arg(s.value, QLatin1String(part), it.key())
                                           .arg(mine.value(it.key(), NAN))
                                           .arg(it.value().toDouble())));
      }
    }
  }
  const QJsonObject largest = expected.value("largest_gap").toObject();
  for (auto it = largest.begin(); it != largest.end(); ++it) {
    QVERIFY2(got.largestGap.contains(it.key()), qPrintable(it.key()));
    QCOMPARE(got.slices[size_t(got.largestGap.value(it.key()))].value, it.value().toObject().value("slice").toString());
  }
}

}  // namespace

class TestEvalSlices : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QVERIFY(tmp_.isValid()); }

  // ---- slices ----
  void slicesEqualPython() {
    const QJsonObject ref = jsonFile(sliceData("slices_reference.json"));
    const std::vector<EvalSampleRow> samples = samplesOf(ref.value("samples").toArray());
    const SliceReport r = computeSlices(samples, QStringLiteral("group"), sized(3, "reference"));
    compareReports(r, ref.value("expected").toObject(), 1e-9);
    // The JSON form carries the same report.
    const SliceReport back = SliceReport::fromJson(r.toJson());
    compareReports(back, ref.value("expected").toObject(), 1e-9);
    QCOMPARE(back.largestGap, r.largestGap);
  }

  // Corpus scores per slice are the corpus statistics of the slice's own texts, not means of sentence scores.
  void corpusScoresPerSlice() {
    const QJsonObject ref = jsonFile(sliceData("slices_reference.json"));
    const std::vector<EvalSampleRow> samples = samplesOf(ref.value("samples").toArray());
    const SliceReport r = computeSlices(samples, QStringLiteral("group"), sized(3));
    QVERIFY(r.metrics.contains(QStringLiteral("chrf")));
    for (const Slice& s : r.slices) {
      QStringList hyps, refs;
      double sentenceMean = 0;
      for (const EvalSampleRow& x : samples) {
        const QString v = x.scores.value("fields").toObject().value("group").toString();
        if ((v.isEmpty() ? kMissingSlice : v) != s.value) continue;
        hyps << x.output;
        refs << x.reference;
        sentenceMean += bleu({x.output}, {{x.reference}}, {}).lines.at(0).score;
      }
      QCOMPARE(hyps.size(), qsizetype(s.count));
      QCOMPARE(s.metrics.value("chrf"), chrf(hyps, {refs}, {}).score);
      QCOMPARE(s.metrics.value("bleu"), bleu(hyps, {refs}, {}).corpus.score);
      if (s.count > 1) QVERIFY(std::fabs(s.metrics.value("bleu") - sentenceMean / double(s.count)) > 1e-6);
    }
  }

  void sliceValuesAndMissing() {
    std::vector<EvalSampleRow> samples;
    const QList<QJsonValue> years = {2, 10, 1, 10, QJsonValue(), QString()};
    for (int i = 0; i < int(years.size()); ++i) {
      QJsonObject fields;
      if (!years[i].isUndefined()) fields.insert("year", years[i]);
      samples.push_back({i, "q", "a", "a", {{"fields", fields}, {"exact_match", i % 2 ? 1.0 : 0.0}}});
    }
    const SliceReport r = computeSlices(samples, QStringLiteral("year"), sized(2));
    QStringList values;
    for (const Slice& s : r.slices) values << QStringLiteral("%1:%2").arg(s.value).arg(s.count);
    // Numbers sort as numbers; absent, null and "" are the one "(missing)" slice, last; no empty slice appears.
    QCOMPARE(values, QStringList({"1:1", "2:1", "10:2", "(missing):2"}));
    QCOMPARE(r.slices[0].small, true);
    QCOMPARE(r.slices[2].small, false);
    QCOMPARE(r.slices[2].metrics.value("exact_match"), 1.0);  // rows 1 and 3
    QCOMPARE(r.overall.value("exact_match"), 0.5);
    // Among the slices of at least 2 samples: "10" (gap +0.5) over "(missing)" (rows 4, 5: 0.5, gap 0).
    QCOMPARE(r.slices[size_t(r.largestGap.value("exact_match"))].value, QStringLiteral("10"));
    QCOMPARE(r.metrics, QStringList{"exact_match"});
  }

  void sliceErrors() {
    const QJsonObject ref = jsonFile(sliceData("slices_reference.json"));
    const std::vector<EvalSampleRow> samples = samplesOf(ref.value("samples").toArray());
    QCOMPARE(errorOf([&] { computeSlices(samples, "colour", sized(10, "job 3, model base")); }),
             QStringLiteral("job 3, model base: slice_by=colour is not a field of the evaluated rows "
                            "(fields: group, id, lang)"));
    QCOMPARE(errorOf([&] { computeSlices({}, "group", sized(10, "job 3, model base")); }),
             QStringLiteral("job 3, model base: samples=0 there are no samples to break down (the evaluation "
                            "stored none)"));
    QCOMPARE(sliceFieldNames(samples), QStringList({"group", "id", "lang"}));
  }

  // ---- perturbations ----
  void splitMix64() {
    // The published first output of SplitMix64 from state 0.
    QCOMPARE(SplitMix64(0).next(), 16294208416658607535ull);
    const QJsonObject ref = jsonFile(sliceData("perturb_reference.json"));
    SplitMix64 rng(rowSeed(1234, 0));
    for (const QJsonValue& v : ref.value("splitmix64_seed1234_row0").toArray())
      QCOMPARE(rng.next(), v.toString().toULongLong());
  }

  void perturbEqualsPython_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("rate");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<qint64>("seed");
    QTest::addColumn<qint64>("row");
    QTest::addColumn<QString>("expected");
    const QJsonArray cases = jsonFile(sliceData("perturb_reference.json")).value("cases").toArray();
    for (qsizetype i = 0; i < cases.size(); ++i) {
      const QJsonObject c = cases[i].toObject();
      QTest::addRow("%d %s %g row %d", int(i), qPrintable(c.value("kind").toString()), c.value("rate").toDouble(),
                    int(c.value("row").toInteger()))
          << c.value("text").toString() << c.value("kind").toString() << c.value("rate").toDouble()
          << c.value("mode").toString() << c.value("seed").toInteger() << c.value("row").toInteger()
          << c.value("expected").toString();
    }
  }
  void perturbEqualsPython() {
    QFETCH(QString, text);
    QFETCH(QString, kind);
    QFETCH(double, rate);
    QFETCH(QString, mode);
    QFETCH(qint64, seed);
    QFETCH(qint64, row);
    QFETCH(QString, expected);
    const PerturbationSpec p{kind, rate, mode, seed};
    QCOMPARE(perturbText(text, p, rowSeed(seed, row)), expected);
  }

  void perturbDeterministic() {
    const QString text = QStringLiteral("Question: which planet is the largest in the solar system? Answer: Jupiter");
    for (const char* kind : {"typos", "casing", "whitespace", "noise"}) {
      const PerturbationSpec p{QLatin1String(kind), 0.3, QLatin1String(kind) == QLatin1String("casing") ? "random" : "",
                               1234};
      const QString a = perturbText(text, p, rowSeed(1234, 5));
      QCOMPARE(perturbText(text, p, rowSeed(1234, 5)), a);  // same seed and row: same text
      QVERIFY2(a != text, kind);
      QVERIFY2(perturbText(text, p, rowSeed(1235, 5)) != a, kind);  // another seed: another text
      QVERIFY2(perturbText(text, p, rowSeed(1234, 6)) != a, kind);  // another row: another text
      const PerturbationSpec none{QLatin1String(kind), 0.0, p.mode, 1234};
      QCOMPARE(perturbText(text, none, rowSeed(1234, 5)), text);  // rate 0 changes nothing
    }
    QCOMPARE(perturbText(text, {"casing", 1.0, "upper", 1}, 1), text.toUpper());
    QCOMPARE(perturbText(text, {"casing", 1.0, "lower", 1}, 1), text.toLower());
    // Whitespace only touches spaces: without them the text stays.
    QCOMPARE(perturbText(QStringLiteral("你好世界"), {"whitespace", 1.0, "", 1}, 3), QStringLiteral("你好世界"));
    QCOMPARE(perturbationName({"casing", 1.0, "upper", 1}), QStringLiteral("casing upper 1"));
    QCOMPARE(perturbationName({"typos", 0.05, "", 1}), QStringLiteral("typos 0.05"));
    QCOMPARE(errorOf([] {
               perturbText("x", {"shuffle", 0.1, "", 1}, 1);
             }),
             QStringLiteral("perturbations.kind=shuffle must be one of: typos, casing, whitespace, noise"));
  }

  // ---- the job keys ----
  void jobKeysRoundTrip() {
    const JobSpec s = spec(groupsJob("/o"));
    QCOMPARE(s.eval.sliceBy, QStringList{"group"});
    QCOMPARE(s.eval.minSliceSize, int64_t(2));
    QCOMPARE(int(s.eval.perturbations.size()), 2);
    QCOMPARE(s.eval.perturbations[0], (PerturbationSpec{"typos", 0.2, "", 1234}));
    QCOMPARE(s.eval.perturbations[1], (PerturbationSpec{"casing", 1.0, "upper", 7}));
    QCOMPARE(spec(s.toJson()), s);
  }

  void jobKeysRefused_data() {
    QTest::addColumn<QByteArray>("eval");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown kind") << QByteArray(R"({"perturbations": [{"kind": "shuffle"}]})")
                                  << "job.json: eval.perturbations[0].kind=\"shuffle\" must be one of: typos, casing, "
                                     "whitespace, noise";
    QTest::addRow("rate") << QByteArray(R"({"perturbations": [{"kind": "typos", "rate": 1.5}]})")
                          << "job.json: eval.perturbations[0].rate=1.5 must be between 0 and 1";
    QTest::addRow("mode") << QByteArray(R"({"perturbations": [{"kind": "typos", "mode": "upper"}]})")
                          << "job.json: eval.perturbations[0].mode=\"upper\" is only for kind casing";
    QTest::addRow("casing mode") << QByteArray(R"({"perturbations": [{"kind": "casing", "mode": "title"}]})")
                                 << "job.json: eval.perturbations[0].mode=\"title\" must be one of: upper, lower, random";
    QTest::addRow("not an object") << QByteArray(R"({"perturbations": ["typos"]})")
                                   << "job.json: eval.perturbations[0]=\"typos\" must be an object {kind, rate, "
                                      "mode?, seed?}";
    QTest::addRow("no prompt task") << QByteArray(R"({"tasks": ["perplexity"], "perturbations": [{"kind": "typos"}]})")
                                    << "job.json: eval.perturbations=[{\"kind\":\"typos\"}] need multiple_choice or "
                                       "generation among eval.tasks (they perturb prompts)";
    QTest::addRow("slice twice") << QByteArray(R"({"slice_by": ["group", "group"]})")
                                 << "job.json: eval.slice_by=[\"group\",\"group\"] names \"group\" twice";
    QTest::addRow("min size") << QByteArray(R"({"min_slice_size": 0})")
                              << "job.json: eval.min_slice_size=0 must be ≥ 1";
  }
  void jobKeysRefused() {
    QFETCH(QByteArray, eval);
    QFETCH(QString, message);
    QJsonObject job = groupsJob("/o");
    job.insert("eval", QJsonDocument::fromJson(eval).object());
    QCOMPARE(errorOf([&] { spec(job); }), message);
  }

  // ---- a tiny evaluation ----
  void tinyJobStoresSlicesAndRobustness() {
    const Workspace ws = Workspace::init(tmp_.filePath(QStringLiteral("ws")));
    const QString out = tmp_.filePath(QStringLiteral("run"));
    const JobSpec s = spec(groupsJob(out));
    const qint64 jobId = JobStore(ws.store()).create(s);
    std::vector<EvalProgress> progress;
    EvalRunOptions o;
    o.store = &ws.store();
    o.jobId = jobId;
    o.progress = [&](const EvalProgress& p) { progress.push_back(p); };
    const EvalOutcome r = runEvaluation(s, o);
    QVERIFY(!r.cancelled);
    // Units: 6 rows × (multiple choice + generation) × (clean + 2 perturbations).
    QCOMPARE(progress.back().total, int64_t(6 * 2 * 3));
    QCOMPARE(progress.back().done, progress.back().total);

    const EvalStore evals(ws.store());
    const QList<EvaluationRow> rows = evals.evaluations(jobId);
    QCOMPARE(rows.size(), 1);
    const QJsonObject metrics = rows[0].metrics;
    const std::vector<EvalSampleRow> samples = evals.samples(rows[0].id);
    QCOMPARE(int(samples.size()), 6);

    // The slices stored with the metrics are those of the stored samples; their overall values are the model's.
    const SliceReport stored = SliceReport::fromJson(metrics.value("slices").toObject().value("group").toObject());
    const SliceReport again = computeSlices(samples, "group", sized(2));
    QCOMPARE(stored.toJson(), again.toJson());
    QStringList values;
    for (const Slice& x : stored.slices) values << QStringLiteral("%1:%2").arg(x.value).arg(x.count);
    QCOMPARE(values, QStringList({"biology:2", "geography:2", "math:1", "(missing):1"}));
    QVERIFY(stored.slices[2].small && stored.slices[3].small && !stored.slices[0].small);
    for (const char* m : {"exact_match", "token_f1", "bleu", "mc_accuracy"})
      QVERIFY2(std::fabs(stored.overall.value(m) - metrics.value(m).toDouble()) < 1e-9, m);

    // Robustness: clean figures are the model's; perturbed generation scores are those of the perturbed answers
    // in samples.jsonl, whose inputs are the prompts perturbed row by row.
    const QJsonArray robust = metrics.value("robustness").toArray();
    QCOMPARE(robust.size(), 2);
    const std::vector<QJsonObject> lines = jsonLines(QDir(out).filePath("samples.jsonl"));
    for (qsizetype k = 0; k < robust.size(); ++k) {
      const QJsonObject e = robust[k].toObject();
      const PerturbationSpec& p = s.eval.perturbations[size_t(k)];
      QCOMPARE(e.value("name").toString(), perturbationName(p));
      const QJsonObject clean = e.value("clean").toObject(), perturbed = e.value("perturbed").toObject();
      QCOMPARE(clean.value("mc_accuracy").toDouble(), metrics.value("mc_accuracy").toDouble());
      QCOMPARE(clean.value("exact_match").toDouble(), metrics.value("exact_match").toDouble());
      double em = 0;
      int n = 0;
      for (const QJsonObject& line : lines) {
        if (line.value("perturbation").toString() != e.value("name").toString()) continue;
        const EvalSampleRow& clean = samples[size_t(line.value("index").toInteger())];
        QCOMPARE(line.value("input").toString(), perturbText(clean.input, p, rowSeed(p.seed, clean.index)));
        QCOMPARE(line.value("reference").toString(), clean.reference);
        em += exactMatch(line.value("output").toString(), {clean.reference});
        ++n;
      }
      QCOMPARE(n, 6);
      QCOMPARE(perturbed.value("exact_match").toDouble(), em / 6);
      const double acc = perturbed.value("mc_accuracy").toDouble();
      QVERIFY(acc >= 0 && acc <= 1 && std::fabs(acc * 6 - std::round(acc * 6)) < 1e-9);
      for (const char* m : {"mc_accuracy", "exact_match", "token_f1"}) {
        const double c = clean.value(m).toDouble(), v = perturbed.value(m).toDouble();
        QCOMPARE(e.value("change").toObject().value(m).toDouble(), v - c);
        const QJsonValue rel = e.value("relative_change").toObject().value(m);
        if (c == 0)
          QVERIFY(rel.isNull());
        else
          QCOMPARE(rel.toDouble(), (v - c) / c);
      }
    }
    // The casing perturbation really ran on upper-cased prompts.
    bool sawUpper = false;
    for (const QJsonObject& line : lines)
      if (line.value("perturbation").toString() == QLatin1String("casing upper 1"))
        sawUpper = sawUpper || line.value("input").toString() == samples[0].input.toUpper();
    QVERIFY(sawUpper);

    // The command line reports the same.
    const CliResult cli = runCli({"--json", "score", "slices", QString::number(jobId), "--by", "group", "--min-size",
                                  "2", "--workspace", ws.root()});
    QVERIFY2(cli.code == 0, qPrintable(cli.err));
    const QJsonObject printed = QJsonDocument::fromJson(cli.out.toUtf8()).object();
    QCOMPARE(printed.value("models").toObject().value("base").toObject(), again.toJson());
    const CliResult table =
        runCli({"score", "slices", QString::number(jobId), "--by", "group", "--workspace", ws.root()});
    QVERIFY2(table.code == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains(QStringLiteral("small (< 10)")), qPrintable(table.out));
    const CliResult unknown =
        runCli({"score", "slices", QString::number(jobId), "--by", "colour", "--workspace", ws.root()});
    QCOMPARE(unknown.code, 1);
    QVERIFY2(unknown.err.contains(QStringLiteral("job %1, model base: --by=colour is not a field of the evaluated "
                                                 "rows (fields: group)")
                                      .arg(jobId)),
             qPrintable(unknown.err));
    const CliResult robustCli =
        runCli({"--json", "score", "robustness", QString::number(jobId), "--workspace", ws.root()});
    QVERIFY2(robustCli.code == 0, qPrintable(robustCli.err));
    QCOMPARE(QJsonDocument::fromJson(robustCli.out.toUtf8()).object().value("models").toObject().value("base"),
             QJsonValue(robust));
    const CliResult robustTable = runCli({"score", "robustness", QString::number(jobId), "--workspace", ws.root()});
    QVERIFY2(robustTable.code == 0, qPrintable(robustTable.err));
    // A header and one line per perturbation × metric (mc_accuracy, exact_match, token_f1).
    QCOMPARE(robustTable.out.count(QLatin1Char('\n')), 1 + 2 * 3);
    QVERIFY2(robustTable.out.contains(QStringLiteral("casing upper 1")), qPrintable(robustTable.out));
  }

  // An unknown slice field is refused before any model is loaded, and nothing is written.
  void unknownSliceFieldRefused() {
    const Workspace ws = Workspace::init(tmp_.filePath(QStringLiteral("ws-bad")));
    const QString out = tmp_.filePath(QStringLiteral("bad"));
    QJsonObject job = groupsJob(out);
    QJsonObject e = job.value("eval").toObject();
    e.insert("slice_by", QJsonArray{"domain"});
    job.insert("eval", e);
    const JobSpec s = spec(job);
    const qint64 jobId = JobStore(ws.store()).create(s);
    EvalRunOptions o;
    o.store = &ws.store();
    o.jobId = jobId;
    QStringList messages;
    o.message = [&](const QString& m) { messages << m; };
    QCOMPARE(errorOf([&] { runEvaluation(s, o); }),
             sliceData("groups.jsonl") + QStringLiteral(": eval.slice_by=domain is not a field of the rows (fields: "
                                                        "group)"));
    QVERIFY(messages.isEmpty());  // no model was loaded
    QVERIFY(EvalStore(ws.store()).evaluations(jobId).isEmpty());
    QVERIFY(!QFileInfo::exists(out));
  }

 private:
  QTemporaryDir tmp_;
};

QTEST_GUILESS_MAIN(TestEvalSlices)
#include "tst_eval_slices.moc"
