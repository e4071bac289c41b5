// The training loop on a toy task: AdamW and the LR schedules against torch / transformers numbers, gradient
// accumulation equal to one big batch, bit-exact resume, crash-safe checkpoints, cancel/pause, NaN and OOM
// handling, early stopping and the metrics sinks.
#include "Fixtures.h"

#include "checkpoint/Safetensors.h"
#include "common/Error.h"
#include "jobs/JobStore.h"
#include "store/Store.h"
#include "train/AdamW.h"
#include "train/JsonlMetricsSink.h"
#include "train/LrSchedule.h"
#include "train/OutOfMemory.h"
#include "train/StoreMetricsSink.h"
#include "train/TrainCheckpoint.h"
#include "train/Trainer.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <cstring>
#include <random>
#include <set>
#include <thread>

using namespace distillery;

namespace {

constexpr int64_t kVocab = 24;
constexpr int64_t kSeq = 8;

// ------------------------------------------------------------------------------------------- toy task

// A tiny next-token model: embedding → dropout → scaled (a "norm" weight) → linear to the vocabulary; mean CE over
// the labelled positions. Failure injection: NaN loss or NaN gradient at chosen steps, OOM at a chosen step.
struct ScaleImpl : torch::nn::Module {
  ScaleImpl() { weight = register_parameter("weight", torch::ones({12})); }
  torch::Tensor weight;
};
TORCH_MODULE(Scale);

struct ToyNetImpl : torch::nn::Module {
  ToyNetImpl(double dropout, torch::Dtype dtype) {
    emb = register_module("emb", torch::nn::Embedding(kVocab, 12));
    norm = register_module("norm", Scale());
    proj = register_module("proj", torch::nn::Linear(12, kVocab));
    drop = register_module("drop", torch::nn::Dropout(dropout));
    to(dtype);
  }
  torch::Tensor forward(const torch::Tensor& ids) { return proj(drop(emb(ids)) * norm->weight); }
  torch::nn::Embedding emb{nullptr};
  Scale norm{nullptr};
  torch::nn::Linear proj{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(ToyNet);

class ToyTask : public TrainTask {
 public:
  explicit ToyTask(uint64_t initSeed, double dropout = 0.1, torch::Dtype dtype = torch::kFloat32) {
    torch::manual_seed(initSeed);
    net = ToyNet(dropout, dtype);
  }
  std::vector<NamedTensor> trainableParameters() override {
    std::vector<NamedTensor> out;
    for (const auto& item : net->named_parameters()) out.emplace_back(item.key(), item.value());
    return out;
  }
  LossParts loss(const Batch& b, int64_t step, int64_t) override {
    if (oomAtStep == step) TORCH_CHECK_WITH(OutOfMemoryError, false, "CUDA out of memory. Tried to allocate 2.00 GiB");
    net->train();
    LossParts p = ce(b);
    if (nanLossAt.count(step)) p.total = p.total * std::numeric_limits<double>::quiet_NaN();
    if (nanGradAt.count(step)) {
      // Finite forward (0), NaN backward: d/dx x^0.5 at 0 is inf, times the 0 factor.
      p.total = p.total + (net->norm->weight.sum() * 0).pow(0.5) * 0;
    }
    return p;
  }
  LossParts evaluate(const Batch& b) override {
    net->eval();
    LossParts p = ce(b);
    if (!scriptedValLosses.empty()) {
      p.total = torch::tensor(scriptedValLosses[std::min(evalCount, scriptedValLosses.size() - 1)], torch::kFloat64);
      ++evalCount;
    }
    return p;
  }
  void saveArtifacts(const QString& dir) override {
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& [name, p] : trainableParameters()) tensors.emplace_back(name, p.detach());
    writeSafetensors(dir + "/model.safetensors", tensors);
    ++artifactsSaved;
  }
  torch::Device device() const override { return torch::kCPU; }

  LossParts ce(const Batch& b) {
    const torch::Tensor logits = net->forward(b.inputIds);
    LossParts p;
    p.total = torch::nn::functional::cross_entropy(logits.reshape({-1, kVocab}), b.labels.reshape({-1}),
                                                   torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
    p.components["ce"] = p.total.item<double>();
    p.tokens = b.tokens;
    return p;
  }

  ToyNet net{nullptr};
  std::set<int64_t> nanLossAt, nanGradAt;
  int64_t oomAtStep = -1;
  std::vector<double> scriptedValLosses;  // evaluate() returns these in turn (then the last one)
  size_t evalCount = 0;
  int artifactsSaved = 0;
};

// A fixed set of sequences following a noisy rule (so the loss can fall), reshuffled each epoch with a seeded
// generator; batches are consecutive slices of the epoch's order, so batch size 4 equals two batches of 2.
// Some positions carry no label, a varying number per sequence, so micro-batches differ in token counts.
class ToySource : public BatchSource {
 public:
  ToySource(int64_t sequences, int64_t batchSize, uint64_t seed) : batch_(batchSize), seed_(seed) {
    std::mt19937_64 gen(99);
    for (int64_t s = 0; s < sequences; ++s) {
      std::vector<int64_t> ids(kSeq + 1);
      ids[0] = int64_t(gen() % kVocab);
      for (int64_t t = 1; t <= kSeq; ++t)
        ids[t] = gen() % 5 == 0 ? int64_t(gen() % kVocab) : (ids[t - 1] * 5 + 3) % kVocab;
      data_.push_back(ids);
    }
    shuffle();
  }
  Batch next() override {
    if (index_ >= batchesPerEpoch()) {
      ++epoch_;
      index_ = 0;
      shuffle();
    }
    std::vector<int64_t> rows(order_.begin() + index_ * batch_, order_.begin() + (index_ + 1) * batch_);
    ++index_;
    return make(rows);
  }
  std::vector<Batch> all() override {
    std::vector<Batch> out;
    for (int64_t i = 0; i + batch_ <= int64_t(data_.size()); i += batch_) {
      std::vector<int64_t> rows;
      for (int64_t r = i; r < i + batch_; ++r) rows.push_back(r);
      out.push_back(make(rows));
    }
    return out;
  }
  QJsonObject position() const override { return {{"epoch", qint64(epoch_)}, {"index", qint64(index_)}}; }
  void restore(const QJsonObject& p) override {
    epoch_ = p.value("epoch").toInteger();
    index_ = p.value("index").toInteger();
    shuffle();
  }
  int64_t batchesPerEpoch() const override { return int64_t(data_.size()) / batch_; }

 private:
  void shuffle() {
    order_.resize(data_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = int64_t(i);
    std::mt19937_64 gen(seed_ * 1000 + uint64_t(epoch_));
    std::shuffle(order_.begin(), order_.end(), gen);
  }
  Batch make(const std::vector<int64_t>& rows) const {
    Batch b;
    b.inputIds = torch::empty({int64_t(rows.size()), kSeq}, torch::kInt64);
    b.labels = torch::empty({int64_t(rows.size()), kSeq}, torch::kInt64);
    for (size_t r = 0; r < rows.size(); ++r) {
      const std::vector<int64_t>& ids = data_[size_t(rows[r])];
      const int64_t unlabelled = rows[r] % 4;  // the first 0..3 positions carry no loss (a "prompt")
      for (int64_t t = 0; t < kSeq; ++t) {
        b.inputIds[int64_t(r)][t] = ids[size_t(t)];
        b.labels[int64_t(r)][t] = t < unlabelled ? -100 : ids[size_t(t + 1)];
      }
    }
    b.tokens = (b.labels != -100).sum().item<int64_t>();
    return b;
  }
  int64_t batch_;
  uint64_t seed_;
  int64_t epoch_ = 0, index_ = 0;
  std::vector<std::vector<int64_t>> data_;
  std::vector<int64_t> order_;
};

// Records everything; optional actions at a step (cancel, pause).
class RecordingSink : public MetricsSink {
 public:
  void stepMetrics(const StepMetrics& m) override {
    steps.push_back(m);
    if (onStep) onStep(m);
  }
  void validationMetrics(const ValidationMetrics& m) override { validations.push_back(m); }
  void checkpointWritten(int64_t step, const QString& dir) override { checkpoints.emplace_back(step, dir); }
  void message(const QString& text) override { messages << text; }
  void resumed(int64_t step) override { resumedAt.push_back(step); }
  std::vector<StepMetrics> steps;
  std::vector<ValidationMetrics> validations;
  std::vector<std::pair<int64_t, QString>> checkpoints;
  QStringList messages;
  std::vector<int64_t> resumedAt;
  std::function<void(const StepMetrics&)> onStep;
  std::atomic<int> stepCount{0};
};

TrainerOptions toyOptions(const QString& output, int64_t steps) {
  TrainerOptions o;
  o.outputDir = output;
  o.train.maxSteps = steps;
  o.train.batchSize = 4;
  o.train.seqLen = kSeq;
  o.train.lr = 3e-2;
  o.train.warmupSteps = 2;
  o.train.scheduler = "cosine";
  o.train.weightDecay = 0.01;
  o.train.maxGradNorm = 1.0;
  o.train.seed = 7;
  o.train.evalEvery = 0;
  o.train.saveEvery = 0;
  return o;
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

torch::Tensor tensorOf(const QJsonValue& v, torch::Dtype dtype = torch::kFloat32) {
  std::vector<double> flat;
  std::vector<int64_t> shape;
  std::function<void(const QJsonValue&, size_t)> walk = [&](const QJsonValue& x, size_t depth) {
    if (x.isArray()) {
      const QJsonArray a = x.toArray();
      if (shape.size() <= depth) shape.push_back(a.size());
      for (const QJsonValue& e : a) walk(e, depth + 1);
    } else {
      flat.push_back(x.toDouble());
    }
  };
  walk(v, 0);
  return torch::tensor(flat, torch::kFloat64).reshape(shape).to(dtype);
}

double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a.to(torch::kFloat64) - b.to(torch::kFloat64)).norm() / b.to(torch::kFloat64).norm().clamp_min(1e-30))
      .item<double>();
}

bool bitEqual(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

class TstTrainer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }  // deterministic reductions, and the CI machine has 2 cores

