// LoRA against PEFT: the fixture adapter (tiny-llama/lora-adapter, saved by peft 0.21) gives the golden logits
// with the adapter and after merge_and_unload; one adapted linear layer against PEFT's formula computed with
// torch 1.13 (tests/data/lora/make_linear_cases.py); our save → load round trip in PEFT's naming; init, gradients,
// targeting, rsLoRA, unload; and every bad adapter refused with its exact error, the model left untouched.
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/Error.h"
#include "lora/Lora.h"
#include "model/CausalLM.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"

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
#include <set>

using namespace distillery;

namespace {

// ‖a − b‖ / ‖b‖ in double.
double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
  return (x - y).norm().item<double>() / y.norm().item<double>();
}

QString adapterDir() { return fixture(QStringLiteral("tiny-llama/lora-adapter")); }

torch::Tensor adapterGolden(const char* name) {
  return SafetensorsFile(adapterDir() + QStringLiteral("/golden.safetensors")).tensor(name);
}

CausalLM load(const QString& model) { return loadCausalLM(fixture(model), torch::kFloat32, torch::kCPU); }

torch::Tensor logitsOf(CausalLM& lm, const torch::Tensor& ids) {
  torch::NoGradGuard g;
  return lm->forward(ids).logits;
}

torch::Tensor goldenIds(const QString& model) {
  return SafetensorsFile(fixture(model + QStringLiteral("/golden.safetensors"))).tensor("input_ids");
}

std::set<std::string> parameterNames(CausalLM& lm) {
  std::set<std::string> names;
  for (const auto& item : lm->named_parameters()) names.insert(item.key());
  return names;
}

// Gives every lora_B seeded random values so that adapters change the output (B is zero at init).
void randomizeB(CausalLM& lm, uint64_t seed) {
  torch::NoGradGuard g;
  at::Generator gen = at::detail::createCPUGenerator(seed);
  for (auto& [name, t] : loraParameters(lm))
    if (name.find(".lora_B.") != std::string::npos) t.copy_(torch::randn(t.sizes(), gen) * 0.05);
}

std::vector<float> floats(const QJsonValue& v) {
  std::vector<float> out;
  for (const QJsonValue& x : v.toArray()) out.push_back(float(x.toDouble()));
  return out;
}

torch::Tensor tensorOf(const QJsonValue& v, std::vector<int64_t> shape) {
  return torch::tensor(floats(v), torch::kFloat32).reshape(shape);
}

QJsonObject linearCase(const QString& name) {
  const QJsonObject all = readJsonObject(testDataDir() + QStringLiteral("/lora/linear_cases.json"));
  for (const QJsonValue& c : all.value(QStringLiteral("cases")).toArray())
    if (c.toObject().value(QStringLiteral("name")).toString() == name) return c.toObject();
  return {};
}

// A writable copy of the fixture adapter.
void copyAdapter(const QString& to) {
  QDir().mkpath(to);
  for (const char* f : {"adapter_config.json", "adapter_model.safetensors"}) {
    QFile::copy(adapterDir() + QLatin1Char('/') + QLatin1String(f), to + QLatin1Char('/') + QLatin1String(f));
    QFile(to + QLatin1Char('/') + QLatin1String(f)).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
  }
}

void patchConfig(const QString& dir, const QJsonObject& patch) {
  const QString path = dir + QStringLiteral("/adapter_config.json");
  QJsonObject o = readJsonObject(path);
  for (auto it = patch.begin(); it != patch.end(); ++it) o.insert(it.key(), it.value());
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(QJsonDocument(o).toJson());
}

// Rewrites adapter_model.safetensors through edit(name → tensor).
void patchWeights(const QString& dir, const std::function<void(std::map<std::string, torch::Tensor>&)>& edit) {
  const QString path = dir + QStringLiteral("/adapter_model.safetensors");
  std::map<std::string, torch::Tensor> tensors;
  {
    const SafetensorsFile file(path);
    for (const TensorInfo& info : file.tensors()) tensors[info.name] = file.tensor(info.name);
  }
  edit(tensors);
  std::vector<std::pair<std::string, at::Tensor>> list(tensors.begin(), tensors.end());
  writeSafetensors(path, list, {{QStringLiteral("format"), QStringLiteral("pt")}});
}

const std::string kQ0A = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";

// A change made to a copy of the fixture adapter before loading it.
using Edit = std::function<void(const QString& dir)>;

}  // namespace

Q_DECLARE_METATYPE(Edit)

