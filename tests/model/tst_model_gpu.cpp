// The model parity checks of tst_model on CUDA: float32 and bfloat16 logits against transformers' golden outputs,
// both attention paths, the KV cache against recomputation, and greedy ids. Skipped without CUDA.
#include "checkpoint/Safetensors.h"
#include "model/CausalLM.h"
#include "model/Generate.h"
#include "model/ModelLoader.h"

#include "Fixtures.h"

#include <torch/torch.h>

#include <QtTest/QTest>

using namespace distillery;

namespace {

const QStringList kModels = {QStringLiteral("tiny-llama"), QStringLiteral("tiny-qwen2")};

double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.to(torch::kCPU, torch::kFloat64), y = b.to(torch::kCPU, torch::kFloat64);
  return (x - y).norm().item<double>() / y.norm().item<double>();
}

torch::Tensor golden(const QString& model, const char* name) {
  return SafetensorsFile(fixture(model + QStringLiteral("/golden.safetensors"))).tensor(name);
}

torch::Tensor unmasked(const torch::Tensor& logits, const torch::Tensor& mask) {
  return logits.to(torch::kCPU).index({mask.to(torch::kCPU, torch::kBool)});
}

}  // namespace

class TestModelGpu : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device (or a LibTorch without CUDA)");
  }

  void logits_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("bf16");
    QTest::addColumn<int>("path");
    for (const QString& m : kModels)
      for (bool bf16 : {false, true})
        for (AttentionPath p : {AttentionPath::Explicit, AttentionPath::Sdpa})
          QTest::newRow(qPrintable(QStringLiteral("%1 %2 %3")
                                       .arg(m, bf16 ? QStringLiteral("bf16") : QStringLiteral("f32"),
                                            p == AttentionPath::Sdpa ? QStringLiteral("sdpa") : QStringLiteral("explicit"))))
              << m << bf16 << int(p);
  }

  void logits() {
    QFETCH(QString, model);
    QFETCH(bool, bf16);
    QFETCH(int, path);
    if (path == int(AttentionPath::Sdpa) && !sdpaAvailable()) QSKIP("this LibTorch has no scaled_dot_product_attention");
    // float32 on the GPU: TF32 is off by default for matmuls in LibTorch, so the CPU tolerance holds; bf16 as on
    // the CPU (8-bit mantissa through a few layers).
    const double tol = bf16 ? 2e-2 : 1e-5;
    LoadedModel m = loadModel(fixture(model), bf16 ? torch::kBFloat16 : torch::kFloat32, torch::kCUDA);
    m.model->setAttentionPath(AttentionPath(path));
    torch::NoGradGuard noGrad;
    const torch::Tensor ids = golden(model, "input_ids").to(torch::kCUDA);
    const double err = relErr(m.model->forward(ids).logits, golden(model, "logits"));
    qInfo("%s: logits rel err %.3g", QTest::currentDataTag(), err);
    QVERIFY2(err < tol, qPrintable(QStringLiteral("rel err %1 (tolerance %2)").arg(err).arg(tol)));

    const torch::Tensor mask = golden(model, "attention_mask");
    ForwardOptions f;
    f.attentionMask = mask.to(torch::kCUDA);
    const torch::Tensor masked = m.model->forward(ids, f).logits;
    QVERIFY(torch::isfinite(masked).all().item<bool>());
    const double errMasked = relErr(unmasked(masked, mask), unmasked(golden(model, "logits_masked"), mask));
    qInfo("%s: logits_masked rel err %.3g", QTest::currentDataTag(), errMasked);
    QVERIFY2(errMasked < tol, qPrintable(QStringLiteral("rel err %1 (tolerance %2)").arg(errMasked).arg(tol)));
  }

  void greedyAndCache() {
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(fixture(model), torch::kFloat32, torch::kCUDA);
      const torch::Tensor want = golden(model, "greedy_ids");
      const torch::Tensor prompt = golden(model, "input_ids")[0].narrow(0, 0, 8).contiguous();
      GenerateOptions o;
      o.greedy = true;
      o.repetitionPenalty = 1.0;
      o.maxNewTokens = want.size(1) - 8;
      useModelTokenIds(o, m.config, m.generation);
      const GenerateResult r =
          generate(m.model, {std::vector<int64_t>(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + 8)}, o);
      QVERIFY2(torch::equal(r.sequences, want), qPrintable(model));

      // Cached decoding equals a full forward at every step.
      torch::NoGradGuard noGrad;
      const torch::Tensor all = golden(model, "input_ids").to(torch::kCUDA);
      KvCache cache;
      ForwardOptions f;
      f.cache = &cache;
      torch::Tensor cached = m.model->forward(all.narrow(1, 0, 12), f).logits.select(1, -1);
      for (int64_t s = 12; s < 16; ++s) {
        const torch::Tensor full = m.model->forward(all.narrow(1, 0, s)).logits.select(1, -1);
        const double err = relErr(cached, full);
        QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("%1 step %2: rel err %3").arg(model).arg(s).arg(err)));
        cached = m.model->forward(all.narrow(1, s, 1), f).logits.select(1, -1);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestModelGpu)
#include "tst_model_gpu.moc"
