// Students and the KD preflight: saveModel round trips (logits bit-identical after save → load, tied lm_head not
// stored, shards, dtype conversion, refusals that write nothing), init-student by layer selection (copied tensors
// bit-identical to the teacher's) and by fresh initialisation (statistics of transformers' init), their
// validation errors and CLI, and preflight verdicts on the fixture models and a vocab-padded copy.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "cli/Cli.h"
#include "common/Error.h"
#include "kd/Preflight.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"
#include "model/StudentInit.h"
#include "tokenizer/Tokenizer.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <functional>

using namespace distillery;

namespace {

QString modelDir(const QString& name) { return fixture(name); }

QJsonObject configOf(const QString& dir) { return readJsonObject(QDir(dir).filePath(QStringLiteral("config.json"))); }

torch::Tensor goldenIds(const QString& model) {
  return SafetensorsFile(fixture(model + QStringLiteral("/golden.safetensors"))).tensor("input_ids");
}

torch::Tensor logitsOf(CausalLM& m, const torch::Tensor& ids) {
  torch::NoGradGuard g;
  return m->forward(ids).logits;
}

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
}

// Runs fn, returns the Error it throws (fails the test when none is thrown or another type is).
template <typename E = Error>
E thrownError(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    qWarning("unexpected exception: %s", e.what());
    return E(QStringLiteral("(wrong exception type) ") + QString::fromUtf8(e.what()));
  }
  return E(QStringLiteral("(no error)"));
}

// A copy of tiny-qwen2 whose vocab_size is padded from 640 to `vocab` (as Qwen2.5's larger models pad 151665 ids
// to 152064 rows): the same tokenizer files, the original embedding rows, random extra rows.
void writePaddedQwen(const QString& out, int64_t vocab) {
  const LoadedModel src = loadModel(modelDir(QStringLiteral("tiny-qwen2")), torch::kFloat32, torch::kCPU);
  QJsonObject json = configOf(modelDir(QStringLiteral("tiny-qwen2")));
  json.insert(QStringLiteral("vocab_size"), static_cast<qint64>(vocab));
  const ModelConfig cfg = ModelConfig::fromJson(json, out);
  CausalLM padded(cfg, torch::TensorOptions().dtype(torch::kFloat32));
  torch::NoGradGuard g;
  for (auto& p : padded->named_parameters()) {
    const torch::Tensor from = src.model->named_parameters()[p.key()];
    if (p.key() == "model.embed_tokens.weight") {
      p.value().normal_(0, 0.02);
      p.value().narrow(0, 0, from.size(0)).copy_(from);
    } else {
      p.value().copy_(from);
    }
  }
  saveModel(padded, json, out, modelDir(QStringLiteral("tiny-qwen2")));
}

}  // namespace

