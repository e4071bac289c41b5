// The audit trail and provenance: the hash chain against a Python reference (tests/data/audit/make_chain.py),
// every kind of tampering found at the right row, concurrent appends, the CLI's verify/list/export and exit codes,
// the actions the stores record, provenance.json of a tiny LoRA job and of a quantized model, lineage.
#include "audit/AuditLog.h"
#include "audit/Lineage.h"
#include "audit/Provenance.h"
#include "BuildInfo.h"
#include "cli/Cli.h"
#include "common/Error.h"
#include "jobs/JobStore.h"
#include "jobs/RunJob.h"
#include "store/DatasetRegistration.h"
#include "store/ModelStore.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include "../common/Fixtures.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlQuery>
#include <QtTest/QtTest>

#include <atomic>

using namespace distillery;

namespace {

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

QString sha256Of(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

struct CliResult {
  int code = 0;
  QString out, err;
};

CliResult runCli(QStringList args) {
  QString out, err, in;
  QTextStream o(&out), e(&err), i(&in);
  args.prepend(QStringLiteral("distillery-cli"));
  const int code = cli::run(args, o, e, i);
  o.flush();
  e.flush();
  return {code, out, err};
}

void execSql(const Store& store, const QString& sql) {
  QSqlQuery q(store.connection());
  QVERIFY2(q.exec(sql), qPrintable(sql));
}

// A workspace whose audit table holds the Python reference chain verbatim (the workspace.created row removed).
void loadReferenceChain(const Store& store) {
  execSql(store, QStringLiteral("DELETE FROM audit"));
  const QJsonArray rows = readJson(testDataDir() + QStringLiteral("/audit/chain.json")).value("rows").toArray();
  for (const QJsonValue& v : rows) {
    const QJsonObject r = v.toObject();
    QSqlQuery q(store.connection());
    q.prepare(QStringLiteral("INSERT INTO audit (id, time, user, action, object_kind, object_id, params, prev_hash, "
                             "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.value("id").toInteger());
    for (const char* k : {"time", "user", "action", "object_kind", "object_id", "params", "prev_hash", "hash"})
      q.addBindValue(r.value(QLatin1String(k)).toString());
    QVERIFY(q.exec());
  }
  // The head an append would have recorded after these rows.
  store.setMeta(QString::fromLatin1(audit::kHeadKey),
                QStringLiteral("5 %1").arg(rows.last().toObject().value("hash").toString()));
}

QStringList actions(const Store& store) {
  QStringList out;
  for (const AuditEntry& e : AuditLog(store).list()) out << e.action;
  return out;
}

}  // namespace

class TestAudit : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The canonical serialisation and hash of each reference row equal Python's, and Qt's compact JSON of the
  // params is the text Python wrote (sorted keys, 0.875, non-ASCII kept as UTF-8).
  void hashesMatchPythonReference() {
    const QJsonObject ref = readJson(testDataDir() + QStringLiteral("/audit/chain.json"));
    const QJsonArray rows = ref.value("rows").toArray();
    QCOMPARE(rows.size(), 5);
    QCOMPARE(ref.value("genesis").toString(), QString::fromLatin1(audit::kGenesis));
    QString prev = QString::fromLatin1(audit::kGenesis);
    for (const QJsonValue& v : rows) {
      const QJsonObject r = v.toObject();
      AuditEntry e;
      e.id = r.value("id").toInteger();
      e.time = r.value("time").toString();
      e.user = r.value("user").toString();
      e.action = r.value("action").toString();
      e.objectKind = r.value("object_kind").toString();
      e.objectId = r.value("object_id").toString();
      e.params = r.value("params").toString();
      e.prevHash = prev;
      QCOMPARE(r.value("prev_hash").toString(), prev);
      QCOMPARE(audit::paramsText(QJsonDocument::fromJson(e.params.toUtf8()).object()), e.params);
      QCOMPARE(audit::entryHash(e), r.value("hash").toString());
      prev = audit::entryHash(e);
    }
    // The netstring framing of row 1, spelled out.
    AuditEntry first;
    first.id = 1;
    first.time = QStringLiteral("t");
    first.action = QStringLiteral("a,b");
    first.params = QStringLiteral("{}");
    first.prevHash = QStringLiteral("p");
    QCOMPARE(audit::canonical(first), QByteArray("1:1,1:t,0:,3:a,b,0:,0:,2:{},1:p,"));
  }

  void referenceChainVerifies() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    loadReferenceChain(ws.store());
    const AuditVerdict v = AuditLog(ws.store()).verify();
    QVERIFY2(v.ok, qPrintable(v.detail));
    QCOMPARE(v.rows, qint64(5));
    // The next append links to the reference chain's last hash.
    const qint64 id = recordAudit(ws.store(), QStringLiteral("settings.changed"), QStringLiteral("settings"),
                                  QStringLiteral("threads"), {{"value", 2}});
    QCOMPARE(id, qint64(6));
    QCOMPARE(AuditLog(ws.store()).list().back().prevHash,
             readJson(testDataDir() + "/audit/chain.json").value("rows").toArray().last()["hash"].toString());
    QVERIFY(AuditLog(ws.store()).verify().ok);
  }

  void tamperingIsFound_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<qint64>("badId");
    QTest::addColumn<QString>("check");
    QTest::newRow("modified params") << "UPDATE audit SET params = '{\"id\":9}' WHERE id = 3" << qint64(3)
                                     << "content_hash";
    QTest::newRow("modified user") << "UPDATE audit SET user = 'mallory' WHERE id = 2" << qint64(2) << "content_hash";
    QTest::newRow("modified hash") << QStringLiteral("UPDATE audit SET hash = '%1' WHERE id = 4").arg(QString(64, QLatin1Char('f')))
                                   << qint64(4) << "content_hash";
    QTest::newRow("deleted middle row") << "DELETE FROM audit WHERE id = 3" << qint64(4) << "id_gap";
    QTest::newRow("deleted first row") << "DELETE FROM audit WHERE id = 1" << qint64(2) << "id_gap";
    QTest::newRow("deleted two rows") << "DELETE FROM audit WHERE id IN (2, 3)" << qint64(4) << "id_gap";
    // Rows 2 and 3 swap places (ids kept in order): row 2 now carries row 3's prev_hash.
    QTest::newRow("reordered rows") << "SWAP 2 3" << qint64(2) << "prev_link";
    // Row 3 renumbered to 2 after deleting 2 (ids contiguous again): its id is inside its hash.
    QTest::newRow("renumbered row") << "DELETE FROM audit WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3"
                                    << qint64(2) << "prev_link";
    // Rows deleted from the end leave no gap and no broken link: the head recorded by the last append names them.
    QTest::newRow("deleted last row") << "DELETE FROM audit WHERE id = 5" << qint64(5) << "truncated";
    QTest::newRow("deleted last two rows") << "DELETE FROM audit WHERE id >= 4" << qint64(4) << "truncated";
    // The last row replaced by another with a recomputed hash: the head still holds the original's hash.
    QTest::newRow("last row rehashed") << "REHASH 5" << qint64(5) << "head";
    // A forger who rewrites row 3 and recomputes its hash still breaks row 4's link.
    QTest::newRow("modified and rehashed") << "REHASH 3" << qint64(4) << "prev_link";
  }