  // ----------------------------------------------------------------------------------------- AdamW
  void adamwMatchesTorch_data() {
    QTest::addColumn<int>("caseIndex");
    QTest::newRow("wd 0.1, betas 0.9/0.999, eps 1e-8") << 0;
    QTest::newRow("wd 0, betas 0.8/0.95, eps 1e-6") << 1;
  }
  void adamwMatchesTorch() {
    QFETCH(int, caseIndex);
    const QJsonObject root = readJson(testDataDir() + "/train/adamw.json");
    const QJsonObject c = root["cases"].toArray().at(caseIndex).toObject();
    QVERIFY(!c.isEmpty());
    const QStringList names{"w", "b", "norm.weight"};
    std::vector<NamedTensor> params;
    std::vector<bool> noDecay;
    for (const QString& n : names) {
      params.emplace_back(n.toStdString(), tensorOf(c["init"].toObject()[n]).requires_grad_(true));
      noDecay.push_back(!c["decay"].toObject()[n].toBool());
    }
    AdamW opt(
        params, noDecay,
        AdamWOptions{c["beta1"].toDouble(), c["beta2"].toDouble(), c["eps"].toDouble(), c["weight_decay"].toDouble()});
    const double tol = 1e-6;  // relative, float32 against torch.optim.AdamW in float32
    int stepIndex = 0;
    for (const QJsonValue& sv : c["steps"].toArray()) {
      const QJsonObject s = sv.toObject();
      for (size_t i = 0; i < params.size(); ++i)
        params[i].second.mutable_grad() = tensorOf(s["grads"].toObject()[names[int(i)]]);
      opt.step(s["lr"].toDouble());
      for (size_t i = 0; i < params.size(); ++i) {
        const double err = relErr(params[i].second.detach(), tensorOf(s["params"].toObject()[names[int(i)]]));
        QVERIFY2(err < tol, qPrintable(QString("step %1 %2: rel err %3").arg(stepIndex).arg(names[int(i)]).arg(err)));
      }
      ++stepIndex;
    }
    // The state a checkpoint saves equals torch's, and loads back into a fresh optimizer unchanged.
    std::map<std::string, at::Tensor> state;
    for (const auto& [k, v] : opt.state()) state[k] = v;
    for (const QString& n : names) {
      const QJsonObject ref = c["state"].toObject()[n].toObject();
      QVERIFY(relErr(state.at(n.toStdString() + ".exp_avg"), tensorOf(ref["exp_avg"])) < tol);
      QVERIFY(relErr(state.at(n.toStdString() + ".exp_avg_sq"), tensorOf(ref["exp_avg_sq"])) < tol);
      QCOMPARE(state.at(n.toStdString() + ".step").item<int64_t>(), int64_t(ref["step"].toInt()));
    }
    AdamW again(params, noDecay, AdamWOptions{});
    again.loadState(state, "test");
    for (const auto& [k, v] : again.state()) QVERIFY(torch::equal(v, state.at(k)));
  }