class TestLora : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void linearMatchesPeft_data();
  void linearMatchesPeft();
  void fixtureAdapterLogits();
  void fixtureAdapterMerged();
  void saveLoadRoundTrip();
  void initLeavesModelUnchanged_data();
  void initLeavesModelUnchanged();
  void onlyLoraGetsGradients();
  void targeting_data();
  void targeting();
  void mergeMatchesAdapterWithBiases();
  void rsLora();
  void unloadRestoresBase();
  void badOptions_data();
  void badOptions();
  void badAdapter_data();
  void badAdapter();
  void adapterTwiceRefused();
  void regexTargets();
  void bfloat16Base();
};

void TestLora::linearMatchesPeft_data() {
  QTest::addColumn<QString>("name");
  for (const char* n : {"r4_alpha8", "r8_alpha16_bias", "r16_alpha32_rslora", "r1_alpha3_rslora"})
    QTest::newRow(n) << QString::fromLatin1(n);
}

// One adapted Linear against PEFT's lora.Linear.forward and the kaiming bound torch computes.
void TestLora::linearMatchesPeft() {
  QFETCH(QString, name);
  const QJsonObject c = linearCase(name);
  QVERIFY2(!c.isEmpty(), qPrintable(name));
  const int64_t in = c.value(QStringLiteral("in")).toInt(), out = c.value(QStringLiteral("out")).toInt();
  const int r = c.value(QStringLiteral("r")).toInt();
  const bool bias = !c.value(QStringLiteral("bias")).isNull();

  LoraConfig cfg;
  cfg.r = r;
  cfg.alpha = c.value(QStringLiteral("alpha")).toDouble();
  cfg.rslora = c.value(QStringLiteral("rslora")).toBool();
  const double scaling = c.value(QStringLiteral("scaling")).toDouble();
  QVERIFY2(std::abs(cfg.scaling() - scaling) <= 1e-12 * scaling, qPrintable(QString::number(cfg.scaling(), 'g', 17)));

  // Our bound 1/√in is torch's kaiming_uniform_(a=√5) bound.
  const double bound = c.value(QStringLiteral("kaiming_bound")).toDouble();
  QVERIFY2(std::abs(1.0 / std::sqrt(double(in)) - bound) <= 1e-12, qPrintable(QString::number(bound, 'g', 17)));

  Linear linear(LinearOptions{in, out, bias}, torch::TensorOptions().dtype(torch::kFloat32));
  {
    torch::NoGradGuard g;
    linear->weight.copy_(tensorOf(c.value(QStringLiteral("weight")), {out, in}));
    if (bias) linear->bias.copy_(tensorOf(c.value(QStringLiteral("bias")), {out}));
  }
  const torch::Tensor x = tensorOf(c.value(QStringLiteral("x")), {2, 3, in});
  const torch::Tensor plain = linear->forward(x);
  linear->setLora({tensorOf(c.value(QStringLiteral("lora_A")), {r, in}),
                   tensorOf(c.value(QStringLiteral("lora_B")), {out, r}), cfg.scaling(), 0.5});
  linear->eval();  // dropout only in training mode
  const torch::Tensor y = linear->forward(x);
  const torch::Tensor want = tensorOf(c.value(QStringLiteral("y")), {2, 3, out});
  const double err = relErr(y, want);
  QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("relative error %1").arg(err)));
  QCOMPARE(linear->named_parameters().size(), size_t(bias ? 4 : 3));
  QVERIFY(linear->named_parameters().contains("lora_A.weight"));
  QVERIFY(linear->named_parameters().contains("lora_B.weight"));

  // The merged weight as PEFT's get_delta_weight: W + scaling·B·A.
  const torch::Tensor merged = linear->weight + torch::matmul(linear->loraB(), linear->loraA()) * linear->loraScaling();
  const double mergeErr = relErr(merged, tensorOf(c.value(QStringLiteral("merged_weight")), {out, in}));
  QVERIFY2(mergeErr < 1e-6, qPrintable(QStringLiteral("merged weight relative error %1").arg(mergeErr)));

  linear->removeLora();
  QVERIFY(!linear->hasLora());
  QCOMPARE(linear->named_parameters().size(), size_t(bias ? 2 : 1));
  QVERIFY(torch::equal(linear->forward(x), plain));
}

void TestLora::fixtureAdapterLogits() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  const LoraConfig c = loadAdapter(lm, adapterDir());
  QCOMPARE(c.r, 8);
  QCOMPARE(c.alpha, 16.0);
  QCOMPARE(c.dropout, 0.0);
  QCOMPARE(c.targetModules, (QStringList{"down_proj", "q_proj", "v_proj"}));
  QCOMPARE(c.rslora, false);
  QCOMPARE(c.scaling(), 2.0);
  QCOMPARE(loraParameters(lm).size(), size_t(12));  // 2 layers × 3 modules × (A, B)
  const torch::Tensor logits = logitsOf(lm, adapterGolden("input_ids"));
  const torch::Tensor want = adapterGolden("logits_with_adapter");
  const double err = relErr(logits, want);
  qInfo("fixture adapter logits: rel err %.3g", err);
  QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("relative error %1").arg(err)));
  // The adapter does change the output (far more than the tolerance).
  unloadLora(lm);
  const double moved = relErr(logitsOf(lm, adapterGolden("input_ids")), want);
  QVERIFY2(moved > 1e-3, qPrintable(QStringLiteral("adapter moved logits by only %1").arg(moved)));
}

