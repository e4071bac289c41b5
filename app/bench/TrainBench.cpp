// Training throughput: a LoRA SFT step and a KD step through the real tasks and Trainer, on random-initialised
// Qwen2.5 shapes (throughput does not depend on weight values), beside ../shared/bench/peer_bench.py (PEFT and
// an HF-style KD loop) run in the same device call:
//   distillery-bench train lora|kd [--tiny] [--device cuda|cpu] [--batch B] [--seq S] [--steps N] [--warmup N]
//                         [--peer FILE]     FILE: peer_bench.py's JSON, for the ratio column
// --tiny shrinks the models to a few layers so the benchmark also runs (and is checked) on a CPU.
#include "Bench.h"
#include "common/Error.h"
#include "jobs/DistillTask.h"
#include "jobs/LoraTask.h"
#include "model/CausalLM.h"
#include "model/ModelConfig.h"
#include "model/ModelSaver.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <torch/torch.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>

#include <algorithm>
#include <memory>

namespace distillery::bench {
namespace {

// peer_bench.py's QWEN05 / QWEN15 (Qwen2.5-0.5B / 1.5B shapes).
QJsonObject qwenConfig(int64_t hidden, int64_t intermediate, int64_t layers, int64_t heads, int64_t vocab) {
  return QJsonObject{{"architectures", QJsonArray{"Qwen2ForCausalLM"}},
                     {"model_type", "qwen2"},
                     {"vocab_size", qint64(vocab)},
                     {"hidden_size", qint64(hidden)},
                     {"intermediate_size", qint64(intermediate)},
                     {"num_hidden_layers", qint64(layers)},
                     {"num_attention_heads", qint64(heads)},
                     {"num_key_value_heads", 2},
                     {"max_position_embeddings", 4096},
                     {"rope_theta", 1000000.0},
                     {"rms_norm_eps", 1e-6},
                     {"hidden_act", "silu"},
                     {"tie_word_embeddings", true},
                     {"torch_dtype", "bfloat16"},
                     {"eos_token_id", 2}};
}
QJsonObject qwen05(bool tiny) { return tiny ? qwenConfig(64, 128, 2, 4, 2048) : qwenConfig(896, 4864, 24, 14, 151936); }
QJsonObject qwen15(bool tiny) {
  return tiny ? qwenConfig(96, 192, 3, 6, 2048) : qwenConfig(1536, 8960, 28, 12, 151936);
}

// A random model folder: weights normal(0, 0.02), norms one, saved in bf16 (the tasks convert on load).
void writeRandomModel(const QJsonObject& config, const QString& dir) {
  torch::manual_seed(0);
  CausalLM lm(ModelConfig::fromJson(config, dir + QStringLiteral("/config.json")),
              torch::TensorOptions().dtype(torch::kBFloat16));
  torch::NoGradGuard noGrad;
  for (auto& p : lm->named_parameters()) {
    if (p.key().find("norm") != std::string::npos)
      p.value().fill_(1.0);
    else
      p.value().normal_(0.0, 0.02);
  }
  saveModel(lm, config, dir, QString());
}

// The same random batch every step: ids [B, S], labels the next id (last position not counted).
class RandomBatches : public BatchSource {
 public:
  RandomBatches(int64_t batch, int64_t seq, int64_t vocab, const torch::Device& device) {
    torch::manual_seed(1);
    const torch::Tensor ids = torch::randint(0, vocab, {batch, seq}, torch::kInt64);
    torch::Tensor labels = torch::full({batch, seq}, -100, torch::kInt64);
    labels.narrow(1, 0, seq - 1).copy_(ids.narrow(1, 1, seq - 1));
    batch_.inputIds = ids.to(device);
    batch_.labels = labels.to(device);
    batch_.tokens = batch * (seq - 1);
  }
  Batch next() override { return batch_; }
  std::vector<Batch> all() override { return {batch_}; }
  QJsonObject position() const override { return {}; }
  void restore(const QJsonObject&) override {}
  int64_t batchesPerEpoch() const override { return 1; }