  void adamwRefusesBadState() {
    std::vector<NamedTensor> params{{"w", torch::zeros({2, 3}, torch::requires_grad())}};
    AdamW opt(params, {false}, AdamWOptions{});
    std::map<std::string, at::Tensor> state{{"w.exp_avg", torch::zeros({3, 2})},
                                            {"w.exp_avg_sq", torch::zeros({2, 3})},
                                            {"w.step", torch::full({1}, 3, torch::kInt64)}};
    try {
      opt.loadState(state, "opt.safetensors");
      QFAIL("a misshapen exp_avg was accepted");
    } catch (const FormatError& e) {
      QCOMPARE(e.path(), QString("opt.safetensors"));
      QCOMPARE(e.field(), QString("w.exp_avg"));
      QCOMPARE(e.value(), QString("[3, 2]"));
    }
    state.erase("w.exp_avg");
    QVERIFY_THROWS_EXCEPTION(FormatError, opt.loadState(state, "opt.safetensors"));
  }

  // ----------------------------------------------------------------------------------------- LR schedules
  void lrScheduleMatchesTransformers_data() {
    QTest::addColumn<int>("caseIndex");
    const QJsonArray cases = readJson(testDataDir() + "/train/lr_schedules.json")["cases"].toArray();
    QVERIFY(!cases.isEmpty());
    for (int i = 0; i < cases.size(); ++i) {
      const QJsonObject c = cases[i].toObject();
      QTest::newRow(
          qPrintable(QString("%1 W%2 T%3").arg(c["kind"].toString()).arg(c["warmup"].toInt()).arg(c["total"].toInt())))
          << i;
    }
  }
  void lrScheduleMatchesTransformers() {
    QFETCH(int, caseIndex);
    const QJsonObject c = readJson(testDataDir() + "/train/lr_schedules.json")["cases"].toArray()[caseIndex].toObject();
    LrSchedule s{LrSchedule::parseKind(c["kind"].toString()), c["lr"].toDouble(), c["warmup"].toInteger(),
                 c["total"].toInteger()};
    const QJsonArray lrs = c["lrs"].toArray();
    for (int k = 0; k < lrs.size(); ++k) {
      const double ref = lrs[k].toDouble(), got = s.lr(k);
      QVERIFY2(std::abs(got - ref) <= 1e-12 * std::max(1e-12, std::abs(ref)) + 1e-18,
               qPrintable(QString("step %1: %2 vs %3").arg(k).arg(got, 0, 'g', 17).arg(ref, 0, 'g', 17)));
    }
  }

