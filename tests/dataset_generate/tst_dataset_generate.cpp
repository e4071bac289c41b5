// Teacher-generated datasets (core/data/TeacherData.h), the datasets table (core/store/DatasetStore.h) and
// `distillery-cli data generate|list`, on the tiny Llama fixture.
#include "chat/ChatTemplate.h"
#include "common/Error.h"
#include "common/FileHash.h"
#include "data/Example.h"
#include "data/TeacherData.h"
#include "store/DatasetStore.h"
#include "store/Workspace.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace distillery;

namespace {

QString prompts() { return testDataDir() + QStringLiteral("/dataset/generate/prompts.jsonl"); }

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QJsonObject> readLines(const QString& path) {
  QList<QJsonObject> rows;
  for (const QByteArray& line : readAll(path).split('\n'))
    if (!line.isEmpty()) rows.append(QJsonDocument::fromJson(line).object());
  return rows;
}

}  // namespace

class TestDatasetGenerate : public QObject {
  Q_OBJECT

  LoadedModel teacher_;
  Tokenizer tokenizer_;
  QString teacherDir_;

  TeacherDataOptions sampled(int64_t batch) const {
    TeacherDataOptions o;
    o.batchSize = batch;
    o.generation.maxNewTokens = 6;
    o.generation.seed = 11;
    return o;
  }

 private Q_SLOTS:
  void initTestCase() {
    teacherDir_ = fixture(QStringLiteral("tiny-llama"));
    if (!QFileInfo::exists(teacherDir_ + QStringLiteral("/model.safetensors")))
      QSKIP("fixtures not found; set DISTILLERY_FIXTURES");
    teacher_ = loadModel(teacherDir_, torch::kFloat32, torch::kCPU);
    tokenizer_ = Tokenizer::fromDirectory(teacherDir_);
  }

  // Every usable row gets the teacher's own greedy answer to its rendered prompt; raw text and broken lines are
  // counted, not answered.
  void greedyAnswersAreTheTeachersOwn() {
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("answers.jsonl"));
    TeacherDataOptions o;
    o.batchSize = 1;  // one prompt per call: no padding, so the reference below is exact
    o.generation.greedy = true;
    o.generation.repetitionPenalty = 1.0;
    o.generation.maxNewTokens = 5;
    const TeacherDataResult r = generateTeacherData(teacher_, tokenizer_, prompts(), out, o);
    QVERIFY(r.complete);
    QCOMPARE(r.prompts, 6);
    QCOMPARE(r.generated, 6);
    QCOMPARE(r.resumed, 0);
    QCOMPARE(r.skipped, 1);   // the raw text row
    QCOMPARE(r.badRows, 1);   // "not json at all"
    QVERIFY(!QFileInfo::exists(out + QStringLiteral(".partial")));

    const QList<QJsonObject> rows = readLines(out);
    QCOMPARE(rows.size(), 6);
    const QList<int> lines = {1, 2, 4, 6, 7, 8};
    const ChatTemplate chat = modelChatTemplate(tokenizer_, teacherDir_);
    GenerateOptions g = o.generation;
    useModelTokenIds(g, teacher_.config, teacher_.generation);
    for (int i = 0; i < rows.size(); ++i) {
      QCOMPARE(rows[i].value("source_line").toInt(), lines[i]);
      QJsonArray messages = rows[i].value("messages").toArray();
      const QJsonObject reply = messages.last().toObject();
      QCOMPARE(reply.value("role").toString(), QStringLiteral("assistant"));
      messages.removeLast();
      const std::vector<int32_t> ids = tokenizer_.encode(chat.render(messages, true), false);
      const GenerateResult ref = generate(teacher_.model, {std::vector<int64_t>(ids.begin(), ids.end())}, g);
      std::vector<int32_t> expected(ref.newTokens[0].begin(), ref.newTokens[0].end());
      if (ref.finished[0]) expected.pop_back();
      QCOMPARE(reply.value("content").toString(), tokenizer_.decode(expected, true));
      QCOMPARE(rows[i].value("finished").toBool(), bool(ref.finished[0]));
    }
    // The prompts are the rows' conversations without their last reply: alpaca → one user turn.
    QCOMPARE(rows[0].value("messages").toArray().first().toObject().value("content").toString(),
             QStringLiteral("Name a colour."));
    QCOMPARE(rows[1].value("messages").toArray().size(), 3);  // system, user, new assistant