 private:
  Batch batch_;
};

// Wall time at every optimizer step and the most device memory the Trainer reported (NVML's device-wide figure,
// which the Trainer already polls at most twice a second: the allocator's cache and the CUDA context included, so
// it reads higher than torch's max_memory_allocated the peer prints).
class Timing : public MetricsSink {
 public:
  void stepMetrics(const StepMetrics& m) override {
    wall.push_back(m.wallTime);
    peakBytes = std::max(peakBytes, m.gpuMemoryBytes);
  }
  std::vector<double> wall;
  double peakBytes = -1;
};

QString option(const QStringList& args, const QString& name, const QString& fallback) {
  const qsizetype i = args.indexOf(name);
  return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

}  // namespace

int trainBench(BenchContext& ctx) {
  const QStringList& a = ctx.args;
  const QString kind = a.value(0);
  if (kind != QLatin1String("lora") && kind != QLatin1String("kd")) {
    ctx.out << "usage: distillery-bench train lora|kd [--tiny] [--device cuda|cpu] [--batch B] [--seq S] "
               "[--steps N] [--warmup N] [--peer peer_bench.json]"
            << Qt::endl;
    return 2;
  }
  const bool lora = kind == QLatin1String("lora");
  const bool tiny = a.contains(QStringLiteral("--tiny"));
  const QString device = option(a, QStringLiteral("--device"), torch::cuda::is_available() ? "cuda" : "cpu");
  // peer_bench.py's shapes: LoRA b8 × 512, KD b4 × 512.
  const int64_t batch = option(a, QStringLiteral("--batch"), tiny ? "2" : (lora ? "8" : "4")).toLongLong();
  const int64_t seq = option(a, QStringLiteral("--seq"), tiny ? "64" : "512").toLongLong();
  const int64_t steps = option(a, QStringLiteral("--steps"), "10").toLongLong();
  const int64_t warmup = option(a, QStringLiteral("--warmup"), "3").toLongLong();
  if (batch < 1 || seq < 2 || steps < 1 || warmup < 1) {
    ctx.out << "train bench: --batch, --steps and --warmup must be at least 1, --seq at least 2" << Qt::endl;
    return 2;
  }

  QTemporaryDir tmp;
  const QString studentDir = tmp.path() + QStringLiteral("/student"),
                teacherDir = tmp.path() + QStringLiteral("/teacher");
  const QJsonObject studentConfig = qwen05(tiny);
  writeRandomModel(studentConfig, studentDir);
  if (!lora) writeRandomModel(qwen15(tiny), teacherDir);

  // The peer's settings: LoRA r16/α32/dropout 0.05 on all seven projections, lr 1e-4; KD τ 2, α 0.5, lr 1e-5,
  // the whole student trained. No warmup, no validation, no checkpoints inside the timed steps.
  JobSpec spec;
  spec.kind = lora ? JobKind::Lora : JobKind::Distill;
  spec.student = studentDir;
  spec.teacher = lora ? QString() : teacherDir;
  spec.device = device;
  spec.output = tmp.path() + QStringLiteral("/out");
  spec.lora.r = 16;
  spec.lora.alpha = 32;
  spec.lora.dropout = 0.05;
  spec.lora.targetModules = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
  spec.kd.loss = QStringLiteral("forward_kl");
  spec.kd.temperature = 2.0;
  spec.kd.alpha = 0.5;
  spec.train.maxSteps = warmup + steps;
  spec.train.batchSize = batch;
  spec.train.seqLen = seq;
  spec.train.lr = lora ? 1e-4 : 1e-5;
  spec.train.warmupSteps = 0;
  spec.train.scheduler = QStringLiteral("constant");
  spec.train.evalEvery = 0;
  spec.train.saveEvery = 0;
  spec.train.logEvery = 1;

  std::unique_ptr<TrainTask> task;
  if (lora)
    task = std::make_unique<LoraTask>(spec);
  else
    task = std::make_unique<DistillTask>(spec);
  RandomBatches data(batch, seq, studentConfig.value(QStringLiteral("vocab_size")).toInteger(), task->device());
  TrainerOptions options = TrainerOptions::fromJob(spec);
  options.saveFinal = false;
  Trainer trainer(*task, data, nullptr, options);
  TrainControl control;
  Timing timing;
  const TrainResult r = trainer.run(control, timing);
  if (r.status != TrainStatus::Finished || int64_t(timing.wall.size()) < warmup + steps) {
    ctx.out << "train bench " << kind << ": the run ended " << trainStatusName(r.status) << ": " << r.error << Qt::endl;
    return 1;
  }
  // Steps warmup+1 .. warmup+steps: from the wall time logged after step `warmup` to the one after the last.
  const double seconds = (timing.wall[size_t(warmup + steps - 1)] - timing.wall[size_t(warmup - 1)]) / double(steps);
  const double tokensPerSecond = double(batch * seq) / seconds;  // the peer counts B·S tokens per step
  QJsonObject result{{"kind", kind},
                     {"device", device},
                     {"tiny", tiny},
                     {"batch", qint64(batch)},
                     {"seq", qint64(seq)},
                     {"steps", qint64(steps)},
                     {"step_ms", seconds * 1e3},
                     {"tokens_per_s", tokensPerSecond},
                     {"trainable", qint64(0)}};
  int64_t trainable = 0;
  for (const auto& [name, t] : task->trainableParameters()) trainable += t.numel();
  result.insert(QStringLiteral("trainable"), qint64(trainable));
  if (timing.peakBytes >= 0) result.insert(QStringLiteral("device_mem_gib_nvml"), timing.peakBytes / double(1 << 30));

  // The peer's figure for the same benchmark, when its JSON is given.
  double peer = 0, peerMem = 0;
  const QString peerPath = option(a, QStringLiteral("--peer"), QString());
  if (!peerPath.isEmpty()) {
    QFile f(peerPath);
    if (f.open(QIODevice::ReadOnly)) {
      // peer_bench.py's keys for the same shapes.
      const QString key =
          lora ? QStringLiteral("peft_lora_qwen05_b8_s512") : QStringLiteral("hf_kd_qwen15_to_qwen05_b4_s512");
      const QJsonObject p = QJsonDocument::fromJson(f.readAll()).object().value(key).toObject();
      peer = p.value(QStringLiteral("tokens_per_s")).toDouble();
      peerMem = p.value(QStringLiteral("peak_gib")).toDouble();
    }
  }
  ctx.out << QStringLiteral("%1 %2 b%3×%4 on %5: %6 ms/step, %7 tokens/s")
                 .arg(kind, tiny ? "(tiny)" : "(Qwen2.5 shapes)")
                 .arg(batch)
                 .arg(seq)
                 .arg(device)
                 .arg(seconds * 1e3, 0, 'f', 1)
                 .arg(tokensPerSecond, 0, 'f', 0)
          << Qt::endl;
  if (timing.peakBytes >= 0)
    ctx.out << QStringLiteral("  device memory (NVML, device-wide): %1 GiB")
                   .arg(timing.peakBytes / double(1 << 30), 0, 'f', 1)
            << Qt::endl;
  if (peer > 0) {
    ctx.out << QStringLiteral("  peer: %1 tokens/s, %2 GiB peak allocated → ratio %3×")
                   .arg(peer, 0, 'f', 0)
                   .arg(peerMem, 0, 'f', 1)
                   .arg(tokensPerSecond / peer, 0, 'f', 2)
            << Qt::endl;
    result.insert(QStringLiteral("peer_tokens_per_s"), peer);
    result.insert(QStringLiteral("peer_peak_gib"), peerMem);
    result.insert(QStringLiteral("ratio"), tokensPerSecond / peer);
  }
  ctx.results.insert(QStringLiteral("train_") + kind, result);
  return 0;
}

}  // namespace distillery::bench