  void lrScheduleFormula() {
    // Hand-computed points: W = 10, T = 110, peak 1.
    const LrSchedule cosine{LrScheduleKind::Cosine, 1.0, 10, 110};
    QCOMPARE(cosine.lr(0), 0.0);
    QCOMPARE(cosine.lr(5), 0.5);
    QCOMPARE(cosine.lr(10), 1.0);
    QVERIFY(std::abs(cosine.lr(60) - 0.5) < 1e-15);                             // half way: cos(π/2)
    QVERIFY(std::abs(cosine.lr(35) - 0.5 * (1 + std::cos(M_PI / 4))) < 1e-15);  // a quarter
    QCOMPARE(cosine.lr(110), 0.0);
    const LrSchedule linear{LrScheduleKind::Linear, 2.0, 10, 110};
    QCOMPARE(linear.lr(60), 1.0);
    QCOMPARE(linear.lr(200), 0.0);
    const LrSchedule constant{LrScheduleKind::Constant, 3.0, 0, 5};
    QCOMPARE(constant.lr(0), 3.0);
    try {
      LrSchedule::parseKind("cosine_with_restarts", "job.json");
      QFAIL("an unknown scheduler was accepted");
    } catch (const FormatError& e) {
      QCOMPARE(e.field(), QString("train.scheduler"));
      QCOMPARE(e.value(), QString("cosine_with_restarts"));
    }
  }

  // ----------------------------------------------------------------------------------------- the loop
  void gradientAccumulationEqualsOneBigBatch() {
    // float64, no dropout: 2 micro-batches of 2 sequences per step give the parameters of 1 batch of 4 (token-
    // weighted: the micro-batches hold different numbers of labelled tokens). Clipping is active (max norm 0.5).
    QTemporaryDir dirA, dirB;
    ToyTask big(1, 0.0, torch::kFloat64), small(1, 0.0, torch::kFloat64);
    ToySource dataBig(16, 4, 3), dataSmall(16, 2, 3);
    TrainerOptions o = toyOptions(dirA.path(), 6);
    o.train.maxGradNorm = 0.5;
    RecordingSink sinkA, sinkB;
    TrainControl control;
    const TrainResult a = Trainer(big, dataBig, nullptr, o).run(control, sinkA);
    o.outputDir = dirB.path();
    o.train.batchSize = 2;
    o.train.gradAccum = 2;
    const TrainResult b = Trainer(small, dataSmall, nullptr, o).run(control, sinkB);
    QCOMPARE(trainStatusName(a.status), QString("finished"));
    QCOMPARE(trainStatusName(b.status), QString("finished"));
    const double tol = 1e-12;  // relative; float64 sums in a different order
    for (size_t i = 0; i < sinkA.steps.size(); ++i) {
      QVERIFY2(std::abs(sinkA.steps[i].loss - sinkB.steps[i].loss) < tol * sinkA.steps[i].loss,
               qPrintable(QString("step %1 loss %2 vs %3")
                              .arg(i + 1)
                              .arg(sinkA.steps[i].loss, 0, 'g', 17)
                              .arg(sinkB.steps[i].loss, 0, 'g', 17)));
      QVERIFY(std::abs(sinkA.steps[i].gradNorm - sinkB.steps[i].gradNorm) < tol * sinkA.steps[i].gradNorm);
    }
    QVERIFY(sinkA.steps.front().gradNorm > 0.5);  // clipping did act
    const auto pa = big.trainableParameters(), pb = small.trainableParameters();
    for (size_t i = 0; i < pa.size(); ++i) {
      const double err = relErr(pb[i].second.detach(), pa[i].second.detach());
      QVERIFY2(err < tol, qPrintable(QString("%1: rel err %2").arg(QString::fromStdString(pa[i].first)).arg(err)));
    }
    QCOMPARE(sinkB.steps.back().tokensSeen, sinkA.steps.back().tokensSeen);
  }

  void lossFallsAndMetricsAreComplete() {
    QTemporaryDir dir;
    ToyTask task(2);
    ToySource data(32, 4, 5), val(8, 4, 0);
    TrainerOptions o = toyOptions(dir.path(), 40);
    o.train.evalEvery = 10;
    o.train.logEvery = 2;
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, &val, o).run(control, sink);
    QCOMPARE(trainStatusName(r.status), QString("finished"));
    QCOMPARE(r.steps, int64_t(40));
    QCOMPARE(sink.steps.size(), size_t(20));  // every 2nd step
    QCOMPARE(sink.steps.back().step, int64_t(40));
    QVERIFY2(
        sink.validations.back().loss < 0.8 * sink.validations.front().loss,
        qPrintable(QString("val loss %1 → %2").arg(sink.validations.front().loss).arg(sink.validations.back().loss)));
    QCOMPARE(sink.validations.size(), size_t(4));
    const QJsonObject j = sink.steps[3].toJson();
    for (const char* key : {"step", "loss", "loss_ce", "lr", "grad_norm", "tokens_per_s", "eta_s", "epoch", "wall_s",
                            "tokens", "bad_steps"})
      QVERIFY2(j.contains(key), key);
    QVERIFY(!j.contains("gpu_mem"));  // CPU
    QCOMPARE(j["step"].toInteger(), qint64(8));
    QCOMPARE(j["epoch"].toDouble(), 1.0);  // 8 batches of 8 per epoch
    const LrSchedule s{LrScheduleKind::Cosine, o.train.lr, o.train.warmupSteps, 40};
    QCOMPARE(sink.steps[3].lr, s.lr(7));  // the lr step 8 used
    QVERIFY(sink.validations.front().toJson().contains("val_loss_ce"));
    QVERIFY(QFile::exists(dir.path() + "/model.safetensors"));  // the final artifacts
    QVERIFY(QFile::exists(dir.path() + "/best/model.safetensors"));
    QCOMPARE(r.bestCheckpoint, dir.path() + "/best");
  }

