// Human-evaluation studies in the store: creation from JSONL and from stored evaluations, rubric totals, ratings
// that persist and update, blinding (no model name reaches the rater view or a blinded export before reveal),
// seeded left/right sides, choice mapping, CSV/JSON import and export, and results equal to the statistics of
// Agreement.h / Ranking.h / Correlation.h called directly on the same ratings; the `study` command end to end.
#include "cli/Cli.h"
#include "common/Error.h"
#include "data/RowReader.h"
#include "eval/Agreement.h"
#include "eval/Correlation.h"
#include "eval/Ranking.h"
#include "eval/Rubric.h"
#include "eval/StudyResults.h"
#include "store/StudyExchange.h"
#include "store/StudySources.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <array>
#include <cmath>
#include <random>

using namespace distillery;

namespace {

const QStringList kModels = {QStringLiteral("zeta-7b"), QStringLiteral("omega-3b"), QStringLiteral("kappa-1b")};

QString answersFile() { return testDataDir() + QStringLiteral("/eval_study/answers.jsonl"); }

void writeFile(const QString& path, const QByteArray& content) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(content);
}

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Fails the test when text holds any model name.
void expectNoModelName(const QString& text, const QString& what) {
  for (const QString& m : kModels)
    QVERIFY2(!text.contains(m), qPrintable(QStringLiteral("%1 reveals %2: %3").arg(what, m, text.left(200))));
}

// Every string inside a JSON value, recursively (keys included).
void collectStrings(const QJsonValue& v, QStringList& out) {
  if (v.isString()) out.append(v.toString());
  if (v.isArray())
    for (const QJsonValue& e : v.toArray()) collectStrings(e, out);
  if (v.isObject()) {
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
      out.append(it.key());
      collectStrings(it.value(), out);
    }
  }
}

// Stores one evaluation per (label, outputs, scores) with the given inputs; returns the evaluation ids.
std::vector<qint64> storeEvaluations(const Store& store, const QStringList& inputs,
                                     const QList<QPair<QString, QList<QPair<QString, QJsonObject>>>>& evals) {
  std::vector<qint64> ids;
  QSqlQuery q(store.connection());
  for (const auto& [label, samples] : evals) {
    q.prepare(QStringLiteral("INSERT INTO evaluations (model_label, created_at) VALUES (?, ?)"));
    q.addBindValue(label);
    q.addBindValue(nowUtc());
    if (!q.exec()) qFatal("cannot insert an evaluation");
    ids.push_back(q.lastInsertId().toLongLong());
    for (int i = 0; i < samples.size(); ++i) {
      q.prepare(QStringLiteral("INSERT INTO eval_samples (evaluation_id, sample_index, input, output, scores_json) "
                               "VALUES (?, ?, ?, ?, ?)"));
      q.addBindValue(ids.back());
      q.addBindValue(i);
      q.addBindValue(inputs[i]);
      q.addBindValue(samples[i].first);
      q.addBindValue(QString::fromUtf8(QJsonDocument(samples[i].second).toJson(QJsonDocument::Compact)));
      if (!q.exec()) qFatal("cannot insert a sample");
    }
  }
  return ids;
}

// Runs `distillery-cli ARGS` with the given standard input.
CliResult runCliWithInput(const QStringList& args, QString input) {
  CliResult r;
  QTextStream out(&r.out), err(&r.err), in(&input);
  r.code = distillery::cli::run(QStringList{QStringLiteral("distillery-cli")} + args, out, err, in);
  out.flush();
  err.flush();
  return r;
}

QJsonObject lastJsonLine(const QString& out) {
  const QStringList lines = out.trimmed().split(QLatin1Char('\n'));
  return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

// A pairwise study of the three models over n prompts (each prompt: all three pairs).
std::vector<StudyItemInput> pairwiseItems(int prompts) {
  std::vector<StudyItemInput> items;
  for (int p = 0; p < prompts; ++p)
    for (int i = 0; i < kModels.size(); ++i)
      for (int j = i + 1; j < kModels.size(); ++j)
        items.push_back({QStringLiteral("prompt %1").arg(p), QStringLiteral("answer %1 by %2").arg(p).arg(i),
                         kModels[i], QStringLiteral("answer %1 by %2").arg(p).arg(j), kModels[j]});
  return items;
}

}  // namespace

