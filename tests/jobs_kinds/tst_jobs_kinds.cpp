// The tool job kinds (quantize, data): their JSON (parse, round trip, refusals), that a job writes what the CLI
// command writes from the same settings (same tensors, same files, same lineage rows), cancel, progress through the
// runner, and `distillery-cli train JOB.json` running them.
#include "Fixtures.h"

#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "cli/Cli.h"
#include "common/Error.h"
#include "jobs/DataJob.h"
#include "jobs/JobRunner.h"
#include "jobs/RunJob.h"
#include "store/DatasetStore.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace distillery;

namespace {

struct CliResult {
  int code;
  QString out, err;
};

CliResult runCli(QStringList args) {
  args.prepend(QStringLiteral("distillery-cli"));
  QString out, err, in;
  QTextStream o(&out), e(&err), i(&in);
  const int code = cli::run(args, o, e, i);
  o.flush();
  e.flush();
  return {code, out, err};
}

QJsonObject parse(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

QString rowsFile() { return testDataDir() + QStringLiteral("/jobs/kinds/rows.jsonl"); }

// The dataset rows of a store, the lineage fields that do not depend on where the files are.
QJsonArray lineageOf(const Store& store) {
  QJsonArray out;
  for (const DatasetRow& r : DatasetStore(store).list())
    out.append(QJsonObject{{"name", r.name},
                           {"schema", r.schema},
                           {"rows", r.rows},
                           {"sha256", r.sha256},
                           {"parent", r.parentId != 0},
                           {"settings", r.settings}});
  return out;
}

}  // namespace

class TestJobKinds : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString path(const QString& name) const { return tmp_.filePath(name); }

  // A stats object without its timing (seconds differ run to run).
  static QJsonObject withoutSeconds(QJsonObject o) {
    o.remove(QStringLiteral("seconds"));
    return o;
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(tmp_.isValid()); }

