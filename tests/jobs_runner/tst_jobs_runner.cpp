// The job runner: the jobs table (statuses, checkpoints, metrics, interrupted marking), cross-process markers
// (lock, CANCEL file), sweeps (grid product, TPE determinism, ranges and a toy objective), and the queue itself
// with fake jobs (order, device exclusivity, cancel within one step, pause/resume, exceptions, snapshots polled
// without per-step signals), and `distillery-cli jobs` against a temporary workspace.
#include "cli/Cli.h"
#include "common/Error.h"
#include "jobs/JobMarkers.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/RunJob.h"
#include "jobs/SweepSpace.h"
#include "jobs/SweepTpe.h"
#include "store/MetricWriter.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include "FakeJobs.h"
#include "TestUtil.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QSysInfo>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>

using namespace distillery;

namespace {

JobSpec loraSpec(const QString& output, const QString& device = QStringLiteral("cpu")) {
  JobSpec s;
  s.kind = JobKind::Lora;
  s.name = QStringLiteral("lora test");
  s.student = QStringLiteral("/models/tiny-llama");
  s.data.train = QStringLiteral("/data/train.jsonl");
  s.train.maxSteps = 10;
  s.device = device;
  s.output = output;
  return s;
}

SweepParam choices(const char* key, std::vector<double> values) {
  SweepParam p;
  p.key = QString::fromLatin1(key);
  p.values = std::move(values);
  return p;
}

SweepParam range(const char* key, double min, double max, bool log, bool integer = false) {
  SweepParam p;
  p.key = QString::fromLatin1(key);
  p.min = min;
  p.max = max;
  p.log = log;
  p.integer = integer;
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The toy objective of the TPE tests: a quadratic in log10(lr) with its minimum at 2.2e-5 (a noiseless stand-in
// for a validation loss). Batch size and warmup are in the space but do not matter: TPE must not be thrown off
// by irrelevant parameters. (With strong categorical effects, per-parameter TPE can settle on the value its
// first good trials had; that is the method's known limit, not tested here.)
double toyObjective(const SweepPoint& x) {
  const double d = std::log10(x[0]) - std::log10(2.2e-5);
  return d * d;
}

std::vector<SweepParam> toySpace() {
  return {range("train.lr", 1e-6, 1e-3, true), choices("train.batch_size", {8, 16, 32}),
          choices("train.warmup_steps", {100, 200})};
}

// Best objective after `trials` trials of TPE (or of pure random search when random is set).
std::vector<double> bestSoFar(uint64_t seed, int trials, bool random) {
  TpeOptions o;
  if (random) o.startupTrials = trials + 1;  // never leaves the random start-up phase
  const TpeSampler tpe(toySpace(), seed, o);
  std::vector<TpeObservation> history;
  std::vector<double> best;
  for (int t = 0; t < trials; ++t) {
    const SweepPoint x = tpe.suggest(history);
    history.emplace_back(x, toyObjective(x));
    best.push_back(std::min(best.empty() ? INFINITY : best.back(), history.back().second));
  }
  return best;
}

}  // namespace

class TestJobsRunner : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  int wsCounter_ = 0;

  // A fresh workspace per test, so row ids start at 1.
  Workspace freshWorkspace() { return Workspace::init(tmp_.filePath(QStringLiteral("ws%1").arg(++wsCounter_))); }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(tmp_.isValid()); }

  // ---- the jobs table ----
  void statusNames() {
    for (JobStatus s : {JobStatus::Queued, JobStatus::Running, JobStatus::Paused, JobStatus::Succeeded,
                        JobStatus::Failed, JobStatus::Cancelled, JobStatus::Interrupted})
      QCOMPARE(parseJobStatus(jobStatusName(s)), s);
    QCOMPARE(jobStatusName(JobStatus::Interrupted), QStringLiteral("interrupted"));
    QCOMPARE(errorOf([] { parseJobStatus(QStringLiteral("done")); }),
             QStringLiteral("status=done is not a job status (queued, running, paused, succeeded, failed, cancelled, "
                            "interrupted)"));
    QVERIFY(isResumable(JobStatus::Interrupted) && isResumable(JobStatus::Failed) && isResumable(JobStatus::Cancelled));
    QVERIFY(!isResumable(JobStatus::Succeeded) && !isResumable(JobStatus::Running));
  }

  void createAndLifecycle() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    const JobSpec spec = loraSpec(tmp_.filePath(QStringLiteral("out-a")));
    const QJsonObject verbatim{{QStringLiteral("kind"), QStringLiteral("lora")}, {QStringLiteral("note"), 42}};
    const qint64 a = jobs.create(spec, verbatim);
    const qint64 b = jobs.create(spec);
    QCOMPARE(a, 1);
    QCOMPARE(b, 2);

    JobRow row = jobs.job(a);
    QCOMPARE(row.kind, QStringLiteral("lora"));
    QCOMPARE(row.name, QStringLiteral("lora test"));
    QCOMPARE(row.config, verbatim);  // saved verbatim, not re-serialised
    QCOMPARE(row.status, JobStatus::Queued);
    QCOMPARE(row.device, QStringLiteral("cpu"));
    QCOMPARE(row.outputDir, spec.output);
    QCOMPARE(row.parentId, 0);
    QVERIFY(!row.createdAt.isEmpty());
    QVERIFY(row.startedAt.isEmpty() && row.finishedAt.isEmpty());
    QCOMPARE(jobs.job(b).config, spec.toJson());
    QCOMPARE(JobSpec::fromJson(jobs.job(b).config, QStringLiteral("row")), spec);

    jobs.setStatus(a, JobStatus::Running);
    row = jobs.job(a);
    QCOMPARE(row.status, JobStatus::Running);
    const QString started = row.startedAt;
    QVERIFY(!started.isEmpty());
    jobs.setProgress(a, 0.25);
    jobs.setStatus(a, JobStatus::Failed, QStringLiteral("CUDA out of memory at batch_size 8"));
    row = jobs.job(a);
    QCOMPARE(row.status, JobStatus::Failed);
    QCOMPARE(row.error, QStringLiteral("CUDA out of memory at batch_size 8"));
    QCOMPARE(row.progress, 0.25);
    QVERIFY(!row.finishedAt.isEmpty());
    // Queued again (resume): finished_at cleared, error cleared, started_at kept from the first run.
    jobs.setStatus(a, JobStatus::Queued, QString());
    jobs.setStatus(a, JobStatus::Running);
    row = jobs.job(a);
    QVERIFY(row.finishedAt.isEmpty());
    QVERIFY(row.error.isEmpty());
    QCOMPARE(row.startedAt, started);