void TestLora::fixtureAdapterMerged() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  loadAdapter(lm, adapterDir());
  const std::set<std::string> withAdapter = parameterNames(lm);
  mergeLora(lm);
  QVERIFY(!hasLora(lm));
  QVERIFY(loraParameters(lm).empty());
  QCOMPARE(parameterNames(lm).size(), withAdapter.size() - 12);
  const torch::Tensor ids = adapterGolden("input_ids");
  const torch::Tensor want = adapterGolden("logits_merged");
  const double err = relErr(logitsOf(lm, ids), want);
  qInfo("merged logits: rel err %.3g", err);
  QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("relative error %1").arg(err)));

  // The merged model as a full Hugging Face checkpoint that loads back with the same logits.
  QTemporaryDir tmp;
  const QString out = tmp.path() + QStringLiteral("/merged");
  saveModel(lm, readJsonObject(fixture(QStringLiteral("tiny-llama/config.json"))), out,
            fixture(QStringLiteral("tiny-llama")));
  CausalLM reloaded = loadCausalLM(out, torch::kFloat32, torch::kCPU);
  const double reloadErr = relErr(logitsOf(reloaded, ids), want);
  qInfo("merged, saved and reloaded logits: rel err %.3g", reloadErr);
  QVERIFY2(reloadErr < 1e-5, qPrintable(QStringLiteral("reloaded relative error %1").arg(reloadErr)));
}

void TestLora::saveLoadRoundTrip() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  LoraConfig c;
  c.r = 8;
  c.alpha = 16;
  c.dropout = 0.05;
  c.targetModules = {"q_proj", "v_proj", "down_proj"};
  applyLora(lm, c, 7);
  randomizeB(lm, 8);
  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-llama"));
  lm->eval();
  const torch::Tensor before = logitsOf(lm, ids);

  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/adapter");
  saveAdapter(lm, c, dir, QStringLiteral("/models/tiny-llama"));

  // Keys, shapes and dtypes exactly as PEFT saved the fixture adapter of the same configuration.
  const SafetensorsFile ours(dir + QStringLiteral("/adapter_model.safetensors"));
  const SafetensorsFile peft(adapterDir() + QStringLiteral("/adapter_model.safetensors"));
  QCOMPARE(ours.tensors().size(), peft.tensors().size());
  for (size_t i = 0; i < peft.tensors().size(); ++i) {
    QCOMPARE(QString::fromStdString(ours.tensors()[i].name), QString::fromStdString(peft.tensors()[i].name));
    QVERIFY(ours.tensors()[i].shape == peft.tensors()[i].shape);
    QVERIFY(ours.tensors()[i].dtype == peft.tensors()[i].dtype);
  }
  QCOMPARE(ours.metadata(), peft.metadata());

  // adapter_config.json: PEFT's keys, our values.
  const QJsonObject cfg = readJsonObject(dir + QStringLiteral("/adapter_config.json"));
  const QJsonObject peftCfg = readJsonObject(adapterDir() + QStringLiteral("/adapter_config.json"));
  QCOMPARE(cfg.keys(), peftCfg.keys());
  QCOMPARE(cfg.value(QStringLiteral("r")).toInt(), 8);
  QCOMPARE(cfg.value(QStringLiteral("lora_alpha")).toDouble(), 16.0);
  QCOMPARE(cfg.value(QStringLiteral("lora_dropout")).toDouble(), 0.05);
  QCOMPARE(cfg.value(QStringLiteral("target_modules")), peftCfg.value(QStringLiteral("target_modules")));
  QCOMPARE(cfg.value(QStringLiteral("base_model_name_or_path")).toString(), QStringLiteral("/models/tiny-llama"));
  for (const char* same : {"peft_type", "task_type", "bias", "use_dora", "use_rslora", "fan_in_fan_out",
                           "modules_to_save", "lora_bias", "rank_pattern", "alpha_pattern"})
    QVERIFY2(cfg.value(QLatin1String(same)) == peftCfg.value(QLatin1String(same)), same);

  CausalLM fresh = load(QStringLiteral("tiny-llama"));
  const LoraConfig back = loadAdapter(fresh, dir);
  QCOMPARE(back.r, c.r);
  QCOMPARE(back.alpha, c.alpha);
  QCOMPARE(back.dropout, c.dropout);
  QCOMPARE(back.rslora, c.rslora);
  fresh->eval();
  QVERIFY(torch::equal(logitsOf(fresh, ids), before));
  const auto a = loraParameters(lm), b = loraParameters(fresh);
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    QCOMPARE(QString::fromStdString(a[i].first), QString::fromStdString(b[i].first));
    QVERIFY(torch::equal(a[i].second, b[i].second));
    QVERIFY(b[i].second.requires_grad());
  }
}