  void tamperingIsFound() {
    QFETCH(QString, sql);
    QFETCH(qint64, badId);
    QFETCH(QString, check);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    loadReferenceChain(ws.store());
    if (sql.startsWith(QLatin1String("REHASH "))) {
      const qint64 id = sql.mid(7).toLongLong();
      AuditEntry e = AuditLog(ws.store()).list({.offset = int(id - 1), .limit = 1}).front();
      QCOMPARE(e.id, id);
      e.objectId = QStringLiteral("/data/other.jsonl");
      execSql(ws.store(), QStringLiteral("UPDATE audit SET object_id = '%1', hash = '%2' WHERE id = %3")
                              .arg(e.objectId, audit::entryHash(e)).arg(id));
    } else if (sql == QLatin1String("SWAP 2 3")) {
      const std::vector<AuditEntry> rows = AuditLog(ws.store()).list({.offset = 1, .limit = 2});
      execSql(ws.store(), QStringLiteral("DELETE FROM audit WHERE id IN (2, 3)"));
      for (int k = 0; k < 2; ++k) {
        const AuditEntry& e = rows[size_t(1 - k)];
        QSqlQuery q(ws.store().connection());
        q.prepare(QStringLiteral("INSERT INTO audit (id, time, user, action, object_kind, object_id, params, "
                                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant& v : QVariantList{qint64(2 + k), e.time, e.user, e.action, e.objectKind, e.objectId,
                                              e.params, e.prevHash, e.hash})
          q.addBindValue(v);
        QVERIFY(q.exec());
      }
    } else {
      for (const QString& s : sql.split(QStringLiteral("; "))) execSql(ws.store(), s);
    }
    const AuditVerdict v = AuditLog(ws.store()).verify();
    QVERIFY(!v.ok);
    QCOMPARE(v.badId, badId);
    QCOMPARE(v.check, check);
    QVERIFY2(v.detail.contains(QStringLiteral("row %1").arg(badId)), qPrintable(v.detail));

    // The CLI says the same and exits 1; with --json the verdict is an object.
    const CliResult r = runCli({"audit", "verify", "--workspace", dir.filePath("ws")});
    QCOMPARE(r.code, int(cli::kFailed));
    QVERIFY2(r.out.startsWith(QStringLiteral("BROKEN at row %1 (%2)").arg(badId).arg(check)), qPrintable(r.out));
    const CliResult j = runCli({"--json", "audit", "verify", "--workspace", dir.filePath("ws")});
    QCOMPARE(j.code, int(cli::kFailed));
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value("ok").toBool(), false);
    QCOMPARE(o.value("bad_id").toInteger(), badId);
    QCOMPARE(o.value("check").toString(), check);
  }

