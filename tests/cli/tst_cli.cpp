// distillery-cli's dispatcher and workspace commands, driven through cli::run exactly as main() calls it.
#include "cli/Cli.h"
#include "demo/DemoPipeline.h"
#include "store/Workspace.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace distillery;

namespace {

struct Result {
  int code;
  QString out, err;
};

Result runCli(QStringList args, const QString& input = {}) {
  args.prepend(QStringLiteral("distillery-cli"));
  QString out, err, in = input;
  QTextStream o(&out), e(&err), i(&in);
  const int code = cli::run(args, o, e, i);
  o.flush();
  e.flush();
  return {code, out, err};
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void argumentErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const auto L = [](std::initializer_list<const char*> list) {
      QStringList r;
      for (const char* s : list) r << QString::fromUtf8(s);
      return r;
    };
    QTest::addRow("no command") << QStringList() << 2 << QString();
    QTest::addRow("unknown command") << L({"frobnicate"}) << 2 << QStringLiteral("command=frobnicate is not a command");
    QTest::addRow("threads not a number") << L({"--threads", "many", "version"}) << 2 << QStringLiteral("--threads=many must be a whole number");
    QTest::addRow("threads zero") << L({"--threads=0", "version"}) << 2 << QStringLiteral("--threads=0 must be");
    QTest::addRow("threads missing value") << L({"version", "--threads"}) << 2 << QStringLiteral("--threads needs a value");
    QTest::addRow("workspace without sub-command") << L({"workspace"}) << 2 << QStringLiteral("workspace=(none) is not a sub-command");
    QTest::addRow("workspace bad sub-command") << L({"workspace", "delete", "x"}) << 2 << QStringLiteral("workspace=delete is not a sub-command");
    QTest::addRow("init without path") << L({"workspace", "init"}) << 2 << QStringLiteral("expected one PATH");
    QTest::addRow("init two paths") << L({"workspace", "init", "a", "b"}) << 2 << QStringLiteral("expected one PATH");
    QTest::addRow("init unknown option") << L({"workspace", "init", "--colour", "x"}) << 2 << QStringLiteral("Unknown option 'colour'");
    QTest::addRow("info missing workspace") << L({"workspace", "info", "/nonexistent/ws"}) << 1 << QStringLiteral("/nonexistent/ws: no workspace here");
    QTest::addRow("version with argument") << L({"version", "extra"}) << 2 << QStringLiteral("takes no arguments");
    QTest::addRow("demo with argument") << L({"demo", "extra"}) << 2 << QStringLiteral("unexpected arguments");
  }
  void argumentErrors() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Result r = runCli(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    if (!message.isEmpty()) QVERIFY2(r.err.startsWith(QStringLiteral("distillery-cli: ")), qPrintable(r.err));
  }