void TestLora::initLeavesModelUnchanged_data() {
  QTest::addColumn<QString>("model");
  QTest::newRow("tiny-llama") << QStringLiteral("tiny-llama");
  QTest::newRow("tiny-qwen2") << QStringLiteral("tiny-qwen2");
}

// B = 0 → the same logits as the base; A within the kaiming bound; same seed → same A, other seed → other A.
void TestLora::initLeavesModelUnchanged() {
  QFETCH(QString, model);
  CausalLM lm = load(model);
  const torch::Tensor ids = goldenIds(model);
  const torch::Tensor base = logitsOf(lm, ids);
  const LoraConfig c;  // defaults: r 16, alpha 32, dropout 0.1, q_proj + v_proj
  QCOMPARE(c.r, 16);
  QCOMPARE(c.scaling(), 2.0);
  const QStringList adapted = applyLora(lm, c, 42);
  QCOMPARE(adapted.size(), 2 * int(lm->config().layers));
  lm->eval();
  QVERIFY(torch::equal(logitsOf(lm, ids), base));

  for (const auto& [name, t] : loraParameters(lm)) {
    QCOMPARE(t.scalar_type(), torch::kFloat32);
    if (name.find(".lora_B.") != std::string::npos) {
      QCOMPARE(t.size(1), int64_t(16));
      QVERIFY(torch::equal(t, torch::zeros_like(t)));
    } else {
      QCOMPARE(t.size(0), int64_t(16));
      const double bound = 1.0 / std::sqrt(double(t.size(1)));
      const double top = t.abs().max().item<double>();
      // Within the bound; with ≥ 1,024 uniform draws the largest is above 0.95·bound (P(fail) < 1e-20).
      QVERIFY2(
          top <= bound && top > 0.95 * bound,
          qPrintable(QStringLiteral("%1: max |A| %2, bound %3").arg(QString::fromStdString(name)).arg(top).arg(bound)));
      QVERIFY2(std::abs(t.mean().item<double>()) < 0.1 * bound, name.c_str());
    }
  }

  CausalLM same = load(model), other = load(model);
  applyLora(same, c, 42);
  applyLora(other, c, 43);
  const auto p = loraParameters(lm), q = loraParameters(same), o = loraParameters(other);
  for (size_t i = 0; i < p.size(); i += 2) {
    QVERIFY(torch::equal(p[i].second, q[i].second));
    QVERIFY(!torch::equal(p[i].second, o[i].second));
  }
}

void TestLora::onlyLoraGetsGradients() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  LoraConfig c;
  c.dropout = 0.1;
  applyLora(lm, c, 1);
  const auto lora = loraParameters(lm);
  QCOMPARE(lora.size(), size_t(8));  // 2 layers × (q, v) × (A, B)
  QCOMPARE(QString::fromStdString(lora[0].first), QStringLiteral("model.layers.0.self_attn.q_proj.lora_A.weight"));
  QCOMPARE(QString::fromStdString(lora[1].first), QStringLiteral("model.layers.0.self_attn.q_proj.lora_B.weight"));
  for (const auto& item : lm->named_parameters()) {
    const bool isLora = item.key().find(".lora_") != std::string::npos;
    QVERIFY2(item.value().requires_grad() == isLora, item.key().c_str());
  }

  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-llama"));
  lm->train();
  // Dropout on the adapter's input acts in training mode only; with B = 0 it cannot show yet, so give B values.
  randomizeB(lm, 2);
  const torch::Tensor t1 = lm->forward(ids).logits.detach(), t2 = lm->forward(ids).logits.detach();
  QVERIFY(!torch::equal(t1, t2));
  lm->eval();
  QVERIFY(torch::equal(logitsOf(lm, ids), logitsOf(lm, ids)));

  // B = 0 again: ∂L/∂A = 0 exactly (it only reaches A through B), ∂L/∂B ≠ 0.
  {
    torch::NoGradGuard g;
    for (auto& [name, t] : loraParameters(lm))
      if (name.find(".lora_B.") != std::string::npos) t.zero_();
  }
  lm->train();
  const torch::Tensor logits = lm->forward(ids).logits;
  const torch::Tensor loss =
      torch::nn::functional::cross_entropy(logits.narrow(1, 0, ids.size(1) - 1).reshape({-1, logits.size(-1)}),
                                           ids.narrow(1, 1, ids.size(1) - 1).reshape({-1}));
  loss.backward();
  for (const auto& item : lm->named_parameters()) {
    const std::string& k = item.key();
    const torch::Tensor& grad = item.value().grad();
    if (k.find(".lora_A.") != std::string::npos) {
      QVERIFY2(grad.defined() && torch::equal(grad, torch::zeros_like(grad)), k.c_str());
    } else if (k.find(".lora_B.") != std::string::npos) {
      QVERIFY2(grad.defined() && grad.abs().max().item<double>() > 0, k.c_str());
    } else {
      QVERIFY2(!grad.defined(), k.c_str());
    }
  }
}