  // The stores record what changed the workspace, each in order, and the chain verifies.
  void storesRecordTheirActions() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"), QStringLiteral("audited"));
    const Store& store = ws.store();
    QCOMPARE(actions(store), QStringList{"workspace.created"});
    QCOMPARE(AuditLog(store).list().front().objectId, ws.root());
    QCOMPARE(AuditLog(store).list().front().user, audit::osUser());
    QVERIFY(!audit::osUser().isEmpty());

    const ModelStore models(store);
    const qint64 m = models.addFolder(fixture("tiny-llama"), ModelRole::Teacher);
    models.addFolder(fixture("tiny-llama"), ModelRole::Student);
    models.remove(m);

    QFile::copy(testDataDir() + "/jobs/alpaca.jsonl", dir.filePath("raw.jsonl"));
    QFile::copy(testDataDir() + "/jobs/alpaca.jsonl", dir.filePath("clean.jsonl"));
    registerDatasetFile(store, QString(), dir.filePath("raw.jsonl"), "alpaca", 4, {}, {});
    registerDatasetFile(store, dir.filePath("raw.jsonl"), dir.filePath("clean.jsonl"), "alpaca", 4,
                        {{"operation", "clean"}}, {});

    const JobStore jobs(store);
    JobSpec spec = JobSpec::fromJson(QJsonObject{{"kind", "lora"},
                                                 {"student", fixture("tiny-llama")},
                                                 {"output", dir.filePath("out")},
                                                 {"data", QJsonObject{{"train", dir.filePath("clean.jsonl")}}}},
                                     "job.json");
    const qint64 j = jobs.create(spec);
    jobs.setStatus(j, JobStatus::Running);
    jobs.setStatus(j, JobStatus::Cancelled);
    jobs.setStatus(j, JobStatus::Queued);
    jobs.setStatus(j, JobStatus::Running);
    jobs.setStatus(j, JobStatus::Failed, QStringLiteral("out of memory"));
    QVERIFY(!jobs.setStatusIf(j, JobStatus::Running, JobStatus::Succeeded));  // no change: not recorded