  void resumeIsBitExact() {
    // A: 10 uninterrupted steps. B: the same job cancelled after step 5 (checkpoint written). C: a fresh task
    // (other init) resuming B: steps 6..10 have A's losses bit for bit, dropout included, and A's parameters.
    QTemporaryDir dirA, dirB;
    TrainerOptions o = toyOptions(dirA.path(), 10);
    o.train.saveEvery = 5;
    o.train.evalEvery = 5;
    RecordingSink a;
    TrainControl control;
    ToyTask taskA(11);
    ToySource dataA(12, 4, 2), valA(8, 4, 0);
    QCOMPARE(Trainer(taskA, dataA, &valA, o).run(control, a).status, TrainStatus::Finished);

    o.outputDir = dirB.path();
    {
      ToyTask taskB(11);
      ToySource dataB(12, 4, 2), valB(8, 4, 0);
      RecordingSink b;
      TrainControl stop;
      JsonlMetricsSink jsonl(dirB.path() + "/metrics.jsonl");
      MultiMetricsSink both({&b, &jsonl});
      b.onStep = [&](const StepMetrics& m) {
        if (m.step == 7) stop.cancel = true;  // cancelled after step 7; the checkpoint of 5 stays the periodic one
      };
      const TrainResult r = Trainer(taskB, dataB, &valB, o).run(stop, both);
      QCOMPARE(r.status, TrainStatus::Cancelled);
      QCOMPARE(r.steps, int64_t(7));
    }
    // Simulate a crash after step 5: the cancel checkpoint (step 7) is gone, a half-written temp folder remains.
    QVERIFY(QDir(dirB.path() + "/checkpoints/step-000007").removeRecursively());
    QVERIFY(QDir().mkpath(dirB.path() + "/checkpoints/.tmp-step-000010-abcdef"));
    QFile junk(dirB.path() + "/checkpoints/.tmp-step-000010-abcdef/trainable.safetensors");
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("\x10\x00\x00", 3);
    junk.close();

    ToyTask taskC(999);
    ToySource dataC(12, 4, 2), valC(8, 4, 0);
    RecordingSink c;
    JsonlMetricsSink jsonl(dirB.path() + "/metrics.jsonl");
    MultiMetricsSink both({&c, &jsonl});
    o.resume = true;
    TrainControl control2;
    const TrainResult r = Trainer(taskC, dataC, &valC, o).run(control2, both);
    QCOMPARE(r.status, TrainStatus::Finished);
    QCOMPARE(c.resumedAt, std::vector<int64_t>{5});
    QVERIFY(!QFileInfo::exists(dirB.path() + "/checkpoints/.tmp-step-000010-abcdef"));
    QCOMPARE(c.steps.size(), size_t(5));
    for (size_t i = 0; i < 5; ++i) {
      QCOMPARE(c.steps[i].step, a.steps[i + 5].step);
      QVERIFY2(bitEqual(c.steps[i].loss, a.steps[i + 5].loss), qPrintable(QString("step %1: %2 vs %3")
                                                                              .arg(i + 6)
                                                                              .arg(c.steps[i].loss, 0, 'g', 17)
                                                                              .arg(a.steps[i + 5].loss, 0, 'g', 17)));
      QVERIFY(bitEqual(c.steps[i].gradNorm, a.steps[i + 5].gradNorm));
    }
    QVERIFY(bitEqual(c.validations.back().loss, a.validations.back().loss));
    const auto pa = taskA.trainableParameters(), pc = taskC.trainableParameters();
    for (size_t i = 0; i < pa.size(); ++i) QVERIFY(torch::equal(pa[i].second, pc[i].second));
    // metrics.jsonl: each step once (the lost run's 6 and 7 were dropped), plus the validations at 5 and 10.
    QFile f(dirB.path() + "/metrics.jsonl");
    QVERIFY(f.open(QIODevice::ReadOnly));
    std::vector<qint64> trainSteps;
    int valLines = 0;
    for (const QByteArray& line : f.readAll().split('\n')) {
      if (line.isEmpty()) continue;
      const QJsonObject j = QJsonDocument::fromJson(line).object();
      if (j.contains("val_loss"))
        ++valLines;
      else
        trainSteps.push_back(j["step"].toInteger());
    }
    QCOMPARE(trainSteps, (std::vector<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    QCOMPARE(valLines, 2);
  }

  void checkpointLayoutAndPruning() {
    QTemporaryDir dir;
    ToyTask task(3);
    ToySource data(12, 4, 1), val(4, 4, 0);  // one validation batch: one scripted loss per evaluation
    TrainerOptions o = toyOptions(dir.path(), 9);
    o.train.saveEvery = 2;
    o.train.evalEvery = 3;
    // Val losses at steps 3, 6, 9: the best is at 3 → but step 3 has no checkpoint; at 6 there is one.
    task.scriptedValLosses = {2.0, 1.0, 1.5};
    o.train.patience = 0;
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, &val, o).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Finished);
    const QList<CheckpointEntry> kept = listCheckpoints(dir.path() + "/checkpoints");
    QStringList names;
    for (const CheckpointEntry& e : kept) names << QFileInfo(e.dir).fileName();
    QCOMPARE(names, (QStringList{"step-000009", "step-000008", "step-000006"}));  // last 2 + the best (step 6)
    QCOMPARE(r.lastCheckpoint, dir.path() + "/checkpoints/step-000009");
    QCOMPARE(r.bestValLoss, 1.0);
    std::vector<int64_t> written;
    for (const auto& [step, d] : sink.checkpoints) written.push_back(step);
    QCOMPARE(written, (std::vector<int64_t>{2, 4, 6, 8, 9}));

    const LoadedCheckpoint c = readCheckpoint(dir.path() + "/checkpoints/step-000008");
    QCOMPARE(c.step, int64_t(8));
    std::set<std::string> keys;
    for (const auto& [k, v] : c.trainable) keys.insert(k);
    QCOMPARE(keys, (std::set<std::string>{"emb.weight", "norm.weight", "proj.bias", "proj.weight"}));
    QCOMPARE(c.optimizer.at("proj.weight.step").item<int64_t>(), int64_t(8));
    QVERIFY(c.optimizer.count("emb.weight.exp_avg_sq"));
    for (const char* key : {"position", "rng", "best_val_loss", "best_step", "bad_steps", "bad_steps_in_row", "extra",
                            "wall_time", "tokens_seen", "lr_schedule", "evals_above_best"})
      QVERIFY2(c.state.contains(key), key);
    QCOMPARE(c.state["position"].toObject()["epoch"].toInteger(), qint64(2));  // 8 steps of 3 batches per epoch
    QCOMPARE(c.state["best_step"].toInteger(), qint64(6));
    QVERIFY(!c.state["rng"].toObject()["cpu"].toString().isEmpty());
  }

