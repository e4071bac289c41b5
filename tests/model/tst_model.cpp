// Causal LMs against transformers: config.json parsing and its errors, checkpoint loading and its errors, logits
// and greedy ids against the reference fixtures' golden.safetensors (float32 and bfloat16, SDPA and explicit
// attention), hidden states, the KV cache against full recomputation, sampling, and the model CLI commands.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "cli/Cli.h"
#include "common/Error.h"
#include "model/AttentionMask.h"
#include "model/CausalLM.h"
#include "model/Generate.h"
#include "model/GenerationConfig.h"
#include "model/MemoryEstimate.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "model/Rope.h"
#include "model/Sampling.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <functional>

using namespace distillery;

namespace {

using Tensors = std::vector<std::pair<std::string, torch::Tensor>>;

const QStringList kModels = {QStringLiteral("tiny-llama"), QStringLiteral("tiny-qwen2")};

// ‖a − b‖ / ‖b‖ in double.
double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
  return (x - y).norm().item<double>() / y.norm().item<double>();
}

QString modelDir(const QString& name) { return fixture(name); }

torch::Tensor golden(const QString& model, const char* name) {
  return SafetensorsFile(fixture(model + QStringLiteral("/golden.safetensors"))).tensor(name);
}

// Rows of a [B, S, V] tensor where mask [B, S] is 1, as [N, V].
torch::Tensor unmasked(const torch::Tensor& logits, const torch::Tensor& mask) {
  return logits.index({mask.to(torch::kBool)});
}

QJsonObject baseConfig() {
  return QJsonDocument::fromJson(R"({
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 100, "hidden_size": 32,
    "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": 2,
    "hidden_act": "silu", "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 128,
    "tie_word_embeddings": false, "eos_token_id": 2})")
      .object();
}

// base with patch's keys set; a patch value "__remove__" deletes the key.
QJsonObject patched(QJsonObject base, const QByteArray& patchJson) {
  const QJsonObject patch = QJsonDocument::fromJson(patchJson).object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value() == QJsonValue(QStringLiteral("__remove__")))
      base.remove(it.key());
    else
      base.insert(it.key(), it.value());
  }
  return base;
}

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// A copy of a fixture model in dir with its tensors (and config) edited.
void writeModel(const QString& dir, const QString& model, const std::function<void(Tensors&)>& editTensors,
                const std::function<void(QJsonObject&)>& editConfig = {}) {
  QJsonObject config = readJsonObject(fixture(model + QStringLiteral("/config.json")));
  if (editConfig) editConfig(config);
  QVERIFY(writeFile(dir + QStringLiteral("/config.json"), QJsonDocument(config).toJson()));
  QFile::copy(fixture(model + QStringLiteral("/generation_config.json")),
              dir + QStringLiteral("/generation_config.json"));
  const SafetensorsFile weights(fixture(model + QStringLiteral("/model.safetensors")));
  Tensors tensors;
  for (const TensorInfo& t : weights.tensors()) tensors.emplace_back(t.name, weights.tensor(t.name));
  if (editTensors) editTensors(tensors);
  writeSafetensors(dir + QStringLiteral("/model.safetensors"), tensors);
}

torch::Tensor& tensorNamed(Tensors& tensors, const std::string& name) {
  for (auto& [n, t] : tensors)
    if (n == name) return t;
  throw std::runtime_error("no tensor " + name);
}

std::vector<int64_t> row(const torch::Tensor& t, int64_t r) {
  const torch::Tensor x = t[r].contiguous().to(torch::kInt64);
  return {x.data_ptr<int64_t>(), x.data_ptr<int64_t>() + x.numel()};
}

QString idsText(const std::vector<int64_t>& ids) {
  QStringList parts;
  for (int64_t id : ids) parts << QString::number(id);
  return parts.join(QLatin1Char(','));
}

}  // namespace

class TestModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    for (const QString& m : kModels)
      if (!QFileInfo::exists(modelDir(m) + QStringLiteral("/config.json")))
        QSKIP(qPrintable(QStringLiteral("fixtures not found at ") + fixturesDir()));
    torch::manual_seed(0);
  }

  // ---- config.json --------------------------------------------------------------------------------------

  void configFields() {
    const ModelConfig c = ModelConfig::fromJson(baseConfig(), QStringLiteral("c.json"));
    QCOMPARE(c.architecture, QStringLiteral("LlamaForCausalLM"));
    QCOMPARE(c.vocabSize, 100);
    QCOMPARE(c.hidden, 32);
    QCOMPARE(c.intermediate, 64);
    QCOMPARE(c.layers, 2);
    QCOMPARE(c.heads, 8);
    QCOMPARE(c.kvHeads, 2);
    QCOMPARE(c.headDim, 4);  // hidden / heads
    QCOMPARE(c.rmsEps, 1e-5);
    QCOMPARE(c.ropeTheta, 1e4);
    QVERIFY(c.ropeScaling.type == RopeScaling::Type::None);
    QCOMPARE(c.maxPositions, 128);
    QVERIFY(!c.tieWordEmbeddings && !c.qkvBias && !c.oBias && !c.qkNorm && !c.mlpBias);
    QCOMPARE(c.eosTokenIds, std::vector<int64_t>{2});
    QVERIFY(!c.bosTokenId && !c.padTokenId);
    QCOMPARE(c.slidingWindow, 0);
  }

  void configVariants() {
    const QString p = QStringLiteral("c.json");
    // transformers 5's rope_parameters, a list of eos ids, explicit head_dim, Llama biases.
    ModelConfig c = ModelConfig::fromJson(
        patched(baseConfig(), R"({"rope_theta": "__remove__", "rope_parameters": {"rope_theta": 500000.0,
          "rope_type": "default"}, "eos_token_id": [7, 9], "head_dim": 16, "attention_bias": true,
          "mlp_bias": true, "dtype": "bfloat16", "pad_token_id": null, "bos_token_id": 1})"),
        p);
    QCOMPARE(c.ropeTheta, 5e5);
    QCOMPARE(c.eosTokenIds, (std::vector<int64_t>{7, 9}));
    QCOMPARE(c.headDim, 16);
    QVERIFY(c.qkvBias && c.oBias && c.mlpBias);
    QCOMPARE(c.dtype, QStringLiteral("bfloat16"));
    QCOMPARE(*c.bosTokenId, 1);
    QVERIFY(!c.padTokenId);

    // Llama 3.1 rope_scaling.
    c = ModelConfig::fromJson(patched(baseConfig(), R"({"rope_scaling": {"rope_type": "llama3", "factor": 8.0,
          "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}})"),
                              p);
    QVERIFY(c.ropeScaling.type == RopeScaling::Type::Llama3);
    QCOMPARE(c.ropeScaling.factor, 8.0);
    QCOMPARE(c.ropeScaling.originalMaxPositions, 8192);
    // The same in rope_parameters, with "type" as older files spell it.
    c = ModelConfig::fromJson(patched(baseConfig(), R"({"rope_parameters": {"type": "llama3", "factor": 8.0,
          "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192,
          "rope_theta": 500000.0}})"),
                              p);
    QVERIFY(c.ropeScaling.type == RopeScaling::Type::Llama3);
    QCOMPARE(c.ropeTheta, 5e5);
    // rope_scaling null is no scaling.
    c = ModelConfig::fromJson(patched(baseConfig(), R"({"rope_scaling": null})"), p);
    QVERIFY(c.ropeScaling.type == RopeScaling::Type::None);

    // Qwen2: q/k/v biases always; the window only with use_sliding_window, on layers ≥ max_window_layers.
    const QByteArray qwen2 = R"({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2"})";
    c = ModelConfig::fromJson(patched(patched(baseConfig(), qwen2), R"({"sliding_window": 16})"), p);
    QVERIFY(c.qkvBias && !c.oBias && !c.qkNorm);
    QCOMPARE(c.slidingWindow, 0);
    c = ModelConfig::fromJson(patched(patched(baseConfig(), qwen2),
                                      R"({"sliding_window": 16, "use_sliding_window": true, "max_window_layers": 1})"),
                              p);
    QCOMPARE(c.slidingWindow, 16);
    QCOMPARE(c.windowOf(0), 0);
    QCOMPARE(c.windowOf(1), 16);
    c = ModelConfig::fromJson(patched(patched(baseConfig(), qwen2), R"({"sliding_window": 16,
          "use_sliding_window": true, "layer_types": ["sliding_attention", "full_attention"]})"),
                              p);
    QCOMPARE(c.windowOf(0), 16);
    QCOMPARE(c.windowOf(1), 0);

    // Qwen3: q_norm/k_norm, attention_bias for all four projections, head_dim default 128.
    c = ModelConfig::fromJson(
        patched(baseConfig(), R"({"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3"})"), p);
    QVERIFY(c.qkNorm && !c.qkvBias);
    QCOMPARE(c.headDim, 128);

    // Mistral: sliding_window null → none; set → every layer.
    const QByteArray mistral = R"({"architectures": ["MistralForCausalLM"], "model_type": "mistral"})";
    c = ModelConfig::fromJson(patched(patched(baseConfig(), mistral), R"({"sliding_window": null})"), p);
    QCOMPARE(c.slidingWindow, 0);
    c = ModelConfig::fromJson(patched(patched(baseConfig(), mistral), R"({"sliding_window": 4096})"), p);
    QCOMPARE(c.windowOf(0), 4096);
    QCOMPARE(c.windowOf(1), 4096);

    // The fixtures' own files.
    for (const QString& m : kModels) {
      c = ModelConfig::fromFile(modelDir(m) + QStringLiteral("/config.json"));
      QVERIFY(ModelConfig::supportedArchitectures().contains(c.architecture));
      QCOMPARE(c.heads % c.kvHeads, 0);
    }
  }

  void configErrors_data() {
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QString>("error");
    const QString supported =
        QStringLiteral("LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM");
    QTest::newRow("missing size") << QByteArray(R"({"hidden_size": "__remove__"})")
                                  << QStringLiteral("cfg/config.json: hidden_size is missing");
    QTest::newRow("size as text") << QByteArray(R"({"hidden_size": "64"})")
                                  << QStringLiteral("cfg/config.json: hidden_size=\"64\" must be a positive integer");
    QTest::newRow("zero size") << QByteArray(R"({"hidden_size": 0})")
                               << QStringLiteral("cfg/config.json: hidden_size=0 must be a positive integer");
    QTest::newRow("negative layers") << QByteArray(R"({"num_hidden_layers": -2})")
                                     << QStringLiteral(
                                            "cfg/config.json: num_hidden_layers=-2 must be a positive integer");
    QTest::newRow("fractional vocab") << QByteArray(R"({"vocab_size": 100.5})")
                                      << QStringLiteral("cfg/config.json: vocab_size=100.5 must be a positive integer");
    QTest::newRow("kv heads") << QByteArray(R"({"num_key_value_heads": 3})")
                              << QStringLiteral(
                                     "cfg/config.json: num_key_value_heads=3 does not divide "
                                     "num_attention_heads (8)");
    QTest::newRow("architecture") << QByteArray(R"({"architectures": ["GPT2LMHeadModel"]})")
                                  << QStringLiteral(
                                         "cfg/config.json: architectures=GPT2LMHeadModel is not supported; "
                                         "Distillery runs ") +
                                         supported;
    QTest::newRow("architectures not a list")
        << QByteArray(R"({"architectures": "LlamaForCausalLM"})")
        << QStringLiteral(
               "cfg/config.json: architectures=\"LlamaForCausalLM\" must be a list of one architecture name");
    QTest::newRow("architectures missing")
        << QByteArray(R"({"architectures": "__remove__"})")
        << QStringLiteral("cfg/config.json: architectures is missing; expected one of ") + supported;
    QTest::newRow("model_type mismatch")
        << QByteArray(R"({"model_type": "qwen2"})")
        << QStringLiteral(
               "cfg/config.json: model_type=qwen2 does not match architectures (LlamaForCausalLM is "
               "model_type \"llama\")");
    QTest::newRow("hidden_act") << QByteArray(R"({"hidden_act": "gelu"})")
                                << QStringLiteral(
                                       "cfg/config.json: hidden_act=gelu is not supported; Distillery's MLP "
                                       "is SwiGLU with silu");
    QTest::newRow("rope type") << QByteArray(R"({"rope_scaling": {"rope_type": "yarn", "factor": 4.0}})")
                               << QStringLiteral(
                                      "cfg/config.json: rope_scaling.rope_type=yarn is not supported; "
                                      "Distillery implements the default and llama3 RoPE");
    QTest::newRow("rope_parameters type")
        << QByteArray(R"({"rope_parameters": {"rope_theta": 10000.0, "rope_type": "linear", "factor": 2.0}})")
        << QStringLiteral(
               "cfg/config.json: rope_parameters.rope_type=linear is not supported; Distillery "
               "implements the default and llama3 RoPE");
    QTest::newRow("llama3 without factor")
        << QByteArray(R"({"rope_scaling": {"rope_type": "llama3", "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                          "original_max_position_embeddings": 8192}})")
        << QStringLiteral("cfg/config.json: rope_scaling.factor is missing");
    QTest::newRow("rope_theta as text") << QByteArray(R"({"rope_theta": "big"})")
                                        << QStringLiteral("cfg/config.json: rope_theta=\"big\" must be a number");
    QTest::newRow("odd head_dim") << QByteArray(R"({"head_dim": 5})")
                                  << QStringLiteral(
                                         "cfg/config.json: head_dim=5 must be even for rotary position "
                                         "embeddings");
    QTest::newRow("indivisible hidden")
        << QByteArray(R"({"hidden_size": 30})")
        << QStringLiteral(
               "cfg/config.json: hidden_size=30 is not divisible by num_attention_heads (8) and head_dim "
               "is not given");
    QTest::newRow("eos as text") << QByteArray(R"({"eos_token_id": "x"})")
                                 << QStringLiteral(
                                        "cfg/config.json: eos_token_id=\"x\" must be a token id (an integer ≥ 0)");
    QTest::newRow("eos list") << QByteArray(R"({"eos_token_id": [2, -1]})")
                              << QStringLiteral(
                                     "cfg/config.json: eos_token_id=[2,-1] must be a token id or a list of "
                                     "token ids");
    QTest::newRow("tie as text") << QByteArray(R"({"tie_word_embeddings": "yes"})")
                                 << QStringLiteral(
                                        "cfg/config.json: tie_word_embeddings=\"yes\" must be true or false");
    QTest::newRow("negative eps") << QByteArray(R"({"rms_norm_eps": -1})")
                                  << QStringLiteral("cfg/config.json: rms_norm_eps=-1 must be positive");
    QTest::newRow("dtype") << QByteArray(R"({"torch_dtype": "int8"})")
                           << QStringLiteral(
                                  "cfg/config.json: torch_dtype=int8 must be \"float32\", \"bfloat16\" or "
                                  "\"float16\"");
    QTest::newRow("layer_types length")
        << QByteArray(R"({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "use_sliding_window": true,
                          "sliding_window": 16, "layer_types": ["full_attention"]})")
        << QStringLiteral(
               "cfg/config.json: layer_types=[\"full_attention\"] must list one attention type per layer (2)");
  }

  void configErrors() {
    QFETCH(QByteArray, patch);
    QFETCH(QString, error);
    const QJsonObject json = patched(baseConfig(), patch);
    QCOMPARE(errorOf([&] { ModelConfig::fromJson(json, QStringLiteral("cfg/config.json")); }), error);
  }

  void configFileErrors() {
    QTemporaryDir tmp;
    const QString missing = tmp.filePath(QStringLiteral("config.json"));
    QVERIFY(errorOf([&] { ModelConfig::fromFile(missing); }).startsWith(missing + QStringLiteral(": ")));
    QVERIFY(writeFile(missing, "{\"vocab_size\": 3,"));
    QVERIFY(errorOf([&] { ModelConfig::fromFile(missing); }).startsWith(missing + QStringLiteral(": ")));
  }

  void generationConfig() {
    QTemporaryDir tmp;
    const GenerationConfig none = GenerationConfig::fromFile(tmp.filePath(QStringLiteral("generation_config.json")));
    QVERIFY(none.eosTokenIds.empty() && !none.bosTokenId && !none.temperature);

    const GenerationConfig g = GenerationConfig::fromJson(
        QJsonDocument::fromJson(R"({"bos_token_id": 1, "eos_token_id": [2, 32000], "pad_token_id": 0,
          "do_sample": true, "temperature": 0.6, "top_p": 0.9, "top_k": 20, "repetition_penalty": 1.1,
          "max_new_tokens": 64})")
            .object(),
        QStringLiteral("g.json"));
    QCOMPARE(*g.bosTokenId, 1);
    QCOMPARE(g.eosTokenIds, (std::vector<int64_t>{2, 32000}));
    QCOMPARE(*g.padTokenId, 0);
    QVERIFY(*g.doSample);
    QCOMPARE(*g.temperature, 0.6);
    QCOMPARE(*g.topK, 20);
    QCOMPARE(*g.maxNewTokens, 64);
    QCOMPARE(errorOf([] {
               GenerationConfig::fromJson(QJsonDocument::fromJson(R"({"temperature": 0})").object(),
                                          QStringLiteral("g.json"));
             }),
             QStringLiteral("g.json: temperature=0 must be positive"));
    QCOMPARE(errorOf([] {
               GenerationConfig::fromJson(QJsonDocument::fromJson(R"({"eos_token_id": "2"})").object(),
                                          QStringLiteral("g.json"));
             }),
             QStringLiteral("g.json: eos_token_id=\"2\" must be a token id (an integer ≥ 0)"));

    // eos ids from both files, without repeats; pad from generation_config.json first.
    ModelConfig c = ModelConfig::fromJson(patched(baseConfig(), R"({"eos_token_id": [2, 5], "pad_token_id": 3})"),
                                          QStringLiteral("c.json"));
    GenerateOptions o;
    useModelTokenIds(o, c, g);
    QCOMPARE(o.eosTokenIds, (std::vector<int64_t>{2, 32000, 5}));
    QCOMPARE(*o.padTokenId, 0);
  }

  // ---- building blocks ----------------------------------------------------------------------------------

  void ropeLlama3() {
    // transformers' _compute_llama3_parameters, written out in double for each frequency.
    RopeScaling s;
    s.type = RopeScaling::Type::Llama3;
    s.factor = 8;
    s.lowFreqFactor = 1;
    s.highFreqFactor = 4;
    s.originalMaxPositions = 8192;
    const int64_t dim = 128;
    const double theta = 500000;
    const Rope rope(RopeOptions{dim, theta, s}, torch::kCPU);
    const torch::Tensor got = rope.invFreq().to(torch::kFloat64);
    QCOMPARE(got.numel(), dim / 2);
    int low = 0, medium = 0, high = 0;
    for (int64_t i = 0; i < dim / 2; ++i) {
      const double inv = 1.0 / std::pow(theta, double(2 * i) / dim);
      const double wavelen = 2 * M_PI / inv;
      double want = inv;
      if (wavelen > 8192.0 / 1) {
        want = inv / 8;
        ++low;
      } else if (wavelen < 8192.0 / 4) {
        ++high;
      } else {
        const double smooth = (8192 / wavelen - 1) / (4 - 1);
        want = (1 - smooth) * inv / 8 + smooth * inv;
        ++medium;
      }
      const double err = std::fabs(got[i].item<double>() - want) / want;
      QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("inv_freq[%1]: rel err %2").arg(i).arg(err)));
    }
    QVERIFY(low > 0 && medium > 0 && high > 0);  // all three regimes covered
  }

  void attentionMask() {
    // Row 1 has two padding positions; window 2.
    const torch::Tensor padding = torch::tensor({1, 1, 1, 1, 0, 0, 1, 1}, torch::kInt64).view({2, 4});
    const AttentionMask m = makeAttentionMask(padding, 2, 0, 4, 2, torch::kCPU);
    QVERIFY(m.kind == AttentionMask::Kind::Explicit);
    const torch::Tensor want = torch::tensor({1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1,   // window 2
                                              1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1},  // padded rows open
                                             torch::kInt64)
                                   .view({2, 1, 4, 4})
                                   .to(torch::kBool);
    QVERIFY(torch::equal(m.allowed, want));
    QVERIFY(makeAttentionMask({}, 2, 0, 4, 0, torch::kCPU).kind == AttentionMask::Kind::Causal);
    QVERIFY(makeAttentionMask(torch::ones({2, 5}, torch::kInt64), 2, 4, 1, 0, torch::kCPU).kind ==
            AttentionMask::Kind::All);
    // transformers' position ids: cumsum(mask) - 1, padding at 1.
    QVERIFY(torch::equal(makePositionIds(padding, 2, 0, 4, torch::kCPU),
                         torch::tensor({0, 1, 2, 3, 1, 1, 0, 1}, torch::kInt64).view({2, 4})));
    QVERIFY(torch::equal(makePositionIds(padding, 2, 2, 2, torch::kCPU),
                         torch::tensor({2, 3, 0, 1}, torch::kInt64).view({2, 2})));
  }

  void sampling() {
    const torch::Tensor scores = torch::tensor({2.0f, -1.0f, 0.5f, 4.0f}).view({1, 4});
    const torch::Tensor seen = torch::tensor({true, true, false, false}).view({1, 4});
    // HF: positive scores divided, negative multiplied, only for seen ids.
    QVERIFY(torch::allclose(applyRepetitionPenalty(scores, seen, 2.0),
                            torch::tensor({1.0f, -2.0f, 0.5f, 4.0f}).view({1, 4})));
    QVERIFY(torch::allclose(applyTemperature(scores, 0.5), scores * 2));
    const float inf = std::numeric_limits<float>::infinity();
    QVERIFY(torch::equal(applyTopK(scores, 2), torch::tensor({2.0f, -inf, -inf, 4.0f}).view({1, 4})));
    QVERIFY(torch::equal(applyTopK(torch::tensor({1.0f, 1.0f, 0.0f}).view({1, 3}), 1),
                         torch::tensor({1.0f, 1.0f, -inf}).view({1, 3})));  // ties with the k-th stay
    QVERIFY(torch::equal(applyTopK(scores, 0), scores));
    // Probabilities 0.5, 0.3, 0.2: p 0.6 keeps the first two, p 0.5 only the first (cumulative mass > p kept).
    const torch::Tensor logp = torch::tensor({0.5, 0.3, 0.2}, torch::kFloat64).log().to(torch::kFloat32).view({1, 3});
    QVERIFY(torch::equal(torch::isinf(applyTopP(logp, 0.6)), torch::tensor({false, false, true}).view({1, 3})));
    QVERIFY(torch::equal(torch::isinf(applyTopP(logp, 0.45)), torch::tensor({false, true, true}).view({1, 3})));
    QVERIFY(torch::equal(applyTopP(logp, 1.0), logp));
  }

  // ---- loading ------------------------------------------------------------------------------------------

  void parameterNames_data() {
    QTest::addColumn<QString>("model");
    for (const QString& m : kModels) QTest::newRow(qPrintable(m)) << m;
  }

  void parameterNames() {
    QFETCH(QString, model);
    LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
    const CheckpointReader ckpt(modelDir(model));
    QStringList names;
    for (const auto& p : m.model->named_parameters()) {
      const QString name = QString::fromStdString(p.key());
      names << name;
      QCOMPARE(p.value().sizes().vec(), ckpt.info(name).shape);
      QVERIFY(torch::equal(p.value(), ckpt.load(name, torch::kFloat32, torch::kCPU)));
      QVERIFY(!p.value().requires_grad());
    }
    names.sort();
    QCOMPARE(names, ckpt.names());
    QCOMPARE(m.model->config().tieWordEmbeddings, !ckpt.contains(QStringLiteral("lm_head.weight")));
    int64_t count = 0;
    for (const QString& n : ckpt.names()) count += ckpt.info(n).numel();
    QCOMPARE(parameterCount(m.config), count);
  }

  void loaderErrors_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("edit");
    for (const QString& m : kModels)
      for (const char* e : {"missing", "unexpected", "shape", "dtype", "config"})
        QTest::newRow(qPrintable(m + QLatin1Char(' ') + QLatin1String(e))) << m << QString::fromLatin1(e);
  }

  void loaderErrors() {
    QFETCH(QString, model);
    QFETCH(QString, edit);
    QTemporaryDir tmp;
    const QString dir = tmp.path();
    const ModelConfig config = ModelConfig::fromFile(modelDir(model) + QStringLiteral("/config.json"));
    const std::string norm = "model.norm.weight";
    const QString normShape = QStringLiteral("[%1]").arg(config.hidden);
    QString want;
    if (edit == QLatin1String("missing")) {
      writeModel(dir, model, [&](Tensors& t) {
        t.erase(std::remove_if(t.begin(), t.end(), [&](const auto& p) { return p.first == norm; }), t.end());
      });
      want = dir + QStringLiteral(
                       ": model.norm.weight is missing from the checkpoint; %1 with this config.json needs "
                       "it, shape %2")
                       .arg(config.architecture, normShape);
    } else if (edit == QLatin1String("unexpected")) {
      writeModel(dir, model, [&](Tensors& t) { t.emplace_back("model.layers.0.mlp.extra.weight", torch::zeros({2})); });
      want = dir + QStringLiteral(
                       ": model.layers.0.mlp.extra.weight is in the checkpoint but is not a parameter of "
                       "%1 as config.json describes it; checkpoint and config do not match")
                       .arg(config.architecture);
    } else if (edit == QLatin1String("shape")) {
      writeModel(dir, model, [&](Tensors& t) { tensorNamed(t, norm) = torch::ones({config.hidden - 1}); });
      want = dir + QStringLiteral(": model.norm.weight has shape [%1] in the checkpoint, but config.json implies %2")
                       .arg(config.hidden - 1)
                       .arg(normShape);
    } else if (edit == QLatin1String("dtype")) {
      writeModel(dir, model, [&](Tensors& t) { tensorNamed(t, norm) = torch::ones({config.hidden}, torch::kInt64); });
      want = dir + QStringLiteral(": model.norm.weight has dtype I64; weights must be floating point (F32, F16, BF16)");
    } else {
      const qint64 kvHeads = config.heads + 1;
      writeModel(dir, model, {}, [&](QJsonObject& c) { c.insert(QStringLiteral("num_key_value_heads"), kvHeads); });
      want = dir + QStringLiteral("/config.json: num_key_value_heads=%1 does not divide num_attention_heads (%2)")
                       .arg(kvHeads)
                       .arg(config.heads);
    }
    QCOMPARE(errorOf([&] { loadModel(dir, torch::kFloat32, torch::kCPU); }), want);
  }

  void loaderIgnores() {
    // Older exports carry RoPE buffers; tied checkpoints may carry a copy of lm_head: both load.
    for (const QString& model : kModels) {
      QTemporaryDir tmp;
      const ModelConfig config = ModelConfig::fromFile(modelDir(model) + QStringLiteral("/config.json"));
      writeModel(tmp.path(), model, [&](Tensors& t) {
        t.emplace_back("model.layers.0.self_attn.rotary_emb.inv_freq", torch::ones({config.headDim / 2}));
        if (config.tieWordEmbeddings) t.emplace_back("lm_head.weight", torch::zeros({config.vocabSize, config.hidden}));
      });
      LoadedModel m = loadModel(tmp.path(), torch::kFloat32, torch::kCPU);
      QCOMPARE(m.model->outputWeight().abs().sum().item<double>() > 0, true);  // a tied head stays the embeddings
    }
  }

  // ---- numerics against transformers ---------------------------------------------------------------------

  void logits_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("path");
    for (const QString& m : kModels) {
      QTest::newRow(qPrintable(m + QStringLiteral(" explicit"))) << m << int(AttentionPath::Explicit);
      QTest::newRow(qPrintable(m + QStringLiteral(" sdpa"))) << m << int(AttentionPath::Sdpa);
    }
  }

  void logits() {
    QFETCH(QString, model);
    QFETCH(int, path);
    if (path == int(AttentionPath::Sdpa) && !sdpaAvailable())
      QSKIP("this LibTorch has no scaled_dot_product_attention");
    LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
    m.model->setAttentionPath(AttentionPath(path));
    torch::NoGradGuard noGrad;
    const torch::Tensor ids = golden(model, "input_ids"), mask = golden(model, "attention_mask");

    const torch::Tensor logits = m.model->forward(ids).logits;
    QCOMPARE(logits.sizes(), golden(model, "logits").sizes());
    const double err = relErr(logits, golden(model, "logits"));
    qInfo("%s float32 logits: rel err %.3g", qPrintable(model), err);
    QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("rel err %1").arg(err)));

    ForwardOptions f;
    f.attentionMask = mask;
    const torch::Tensor masked = m.model->forward(ids, f).logits;
    QVERIFY(torch::isfinite(masked).all().item<bool>());
    const double errMasked = relErr(unmasked(masked, mask), unmasked(golden(model, "logits_masked"), mask));
    qInfo("%s float32 logits_masked (unmasked positions): rel err %.3g", qPrintable(model), errMasked);
    QVERIFY2(errMasked < 1e-5, qPrintable(QStringLiteral("rel err %1").arg(errMasked)));
  }

  // Features the shared fixtures lack, against tests/data/model/make_reference.py (a plain-torch restatement of
  // transformers' eager forward, itself checked against the transformers-made tiny-llama fixture): Qwen3's
  // q_norm/k_norm with head_dim ≠ hidden/heads, Mistral's sliding window, Llama 3.1's llama3 RoPE scaling.
  // "without" names the config key whose removal must change the logits, so the feature is really exercised.
  void referenceLogits_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("without");
    QTest::addColumn<int>("path");
    const QList<QPair<QString, QString>> cases = {{QStringLiteral("tiny-qwen3"), QString()},
                                                  {QStringLiteral("tiny-mistral-sw"), QStringLiteral("sliding_window")},
                                                  {QStringLiteral("tiny-llama3-rope"), QStringLiteral("rope_scaling")}};
    for (const auto& [model, without] : cases) {
      QTest::newRow(qPrintable(model + QStringLiteral(" explicit")))
          << model << without << int(AttentionPath::Explicit);
      QTest::newRow(qPrintable(model + QStringLiteral(" sdpa"))) << model << without << int(AttentionPath::Sdpa);
    }
  }

  void referenceLogits() {
    QFETCH(QString, model);
    QFETCH(QString, without);
    QFETCH(int, path);
    if (path == int(AttentionPath::Sdpa) && !sdpaAvailable())
      QSKIP("this LibTorch has no scaled_dot_product_attention");
    const QString dir = testDataDir() + QStringLiteral("/model/") + model;
    const SafetensorsFile golden(dir + QStringLiteral("/golden.safetensors"));
    const torch::Tensor ids = golden.tensor("input_ids"), mask = golden.tensor("attention_mask");
    LoadedModel m = loadModel(dir, torch::kFloat32, torch::kCPU);
    m.model->setAttentionPath(AttentionPath(path));
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = m.model->forward(ids).logits;
    const double err = relErr(logits, golden.tensor("logits"));
    qInfo("%s logits: rel err %.3g", qPrintable(model), err);
    QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("rel err %1").arg(err)));
    ForwardOptions f;
    f.attentionMask = mask;
    const double errMasked =
        relErr(unmasked(m.model->forward(ids, f).logits, mask), unmasked(golden.tensor("logits_masked"), mask));
    QVERIFY2(errMasked < 1e-5, qPrintable(QStringLiteral("masked rel err %1").arg(errMasked)));

    if (without.isEmpty()) return;
    QTemporaryDir plain;
    QJsonObject config = readJsonObject(dir + QStringLiteral("/config.json"));
    config.remove(without);
    QVERIFY(writeFile(plain.path() + QStringLiteral("/config.json"), QJsonDocument(config).toJson()));
    QVERIFY(
        QFile::copy(dir + QStringLiteral("/model.safetensors"), plain.path() + QStringLiteral("/model.safetensors")));
    const double gap = relErr(loadModel(plain.path(), torch::kFloat32, torch::kCPU).model->forward(ids).logits,
                              golden.tensor("logits"));
    QVERIFY2(gap > 1e-2, qPrintable(QStringLiteral("without %1 the logits differ by only %2").arg(without).arg(gap)));
  }

  void sdpaMatchesExplicit() {
    if (!sdpaAvailable())
      QSKIP(
          "this LibTorch has no scaled_dot_product_attention (the explicit path is checked "
          "against the golden logits)");
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
      torch::NoGradGuard noGrad;
      ForwardOptions f;
      f.attentionMask = golden(model, "attention_mask");
      const torch::Tensor ids = golden(model, "input_ids");
      m.model->setAttentionPath(AttentionPath::Sdpa);
      const torch::Tensor a = m.model->forward(ids, f).logits;
      m.model->setAttentionPath(AttentionPath::Explicit);
      const torch::Tensor b = m.model->forward(ids, f).logits;
      const torch::Tensor keep = f.attentionMask;
      const double err = relErr(unmasked(a, keep), unmasked(b, keep));
      QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("%1: sdpa vs explicit rel err %2").arg(model).arg(err)));
    }
  }

  void bfloat16() {
    // bf16 keeps 8 bits of mantissa (relative rounding 2^-9 ≈ 0.2% per op); through a few layers the logits
    // stay within a few percent of float32.
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(modelDir(model), torch::kBFloat16, torch::kCPU);
      QCOMPARE(m.model->dtype(), torch::kBFloat16);
      torch::NoGradGuard noGrad;
      const torch::Tensor logits = m.model->forward(golden(model, "input_ids")).logits;
      QCOMPARE(logits.scalar_type(), torch::kFloat32);
      const double err = relErr(logits, golden(model, "logits"));
      qInfo("%s bfloat16 logits: rel err %.3g", qPrintable(model), err);
      QVERIFY2(err < 2e-2, qPrintable(QStringLiteral("%1: rel err %2").arg(model).arg(err)));
    }
  }

  void hiddenStates() {
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
      torch::NoGradGuard noGrad;
      const torch::Tensor ids = golden(model, "input_ids");
      ForwardOptions f;
      f.hiddenStates = true;
      const CausalLMOutput out = m.model->forward(ids, f);
      QCOMPARE(int64_t(out.hiddenStates.size()), m.config.layers + 1);
      for (const torch::Tensor& h : out.hiddenStates)
        QCOMPARE(h.sizes().vec(), (std::vector<int64_t>{ids.size(0), ids.size(1), m.config.hidden}));
      // First: the embeddings; last: the normed output the head reads.
      QVERIFY(torch::equal(out.hiddenStates.front(), torch::embedding(m.model->model->embed_tokens->weight, ids)));
      QVERIFY(torch::allclose(torch::linear(out.hiddenStates.back(), m.model->outputWeight()), out.logits));
      QVERIFY(m.model->forward(ids).hiddenStates.empty());
    }
  }

  void greedy() {
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
      const torch::Tensor want = golden(model, "greedy_ids");
      const int64_t promptLength = 8;  // input_ids[:1, :8], as the fixtures' README says
      GenerateOptions o;
      o.greedy = true;
      o.repetitionPenalty = 1.0;  // transformers' default
      o.maxNewTokens = want.size(1) - promptLength;
      useModelTokenIds(o, m.config, m.generation);
      const GenerateResult r = generate(m.model, {row(golden(model, "input_ids").narrow(1, 0, promptLength), 0)}, o);
      QVERIFY2(torch::equal(r.sequences, want),
               qPrintable(model + QStringLiteral(": got ") + idsText(row(r.sequences, 0)) + QStringLiteral(", want ") +
                          idsText(row(want, 0))));
      QCOMPARE(r.steps, int(o.maxNewTokens));
    }
  }

  void kvCacheMatchesRecompute() {
    // Left-padded batch: each step's logits through the cache equal a full forward over everything so far.
    for (const QString& model : kModels) {
      LoadedModel m = loadModel(modelDir(model), torch::kFloat32, torch::kCPU);
      m.model->setAttentionPath(AttentionPath::Explicit);
      torch::NoGradGuard noGrad;
      const torch::Tensor all = golden(model, "input_ids");
      const int64_t prompt = 10, steps = 6;
      torch::Tensor ids = all.narrow(1, 0, prompt).clone();
      torch::Tensor mask = torch::ones_like(ids);
      mask[1].narrow(0, 0, 3).fill_(0);
      KvCache cache(prompt + 2);  // too small on purpose: it must grow
      ForwardOptions f;
      f.attentionMask = mask;
      f.cache = &cache;
      torch::Tensor cached = m.model->forward(ids, f).logits.select(1, -1);
      double worst = 0;
      for (int64_t s = 0; s < steps; ++s) {
        ForwardOptions full;
        full.attentionMask = mask;
        const torch::Tensor recomputed = m.model->forward(ids, full).logits.select(1, -1);
        worst = std::max(worst, relErr(cached, recomputed));
        const torch::Tensor next = all.narrow(1, prompt + s, 1);
        ids = torch::cat({ids, next}, 1);
        mask = torch::cat({mask, torch::ones({2, 1}, torch::kInt64)}, 1);
        f.attentionMask = mask;
        cached = m.model->forward(next, f).logits.select(1, -1);
      }
      QCOMPARE(cache.length(), prompt + steps);
      qInfo("%s KV cache vs recompute: worst rel err %.3g", qPrintable(model), worst);
      QVERIFY2(worst < 1e-5, qPrintable(QStringLiteral("%1: rel err %2").arg(model).arg(worst)));

      // Batched, left-padded greedy generation equals each prompt alone.
      GenerateOptions o;
      o.greedy = true;
      o.maxNewTokens = 5;
      const std::vector<int64_t> a = row(all.narrow(1, 0, 9), 0), b = row(all.narrow(1, 2, 5), 1);
      const GenerateResult batched = generate(m.model, {a, b}, o);
      QCOMPARE(batched.sequences.sizes().vec(), (std::vector<int64_t>{2, 9 + 5}));
      QCOMPARE(batched.newTokens[0], generate(m.model, {a}, o).newTokens[0]);
      QCOMPARE(batched.newTokens[1], generate(m.model, {b}, o).newTokens[0]);
    }
  }

  void slidingWindow() {
    // The Llama fixture as a Mistral (same tensor names): a window wider than the input changes nothing; a window
    // of w changes positions ≥ w only (earlier ones see their whole context either way).
    QTemporaryDir wide, narrow;
    const QString model = kModels.first();
    const int64_t window = 6;
    auto asMistral = [](int64_t w) {
      return [w](QJsonObject& c) {
        c.insert(QStringLiteral("architectures"), QJsonArray{QStringLiteral("MistralForCausalLM")});
        c.insert(QStringLiteral("model_type"), QStringLiteral("mistral"));
        c.insert(QStringLiteral("sliding_window"), qint64(w));
      };
    };
    const torch::Tensor ids = golden(model, "input_ids");
    writeModel(wide.path(), model, {}, asMistral(ids.size(1)));
    writeModel(narrow.path(), model, {}, asMistral(window));
    torch::NoGradGuard noGrad;
    const torch::Tensor full = loadModel(wide.path(), torch::kFloat32, torch::kCPU).model->forward(ids).logits;
    QVERIFY(relErr(full, golden(model, "logits")) < 1e-5);
    for (AttentionPath path : {AttentionPath::Explicit, AttentionPath::Sdpa}) {
      if (path == AttentionPath::Sdpa && !sdpaAvailable()) continue;
      LoadedModel m = loadModel(narrow.path(), torch::kFloat32, torch::kCPU);
      m.model->setAttentionPath(path);
      const torch::Tensor windowed = m.model->forward(ids).logits;
      QVERIFY(relErr(windowed.narrow(1, 0, window), full.narrow(1, 0, window)) < 1e-6);
      QVERIFY(relErr(windowed.narrow(1, window, ids.size(1) - window), full.narrow(1, window, ids.size(1) - window)) >
              1e-3);
    }
  }

  // ---- generation controls ------------------------------------------------------------------------------

  void generationControls() {
    LoadedModel m = loadModel(modelDir(kModels.first()), torch::kFloat32, torch::kCPU);
    const std::vector<int64_t> prompt = row(golden(kModels.first(), "input_ids").narrow(1, 0, 6), 0);
    GenerateOptions o;
    o.maxNewTokens = 8;
    o.topK = 50;
    o.seed = 42;
    const GenerateResult a = generate(m.model, {prompt, prompt}, o), b = generate(m.model, {prompt, prompt}, o);
    QVERIFY(torch::equal(a.sequences, b.sequences));  // same seed, same draws

    // An eos ends its row, which continues with pad; the run stops when every row has ended.
    GenerateOptions g;
    g.greedy = true;
    g.maxNewTokens = 8;
    const int64_t first = generate(m.model, {prompt}, g).newTokens[0][0];
    g.eosTokenIds = {first};
    g.padTokenId = 0;
    const GenerateResult stopped = generate(m.model, {prompt}, g);
    QCOMPARE(stopped.newTokens[0], std::vector<int64_t>{first});
    QVERIFY(stopped.finished[0]);
    QCOMPARE(stopped.steps, 1);

    // Cancel before the first step; progress returning false after the third.
    std::atomic_bool cancel{true};
    g.eosTokenIds.clear();
    g.cancel = &cancel;
    GenerateResult r = generate(m.model, {prompt}, g);
    QVERIFY(r.stopped);
    QCOMPARE(r.steps, 0);
    QCOMPARE(r.sequences.size(1), int64_t(prompt.size()));
    cancel = false;
    int calls = 0;
    g.progress = [&](int step, int total) {
      ++calls;
      return !(step == 3 && total == 8);
    };
    r = generate(m.model, {prompt}, g);
    QVERIFY(r.stopped);
    QCOMPARE(r.steps, 3);
    QCOMPARE(calls, 3);

    QCOMPARE(errorOf([&] { generate(m.model, std::vector<std::vector<int64_t>>{std::vector<int64_t>{}}, g); }),
             QStringLiteral("prompt 0 is empty"));
    QCOMPARE(errorOf([&] {
               generate(m.model, std::vector<std::vector<int64_t>>{std::vector<int64_t>{m.config.vocabSize}}, g);
             }),
             QStringLiteral("prompt 0=%1 is not a token id of this model (vocabulary %1)").arg(m.config.vocabSize));
  }

  void memoryEstimate() {
    const ModelConfig c = ModelConfig::fromFile(modelDir(kModels.first()) + QStringLiteral("/config.json"));
    const InferenceMemory inf = estimateInference(c, 4096, 1);
    QCOMPARE(inf.weightsBytes, parameterCount(c) * 2);
    QCOMPARE(inf.kvCacheBytes, 2 * c.layers * c.kvHeads * c.headDim * 4096 * 2);
    QCOMPARE(inf.totalBytes, inf.weightsBytes + inf.kvCacheBytes + inf.workspaceBytes);
    const LoraTrainingMemory lora = estimateLoraTraining(c, 16, 2048, 1);
    QVERIFY(lora.adapterParameters > 0 && lora.activationBytes > 0);
    QCOMPARE(lora.totalBytes, lora.weightsBytes + lora.adapterBytes + lora.activationBytes);
  }

  // ---- CLI ----------------------------------------------------------------------------------------------

  void cliLogits() {
    for (const QString& model : kModels) {
      QTemporaryDir tmp;
      const QString in = tmp.filePath(QStringLiteral("in.safetensors")),
                    out = tmp.filePath(QStringLiteral("out.safetensors"));
      writeSafetensors(in, {{"input_ids", golden(model, "input_ids")}});
      CliResult r = runCli({QStringLiteral("logits"), modelDir(model), in, out});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      double err = relErr(SafetensorsFile(out).tensor("logits"), golden(model, "logits"));
      QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("%1: rel err %2").arg(model).arg(err)));

      const torch::Tensor mask = golden(model, "attention_mask");
      writeSafetensors(in, {{"input_ids", golden(model, "input_ids")}, {"attention_mask", mask}});
      r = runCli(
          {QStringLiteral("logits"), modelDir(model), in, out, QStringLiteral("--dtype"), QStringLiteral("f32")});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      err =
          relErr(unmasked(SafetensorsFile(out).tensor("logits"), mask), unmasked(golden(model, "logits_masked"), mask));
      QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("%1 masked: rel err %2").arg(model).arg(err)));
    }
  }

  void cliLogitsErrors() {
    QTemporaryDir tmp;
    const QString model = modelDir(kModels.first());
    const QString in = tmp.filePath(QStringLiteral("in.safetensors")),
                  out = tmp.filePath(QStringLiteral("out.safetensors"));
    writeSafetensors(in, {{"ids", torch::zeros({1, 2}, torch::kInt64)}});
    CliResult r = runCli({QStringLiteral("logits"), model, in, out});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err, QStringLiteral("distillery-cli: %1: input_ids is missing\n").arg(in));
    writeSafetensors(in, {{"input_ids", torch::zeros({2}, torch::kInt64)}});
    r = runCli({QStringLiteral("logits"), model, in, out});
    QCOMPARE(r.err,
             QStringLiteral("distillery-cli: %1: input_ids must be a non-empty [batch, sequence] integer tensor, "
                            "got I64 [2]\n")
                 .arg(in));
    writeSafetensors(in, {{"input_ids", torch::full({1, 2}, 100000, torch::kInt64)}});
    r = runCli({QStringLiteral("logits"), model, in, out});
    QVERIFY2(r.err.contains(QStringLiteral("input_ids holds ids from 100000 to 100000, outside the vocabulary")),
             qPrintable(r.err));
    r = runCli({QStringLiteral("logits"), model, in, out, QStringLiteral("--dtype"), QStringLiteral("int4")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.startsWith(QStringLiteral("distillery-cli: --dtype=int4 must be f32 or bf16")));
    QVERIFY(!QFileInfo::exists(out));
  }

  void cliGenerate() {
    for (const QString& model : kModels) {
      const torch::Tensor want = golden(model, "greedy_ids");
      const std::vector<int64_t> prompt = row(golden(model, "input_ids").narrow(1, 0, 8), 0);
      const CliResult r =
          runCli({QStringLiteral("generate"), modelDir(model), QStringLiteral("--ids"), idsText(prompt),
                  QStringLiteral("--greedy"), QStringLiteral("--max-new-tokens"), QString::number(want.size(1) - 8)});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      QCOMPARE(r.out.trimmed(), QStringLiteral("[%1]").arg(idsText(row(want, 0))));

      // Text in, text out through the model's tokenizer.
      const CliResult text =
          runCli({QStringLiteral("--json"), QStringLiteral("generate"), modelDir(model), QStringLiteral("--prompt"),
                  QStringLiteral("Hello there"), QStringLiteral("--max-new-tokens"), QStringLiteral("4"),
                  QStringLiteral("--seed"), QStringLiteral("7")});
      QVERIFY2(text.code == 0, qPrintable(text.err));
      const QJsonObject o = QJsonDocument::fromJson(text.out.toUtf8()).object();
      QVERIFY2(o.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("Hello there")),
               qPrintable(text.out));
      QVERIFY(o.value(QStringLiteral("ids")).toArray().size() > 4);
    }
    const QString model = modelDir(kModels.first());
    CliResult r = runCli({QStringLiteral("generate"), model});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.startsWith(QStringLiteral("distillery-cli: give one of --ids and --prompt")));
    r = runCli({QStringLiteral("generate"), model, QStringLiteral("--ids"), QStringLiteral("1,x")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("distillery-cli: --ids=1,x must be token ids separated by commas\n"));
    r = runCli({QStringLiteral("generate"), model, QStringLiteral("--ids"), QStringLiteral("1"),
                QStringLiteral("--greedy"), QStringLiteral("--temperature"), QStringLiteral("0.5")});
    QCOMPARE(r.code, 2);
  }

  void cliInspect() {
    for (const QString& model : kModels) {
      const CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("inspect"), modelDir(model)});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
      const ModelConfig c = ModelConfig::fromFile(modelDir(model) + QStringLiteral("/config.json"));
      QCOMPARE(o.value(QStringLiteral("architecture")).toString(), c.architecture);
      QCOMPARE(o.value(QStringLiteral("layers")).toInteger(), c.layers);
      QCOMPARE(o.value(QStringLiteral("heads")).toInteger(), c.heads);
      QCOMPARE(o.value(QStringLiteral("kv_heads")).toInteger(), c.kvHeads);
      QCOMPARE(o.value(QStringLiteral("hidden")).toInteger(), c.hidden);
      QCOMPARE(o.value(QStringLiteral("intermediate")).toInteger(), c.intermediate);
      QCOMPARE(o.value(QStringLiteral("vocab")).toInteger(), c.vocabSize);
      QCOMPARE(o.value(QStringLiteral("head_dim")).toInteger(), c.headDim);
      QCOMPARE(o.value(QStringLiteral("tied")).toBool(), c.tieWordEmbeddings);
      QCOMPARE(o.value(QStringLiteral("rope_theta")).toDouble(), c.ropeTheta);
      QCOMPARE(o.value(QStringLiteral("dtype")).toString(), c.dtype);
      QCOMPARE(o.value(QStringLiteral("parameters")).toInteger(), parameterCount(c));
      QVERIFY(o.value(QStringLiteral("checkpoint")).toObject().value(QStringLiteral("matches_config")).toBool());
      const QJsonObject tok = o.value(QStringLiteral("tokenizer")).toObject();
      QVERIFY(tok.value(QStringLiteral("present")).toBool());
      QVERIFY2(!tok.contains(QStringLiteral("error")), qPrintable(r.out));
      const QJsonObject mem = o.value(QStringLiteral("memory")).toObject();
      QCOMPARE(mem.value(QStringLiteral("inference_bf16")).toObject().value(QStringLiteral("total_bytes")).toInteger(),
               estimateInference(c).totalBytes);
      QCOMPARE(
          mem.value(QStringLiteral("lora_training_bf16")).toObject().value(QStringLiteral("total_bytes")).toInteger(),
          estimateLoraTraining(c).totalBytes);
    }
    const CliResult r = runCli({QStringLiteral("inspect"), QStringLiteral("/nonexistent/model")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.startsWith(QStringLiteral("distillery-cli: /nonexistent/model/config.json: ")));
  }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