    const StudyStore studies(store);
    const qint64 s = studies.create({.name = "blind"}, {{.prompt = "p", .outputA = "o", .modelA = "m"}});
    studies.reveal(s);
    studies.reveal(s);  // already revealed: nothing changes, nothing recorded
    studies.remove(s);

    // Joined, so a failure shows the whole sequence.
    QCOMPARE(actions(store).join(QLatin1Char(' ')),
             QStringLiteral("workspace.created model.added model.updated model.removed dataset.imported "
                            "dataset.derived job.created job.started job.cancelled job.queued job.started job.failed "
                            "study.created study.revealed study.deleted"));
    const std::vector<AuditEntry> rows = AuditLog(store).list();
    QCOMPARE(rows[1].objectKind, QStringLiteral("model"));
    QCOMPARE(rows[1].objectId, QDir::cleanPath(fixture("tiny-llama")));
    QCOMPARE(rows[1].toJson()["params"].toObject()["role"].toString(), QStringLiteral("teacher"));
    QCOMPARE(rows[5].toJson()["params"].toObject()["settings"].toObject()["operation"].toString(),
             QStringLiteral("clean"));
    QCOMPARE(rows[5].toJson()["params"].toObject()["sha256"].toString(), sha256Of(dir.filePath("clean.jsonl")));
    QCOMPARE(rows[6].objectId, QString::number(j));
    QCOMPARE(rows[11].toJson()["params"].toObject()["error"].toString(), QStringLiteral("out of memory"));
    for (size_t i = 0; i < rows.size(); ++i) {
      QCOMPARE(rows[i].id, qint64(i + 1));
      QCOMPARE(rows[i].prevHash, i == 0 ? QString::fromLatin1(audit::kGenesis) : rows[i - 1].hash);
    }
    const AuditVerdict v = AuditLog(store).verify();
    QVERIFY2(v.ok, qPrintable(v.detail));
    QCOMPARE(v.rows, qint64(rows.size()));