    const QJsonObject provenance =
        QJsonDocument::fromJson(readAll(out + QStringLiteral(".provenance.json"))).object();
    QCOMPARE(provenance.value("teacher").toString(), QFileInfo(teacherDir_).absoluteFilePath());
    QCOMPARE(provenance.value("source_sha256").toString(), fileSha256(prompts()));
    QCOMPARE(provenance.value("generation").toObject().value("max_new_tokens").toInt(), 5);
    QCOMPARE(provenance.value("result").toObject().value("generated").toInt(), 6);
  }

  // Stopped after the first batch, then run again: the output is byte for byte what one uninterrupted run
  // writes, also when the stop left a torn line behind.
  void resumedRunEqualsUninterruptedRun_data() {
    QTest::addColumn<bool>("tornLine");
    QTest::newRow("clean stop") << false;
    QTest::newRow("torn last line") << true;
  }
  void resumedRunEqualsUninterruptedRun() {
    QFETCH(bool, tornLine);
    QTemporaryDir tmp;
    const QString whole = tmp.filePath(QStringLiteral("whole.jsonl"));
    QVERIFY(generateTeacherData(teacher_, tokenizer_, prompts(), whole, sampled(4)).complete);

    const QString out = tmp.filePath(QStringLiteral("resumed.jsonl"));
    TeacherDataOptions first = sampled(4);
    first.progress = [](int64_t done, int64_t) { return done == 0; };  // stop after the first batch
    const TeacherDataResult stopped = generateTeacherData(teacher_, tokenizer_, prompts(), out, first);
    QVERIFY(!stopped.complete);
    QCOMPARE(stopped.generated, 4);
    QVERIFY(!QFileInfo::exists(out));
    if (tornLine) {
      QFile partial(out + QStringLiteral(".partial"));
      QVERIFY(partial.open(QIODevice::Append));
      partial.write("{\"messages\": [{\"role\": \"us");
    }
    const TeacherDataResult resumed = generateTeacherData(teacher_, tokenizer_, prompts(), out, sampled(4));
    QVERIFY(resumed.complete);
    QCOMPARE(resumed.resumed, 4);
    QCOMPARE(resumed.generated, 2);
    QCOMPARE(readAll(out), readAll(whole));
    QVERIFY(!readAll(out).isEmpty());
  }

  // A partial file from other settings is not continued: the error names the setting.
  void partialFromOtherSettingsIsRefused() {
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("answers.jsonl"));
    TeacherDataOptions first = sampled(2);
    first.progress = [](int64_t done, int64_t) { return done == 0; };
    QVERIFY(!generateTeacherData(teacher_, tokenizer_, prompts(), out, first).complete);
    const QByteArray before = readAll(out + QStringLiteral(".partial"));
    TeacherDataOptions other = sampled(2);
    other.generation.temperature = 0.9;
    QCOMPARE(errorOf([&] { generateTeacherData(teacher_, tokenizer_, prompts(), out, other); }),
             out + QStringLiteral(".partial.json: generation.temperature=0.7 was used for the answers so far, this run "
                                  "has 0.9; run with the same settings to resume, or delete ") +
                 out + QStringLiteral(".partial to start again"));
    QCOMPARE(readAll(out + QStringLiteral(".partial")), before);
  }

  void failPolicyNamesTheBadLine() {
    QTemporaryDir tmp;
    TeacherDataOptions o = sampled(2);
    o.read.onBadRow = BadRowPolicy::Fail;
    const QByteArray source = readAll(prompts());
    const QString error = errorOf([&] {
      generateTeacherData(teacher_, tokenizer_, prompts(), tmp.filePath(QStringLiteral("x.jsonl")), o);
    });
    QVERIFY2(error.startsWith(prompts() + QStringLiteral(":5")), qPrintable(error));
    QCOMPARE(readAll(prompts()), source);
  }

  void datasetStoreKeepsLineage() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    const DatasetStore datasets(ws.store());
    DatasetRow source;
    source.name = QStringLiteral("raw");
    source.path = QStringLiteral("/data/raw.jsonl");
    source.sha256 = QStringLiteral("ab");
    const qint64 a = datasets.addOrFind(source);
    QCOMPARE(datasets.addOrFind(source), a);  // same path and hash: the same dataset
    source.sha256 = QStringLiteral("cd");
    QVERIFY(datasets.addOrFind(source) != a);  // the file changed: a new row
    DatasetRow clean;
    clean.name = QStringLiteral("clean");
    clean.path = QStringLiteral("/data/clean.jsonl");
    clean.schema = QStringLiteral("messages");
    clean.rows = 10;
    clean.parentId = a;
    clean.settings = {{"operation", "dedup"}, {"threshold", 0.9}};
    const qint64 b = datasets.add(clean);
    DatasetRow split = clean;
    split.parentId = b;
    split.settings = {{"operation", "split"}};
    const qint64 c = datasets.add(split);
    const std::vector<DatasetRow> chain = datasets.lineage(c);
    QCOMPARE(int(chain.size()), 3);
    QCOMPARE(chain[0].id, c);
    QCOMPARE(chain[1].id, b);
    QCOMPARE(chain[1].settings.value("threshold").toDouble(), 0.9);
    QCOMPARE(chain[1].rows, 10);
    QCOMPARE(chain[2].id, a);
    QCOMPARE(chain[2].rows, -1);
    datasets.setStats(b, {{"tokens_mean", 12.5}});
    QCOMPARE(datasets.get(b).stats.value("tokens_mean").toDouble(), 12.5);
    QCOMPARE(int(datasets.list().size()), 4);
    clean.parentId = 99;
    QCOMPARE(errorOf([&] { datasets.add(clean); }), ws.store().path() + QStringLiteral(": dataset=99 does not exist"));
  }

  // The command line: generate into a workspace registers the prompts and the answers, linked; `data list`
  // shows the lineage.
  void cliGenerateRegistersLineage() {
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(QStringLiteral("ws"));
    Workspace::init(ws);
    const QString out = tmp.filePath(QStringLiteral("answers.jsonl"));
    const CliResult r = runCli({"--json", "data", "generate", prompts(), out, "--teacher", teacherDir_, "--greedy",
                                "--max-new-tokens", "3", "--batch", "3", "--limit", "4", "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject result = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(result.value("prompts").toInt(), 4);  // the first four prompts (the raw text row has none)
    QCOMPARE(result.value("skipped").toInt(), 1);
    QCOMPARE(result.value("generated").toInt(), 4);
    QVERIFY(result.value("complete").toBool());
    const qint64 id = result.value("dataset_id").toInteger();
    QVERIFY(id > 0);

    const CliResult list = runCli({"--json", "data", "list", "--lineage", QString::number(id), "--workspace", ws});
    QCOMPARE(list.code, 0);
    const QJsonArray chain = QJsonDocument::fromJson(list.out.toUtf8()).object().value("datasets").toArray();
    QCOMPARE(chain.size(), 2);
    QCOMPARE(chain[0].toObject().value("path").toString(), QFileInfo(out).absoluteFilePath());
    QCOMPARE(chain[0].toObject().value("schema").toString(), QStringLiteral("messages"));
    QCOMPARE(chain[0].toObject().value("rows").toInt(), 4);
    QCOMPARE(chain[0].toObject().value("settings").toObject().value("operation").toString(), QStringLiteral("generate"));
    QCOMPARE(chain[1].toObject().value("path").toString(), QFileInfo(prompts()).absoluteFilePath());
    QCOMPARE(chain[1].toObject().value("sha256").toString(), fileSha256(prompts()));
  }

  void cliRefusesBadUse_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("no subcommand") << QStringList{"data"} << QStringLiteral("expected one of inspect, stats,");
    QTest::newRow("unknown") << QStringList{"data", "frobnicate"} << QStringLiteral("SUBCOMMAND=frobnicate is not one of inspect, stats,");
    QTest::newRow("no teacher") << QStringList{"data", "generate", "a.jsonl", "b.jsonl"} << QStringLiteral("--teacher is required");
    QTest::newRow("same file") << QStringList{"data", "generate", "a.jsonl", "a.jsonl", "--teacher", "t"}
                               << QStringLiteral("OUT=a.jsonl must differ from IN");
    QTest::newRow("bad batch") << QStringList{"data", "generate", "a.jsonl", "b.jsonl", "--teacher", "t", "--batch", "0"}
                               << QStringLiteral("--batch=0 must be a whole number >= 1");
  }
  void cliRefusesBadUse() {
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const CliResult r = runCli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(error), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestDatasetGenerate)
#include "tst_dataset_generate.moc"