void TestLora::targeting_data() {
  QTest::addColumn<QStringList>("targets");
  QTest::addColumn<QStringList>("expected");  // adapted modules of tiny-qwen2 (3 layers); "*" = every layer
  QTest::newRow("q,v") << QStringList{"q_proj", "v_proj"} << QStringList{"*self_attn.q_proj", "*self_attn.v_proj"};
  QTest::newRow("attention path") << QStringList{"self_attn.k_proj"} << QStringList{"*self_attn.k_proj"};
  QTest::newRow("one layer") << QStringList{"layers.1.mlp.up_proj"} << QStringList{"model.layers.1.mlp.up_proj"};
  QTest::newRow("all-linear") << QStringList{"all-linear"}
                              << QStringList{"*self_attn.q_proj", "*self_attn.k_proj", "*self_attn.v_proj",
                                             "*self_attn.o_proj", "*mlp.gate_proj",    "*mlp.up_proj",
                                             "*mlp.down_proj"};
}

// Suffix targeting and all-linear on tiny-qwen2 (q/k/v biases, tied lm_head), as PEFT selects modules.
void TestLora::targeting() {
  QFETCH(QStringList, targets);
  QFETCH(QStringList, expected);
  CausalLM lm = load(QStringLiteral("tiny-qwen2"));
  QStringList want;
  for (int layer = 0; layer < 3; ++layer)
    for (const QString& e : expected)
      if (e.startsWith(QLatin1Char('*'))) want.push_back(QStringLiteral("model.layers.%1.").arg(layer) + e.mid(1));
  for (const QString& e : expected)
    if (!e.startsWith(QLatin1Char('*'))) want.push_back(e);

  QCOMPARE(linearModuleNames(lm).size(), 21);
  QVERIFY(!linearModuleNames(lm).contains(QStringLiteral("lm_head")));
  QCOMPARE(linearModuleSuffixes(lm),
           (QStringList{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}));
  QStringList sortedWant = want;
  sortedWant.sort();
  QStringList selected = loraTargets(lm, targets);
  selected.sort();
  QCOMPARE(selected, sortedWant);

  LoraConfig c;
  c.targetModules = targets;
  QStringList adapted = applyLora(lm, c, 3);
  adapted.sort();
  QCOMPARE(adapted, sortedWant);
  QCOMPARE(loraParameters(lm).size(), size_t(2 * want.size()));
}

// With biases (tiny-qwen2's q/k/v) and every linear adapted, the merged model gives the adapted model's logits.
void TestLora::mergeMatchesAdapterWithBiases() {
  CausalLM lm = load(QStringLiteral("tiny-qwen2"));
  LoraConfig c;
  c.r = 4;
  c.alpha = 8;
  c.targetModules = {"all-linear"};
  applyLora(lm, c, 5);
  randomizeB(lm, 6);
  lm->eval();
  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-qwen2"));
  const torch::Tensor adapted = logitsOf(lm, ids);
  const torch::Tensor base = SafetensorsFile(fixture(QStringLiteral("tiny-qwen2/golden.safetensors"))).tensor("logits");
  QVERIFY2(relErr(adapted, base) > 1e-3, "the adapters should move the logits");
  mergeLora(lm);
  const double err = relErr(logitsOf(lm, ids), adapted);
  QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("relative error %1").arg(err)));
}

void TestLora::rsLora() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  LoraConfig c;
  c.r = 16;
  c.alpha = 8;
  c.rslora = true;
  QCOMPARE(c.scaling(), 2.0);  // 8/√16
  c.r = 4;
  QCOMPARE(c.scaling(), 4.0);  // 8/√4 (plain LoRA: 2)
  applyLora(lm, c, 9);
  randomizeB(lm, 10);
  lm->eval();
  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-llama"));
  const torch::Tensor before = logitsOf(lm, ids);
  QTemporaryDir tmp;
  saveAdapter(lm, c, tmp.path(), QString());
  const QJsonObject cfg = readJsonObject(tmp.path() + QStringLiteral("/adapter_config.json"));
  QCOMPARE(cfg.value(QStringLiteral("use_rslora")).toBool(), true);
  QVERIFY(cfg.value(QStringLiteral("base_model_name_or_path")).isNull());

  CausalLM fresh = load(QStringLiteral("tiny-llama"));
  const LoraConfig back = loadAdapter(fresh, tmp.path());
  QCOMPARE(back.rslora, true);
  QCOMPARE(back.scaling(), 4.0);
  fresh->eval();
  QVERIFY(torch::equal(logitsOf(fresh, ids), before));
  // The same adapter read as plain LoRA (scaling 2) gives other logits.
  patchConfig(tmp.path(), {{"use_rslora", false}});
  CausalLM plain = load(QStringLiteral("tiny-llama"));
  QCOMPARE(loadAdapter(plain, tmp.path()).scaling(), 2.0);
  QVERIFY(relErr(logitsOf(plain, ids), before) > 1e-4);
}