    // Filters: action prefix, exact action, object kind, text, time range.
    QCOMPARE(AuditLog(store).count({.action = "job."}), qint64(6));
    QCOMPARE(AuditLog(store).count({.action = "job.started"}), qint64(2));
    QCOMPARE(AuditLog(store).count({.objectKind = "study"}), qint64(3));
    QCOMPARE(AuditLog(store).count({.text = "OUT OF MEMORY"}), qint64(1));
    QCOMPARE(AuditLog(store).count({.text = "%"}), qint64(0));
    QCOMPARE(AuditLog(store).count({.since = rows[3].time}), qint64(rows.size()) -
                                                                 AuditLog(store).count({.until = rows[3].time}));
    QCOMPARE(AuditLog(store).count({.user = "nobody-at-all"}), qint64(0));
    QCOMPARE(AuditLog(store).list({.offset = 13, .limit = 5}).size(), size_t(2));
    QVERIFY(AuditLog(store).distinct("action").contains("job.failed"));
    QVERIFY_THROWS_EXCEPTION(UsageError, AuditLog(store).distinct("hash; DROP TABLE audit"));
  }

  // Two threads appending at once (each its own connection) leave one linear chain: no fork, no gap.
  void concurrentAppendsStayLinear() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    const Store store = ws.store();
    constexpr int kPerThread = 150;
    std::atomic_int failures{0};
    auto work = [&](int t) {
      try {
        for (int i = 0; i < kPerThread; ++i)
          recordAudit(store, QStringLiteral("test.append"), QStringLiteral("thread"), QString::number(t), {{"i", i}});
      } catch (...) {
        ++failures;
      }
    };
    std::unique_ptr<QThread> a(QThread::create(work, 1)), b(QThread::create(work, 2));
    a->start();
    b->start();
    QVERIFY(a->wait(120000));
    QVERIFY(b->wait(120000));
    QCOMPARE(failures.load(), 0);
    const AuditVerdict v = AuditLog(store).verify();
    QVERIFY2(v.ok, qPrintable(v.detail));
    QCOMPARE(v.rows, qint64(1 + 2 * kPerThread));
    QCOMPARE(AuditLog(store).count({.objectKind = "thread", .text = "1"}) > 0, true);
    // Each thread's rows are in its own order.
    for (const QString t : {"1", "2"}) {
      int expected = 0;
      for (const AuditEntry& e : AuditLog(store).list({.objectKind = "thread"}))
        if (e.objectId == t) QCOMPARE(e.toJson()["params"].toObject()["i"].toInt(), expected++);
      QCOMPARE(expected, kPerThread);
    }
  }

  // An append inside the caller's transaction joins it: rolled back with it, nothing half-written.
  void appendJoinsCallerTransaction() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    QSqlDatabase db = ws.store().connection();
    QVERIFY(db.transaction());
    execSql(ws.store(), QStringLiteral("INSERT INTO workspace (key, value) VALUES ('k', 'v')"));
    QCOMPARE(recordAudit(ws.store(), "settings.changed", "settings", "k"), qint64(2));
    QVERIFY(db.rollback());
    QCOMPARE(AuditLog(ws.store()).count(), qint64(1));
    QCOMPARE(ws.store().meta("k"), QString());
    QVERIFY(AuditLog(ws.store()).verify().ok);
  }

  void cliListAndExport() {
    QTemporaryDir dir;
    const QString w = dir.filePath("ws");
    const Workspace ws = Workspace::init(w);
    ModelStore(ws.store()).addFolder(fixture("tiny-llama"), ModelRole::Student, QStringLiteral("name, with \"quotes\""));
    CliResult r = runCli({"audit", "verify", "--workspace", w});
    QCOMPARE(r.code, int(cli::kOk));
    QCOMPARE(r.out, QStringLiteral("OK: 2 rows, the hash chain is intact\n"));

    r = runCli({"--json", "audit", "list", "--action", "model.added", "--workspace", w});
    QCOMPARE(r.code, int(cli::kOk));
    const QStringList lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    const QJsonObject row = QJsonDocument::fromJson(lines[0].toUtf8()).object();
    QCOMPARE(row["id"].toInteger(), qint64(2));
    QCOMPARE(row["params"].toObject()["name"].toString(), QStringLiteral("name, with \"quotes\""));
    r = runCli({"audit", "list", "--since", "2000-01-01", "--until", "2000-01-02", "--workspace", w});
    QCOMPARE(r.code, int(cli::kOk));
    QCOMPARE(r.out, QString());
    r = runCli({"audit", "list", "--since", "yesterday", "--workspace", w});
    QCOMPARE(r.code, int(cli::kUsage));
    QVERIFY2(r.err.contains("--since=yesterday"), qPrintable(r.err));

    // CSV: header and RFC 4180 quoting; every hash recomputes from the exported fields.
    r = runCli({"audit", "export", dir.filePath("log.csv"), "--workspace", w});
    QCOMPARE(r.code, int(cli::kOk));
    QFile csv(dir.filePath("log.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    QVERIFY(text.startsWith("id,time,user,action,object_kind,object_id,params,prev_hash,hash\r\n"));
    QVERIFY2(text.contains("\"name, with \\\"\"quotes\\\"\"\""), text.constData());
    QCOMPARE(text.count("\r\n"), 3);

    r = runCli({"audit", "export", dir.filePath("log.jsonl"), "--workspace", w});
    QCOMPARE(r.code, int(cli::kOk));
    QFile jsonl(dir.filePath("log.jsonl"));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    QString prev = QString::fromLatin1(audit::kGenesis);
    int n = 0;
    for (const QByteArray& line : jsonl.readAll().split('\n')) {
      if (line.isEmpty()) continue;
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      AuditEntry e;
      e.id = o["id"].toInteger();
      e.time = o["time"].toString();
      e.user = o["user"].toString();
      e.action = o["action"].toString();
      e.objectKind = o["object_kind"].toString();
      e.objectId = o["object_id"].toString();
      e.params = o["params"].toString();
      e.prevHash = o["prev_hash"].toString();
      QCOMPARE(e.prevHash, prev);
      QCOMPARE(audit::entryHash(e), o["hash"].toString());
      prev = o["hash"].toString();
      ++n;
    }
    QCOMPARE(n, 2);

    // Bad input: a wrong extension is refused and nothing is written.
    r = runCli({"audit", "export", dir.filePath("log.txt"), "--workspace", w});
    QCOMPARE(r.code, int(cli::kUsage));
    QVERIFY2(r.err.contains(QString("FILE=" + dir.filePath("log.txt") + " must end in .csv or .jsonl")), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath("log.txt")));
    r = runCli({"audit", "verify", "--workspace", dir.filePath("none")});
    QCOMPARE(r.code, int(cli::kFailed));
    r = runCli({"audit", "frobnicate", "--workspace", w});
    QCOMPARE(r.code, int(cli::kUsage));
  }

  // The file hash cache: reused while path, size and mtime are unchanged, recomputed after the file changes.
  void fileHashCache() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    const QString path = dir.filePath("data.jsonl");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"text\": \"a\"}\n");
    f.close();
    const QString first = cachedFileSha256(&ws.store(), path);
    QCOMPARE(first, sha256Of(path));
    // Proof the cache answers: a planted value comes back while the file is unchanged.
    execSql(ws.store(), QStringLiteral("UPDATE file_hashes SET sha256 = 'planted' WHERE path = '%1'").arg(path));
    QCOMPARE(cachedFileSha256(&ws.store(), path), QStringLiteral("planted"));
    QCOMPARE(cachedFileSha256(nullptr, path), first);
    QVERIFY(f.open(QIODevice::Append));
    f.write("{\"text\": \"b\"}\n");
    f.close();
    QCOMPARE(cachedFileSha256(&ws.store(), path), sha256Of(path));
    QVERIFY(sha256Of(path) != first);
    QVERIFY_THROWS_EXCEPTION(Error, cachedFileSha256(&ws.store(), dir.filePath("missing.jsonl")));
  }

  // A tiny LoRA job (tiny-llama, 3 steps) run through the store: provenance.json names the exact hashes of the
  // base model's files and the dataset, the job JSON, the code version; then a quantized model made from it with
  // the adapter merged; lineage walks quantized ← adapter ← (student, train ← clean ← raw).
  void provenanceAndLineageOfTrainedModel() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    const Store& store = ws.store();
    for (const char* name : {"raw.jsonl", "clean.jsonl", "train.jsonl"})
      QVERIFY(QFile::copy(testDataDir() + "/jobs/alpaca.jsonl", dir.filePath(QLatin1String(name))));
    const qint64 raw = registerDatasetFile(store, {}, dir.filePath("raw.jsonl"), "alpaca", 4, {}, {});
    const qint64 clean = registerDatasetFile(store, dir.filePath("raw.jsonl"), dir.filePath("clean.jsonl"), "alpaca",
                                             4, {{"operation", "clean"}}, {});
    const qint64 train = registerDatasetFile(store, dir.filePath("clean.jsonl"), dir.filePath("train.jsonl"),
                                             "alpaca", 3, {{"operation", "dedup"}}, {});

    const QString out = dir.filePath("lora");
    const QJsonObject job{
        {"kind", "lora"},
        {"student", fixture("tiny-llama")},
        {"output", out},
        {"device", "cpu"},
        {"data", QJsonObject{{"train", dir.filePath("train.jsonl")}, {"format", "alpaca"}}},
        {"lora", QJsonObject{{"r", 4}, {"alpha", 8}, {"target_modules", QJsonArray{"q_proj", "v_proj"}}}},
        {"train", QJsonObject{{"max_steps", 3}, {"batch_size", 2}, {"seq_len", 32}, {"eval_every", 0},
                              {"save_every", 0}, {"log_every", 1}}}};
    const JobSpec spec = JobSpec::fromJson(job, "job.json");
    const JobStore jobs(store);
    const qint64 jobId = jobs.create(spec);
    JobContext ctx;
    ctx.store = &store;
    ctx.jobId = jobId;
    const TrainResult r = runJob(spec, ctx);
    QVERIFY2(r.status == TrainStatus::Finished, qPrintable(r.error));

    const QJsonObject p = readJson(out + "/provenance.json");
    QCOMPARE(p["format"].toString(), QStringLiteral("distillery-provenance/1"));
    QCOMPARE(p["artefact"].toObject()["kind"].toString(), QStringLiteral("lora"));
    QCOMPARE(p["artefact"].toObject()["path"].toString(), QDir::cleanPath(out));
    QCOMPARE(p["job_id"].toInteger(), jobId);
    QCOMPARE(p["status"].toString(), QStringLiteral("finished"));
    QCOMPARE(p["job"].toObject(), spec.toJson());
    QCOMPARE(p["code"].toObject()["version"].toString(), QStringLiteral(DISTILLERY_VERSION));
    QCOMPARE(p["user"].toString(), audit::osUser());
    QVERIFY(!p["created_at"].toString().isEmpty());
    const QJsonArray models = p["models"].toArray();
    QCOMPARE(models.size(), 1);
    QCOMPARE(models[0]["role"].toString(), QStringLiteral("student"));
    QCOMPARE(models[0]["path"].toString(), QDir::cleanPath(fixture("tiny-llama")));
    const QJsonObject files = models[0]["files"].toObject();
    for (const char* name : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                             "generation_config.json"})
      QCOMPARE(files[QLatin1String(name)].toString(), sha256Of(fixture("tiny-llama/") + QLatin1String(name)));
    QVERIFY(!files.contains("lora-adapter"));  // a folder, not a file of the model
    const QJsonArray datasets = p["datasets"].toArray();
    QCOMPARE(datasets.size(), 1);
    QCOMPARE(datasets[0]["role"].toString(), QStringLiteral("train"));
    QCOMPARE(datasets[0]["sha256"].toString(), sha256Of(dir.filePath("train.jsonl")));
    // The big files are cached in the store for the next job.
    QSqlQuery q(store.connection());
    QVERIFY(q.exec(QStringLiteral("SELECT sha256 FROM file_hashes WHERE path = '%1'")
                       .arg(QDir::cleanPath(fixture("tiny-llama/model.safetensors")))));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), sha256Of(fixture("tiny-llama/model.safetensors")));

    // The runner's statuses are not set here (runJob alone), but the job row was recorded.
    QCOMPARE(AuditLog(store).count({.action = "job.created"}), qint64(1));

    // Quantize with the adapter merged: the quantized folder's provenance names the source and the adapter.
    const QString quant = dir.filePath("int8");
    const CliResult c = runCli({"--json", "quantize", fixture("tiny-llama"), quant, "--scheme", "int8", "--adapter", out});
    QVERIFY2(c.code == 0, qPrintable(c.err));
    const QJsonObject qp = readJson(quant + "/provenance.json");
    QCOMPARE(qp["artefact"].toObject()["kind"].toString(), QStringLiteral("quantized"));
    QCOMPARE(qp["settings"].toObject()["scheme"].toString(), QStringLiteral("int8"));
    const QJsonArray sources = qp["models"].toArray();
    QCOMPARE(sources.size(), 2);
    QCOMPARE(sources[0]["files"].toObject()["model.safetensors"].toString(),
             sha256Of(fixture("tiny-llama/model.safetensors")));
    QCOMPARE(sources[1]["role"].toString(), QStringLiteral("adapter"));
    QCOMPARE(sources[1]["files"].toObject()["adapter_model.safetensors"].toString(),
             sha256Of(out + "/adapter_model.safetensors"));

    // Lineage: quantized ← source model, adapter ← (student, train ← clean ← raw).
    const LineageNode l = lineageOf(&store, quant);
    QCOMPARE(l.kind, QStringLiteral("quantized"));
    QCOMPARE(l.sources.size(), size_t(2));
    QCOMPARE(l.sources[0].role, QStringLiteral("source"));
    QCOMPARE(l.sources[0].kind, QStringLiteral("model"));
    QVERIFY(l.sources[0].sources.empty());
    const LineageNode& adapter = l.sources[1];
    QCOMPARE(adapter.kind, QStringLiteral("lora"));
    QCOMPARE(adapter.how, QStringLiteral("lora job %1").arg(jobId));
    QCOMPARE(adapter.sources.size(), size_t(2));
    QCOMPARE(adapter.sources[0].role, QStringLiteral("student"));
    const LineageNode& t = adapter.sources[1];
    QCOMPARE(t.role, QStringLiteral("train"));
    QCOMPARE(t.datasetId, train);
    QCOMPARE(t.how, QStringLiteral("dedup"));
    QCOMPARE(t.sha256, sha256Of(dir.filePath("train.jsonl")));
    QCOMPARE(t.sources.size(), size_t(1));
    QCOMPARE(t.sources[0].datasetId, clean);
    QCOMPARE(t.sources[0].how, QStringLiteral("clean"));
    QCOMPARE(t.sources[0].sources.size(), size_t(1));
    QCOMPARE(t.sources[0].sources[0].datasetId, raw);
    QCOMPARE(t.sources[0].sources[0].how, QString());
    QVERIFY(t.sources[0].sources[0].sources.empty());

    // The CLI prints the same tree as JSON.
    const CliResult lc = runCli({"--json", "lineage", quant, "--workspace", ws.root()});
    QCOMPARE(lc.code, 0);
    QCOMPARE(QJsonDocument::fromJson(lc.out.toUtf8()).object(), l.toJson());
    const CliResult missing = runCli({"lineage", dir.filePath("nothing")});
    QCOMPARE(missing.code, int(cli::kFailed));
    QVERIFY2(missing.err.contains(QString(dir.filePath("nothing") + ": does not exist")), qPrintable(missing.err));
  }

  // A dataset derived twice: lineage from the last file back to the source, with the settings that made each.
  void lineageOfDatasetDerivedTwice() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath("ws"));
    auto write = [&](const char* name, const QByteArray& text) {
      QFile f(dir.filePath(QLatin1String(name)));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(text);
    };
    write("a.jsonl", "{\"text\": \"x\"}\n{\"text\": \"x\"}\n{\"text\": \"y\"}\n");
    write("b.jsonl", "{\"text\": \"x\"}\n{\"text\": \"y\"}\n");
    write("c.jsonl", "{\"text\": \"y\"}\n");
    registerDatasetFile(ws.store(), dir.filePath("a.jsonl"), dir.filePath("b.jsonl"), "text", 2,
                        {{"operation", "dedup"}}, {});
    registerDatasetFile(ws.store(), dir.filePath("b.jsonl"), dir.filePath("c.jsonl"), "text", 1,
                        {{"operation", "split"}}, {});
    const LineageNode n = lineageOf(&ws.store(), dir.filePath("c.jsonl"));
    QCOMPARE(n.kind, QStringLiteral("dataset"));
    QCOMPARE(n.how, QStringLiteral("split"));
    QCOMPARE(n.sha256, sha256Of(dir.filePath("c.jsonl")));
    QCOMPARE(n.sources.size(), size_t(1));
    QCOMPARE(n.sources[0].path, dir.filePath("b.jsonl"));
    QCOMPARE(n.sources[0].how, QStringLiteral("dedup"));
    QCOMPARE(n.sources[0].role, QStringLiteral("parent"));
    QCOMPARE(n.sources[0].sources.size(), size_t(1));
    QCOMPARE(n.sources[0].sources[0].path, dir.filePath("a.jsonl"));
    QCOMPARE(n.sources[0].sources[0].sha256, sha256Of(dir.filePath("a.jsonl")));
    QVERIFY(n.sources[0].sources[0].sources.empty());
    // Without a workspace a dataset file is a source of its own.
    QVERIFY(lineageOf(nullptr, dir.filePath("c.jsonl")).sources.empty());
    // A damaged provenance.json is named, not followed silently.
    QDir(dir.path()).mkpath("m");
    write("m/provenance.json", "{not json");
    QVERIFY_THROWS_EXCEPTION(FormatError, lineageOf(&ws.store(), dir.filePath("m")));
  }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
