// Data-parallel training (core/dist/): two Gloo ranks started by `distillery-cli train --nproc 2`, each with batch b,
// must train as one process with batch 2b (LoRA, full fine-tuning, distillation): the same per-step losses, gradient
// norms and token counts, and the same final weights. The reference is that single-process run of the same CLI on
// the same data and seed.
//
// Tolerance: the two runs add the same float32 terms in a different order (each rank's token-weighted mean, then
// the all-reduce sum, against one mean over all rows), so values agree to float32 rounding: 1e-5 relative on
// losses and norms (measured ≤ 5e-7; the KD term, a KL of nearly equal distributions, ≤ 4.4e-6), 1e-5 of the
// tensor's largest magnitude on weights (measured ≤ 3e-6).
// Anything above is a bug (a wrong loss normalisation shows up at 1e-2 and more).
//
// The jobs use AdamW eps 1e-3 instead of 1e-8. With 1e-8 the first steps move each weight by about lr·g/|g|, so a
// weight whose gradient is within float32 rounding of zero gets an update anywhere in ±lr from any reordering of
// the sums: two single-process runs that are mathematically identical (batch 4 × grad_accum 2 against batch 2 ×
// grad_accum 4) then differ by 9.5e-5 of the largest LoRA weight, as much as 2 ranks do (1.3e-4). With eps 1e-3
// the update of such weights is linear in the gradient and the same two single-process runs agree to 1.4e-6, the
// 2-rank run to 1.35e-6: the comparison then measures the gradients, not AdamW's sign noise.
#include "Fixtures.h"
#include "checkpoint/Safetensors.h"
#include "dist/Launcher.h"
#include "dist/ProcessGroup.h"
#include "common/Error.h"

#include <torch/torch.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <cmath>
#include <csignal>

using namespace distillery;

namespace {

struct Run {
  int code = -1;
  QString out, err;
};

QString cliPath() { return QCoreApplication::applicationDirPath() + QStringLiteral("/distillery-cli"); }

// distillery-cli ARGS (a separate process: the launcher starts its workers from its own executable).
Run cli(const QStringList& args, int timeoutMs = 600000) {
  QProcess p;
  p.start(cliPath(), args);
  Run r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    r.err = QStringLiteral("timed out\n");
  }
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err += QString::fromUtf8(p.readAllStandardError());
  return r;
}

// A small float32 job on the tiny-llama fixture: `steps` optimizer steps, a loss logged at every one, clipping on.
QString writeJob(const QString& dir, const QString& name, const QString& kind, int batch, int accum, int steps) {
  QJsonObject train{{"max_steps", steps},     {"batch_size", batch}, {"grad_accum", accum},   {"seq_len", 64},
                    {"lr", kind == QLatin1String("lora") ? 0.02 : 0.01}, {"warmup_steps", 0},
                    {"scheduler", "constant"}, {"eval_every", 0},     {"save_every", 0},      {"log_every", 1},
                    {"seed", 7},               {"max_grad_norm", 1.0}, {"dtype", "float32"},
                    {"eps", 1e-3}};
  QJsonObject job{{"kind", kind},
                  {"output", QString(dir + "/" + name)},
                  {"device", "cpu"},
                  {"student", fixture("tiny-llama")},
                  {"data", QJsonObject{{"train", QString(testDataDir() + "/jobs/alpaca.jsonl")}, {"format", "alpaca"}}},
                  {"train", train}};
  if (kind == QLatin1String("distill")) {
    // tiny-qwen2 teaches itself (as in tst_jobs_tasks), each rank running the teacher on its own rows. Logit KD
    // and CE are token means, so the ranks' token-weighted sum is the single-process loss; feature alignment (a
    // mean over positions, not label tokens) is left off.
    train.insert("seq_len", 32);
    train.insert("lr", 0.005);
    job.insert("train", train);
    job.insert("teacher", fixture("tiny-qwen2"));
    job.insert("student", fixture("tiny-qwen2"));
    job.insert("data", QJsonObject{{"train", QString(testDataDir() + "/jobs/text.jsonl")}, {"format", "text"}});
    job.insert("kd", QJsonObject{{"temperature", 2.0}, {"alpha", 0.5}, {"chunk_tokens", 48}});
  }
  if (kind == QLatin1String("lora"))
    job.insert("lora", QJsonObject{{"r", 8}, {"alpha", 16}, {"dropout", 0.0},
                                   {"target_modules", QJsonArray{"q_proj", "v_proj"}}});
  const QString path = dir + "/" + name + ".json";
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(QJsonDocument(job).toJson());
  return path;
}