  void helpAndVersion() {
    Result r = runCli({QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    for (const char* c : {"workspace", "demo", "version", "--json", "--threads"})
      QVERIFY2(r.out.contains(QLatin1String(c)), c);
    r = runCli({QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("distillery-cli 0.")));
    r = runCli({QStringLiteral("workspace"), QStringLiteral("init"), QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("usage: distillery-cli workspace init PATH")));
    r = runCli({QStringLiteral("--json"), QStringLiteral("version")});
    QCOMPARE(r.code, 0);
    const QJsonObject v = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY(!v.value(QStringLiteral("libtorch")).toString().isEmpty());
    QVERIFY(v.value(QStringLiteral("compute_threads")).toInt() >= 1);
    r = runCli({QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json"), QStringLiteral("version")});
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8())[QStringLiteral("compute_threads")].toInt(), 1);
  }

  void workspaceInitAndInfo() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("nested/ws"));
    Result r = runCli({QStringLiteral("workspace"), QStringLiteral("init"), path, QStringLiteral("--name"),
                       QStringLiteral("Qwen distill"), QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("name")].toString(), QStringLiteral("Qwen distill"));
    QCOMPARE(o[QStringLiteral("created")].toBool(), true);
    QVERIFY(o[QStringLiteral("schema_version")].toInt() >= 3);

    r = runCli({QStringLiteral("--json"), QStringLiteral("workspace"), QStringLiteral("info"), path});
    QCOMPARE(r.code, 0);
    o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("path")].toString(), QDir(path).absolutePath());
    QCOMPARE(o[QStringLiteral("counts")][QStringLiteral("jobs")].toInt(), 0);
    QVERIFY(o[QStringLiteral("size_bytes")].toInteger() > 0);

    // Info also accepts the database file; plain output is "key: value" lines.
    r = runCli({QStringLiteral("workspace"), QStringLiteral("info"), Workspace::databasePath(path)});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("name: Qwen distill")));

    r = runCli({QStringLiteral("workspace"), QStringLiteral("init"), path});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("already holds a workspace")), qPrintable(r.err));
  }

  // The demo pipeline end to end with few steps: every product exists and the workspace lists real content.
  void demoBuildsThenReopens() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("demo"));
    Result r = runCli({QStringLiteral("demo"), QStringLiteral("--workspace"), path, QStringLiteral("--quick")});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("demo: created the demo workspace")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("[8/8] Creating the human-rating studies")), qPrintable(r.out));
    for (const char* sub : {"demo/models/teacher/model.safetensors", "demo/models/student/model.safetensors",
                            "demo/models/student-lora/adapter_model.safetensors",
                            "demo/models/student-int8/model.safetensors", "demo/models/student-int4/config.json",
                            "demo/runs/eval/results.json", "demo/jobs/distill.json", "demo/data/test.jsonl"})
      QVERIFY2(QFileInfo::exists(QDir(path).filePath(QString::fromLatin1(sub))), sub);
    {
      const Workspace ws = Workspace::open(path);
      QVERIFY(demoBuilt(ws));
      const QMap<QString, qint64> counts = ws.store().counts();
      QCOMPARE(counts.value(QStringLiteral("jobs")), 4);
      QCOMPARE(counts.value(QStringLiteral("models")), 4);  // teacher, student, int8, int4
      QCOMPARE(counts.value(QStringLiteral("datasets")), 3);  // train, validation, test (the eval finds its row)
      QSqlQuery q(ws.store().connection());
      QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'succeeded'")) && q.next());
      QCOMPARE(q.value(0).toInt(), 4);
      QVERIFY(q.exec(QStringLiteral("SELECT count(DISTINCT name) FROM metrics")) && q.next());
      QVERIFY2(q.value(0).toInt() >= 4, "loss, lr, grad_norm, val_loss ... are stored for the curves");
      QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM evaluations")) && q.next());
      QCOMPARE(q.value(0).toInt(), 5);
      QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM studies")) && q.next());
      QCOMPARE(q.value(0).toInt(), 2);
      QVERIFY(q.exec(QStringLiteral("SELECT count(DISTINCT rater_id), count(*) FROM ratings")) && q.next());
      QCOMPARE(q.value(0).toInt(), 2);
      QVERIFY(q.value(1).toInt() >= 2);
      ws.store().closeThisThread();
    }
    r = runCli({QStringLiteral("--json"), QStringLiteral("demo"), QStringLiteral("--workspace"), path});
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray steps = o[QStringLiteral("steps")].toArray();
    QVERIFY(steps.first().toString().startsWith(QStringLiteral("opened the demo workspace")));
    QVERIFY2(steps.contains(QStringLiteral("the demo is already built")), qPrintable(r.out));
    QVERIFY(o[QStringLiteral("jobs")].toObject().value(QStringLiteral("eval")).toInteger() > 0);
  }

  void corruptWorkspaceFailsCleanly() {
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("workspace.sqlite")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("garbage");
    f.close();
    const Result r = runCli({QStringLiteral("workspace"), QStringLiteral("info"), dir.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("not an SQLite database")), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