  // ---- JSON ----
  void refusals_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    const auto row = [](const char* name, const char* json, const char* field, const char* message) {
      QTest::newRow(name) << QByteArray(json) << QString::fromUtf8(field) << QString::fromUtf8(message);
    };
    row("quantize without model", R"({"kind":"quantize","quantize":{"scheme":"int8"},"output":"o"})", "model",
        "is missing");
    row("quantize without section", R"({"kind":"quantize","model":"m","output":"o"})", "quantize", "is missing");
    row("quantize without scheme", R"({"kind":"quantize","model":"m","quantize":{},"output":"o"})",
        "quantize.scheme", "is missing");
    row("quantize bad scheme", R"({"kind":"quantize","model":"m","quantize":{"scheme":"int3"},"output":"o"})",
        "quantize.scheme", "must be one of: int8, int4-g32, int4-g64, int4-g128, f16, bf16");
    row("quantize unknown key",
        R"({"kind":"quantize","model":"m","quantize":{"scheme":"int8","group":32},"output":"o"})", "quantize.group",
        "is not a known key");
    row("quantize bad activations",
        R"({"kind":"quantize","model":"m","quantize":{"scheme":"int8","activations":"int4"},"output":"o"})",
        "quantize.activations", "must be one of: none, int8");
    row("plain export with activations",
        R"({"kind":"quantize","model":"m","quantize":{"scheme":"bf16","activations":"int8"},"output":"o"})",
        "quantize.activations", "not to a plain bf16 export");
    row("quantize with train", R"({"kind":"quantize","model":"m","quantize":{"scheme":"int8"},"train":{},"output":"o"})",
        "train", "is not used by kind quantize");
    row("quantize with student",
        R"({"kind":"quantize","student":"m","model":"m","quantize":{"scheme":"int8"},"output":"o"})", "student",
        "is not used by kind quantize");
    row("quantize without output", R"({"kind":"quantize","model":"m","quantize":{"scheme":"int8"}})", "output",
        "is missing");
    row("model in a lora job",
        R"({"kind":"lora","student":"s","model":"m","data":{"train":"t"},"output":"o"})", "model",
        "is only for kind quantize");
    row("data_op in an eval job",
        R"({"kind":"eval","models":[{"label":"a","path":"p"}],"data":{"test":"t"},"data_op":{},"output":"o"})",
        "data_op", "is only for kind data");
    row("data without op", R"({"kind":"data","data_op":{"input":"i"},"output":"o"})", "data_op.op", "is missing");
    row("data bad op", R"({"kind":"data","data_op":{"op":"shuffle","input":"i"},"output":"o"})", "data_op.op",
        "must be one of: clean, dedup, split, generate");
    row("data without input", R"({"kind":"data","data_op":{"op":"clean"},"output":"o"})", "data_op.input",
        "is missing");
    row("data key of another op",
        R"({"kind":"data","data_op":{"op":"dedup","input":"i","ratios":[1,0,0]},"output":"o"})", "data_op.ratios",
        "is not used by op dedup (it is for op split)");
    row("data unknown key", R"({"kind":"data","data_op":{"op":"clean","input":"i","min_char":3},"output":"o"})",
        "data_op.min_char", "is not a known key");
    row("data ratios not summing to 1",
        R"({"kind":"data","data_op":{"op":"split","input":"i","ratios":[0.5,0.2,0.2]},"output":"o"})",
        "data_op.ratios", "must sum to 1 (they sum to 0.9)");
    row("data threshold 1", R"({"kind":"data","data_op":{"op":"dedup","input":"i","threshold":1},"output":"o"})",
        "data_op.threshold", "must be between 0 and 1 (both excluded)");
    row("data token filter without tokenizer",
        R"({"kind":"data","data_op":{"op":"clean","input":"i","max_tokens":100},"output":"o"})",
        "data_op.tokenizer", "is needed by min_tokens / max_tokens");
    row("data bad script", R"({"kind":"data","data_op":{"op":"clean","input":"i","scripts":["klingon"]},"output":"o"})",
        "data_op.scripts", "is not a script this filter knows (cjk, latin");
    row("data generate without teacher",
        R"({"kind":"data","data_op":{"op":"generate","input":"i"},"output":"o"})", "teacher", "is missing");
    row("data teacher for clean",
        R"({"kind":"data","teacher":"t","data_op":{"op":"clean","input":"i"},"output":"o"})", "teacher",
        "is only for data_op.op generate");
    row("data generate top_p 0",
        R"({"kind":"data","teacher":"t","data_op":{"op":"generate","input":"i","top_p":0},"output":"o"})",
        "data_op.top_p", "must be in (0, 1]");
    row("data with data section",
        R"({"kind":"data","data":{"train":"t"},"data_op":{"op":"clean","input":"i"},"output":"o"})", "data",
        "is not used by kind data");
    row("data bad format", R"({"kind":"data","data_op":{"op":"clean","input":"i","format":"xml"},"output":"o"})",
        "data_op.format", "must be one of: auto, jsonl");
    row("sweep over a quantize job",
        R"({"kind":"sweep","sweep":{"params":[{"key":"train.lr","values":[1]}],"base":{"kind":"quantize","model":"m","quantize":{"scheme":"int8"},"output":"o"}}})",
        "sweep.base.kind", "must be distill, lora or full_ft");
  }
  void refusals() {
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    QVERIFY2(!o.isEmpty(), json.constData());
    try {
      JobSpec::fromJson(o, QStringLiteral("job.json"));
      QFAIL("accepted");
    } catch (const FormatError& e) {
      QCOMPARE(e.field(), field);
      QVERIFY2(e.detail().contains(message), qPrintable(e.detail()));
      QCOMPARE(e.path(), QStringLiteral("job.json"));
    }
  }

  void roundTrip_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("quantize defaults") << QByteArray(R"({"kind":"quantize","model":"/m","quantize":{"scheme":"int8"},"output":"/o"})");
    QTest::newRow("quantize all") << QByteArray(
        R"({"kind":"quantize","name":"q","model":"/m","quantize":{"scheme":"int4-g64","activations":"int8","adapter":"/a"},"device":"cuda:1","output":"/o"})");
    QTest::newRow("plain export") << QByteArray(R"({"kind":"quantize","model":"/m","quantize":{"scheme":"f16"},"output":"/o"})");
    QTest::newRow("clean defaults") << QByteArray(R"({"kind":"data","data_op":{"op":"clean","input":"/i"},"output":"/o"})");
    QTest::newRow("clean all") << QByteArray(
        R"({"kind":"data","data_op":{"op":"clean","input":"/i","output":"/x.jsonl","format":"csv","on_bad_row":"fail","field":"body",
            "threshold":0.8,"num_perm":64,"shingle":4,"minhash_seed":9,"casefold":true,"exact_dedup":false,"near_dedup":true,
            "min_chars":3,"max_chars":900,"min_tokens":2,"max_tokens":300,"tokenizer":"/t","keep_empty":true,"unicode":"nfkc",
            "keep_control":true,"scripts":["han","latin"],"min_script_share":0.7,"max_lines":5},"output":"/o"})");
    QTest::newRow("dedup") << QByteArray(R"({"kind":"data","data_op":{"op":"dedup","input":"/i","threshold":0.7,"minhash_seed":3},"output":"/o"})");
    QTest::newRow("split") << QByteArray(
        R"({"kind":"data","data_op":{"op":"split","input":"/i","ratios":[0.6,0.2,0.2],"seed":5,"stratify":"label"},"output":"/o"})");
    QTest::newRow("generate") << QByteArray(
        R"({"kind":"data","teacher":"/t","data_op":{"op":"generate","input":"/i","map":{"prompt":"q"},"schema":"prompt_completion",
            "batch":2,"limit":4,"max_prompt_tokens":100,"max_new_tokens":8,"greedy":true,"top_k":5,"seed":3,"dtype":"bf16"},"device":"cpu","output":"/o"})");
  }
  void roundTrip() {
    QFETCH(QByteArray, json);
    const QJsonObject in = QJsonDocument::fromJson(json).object();
    QVERIFY2(!in.isEmpty(), json.constData());
    const JobSpec s = JobSpec::fromJson(in, QStringLiteral("job.json"));
    const JobSpec back = JobSpec::fromJson(s.toJson(), QStringLiteral("again"));
    QVERIFY(back == s);
    QCOMPARE(back.toJson(), s.toJson());
    // Every key given comes back with its value (defaults may be added, nothing is lost).
    const QJsonObject out = s.toJson();
    for (const QString& section : {QStringLiteral("quantize"), QStringLiteral("data_op")}) {
      const QJsonObject given = in.value(section).toObject();
      for (auto it = given.begin(); it != given.end(); ++it)
        QVERIFY2(out.value(section).toObject().value(it.key()) == it.value(), qPrintable(section + "." + it.key()));
    }
    QVERIFY(!out.contains(QStringLiteral("train")));
    QVERIFY(!out.contains(QStringLiteral("data")));
  }

  void parsedValues() {
    const JobSpec q = JobSpec::fromJson(
        parse(R"({"kind":"quantize","model":"/models/tiny","quantize":{"scheme":"int4-g32","adapter":"/a"},"output":"/o"})"),
        "j");
    QCOMPARE(q.kind, JobKind::Quantize);
    QCOMPARE(jobKindName(q.kind), QStringLiteral("quantize"));
    QCOMPARE(q.model, QStringLiteral("/models/tiny"));
    QCOMPARE(q.quantize.scheme, QStringLiteral("int4-g32"));
    QCOMPARE(q.quantize.activations, QStringLiteral("none"));
    QCOMPARE(q.quantize.adapter, QStringLiteral("/a"));
    QCOMPARE(q.name, QStringLiteral("quantize tiny int4-g32"));

    const JobSpec d = JobSpec::fromJson(
        parse(R"({"kind":"data","data_op":{"op":"split","input":"/d/rows.jsonl","ratios":[0.5,0.25,0.25],"seed":4},"output":"/o"})"),
        "j");
    QCOMPARE(d.kind, JobKind::Data);
    QCOMPARE(d.dataOp.op, QStringLiteral("split"));
    QCOMPARE(d.dataOp.seed, uint64_t(4));
    QCOMPARE(d.dataOp.generate.seed, uint64_t(0));
    QCOMPARE(d.dataOp.ratios[1], 0.25);
    QCOMPARE(d.name, QStringLiteral("data split rows.jsonl"));
    QCOMPARE(dataJobOutput(d), QStringLiteral("/o"));

    const JobSpec g = JobSpec::fromJson(
        parse(R"({"kind":"data","teacher":"/t","data_op":{"op":"generate","input":"/i","greedy":true,"seed":7},"output":"/o"})"),
        "j");
    QCOMPARE(g.dataOp.generate.seed, uint64_t(7));
    QCOMPARE(g.dataOp.generate.repetitionPenalty, 1.0);  // the CLI's default with --greedy
    QCOMPARE(g.teacher, QStringLiteral("/t"));
    QCOMPARE(dataJobOutput(g), QStringLiteral("/o/generate.jsonl"));
  }

  void fromFileResolvesPaths() {
    const QString dir = path(QStringLiteral("jobfile"));
    QVERIFY(QDir().mkpath(dir));
    const QString q = dir + QStringLiteral("/q.json"), d = dir + QStringLiteral("/d.json");
    QFile f(q);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"kind":"quantize","model":"models/m","quantize":{"scheme":"int8","adapter":"../a"},"output":"out"})");
    f.close();
    QFile g(d);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(R"({"kind":"data","teacher":"t","data_op":{"op":"generate","input":"in.jsonl","output":"x/y.jsonl"},"output":"o"})");
    g.close();
    const JobSpec qs = JobSpec::fromFile(q), ds = JobSpec::fromFile(d);
    QCOMPARE(qs.model, dir + QStringLiteral("/models/m"));
    QCOMPARE(qs.quantize.adapter, QDir::cleanPath(dir + QStringLiteral("/../a")));
    QCOMPARE(qs.output, dir + QStringLiteral("/out"));
    QCOMPARE(ds.teacher, dir + QStringLiteral("/t"));
    QCOMPARE(ds.dataOp.input, dir + QStringLiteral("/in.jsonl"));
    QCOMPARE(ds.dataOp.output, dir + QStringLiteral("/x/y.jsonl"));
    QCOMPARE(ds.output, dir + QStringLiteral("/o"));
  }

  // The README's examples (tests/data/jobs) parse, their paths resolved against their folder.
  void exampleJobFiles() {
    const QString dir = testDataDir() + QStringLiteral("/jobs");
    const JobSpec q = JobSpec::fromFile(dir + QStringLiteral("/quantize_job.json"));
    QCOMPARE(q.kind, JobKind::Quantize);
    QCOMPARE(q.model, fixture(QStringLiteral("tiny-llama")));
    QCOMPARE(q.data.test, dir + QStringLiteral("/text.jsonl"));
    const JobSpec c = JobSpec::fromFile(dir + QStringLiteral("/clean_job.json"));
    QCOMPARE(c.kind, JobKind::Data);
    QCOMPARE(c.dataOp.input, rowsFile());
    QCOMPARE(c.dataOp.threshold, 0.8);
    QVERIFY(c.dataOp.nearDedup);
  }

  // ---- quantize ----
  void quantizeJobWritesWhatTheCliWrites() {
    const QString model = fixture(QStringLiteral("tiny-llama"));
    const QString cliOut = path(QStringLiteral("q-cli")), jobOut = path(QStringLiteral("q-job"));
    const CliResult c = runCli({"quantize", model, cliOut, "--scheme", "int8", "--json"});
    QVERIFY2(c.code == 0, qPrintable(c.err));

    JobSpec s = JobSpec::fromJson(QJsonObject{{"kind", "quantize"},
                                              {"model", model},
                                              {"quantize", QJsonObject{{"scheme", "int8"}}},
                                              {"output", jobOut}},
                                  "job");
    JobContext ctx;
    const TrainResult r = runJob(s, ctx);
    QVERIFY2(r.status == TrainStatus::Finished, qPrintable(r.error));
    QCOMPARE(r.steps, int64_t(14));  // 2 layers × (q, k, v, o, gate, up, down)

    const QByteArray a = fileBytes(cliOut + "/model.safetensors"), b = fileBytes(jobOut + "/model.safetensors");
    QVERIFY(!a.isEmpty());
    QVERIFY(a == b);  // same tensors, same bytes
    QCOMPARE(readJsonObject(jobOut + "/config.json"), readJsonObject(cliOut + "/config.json"));
    QCOMPARE(readJsonObject(jobOut + "/config.json").value("quantization_config").toObject().value("scheme").toString(),
             QStringLiteral("int8"));
    const QStringList names = CheckpointReader(jobOut).names();
    QVERIFY(names.contains(QStringLiteral("model.layers.1.mlp.down_proj.qweight")));
    QVERIFY(!names.contains(QStringLiteral("model.layers.1.mlp.down_proj.weight")));

    const QJsonObject state = readJsonObject(jobOut + "/state.json");
    QCOMPARE(state.value("status").toString(), QStringLiteral("finished"));
    QCOMPARE(state.value("kind").toString(), QStringLiteral("quantize"));
    QCOMPARE(state.value("steps").toInteger(), 14);
    QCOMPARE(state.value("total_steps").toInteger(), 14);
    const QJsonObject cliSummary = QJsonDocument::fromJson(c.out.toUtf8()).object();
    const QJsonObject jobSummary = state.value("summary").toObject();
    for (const char* k : {"tensors_quantized", "max_abs_error", "mean_abs_error", "bytes_on_disk_after", "scheme"})
      QCOMPARE(jobSummary.value(k), cliSummary.value(k));
  }

  void quantizeJobCancelledWritesNoModel() {
    const QString out = path(QStringLiteral("q-cancel"));
    JobSpec s = JobSpec::fromJson(QJsonObject{{"kind", "quantize"},
                                              {"model", fixture(QStringLiteral("tiny-llama"))},
                                              {"quantize", QJsonObject{{"scheme", "int8"}}},
                                              {"output", out}},
                                  "job");
    TrainControl control;
    int64_t seen = 0;
    control.progress = [&](int64_t done, int64_t total) {
      seen = done;
      return !(done == 3 && total == 14);  // cancel after the third tensor
    };
    JobContext ctx;
    ctx.control = &control;
    const TrainResult r = runJob(s, ctx);
    QCOMPARE(r.status, TrainStatus::Cancelled);
    QCOMPARE(seen, int64_t(3));
    QVERIFY(!QFile::exists(out + "/model.safetensors"));
    QVERIFY(!QFile::exists(out + "/config.json"));
    QCOMPARE(readJsonObject(out + "/state.json").value("status").toString(), QStringLiteral("cancelled"));
  }

  void quantizeJobFailureNamesTheTensor() {
    // int4-g32 needs input sizes divisible by 32; tiny-llama's down_proj has 176 inputs.
    const QString out = path(QStringLiteral("q-fail"));
    JobSpec s = JobSpec::fromJson(QJsonObject{{"kind", "quantize"},
                                              {"model", fixture(QStringLiteral("tiny-llama"))},
                                              {"quantize", QJsonObject{{"scheme", "int4-g32"}}},
                                              {"output", out}},
                                  "job");
    JobContext ctx;
    const TrainResult r = runJob(s, ctx);
    QCOMPARE(r.status, TrainStatus::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("down_proj")), qPrintable(r.error));
    QVERIFY(!QFile::exists(out + "/model.safetensors"));
    QCOMPARE(readJsonObject(out + "/state.json").value("error").toString(), r.error);
  }

  // ---- data ----
  void dataJobWritesWhatTheCliWrites_data() {
    QTest::addColumn<QStringList>("cliArgs");  // after IN OUT
    QTest::addColumn<QByteArray>("dataOp");    // without op / input / output
    QTest::addColumn<QString>("op");
    QTest::newRow("clean") << QStringList{"--min-chars", "10"} << QByteArray(R"({"min_chars":10})") << "clean";
    QTest::newRow("clean near casefold")
        << QStringList{"--near-dedup", "--casefold", "--threshold", "0.7", "--unicode", "nfkc", "--max-chars", "150"}
        << QByteArray(R"({"near_dedup":true,"casefold":true,"threshold":0.7,"unicode":"nfkc","max_chars":150})")
        << "clean";
    QTest::newRow("dedup") << QStringList{"--threshold", "0.8", "--seed", "3"}
                           << QByteArray(R"({"threshold":0.8,"minhash_seed":3})") << "dedup";
    QTest::newRow("split") << QStringList{"--ratios", "0.6,0.2,0.2", "--seed", "5", "--stratify", "label"}
                           << QByteArray(R"({"ratios":[0.6,0.2,0.2],"seed":5,"stratify":"label"})") << "split";
  }
  void dataJobWritesWhatTheCliWrites() {
    QFETCH(QStringList, cliArgs);
    QFETCH(QByteArray, dataOp);
    QFETCH(QString, op);
    const QString tag = QString::fromUtf8(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
    const Workspace cliWs = Workspace::openOrInit(path("ws-cli-" + tag));
    const Workspace jobWs = Workspace::openOrInit(path("ws-job-" + tag));
    const QString cliOut = path("cli-" + tag + (op == "split" ? "" : ".jsonl"));
    const QString jobDir = path("job-" + tag);

    const CliResult c = runCli(QStringList{"data", op, rowsFile(), cliOut, "--json", "--workspace", cliWs.root()} + cliArgs);
    QVERIFY2(c.code == 0, qPrintable(c.err));

    QJsonObject section = QJsonDocument::fromJson(dataOp).object();
    section.insert("op", op);
    section.insert("input", rowsFile());
    const JobSpec s =
        JobSpec::fromJson(QJsonObject{{"kind", "data"}, {"data_op", section}, {"output", jobDir}}, "job");
    JobRunner runner(jobWs.store());
    const qint64 id = runner.enqueue(s);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 60000);
    const JobSnapshot snap = runner.snapshot(id);
    QVERIFY2(snap.status == JobStatus::Succeeded, qPrintable(snap.error));
    QCOMPARE(snap.progress(), 1.0);

    const QStringList files = op == "split" ? QStringList{"train.jsonl", "validation.jsonl", "test.jsonl"}
                                            : QStringList{QString()};
    for (const QString& file : files) {
      const QString a = file.isEmpty() ? cliOut : cliOut + "/" + file;
      const QString b = file.isEmpty() ? dataJobOutput(s) : jobDir + "/" + file;
      QVERIFY2(QFile::exists(b), qPrintable(b));
      QVERIFY2(fileBytes(a) == fileBytes(b), qPrintable(a + " vs " + b));
      QVERIFY(!fileBytes(a).isEmpty());
    }
    // The same lineage rows: the input once, each output derived from it with the same settings.
    const QJsonArray cliRows = lineageOf(cliWs.store()), jobRows = lineageOf(jobWs.store());
    QCOMPARE(jobRows.size(), 1 + files.size());
    QCOMPARE(cliRows.size(), jobRows.size());
    int sources = 0;
    for (qsizetype i = 0; i < cliRows.size(); ++i) {
      QJsonObject a = cliRows[i].toObject(), b = jobRows[i].toObject();
      if (!b.value("parent").toBool()) {
        ++sources;
        QCOMPARE(b.value("name").toString(), QStringLiteral("rows.jsonl"));
      } else {
        QCOMPARE(b.value("settings").toObject().value("operation").toString(), op);
      }
      if (op != "split") {  // split's files have the same names either way
        a.remove("name");
        b.remove("name");
      }
      QCOMPARE(b, a);
    }
    QCOMPARE(sources, 1);
    const QJsonObject state = readJsonObject(jobDir + "/state.json");
    QCOMPARE(state.value("status").toString(), QStringLiteral("finished"));
    QCOMPARE(state.value("kind").toString(), QStringLiteral("data"));
    QCOMPARE(state.value("op").toString(), op);
    QCOMPARE(state.value("dataset_ids").toArray().size(), files.size());
    QCOMPARE(withoutSeconds(state.value("report").toObject()),
             withoutSeconds(QJsonDocument::fromJson(c.out.toUtf8()).object()));
  }

  // The clean report against expected.json (tests/data/jobs/kinds/make_rows.py counts it independently).
  void cleanJobMatchesReference() {
    const QJsonObject expected = readJsonObject(testDataDir() + "/jobs/kinds/expected.json");
    const QString out = path(QStringLiteral("clean-ref"));
    const JobSpec s = JobSpec::fromJson(
        QJsonObject{{"kind", "data"},
                    {"data_op", QJsonObject{{"op", "clean"}, {"input", rowsFile()}, {"min_chars", 10}}},
                    {"output", out}},
        "job");
    JobContext ctx;
    const TrainResult r = runJob(s, ctx);
    QVERIFY2(r.status == TrainStatus::Finished, qPrintable(r.error));
    const QJsonObject report = readJsonObject(out + "/state.json").value("report").toObject();
    QCOMPARE(report.value("rows").toInteger(), expected.value("rows").toInteger());
    QCOMPARE(report.value("kept").toInteger(), expected.value("kept").toInteger());
    const QJsonObject removed = expected.value("removed").toObject();
    for (auto it = removed.begin(); it != removed.end(); ++it)
      QCOMPARE(report.value("removed").toObject().value(it.key()).toInteger(), it.value().toInteger());
    QList<QByteArray> lines = fileBytes(out + "/clean.jsonl").split('\n');
    lines.removeAll(QByteArray());
    QCOMPARE(lines.size(), expected.value("kept").toInt());
    QVERIFY(!fileBytes(out + "/clean.jsonl").contains('\a'));  // the control character was stripped
    QCOMPARE(readJsonObject(out + "/state.json").value("rows").toInteger(), expected.value("kept").toInteger());
    QCOMPARE(readJsonObject(out + "/state.json").value("bad_rows").toInteger(), 1);
  }

  void dataJobCancelledWritesNothing_data() {
    QTest::addColumn<QString>("op");
    QTest::newRow("clean") << "clean";
    QTest::newRow("dedup") << "dedup";
    QTest::newRow("split") << "split";
  }
  void dataJobCancelledWritesNothing() {
    QFETCH(QString, op);
    const QString out = path("cancel-" + op);
    const JobSpec s = JobSpec::fromJson(
        QJsonObject{{"kind", "data"}, {"data_op", QJsonObject{{"op", op}, {"input", rowsFile()}}}, {"output", out}},
        "job");
    TrainControl control;
    int calls = 0;
    control.progress = [&](int64_t, int64_t) { return ++calls < 1; };  // cancel at the first report
    JobContext ctx;
    ctx.control = &control;
    const TrainResult r = runJob(s, ctx);
    QCOMPARE(r.status, TrainStatus::Cancelled);
    QCOMPARE(calls, 1);
    const QStringList left = QDir(out).entryList(QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden);
    QCOMPARE(left, QStringList{QStringLiteral("state.json")});  // no output, no temporary left behind
    QCOMPARE(readJsonObject(out + "/state.json").value("status").toString(), QStringLiteral("cancelled"));
  }

  void dataJobBadInputFails() {
    const QString out = path(QStringLiteral("bad-input"));
    const JobSpec s = JobSpec::fromJson(
        QJsonObject{{"kind", "data"},
                    {"data_op", QJsonObject{{"op", "clean"}, {"input", rowsFile()}, {"on_bad_row", "fail"}}},
                    {"output", out}},
        "job");
    JobContext ctx;
    const TrainResult r = runJob(s, ctx);
    QCOMPARE(r.status, TrainStatus::Failed);
    QVERIFY2(r.error.contains(rowsFile()), qPrintable(r.error));
    QVERIFY(!QFile::exists(out + "/clean.jsonl"));
  }

  void generateJobWritesWhatTheCliWrites() {
    const QString teacher = fixture(QStringLiteral("tiny-llama"));
    const QString prompts = testDataDir() + QStringLiteral("/dataset/generate/prompts.jsonl");
    const QString cliOut = path(QStringLiteral("gen-cli.jsonl")), jobDir = path(QStringLiteral("gen-job"));
    const CliResult c = runCli({"data", "generate", prompts, cliOut, "--teacher", teacher, "--limit", "2",
                                "--max-new-tokens", "4", "--batch", "1", "--seed", "11", "--json"});
    QVERIFY2(c.code == 0, qPrintable(c.err));
    const JobSpec s = JobSpec::fromJson(QJsonObject{{"kind", "data"},
                                                    {"teacher", teacher},
                                                    {"data_op", QJsonObject{{"op", "generate"},
                                                                            {"input", prompts},
                                                                            {"limit", 2},
                                                                            {"max_new_tokens", 4},
                                                                            {"batch", 1},
                                                                            {"seed", 11}}},
                                                    {"output", jobDir}},
                                        "job");
    std::vector<std::pair<int64_t, int64_t>> reports;
    TrainControl control;
    control.progress = [&](int64_t done, int64_t total) {
      reports.emplace_back(done, total);
      return true;
    };
    JobContext ctx;
    ctx.control = &control;
    const TrainResult r = runJob(s, ctx);
    QVERIFY2(r.status == TrainStatus::Finished, qPrintable(r.error));
    const QByteArray a = fileBytes(cliOut), b = fileBytes(jobDir + "/generate.jsonl");
    QCOMPARE(a.count('\n'), 2);
    QVERIFY(a == b);
    // Prompts answered of all: before the first batch, then after each (batch 1).
    const std::vector<std::pair<int64_t, int64_t>> expected{{0, 2}, {1, 2}, {2, 2}};
    QVERIFY(reports == expected);
    QVERIFY(QFile::exists(jobDir + "/generate.jsonl.provenance.json"));
  }

  // ---- the CLI's job commands ----
  void trainCommandRunsToolJobs() {
    const QString dir = path(QStringLiteral("cli-train"));
    QVERIFY(QDir().mkpath(dir));
    QFile f(dir + "/job.json");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(QJsonObject{{"kind", "data"},
                                      {"data_op", QJsonObject{{"op", "dedup"}, {"input", rowsFile()}}},
                                      {"output", "out"}})
                .toJson());
    f.close();
    const Workspace ws = Workspace::openOrInit(dir + "/ws");
    const CliResult r = runCli({"train", dir + "/job.json", "--workspace", ws.root(), "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const QJsonObject summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(summary.value("status").toString(), QStringLiteral("succeeded"));
    QVERIFY(QFile::exists(dir + "/out/dedup.jsonl"));
    const std::vector<DatasetRow> rows = DatasetStore(ws.store()).list();
    QCOMPARE(rows.size(), size_t(2));
    const auto derived = std::find_if(rows.begin(), rows.end(), [](const DatasetRow& d) { return d.parentId != 0; });
    QVERIFY(derived != rows.end());
    QCOMPARE(derived->settings.value("operation").toString(), QStringLiteral("dedup"));
    QCOMPARE(derived->path, dir + QStringLiteral("/out/dedup.jsonl"));
  }
};

QTEST_GUILESS_MAIN(TestJobKinds)
#include "tst_jobs_kinds.moc"