std::vector<QJsonObject> metrics(const QString& output) {
  QFile f(output + "/metrics.jsonl");
  std::vector<QJsonObject> rows;
  if (!f.open(QIODevice::ReadOnly)) return rows;
  for (const QByteArray& line : f.readAll().split('\n')) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.contains("loss")) rows.push_back(o);
  }
  return rows;
}

double relative(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-12); }

// Training tests need Gloo; a build without it still runs the launcher and error-message tests.
#define SKIP_WITHOUT_GLOO()                                                   \
  do {                                                                        \
    QString why;                                                              \
    if (!processGroupAvailable(torch::kCPU, &why)) QSKIP(qPrintable(why));    \
  } while (false)

}  // namespace

class TestTrainDist : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    QVERIFY2(QFileInfo::exists(fixture("tiny-llama/model.safetensors")), qPrintable(fixturesDir()));
  }

  // Two ranks with batch b equal one process with batch 2b (and the same grad_accum).
  void twoRanksEqualDoubledBatch_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("accum");
    QTest::addColumn<QString>("weights");  // the output file compared
    QTest::addRow("lora") << "lora" << 1 << "adapter_model.safetensors";
    QTest::addRow("lora grad_accum 2") << "lora" << 2 << "adapter_model.safetensors";
    QTest::addRow("full_ft") << "full_ft" << 1 << "model.safetensors";
    QTest::addRow("distill") << "distill" << 1 << "model.safetensors";
  }
  void twoRanksEqualDoubledBatch() {
    QFETCH(QString, kind);
    QFETCH(int, accum);
    QFETCH(QString, weights);
    SKIP_WITHOUT_GLOO();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int steps = 3;
    const QString single = writeJob(dir.path(), "single", kind, 4, accum, steps);
    const QString ranks = writeJob(dir.path(), "ranks", kind, 2, accum, steps);

    const Run one = cli({"--threads", "1", "train", single});
    QVERIFY2(one.code == 0, qPrintable(one.err));
    const Run two = cli({"train", ranks, "--nproc", "2"});
    QVERIFY2(two.code == 0, qPrintable(two.err));
    QVERIFY2(two.err.contains("[rank 0] step 3/3"), qPrintable(two.err));

    const std::vector<QJsonObject> a = metrics(dir.path() + "/single"), b = metrics(dir.path() + "/ranks");
    QCOMPARE(int(a.size()), steps);
    QCOMPARE(int(b.size()), steps);
    for (int i = 0; i < steps; ++i) {
      QCOMPARE(b[i].value("step").toInt(), i + 1);
      QCOMPARE(b[i].value("tokens").toInteger(), a[i].value("tokens").toInteger());  // the global batch's tokens
      const bool kd = kind == QLatin1String("distill");
      for (const char* key : {"loss", "loss_ce", "grad_norm", kd ? "loss_kd" : "loss"}) {
        const double x = b[i].value(key).toDouble(), y = a[i].value(key).toDouble();
        // KD is exactly 0 at step 1 (the student is its teacher), positive once it has moved.
        QVERIFY2(std::isfinite(y) && (y > 0 || (kd && i == 0)), key);
        const double err = relative(x, y);
        qInfo("step %d %s: single %.9g, 2 ranks %.9g, relative difference %.2e", i + 1, key, y, x, err);
        QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("step %1 %2: %3 vs %4").arg(i + 1).arg(key).arg(x).arg(y)));
      }
    }
    // full_ft clips (norm above max_grad_norm 1), so clipping after the sum is covered; LoRA's norms stay below.
    bool clipped = false;
    for (const QJsonObject& m : a) clipped = clipped || m.value("grad_norm").toDouble() > 1.0;
    if (kind == QLatin1String("full_ft")) QVERIFY2(clipped, "full_ft's first steps have gradient norms above 1");

    const SafetensorsFile wa(dir.path() + "/single/" + weights), wb(dir.path() + "/ranks/" + weights);
    QCOMPARE(wb.tensors().size(), wa.tensors().size());
    double worst = 0;
    for (const TensorInfo& info : wa.tensors()) {
      const at::Tensor x = wa.tensor(info.name).to(torch::kFloat64), y = wb.tensor(info.name).to(torch::kFloat64);
      QCOMPARE(y.sizes().vec(), x.sizes().vec());
      const double scale = std::max(x.abs().max().item<double>(), 1e-12);
      const double err = (x - y).abs().max().item<double>() / scale;
      worst = std::max(worst, err);
      QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("%1: max difference %2 of its largest magnitude")
                                          .arg(QString::fromStdString(info.name))
                                          .arg(err)));
    }
    qInfo("final weights (%s): worst relative difference %.2e", qPrintable(weights), worst);
    // The weights moved: equal outputs of an untrained model would prove nothing.
    const SafetensorsFile base(fixture("tiny-llama/model.safetensors"));
    if (kind == QLatin1String("full_ft")) {
      const std::string name = "model.layers.0.self_attn.q_proj.weight";
      QVERIFY((wa.tensor(name) - base.tensor(name)).abs().max().item<double>() > 1e-4);
    }
    // Only rank 0 wrote: one state.json, one metrics file, the checkpoint of the last step.
    QVERIFY(QFileInfo::exists(dir.path() + "/ranks/state.json"));
    QVERIFY(QFileInfo::exists(dir.path() + "/ranks/checkpoints/step-000003/state.json"));
  }

  // Ctrl-C reaches the launcher alone: it forwards it, both ranks stop after the same step, rank 0 checkpoints
  // it, the launcher exits 130; --resume with the same --nproc finishes the run from there.
  void cancelAndResume() {
    SKIP_WITHOUT_GLOO();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int steps = 40;
    const QString job = writeJob(dir.path(), "run", "lora", 2, 1, steps);
    QProcess launcher;
    launcher.start(cliPath(), {"train", job, "--nproc", "2"});
    QVERIFY(launcher.waitForStarted());
    QString err;
    QElapsedTimer clock;
    clock.start();
    while (!err.contains("[rank 0] step 2/") && clock.elapsed() < 300000 && launcher.state() == QProcess::Running) {
      launcher.waitForReadyRead(100);
      err += QString::fromUtf8(launcher.readAllStandardError());
    }
    QVERIFY2(err.contains("[rank 0] step 2/"), qPrintable(err));
    ::kill(pid_t(launcher.processId()), SIGINT);
    QVERIFY(launcher.waitForFinished(120000));
    err += QString::fromUtf8(launcher.readAllStandardError());
    QCOMPARE(launcher.exitCode(), 130);
    const QString out = dir.path() + "/run";
    QFile stateFile(out + "/state.json");
    QVERIFY(stateFile.open(QIODevice::ReadOnly));
    const QJsonObject state = QJsonDocument::fromJson(stateFile.readAll()).object();
    QCOMPARE(state.value("status").toString(), QStringLiteral("cancelled"));
    const int stopped = state.value("steps").toInt();
    QVERIFY2(stopped >= 2 && stopped < steps, qPrintable(QString::number(stopped)));
    const QString checkpoint = QStringLiteral("/checkpoints/step-%1/state.json").arg(stopped, 6, 10, QLatin1Char('0'));
    QVERIFY2(QFileInfo::exists(out + checkpoint), qPrintable(checkpoint));
    QCOMPARE(int(metrics(out).size()), stopped);

    const Run resumed = cli({"train", job, "--nproc", "2", "--resume"});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    const std::vector<QJsonObject> rows = metrics(out);
    QCOMPARE(int(rows.size()), steps);
    for (int i = 0; i < steps; ++i) QCOMPARE(rows[size_t(i)].value("step").toInt(), i + 1);
    QVERIFY(QFileInfo::exists(out + "/adapter_model.safetensors"));
  }

  // Several machines: two launchers (--nnodes 2, one rank each) meet through node 0's TCPStore, here on loopback.
  void twoNodesOverTcp() {
    SKIP_WITHOUT_GLOO();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString job = writeJob(dir.path(), "nodes", "lora", 2, 1, 2);
    // A port of its own per test process (CI may run other tests at once).
    const QString master = QStringLiteral("127.0.0.1:%1").arg(30000 + QCoreApplication::applicationPid() % 20000);
    QProcess node1;
    node1.start(cliPath(), {"train", job, "--nproc", "1", "--nnodes", "2", "--node-rank", "1", "--master", master});
    QVERIFY(node1.waitForStarted());
    const Run node0 = cli({"train", job, "--nproc", "1", "--nnodes", "2", "--node-rank", "0", "--master", master});
    QVERIFY(node1.waitForFinished(300000));
    QVERIFY2(node0.code == 0, qPrintable(node0.err));
    QVERIFY2(node1.exitCode() == 0, node1.readAllStandardError().constData());
    const std::vector<QJsonObject> rows = metrics(dir.path() + "/nodes");
    QCOMPARE(int(rows.size()), 2);
    QCOMPARE(rows.back().value("step").toInt(), 2);
    QVERIFY(node0.out.contains("status: finished"));
  }

  // A rank that fails stops the others and the launcher fails with its error (here: the job's data file is
  // missing, which every rank reports; the launcher names the first to exit).
  void failingRankFailsTheLaunch() {
    SKIP_WITHOUT_GLOO();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString job = writeJob(dir.path(), "bad", "lora", 2, 1, 2);
    QFile f(job);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    QJsonObject data = o.value("data").toObject();
    data.insert("train", QString(dir.path() + "/missing.jsonl"));
    o.insert("data", data);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(o).toJson());
    f.close();
    const Run r = cli({"train", job, "--nproc", "2"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QRegularExpression("distillery-cli: rank [01] exited with code 1: .*missing\\.jsonl")),
             qPrintable(r.err));
  }

  // One rank failing while the other would run on: the launcher stops it at once and reports the failing rank.
  void launcherStopsTheOthers() {
    LaunchOptions o;
    o.program = QStringLiteral("/bin/sh");
    o.arguments = QStringList{"-c", "if [ \"$DISTILLERY_RANK\" = 1 ]; then echo \"rank one broke\" >&2; exit 3; fi; "
                                    "echo \"waiting in rank $DISTILLERY_RANK of $DISTILLERY_WORLD_SIZE\" >&2; "
                                    "exec sleep 60"};
    o.nproc = 2;
    std::atomic_bool interrupt{false};
    QString text;
    QTextStream err(&text);
    QElapsedTimer clock;
    clock.start();
    const LaunchResult r = launchWorkers(o, interrupt, err);
    QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.error, QStringLiteral("rank 1 exited with code 3: rank one broke"));
    QVERIFY2(text.contains("[rank 0] waiting in rank 0 of 2"), qPrintable(text));
    QVERIFY2(text.contains("[rank 1] rank one broke"), qPrintable(text));
  }

  void launchOptionErrors_data() {
    QTest::addColumn<int>("nproc");
    QTest::addColumn<int>("nnodes");
    QTest::addColumn<int>("nodeRank");
    QTest::addColumn<QString>("master");
    QTest::addColumn<QString>("message");
    QTest::addRow("no workers") << 0 << 1 << 0 << "" << "--nproc=0 must be between 1 and 1024";
    QTest::addRow("node rank") << 2 << 2 << 2 << "h:29500" << "--node-rank=2 must be between 0 and --nnodes - 1 (1)";
    QTest::addRow("no master") << 2 << 2 << 0 << ""
                               << "--master is required with --nnodes > 1";
    QTest::addRow("no port") << 2 << 2 << 1 << "host" << "--master=host must be HOST:PORT";
  }
  void launchOptionErrors() {
    QFETCH(int, nproc);
    QFETCH(int, nnodes);
    QFETCH(int, nodeRank);
    QFETCH(QString, master);
    QFETCH(QString, message);
    LaunchOptions o;
    o.nproc = nproc;
    o.nnodes = nnodes;
    o.nodeRank = nodeRank;
    o.master = master;
    try {
      checkLaunchOptions(o);
      QFAIL("accepted");
    } catch (const Error& e) {
      QVERIFY2(e.message().startsWith(message), qPrintable(e.message()));
    }
  }

  // A build without a backend says which part is missing instead of training alone.
  void missingBackendIsNamed() {
    QString cpuWhy;
    if (!processGroupAvailable(torch::kCPU, &cpuWhy))  // a build without gloo/c10d headers names what was missing
      QVERIFY2(cpuWhy.startsWith("built without c10d: ") && cpuWhy.contains(" not found"), qPrintable(cpuWhy));
    else
      QVERIFY(cpuWhy.isEmpty());
    QString why;
    const bool nccl = processGroupAvailable(torch::Device(torch::kCUDA, 0), &why);
    if (nccl) QSKIP("this build has NCCL");
    QCOMPARE(why, QStringLiteral("built without c10d's NCCL backend (ProcessGroupNCCL.hpp of a CUDA LibTorch), needed "
                                 "for ranks on CUDA"));
    RankEnv env;
    env.worldSize = 2;
    env.store = QStringLiteral("file:/nonexistent/store");
    try {
      connectProcessGroup(env, torch::Device(torch::kCUDA, 0));
      QFAIL("connected without NCCL");
    } catch (const Error& e) {
      QCOMPARE(e.message(), QString(QStringLiteral("--nproc ") + why));
    }
  }
};

QTEST_GUILESS_MAIN(TestTrainDist)
#include "tst_train_dist.moc"