  void failedCheckpointWriteKeepsThePrevious_data() {
    QTest::addColumn<bool>("failJob");
    QTest::newRow("report and go on") << false;
    QTest::newRow("fail the job") << true;
  }
  void failedCheckpointWriteKeepsThePrevious() {
    QFETCH(bool, failJob);
    QTemporaryDir dir;
    ToyTask task(4);
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 6);
    o.train.saveEvery = 2;
    o.failOnCheckpointError = failJob;
    int calls = 0;
    o.beforeCheckpointCommit = [&](const QString& tmp) {
      QVERIFY(QFile::exists(tmp + "/state.json"));
      if (++calls == 2) throw distillery::Error(tmp, {}, {}, "No space left on device (injected)");
    };
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, nullptr, o).run(control, sink);
    const QString root = dir.path() + "/checkpoints";
    QVERIFY(QDir(root).entryList({".tmp-*"}, QDir::Dirs | QDir::Hidden).isEmpty());  // no half-written folder
    if (failJob) {
      QCOMPARE(r.status, TrainStatus::Failed);
      QVERIFY2(r.error.contains("No space left on device"), qPrintable(r.error));
      QCOMPARE(r.steps, int64_t(4));
      QCOMPARE(listCheckpoints(root).size(), 1);
    } else {
      QCOMPARE(r.status, TrainStatus::Finished);
      QCOMPARE(r.steps, int64_t(6));
      const QString msg = sink.messages.filter("Checkpoint at step 4 failed").join("|");
      QVERIFY2(msg.contains("step-000002") && msg.contains("No space left"), qPrintable(sink.messages.join("\n")));
      QCOMPARE(listCheckpoints(root).size(), 2);  // 2 and 6
    }
    // The previous checkpoint is intact and loads.
    const LoadedCheckpoint c = readCheckpoint(root + "/step-000002");
    QCOMPARE(c.step, int64_t(2));
    QCOMPARE(c.trainable.size(), size_t(4));
  }

  void cancelTakesEffectWithinOneStep() {
    QTemporaryDir dir;
    ToyTask task(5);
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 50);
    RecordingSink sink;
    TrainControl control;
    sink.onStep = [&](const StepMetrics& m) {
      if (m.step == 3) control.cancel = true;
    };
    const TrainResult r = Trainer(task, data, nullptr, o).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Cancelled);
    QCOMPARE(r.steps, int64_t(3));
    QCOMPARE(sink.steps.size(), size_t(3));
    QCOMPARE(task.artifactsSaved, 0);                                     // a cancelled job writes no product...
    QCOMPARE(r.lastCheckpoint, dir.path() + "/checkpoints/step-000003");  // ...but a checkpoint to resume from
  }

  void progressCallbackCancels() {
    QTemporaryDir dir;
    ToyTask task(5);
    ToySource data(12, 4, 1);
    RecordingSink sink;
    TrainControl control;
    control.progress = [](int64_t step, int64_t total) { return !(step == 4 && total == 50); };
    const TrainResult r = Trainer(task, data, nullptr, toyOptions(dir.path(), 50)).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Cancelled);
    QCOMPARE(r.steps, int64_t(4));
  }

  void pauseBlocksAndCancelStillWorks() {
    QTemporaryDir dir;
    ToyTask task(6);
    ToySource data(12, 4, 1);
    RecordingSink sink;
    TrainControl control;
    sink.onStep = [&](const StepMetrics& m) {
      if (m.step == 2 || m.step == 6) control.pause = true;  // from the loop's thread: no race with the steps
      sink.stepCount = int(m.step);
    };
    TrainResult r;
    std::thread worker([&] { r = Trainer(task, data, nullptr, toyOptions(dir.path(), 20)).run(control, sink); });
    const auto waitFor = [&](int step) {
      for (int i = 0; i < 2000 && sink.stepCount.load() < step; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    };
    waitFor(2);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const int afterWait = sink.stepCount.load();
    control.pause = false;
    waitFor(6);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const int atSecondPause = sink.stepCount.load();
    control.cancel = true;  // while paused
    worker.join();
    QCOMPARE(afterWait, 2);  // paused: no step in 300 ms
    QCOMPARE(atSecondPause, 6);
    QCOMPARE(r.status, TrainStatus::Cancelled);
    QCOMPARE(r.steps, int64_t(6));
  }

  void nanStepIsSkipped_data() {
    QTest::addColumn<bool>("inGradient");
    QTest::newRow("NaN loss") << false;
    QTest::newRow("NaN gradient") << true;
  }
  void nanStepIsSkipped() {
    QFETCH(bool, inGradient);
    QTemporaryDir dir;
    ToyTask task(7);
    (inGradient ? task.nanGradAt : task.nanLossAt) = {2};  // the 3rd step (0-based 2)
    ToySource data(12, 4, 1);
    RecordingSink sink;
    TrainControl control;
    std::vector<at::Tensor> before;
    sink.onStep = [&](const StepMetrics& m) {
      if (m.step == 2)
        for (const auto& [n, p] : task.trainableParameters()) before.push_back(p.detach().clone());
      if (m.step == 3) {
        size_t i = 0;
        for (const auto& [n, p] : task.trainableParameters()) QVERIFY(torch::equal(p, before[i++]));  // no update
      }
    };
    const TrainResult r = Trainer(task, data, nullptr, toyOptions(dir.path(), 5)).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Finished);
    QCOMPARE(r.steps, int64_t(5));
    QVERIFY(sink.steps[2].skipped);
    QCOMPARE(sink.steps[2].badSteps, int64_t(1));
    QCOMPARE(sink.steps[4].badSteps, int64_t(1));
    QVERIFY(!sink.steps[3].skipped);
    QVERIFY(std::isnan(sink.steps[2].gradNorm));
    QVERIFY(sink.steps[2].toJson()["grad_norm"].isNull());
    QCOMPARE(sink.steps[2].toJson()["bad_steps"].toInteger(), qint64(1));
    QVERIFY2(!sink.messages.filter("Step 3 skipped").isEmpty(), qPrintable(sink.messages.join("\n")));
    for (const auto& [n, p] : task.trainableParameters()) QVERIFY(torch::isfinite(p).all().item<bool>());
  }

  void repeatedNanFailsTheJob() {
    QTemporaryDir dir;
    ToyTask task(8);
    task.nanLossAt = {1, 4, 5, 6, 7, 8};
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 20);
    o.train.maxBadSteps = 3;
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, nullptr, o).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Failed);
    QCOMPARE(r.steps, int64_t(7));
    QVERIFY2(r.error.contains("at step 7") && r.error.contains("3 bad step(s) in a row") &&
                 r.error.contains("train.max_bad_steps 3"),
             qPrintable(r.error));
    QCOMPARE(task.artifactsSaved, 0);
  }

  void outOfMemoryFailsWithASmallerSetting() {
    QTemporaryDir dir;
    ToyTask task(9);
    task.oomAtStep = 2;
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 10);
    o.device = "cuda:0";
    o.train.seqLen = 512;
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, nullptr, o).run(control, sink);
    QCOMPARE(r.status, TrainStatus::Failed);
    QCOMPARE(r.steps, int64_t(2));
    QCOMPARE(r.error, QString("CUDA (cuda:0) out of memory at step 3 with batch size 4 × sequence length 512 (gradient "
                              "accumulation 1). Try train.batch_size 2 with train.grad_accum 2 (the same effective "
                              "batch), or a shorter train.seq_len."));
    for (const auto& [n, p] : task.trainableParameters()) QVERIFY(!p.grad().defined());  // memory given back
    QVERIFY(outOfMemoryMessage("cuda:1", 1, 1, 2048, 4).contains("train.seq_len 1024"));
    // A plain c10::Error saying "out of memory" (older LibTorch) counts too; others do not.
    try {
      TORCH_CHECK(false, "CUDA out of memory. Tried to allocate 20.00 MiB");
    } catch (const c10::Error& e) {
      QVERIFY(isOutOfMemory(e));
    }
    QVERIFY(!isOutOfMemory(std::runtime_error("shape mismatch")));
  }

  void earlyStoppingOnARisingValidationLoss() {
    // Val losses 1.0, 0.9 (best), 0.95 and 1.0 (both > 0.9·1.05) → stop at the 4th evaluation (step 8).
    QTemporaryDir dir;
    ToyTask task(10);
    task.scriptedValLosses = {1.0, 0.9, 0.95, 1.0, 0.5};
    ToySource data(12, 4, 1), val(4, 4, 0);
    TrainerOptions o = toyOptions(dir.path(), 30);
    o.train.evalEvery = 2;
    o.train.saveEvery = 2;
    o.train.earlyStopThreshold = 0.05;
    o.train.patience = 2;
    RecordingSink sink;
    TrainControl control;
    const TrainResult r = Trainer(task, data, &val, o).run(control, sink);
    QCOMPARE(trainStatusName(r.status), QString("early_stopped"));
    QCOMPARE(r.steps, int64_t(8));
    QCOMPARE(r.bestValLoss, 0.9);
    QCOMPARE(r.bestCheckpoint, dir.path() + "/best");
    QCOMPARE(sink.validations.size(), size_t(4));
    QVERIFY(sink.validations[1].best && !sink.validations[2].best);
    QVERIFY(!sink.messages.filter("Early stop at step 8").isEmpty());
    QCOMPARE(task.artifactsSaved, 3);  // best at steps 2 and 4, the final model at 8
    QStringList names;
    for (const CheckpointEntry& e : listCheckpoints(dir.path() + "/checkpoints")) names << QFileInfo(e.dir).fileName();
    QCOMPARE(names, (QStringList{"step-000008", "step-000006", "step-000004"}));  // last 2 + best
    // A small dip below best·(1 + threshold) resets the count: 1.0, 0.9, 0.95, 0.94, 0.96 → no stop at patience 2.
    QTemporaryDir dir2;
    ToyTask task2(10);
    task2.scriptedValLosses = {1.0, 0.9, 0.95, 0.94, 0.96, 0.8};
    o.outputDir = dir2.path();
    o.train.maxSteps = 12;
    RecordingSink sink2;
    QCOMPARE(Trainer(task2, data, &val, o).run(control, sink2).status, TrainStatus::Finished);
  }

  void storeSinkWritesMetricsInBatches() {
    QTemporaryDir dir;
    const Store store = Store::create(dir.path() + "/ws.sqlite");
    const JobStore jobs(store);
    JobSpec spec;
    spec.output = dir.path() + "/out";
    const qint64 id = jobs.create(spec);
    ToyTask task(12);
    ToySource data(12, 4, 1), val(8, 4, 0);
    TrainerOptions o = toyOptions(spec.output, 6);
    o.train.evalEvery = 3;
    TrainControl control;
    {
      StoreMetricsSink sink(store, id, 10);
      QCOMPARE(Trainer(task, data, &val, o).run(control, sink).status, TrainStatus::Finished);
    }
    QCOMPARE(jobs.metric(id, "loss").size(), size_t(6));
    QCOMPARE(jobs.metric(id, "val_loss").size(), size_t(2));
    QCOMPARE(jobs.metric(id, "loss_ce").size(), size_t(6));
    QVERIFY(jobs.metric(id, "lr").back().value > 0);
    QVERIFY(jobs.metricNames(id).contains("grad_norm"));
    StoreMetricsSink again(store, id);
    again.resumed(3);  // a resume from step 3 drops the lost run's later rows
    QCOMPARE(jobs.metric(id, "loss").size(), size_t(3));
    QCOMPARE(jobs.metric(id, "val_loss").size(), size_t(1));
  }

  void resumeWithoutCheckpointStartsFresh() {
    QTemporaryDir dir;
    ToyTask task(13);
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 3);
    o.resume = true;
    RecordingSink sink;
    TrainControl control;
    QCOMPARE(Trainer(task, data, nullptr, o).run(control, sink).status, TrainStatus::Finished);
    QVERIFY(!sink.messages.filter("No checkpoint").isEmpty());
    QCOMPARE(sink.resumedAt, std::vector<int64_t>{0});
  }

  void damagedCheckpointFallsBackToAnOlderOne() {
    QTemporaryDir dir;
    ToyTask task(14);
    ToySource data(12, 4, 1);
    TrainerOptions o = toyOptions(dir.path(), 4);
    o.train.saveEvery = 2;
    RecordingSink sink;
    TrainControl control;
    QCOMPARE(Trainer(task, data, nullptr, o).run(control, sink).status, TrainStatus::Finished);
    // Damage the newest (step 4): its optimizer file is truncated.
    QFile opt(dir.path() + "/checkpoints/step-000004/optimizer.safetensors");
    QVERIFY(opt.resize(10));
    ToyTask again(15);
    ToySource data2(12, 4, 1);
    o.resume = true;
    o.train.maxSteps = 5;
    RecordingSink sink2;
    const TrainResult r = Trainer(again, data2, nullptr, o).run(control, sink2);
    QCOMPARE(r.status, TrainStatus::Finished);
    QCOMPARE(sink2.resumedAt, std::vector<int64_t>{2});
    QVERIFY(!sink2.messages.filter("cannot be loaded").isEmpty());
    QCOMPARE(sink2.steps.front().step, int64_t(3));
  }
};

QTEST_GUILESS_MAIN(TstTrainer)
#include "tst_trainer.moc"