    // Compare-and-set only changes a row still in the expected status.
    QVERIFY(!jobs.setStatusIf(a, JobStatus::Paused, JobStatus::Interrupted));
    QVERIFY(jobs.setStatusIf(a, JobStatus::Running, JobStatus::Succeeded));
    QCOMPARE(jobs.job(a).status, JobStatus::Succeeded);

    QCOMPARE(jobs.list().size(), 2);
    QCOMPARE(jobs.list().first().id, b);  // newest first
    QCOMPARE(jobs.list(JobStatus::Queued).size(), 1);
    QVERIFY(!jobs.find(99));
    QCOMPARE(errorOf([&] { jobs.job(99); }), ws.store().path() + QStringLiteral(": job=99 does not exist"));
    QCOMPARE(errorOf([&] { jobs.setStatus(99, JobStatus::Running); }),
             ws.store().path() + QStringLiteral(": job=99 does not exist"));
  }

  void defaultOutputAndChildren() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    JobSpec sweep = loraSpec(QString());
    sweep.kind = JobKind::Sweep;
    sweep.name.clear();
    const qint64 parent = jobs.create(sweep);
    QCOMPARE(jobs.job(parent).outputDir, ws.root() + QStringLiteral("/runs/1"));
    QCOMPARE(jobs.job(parent).name, QStringLiteral("sweep tiny-llama"));
    const qint64 c1 = jobs.create(loraSpec(QStringLiteral("/o/t0")), {}, parent);
    const qint64 c2 = jobs.create(loraSpec(QStringLiteral("/o/t1")), {}, parent);
    const QList<JobRow> kids = jobs.children(parent);
    QCOMPARE(kids.size(), 2);
    QCOMPARE(kids[0].id, c1);
    QCOMPARE(kids[1].id, c2);
    QCOMPARE(kids[1].parentId, parent);
    QCOMPARE(jobs.job(c1).toJson().value(QStringLiteral("parent_id")).toInteger(), parent);
  }

  void checkpointsAndMetrics() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    const qint64 id = jobs.create(loraSpec(QStringLiteral("/o/a")));
    QVERIFY(!jobs.lastCheckpoint(id));
    const qint64 c10 = jobs.addCheckpoint(id, 10, QStringLiteral("/o/a/checkpoints/step-10"), 2.5, true);
    const qint64 c20 = jobs.addCheckpoint(id, 20, QStringLiteral("/o/a/checkpoints/step-20"), 2.1, true);
    jobs.addCheckpoint(id, 30, QStringLiteral("/o/a/checkpoints/step-30"));
    const QList<CheckpointRow> all = jobs.checkpoints(id);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].id, c10);
    QVERIFY(!all[0].isBest);  // a newer best took the mark
    QVERIFY(all[1].isBest);
    QCOMPARE(all[1].valLoss.value(), 2.1);
    QVERIFY(!all[2].valLoss);
    QCOMPARE(jobs.lastCheckpoint(id)->step, 30);
    jobs.markBestCheckpoint(id, c10);
    QVERIFY(jobs.checkpoints(id)[0].isBest && !jobs.checkpoints(id)[1].isBest);
    Q_UNUSED(c20);

    {
      MetricWriter w(ws.store());
      for (int step = 1; step <= 5; ++step) {
        w.add(id, step, "loss", 3.0 - 0.1 * step, 0.5 * step);
        w.add(id, step, "lr", 1e-4, 0.5 * step);
      }
      w.add(id, 5, "val_loss", 2.75, 2.5);
    }
    const std::vector<MetricPoint> loss = jobs.metric(id, QStringLiteral("loss"));
    QCOMPARE(loss.size(), size_t(5));
    QCOMPARE(loss[2].step, 3);
    QCOMPARE(loss[2].value, 3.0 - 0.3);
    QCOMPARE(loss[2].wallTime, 1.5);
    QCOMPARE(jobs.metricNames(id), (QStringList{"loss", "lr", "val_loss"}));
    const QJsonObject last = jobs.lastMetrics(id);
    QCOMPARE(last.value(QStringLiteral("loss")).toObject().value(QStringLiteral("value")).toDouble(), 2.5);
    QCOMPARE(last.value(QStringLiteral("val_loss")).toObject().value(QStringLiteral("step")).toInteger(), 5);
  }

  // Running and paused jobs of a dead process become interrupted; one whose lock a live process holds does not.
  void markInterrupted() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    const QString held = tmp_.filePath(QStringLiteral("held-out"));
    const qint64 running = jobs.create(loraSpec(tmp_.filePath(QStringLiteral("crashed-out"))));
    const qint64 paused = jobs.create(loraSpec(QStringLiteral("/nonexistent/out")));
    const qint64 done = jobs.create(loraSpec(QStringLiteral("/o/done")));
    const qint64 alive = jobs.create(loraSpec(held));
    const qint64 queued = jobs.create(loraSpec(QStringLiteral("/o/q")));
    jobs.setStatus(running, JobStatus::Running);
    jobs.setStatus(paused, JobStatus::Paused);
    jobs.setStatus(done, JobStatus::Succeeded);
    jobs.setStatus(alive, JobStatus::Running);
    // A crashed process leaves its lock file behind (QLockFile's format: pid, program, host); its pid is gone.
    QDir().mkpath(tmp_.filePath(QStringLiteral("crashed-out")));
    {
      QFile stale(JobLock::lockPath(tmp_.filePath(QStringLiteral("crashed-out"))));
      QVERIFY(stale.open(QIODevice::WriteOnly));
      stale.write("999999999\ndistillery-cli\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    }
    JobLock lock(held);
    QVERIFY(lock.tryLock());

    const QList<qint64> changed = markInterruptedJobs(ws.store());
    QCOMPARE(QSet<qint64>(changed.begin(), changed.end()), (QSet<qint64>{running, paused}));
    QCOMPARE(jobs.job(running).status, JobStatus::Interrupted);
    QVERIFY(jobs.job(running).error.contains(QStringLiteral("resume continues from its last checkpoint")));
    QCOMPARE(jobs.job(paused).status, JobStatus::Interrupted);
    QCOMPARE(jobs.job(done).status, JobStatus::Succeeded);
    QCOMPARE(jobs.job(alive).status, JobStatus::Running);
    QCOMPARE(jobs.job(queued).status, JobStatus::Queued);
    lock.unlock();
    QCOMPARE(markInterruptedJobs(ws.store()), QList<qint64>{alive});
  }

  // ---- markers between processes ----
  void jobLock() {
    const QString dir = tmp_.filePath(QStringLiteral("lock-out"));
    QVERIFY(!JobLock::isHeld(dir));
    JobLock a(dir), b(dir);
    QVERIFY(a.tryLock());
    QVERIFY(QFileInfo::exists(JobLock::lockPath(dir)));
    QVERIFY(JobLock::isHeld(dir));
    QVERIFY(!b.tryLock());
    QVERIFY2(b.holder().contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())),
             qPrintable(b.holder()));
    a.unlock();
    QVERIFY(!JobLock::isHeld(dir));
    QVERIFY(b.tryLock());
  }

  void cancelFile() {
    const QString dir = tmp_.filePath(QStringLiteral("cancel-out"));
    std::atomic_bool cancel{false};
    {
      CancelFileWatch watch(dir, cancel, std::chrono::milliseconds(10));
      QVERIFY(!cancelRequested(dir));
      requestCancel(dir, QStringLiteral("cancelled by distillery-cli jobs cancel"));
      QVERIFY(cancelRequested(dir));
      QCOMPARE(cancelReason(dir), QStringLiteral("cancelled by distillery-cli jobs cancel"));
      QTRY_VERIFY_WITH_TIMEOUT(cancel.load(), 5000);
      QVERIFY(watch.fired());
    }
    clearCancelRequest(dir);
    QVERIFY(!cancelRequested(dir));
    // A watch with no request never fires and stops promptly (its destructor does not wait out the interval).
    std::atomic_bool untouched{false};
    QElapsedTimer t;
    t.start();
    { CancelFileWatch watch(dir, untouched, std::chrono::seconds(30)); }
    QVERIFY(!untouched.load());
    QVERIFY2(t.elapsed() < 10000, "the watch waited out its interval");
  }

  // ---- sweeps ----
  void gridIsTheProduct() {
    const std::vector<SweepParam> params = {choices("train.lr", {1e-5, 3e-5}), choices("train.batch_size", {8, 16, 32}),
                                            choices("train.warmup_steps", {100, 200})};
    const std::vector<SweepPoint> grid = gridPoints(params);
    QCOMPARE(grid.size(), size_t(12));
    QSet<QString> seen;
    for (const SweepPoint& x : grid) seen.insert(describePoint(params, x));
    QCOMPARE(seen.size(), 12);  // every combination once
    for (double lr : {1e-5, 3e-5})
      for (double bs : {8, 16, 32})
        for (double w : {100, 200}) QVERIFY(seen.contains(describePoint(params, {lr, bs, w})));
    QCOMPARE(grid.front(), (SweepPoint{1e-5, 8, 100}));
    QCOMPARE(grid[1], (SweepPoint{1e-5, 8, 200}));  // last key fastest
    QCOMPARE(grid.back(), (SweepPoint{3e-5, 32, 200}));
    QCOMPARE(describePoint(params, grid[1]),
             QStringLiteral("train.lr=1e-05, train.batch_size=8, train.warmup_steps=200"));
    QCOMPARE(gridPoints({choices("lora.r", {4})}).size(), size_t(1));
    QCOMPARE(errorOf([] { gridPoints({range("train.lr", 1e-5, 5e-5, true)}); }),
             QStringLiteral("sweep.params=train.lr has a range (min 1e-05, max 5e-05); a grid sweep needs a list of "
                            "values"));
  }

  void trialJobsFromPoints() {
    SweepSpec s;
    s.params = {choices("train.batch_size", {8, 16}), choices("lora.r", {8}), range("kd.temperature", 1, 4, false)};
    s.base = loraSpec(QStringLiteral("/o/base")).toJson();
    s.base.remove(QStringLiteral("lora"));  // a missing object is created on the way
    const QJsonObject trial = trialJson(s, {16, 8.0, 2.5});
    QVERIFY(trial.value(QStringLiteral("train")).toObject().value(QStringLiteral("batch_size")).isDouble());
    QCOMPARE(QJsonDocument(trial.value(QStringLiteral("train")).toObject())
                 .toJson(QJsonDocument::Compact)
                 .contains("\"batch_size\":16,"),
             true);  // an integer, not 16.0
    QCOMPARE(trial.value(QStringLiteral("kd")).toObject().value(QStringLiteral("temperature")).toDouble(), 2.5);
    const JobSpec spec = JobSpec::fromJson(trial, QStringLiteral("trial"));
    QCOMPARE(spec.train.batchSize, 16);
    QCOMPARE(spec.lora.r, 8);
    QCOMPARE(spec.kd.temperature, 2.5);
    QCOMPARE(spec.train.maxSteps, 10);  // the rest comes from the base
    QCOMPARE(pointJson(s.params, {16, 8, 2.5}),
             (QJsonObject{{"train.batch_size", 16}, {"lora.r", 8}, {"kd.temperature", 2.5}}));
    QJsonObject o;
    setDottedKey(o, QStringLiteral("a.b.c"), 1);
    setDottedKey(o, QStringLiteral("a.b.d"), 2);
    QCOMPARE(o, (QJsonObject{{"a", QJsonObject{{"b", QJsonObject{{"c", 1}, {"d", 2}}}}}}));
  }

  void tpeIsDeterministic() {
    const std::vector<SweepParam> space = toySpace();
    const TpeSampler a(space, 7), b(space, 7), c(space, 8);
    std::vector<TpeObservation> history;
    for (int t = 0; t < 12; ++t) {
      const SweepPoint x = a.suggest(history);
      QCOMPARE(b.suggest(history), x);  // same seed, same history: same point
      QCOMPARE(a.suggest(history), x);  // and no hidden state between calls
      history.emplace_back(x, toyObjective(x));
    }
    // Another seed goes elsewhere (the first start-up point already differs).
    QVERIFY(c.suggest({}) != a.suggest({}));
  }

  void tpeStaysInTheSpace() {
    const std::vector<SweepParam> space = {
        range("train.lr", 1e-5, 5e-5, true), range("lora.r", 4, 64, true, true), range("kd.alpha", 0.1, 0.9, false),
        range("train.warmup_steps", 0, 10, false), choices("train.batch_size", {8, 16, 32})};
    const TpeSampler tpe(space, 3);
    std::vector<TpeObservation> history;
    QSet<qint64> ranks;
    for (int t = 0; t < 60; ++t) {
      const SweepPoint x = tpe.suggest(history);
      QCOMPARE(x.size(), space.size());
      QVERIFY2(x[0] >= 1e-5 && x[0] <= 5e-5, qPrintable(QString::number(x[0])));
      QVERIFY2(x[1] >= 4 && x[1] <= 64 && x[1] == std::round(x[1]), qPrintable(QString::number(x[1])));
      QVERIFY2(x[2] >= 0.1 && x[2] <= 0.9, qPrintable(QString::number(x[2])));
      QVERIFY2(x[3] >= 0 && x[3] <= 10 && x[3] == std::round(x[3]), qPrintable(QString::number(x[3])));
      QVERIFY(x[4] == 8 || x[4] == 16 || x[4] == 32);
      ranks.insert(qint64(x[1]));
      // An objective that prefers small r and large alpha; every fifth trial failed (NaN counts as the worst).
      history.emplace_back(x, t % 5 == 4 ? NAN : x[1] / 64.0 - x[2]);
    }
    QVERIFY2(ranks.size() > 5, "integer log-range samples should spread over many ranks");
    QCOMPARE(errorOf([] { TpeSampler({range("train.lr", 0, 1e-3, true)}, 0); }),
             QStringLiteral("sweep.params=train.lr has a log scale and needs min > 0, got 0"));
    QCOMPARE(errorOf([] { TpeSampler({range("train.lr", 1, 1, false)}, 0); }),
             QStringLiteral("sweep.params=train.lr needs min < max, got min 1, max 1"));
  }

  // On the toy objective, TPE's best after 30 trials beats random search's, in the median over 15 seeds, and
  // improves on its own random start-up trials for most seeds. Fully deterministic (seeded), so not flaky.
  void tpeBeatsRandomOnAToyObjective() {
    constexpr int kSeeds = 15, kTrials = 30;
    TpeOptions o;
    std::vector<double> tpeBest, randomBest;
    int improved = 0;
    for (uint64_t seed = 0; seed < kSeeds; ++seed) {
      const std::vector<double> t = bestSoFar(seed, kTrials, false);
      const std::vector<double> r = bestSoFar(seed + 1000, kTrials, true);
      tpeBest.push_back(t.back());
      randomBest.push_back(r.back());
      if (t.back() < t[size_t(o.startupTrials) - 1]) ++improved;
    }
    const double mt = median(tpeBest), mr = median(randomBest);
    qInfo("median best after %d trials over %d seeds: TPE %.5f, random %.5f; TPE improved on its start-up in %d",
          kTrials, kSeeds, mt, mr, improved);
    QVERIFY2(mt < mr, qPrintable(QStringLiteral("TPE %1 vs random %2").arg(mt).arg(mr)));
    QVERIFY2(improved >= kSeeds * 2 / 3, qPrintable(QString::number(improved)));
  }

  // ---- the queue, with fake jobs ----
  void queueOrderOneCpuSlot() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    QSignalSpy idle(&runner, &JobRunner::idle);
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i) {
      JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("order-%1").arg(i)));
      s.train.maxSteps = 3;
      ids << runner.enqueue(s);
    }
    QCOMPARE(runner.running().size(), 1);  // one CPU slot
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 20000);
    QCOMPARE(idle.count(), 1);
    QList<qint64> starts;
    for (const FakeEvent& e : fakes.events())
      if (e.start) starts << e.id;
    QCOMPARE(starts, ids);  // first in, first run
    QCOMPARE(fakes.maxConcurrent(QStringLiteral("cpu")), 1);
    const JobStore jobs(ws.store());
    for (qint64 id : ids) {
      QCOMPARE(jobs.job(id).status, JobStatus::Succeeded);
      QCOMPARE(jobs.job(id).progress, 1.0);
      QVERIFY(!jobs.job(id).startedAt.isEmpty() && !jobs.job(id).finishedAt.isEmpty());
    }
  }

  // Two cuda:0 jobs never overlap; a CPU job runs beside the GPU one; cuda and cuda:0 are the same device.
  void deviceExclusivity() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec gpuA = loraSpec(tmp_.filePath(QStringLiteral("dev-a")), QStringLiteral("cuda"));
    gpuA.name = QStringLiteral("gate gpu a");
    JobSpec gpuB = loraSpec(tmp_.filePath(QStringLiteral("dev-b")), QStringLiteral("cuda:0"));
    JobSpec gpu1 = loraSpec(tmp_.filePath(QStringLiteral("dev-1")), QStringLiteral("cuda:1"));
    JobSpec cpu = loraSpec(tmp_.filePath(QStringLiteral("dev-c")));
    const qint64 a = runner.enqueue(gpuA), b = runner.enqueue(gpuB), g1 = runner.enqueue(gpu1), c = runner.enqueue(cpu);
    QTRY_COMPARE_WITH_TIMEOUT(fakes.waitingAtGate(), a, 10000);
    QCOMPARE(runner.queued(), QList<qint64>{b});  // behind a on cuda:0
    QVERIFY(runner.running().contains(a));
    QCOMPARE(runner.snapshot(b).status, JobStatus::Queued);
    QCOMPARE(runner.snapshot(a).device, QStringLiteral("cuda:0"));
    // The CPU job and the other GPU's job are not held back by the busy cuda:0.
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(c).status, JobStatus::Succeeded, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(g1).status, JobStatus::Succeeded, 10000);
    QCOMPARE(runner.snapshot(b).status, JobStatus::Queued);
    fakes.openGate();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
    QCOMPARE(runner.snapshot(b).status, JobStatus::Succeeded);
    QCOMPARE(fakes.maxConcurrent(QStringLiteral("cuda:0")), 1);
    // b started only after a ended.
    const QList<FakeEvent> ev = fakes.events();
    const auto at = [&](qint64 id, bool start) {
      for (int i = 0; i < ev.size(); ++i)
        if (ev[i].id == id && ev[i].start == start) return i;
      return -1;
    };
    QVERIFY(at(a, false) < at(b, true));
    QVERIFY(at(c, true) < at(a, false));  // the CPU job ran while a held cuda:0
  }

  void cpuSlots() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {2, fakes.function()});
    for (int i = 0; i < 5; ++i) {
      JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("slots-%1").arg(i)));
      s.train.maxSteps = 20;
      s.train.seqLen = 500;  // µs per step
      runner.enqueue(s);
    }
    QCOMPARE(runner.running().size(), 2);
    QCOMPARE(runner.queued().size(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 20000);
    QVERIFY(fakes.maxConcurrent(QStringLiteral("cpu")) <= 2);
  }

  // cancel() flips the atomic the loop reads before each step: the job stops within one step of the call.
  void cancelWithinOneStep() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("cancel-out")));
    s.train.maxSteps = 100000;
    s.train.seqLen = 1000;  // 1 ms per step
    const qint64 id = runner.enqueue(s);
    QTRY_VERIFY_WITH_TIMEOUT(fakes.currentStep.load() >= 3, 10000);
    const int64_t stepAtCancel = fakes.currentStep.load();
    QVERIFY(runner.cancel(id));
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(id).status, JobStatus::Cancelled, 10000);
    QVERIFY2(
        fakes.currentStep.load() <= stepAtCancel + 1,
        qPrintable(
            QStringLiteral("cancelled at step %1, stopped after %2").arg(stepAtCancel).arg(fakes.currentStep.load())));
    QCOMPARE(JobStore(ws.store()).job(id).status, JobStatus::Cancelled);
    QVERIFY(!runner.cancel(id));  // nothing left to cancel
    // A queued job is cancelled at once, without running.
    JobSpec g = loraSpec(tmp_.filePath(QStringLiteral("cancel-gate")));
    g.name = QStringLiteral("gate");
    const qint64 running = runner.enqueue(g);
    const qint64 queued = runner.enqueue(loraSpec(tmp_.filePath(QStringLiteral("cancel-q"))));
    const qint64 external = runner.enqueue(loraSpec(tmp_.filePath(QStringLiteral("cancel-ext"))));
    QVERIFY(runner.cancel(queued));
    // `distillery-cli jobs cancel` from another process changes only the row of a job queued here; the runner
    // honours it when the job's turn comes.
    QVERIFY(JobStore(ws.store()).setStatusIf(external, JobStatus::Queued, JobStatus::Cancelled));
    QCOMPARE(runner.snapshot(queued).status, JobStatus::Cancelled);
    QCOMPARE(JobStore(ws.store()).job(queued).error, QStringLiteral("cancelled before it started"));
    // Cancelling a job waiting at its gate (before any step) works too.
    QVERIFY(runner.cancel(running));
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
    QCOMPARE(runner.snapshot(running).status, JobStatus::Cancelled);
    QCOMPARE(runner.snapshot(external).status, JobStatus::Cancelled);
    for (const FakeEvent& e : fakes.events()) QVERIFY(e.id != queued && e.id != external);
  }

  void pauseAndResume() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    QSignalSpy statuses(&runner, &JobRunner::jobStatusChanged);
    JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("pause-out")));
    s.train.maxSteps = 400;
    s.train.seqLen = 1000;
    const qint64 id = runner.enqueue(s);
    QTRY_VERIFY_WITH_TIMEOUT(fakes.currentStep.load() >= 2, 10000);
    QVERIFY(runner.pause(id));
    QVERIFY(!runner.pause(id));  // already paused
    QCOMPARE(runner.snapshot(id).status, JobStatus::Paused);
    QCOMPARE(JobStore(ws.store()).job(id).status, JobStatus::Paused);
    QTRY_VERIFY_WITH_TIMEOUT(fakes.inPause.load(), 10000);
    const int64_t pausedAt = fakes.currentStep.load();
    QTest::qWait(50);  // not an assertion on timing: a paused loop must not advance however long it waits
    QCOMPARE(fakes.currentStep.load(), pausedAt);
    QCOMPARE(runner.snapshot(id).step, pausedAt);
    QVERIFY(runner.resume(id));
    QCOMPARE(JobStore(ws.store()).job(id).status, JobStatus::Running);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 20000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Succeeded);
    QCOMPARE(runner.snapshot(id).step, 400);
    QStringList seen;
    for (const QList<QVariant>& args : std::as_const(statuses)) seen << args.at(1).toString();
    QCOMPARE(seen, (QStringList{"queued", "running", "paused", "running", "succeeded"}));
  }

  void exceptionBecomesFailed() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec t = loraSpec(tmp_.filePath(QStringLiteral("throw-out")));
    t.name = QStringLiteral("throw bad JSON: expected an object");
    JobSpec f = loraSpec(tmp_.filePath(QStringLiteral("fail-out")));
    f.name = QStringLiteral("fail CUDA out of memory at batch_size 8, seq_len 512; try batch_size 4");
    const qint64 a = runner.enqueue(t);
    const qint64 b = runner.enqueue(f);
    const qint64 c = runner.enqueue(loraSpec(tmp_.filePath(QStringLiteral("after-out"))));
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
    const JobStore jobs(ws.store());
    QCOMPARE(jobs.job(a).status, JobStatus::Failed);
    QCOMPARE(jobs.job(a).error, QStringLiteral("/data/train.jsonl: line 3 bad JSON: expected an object"));
    QCOMPARE(runner.snapshot(a).error, jobs.job(a).error);
    QCOMPARE(jobs.job(b).status, JobStatus::Failed);
    QCOMPARE(jobs.job(b).error, QStringLiteral("CUDA out of memory at batch_size 8, seq_len 512; try batch_size 4"));
    QCOMPARE(jobs.job(c).status, JobStatus::Succeeded);  // the queue goes on
  }

  void resumeFailedJob() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("resume-out")));
    s.name = QStringLiteral("fail-fresh");
    const qint64 id = runner.enqueue(s);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Failed);
    QVERIFY(!runner.resume(9999));
    QVERIFY(runner.resume(id));
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(id).status, JobStatus::Succeeded, 10000);
    QCOMPARE(fakes.resumeFlags(id), (QList<bool>{false, true}));
    QVERIFY(JobStore(ws.store()).job(id).error.isEmpty());
    QVERIFY(!runner.resume(id));  // succeeded: nothing to resume
  }

  // Snapshots carry the progress; the only signals are status changes, never one per step.
  void snapshotsWithoutPerStepSignals() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function(), std::chrono::milliseconds(0)});
    QSignalSpy statuses(&runner, &JobRunner::jobStatusChanged);
    JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("snap-out")));
    s.train.maxSteps = 500;
    s.train.seqLen = 200;
    const qint64 id = runner.enqueue(s);
    int64_t last = 0;
    int polls = 0, advancing = 0;
    while (runner.snapshot(id).status != JobStatus::Succeeded && polls < 20000) {
      QTest::qWait(2);  // the UI's timer
      const JobSnapshot snap = runner.snapshot(id);
      QVERIFY(snap.step >= last);
      if (snap.step > last) ++advancing;
      last = snap.step;
      ++polls;
    }
    const JobSnapshot end = runner.snapshot(id);
    QCOMPARE(end.status, JobStatus::Succeeded);
    QCOMPARE(end.step, 500);
    QCOMPARE(end.totalSteps, 500);
    QCOMPARE(end.loss, 1.0 / 500);
    QCOMPARE(end.progress(), 1.0);
    QVERIFY2(advancing >= 2, "the snapshot should have been seen mid-run");
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 10000);  // the succeeded signal comes when the thread has ended
    QCOMPARE(statuses.count(), 3);                     // queued, running, succeeded: not one per step
    QCOMPARE(JobStore(ws.store()).job(id).progress, 1.0);
  }

  // Closing the application: the running job stops and, like the queued one, ends interrupted (resumable).
  void shutdownInterrupts() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    qint64 running = 0, queued = 0;
    {
      JobRunner runner(ws.store(), {1, fakes.function()});
      JobSpec g = loraSpec(tmp_.filePath(QStringLiteral("shut-a")));
      g.name = QStringLiteral("gate");
      running = runner.enqueue(g);
      queued = runner.enqueue(loraSpec(tmp_.filePath(QStringLiteral("shut-b"))));
      QTRY_COMPARE_WITH_TIMEOUT(fakes.waitingAtGate(), running, 10000);
    }
    const JobStore jobs(ws.store());
    QCOMPARE(jobs.job(running).status, JobStatus::Interrupted);
    QCOMPARE(jobs.job(queued).status, JobStatus::Interrupted);
    QVERIFY(!JobLock::isHeld(jobs.job(running).outputDir));  // the lock went with the worker
  }

  // ---- sweeps through the runner ----
  void gridSweep() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec sweep = loraSpec(tmp_.filePath(QStringLiteral("grid-sweep")));
    sweep.kind = JobKind::Sweep;
    sweep.name = QStringLiteral("grid");
    sweep.sweep.method = QStringLiteral("grid");
    sweep.sweep.params = {choices("train.lr", {1e-5, 3e-5, 1e-4}), choices("train.batch_size", {8, 16})};
    sweep.sweep.base = loraSpec(QStringLiteral("/ignored")).toJson();
    const qint64 id = runner.enqueue(sweep);
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(id).status, JobStatus::Succeeded, 20000);
    const JobStore jobs(ws.store());
    const QList<JobRow> trials = jobs.children(id);
    QCOMPARE(trials.size(), 6);
    double best = INFINITY;
    for (int i = 0; i < trials.size(); ++i) {
      const JobSpec t = JobSpec::fromJson(trials[i].config, QStringLiteral("trial"));
      QCOMPARE(trials[i].status, JobStatus::Succeeded);
      QCOMPARE(t.output, sweep.output + QStringLiteral("/trial-00%1").arg(i));
      QCOMPARE(t.device, sweep.device);
      best = std::min(best, std::pow(std::log10(t.train.lr) + 4.5, 2) + double(t.train.batchSize) / 1000.0);
    }
    QCOMPARE(JobSpec::fromJson(trials[3].config, {}).train.lr, 3e-5);
    QCOMPARE(JobSpec::fromJson(trials[3].config, {}).train.batchSize, 16);
    const JobSnapshot snap = runner.snapshot(id);
    QCOMPARE(snap.trial, 6);
    QCOMPARE(snap.trials, 6);
    QCOMPARE(snap.bestValLoss, best);
    QCOMPARE(snap.progress(), 1.0);
    QCOMPARE(jobs.job(id).progress, 1.0);
    // The parent's metrics and sweep.json name the best trial: lr 3e-5 (log10 closest to -4.5), batch 8.
    QCOMPARE(jobs.metric(id, QStringLiteral("trial_val_loss")).size(), size_t(6));
    const std::vector<MetricPoint> bestSeries = jobs.metric(id, QStringLiteral("best_val_loss"));
    QCOMPARE(bestSeries.back().value, best);
    for (size_t i = 1; i < bestSeries.size(); ++i) QVERIFY(bestSeries[i].value <= bestSeries[i - 1].value);
    QFile f(sweep.output + QStringLiteral("/sweep.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject top = summary.value(QStringLiteral("best")).toObject();
    QCOMPARE(top.value(QStringLiteral("value")).toDouble(), best);
    QCOMPARE(top.value(QStringLiteral("params")).toObject(),
             (QJsonObject{{"train.lr", 3e-5}, {"train.batch_size", 8}}));
    QCOMPARE(top.value(QStringLiteral("job_id")).toInteger(), trials[2].id);
    QCOMPARE(summary.value(QStringLiteral("trials")).toArray().size(), 6);
    // `jobs show` of the sweep names its best trial; `jobs list` puts the trials under their sweep, in order.
    CliResult r = runCli({"jobs", "show", QString::number(id), "--workspace", ws.root(), "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject shown = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(shown.value(QStringLiteral("best_trial")).toObject().value(QStringLiteral("job_id")).toInteger(),
             trials[2].id);
    QCOMPARE(shown.value(QStringLiteral("trials")).toArray().size(), 6);
    r = runCli({"jobs", "list", "--workspace", ws.root()});
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 8);  // header, the sweep, its 6 trials
    QVERIFY2(lines[1].trimmed().startsWith(QString::number(id) + QLatin1Char(' ')), qPrintable(r.out));
    for (int i = 0; i < 6; ++i)
      QVERIFY2(lines[2 + i].trimmed().startsWith(QString::number(trials[i].id) + QLatin1Char(' ')), qPrintable(r.out));
  }

  void tpeSweepStaysInRange() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec sweep = loraSpec(tmp_.filePath(QStringLiteral("tpe-sweep")));
    sweep.kind = JobKind::Sweep;
    sweep.sweep.method = QStringLiteral("tpe");
    sweep.sweep.trials = 8;
    sweep.sweep.params = {range("train.lr", 1e-5, 5e-5, true), choices("train.batch_size", {8, 16, 32}),
                          range("lora.r", 4, 32, true, true)};
    sweep.sweep.base = loraSpec(QStringLiteral("/ignored")).toJson();
    const qint64 id = runner.enqueue(sweep);
    QTRY_COMPARE_WITH_TIMEOUT(runner.snapshot(id).status, JobStatus::Succeeded, 20000);
    const QList<JobRow> trials = JobStore(ws.store()).children(id);
    QCOMPARE(trials.size(), 8);
    for (const JobRow& r : trials) {
      const JobSpec t = JobSpec::fromJson(r.config, QStringLiteral("trial"));
      QVERIFY(t.train.lr >= 1e-5 && t.train.lr <= 5e-5);
      QVERIFY(t.train.batchSize == 8 || t.train.batchSize == 16 || t.train.batchSize == 32);
      QVERIFY(t.lora.r >= 4 && t.lora.r <= 32);
    }
  }

  // A sweep interrupted during a trial resumes: finished trials are not run again, the interrupted one continues
  // from its checkpoint (resume flag), the rest run fresh.
  void sweepResume() {
    const Workspace ws = freshWorkspace();
    FakeJobs fakes;
    JobRunner runner(ws.store(), {1, fakes.function()});
    JobSpec sweep = loraSpec(tmp_.filePath(QStringLiteral("resume-sweep")));
    sweep.kind = JobKind::Sweep;
    sweep.sweep.method = QStringLiteral("grid");
    sweep.sweep.params = {choices("train.lr", {1e-5, 2e-5, 3e-5, 4e-5})};
    sweep.sweep.base = loraSpec(QStringLiteral("/ignored")).toJson();
    const qint64 id = runner.enqueue(sweep);
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 20000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Succeeded);
    // Now simulate a sweep that was interrupted after two trials: mark trial 3 interrupted, drop trial 4 and
    // its recorded metric, as a crash during trial 3 would have left them.
    const JobStore jobs(ws.store());
    QList<JobRow> trials = jobs.children(id);
    QCOMPARE(trials.size(), 4);
    ws.store().exec(QStringLiteral("DELETE FROM jobs WHERE id = %1").arg(trials[3].id));
    ws.store().exec(QStringLiteral("DELETE FROM metrics WHERE job_id = %1 AND step >= 2").arg(id));
    jobs.setStatus(trials[2].id, JobStatus::Interrupted);
    jobs.setStatus(id, JobStatus::Interrupted);
    const qsizetype eventsBefore = fakes.events().size();
    QVERIFY(runner.resume(id));
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 20000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Succeeded);
    trials = jobs.children(id);
    QCOMPARE(trials.size(), 4);
    // Only trial 2 (continued from its checkpoint) and trial 3 (new) ran again.
    QList<qint64> started;
    const QList<FakeEvent> ev = fakes.events();
    for (qsizetype i = eventsBefore; i < ev.size(); ++i)
      if (ev[i].start) started << ev[i].id;
    QCOMPARE(started, (QList<qint64>{trials[2].id, trials[3].id}));
    QCOMPARE(fakes.resumeFlags(trials[2].id), (QList<bool>{false, true}));
    QCOMPARE(fakes.resumeFlags(trials[3].id).last(), false);  // fresh (SQLite may reuse the deleted row's id)
    QCOMPARE(JobSpec::fromJson(trials[3].config, {}).train.lr, 4e-5);
    QCOMPARE(jobs.metric(id, QStringLiteral("trial_val_loss")).size(), size_t(4));
  }

  // ---- distillery-cli jobs ----
  void jobsCli() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    const QString root = ws.root();
    const auto out = [&](const char* name) { return tmp_.filePath(QStringLiteral("cli-") + QLatin1String(name)); };
    const qint64 done = jobs.create(loraSpec(out("done")));
    const qint64 queued = jobs.create(loraSpec(out("queued")));
    const qint64 elsewhere = jobs.create(loraSpec(out("elsewhere")));
    const qint64 failed = jobs.create(loraSpec(out("failed")));
    const qint64 orphan = jobs.create(loraSpec(out("orphan")));
    jobs.setStatus(done, JobStatus::Succeeded);
    jobs.setStatus(elsewhere, JobStatus::Running);
    jobs.setStatus(failed, JobStatus::Failed, QStringLiteral("NaN loss 5 steps in a row"));
    jobs.setStatus(orphan, JobStatus::Running);  // its process is gone: no lock
    {
      MetricWriter w(ws.store());
      w.add(done, 10, "loss", 1.25, 3.0);
    }
    JobLock other(out("elsewhere"));  // stands in for another process running that job
    QVERIFY(other.tryLock());

    CliResult r = runCli({"jobs", "list", "--workspace", root, "--json"});
    QCOMPARE(r.code, 0);
    QJsonArray listed = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("jobs")).toArray();
    QCOMPARE(listed.size(), 5);
    QCOMPARE(listed[0].toObject().value(QStringLiteral("id")).toInteger(), orphan);  // newest first
    QVERIFY(!listed[0].toObject().contains(QStringLiteral("config")));
    r = runCli({"jobs", "list", "--workspace", root, "--status", "failed", "--json"});
    listed = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("jobs")).toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].toObject().value(QStringLiteral("error")).toString(),
             QStringLiteral("NaN loss 5 steps in a row"));
    r = runCli({"jobs", "list", "--workspace", root});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("STATUS")) && r.out.contains(QStringLiteral("succeeded")),
             qPrintable(r.out));

    r = runCli({"jobs", "show", QString::number(done), "--workspace", root, "--json"});
    QCOMPARE(r.code, 0);
    QJsonObject shown = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(shown.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(shown.value(QStringLiteral("config")).toObject(), loraSpec(out("done")).toJson());
    QCOMPARE(shown.value(QStringLiteral("metrics"))
                 .toObject()
                 .value(QStringLiteral("loss"))
                 .toObject()
                 .value(QStringLiteral("value"))
                 .toDouble(),
             1.25);
    r = runCli({"jobs", "show", QString::number(elsewhere), "--workspace", root, "--json"});
    QVERIFY(QJsonDocument::fromJson(r.out.toUtf8())
                .object()
                .value(QStringLiteral("running_in"))
                .toString()
                .contains(QStringLiteral("pid ")));

    // cancel: queued → cancelled in the store; running elsewhere → a CANCEL request for that process.
    r = runCli({"jobs", "cancel", QString::number(queued), "--workspace", root});
    QCOMPARE(r.code, 0);
    QCOMPARE(jobs.job(queued).status, JobStatus::Cancelled);
    r = runCli({"jobs", "cancel", QString::number(elsewhere), "--workspace", root, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("status")).toString(),
             QStringLiteral("cancel_requested"));
    QVERIFY(cancelRequested(out("elsewhere")));
    QCOMPARE(jobs.job(elsewhere).status, JobStatus::Running);  // that process records the end itself
    std::atomic_bool flag{false};
    {
      CancelFileWatch watch(out("elsewhere"), flag, std::chrono::milliseconds(5));
      QTRY_VERIFY_WITH_TIMEOUT(flag.load(), 5000);
    }
    r = runCli({"jobs", "cancel", QString::number(done), "--workspace", root});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("job=%1 is succeeded already; there is nothing to cancel").arg(done)),
             qPrintable(r.err));

    // resume: runs here, headless, through the default job function (a fake in this test) with resume set.
    FakeJobs fakes;
    setDefaultJobFunction(fakes.function());
    r = runCli({"jobs", "resume", QString::number(failed), "--workspace", root});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("step 10/10")), qPrintable(r.out));
    QCOMPARE(jobs.job(failed).status, JobStatus::Succeeded);
    QVERIFY(jobs.job(failed).error.isEmpty());
    QCOMPARE(fakes.resumeFlags(failed), QList<bool>{true});
    r = runCli(
        {"jobs", "resume", QString::number(orphan), "--workspace", root, "--json"});  // left running: interrupted first
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
    r = runCli({"jobs", "resume", QString::number(elsewhere), "--workspace", root});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("is running in another process")), qPrintable(r.err));
    r = runCli({"jobs", "resume", QString::number(done), "--workspace", root});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("is succeeded; only failed, cancelled or interrupted jobs can be resumed")),
             qPrintable(r.err));
    setDefaultJobFunction({});
  }

  void jobsCliErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("no sub-command") << QStringList{"jobs"} << 2 << QStringLiteral("jobs=(none) is not a sub-command");
    QTest::addRow("bad sub-command") << QStringList{"jobs", "kill", "1"} << 2
                                     << QStringLiteral("jobs=kill is not a sub-command");
    QTest::addRow("show without id") << QStringList{"jobs", "show"} << 2 << QStringLiteral("expected one job ID");
    QTest::addRow("id not a number") << QStringList{"jobs", "cancel", "x"} << 2
                                     << QStringLiteral("ID=x must be a job id");
    QTest::addRow("bad status") << QStringList{"jobs", "list", "--status", "done"} << 2
                                << QStringLiteral("--status=done is not a job status");
    QTest::addRow("no such job") << QStringList{"jobs", "show", "99"} << 1 << QStringLiteral("job=99 does not exist");
    QTest::addRow("no workspace") << QStringList{"jobs", "list", "--workspace", "/nonexistent/ws"} << 1
                                  << QStringLiteral("/nonexistent/ws");
  }
  void jobsCliErrors() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    if (args.size() > 1 && !args.contains(QStringLiteral("--workspace"))) {
      static const Workspace ws = freshWorkspace();
      args << QStringLiteral("--workspace") << ws.root();
    }
    const CliResult r = runCli(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }

  // A job run by another process (this test binary started again as a child, holding the job's lock) stops
  // within a step of `distillery-cli jobs cancel` (the CANCEL file is polled 4 times a second) and records itself
  // cancelled, with who asked.
  void crossProcessCancel() {
    const Workspace ws = freshWorkspace();
    const JobStore jobs(ws.store());
    JobSpec s = loraSpec(tmp_.filePath(QStringLiteral("xproc-out")));
    s.train.maxSteps = 1000000;
    s.train.seqLen = 1000;  // 1 ms per step: would run for ~17 minutes
    const qint64 id = jobs.create(s);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISTILLERY_TEST_CHILD_JOB"),
               ws.store().path() + QLatin1Char('\n') + QString::number(id));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(JobLock::isHeld(s.output) && jobs.job(id).status == JobStatus::Running, 20000);
    // This process sees the child's lock as a live one: start-up marking leaves the job alone.
    QVERIFY(markInterruptedJobs(ws.store()).isEmpty());

    QElapsedTimer t;
    t.start();
    const CliResult r = runCli({"jobs", "cancel", QString::number(id), "--workspace", ws.root()});
    QCOMPARE(r.code, 0);
    QVERIFY(child.waitForFinished(20000));
    const qint64 ms = t.elapsed();
    qInfo("the other process stopped %lld ms after jobs cancel", ms);
    QCOMPARE(child.exitCode(), 0);
    const JobRow row = jobs.job(id);
    QCOMPARE(row.status, JobStatus::Cancelled);
    QVERIFY2(
        row.error.startsWith(
            QStringLiteral("cancelled by distillery-cli jobs cancel (pid %1)").arg(QCoreApplication::applicationPid())),
        qPrintable(row.error));
    QVERIFY(!JobLock::isHeld(s.output));
  }
};

// The child process of crossProcessCancel: runs the job "<db path>\n<id>" through executeJob with a fake
// 1 ms-per-step loop, as a `distillery-cli train` in another terminal would.
static int runChildJob(const QString& what) {
  const Store store = Store::open(what.section(QLatin1Char('\n'), 0, 0));
  const qint64 id = what.section(QLatin1Char('\n'), 1).toLongLong();
  const JobSpec spec = JobSpec::fromJson(JobStore(store).job(id).config, QStringLiteral("child"));
  FakeJobs fakes;
  TrainControl control;
  const JobOutcome o = executeJob(store, id, spec, false, control, nullptr, fakes.function());
  return o.status == JobStatus::Cancelled ? 0 : 3;
}

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const QString child = qEnvironmentVariable("DISTILLERY_TEST_CHILD_JOB");
  if (!child.isEmpty()) return runChildJob(child);
  TestJobsRunner test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "tst_jobs_runner.moc"
