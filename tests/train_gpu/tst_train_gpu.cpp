// One bf16-autocast LoRA step and one KD step on CUDA through runJob, each beside the same step on the CPU in
// float32: the CUDA loss must be finite and within bf16 rounding of the CPU's. Skipped without CUDA.
#include "jobs/RunJob.h"
#include "model/StudentInit.h"
#include "train/JobSpec.h"

#include "Fixtures.h"

#include <torch/torch.h>

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>

using namespace distillery;

namespace {

// The first logged step's loss in output/metrics.jsonl.
double firstLoss(const QString& out) {
  QFile f(out + QStringLiteral("/metrics.jsonl"));
  if (!f.open(QIODevice::ReadOnly)) return std::nan("");
  return QJsonDocument::fromJson(f.readLine()).object().value(QStringLiteral("loss")).toDouble(std::nan(""));
}

QJsonObject job(const QString& kind, const QString& student, const QString& out, const QString& device) {
  QJsonObject j{{"kind", kind},
                {"student", student},
                {"output", out},
                {"device", device},
                {"train", QJsonObject{{"max_steps", 1},
                                      {"batch_size", 4},
                                      {"seq_len", 64},
                                      {"lr", 1e-3},
                                      {"warmup_steps", 0},
                                      {"eval_every", 0},
                                      {"save_every", 0},
                                      {"seed", 0}}}};
  if (kind == QLatin1String("lora")) {
    j.insert("data", QJsonObject{{"train", QString(testDataDir() + "/jobs/alpaca.jsonl")}, {"format", "alpaca"}});
    j.insert("lora",
             QJsonObject{{"r", 8}, {"alpha", 16}, {"dropout", 0.0}, {"target_modules", QJsonArray{"all-linear"}}});
  } else {
    j.insert("teacher", fixture("tiny-qwen2"));
    j.insert("data", QJsonObject{{"train", QString(testDataDir() + "/jobs/text.jsonl")}, {"format", "text"}});
    j.insert("kd", QJsonObject{{"temperature", 2.0}, {"alpha", 0.5}, {"chunk_tokens", 64}});
  }
  return j;
}

}  // namespace

class TestTrainGpu : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device (or a LibTorch without CUDA)");
  }

  void oneStep_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("lora bf16 autocast") << QStringLiteral("lora");
    QTest::newRow("distill bf16 autocast") << QStringLiteral("distill");
  }

  void oneStep() {
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QString student = fixture("tiny-llama");
    if (kind == QLatin1String("distill")) {
      student = dir.filePath("student");
      StudentSpec s;
      s.layers = 2;
      initStudent(fixture("tiny-qwen2"), student, s);
    }
    double losses[2] = {0, 0};
    const QString devices[2] = {QStringLiteral("cpu"), QStringLiteral("cuda:0")};
    for (int i = 0; i < 2; ++i) {
      const QString out = dir.filePath(devices[i]);
      JobContext ctx;
      const TrainResult r = runJob(JobSpec::fromJson(job(kind, student, out, devices[i]), "job.json"), ctx);
      QVERIFY2(r.status == TrainStatus::Finished, qPrintable(devices[i] + ": " + r.error));
      losses[i] = firstLoss(out);
      qInfo("%s on %s: loss %.6f", qPrintable(kind), qPrintable(devices[i]), losses[i]);
      QVERIFY(std::isfinite(losses[i]));
    }
    // bf16 autocast against float32: a relative gap of a few bf16 epsilons (2^-8) on a mean loss.
    const double gap = std::abs(losses[1] - losses[0]) / std::abs(losses[0]);
    QVERIFY2(gap < 2e-2, qPrintable(QStringLiteral("CUDA %1 vs CPU %2").arg(losses[1]).arg(losses[0])));
  }
};

QTEST_GUILESS_MAIN(TestTrainGpu)
#include "tst_train_gpu.moc"