void TestLora::unloadRestoresBase() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-llama"));
  const torch::Tensor base = logitsOf(lm, ids);
  const std::set<std::string> names = parameterNames(lm);
  LoraConfig c;
  c.targetModules = {"all-linear"};
  applyLora(lm, c, 11);
  randomizeB(lm, 12);
  QVERIFY(!torch::equal(logitsOf(lm, ids), base));
  unloadLora(lm);
  QVERIFY(!hasLora(lm));
  QVERIFY(parameterNames(lm) == names);
  QVERIFY(torch::equal(logitsOf(lm, ids), base));
  // And again after loading the fixture adapter.
  loadAdapter(lm, adapterDir());
  unloadLora(lm);
  QVERIFY(torch::equal(logitsOf(lm, ids), base));
}

void TestLora::badOptions_data() {
  QTest::addColumn<int>("r");
  QTest::addColumn<double>("alpha");
  QTest::addColumn<double>("dropout");
  QTest::addColumn<QStringList>("targets");
  QTest::addColumn<QString>("error");
  const QStringList qv{"q_proj", "v_proj"};
  QTest::newRow("r 0") << 0 << 32.0 << 0.1 << qv << QStringLiteral("r=0 must be at least 1");
  QTest::newRow("alpha 0") << 16 << 0.0 << 0.1 << qv << QStringLiteral("lora_alpha=0 must be a positive number");
  QTest::newRow("dropout 1") << 16 << 32.0 << 1.0 << qv << QStringLiteral("lora_dropout=1 must be in [0, 1)");
  QTest::newRow("unknown target")
      << 16 << 32.0 << 0.1 << QStringList{"q_proj", "qkv"}
      << QStringLiteral(
             "target_modules=qkv matches no linear module of the model (its linear layers end in: "
             "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
  QTest::newRow("lm_head") << 16 << 32.0 << 0.1 << QStringList{"lm_head"}
                           << QStringLiteral(
                                  "target_modules=lm_head LoRA on the output projection (lm_head) is not "
                                  "supported");
  QTest::newRow("all-linear and more") << 16 << 32.0 << 0.1 << QStringList{"all-linear", "q_proj"}
                                       << QStringLiteral(
                                              "target_modules=all-linear \"all-linear\" must be the only "
                                              "target");
  QTest::newRow("no targets") << 16 << 32.0 << 0.1 << QStringList{}
                              << QStringLiteral("target_modules=[] names no module to adapt");
}

void TestLora::badOptions() {
  QFETCH(int, r);
  QFETCH(double, alpha);
  QFETCH(double, dropout);
  QFETCH(QStringList, targets);
  QFETCH(QString, error);
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  const std::set<std::string> names = parameterNames(lm);
  LoraConfig c;
  c.r = r;
  c.alpha = alpha;
  c.dropout = dropout;
  c.targetModules = targets;
  QCOMPARE(errorOf([&] { applyLora(lm, c, 1); }), error);
  QVERIFY(parameterNames(lm) == names);
  for (const auto& p : lm->parameters()) QVERIFY(!p.requires_grad());
}

void TestLora::badAdapter_data() {
  QTest::addColumn<Edit>("edit");
  QTest::addColumn<QString>("error");  // %1 = the adapter folder

  QTest::newRow("no folder") << Edit([](const QString& dir) { QDir(dir).removeRecursively(); })
                             << QStringLiteral("%1: is not a folder (a PEFT adapter folder expected)");
  QTest::newRow("no config") << Edit([](const QString& dir) {
    QFile::remove(dir + QStringLiteral("/adapter_config.json"));
  }) << QStringLiteral("%1/adapter_config.json: does not exist");
  QTest::newRow("no weights") << Edit([](const QString& dir) {
    QFile::remove(dir + QStringLiteral("/adapter_model.safetensors"));
  }) << QStringLiteral("%1/adapter_model.safetensors: does not exist");
  QTest::newRow("pickle weights")
      << Edit([](const QString& dir) {
           QFile::rename(dir + QStringLiteral("/adapter_model.safetensors"),
                         dir + QStringLiteral("/adapter_model.bin"));
         })
      << QStringLiteral(
             "%1/adapter_model.safetensors: does not exist (adapter_model.bin is a pickle file and is not "
             "read; convert it to safetensors)");
  QTest::newRow("wrong shape")
      << Edit([](const QString& dir) { patchWeights(dir, [](auto& t) {
                                         t[kQ0A] = torch::zeros({8, 63});
                                       }); })
      << QStringLiteral(
             "%1/adapter_model.safetensors: %2=[8, 63] has the wrong shape: [8, 64] expected (r = 8, module "
             "model.layers.0.self_attn.q_proj is [64, 64])")
             .arg(QStringLiteral("%1"), QString::fromStdString(kQ0A));
  QTest::newRow("rank differs from r") << Edit([](const QString& dir) {
    patchConfig(dir, {{"r", 4}});
  })
                                       << QStringLiteral(
                                              "%1/adapter_model.safetensors: "
                                              "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight=[8, "
                                              "176] has the wrong shape: [4, 176] expected (r = 4, module "
                                              "model.layers.0.mlp.down_proj is [64, 176])");
  QTest::newRow("unknown target")
      << Edit([](const QString& dir) {
           patchConfig(dir, {{"target_modules", QJsonArray{"q_proj", "query_key_value"}}});
         })
      << QStringLiteral(
             "%1/adapter_config.json: target_modules=query_key_value matches no linear module of the model "
             "(its linear layers end in: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
  QTest::newRow("tensor of an untargeted module")
      << Edit([](const QString& dir) {
           patchConfig(dir, {{"target_modules", QJsonArray{"q_proj", "v_proj"}}});
         })
      << QStringLiteral(
             "%1/adapter_model.safetensors: base_model.model.model.layers.0.mlp.down_proj.lora_A.weight=[8, "
             "176] belongs to module \"model.layers.0.mlp.down_proj\", which is not a target of this "
             "adapter's target_modules or not a linear module of the model");
  QTest::newRow("missing tensor")
      << Edit([](const QString& dir) {
           patchWeights(dir,
                        [](auto& t) { t.erase("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"); });
         })
      << QStringLiteral(
             "%1/adapter_model.safetensors: base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight "
             "is missing: target_modules selects module model.layers.1.self_attn.v_proj");
  QTest::newRow("not a lora key")
      << Edit([](const QString& dir) {
           patchWeights(dir, [](auto& t) { t["base_model.model.lm_head.weight"] = torch::zeros({512, 64}); });
         })
      << QStringLiteral(
             "%1/adapter_model.safetensors: base_model.model.lm_head.weight=[512, 64] is not a LoRA weight "
             "(\"base_model.model.<module>.lora_A.weight\" or \"...lora_B.weight\" expected)");
  QTest::newRow("dora") << Edit([](const QString& dir) {
    patchConfig(dir, {{"use_dora", true}});
  }) << QStringLiteral("%1/adapter_config.json: use_dora=true DoRA adapters are not supported");
  QTest::newRow("bias all") << Edit([](const QString& dir) {
    patchConfig(dir, {{"bias", "all"}});
  })
                            << QStringLiteral(
                                   "%1/adapter_config.json: bias=\"all\" only bias \"none\" is supported "
                                   "(trained biases are not)");
  QTest::newRow("modules_to_save")
      << Edit([](const QString& dir) {
           patchConfig(dir, {{"modules_to_save", QJsonArray{"lm_head"}}});
         })
      << QStringLiteral(
             "%1/adapter_config.json: modules_to_save=[\"lm_head\"] is not supported (only plain LoRA on "
             "linear layers)");
  QTest::newRow("rank_pattern")
      << Edit([](const QString& dir) {
           patchConfig(dir, {{"rank_pattern", QJsonObject{{"q_proj", 4}}}});
         })
      << QStringLiteral(
             "%1/adapter_config.json: rank_pattern={\"q_proj\":4} is not supported (only plain LoRA on "
             "linear layers)");
  QTest::newRow("not lora") << Edit([](const QString& dir) {
    patchConfig(dir, {{"peft_type", "IA3"}});
  })
                            << QStringLiteral(
                                   "%1/adapter_config.json: peft_type=\"IA3\" is not a LoRA adapter "
                                   "(peft_type must be \"LORA\")");
  QTest::newRow("fan_in_fan_out") << Edit([](const QString& dir) {
    patchConfig(dir, {{"fan_in_fan_out", true}});
  })
                                  << QStringLiteral(
                                         "%1/adapter_config.json: fan_in_fan_out=true transposed (Conv1D) "
                                         "weights are not supported");
  QTest::newRow("r 0") << Edit([](const QString& dir) {
    patchConfig(dir, {{"r", 0}});
  }) << QStringLiteral("%1/adapter_config.json: r=0 must be at least 1");
  QTest::newRow("r not whole") << Edit([](const QString& dir) {
    patchConfig(dir, {{"r", 2.5}});
  }) << QStringLiteral("%1/adapter_config.json: r=2.5 must be a whole number");
}

// Each bad adapter gives its exact error and leaves the model as it was (no adapters, same logits).
void TestLora::badAdapter() {
  QFETCH(Edit, edit);
  QFETCH(QString, error);
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/adapter");
  copyAdapter(dir);
  edit(dir);
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  const torch::Tensor ids = goldenIds(QStringLiteral("tiny-llama"));
  const torch::Tensor base = logitsOf(lm, ids);
  const std::set<std::string> names = parameterNames(lm);
  QCOMPARE(errorOf([&] { loadAdapter(lm, dir); }), error.arg(dir));
  QVERIFY(!hasLora(lm));
  QVERIFY(parameterNames(lm) == names);
  for (const auto& p : lm->parameters()) QVERIFY(!p.requires_grad());
  QVERIFY(torch::equal(logitsOf(lm, ids), base));
}

void TestLora::adapterTwiceRefused() {
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  loadAdapter(lm, adapterDir());
  const torch::Tensor ids = adapterGolden("input_ids");
  const torch::Tensor with = logitsOf(lm, ids);
  QCOMPARE(errorOf([&] { loadAdapter(lm, adapterDir()); }),
           adapterDir() + QStringLiteral(": the model already carries LoRA adapters; merge or unload them first"));
  QCOMPARE(errorOf([&] { applyLora(lm, LoraConfig{}, 1); }),
           QStringLiteral("the model already carries LoRA adapters; merge or unload them first"));
  QVERIFY(torch::equal(logitsOf(lm, ids), with));
  QCOMPARE(loraParameters(lm).size(), size_t(12));
  CausalLM plain = load(QStringLiteral("tiny-llama"));
  QTemporaryDir tmp;
  QCOMPARE(errorOf([&] { saveAdapter(plain, LoraConfig{}, tmp.path(), QString()); }),
           tmp.path() + QStringLiteral(": the model carries no LoRA adapters to save"));
}

// PEFT also accepts target_modules as one regular expression that must match the whole module name.
void TestLora::regexTargets() {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/adapter");
  copyAdapter(dir);
  patchConfig(dir,
              {{"target_modules", QStringLiteral(R"(model\.layers\.\d+\.(self_attn\.[qv]_proj|mlp\.down_proj))")}});
  CausalLM lm = load(QStringLiteral("tiny-llama"));
  const LoraConfig c = loadAdapter(lm, dir);
  QCOMPARE(c.targetModules.size(), 1);
  QCOMPARE(loraParameters(lm).size(), size_t(12));
  const double err = relErr(logitsOf(lm, adapterGolden("input_ids")), adapterGolden("logits_with_adapter"));
  QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("relative error %1").arg(err)));

  // A regex must match whole names: "q_proj" alone matches none of them.
  patchConfig(dir, {{"target_modules", QStringLiteral("q_proj")}});
  CausalLM other = load(QStringLiteral("tiny-llama"));
  QCOMPARE(errorOf([&] { loadAdapter(other, dir); }),
           dir + QStringLiteral("/adapter_config.json: target_modules=q_proj matches no linear module of the model"));
  QVERIFY(!hasLora(other));
}

