// The workspace store: migrations (fresh, from every earlier version, newer refused, corrupt untouched),
// per-thread connections, and batched metric writes from a worker while another thread reads.
#include "common/Error.h"
#include "store/MetricWriter.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "store/Workspace.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <atomic>
#include <functional>

#include <unistd.h>

using namespace distillery;

namespace {

QByteArray digest(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Builds a database at an older schema version with plain SQLite, as an older Distillery would have left it.
void buildAtVersion(const QString& path, int version) {
  {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("builder"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    QSqlQuery q(db);
    for (int v = 0; v < version; ++v)
      for (const QString& sql : schema::migrations()[v]) QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    QVERIFY(q.exec(QStringLiteral("UPDATE schema_version SET version = %1").arg(version)));
    // A row in a version-1 table, so the upgrade must carry data across.
    QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs (id, kind, config_json, created_at) VALUES (7, 'lora', '{\"r\":16}', 'x')")));
    QVERIFY(q.exec(QStringLiteral("INSERT INTO metrics VALUES (7, 1, 'loss', 2.5, 0.1)")));
    db.close();
  }
  QSqlDatabase::removeDatabase(QStringLiteral("builder"));
}

QString errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.message();
  }
  return QStringLiteral("<no error>");
}

}  // namespace

class TestStore : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void freshWorkspaceHasLatestSchema() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath(QStringLiteral("ws")), QStringLiteral("My run"));
    QCOMPARE(ws.store().version(), schema::latestVersion());
    QCOMPARE(ws.name(), QStringLiteral("My run"));
    QVERIFY(!ws.store().meta(QStringLiteral("created_at")).isEmpty());
    QSqlQuery q(ws.store().connection());
    QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    for (const char* table : {"models", "datasets", "jobs", "metrics", "checkpoints", "evaluations", "eval_samples",
                              "studies", "study_items", "raters", "ratings"}) {
      QVERIFY2(q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + QLatin1String(table)), table);
    }
    QVERIFY(q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'metrics_job_name_step'")) && q.next());
    // Foreign keys are enforced: a metric for a job that does not exist is refused.
    QVERIFY(!q.exec(QStringLiteral("INSERT INTO metrics VALUES (999, 1, 'loss', 1.0, 0.0)")));
  }

  void initRefusesExistingWorkspace() {
    QTemporaryDir dir;
    Workspace::init(dir.path());
    const QString before = digest(Workspace::databasePath(dir.path())).toHex();
    QVERIFY(errorOf([&] { Workspace::init(dir.path()); }).contains(QStringLiteral("already holds a workspace")));
    QCOMPARE(QString(digest(Workspace::databasePath(dir.path())).toHex()), before);
  }

  void upgradeFromEveryEarlierVersion_data() {
    QTest::addColumn<int>("from");
    for (int v = 1; v < schema::latestVersion(); ++v) QTest::addRow("v%d", v) << v;
  }
  void upgradeFromEveryEarlierVersion() {
    QFETCH(int, from);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("old.sqlite"));
    buildAtVersion(path, from);
    QCOMPARE(Store::peekVersion(path), from);
    const Store store = Store::open(path);
    QCOMPARE(store.version(), schema::latestVersion());
    QSqlQuery q(store.connection());
    QVERIFY(q.exec(QStringLiteral("SELECT config_json FROM jobs WHERE id = 7")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("{\"r\":16}"));
    QVERIFY(q.exec(QStringLiteral("SELECT value FROM metrics WHERE job_id = 7")) && q.next());
    QCOMPARE(q.value(0).toDouble(), 2.5);
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM ratings")));  // a table of the latest version exists
    store.closeThisThread();
  }

  void newerVersionIsRefusedAndUntouched() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.sqlite"));
    buildAtVersion(path, schema::latestVersion());
    {
      QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
      db.setDatabaseName(path);
      QVERIFY(db.open());
      QSqlQuery(db).exec(QStringLiteral("UPDATE schema_version SET version = 99"));
      db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bump"));
    const QByteArray before = digest(path);
    const QString error = errorOf([&] { Store::open(path); });
    QVERIFY2(error.contains(QStringLiteral("schema_version=99")) && error.contains(QStringLiteral("newer")),
             qPrintable(error));
    QCOMPARE(digest(path), before);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
  }

  void badFilesAreRefusedAndUntouched_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::addRow("text file") << QByteArray("hello, I am not a database\n") << QStringLiteral("not an SQLite database");
    QTest::addRow("random bytes") << QByteArray(4096, '\xa7') << QStringLiteral("not an SQLite database");
    QByteArray damaged("SQLite format 3\0", 16);
    damaged += QByteArray(4080, '\x01');
    QTest::addRow("damaged sqlite") << damaged << QStringLiteral("damaged or not a database");
  }
  void badFilesAreRefusedAndUntouched() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workspace.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    const QString error = errorOf([&] { Workspace::open(dir.path()); });
    QVERIFY2(error.contains(expected) && error.contains(path), qPrintable(error));
    QCOMPARE(digest(path), QCryptographicHash::hash(content, QCryptographicHash::Sha256));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("workspace.sqlite")});
  }

  void foreignSqliteIsRefusedAndUntouched() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.sqlite"));
    {
      QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
      db.setDatabaseName(path);
      QVERIFY(db.open());
      QSqlQuery(db).exec(QStringLiteral("CREATE TABLE photos (id INTEGER)"));
      db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other"));
    const QByteArray before = digest(path);
    QVERIFY(errorOf([&] { Store::open(path); }).contains(QStringLiteral("not a Distillery workspace")));
    QCOMPARE(digest(path), before);
  }

  void readOnlyLocationsAreReported() {
    // Root ignores file permissions, so the read-only cases use places nobody can write to.
    QVERIFY(errorOf([] { Workspace::init(QStringLiteral("/proc/distillery-test/ws")); })
                .contains(QStringLiteral("cannot create the workspace folder")));
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QVERIFY(errorOf([&] { Workspace::init(blocker.fileName()); }).contains(QStringLiteral("is not a folder")));
    QVERIFY(errorOf([&] { Workspace::open(dir.filePath(QStringLiteral("missing"))); })
                .contains(QStringLiteral("does not exist")));
    if (geteuid() != 0) {
      Workspace::init(dir.filePath(QStringLiteral("ro")));
      const QString db = Workspace::databasePath(dir.filePath(QStringLiteral("ro")));
      QFile::setPermissions(db, QFile::ReadOwner);
      QVERIFY(errorOf([&] { Workspace::open(db); }).contains(QStringLiteral("read-only")));
    }
  }

  void connectionsArePerThread() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    const QString mine = ws.store().connection().connectionName();
    QString theirs;
    QThread* t = QThread::create([&] {
      theirs = ws.store().connection().connectionName();
      QSqlQuery q(ws.store().connection());
      q.exec(QStringLiteral("SELECT 1"));
    });
    t->start();
    t->wait();
    delete t;
    QVERIFY(!theirs.isEmpty());
    QVERIFY(mine != theirs);
    QVERIFY2(!QSqlDatabase::contains(theirs), "a finished thread's connection must be removed");
  }

  void batchedMetricsWhileReading() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    ws.store().exec(QStringLiteral("INSERT INTO jobs (id, kind, config_json, created_at) VALUES (1, 'distill', '{}', 'x')"));
    constexpr int kBatch = 500, kSteps = 4000;
    std::atomic_bool done{false};
    QString writerError;
    QThread* writer = QThread::create([&] {
      try {
        MetricWriter w(ws.store(), kBatch);
        for (int step = 0; step < kSteps; ++step)
          for (const char* name : {"loss", "loss_ce", "loss_kd", "lr", "grad_norm"}) w.add(1, step, name, step * 0.5, step * 1e-3);
        w.flush();
      } catch (const std::exception& e) {
        writerError = QString::fromUtf8(e.what());
      }
      done = true;
    });
    writer->start();
    // The reader sees only whole transactions: counts grow in multiples of the batch and never shrink.
    qint64 last = 0;
    int reads = 0;
    while (!done || reads == 0) {
      QSqlQuery q(ws.store().connection());
      QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM metrics WHERE job_id = 1")) && q.next());
      const qint64 n = q.value(0).toLongLong();
      QVERIFY2(n % kBatch == 0, qPrintable(QStringLiteral("partial batch visible: %1 rows").arg(n)));
      QVERIFY(n >= last);
      last = n;
      ++reads;
    }
    writer->wait();
    delete writer;
    QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
    QSqlQuery q(ws.store().connection());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), SUM(value) FROM metrics WHERE name = 'loss'")) && q.next());
    QCOMPARE(q.value(0).toInt(), kSteps);
    QCOMPARE(q.value(1).toDouble(), 0.5 * kSteps * (kSteps - 1) / 2.0);
    QVERIFY(reads > 1);
  }

  void metricWriterKeepsRowsWhenAWriteFails() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    MetricWriter w(ws.store(), 100);
    w.add(42, 0, "loss", 1.0, 0.0);  // job 42 does not exist: the foreign key refuses the batch
    bool failed = false;
    try {
      w.flush();
    } catch (const StoreError& e) {
      failed = QString::fromUtf8(e.what()).contains(QStringLiteral("FOREIGN KEY"));
    }
    QVERIFY(failed);
    QCOMPARE(w.pending(), 1);
    QCOMPARE(ws.store().counts().value(QStringLiteral("metrics")), 0);
    ws.store().exec(QStringLiteral("INSERT INTO jobs (id, kind, config_json, created_at) VALUES (42, 'eval', '{}', 'x')"));
    w.flush();
    QCOMPARE(ws.store().counts().value(QStringLiteral("metrics")), 1);
  }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