class TestEvalStudy : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void rubricWeights_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QList<double>>("weights");
    QTest::addColumn<QString>("error");
    QTest::addRow("seed sums to 1, kept") << "relevance=0.4,accuracy=0.3,readability=0.3" << QList<double>{0.4, 0.3, 0.3} << "";
    QTest::addRow("normalised") << "relevance=2,accuracy=1,readability=1" << QList<double>{0.5, 0.25, 0.25} << "";
    QTest::addRow("equal by default") << "fluency,安全" << QList<double>{0.5, 0.5} << "";
    QTest::addRow("zero weight allowed") << "a=1,b=0" << QList<double>{1.0, 0.0} << "";
    QTest::addRow("negative") << "a=1,b=-1" << QList<double>{} << "--criteria: b=-1 weight must be a finite number ≥ 0";
    QTest::addRow("sum zero") << "a=0,b=0" << QList<double>{} << "--criteria: weights=0 sum to 0; give at least one a weight > 0";
    QTest::addRow("repeated") << "a,a" << QList<double>{} << "--criteria: criteria=a is listed twice";
    QTest::addRow("reserved") << "total,a" << QList<double>{}
                              << "--criteria: criteria=total is reserved for a column of the exports; choose another name";
    QTest::addRow("bad name") << "a b" << QList<double>{}
                              << "--criteria: criteria=a b is not a valid criterion name (letters, digits, '_' or '-')";
    QTest::addRow("not a number") << "a=x" << QList<double>{} << "--criteria: a=x weight is not a number";
    QTest::addRow("empty") << "" << QList<double>{} << "--criteria: criteria lists no criterion";
  }
  void rubricWeights() {
    QFETCH(QString, spec);
    QFETCH(QList<double>, weights);
    QFETCH(QString, error);
    if (!error.isEmpty()) {
      QCOMPARE(errorOf([&] { Rubric::fromSpec(spec, QStringLiteral("--criteria")); }), error);
      return;
    }
    const Rubric r = Rubric::fromSpec(spec, QStringLiteral("--criteria"));
    QCOMPARE(int(r.criteria.size()), int(weights.size()));
    for (int i = 0; i < weights.size(); ++i) QCOMPARE(r.criteria[size_t(i)].weight, weights[i]);
    QCOMPARE(Rubric::fromJson(r.toJson(), QStringLiteral("x")).toJson(), r.toJson());  // JSON round trip
  }

  void rubricTotalsHandComputed_data() {
    QTest::addColumn<QString>("criteria");
    QTest::addColumn<QString>("scores");
    QTest::addColumn<double>("total");
    // Seed rubric 0.4/0.3/0.3: 0.4·2 + 0.3·3 + 0.3·1 = 2.0; 0.4·3 + 0 + 0.3·3 = 2.1; all 0 → 0; all 3 → 3.
    QTest::addRow("seed 2,3,1") << "" << "relevance=2,accuracy=3,readability=1" << 2.0;
    QTest::addRow("seed 3,0,3") << "" << "relevance=3,accuracy=0,readability=3" << 2.1;
    QTest::addRow("seed zeros") << "" << "relevance=0,accuracy=0,readability=0" << 0.0;
    QTest::addRow("seed max") << "" << "relevance=3,accuracy=3,readability=3" << 3.0;
    // 2:1:1 → 0.5/0.25/0.25: 0.5·3 + 0.25·1 + 0.25·0 = 1.75.
    QTest::addRow("2:1:1") << "relevance=2,accuracy=1,readability=1" << "relevance=3,accuracy=1,readability=0" << 1.75;
  }
  void rubricTotalsHandComputed() {
    QFETCH(QString, criteria);
    QFETCH(QString, scores);
    QFETCH(double, total);
    const Rubric r = criteria.isEmpty() ? Rubric::seed() : Rubric::fromSpec(criteria, QStringLiteral("c"));
    QVERIFY(std::abs(r.total(Rubric::parseScores(scores, QStringLiteral("s"))) - total) < 1e-12);
  }

  void rubricScoreErrors() {
    const Rubric r = Rubric::seed();
    QCOMPARE(errorOf([&] { r.check(Rubric::parseScores(QStringLiteral("relevance=4,accuracy=1,readability=1"), QStringLiteral("x")), QStringLiteral("f.csv:3")); }),
             QStringLiteral("f.csv:3: relevance=4 is out of range 0–3"));
    QCOMPARE(errorOf([&] { r.check(Rubric::parseScores(QStringLiteral("relevance=1,accuracy=1"), QStringLiteral("x")), QStringLiteral("f.csv:3")); }),
             QStringLiteral("f.csv:3: readability is missing (the rubric needs relevance,accuracy,readability)"));
    QCOMPARE(errorOf([&] { Rubric::parseScores(QStringLiteral("relevance=1.5"), QStringLiteral("--scores")); }),
             QStringLiteral("--scores: relevance=1.5 is not a whole-number score"));
    QCOMPARE(errorOf([&] { Rubric::parseScores(QStringLiteral("relevance"), QStringLiteral("--scores")); }),
             QStringLiteral("--scores: scores=relevance must be criterion=score"));
  }

  void createFromJsonl_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("items");
    QTest::addColumn<int>("prompts");
    QTest::addColumn<int>("skipped");
    // answers.jsonl: 4 prompts with 3 models, 1 with 2, 1 with 1.
    QTest::addRow("rubric") << int(StudyKind::Rubric) << 4 * 3 + 2 + 1 << 6 << 0;
    QTest::addRow("pairwise") << int(StudyKind::Pairwise) << 4 * 3 + 1 << 5 << 1;
  }
  void createFromJsonl() {
    QFETCH(int, kind);
    QFETCH(int, items);
    QFETCH(int, prompts);
    QFETCH(int, skipped);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const ItemSource source = itemsFromJsonl(answersFile(), StudyKind(kind));
    QCOMPARE(int(source.items.size()), items);
    QCOMPARE(source.prompts, prompts);
    QCOMPARE(source.skippedPrompts, skipped);
    const qint64 id = studies.create({.name = QStringLiteral("s"), .kind = StudyKind(kind), .seed = 3, .source = source.source},
                                     source.items);
    const StudyInfo info = studies.info(id);
    QCOMPARE(info.items, items);
    QCOMPARE(info.seed, uint64_t(3));
    QCOMPARE(info.source.value(QStringLiteral("file")).toString(), answersFile());
    QCOMPARE(info.modelCount, 3);
    QVERIFY(info.models.isEmpty());  // names only once revealed
    studies.reveal(id);
    QStringList sorted = kModels;
    sorted.sort();
    QCOMPARE(studies.info(id).models, sorted);
    // Positions 1..n; every input item stored once with its outputs and models intact.
    const std::vector<StudyItem> stored = studies.items(id);
    QCOMPARE(int(stored.size()), items);
    QStringList expected, got;
    for (const StudyItemInput& in : source.items)
      expected.append(QStringList{in.prompt, in.modelA, in.outputA, in.modelB, in.outputB}.join(QLatin1Char('|')));
    for (size_t k = 0; k < stored.size(); ++k) {
      QCOMPARE(stored[k].position, int(k + 1));
      got.append(QStringList{stored[k].prompt, stored[k].modelA, stored[k].outputA, stored[k].modelB, stored[k].outputB}
                     .join(QLatin1Char('|')));
    }
    expected.sort();
    got.sort();
    QCOMPARE(got, expected);
    // Seeded order: not simply the file's order (15 or 13 items: the chance of the identity is negligible).
    bool reordered = false;
    for (size_t k = 0; k < stored.size(); ++k) reordered |= stored[k].prompt != source.items[k].prompt ||
                                                           stored[k].modelA != source.items[k].modelA;
    QVERIFY(reordered);
  }

  void jsonlErrors_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");
    QTest::addRow("no prompt") << QByteArray("{\"outputs\": {\"m\": \"x\"}}\n") << "FILE:1: prompt must be non-empty text";
    QTest::addRow("outputs not object")
        << QByteArray("{\"prompt\": \"p\", \"outputs\": {\"m\": \"x\"}}\n{\"prompt\": \"p\", \"outputs\": [\"x\"]}\n")
        << "FILE:2: outputs must be an object {\"model name\": \"output text\", ...}";
    QTest::addRow("output not text") << QByteArray("{\"prompt\": \"p\", \"outputs\": {\"m\": 3}}\n")
                                     << "FILE:1: outputs.m=3 must be text";
    QTest::addRow("one model pairwise") << QByteArray("{\"prompt\": \"p\", \"outputs\": {\"m\": \"x\"}}\n")
                                        << "FILE: rows=1 give no pairwise item (each prompt needs outputs of 2 models)";
  }
  void jsonlErrors() {
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.jsonl"));
    writeFile(path, content);
    QCOMPARE(errorOf([&] { itemsFromJsonl(path, StudyKind::Pairwise); }), error.replace(QStringLiteral("FILE"), path));
  }

  void createFromEvaluations() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const QStringList inputs = {QStringLiteral("q0"), QStringLiteral("q1"), QStringLiteral("q2"), QStringLiteral("q3")};
    auto samples = [](const QString& tag) {
      QList<QPair<QString, QJsonObject>> s;
      for (int i = 0; i < 4; ++i) s.append({QStringLiteral("%1 says %2").arg(tag).arg(i), QJsonObject{{"bleu", i}}});
      return s;
    };
    const std::vector<qint64> ids = storeEvaluations(
        ws.store(), inputs, {{kModels[0], samples(QStringLiteral("first"))}, {kModels[1], samples(QStringLiteral("second"))}});
    // Rubric: one item per (evaluation, sample), each pointing back to its sample.
    const ItemSource rubric = itemsFromEvaluations(ws.store(), ids, StudyKind::Rubric);
    QCOMPARE(int(rubric.items.size()), 8);
    const qint64 r = studies.create({.name = QStringLiteral("r"), .seed = 1, .source = rubric.source}, rubric.items);
    for (const StudyItem& it : studies.items(r)) {
      QVERIFY(it.sampleIndex >= 0 && it.sampleIndex < 4);
      QCOMPARE(it.prompt, inputs[int(it.sampleIndex)]);
      const qint64 expectedEval = it.modelA == kModels[0] ? ids[0] : ids[1];
      QCOMPARE(it.evaluationA, expectedEval);
      QCOMPARE(it.outputA, QStringLiteral("%1 says %2").arg(it.modelA == kModels[0] ? "first" : "second").arg(it.sampleIndex));
    }
    // Pairwise: one item per sample, a and b from the two evaluations (a the label sorting first).
    const ItemSource pairwise = itemsFromEvaluations(ws.store(), ids, StudyKind::Pairwise);
    QCOMPARE(int(pairwise.items.size()), 4);
    for (const StudyItemInput& it : pairwise.items) {
      QCOMPARE(it.modelA, kModels[1]);  // "omega-3b" < "zeta-7b"
      QCOMPARE(it.evaluationA, ids[1]);
      QCOMPARE(it.evaluationB, ids[0]);
    }
    // The evaluations of an eval job.
    QSqlQuery q(ws.store().connection());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs (kind, config_json, created_at) VALUES ('eval', '{}', 'now')")));
    const qint64 job = q.lastInsertId().toLongLong();
    QVERIFY(q.exec(QStringLiteral("UPDATE evaluations SET job_id = %1 WHERE id IN (%2, %3)").arg(job).arg(ids[0]).arg(ids[1])));
    QCOMPARE(evaluationsOfJob(ws.store(), job), ids);
    QCOMPARE(errorOf([&] { evaluationsOfJob(ws.store(), job + 1); }),
             QStringLiteral("job %1: evaluations=0 the job stored no evaluation (is it an eval job that has run?)").arg(job + 1));
    // A seeded subset.
    const ItemSource two = itemsFromEvaluations(ws.store(), ids, StudyKind::Pairwise, {.maxSamples = 2, .seed = 5});
    QCOMPARE(int(two.items.size()), 2);
    QCOMPARE(itemsFromEvaluations(ws.store(), ids, StudyKind::Pairwise, {.maxSamples = 2, .seed = 5}).items[1].sampleIndex,
             two.items[1].sampleIndex);
    // Errors: one evaluation for pairwise, a missing one, a repeated label, inputs that differ.
    QCOMPARE(errorOf([&] { itemsFromEvaluations(ws.store(), {ids[0]}, StudyKind::Pairwise); }),
             QStringLiteral("evaluations: count=1 a pairwise study needs at least 2"));
    QCOMPARE(errorOf([&] { itemsFromEvaluations(ws.store(), {ids[0], 99}, StudyKind::Rubric); }),
             QStringLiteral("evaluation 99: id=99 does not exist"));
    const std::vector<qint64> same = storeEvaluations(ws.store(), inputs, {{kModels[0], samples(QStringLiteral("x"))}});
    QCOMPARE(errorOf([&] { itemsFromEvaluations(ws.store(), {ids[0], same[0]}, StudyKind::Rubric); }),
             QStringLiteral("evaluation %1: model_label=zeta-7b is the label of another chosen evaluation; each model once").arg(same[0]));
    const std::vector<qint64> other = storeEvaluations(
        ws.store(), {QStringLiteral("q0"), QStringLiteral("other")}, {{kModels[2], samples(QStringLiteral("y")).mid(0, 2)}});
    QCOMPARE(errorOf([&] { itemsFromEvaluations(ws.store(), {ids[0], other[0]}, StudyKind::Pairwise); }),
             QStringLiteral("evaluation %1: input=sample 1 differs from evaluation %2's input of the same sample (not "
                            "the same dataset?)").arg(ids[0]).arg(other[0]));
  }

  void ratingsPersistAndUpdate() {
    QTemporaryDir dir;
    qint64 id = 0, item = 0;
    {
      const Workspace ws = Workspace::init(dir.path());
      const StudyStore studies(ws.store());
      id = studies.create({.name = QStringLiteral("r"), .seed = 2}, itemsFromJsonl(answersFile(), StudyKind::Rubric).items);
      item = studies.raterItem(id, QStringLiteral("ann"), 0).itemId;
      studies.rate(item, QStringLiteral("ann"), {.scores = {{"relevance", 3}, {"accuracy", 2}, {"readability", 1}}, .comment = QStringLiteral("ok")});
      QCOMPARE(studies.progress(id, QStringLiteral("ann")).rated, 1);
      QCOMPARE(studies.progress(id, QStringLiteral("ann")).total, 15);
      ws.store().closeThisThread();
    }
    // A new connection (reopened store) sees it; a re-rating replaces it, never a second row.
    const Workspace ws = Workspace::open(dir.path());
    const StudyStore studies(ws.store());
    std::vector<StoredRating> r = studies.ratings(id);
    QCOMPARE(int(r.size()), 1);
    QCOMPARE(r[0].scores.value(QStringLiteral("relevance")), 3);
    QCOMPARE(r[0].comment, QStringLiteral("ok"));
    studies.rate(item, QStringLiteral("ann"), {.scores = {{"relevance", 0}, {"accuracy", 2}, {"readability", 1}}});
    r = studies.ratings(id);
    QCOMPARE(int(r.size()), 1);
    QCOMPARE(r[0].scores.value(QStringLiteral("relevance")), 0);
    QCOMPARE(r[0].comment, QString());
    QCOMPARE(studies.raterItem(id, QStringLiteral("ann"), 0).rating->scores.value(QStringLiteral("relevance")), 0);
    // Another thread, its own connection, sees the same rating.
    int seen = -1;
    QThread* t = QThread::create([&] { seen = int(StudyStore(ws.store()).ratings(id).size()); });
    t->start();
    t->wait();
    delete t;
    QCOMPARE(seen, 1);
    // Skipping stores nothing; nextUnrated moves past rated items; a bad rating saves nothing.
    QCOMPARE(studies.nextUnrated(id, QStringLiteral("ann")), 1);
    QCOMPARE(studies.nextUnrated(id, QStringLiteral("bob")), 0);
    QCOMPARE(errorOf([&] { studies.rate(item, QStringLiteral("bob"), {.scores = {{"relevance", 9}, {"accuracy", 2}, {"readability", 1}}}); }),
             QStringLiteral("item %1: relevance=9 is out of range 0–3").arg(item));
    QCOMPARE(errorOf([&] { studies.rate(item, QStringLiteral(" "), {.scores = {{"relevance", 1}, {"accuracy", 2}, {"readability", 1}}}); }),
             QStringLiteral("item %1: rater=  is empty").arg(item));
    QCOMPARE(int(studies.ratings(id).size()), 1);
    studies.unrate(item, QStringLiteral("ann"));
    QCOMPARE(int(studies.ratings(id).size()), 0);
  }

  void blindingBeforeReveal_data() {
    QTest::addColumn<int>("kind");
    QTest::addRow("rubric") << int(StudyKind::Rubric);
    QTest::addRow("pairwise") << int(StudyKind::Pairwise);
  }
  void blindingBeforeReveal() {
    QFETCH(int, kind);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const ItemSource source = itemsFromJsonl(answersFile(), StudyKind(kind));
    const qint64 id = studies.create({.name = QStringLiteral("blind"), .kind = StudyKind(kind), .seed = 11,
                                      .shufflePerRater = true, .source = source.source}, source.items);
    const StudyInfo info = studies.info(id);
    for (int i = 0; i < info.items; ++i) {
      if (StudyKind(kind) == StudyKind::Rubric)
        studies.rate(studies.raterItem(id, QStringLiteral("ann"), i).itemId, QStringLiteral("ann"),
                     {.scores = {{"relevance", i % 4}, {"accuracy", 1}, {"readability", 2}}, .comment = QStringLiteral("fine")});
      else
        studies.rate(studies.raterItem(id, QStringLiteral("ann"), i).itemId, QStringLiteral("ann"),
                     {.choice = i % 2 ? ScreenChoice::Left : ScreenChoice::Tie, .comment = QStringLiteral("fine")});
    }
    // The rater view: every string field of every item (rating included).
    for (int i = 0; i < info.items; ++i) {
      const RaterItem it = studies.raterItem(id, QStringLiteral("ann"), i);
      for (const QString& field : {it.prompt, it.output, it.left, it.right, it.rating->comment})
        expectNoModelName(field, QStringLiteral("rater item %1").arg(i));
    }
    // Study info, blinded exports (every cell of CSV, every string of JSON) and results.
    expectNoModelName(QString::fromUtf8(QJsonDocument(studies.info(id).toJson()).toJson()), QStringLiteral("info"));
    for (const StudyExport what : {StudyExport::Items, StudyExport::Ratings}) {
      const QString csv = dir.filePath(QStringLiteral("x.csv")), json = dir.filePath(QStringLiteral("x.json"));
      exportStudy(studies, id, what, csv);
      exportStudy(studies, id, what, json);
      RowReader reader(csv, {.onBadRow = BadRowPolicy::Fail});
      Row row;
      int rows = 0;
      for (const QString& c : reader.columns()) expectNoModelName(c, QStringLiteral("CSV header"));
      while (reader.next(row))
        for (auto cell = row.fields.begin(); cell != row.fields.end(); ++cell, ++rows)
          expectNoModelName(cell.value().toString(), QStringLiteral("CSV cell %1").arg(cell.key()));
      QVERIFY(rows > 0);
      QStringList strings;
      collectStrings(QJsonDocument::fromJson(readFile(json)).array(), strings);
      QVERIFY(!strings.isEmpty());
      for (const QString& s : strings) expectNoModelName(s, QStringLiteral("JSON export"));
    }
    expectNoModelName(QString::fromUtf8(QJsonDocument(studyResults(studies, id, {.bootstrapRounds = 20}).toJson()).toJson()),
                      QStringLiteral("results"));
    // After the recorded reveal, the names are there.
    studies.reveal(id);
    QVERIFY(studies.info(id).revealed);
    QVERIFY(!studies.info(id).revealedAt.isEmpty());
    const QString csv = dir.filePath(QStringLiteral("after.csv"));
    exportStudy(studies, id, StudyExport::Items, csv);
    for (const QString& m : kModels) QVERIFY(QString::fromUtf8(readFile(csv)).contains(m));
    const QJsonObject results = studyResults(studies, id, {.bootstrapRounds = 20}).toJson();
    QVERIFY(QString::fromUtf8(QJsonDocument(results).toJson()).contains(kModels[0]));
  }

  void sidesBalancedAndReproducible() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const std::vector<StudyItemInput> items = pairwiseItems(21);  // 21 items per model pair
    auto layout = [&](qint64 id) {
      QStringList l;
      for (const StudyItem& it : studies.items(id)) l.append(it.prompt + it.modelA + it.modelB + QString::number(it.swapped));
      return l;
    };
    const qint64 a = studies.create({.name = QStringLiteral("a"), .kind = StudyKind::Pairwise, .seed = 42}, items);
    const qint64 b = studies.create({.name = QStringLiteral("b"), .kind = StudyKind::Pairwise, .seed = 42}, items);
    const qint64 c = studies.create({.name = QStringLiteral("c"), .kind = StudyKind::Pairwise, .seed = 43}, items);
    QCOMPARE(layout(a), layout(b));
    QVERIFY(layout(a) != layout(c));
    for (const qint64 id : {a, c}) {
      std::map<QString, int> swapped, total;
      for (const StudyItem& it : studies.items(id)) {
        swapped[it.modelA + it.modelB] += it.swapped;
        total[it.modelA + it.modelB] += 1;
      }
      QCOMPARE(int(total.size()), 3);
      for (const auto& [pair, n] : total) {
        QCOMPARE(n, 21);
        QVERIFY2(swapped[pair] == 10 || swapped[pair] == 11, qPrintable(QString::number(swapped[pair])));
      }
      // What the rater sees on the left is model a's output exactly when not swapped.
      for (const StudyItem& it : studies.items(id)) QCOMPARE(it.left(), it.swapped ? it.outputB : it.outputA);
    }
    // Per-rater orders: permutations of the items, reproducible, different between raters.
    const qint64 s = studies.create({.name = QStringLiteral("s"), .kind = StudyKind::Pairwise, .seed = 42,
                                     .shufflePerRater = true}, items);
    const std::vector<qint64> ann = studies.raterOrder(s, QStringLiteral("ann")), bob = studies.raterOrder(s, QStringLiteral("bob"));
    QCOMPARE(studies.raterOrder(s, QStringLiteral("ann")), ann);
    QVERIFY(ann != bob);
    std::vector<qint64> x = ann, y = bob;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    QCOMPARE(x, y);
    QCOMPARE(int(x.size()), 63);
  }

  void choiceMappingWithSwappedItems() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const qint64 id = studies.create({.name = QStringLiteral("m"), .kind = StudyKind::Pairwise, .seed = 1}, pairwiseItems(4));
    int swappedSeen = 0, plainSeen = 0;
    for (const StudyItem& it : studies.items(id)) {
      (it.swapped ? swappedSeen : plainSeen) += 1;
      studies.rate(it.id, QStringLiteral("ann"), {.choice = ScreenChoice::Left});
      studies.rate(it.id, QStringLiteral("bob"), {.choice = ScreenChoice::Right});
      studies.rate(it.id, QStringLiteral("cy"), {.choice = ScreenChoice::BothBad});
    }
    QVERIFY(swappedSeen > 0 && plainSeen > 0);
    std::map<qint64, bool> swapped;
    for (const StudyItem& it : studies.items(id)) swapped[it.id] = it.swapped;
    for (const StoredRating& r : studies.ratings(id)) {
      const bool s = swapped[r.itemId];
      if (r.rater == QLatin1String("ann")) QCOMPARE(*r.choice, s ? Choice::B : Choice::A);   // left = b when swapped
      if (r.rater == QLatin1String("bob")) QCOMPARE(*r.choice, s ? Choice::A : Choice::B);
      if (r.rater == QLatin1String("cy")) QCOMPARE(*r.choice, Choice::BothBad);
    }
    // The rater sees the choice back on the side they picked.
    for (int i = 0; i < 12; ++i) QCOMPARE(*studies.raterItem(id, QStringLiteral("ann"), i).rating->choice, ScreenChoice::Left);
    // Mapping functions are inverse to each other.
    for (const ScreenChoice c : {ScreenChoice::Left, ScreenChoice::Right, ScreenChoice::Tie, ScreenChoice::BothBad})
      for (const bool s : {false, true}) QCOMPARE(toScreen(toModelOrder(c, s), s), c);
    // After reveal the export shows both: the screen side and the winner in model order.
    studies.reveal(id);
    for (const QJsonObject& row : exportTable(studies, id, StudyExport::Ratings).rows)
      if (row.value(QStringLiteral("rater")).toString() == QLatin1String("ann"))
        QCOMPARE(row.value(QStringLiteral("winner")).toString(),
                 swapped[qint64(row.value(QStringLiteral("item_id")).toDouble())] ? QStringLiteral("b") : QStringLiteral("a"));
  }

  void importValidation_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("csv");
    QTest::addColumn<QString>("error");
    const int rubric = int(StudyKind::Rubric), pairwise = int(StudyKind::Pairwise);
    QTest::addRow("out of range") << rubric
                                  << "position,rater,relevance,accuracy,readability\n1,ann,1,2,3\n2,ann,5,1,1\n"
                                  << "FILE:3: relevance=5 is out of range 0–3";
    QTest::addRow("not whole") << rubric << "position,rater,relevance,accuracy,readability\n1,ann,1.5,2,3\n"
                               << "FILE:2: relevance=1.5 is not a whole-number score";
    QTest::addRow("missing criterion") << rubric << "position,rater,relevance,accuracy\n1,ann,1,2\n"
                                       << "FILE:2: readability is missing (the rubric needs relevance,accuracy,readability)";
    QTest::addRow("unknown item") << rubric << "item_id,rater,relevance,accuracy,readability\n9999,ann,1,2,3\n"
                                  << "FILE:2: item_id=9999 is not an item of study 1";
    QTest::addRow("bad position") << rubric << "position,rater,relevance,accuracy,readability\n99,ann,1,2,3\n"
                                  << "FILE:2: position=99 is not a position of study 1 (1..15)";
    QTest::addRow("no item") << rubric << "rater,relevance,accuracy,readability\nann,1,2,3\n"
                             << "FILE:2: item_id is missing (give item_id or position)";
    QTest::addRow("no rater") << rubric << "position,rater,relevance,accuracy,readability\n1,,1,2,3\n"
                              << "FILE:2: rater is missing";
    QTest::addRow("twice") << rubric << "position,rater,relevance,accuracy,readability\n1,ann,1,2,3\n1,ann,0,0,0\n"
                           << "FILE:3: rater=ann rates item ITEM1 a second time (first at FILE:2)";
    QTest::addRow("bad choice") << pairwise << "position,rater,choice\n1,ann,left\n2,ann,a\n"
                                << "FILE:3: choice=a must be left, right, tie or both_bad";
    QTest::addRow("no choice") << pairwise << "position,rater,comment\n1,ann,hm\n"
                               << "FILE:2: choice is missing (left, right, tie or both_bad)";
    QTest::addRow("empty") << pairwise << "position,rater,choice\n" << "FILE: rows=0 has no ratings";
  }
  void importValidation() {
    QFETCH(int, kind);
    QFETCH(QString, csv);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const qint64 id = studies.create({.name = QStringLiteral("i"), .kind = StudyKind(kind), .seed = 4},
                                     itemsFromJsonl(answersFile(), StudyKind(kind)).items);
    QCOMPARE(id, qint64(1));
    studies.rate(studies.itemAt(id, 5), QStringLiteral("zed"),
                 StudyKind(kind) == StudyKind::Rubric ? RaterRating{.scores = {{"relevance", 1}, {"accuracy", 1}, {"readability", 1}}}
                                                      : RaterRating{.choice = ScreenChoice::Tie});
    const QString path = dir.filePath(QStringLiteral("in.csv"));
    writeFile(path, csv.toUtf8());
    error.replace(QStringLiteral("FILE"), path).replace(QStringLiteral("ITEM1"), QString::number(studies.itemAt(id, 1)));
    QCOMPARE(errorOf([&] { importRatings(studies, id, path); }), error);
    // Nothing half-imported: only the rating from before is there.
    QCOMPARE(int(studies.ratings(id).size()), 1);
  }

  void importIdempotentAndRoundTrip_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("extension");
    for (const char* ext : {"csv", "jsonl", "json"}) {
      QTest::addRow("rubric %s", ext) << int(StudyKind::Rubric) << QString::fromLatin1(ext);
      QTest::addRow("pairwise %s", ext) << int(StudyKind::Pairwise) << QString::fromLatin1(ext);
    }
  }
  void importIdempotentAndRoundTrip() {
    QFETCH(int, kind);
    QFETCH(QString, extension);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const qint64 id = studies.create({.name = QStringLiteral("x"), .kind = StudyKind(kind), .seed = 8},
                                     itemsFromJsonl(answersFile(), StudyKind(kind)).items);
    const int n = studies.info(id).items;
    for (const QString& rater : {QStringLiteral("ann"), QStringLiteral("bob")})
      for (int i = 0; i < n; i += 1 + (rater == QLatin1String("bob"))) {
        const qint64 item = studies.itemAt(id, i + 1);
        // Comments with commas, quotes and a line break go through CSV quoting.
        const QString comment = i % 3 ? QString() : QStringLiteral("hm, \"odd\"\nsecond line");
        if (StudyKind(kind) == StudyKind::Rubric)
          studies.rate(item, rater, {.scores = {{"relevance", i % 4}, {"accuracy", (i + 1) % 4}, {"readability", 3}}, .comment = comment});
        else
          studies.rate(item, rater, {.choice = ScreenChoice(i % 4), .comment = comment});
      }
    auto snapshot = [&] {
      QStringList s;
      for (const StoredRating& r : studies.ratings(id))
        s.append(QStringLiteral("%1|%2|%3|%4|%5")
                     .arg(r.itemId)
                     .arg(r.rater, QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(
                                                          [&] { QVariantMap m; for (auto it = r.scores.begin(); it != r.scores.end(); ++it) m[it.key()] = it.value(); return m; }()))
                                                          .toJson(QJsonDocument::Compact)),
                          r.choice ? choiceName(*r.choice) : QString(), r.comment));
      s.sort();
      return s;
    };
    const QStringList before = snapshot();
    QCOMPARE(before.size(), n + (n + 1) / 2);
    const QString path = dir.filePath(QStringLiteral("ratings.") + extension);
    exportStudy(studies, id, StudyExport::Ratings, path);
    // Importing what is already there changes nothing.
    SaveReport r = importRatings(studies, id, path);
    QCOMPARE(r.unchanged, before.size());
    QCOMPARE(r.inserted + r.updated, 0);
    QCOMPARE(snapshot(), before);
    // Taken back and imported again: the same ratings.
    for (const StoredRating& s : studies.ratings(id)) studies.unrate(s.itemId, s.rater);
    QCOMPARE(int(studies.ratings(id).size()), 0);
    r = importRatings(studies, id, path);
    QCOMPARE(r.inserted, before.size());
    QCOMPARE(snapshot(), before);
    r = importRatings(studies, id, path);
    QCOMPARE(r.unchanged, before.size());
  }

  void agreementAndRankingEqualDirectCalls() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    std::mt19937_64 rng(5);
    // Rubric: three raters, scores drawn at random, one rater skipping every third item.
    const qint64 rub = studies.create({.name = QStringLiteral("r"), .seed = 6}, itemsFromJsonl(answersFile(), StudyKind::Rubric).items);
    const Rubric rubric = studies.info(rub).rubric;
    std::vector<Rating> totals, relevance;
    for (const QString& rater : {QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cy")})
      for (const StudyItem& it : studies.items(rub)) {
        if (rater == QLatin1String("cy") && it.position % 3 == 0) continue;
        const RubricScores s = {{"relevance", int(rng() % 4)}, {"accuracy", int(rng() % 4)}, {"readability", int(rng() % 4)}};
        studies.rate(it.id, rater, {.scores = s});
        totals.push_back({QString::number(it.id), rater, QString::number(rubric.total(s), 'g', 17), {}});
        relevance.push_back({QString::number(it.id), rater, QString::number(s.value(QStringLiteral("relevance"))), {}});
      }
    const StudyResults rr = studyResults(studies, rub, {.bootstrapRounds = 50, .seed = 1});
    const AgreementResult direct = computeAgreement(totals, {.level = MeasurementLevel::Ordinal});
    const AgreementResult directRel = computeAgreement(relevance, {.level = MeasurementLevel::Ordinal});
    QCOMPARE(rr.agreement.size(), size_t(4));
    QCOMPARE(rr.agreement[0].target, QStringLiteral("total"));
    QCOMPARE(rr.agreement[0].result->krippendorffAlpha, direct.krippendorffAlpha);
    QVERIFY(!rr.agreement[0].result->fleissKappa);  // cy skipped items: Fleiss' κ needs equal counts
    QCOMPARE(rr.agreement[1].target, QStringLiteral("relevance"));
    QCOMPARE(rr.agreement[1].result->krippendorffAlpha, directRel.krippendorffAlpha);
    QCOMPARE(rr.agreement[1].result->pairableItems, directRel.pairableItems);
    // Two raters: Cohen's κ appears and equals the direct call.
    const qint64 two = studies.create({.name = QStringLiteral("two"), .seed = 6}, itemsFromJsonl(answersFile(), StudyKind::Rubric).items);
    std::vector<Rating> acc;
    for (const QString& rater : {QStringLiteral("ann"), QStringLiteral("bob")})
      for (const StudyItem& it : studies.items(two)) {
        const int a = int(rng() % 4);
        studies.rate(it.id, rater, {.scores = {{"relevance", 1}, {"accuracy", a}, {"readability", 2}}});
        acc.push_back({QString::number(it.id), rater, QString::number(a), {}});
      }
    const StudyResults r2 = studyResults(studies, two, {.bootstrapRounds = 0, .weights = KappaWeights::Quadratic});
    const AgreementResult directAcc = computeAgreement(acc, {.level = MeasurementLevel::Ordinal, .weights = KappaWeights::Quadratic});
    QCOMPARE(r2.agreement[2].target, QStringLiteral("accuracy"));
    QCOMPARE(*r2.agreement[2].result->cohenKappa, *directAcc.cohenKappa);
    QCOMPARE(*r2.agreement[2].result->fleissKappa, *directAcc.fleissKappa);

    // Pairwise: battles in the order the ratings were entered, both_bad as a tie.
    const qint64 pw = studies.create({.name = QStringLiteral("p"), .kind = StudyKind::Pairwise, .seed = 9}, pairwiseItems(10));
    studies.reveal(pw);
    std::vector<Battle> battles;
    std::vector<Rating> choices;
    std::map<QString, std::array<int, 4>> tally;  // wins, losses, ties, both bad
    for (const QString& rater : {QStringLiteral("ann"), QStringLiteral("bob")})
      for (const StudyItem& it : studies.items(pw)) {
        // zeta-7b is better: it wins 60% of its battles.
        const bool zeta = it.modelA == kModels[0] || it.modelB == kModels[0];
        const uint64_t roll = rng() % 10;
        const Choice c = zeta ? (roll < 6 ? (it.modelA == kModels[0] ? Choice::A : Choice::B) : roll < 8 ? Choice::Tie
                                                                                           : roll < 9 ? Choice::BothBad
                                                                                                      : (it.modelA == kModels[0] ? Choice::B : Choice::A))
                              : Choice(roll % 4);
        studies.rate(it.id, rater, {.choice = toScreen(c, it.swapped)});
        battles.push_back({it.modelA, it.modelB, c == Choice::A ? Winner::A : c == Choice::B ? Winner::B : Winner::Tie});
        choices.push_back({QString::number(it.id), rater, choiceName(c), {}});
        if (c == Choice::A || c == Choice::B) {
          tally[c == Choice::A ? it.modelA : it.modelB][0] += 1;
          tally[c == Choice::A ? it.modelB : it.modelA][1] += 1;
        } else {
          tally[it.modelA][c == Choice::Tie ? 2 : 3] += 1;
          tally[it.modelB][c == Choice::Tie ? 2 : 3] += 1;
        }
      }
    const StudyResults pr = studyResults(studies, pw, {.bootstrapRounds = 100, .seed = 3});
    const std::map<QString, ModelRank> ranks = rankModels(battles, {.bootstrapRounds = 100, .seed = 3});
    QCOMPARE(pr.ranks.size(), ranks.size());
    for (const auto& [m, r] : ranks) {
      const ModelRank& got = pr.ranks.at(m);
      QCOMPARE(got.elo, r.elo);
      QCOMPARE(got.bt, r.bt);
      QCOMPARE(got.eloLow, r.eloLow);
      QCOMPARE(got.eloHigh, r.eloHigh);
      QCOMPARE(got.btLow, r.btLow);
      QCOMPARE(got.btHigh, r.btHigh);
      QCOMPARE(got.battles, r.battles);
    }
    QVERIFY(pr.ranks.at(kModels[0]).bt > pr.ranks.at(kModels[1]).bt);
    QCOMPARE(pr.tallies.size(), size_t(3));
    for (const PairTally& t : pr.tallies) {
      QCOMPARE(t.wins, tally[t.model][0]);
      QCOMPARE(t.losses, tally[t.model][1]);
      QCOMPARE(t.ties, tally[t.model][2]);
      QCOMPARE(t.bothBad, tally[t.model][3]);
    }
    int h2hTotal = 0;
    for (const PairTally& h : pr.headToHead) h2hTotal += h.wins + h.losses + h.ties + h.bothBad;
    QCOMPARE(h2hTotal, int(battles.size()));
    const AgreementResult directChoice = computeAgreement(choices);
    QCOMPARE(pr.agreement[0].target, QStringLiteral("choice"));
    QCOMPARE(*pr.agreement[0].result->cohenKappa, *directChoice.cohenKappa);
    QCOMPARE(pr.agreement[0].result->krippendorffAlpha, directChoice.krippendorffAlpha);
  }

  void rubricMeansHandComputed() {
    // Two models, two prompts; ann and bob rate all four items, so each item's score is the mean of two totals.
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    const std::vector<StudyItemInput> in = {{"p1", "o1", kModels[0]}, {"p2", "o2", kModels[0]},
                                            {"p1", "o3", kModels[1]}, {"p2", "o4", kModels[1]}};
    const qint64 id = studies.create({.name = QStringLiteral("h"), .seed = 1}, in);
    studies.reveal(id);
    // Scores (relevance, accuracy, readability) per output and rater; totals under 0.4/0.3/0.3:
    //   o1 ann (3,3,3) 3.0, bob (2,2,2) 2.0 → 2.5;   o2 ann (1,0,2) 1.0, bob (1,2,0) 1.0 → 1.0;   zeta mean 1.75
    //   o3 ann (0,0,0) 0.0, bob (1,1,1) 1.0 → 0.5;   o4 ann (2,3,3) 2.6, bob (3,3,3) 3.0 → 2.8;   omega mean 1.65
    const QMap<QString, QList<QList<int>>> scores = {{"o1", {{3, 3, 3}, {2, 2, 2}}}, {"o2", {{1, 0, 2}, {1, 2, 0}}},
                                                     {"o3", {{0, 0, 0}, {1, 1, 1}}}, {"o4", {{2, 3, 3}, {3, 3, 3}}}};
    for (const StudyItem& it : studies.items(id))
      for (int r = 0; r < 2; ++r) {
        const QList<int>& s = scores[it.outputA][r];
        studies.rate(it.id, r ? QStringLiteral("bob") : QStringLiteral("ann"),
                     {.scores = {{"relevance", s[0]}, {"accuracy", s[1]}, {"readability", s[2]}}});
      }
    const StudyResults res = studyResults(studies, id, {.bootstrapRounds = 200, .seed = 2});
    QCOMPARE(res.rubric.size(), size_t(2));
    QCOMPARE(res.rubric[0].model, kModels[0]);  // best first
    QCOMPARE(res.rubric[0].items, 2);
    QCOMPARE(res.rubric[0].ratings, 4);
    QVERIFY(std::abs(res.rubric[0].total.mean - 1.75) < 1e-12);
    QVERIFY(std::abs(res.rubric[1].total.mean - 1.65) < 1e-12);
    // SE = sd(item scores)/√n: zeta {2.5, 1.0}: sd = 1.5/√2 → SE 0.75; omega {0.5, 2.8}: SE 1.15.
    QVERIFY(std::abs(res.rubric[0].total.se - 0.75) < 1e-12);
    QVERIFY(std::abs(res.rubric[1].total.se - 1.15) < 1e-12);
    // Relevance: zeta items (3+2)/2 = 2.5 and (1+1)/2 = 1 → 1.75.
    QVERIFY(std::abs(res.rubric[0].criteria.at(QStringLiteral("relevance")).mean - 1.75) < 1e-12);
    // A two-item bootstrap can only give means of {2.5, 2.5}, {2.5, 1.0}, {1.0, 1.0}: the interval spans them.
    QVERIFY(res.rubric[0].total.low >= 1.0 - 1e-12 && res.rubric[0].total.high <= 2.5 + 1e-12);
    QVERIFY(res.rubric[0].total.low < 1.75 && res.rubric[0].total.high > 1.75);
  }

  void correlationWithScoresJson() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const StudyStore studies(ws.store());
    // Six samples for two models; bleu rises with the sample index, "noise" does not, "label" is text and "line"
    // the source line (both ignored).
    const QStringList inputs = {"q0", "q1", "q2", "q3", "q4", "q5"};
    const QList<double> noise = {3, 1, 4, 1, 5, 9};
    auto samples = [&](double offset) {
      QList<QPair<QString, QJsonObject>> s;
      for (int i = 0; i < 6; ++i)
        s.append({QStringLiteral("out %1 %2").arg(offset).arg(i),
                  QJsonObject{{"bleu", 10 * i + offset}, {"noise", noise[i] + offset}, {"label", "x"}, {"line", i + 1}}});
      return s;
    };
    const std::vector<qint64> ids = storeEvaluations(ws.store(), inputs, {{kModels[0], samples(0)}, {kModels[1], samples(1)}});
    const qint64 id = studies.create({.name = QStringLiteral("c"), .seed = 3},
                                     itemsFromEvaluations(ws.store(), ids, StudyKind::Rubric).items);
    // Human relevance rises with the sample index too (accuracy/readability fixed), one rater.
    std::vector<double> human, bleu, noisy;
    for (const StudyItem& it : studies.items(id)) {
      const int rel = int(it.sampleIndex) / 2;  // 0,0,1,1,2,2: ties
      studies.rate(it.id, QStringLiteral("ann"), {.scores = {{"relevance", rel}, {"accuracy", 1}, {"readability", 1}}});
      const double offset = it.modelA == kModels[0] ? 0 : 1;
      human.push_back(0.4 * rel + 0.6);
      bleu.push_back(10 * double(it.sampleIndex) + offset);
      noisy.push_back(noise[int(it.sampleIndex)] + offset);
    }
    const StudyResults r = studyResults(studies, id, {.bootstrapRounds = 0});
    QCOMPARE(r.correlation.size(), size_t(2));  // bleu, noise; "label" is not a number, "line" is bookkeeping
    QCOMPARE(r.correlation[0].metric, QStringLiteral("bleu"));
    QCOMPARE(r.correlation[0].n, 12);
    QVERIFY(std::abs(*r.correlation[0].spearman - spearman(human, bleu)) < 1e-12);
    QVERIFY(std::abs(*r.correlation[0].kendall - kendallTauB(human, bleu)) < 1e-12);
    QVERIFY(*r.correlation[0].spearman > 0.9);
    QCOMPARE(r.correlation[1].metric, QStringLiteral("noise"));
    QVERIFY(std::abs(*r.correlation[1].spearman - spearman(human, noisy)) < 1e-12);
    QVERIFY(std::abs(*r.correlation[1].kendall - kendallTauB(human, noisy)) < 1e-12);

    const StudyResults only = studyResults(studies, id, {.bootstrapRounds = 0, .metrics = {QStringLiteral("noise")}});
    QCOMPARE(only.correlation.size(), size_t(1));
    QCOMPARE(only.correlation[0].spearman, r.correlation[1].spearman);

    // Pairwise: preference for a vs bleu(a) − bleu(b) (a is omega-3b, whose bleu is always 1 higher: a
    // constant series has no rank correlation, so none is reported).
    const qint64 pw = studies.create({.name = QStringLiteral("p"), .kind = StudyKind::Pairwise, .seed = 3},
                                     itemsFromEvaluations(ws.store(), ids, StudyKind::Pairwise).items);
    for (const StudyItem& it : studies.items(pw))
      studies.rate(it.id, QStringLiteral("ann"), {.choice = it.sampleIndex % 2 ? ScreenChoice::Left : ScreenChoice::Tie});
    const StudyResults p = studyResults(studies, pw, {.bootstrapRounds = 0});
    QCOMPARE(p.correlation[0].metric, QStringLiteral("bleu"));
    QCOMPARE(p.correlation[0].n, 6);
    QVERIFY(!p.correlation[0].spearman);
  }

  void cliEndToEnd() {
    QTemporaryDir dir;
    const QString ws = dir.path();
    QCOMPARE(runCli({"workspace", "init", ws}).code, 0);
    CliResult r = runCli({"--json", "study", "create", "--workspace", ws, "--name", "ab", "--kind", "pairwise",
                          "--from", answersFile(), "--seed", "12"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonObject o = lastJsonLine(r.out);
    QCOMPARE(o.value("items").toInt(), 13);
    QCOMPARE(o.value("seed").toString(), QStringLiteral("12"));
    expectNoModelName(r.out, QStringLiteral("study create output"));
    const QString id = QString::number(o.value("id").toInt());
    // Non-interactive rating with the screen side; the store keeps model order.
    r = runCli({"--json", "study", "rate", id, "--workspace", ws, "--rater", "ann", "--item", "1", "--choice", "left"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(lastJsonLine(r.out).value("rated").toInt(), 1);
    {
      const StudyStore studies(Workspace::open(ws).store());
      const StudyItem first = studies.items(id.toLongLong()).front();
      QCOMPARE(*studies.ratings(id.toLongLong()).front().choice, first.swapped ? Choice::B : Choice::A);
    }
    // Interactive: two ratings, a typo (offered again), a skip, then quit.
    r = runCliWithInput({"--json", "study", "rate", id, "--workspace", ws, "--rater", "bob"},
                        QStringLiteral("r\nt good enough\nx\nb\ns\nq\n"));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("choice=x must be left, right, tie or both_bad")));
    o = lastJsonLine(r.out);
    QCOMPARE(o.value("rated_now").toInt(), 3);
    QCOMPARE(o.value("skipped").toInt(), 1);
    QCOMPARE(o.value("rated").toInt(), 3);
    expectNoModelName(r.out, QStringLiteral("interactive rating"));
    r = runCli({"--json", "study", "show", id, "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(lastJsonLine(r.out).value("progress").toArray().size(), 2);
    expectNoModelName(r.out, QStringLiteral("show"));
    r = runCli({"--json", "study", "results", id, "--workspace", ws, "--bootstrap", "20"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    expectNoModelName(r.out, QStringLiteral("results before reveal"));
    // Export ratings, import them into the same study: nothing changes.
    const QString ratings = dir.filePath(QStringLiteral("ratings.csv"));
    r = runCli({"--json", "study", "export", id, ratings, "--what", "ratings", "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(lastJsonLine(r.out).value("rows").toInt(), 4);
    r = runCli({"--json", "study", "import", id, ratings, "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(lastJsonLine(r.out).value("unchanged").toInt(), 4);
    r = runCli({"--json", "study", "reveal", id, "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(lastJsonLine(r.out).value("revealed").toBool());
    r = runCli({"--json", "study", "results", id, "--workspace", ws, "--bootstrap", "20"});
    QVERIFY(lastJsonLine(r.out).value("ranking").toObject().contains(QStringLiteral("zeta-7b")));
    r = runCli({"--json", "study", "list", "--workspace", ws});
    QCOMPARE(lastJsonLine(r.out).value("studies").toArray().size(), 1);
    // Wrong use: exit 2 with the reason; a rubric study rated with a choice: exit 1 naming the field.
    r = runCli({"study", "rate", id, "--workspace", ws, "--rater", "ann", "--item", "99", "--choice", "left"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("position=99 is not an item of the study (1..13)")), qPrintable(r.err));
    r = runCli({"study", "create", "--workspace", ws, "--name", "x", "--kind", "rubric", "--from", answersFile(),
                "--criteria", "relevance=-1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("--criteria: relevance=-1 weight must be a finite number ≥ 0")), qPrintable(r.err));
    r = runCli({"study", "frobnicate"});
    QCOMPARE(r.code, 2);
  }
};

QTEST_GUILESS_MAIN(TestEvalStudy)
#include "tst_eval_study.moc"