// A bfloat16 base keeps float32 adapters (as PEFT does); logits within bf16's few percent of the float32 golden
// ones (the bound tst_model uses for the base model), before and after merging into the bf16 weights.
void TestLora::bfloat16Base() {
  CausalLM lm = loadCausalLM(fixture(QStringLiteral("tiny-llama")), torch::kBFloat16, torch::kCPU);
  loadAdapter(lm, adapterDir());
  for (const auto& [name, t] : loraParameters(lm)) QCOMPARE(t.scalar_type(), torch::kFloat32);
  const torch::Tensor ids = adapterGolden("input_ids");
  const double err = relErr(logitsOf(lm, ids), adapterGolden("logits_with_adapter"));
  qInfo("bfloat16 base + adapter logits: rel err %.3g", err);
  QVERIFY2(err < 2e-2, qPrintable(QStringLiteral("relative error %1").arg(err)));
  mergeLora(lm);
  QCOMPARE(lm->dtype(), torch::kBFloat16);
  QCOMPARE(lm->named_parameters()["model.layers.0.self_attn.q_proj.weight"].scalar_type(), torch::kBFloat16);
  const double mergedErr = relErr(logitsOf(lm, ids), adapterGolden("logits_merged"));
  qInfo("bfloat16 merged logits: rel err %.3g", mergedErr);
  QVERIFY2(mergedErr < 2e-2, qPrintable(QStringLiteral("relative error %1").arg(mergedErr)));
}

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