class TestStudents : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    torch::manual_seed(0);
    QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("tiny-llama/config.json"))), qPrintable(fixturesDir()));
  }

  // ---- saveModel ------------------------------------------------------------------------------------------

  void saveRoundTrip_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("maxShardBytes");
    QTest::addColumn<int>("shards");  // files expected: 1 = model.safetensors, n > 1 = index + n shards
    // tiny-llama: 2 layers, 64 wide, vocab 512, untied: 129 KiB embeddings, 129 KiB lm_head, ~300 KiB layers.
    QTest::newRow("tiny-llama") << QStringLiteral("tiny-llama") << qint64(0) << 1;
    QTest::newRow("tiny-qwen2") << QStringLiteral("tiny-qwen2") << qint64(0) << 1;
    QTest::newRow("tiny-llama sharded 200 KB") << QStringLiteral("tiny-llama") << qint64(200'000) << 4;
    QTest::newRow("tiny-qwen2 sharded 300 KB") << QStringLiteral("tiny-qwen2") << qint64(300'000) << 5;
  }

  void saveRoundTrip() {
    QFETCH(QString, model);
    QFETCH(qint64, maxShardBytes);
    QFETCH(int, shards);
    const QString src = modelDir(model);
    LoadedModel original = loadModel(src, torch::kFloat32, torch::kCPU);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("saved"));
    SaveOptions o;
    o.maxShardBytes = maxShardBytes;
    saveModel(original.model, configOf(src), out, src, o);

    // The folder: config, weights, tokenizer and generation files byte-identical to the source's.
    const QStringList files = entries(out);
    if (shards == 1) {
      QVERIFY(files.contains(QStringLiteral("model.safetensors")));
      QVERIFY(!files.contains(QStringLiteral("model.safetensors.index.json")));
    } else {
      QVERIFY2(!files.contains(QStringLiteral("model.safetensors")), qPrintable(files.join(u' ')));
      QVERIFY(files.contains(QStringLiteral("model.safetensors.index.json")));
      for (int i = 1; i <= shards; ++i)
        QVERIFY2(files.contains(QStringLiteral("model-%1-of-%2.safetensors")
                                    .arg(i, 5, 10, QLatin1Char('0'))
                                    .arg(shards, 5, 10, QLatin1Char('0'))),
                 qPrintable(files.join(u' ')));
      // As save_pretrained: a shard goes over the limit only when it holds one tensor larger than the limit.
      for (const QString& f : CheckpointReader(out).files()) {
        const SafetensorsFile sf(f);
        int64_t bytes = 0;
        for (const TensorInfo& t : sf.tensors()) bytes += t.bytes();
        QVERIFY2(bytes <= maxShardBytes || sf.tensors().size() == 1, qPrintable(f));
      }
      const QJsonObject index = readJsonObject(QDir(out).filePath(QStringLiteral("model.safetensors.index.json")));
      qint64 total = 0;
      for (const ExpectedTensor& e : expectedTensors(original.config)) {
        int64_t n = 4;
        for (int64_t d : e.shape) n *= d;
        total += n;
      }
      QCOMPARE(index[QStringLiteral("metadata")][QStringLiteral("total_size")].toInteger(), total);
    }
    for (const QString& side : {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json"),
                                QStringLiteral("generation_config.json")})
      QCOMPARE(bytesOf(QDir(out).filePath(side)), bytesOf(QDir(src).filePath(side)));
    QVERIFY(!files.contains(QStringLiteral("special_tokens_map.json")));  // absent in the source: not invented
    QVERIFY2(files.size() == (shards == 1 ? 5 : 5 + shards), qPrintable(files.join(u' ')));  // no temp leftovers
    QCOMPARE(entries(tmp.path()), QStringList{QStringLiteral("saved")});
    QCOMPARE(configOf(out)[QStringLiteral("dtype")].toString(), QStringLiteral("float32"));

    // Tensors: exactly the model's parameters; a tied lm_head is not stored.
    const CheckpointReader ckpt(out);
    QCOMPARE(ckpt.contains(QStringLiteral("lm_head.weight")), !original.config.tieWordEmbeddings);
    QCOMPARE(ckpt.names().size(), static_cast<qsizetype>(expectedTensors(original.config).size()));
    for (const QString& f : ckpt.files())
      QCOMPARE(SafetensorsFile(f).metadata().value(QStringLiteral("format")), QStringLiteral("pt"));

    // Logits of the reloaded model equal the original's exactly (same float32 weights, same code).
    LoadedModel reloaded = loadModel(out, torch::kFloat32, torch::kCPU);
    const torch::Tensor ids = goldenIds(model);
    const torch::Tensor a = logitsOf(original.model, ids), b = logitsOf(reloaded.model, ids);
    QVERIFY2(torch::equal(a, b), qPrintable(QStringLiteral("max |diff| %1").arg((a - b).abs().max().item<double>())));
  }

  void saveConvertsDtype() {
    const QString src = modelDir(QStringLiteral("tiny-llama"));
    LoadedModel original = loadModel(src, torch::kFloat32, torch::kCPU);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("bf16"));
    SaveOptions o;
    o.dtype = torch::kBFloat16;
    saveModel(original.model, configOf(src), out, src, o);
    QCOMPARE(configOf(out)[QStringLiteral("dtype")].toString(), QStringLiteral("bfloat16"));
    const CheckpointReader ckpt(out);
    for (const QString& name : ckpt.names()) QCOMPARE(ckpt.info(name).dtype, DType::BF16);
    // Each stored value is the float32 weight rounded to bfloat16, exactly as torch's .to(bfloat16) rounds it.
    const torch::Tensor w = original.model->named_parameters()["model.layers.1.mlp.down_proj.weight"];
    QVERIFY(
        torch::equal(ckpt.load(QStringLiteral("model.layers.1.mlp.down_proj.weight"), torch::kBFloat16, torch::kCPU),
                     w.to(torch::kBFloat16)));
    LoadedModel reloaded = loadModel(out, torch::kBFloat16, torch::kCPU);
    QCOMPARE(reloaded.model->dtype(), torch::kBFloat16);
  }

  void saveRefusesForeignFolder() {
    const QString src = modelDir(QStringLiteral("tiny-qwen2"));
    LoadedModel m = loadModel(src, torch::kFloat32, torch::kCPU);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("notes"));
    QDir().mkpath(out);
    QFile f(QDir(out).filePath(QStringLiteral("notes.txt")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("mine");
    f.close();
    const Error e = thrownError([&] { saveModel(m.model, configOf(src), out, src); });
    QVERIFY2(e.detail().contains(QStringLiteral("is not empty and is not a model folder")), qPrintable(e.message()));
    QCOMPARE(e.path(), QDir::cleanPath(out));
    // Nothing written, nothing lost, no temp folder left beside it.
    QCOMPARE(entries(out), QStringList{QStringLiteral("notes.txt")});
    QCOMPARE(bytesOf(QDir(out).filePath(QStringLiteral("notes.txt"))), QByteArray("mine"));
    QCOMPARE(entries(tmp.path()), QStringList{QStringLiteral("notes")});

    // A file where the folder should be is refused too.
    const Error notDir =
        thrownError([&] { saveModel(m.model, configOf(src), QDir(out).filePath(QStringLiteral("notes.txt")), src); });
    QVERIFY2(notDir.detail().contains(QStringLiteral("is not a folder")), qPrintable(notDir.message()));

    // With allowOtherFiles (a job's output folder) the model goes in beside notes.txt, which is kept.
    SaveOptions o;
    o.allowOtherFiles = true;
    saveModel(m.model, configOf(src), out, src, o);
    QCOMPARE(bytesOf(QDir(out).filePath(QStringLiteral("notes.txt"))), QByteArray("mine"));
    QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors"))));
    loadModel(out, torch::kFloat32, torch::kCPU);
  }

  void saveOverModelFolder() {
    // Saving again into a model folder replaces the weights and removes shards the new save does not write;
    // files with other names stay.
    const QString src = modelDir(QStringLiteral("tiny-llama"));
    LoadedModel m = loadModel(src, torch::kFloat32, torch::kCPU);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("model"));
    SaveOptions sharded;
    sharded.maxShardBytes = 200'000;
    saveModel(m.model, configOf(src), out, src, sharded);
    QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors.index.json"))));
    QFile readme(QDir(out).filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("model card");
    readme.close();
    {
      torch::NoGradGuard g;
      m.model->named_parameters()["model.norm.weight"].fill_(2.0);
    }
    saveModel(m.model, configOf(src), out, src);
    QStringList expected{
        QStringLiteral("README.md"),         QStringLiteral("config.json"),    QStringLiteral("generation_config.json"),
        QStringLiteral("model.safetensors"), QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")};
    QCOMPARE(entries(out), expected);
    QCOMPARE(bytesOf(QDir(out).filePath(QStringLiteral("README.md"))), QByteArray("model card"));
    const CheckpointReader ckpt(out);
    QVERIFY(torch::equal(ckpt.load(QStringLiteral("model.norm.weight"), torch::kFloat32, torch::kCPU),
                         torch::full({64}, 2.0f)));
  }

  void saveRefusesUnmergedLora() {
    const QString src = modelDir(QStringLiteral("tiny-llama"));
    LoadedModel m = loadModel(src, torch::kFloat32, torch::kCPU);
    m.model->lm_head->register_parameter("lora_A", torch::zeros({8, 64}));
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("out"));
    const FormatError e = thrownError<FormatError>([&] { saveModel(m.model, configOf(src), out, src); });
    QCOMPARE(e.field(), QStringLiteral("lm_head.lora_A"));
    QVERIFY2(e.detail().contains(QStringLiteral("merge or unload")), qPrintable(e.message()));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(entries(tmp.path()).isEmpty());
  }

  void saveRefusesMismatchedConfig() {
    const QString src = modelDir(QStringLiteral("tiny-llama"));
    LoadedModel m = loadModel(src, torch::kFloat32, torch::kCPU);
    QJsonObject json = configOf(src);
    json.insert(QStringLiteral("intermediate_size"), 100);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("out"));
    const FormatError e = thrownError<FormatError>([&] { saveModel(m.model, json, out, src); });
    QCOMPARE(e.field(), QStringLiteral("model.layers.0.mlp.gate_proj.weight"));
    QCOMPARE(e.value(), QStringLiteral("[176, 64]"));
    QVERIFY(!QFileInfo::exists(out));
  }

  // ---- layer selection ------------------------------------------------------------------------------------

  void layerSelection_data() {
    QTest::addColumn<int>("teacher");
    QTest::addColumn<int>("student");
    QTest::addColumn<QList<qint64>>("expected");
    // round_half_up(i·(L−1)/(N−1)); 12 → 6 is DistilBERT's own [0, 2, 4, 7, 9, 11].
    QTest::newRow("12 to 6 (DistilBERT)") << 12 << 6 << QList<qint64>{0, 2, 4, 7, 9, 11};
    QTest::newRow("3 to 2") << 3 << 2 << QList<qint64>{0, 2};
    QTest::newRow("3 to 3") << 3 << 3 << QList<qint64>{0, 1, 2};
    QTest::newRow("3 to 1") << 3 << 1 << QList<qint64>{0};
    QTest::newRow("4 to 3 (half rounds up)") << 4 << 3 << QList<qint64>{0, 2, 3};
    QTest::newRow("24 to 4") << 24 << 4 << QList<qint64>{0, 8, 15, 23};
    QTest::newRow("28 to 14") << 28 << 14 << QList<qint64>{0, 2, 4, 6, 8, 10, 12, 15, 17, 19, 21, 23, 25, 27};
  }

  void layerSelection() {
    QFETCH(int, teacher);
    QFETCH(int, student);
    QFETCH(QList<qint64>, expected);
    const std::vector<int64_t> got = uniformLayerSelection(teacher, student);
    QCOMPARE(QList<qint64>(got.begin(), got.end()), expected);
  }

  void initStudentBySelection_data() {
    QTest::addColumn<QString>("teacher");
    QTest::addColumn<int>("layers");
    QTest::addColumn<QList<qint64>>("selected");
    QTest::newRow("tiny-qwen2 3 → 2") << QStringLiteral("tiny-qwen2") << 2 << QList<qint64>{0, 2};
    QTest::newRow("tiny-qwen2 3 → 1") << QStringLiteral("tiny-qwen2") << 1 << QList<qint64>{0};
    QTest::newRow("tiny-llama 2 → 2") << QStringLiteral("tiny-llama") << 2 << QList<qint64>{0, 1};
  }

  void initStudentBySelection() {
    QFETCH(QString, teacher);
    QFETCH(int, layers);
    QFETCH(QList<qint64>, selected);
    const QString src = modelDir(teacher);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("student"));
    StudentSpec spec;
    spec.layers = layers;
    const StudentResult r = initStudent(src, out, spec);
    QCOMPARE(r.method, StudentMethod::LayerSelection);
    QCOMPARE(QList<qint64>(r.teacherLayers.begin(), r.teacherLayers.end()), selected);

    // Every student tensor is a bit-identical copy of the teacher tensor it came from.
    const CheckpointReader t(src), s(out);
    const ModelConfig cfg = ModelConfig::fromFile(QDir(out).filePath(QStringLiteral("config.json")));
    QCOMPARE(cfg.layers, int64_t(layers));
    QCOMPARE(s.names().size(), static_cast<qsizetype>(expectedTensors(cfg).size()));
    for (const QString& name : s.names()) {
      QString from = name;
      if (name.startsWith(QLatin1String("model.layers."))) {
        const int i = name.section(QLatin1Char('.'), 2, 2).toInt();
        from = QStringLiteral("model.layers.%1.%2").arg(selected.at(i)).arg(name.section(QLatin1Char('.'), 3));
      }
      QCOMPARE(s.info(name).dtype, t.info(from).dtype);
      QVERIFY2(torch::equal(s.load(name, torch::kFloat32, torch::kCPU), t.load(from, torch::kFloat32, torch::kCPU)),
               qPrintable(name + QStringLiteral(" differs from the teacher's ") + from));
    }
    QCOMPARE(s.contains(QStringLiteral("lm_head.weight")), !cfg.tieWordEmbeddings);
    const QJsonObject json = configOf(out);
    if (json.contains(QStringLiteral("layer_types")))
      QCOMPARE(json[QStringLiteral("layer_types")].toArray().size(), qsizetype(layers));
    QCOMPARE(bytesOf(QDir(out).filePath(QStringLiteral("tokenizer.json"))),
             bytesOf(QDir(src).filePath(QStringLiteral("tokenizer.json"))));

    // It loads and runs: finite logits of the teacher's vocabulary.
    LoadedModel student = loadModel(out, torch::kFloat32, torch::kCPU);
    const torch::Tensor logits = logitsOf(student.model, goldenIds(teacher));
    QCOMPARE(logits.size(2), cfg.vocabSize);
    QVERIFY(torch::isfinite(logits).all().item<bool>());
    // Keeping every layer reproduces the teacher exactly.
    if (layers == ModelConfig::fromFile(QDir(src).filePath(QStringLiteral("config.json"))).layers) {
      LoadedModel t2 = loadModel(src, torch::kFloat32, torch::kCPU);
      QVERIFY(torch::equal(logits, logitsOf(t2.model, goldenIds(teacher))));
    }
  }

  // ---- fresh initialisation -------------------------------------------------------------------------------

  void initStudentFresh_data() {
    QTest::addColumn<QString>("teacher");
    QTest::addColumn<QList<qint64>>("shape");  // layers, hidden, intermediate, heads, kv heads
    QTest::newRow("tiny-qwen2 wider, tied") << QStringLiteral("tiny-qwen2") << QList<qint64>{4, 128, 352, 8, 2};
    QTest::newRow("tiny-llama narrower, untied") << QStringLiteral("tiny-llama") << QList<qint64>{2, 48, 128, 4, 4};
  }

  void initStudentFresh() {
    QFETCH(QString, teacher);
    QFETCH(QList<qint64>, shape);
    const QString src = modelDir(teacher);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("student"));
    StudentSpec spec{shape[0], shape[1], shape[2], shape[3], shape[4], 1234};
    const StudentResult r = initStudent(src, out, spec);
    QCOMPARE(r.method, StudentMethod::FreshInit);
    QVERIFY(r.teacherLayers.empty());
    const ModelConfig cfg = ModelConfig::fromFile(QDir(out).filePath(QStringLiteral("config.json")));
    const ModelConfig tcfg = ModelConfig::fromFile(QDir(src).filePath(QStringLiteral("config.json")));
    QCOMPARE(cfg.layers, shape[0]);
    QCOMPARE(cfg.hidden, shape[1]);
    QCOMPARE(cfg.intermediate, shape[2]);
    QCOMPARE(cfg.heads, shape[3]);
    QCOMPARE(cfg.kvHeads, shape[4]);
    QCOMPARE(cfg.headDim, shape[1] / shape[3]);
    QCOMPARE(cfg.vocabSize, tcfg.vocabSize);
    QCOMPARE(cfg.tieWordEmbeddings, tcfg.tieWordEmbeddings);
    QCOMPARE(r.parameters, parameterCount(cfg));

    // transformers' _init_weights: weights normal(0, initializer_range = 0.02), biases zero, norms one.
    const CheckpointReader ckpt(out);
    QCOMPARE(ckpt.contains(QStringLiteral("lm_head.weight")), !cfg.tieWordEmbeddings);
    std::vector<torch::Tensor> weights;
    int norms = 0, biases = 0;
    for (const QString& name : ckpt.names()) {
      const torch::Tensor t = ckpt.load(name, torch::kFloat64, torch::kCPU);
      if (name.endsWith(QLatin1String("norm.weight"))) {
        QVERIFY2(torch::equal(t, torch::ones_like(t)), qPrintable(name));
        ++norms;
      } else if (name.endsWith(QLatin1String(".bias"))) {
        QVERIFY2(torch::equal(t, torch::zeros_like(t)), qPrintable(name));
        ++biases;
      } else {
        weights.push_back(t.flatten());
        // Each tensor on its own: std within 10% of 0.02 (the smallest holds 48·48 = 2304 values, whose sample
        // std has a relative standard error of 1/√(2·2304) = 1.5%, so 10% is over 6 standard errors).
        const double sd = t.std().item<double>();
        QVERIFY2(std::abs(sd - 0.02) < 0.002, qPrintable(QStringLiteral("%1: std %2").arg(name).arg(sd)));
      }
    }
    QCOMPARE(norms, int(2 * cfg.layers + 1));
    QCOMPARE(biases, cfg.qkvBias ? int(3 * cfg.layers) : 0);
    // All weights pooled (over 100k values): std within 1% of 0.02 (relative standard error ≈ 0.2%), mean within
    // 5 standard errors (0.02/√n) of 0.
    const torch::Tensor all = torch::cat(weights);
    QVERIFY(all.numel() > 100'000);
    const double sd = all.std().item<double>(), mean = all.mean().item<double>();
    QVERIFY2(std::abs(sd - 0.02) < 0.0002, qPrintable(QStringLiteral("pooled std %1").arg(sd)));
    QVERIFY2(std::abs(mean) < 5 * 0.02 / std::sqrt(double(all.numel())),
             qPrintable(QStringLiteral("mean %1").arg(mean)));

    // Seeded: the same seed writes the same bytes, another seed different weights.
    const QString again = tmp.filePath(QStringLiteral("again")), other = tmp.filePath(QStringLiteral("other"));
    initStudent(src, again, spec);
    QCOMPARE(bytesOf(QDir(again).filePath(QStringLiteral("model.safetensors"))),
             bytesOf(QDir(out).filePath(QStringLiteral("model.safetensors"))));
    spec.seed = 99;
    initStudent(src, other, spec);
    QVERIFY(bytesOf(QDir(other).filePath(QStringLiteral("model.safetensors"))) !=
            bytesOf(QDir(out).filePath(QStringLiteral("model.safetensors"))));

    LoadedModel student = loadModel(out, torch::kFloat32, torch::kCPU);
    QVERIFY(torch::isfinite(logitsOf(student.model, goldenIds(teacher))).all().item<bool>());
  }

  void initStudentErrors_data() {
    QTest::addColumn<QString>("teacher");
    QTest::addColumn<QList<qint64>>("spec");  // layers, hidden, intermediate, heads, kv heads (0: teacher's)
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("detail");
    QTest::newRow("kv-heads 3 with heads 8")
        << QStringLiteral("tiny-llama") << QList<qint64>{2, 0, 0, 8, 3} << QStringLiteral("--kv-heads")
        << QStringLiteral("3") << QStringLiteral("does not divide --heads 8");
    QTest::newRow("kv-heads 4 with the teacher's 6 heads")
        << QStringLiteral("tiny-qwen2") << QList<qint64>{2, 0, 0, 0, 4} << QStringLiteral("--kv-heads")
        << QStringLiteral("4") << QStringLiteral("does not divide the teacher's 6 attention heads");
    QTest::newRow("layers 0") << QStringLiteral("tiny-llama") << QList<qint64>{0, 0, 0, 0, 0}
                              << QStringLiteral("--layers") << QStringLiteral("0")
                              << QStringLiteral("must be at least 1");
    QTest::newRow("layers above the teacher's")
        << QStringLiteral("tiny-qwen2") << QList<qint64>{4, 0, 0, 0, 0} << QStringLiteral("--layers")
        << QStringLiteral("4") << QStringLiteral("exceeds the teacher's 3 layers");
    QTest::newRow("hidden not divisible by heads")
        << QStringLiteral("tiny-qwen2") << QList<qint64>{2, 100, 0, 0, 0} << QStringLiteral("--hidden")
        << QStringLiteral("100") << QStringLiteral("is not divisible by the teacher's 6 attention heads");
    QTest::newRow("odd head size") << QStringLiteral("tiny-llama") << QList<qint64>{2, 36, 0, 4, 2}
                                   << QStringLiteral("--hidden") << QStringLiteral("36")
                                   << QStringLiteral("gives an odd head size 9");
    QTest::newRow("heads not a multiple of kv heads")
        << QStringLiteral("tiny-llama") << QList<qint64>{2, 0, 0, 1, 0} << QStringLiteral("--heads")
        << QStringLiteral("1") << QStringLiteral("is not a multiple of the teacher's 2 key/value heads");
  }

  void initStudentErrors() {
    QFETCH(QString, teacher);
    QFETCH(QList<qint64>, spec);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, detail);
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("student"));
    const UsageError e = thrownError<UsageError>([&] {
      initStudent(modelDir(teacher), out, StudentSpec{spec[0], spec[1], spec[2], spec[3], spec[4], 0});
    });
    QCOMPARE(e.field(), field);
    QCOMPARE(e.value(), value);
    QVERIFY2(e.detail().contains(detail), qPrintable(e.message()));
    QVERIFY(entries(tmp.path()).isEmpty());  // nothing written
  }

  void initStudentCli() {
    QTemporaryDir tmp;
    const QString teacher = modelDir(QStringLiteral("tiny-qwen2"));
    const QString out = tmp.filePath(QStringLiteral("s"));
    CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("init-student"), teacher, out,
                          QStringLiteral("--layers"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("method")].toString(), QStringLiteral("layer_selection"));
    QCOMPARE(o[QStringLiteral("teacher_layers")].toArray(), (QJsonArray{0, 2}));
    QCOMPARE(o[QStringLiteral("layers")].toInt(), 2);
    loadModel(out, torch::kFloat32, torch::kCPU);

    // People get the chosen layers as a line.
    r = runCli(
        {QStringLiteral("init-student"), teacher, tmp.filePath(QStringLiteral("h")), QStringLiteral("--layers=2")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("teacher_layers: [0,2]")), qPrintable(r.out));

    r = runCli({QStringLiteral("init-student"), teacher, tmp.filePath(QStringLiteral("f")), QStringLiteral("--layers"),
                QStringLiteral("2"), QStringLiteral("--hidden"), QStringLiteral("48"), QStringLiteral("--heads"),
                QStringLiteral("4"), QStringLiteral("--kv-heads"), QStringLiteral("2"), QStringLiteral("--seed"),
                QStringLiteral("7")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("method: fresh_init")), qPrintable(r.out));
    QCOMPARE(ModelConfig::fromFile(tmp.filePath(QStringLiteral("f/config.json"))).hidden, int64_t(48));

    // Usage errors exit 2 and name the flag and value; nothing is written.
    struct Case {
      QStringList args;
      QString message;
    };
    const QList<Case> usage = {
        {{QStringLiteral("--layers"), QStringLiteral("2"), QStringLiteral("--heads"), QStringLiteral("8"),
          QStringLiteral("--kv-heads"), QStringLiteral("3")},
         QStringLiteral("--kv-heads=3 does not divide --heads 8")},
        {{QStringLiteral("--layers"), QStringLiteral("0")}, QStringLiteral("--layers=0 must be at least 1")},
        {{QStringLiteral("--layers"), QStringLiteral("9")},
         QStringLiteral("--layers=9 exceeds the teacher's 3 layers")},
        {{QStringLiteral("--layers"), QStringLiteral("two")}, QStringLiteral("--layers=two must be a whole number")},
        {{QStringLiteral("--layers"), QStringLiteral("2"), QStringLiteral("--hidden"), QStringLiteral("0")},
         QStringLiteral("--hidden=0 must be at least 1")},
        {{}, QStringLiteral("--layers is required")},
    };
    for (const Case& c : usage) {
      const QString dir = tmp.filePath(QStringLiteral("bad"));
      r = runCli(QStringList{QStringLiteral("init-student"), teacher, dir} + c.args);
      QVERIFY2(r.code == 2, qPrintable(c.message + QStringLiteral(": exit %1, ").arg(r.code) + r.err));
      QVERIFY2(r.err.contains(c.message), qPrintable(r.err));
      QVERIFY(!QFileInfo::exists(dir));
    }
    // A missing teacher is a failure (1) naming the file.
    r = runCli({QStringLiteral("init-student"), tmp.filePath(QStringLiteral("nothing")),
                tmp.filePath(QStringLiteral("x")), QStringLiteral("--layers"), QStringLiteral("1")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("nothing/config.json")), qPrintable(r.err));
    // An occupied folder is refused (1) and left as it was.
    QDir().mkpath(tmp.filePath(QStringLiteral("busy")));
    QFile busy(tmp.filePath(QStringLiteral("busy/data.jsonl")));
    QVERIFY(busy.open(QIODevice::WriteOnly));
    busy.close();
    r = runCli({QStringLiteral("init-student"), teacher, tmp.filePath(QStringLiteral("busy")),
                QStringLiteral("--layers"), QStringLiteral("1")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("is not a model folder")), qPrintable(r.err));
    QCOMPARE(entries(tmp.filePath(QStringLiteral("busy"))), QStringList{QStringLiteral("data.jsonl")});
  }

  // ---- preflight ------------------------------------------------------------------------------------------

  void compareTokenizersCountsDifferingIds() {
    // Reference: the ids whose strings differ, counted through the tokenizer library's own id → token table.
    const Tokenizer a = Tokenizer::fromDirectory(modelDir(QStringLiteral("tiny-llama")));
    const Tokenizer b = Tokenizer::fromDirectory(modelDir(QStringLiteral("tiny-qwen2")));
    const int n = std::min(a.vocabSize(), b.vocabSize());
    int differing = 0, first = -1;
    for (int id = 0; id < n; ++id)
      if (a.idToToken(id) != b.idToToken(id) && differing++ == 0) first = id;
    const TokenizerComparison c =
        compareTokenizers(modelDir(QStringLiteral("tiny-llama")) + QStringLiteral("/tokenizer.json"),
                          modelDir(QStringLiteral("tiny-qwen2")) + QStringLiteral("/tokenizer.json"));
    QVERIFY(!c.same);
    QCOMPARE(c.teacherTokens, int64_t(a.vocabSize()));
    QCOMPARE(c.studentTokens, int64_t(b.vocabSize()));
    QCOMPARE(c.comparedIds, int64_t(n));
    QVERIFY(differing > 0);
    QCOMPARE(c.differingIds, int64_t(differing));
    QCOMPARE(c.exampleId, int64_t(first));
    QCOMPARE(c.exampleTeacher, a.idToToken(first));
    QCOMPARE(c.exampleStudent, b.idToToken(first));
  }

  void preflightVerdicts_data() {
    QTest::addColumn<QString>("teacher");  // fixture name, or "padded" for the vocab-padded tiny-qwen2 copy
    QTest::addColumn<QString>("student");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<qint64>("shared");
    QTest::addColumn<QString>("reason");
    QTest::newRow("different tokenizers")
        << QStringLiteral("tiny-llama") << QStringLiteral("tiny-qwen2") << int(KdVerdict::Refused) << qint64(0)
        << QStringLiteral("different tokenizers");
    QTest::newRow("identical") << QStringLiteral("tiny-qwen2") << QStringLiteral("tiny-qwen2")
                               << int(KdVerdict::LogitKd) << qint64(640)
                               << QStringLiteral("Same tokenizer (640 ids) and vocab_size 640");
    QTest::newRow("padded teacher")
        << QStringLiteral("padded") << QStringLiteral("tiny-qwen2") << int(KdVerdict::SharedIds) << qint64(640)
        << QStringLiteral("padded differently (teacher 704, student 640): KD runs over the shared ids [0, 640)");
    QTest::newRow("padded student") << QStringLiteral("tiny-qwen2") << QStringLiteral("padded")
                                    << int(KdVerdict::SharedIds) << qint64(640)
                                    << QStringLiteral("(teacher 640, student 704)");
    QTest::newRow("selected student") << QStringLiteral("tiny-qwen2") << QStringLiteral("selected")
                                      << int(KdVerdict::LogitKd) << qint64(640) << QStringLiteral("whole vocabulary");
  }

  void preflightVerdicts() {
    QFETCH(QString, teacher);
    QFETCH(QString, student);
    QFETCH(int, verdict);
    QFETCH(qint64, shared);
    QFETCH(QString, reason);
    QTemporaryDir tmp;
    auto dirOf = [&](const QString& name) {
      if (name == QLatin1String("padded")) {
        const QString d = tmp.filePath(QStringLiteral("padded"));
        if (!QFileInfo::exists(d)) writePaddedQwen(d, 704);
        return d;
      }
      if (name == QLatin1String("selected")) {
        const QString d = tmp.filePath(QStringLiteral("selected"));
        initStudent(modelDir(QStringLiteral("tiny-qwen2")), d, StudentSpec{1, 0, 0, 0, 0, 0});
        return d;
      }
      return modelDir(name);
    };
    const PreflightReport r = preflight(dirOf(teacher), dirOf(student), QStringLiteral("cpu"));
    QCOMPARE(int(r.verdict), verdict);
    QCOMPARE(r.sharedVocab, shared);
    QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));
    QCOMPARE(r.offerSequenceKd, r.verdict == KdVerdict::Refused);
    if (r.verdict == KdVerdict::Refused) {
      QVERIFY(r.tokenizers.differingIds > 0);
      QVERIFY2(r.reason.contains(QStringLiteral("Sequence-level KD")), qPrintable(r.reason));
      QVERIFY2(r.reason.contains(
                   QStringLiteral("of the first %1 ids map to different strings").arg(r.tokenizers.comparedIds)),
               qPrintable(r.reason));
    } else {
      QVERIFY(r.tokenizers.same);
    }
    // CPU: float32, MemAvailable known, the estimate's parts as documented.
    QCOMPARE(r.dtype, QStringLiteral("float32"));
    QVERIFY(r.memory.freeBytes > 0);
    const ModelConfig t = ModelConfig::fromFile(QDir(dirOf(teacher)).filePath(QStringLiteral("config.json")));
    const ModelConfig s = ModelConfig::fromFile(QDir(dirOf(student)).filePath(QStringLiteral("config.json")));
    QCOMPARE(r.memory.teacherBytes, parameterCount(t) * 4 + 4 * 512 * (4 * t.hidden + 3 * t.intermediate) * 4);
    QCOMPARE(r.memory.studentBytes, parameterCount(s) * 16);
    QCOMPARE(r.memory.totalBytes, r.memory.teacherBytes + r.memory.studentBytes + r.memory.activationBytes);
    QVERIFY(r.memory.fits);  // a few MB
    QCOMPARE(r.ok(), r.verdict != KdVerdict::Refused);
  }

  void preflightMemoryTooSmall() {
    // Batch and sequence large enough that the estimate passes any machine's MemAvailable.
    PreflightOptions o;
    o.batch = 1 << 12;
    o.sequence = 1 << 14;  // 2^26 tokens: over a terabyte of activations
    const PreflightReport r = preflight(modelDir(QStringLiteral("tiny-qwen2")), modelDir(QStringLiteral("tiny-qwen2")),
                                        QStringLiteral("cpu"), o);
    QVERIFY(!r.memory.fits);
    QVERIFY(!r.ok());
    QVERIFY2(r.warnings.join(u' ').contains(QStringLiteral("lower --batch or --seq")),
             qPrintable(r.warnings.join(u' ')));
  }

  void preflightCli() {
    const QString llama = modelDir(QStringLiteral("tiny-llama")), qwen = modelDir(QStringLiteral("tiny-qwen2"));
    CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("preflight"), qwen, qwen});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("verdict")].toString(), QStringLiteral("logit_kd"));
    QCOMPARE(o[QStringLiteral("shared_vocab")].toInt(), 640);
    QCOMPARE(o[QStringLiteral("ok")].toBool(), true);

    // Refused: exit 1, the reason and the sequence-level offer in the output.
    r = runCli({QStringLiteral("--json"), QStringLiteral("preflight"), llama, qwen, QStringLiteral("--batch"),
                QStringLiteral("2"), QStringLiteral("--seq"), QStringLiteral("64")});
    QCOMPARE(r.code, 1);
    o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("verdict")].toString(), QStringLiteral("refused"));
    QCOMPARE(o[QStringLiteral("offer_sequence_kd")].toBool(), true);
    QVERIFY(o[QStringLiteral("tokenizers")][QStringLiteral("differing_ids")].toInt() > 0);

    r = runCli({QStringLiteral("preflight"), llama, qwen});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains(QStringLiteral("verdict: refused")), qPrintable(r.out));

    r = runCli({QStringLiteral("preflight"), qwen, qwen, QStringLiteral("--device"), QStringLiteral("tpu")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--device=tpu must be cpu or cuda[:N]")), qPrintable(r.err));
    r = runCli({QStringLiteral("preflight"), qwen, qwen, QStringLiteral("--batch"), QStringLiteral("0")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--batch=0")), qPrintable(r.err));
    r = runCli({QStringLiteral("preflight"), qwen});
    QCOMPARE(r.code, 2);
    if (!torch::cuda::is_available()) {
      r = runCli({QStringLiteral("preflight"), qwen, qwen, QStringLiteral("--device"), QStringLiteral("cuda:0")});
      QCOMPARE(r.code, 1);
      QVERIFY2(r.err.contains(QStringLiteral("no CUDA")), qPrintable(r.err));
    }
  }
};

QTEST_GUILESS_MAIN(TestStudents)
#include "tst_students.moc"
