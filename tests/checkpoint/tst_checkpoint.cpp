// The checkpoint file layer: safetensors read/write against files the reference library wrote, sharded folders,
// pickle refusal, JSON files, and one row per malformed input with its exact error.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/Error.h"

#include "Fixtures.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QTest>

#include <functional>

using namespace distillery;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

bool writeAll(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray lengthPrefix(quint64 n) {
  QByteArray out(8, '\0');
  qToLittleEndian<quint64>(n, out.data());
  return out;
}

// A safetensors file from a header text and a data section of `dataBytes` bytes.
QByteArray safetensorsBytes(const QByteArray& header, qsizetype dataBytes) {
  return lengthPrefix(static_cast<quint64>(header.size())) + header + QByteArray(dataBytes, '\x01');
}

// `entries` inside {...}, each "name":{...}.
QByteArray entry(const char* name, const char* dtype, const char* shape, const char* offsets) {
  return QByteArray("\"") + name + "\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets +
         "}";
}

const QByteArray kValidA = entry("a", "\"F32\"", "[2]", "[0,8]");

// Runs fn and checks it throws a FormatError with this path and field whose text names the file and holds needle.
void expectFormatError(const std::function<void()>& fn, const QString& path, const QString& field,
                       const QString& needle) {
  try {
    fn();
  } catch (const FormatError& e) {
    const QString text = e.message();
    QVERIFY2(e.path() == path, qPrintable(QStringLiteral("path %1, expected %2 (%3)").arg(e.path(), path, text)));
    QVERIFY2(e.field() == field,
             qPrintable(QStringLiteral("field '%1', expected '%2' (%3)").arg(e.field(), field, text)));
    QVERIFY2(text.startsWith(path + QStringLiteral(": ")), qPrintable(text));
    QVERIFY2(text.contains(needle), qPrintable(QStringLiteral("'%1' lacks '%2'").arg(text, needle)));
    return;
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("threw something else: ") + QString::fromUtf8(e.what())));
  }
  QFAIL("no error thrown");
}

// Every tensor of a file, as (name, owning tensor), in reverse name order so the writer has to sort.
std::vector<std::pair<std::string, torch::Tensor>> allTensors(const SafetensorsFile& file) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const TensorInfo& t : file.tensors()) out.emplace_back(t.name, file.tensor(t.name));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

// The tensors tests/data/checkpoint/make_dtypes.py writes.
std::vector<std::pair<std::string, torch::Tensor>> expectedDtypeTensors() {
  using torch::tensor;
  const auto opts = [](torch::ScalarType s) { return torch::TensorOptions().dtype(s); };
  return {
      {"f64", (torch::arange(6, opts(torch::kFloat64)) - 2.5).mul(0.375).reshape({2, 3})},
      {"f32", (torch::arange(6, opts(torch::kFloat32)) * 1.25 - 3).reshape({3, 2})},
      {"f16", tensor({0.5, -1.5, 1024.0, -0.25}).to(torch::kFloat16)},
      {"bf16", tensor({1.0, -3.0, 0.15625, 256.0}).reshape({2, 2}).to(torch::kBFloat16)},
      {"i64", tensor({-(int64_t(1) << 62), int64_t(0), (int64_t(1) << 62) + 5}, opts(torch::kInt64))},
      {"i32",
       tensor({int64_t(-2147483648LL), int64_t(2147483647), int64_t(0), int64_t(7)}).reshape({2, 2}).to(torch::kInt32)},
      {"i16", tensor({-32768, 32767, 12}).to(torch::kInt16)},
      {"i8", tensor({-128, 127, 0, -1}).to(torch::kInt8)},
      {"u8", tensor({0, 255}).to(torch::kUInt8)},
      {"bool", tensor({1, 0, 1}).to(torch::kBool)},
      {"scalar", torch::full({}, 3.5, opts(torch::kFloat32))},
      {"empty", torch::zeros({0, 4}, opts(torch::kFloat32))},
      {"weird \"name\"\t\x01/\xC3\xBC\xE6\x9D\x83", tensor({7, 9}).to(torch::kUInt8)},
  };
}

bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
  return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && a.device() == b.device() &&
         (a.numel() == 0 || torch::equal(a, b));
}

// Splits tiny-llama into three shards plus an index, as save_pretrained(max_shard_size=...) does.
struct ShardedCopy {
  QString dir;
  QStringList shardNames;            // model-0000k-of-00003.safetensors
  QMap<QString, QString> placement;  // tensor → shard file
  QString indexPath() const { return dir + QStringLiteral("/model.safetensors.index.json"); }
  QString shardPath(int i) const { return dir + QLatin1Char('/') + shardNames[i]; }

  void writeIndex(const QJsonObject& weightMap) const {
    const QJsonObject root{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), 631360}}},
                           {QStringLiteral("weight_map"), weightMap}};
    writeAll(indexPath(), QJsonDocument(root).toJson());
  }
  QJsonObject weightMap() const {
    QJsonObject map;
    for (auto it = placement.begin(); it != placement.end(); ++it) map.insert(it.key(), it.value());
    return map;
  }
};

ShardedCopy makeSharded(const QString& dir) {
  ShardedCopy out;
  out.dir = dir;
  const SafetensorsFile single(fixture(QStringLiteral("tiny-llama/model.safetensors")));
  std::vector<std::vector<std::pair<std::string, torch::Tensor>>> shards(3);
  int i = 0;
  for (const TensorInfo& t : single.tensors()) shards[i++ % 3].emplace_back(t.name, single.tensor(t.name));
  for (int k = 0; k < 3; ++k) {
    out.shardNames << QStringLiteral("model-%1-of-00003.safetensors").arg(k + 1, 5, 10, QLatin1Char('0'));
    writeSafetensors(out.shardPath(k), shards[k], {{QStringLiteral("format"), QStringLiteral("pt")}});
    for (const auto& [name, tensor] : shards[k]) out.placement.insert(QString::fromStdString(name), out.shardNames[k]);
  }
  out.writeIndex(out.weightMap());
  return out;
}

}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("tiny-llama/model.safetensors"))),
             qPrintable(QStringLiteral("fixtures not found in ") + fixturesDir()));
    QVERIFY2(QFileInfo::exists(testDataDir() + QStringLiteral("/checkpoint/dtypes.safetensors")),
             qPrintable(QStringLiteral("test data not found in ") + testDataDir()));
  }

  // ------------------------------------------------------------------------------------------ reading fixtures

  void readsTinyLlama() {
    const SafetensorsFile file(fixture(QStringLiteral("tiny-llama/model.safetensors")));
    QCOMPARE(file.tensors().size(), size_t(21));
    QCOMPARE(file.metadata().value(QStringLiteral("format")), QStringLiteral("pt"));
    const TensorInfo* lmHead = file.find("lm_head.weight");
    QVERIFY(lmHead);
    QCOMPARE(lmHead->dtype, DType::F32);
    QCOMPARE(lmHead->shape, (std::vector<int64_t>{512, 64}));
    QCOMPARE(lmHead->begin, int64_t(0));
    QCOMPARE(lmHead->end, int64_t(512 * 64 * 4));
    QCOMPARE(file.find("model.layers.1.self_attn.k_proj.weight")->shape, (std::vector<int64_t>{32, 64}));
    QCOMPARE(file.find("model.layers.0.mlp.down_proj.weight")->shape, (std::vector<int64_t>{64, 176}));
    QVERIFY(file.find("model.layers.2.mlp.down_proj.weight") == nullptr);
    QVERIFY(file.find("") == nullptr);

    const torch::Tensor w = file.tensor("lm_head.weight");
    QCOMPARE(w.scalar_type(), torch::kFloat32);
    QCOMPARE(w.sizes().vec(), (std::vector<int64_t>{512, 64}));
    QVERIFY(w.is_contiguous());
    // Values read with Python from the same file.
    QCOMPARE(w[0][0].item<float>(), 0.016016457229852676f);
    QCOMPARE(w[0][2].item<float>(), -0.01946641132235527f);
    const double normSum = file.tensor("model.norm.weight").to(torch::kFloat64).sum().item<double>();
    QVERIFY2(std::abs(normSum - 64.64519435167313) < 1e-9, qPrintable(QString::number(normSum, 'g', 17)));
  }

  void readsGolden() {
    const SafetensorsFile file(fixture(QStringLiteral("tiny-llama/golden.safetensors")));
    QVERIFY(file.metadata().isEmpty());
    QCOMPARE(file.find("input_ids")->dtype, DType::I64);
    QCOMPARE(file.find("input_ids")->shape, (std::vector<int64_t>{2, 24}));
    QCOMPARE(file.find("greedy_ids")->shape, (std::vector<int64_t>{1, 20}));
    QCOMPARE(file.find("logits")->dtype, DType::F32);
    QCOMPARE(file.find("logits")->shape, (std::vector<int64_t>{2, 24, 512}));
    const torch::Tensor ids = file.tensor("input_ids");
    QCOMPARE(ids.scalar_type(), torch::kInt64);
    const std::vector<int64_t> first(ids[0].data_ptr<int64_t>(), ids[0].data_ptr<int64_t>() + 8);
    QCOMPARE(first, (std::vector<int64_t>{175, 196, 25, 502, 67, 211, 407, 103}));
    const double logitSum = file.tensor("logits").to(torch::kFloat64).sum().item<double>();
    QVERIFY2(std::abs(logitSum - 28.32010923931057) < 1e-9, qPrintable(QString::number(logitSum, 'g', 17)));
  }

  void tensorOutlivesFile() {
    torch::Tensor w;
    {
      const SafetensorsFile file(fixture(QStringLiteral("tiny-llama/golden.safetensors")));
      w = file.tensor("greedy_ids");
    }
    QCOMPARE(w[0][19].item<int64_t>(), int64_t(12));
    QCOMPARE(w.sum().item<int64_t>(), int64_t(175 + 196 + 25 + 502 + 67 + 211 + 407 + 103 + 317 + 493 + 12 + 244 + 402 +
                                              12 + 244 + 402 + 12 + 244 + 402 + 12));
  }

  void readsEveryDtypeFromScript() {
    const SafetensorsFile file(testDataDir() + QStringLiteral("/checkpoint/dtypes.safetensors"));
    QCOMPARE(file.metadata().value(QStringLiteral("note")), QStringLiteral("a \"quoted\"\nline"));
    const auto expected = expectedDtypeTensors();
    QCOMPARE(file.tensors().size(), expected.size());
    for (const auto& [name, tensor] : expected) {
      QVERIFY2(file.find(name), name.c_str());
      const torch::Tensor got = file.tensor(name);
      QVERIFY2(sameTensor(got, tensor), name.c_str());
    }
  }

  // ----------------------------------------------------------------------------------------------- writing

  void writeReadRoundTrip_data() {
    QTest::addColumn<int>("dtype");
    for (DType d : {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64, DType::I32, DType::I16, DType::I8,
                    DType::U8, DType::Bool})
      QTest::newRow(qPrintable(dtypeName(d))) << static_cast<int>(d);
  }
  void writeReadRoundTrip() {
    QFETCH(int, dtype);
    const DType d = static_cast<DType>(dtype);
    const torch::ScalarType s = toScalarType(d);
    torch::manual_seed(1234 + dtype);
    torch::Tensor base;
    if (d == DType::Bool)
      base = torch::randint(0, 2, {4, 6}).to(s);
    else if (d == DType::U8)
      base = torch::randint(0, 256, {4, 6}).to(s);
    else if (torch::isFloatingType(s))
      base = (torch::randn({4, 6}) * 100).to(s);
    else
      base = torch::randint(-128, 128, {4, 6}).to(s);
    const torch::Tensor transposed = base.t();  // not contiguous: the writer must copy
    const torch::Tensor scalar = base.flatten()[5].clone().reshape({});
    const torch::Tensor empty = torch::empty({3, 0, 2}, torch::TensorOptions().dtype(s));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.safetensors"));
    const QMap<QString, QString> meta{{QStringLiteral("format"), QStringLiteral("pt")},
                                      {QStringLiteral("ünï"), QStringLiteral("\"x\"\n\\")}};
    writeSafetensors(path, {{"base", base}, {"transposed", transposed}, {"scalar", scalar}, {"empty", empty}}, meta);
    const SafetensorsFile file(path);
    QCOMPARE(file.metadata(), meta);
    QCOMPARE(file.find("base")->dtype, d);
    QVERIFY(sameTensor(file.tensor("base"), base));
    QVERIFY(sameTensor(file.tensor("transposed"), transposed.contiguous()));
    QVERIFY(sameTensor(file.tensor("scalar"), scalar));
    QVERIFY(sameTensor(file.tensor("empty"), empty));
    const QByteArray bytes = readAll(path);
    const quint64 headerLength = qFromLittleEndian<quint64>(bytes.constData());
    QCOMPARE(headerLength % 8, quint64(0));
    QCOMPARE(qsizetype(8 + headerLength + 2 * base.numel() * base.element_size() + base.element_size()), bytes.size());
  }

  // Reading every tensor of a file the reference library wrote and writing it again gives the same bytes.
  void matchesReferenceBytes_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("tiny-llama model") << fixture(QStringLiteral("tiny-llama/model.safetensors"));
    QTest::newRow("tiny-llama golden (I64 + F32)") << fixture(QStringLiteral("tiny-llama/golden.safetensors"));
    QTest::newRow("tiny-qwen2 model") << fixture(QStringLiteral("tiny-qwen2/model.safetensors"));
    QTest::newRow("lora adapter") << fixture(QStringLiteral("tiny-llama/lora-adapter/adapter_model.safetensors"));
    QTest::newRow("every dtype (make_dtypes.py)") << testDataDir() + QStringLiteral("/checkpoint/dtypes.safetensors");
  }
  void matchesReferenceBytes() {
    QFETCH(QString, path);
    const SafetensorsFile original(path);
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("copy.safetensors"));
    writeSafetensors(copy, allTensors(original), original.metadata());
    const QByteArray want = readAll(path), got = readAll(copy);
    QCOMPARE(got.size(), want.size());
    const quint64 n = qFromLittleEndian<quint64>(want.constData());
    QCOMPARE(QString::fromUtf8(got.mid(8, qsizetype(n))), QString::fromUtf8(want.mid(8, qsizetype(n))));
    QVERIFY(got == want);
  }

  void writerRefuses_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("needle");
    QTest::newRow("name twice") << 0 << QStringLiteral("w") << QStringLiteral("is given twice");
    QTest::newRow("__metadata__ as a name") << 1 << QStringLiteral("__metadata__") << QStringLiteral("reserved");
    QTest::newRow("complex dtype") << 2 << QStringLiteral("w") << QStringLiteral("cannot be written");
    QTest::newRow("undefined tensor") << 3 << QStringLiteral("w") << QStringLiteral("undefined");
    QTest::newRow("name not UTF-8") << 4 << QStringLiteral("w\uFFFD") << QStringLiteral("not a UTF-8");
    QTest::newRow("folder missing") << 5 << QString() << QStringLiteral("cannot be written");
  }
  void writerRefuses() {
    QFETCH(int, kind);
    QFETCH(QString, field);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("keep.safetensors"));
    writeSafetensors(path, {{"old", torch::ones({2})}});
    const QByteArray before = readAll(path);
    std::vector<std::pair<std::string, torch::Tensor>> tensors{{"v", torch::zeros({3})}};
    switch (kind) {
      case 0:
        tensors.insert(tensors.end(), {{"w", torch::ones({1})}, {"w", torch::ones({2})}});
        break;
      case 1:
        tensors.emplace_back("__metadata__", torch::ones({1}));
        break;
      case 2:
        tensors.emplace_back("w", torch::ones({2}, torch::kComplexFloat));
        break;
      case 3:
        tensors.emplace_back("w", torch::Tensor());
        break;
      case 4:
        tensors.emplace_back("w\xFF", torch::ones({1}));
        break;
      case 5:
        path = dir.filePath(QStringLiteral("no/such/folder/x.safetensors"));
        break;
    }
    try {
      writeSafetensors(path, tensors);
      QFAIL("no error thrown");
    } catch (const Error& e) {
      QCOMPARE(e.path(), path);
      QCOMPARE(e.field(), field);
      QVERIFY2(e.message().contains(needle), qPrintable(e.message()));
    }
    // Nothing written or lost: the old file as it was, no temp files left beside it.
    QCOMPARE(readAll(dir.filePath(QStringLiteral("keep.safetensors"))), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("keep.safetensors")});
  }

  void writeReplacesAtomically() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("m.safetensors"));
    writeSafetensors(path, {{"a", torch::ones({4})}});
    const SafetensorsFile mapped(path);  // a reader keeps its mapping of the old file
    writeSafetensors(path, {{"b", torch::full({2}, 7)}});
    QVERIFY(sameTensor(mapped.tensor("a"), torch::ones({4})));
    const SafetensorsFile fresh(path);
    QVERIFY(fresh.find("a") == nullptr);
    QVERIFY(sameTensor(fresh.tensor("b"), torch::full({2}, 7)));
  }

  // -------------------------------------------------------------------------------------- malformed files

  void malformedSafetensors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("needle");
    const auto header = [](const QByteArray& entries) -> QByteArray { return "{" + entries + "}"; };
    const QString hl = QStringLiteral("header length"), hd = QStringLiteral("header"), a = QStringLiteral("a");

    QTest::newRow("empty file") << QByteArray() << QString() << QStringLiteral("is 0 bytes long");
    QTest::newRow("shorter than 8 bytes") << QByteArray("\x02\0\0\0{}", 6) << QString()
                                          << QStringLiteral("is 6 bytes long; a safetensors file starts with");
    QTest::newRow("header length past the end")
        << lengthPrefix(1000) + "{}" << hl << QStringLiteral("runs past the end of the file (10 bytes");
    QTest::newRow("header length 2^64-1")
        << lengthPrefix(~quint64(0)) + "{}" << hl << QStringLiteral("is over the 100000000-byte limit");
    QTest::newRow("header length 100 MB + 1")
        << lengthPrefix(100'000'001) + "{}" << hl << QStringLiteral("is over the 100000000-byte limit");
    QTest::newRow("header empty") << lengthPrefix(0) + "{}" << hd << QStringLiteral("is empty");
    QTest::newRow("header an array") << safetensorsBytes("[1, 2]", 0) << hd << QStringLiteral("expected '{'");
    QTest::newRow("header starts with a space")
        << safetensorsBytes(" {}", 0) << hd << QStringLiteral("starts with byte 0x20");
    QTest::newRow("header not UTF-8") << safetensorsBytes("{\"a\xff\":1}", 0) << hd
                                      << QStringLiteral("is not UTF-8: byte 11 of the file (0xff)");
    QTest::newRow("header overlong UTF-8")
        << safetensorsBytes("{\"\xC0\xAF\":1}", 0) << hd << QStringLiteral("is not UTF-8");
    QTest::newRow("header not JSON") << safetensorsBytes("{\"a\":", 0) << hd << QStringLiteral("is not valid JSON");
    QTest::newRow("header with trailing garbage")
        << safetensorsBytes("{} x", 0) << hd << QStringLiteral("is not valid JSON");
    QTest::newRow("entry not an object") << safetensorsBytes("{\"a\":5}", 0) << a
                                         << QStringLiteral(
                                                "must be an object {\"dtype\", \"shape\", \"data_offsets\"}, got 5");
    QTest::newRow("dtype missing") << safetensorsBytes("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8) << a
                                   << QStringLiteral("has no \"dtype\"");
    QTest::newRow("dtype a number") << safetensorsBytes(header(entry("a", "4", "[2]", "[0,8]")), 8) << a
                                    << QStringLiteral("dtype 4 must be a string");
    QTest::newRow("dtype unknown") << safetensorsBytes(header(entry("a", "\"F8_E4M3\"", "[2]", "[0,2]")), 2) << a
                                   << QStringLiteral("dtype \"F8_E4M3\" is not supported (supported: F64, F32");
    QTest::newRow("dtype lower case") << safetensorsBytes(header(entry("a", "\"f32\"", "[2]", "[0,8]")), 8) << a
                                      << QStringLiteral("dtype \"f32\" is not supported");
    QTest::newRow("shape missing") << safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8) << a
                                   << QStringLiteral("has no \"shape\"");
    QTest::newRow("shape a number") << safetensorsBytes(header(entry("a", "\"F32\"", "2", "[0,8]")), 8) << a
                                    << QStringLiteral("shape 2 must be an array of non-negative integers");
    QTest::newRow("shape negative") << safetensorsBytes(header(entry("a", "\"F32\"", "[-2]", "[0,8]")), 8) << a
                                    << QStringLiteral("shape [-2] must be an array of non-negative integers");
    QTest::newRow("shape fractional") << safetensorsBytes(header(entry("a", "\"F32\"", "[2.5]", "[0,8]")), 8) << a
                                      << QStringLiteral("shape [2.5] must be");
    QTest::newRow("shape a string") << safetensorsBytes(header(entry("a", "\"F32\"", "[\"2\"]", "[0,8]")), 8) << a
                                    << QStringLiteral("shape [\"2\"] must be");
    QTest::newRow("shape past int64") << safetensorsBytes(
                                             header(entry("a", "\"F32\"", "[9223372036854775808]", "[0,8]")), 8)
                                      << a << QStringLiteral("must be an array of non-negative integers");
    QTest::newRow("shape product overflows")
        << safetensorsBytes(header(entry("a", "\"F32\"", "[4294967296,4294967296,4]", "[0,8]")), 8) << a
        << QStringLiteral("overflows 64 bits");
    QTest::newRow("shape bytes overflow")
        << safetensorsBytes(header(entry("a", "\"F32\"", "[4611686018427387904]", "[0,8]")), 8) << a
        << QStringLiteral("overflows 64 bits as bytes");
    QTest::newRow("shape with a zero overflows strides")
        << safetensorsBytes(header(entry("a", "\"F32\"", "[0,4294967296,4294967296]", "[0,0]")), 0) << a
        << QStringLiteral("overflows 64 bits");
    QTest::newRow("data_offsets missing") << safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8) << a
                                          << QStringLiteral("has no \"data_offsets\"");
    QTest::newRow("data_offsets one number") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "[8]")), 8) << a
                                             << QStringLiteral("data_offsets [8] must be two non-negative integers");
    QTest::newRow("data_offsets three numbers") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "[0,4,8]")), 8)
                                                << a << QStringLiteral("must be two non-negative integers");
    QTest::newRow("data_offsets strings") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "[\"0\",\"8\"]")), 8)
                                          << a << QStringLiteral("must be two non-negative integers");
    QTest::newRow("data_offsets negative") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "[-8,0]")), 8) << a
                                           << QStringLiteral("must be two non-negative integers");
    QTest::newRow("data_offsets an object") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "{\"b\":0}")), 8)
                                            << a << QStringLiteral("must be two non-negative integers");
    QTest::newRow("begin after end") << safetensorsBytes(header(entry("a", "\"F32\"", "[0]", "[8,0]")), 8) << a
                                     << QStringLiteral("data_offsets [8,0]: begin is after end");
    QTest::newRow("end beyond data") << safetensorsBytes(header(entry("a", "\"F32\"", "[4]", "[0,16]")), 8) << a
                                     << QStringLiteral("end lies beyond the data section (8 bytes");
    QTest::newRow("size differs from shape") << safetensorsBytes(header(entry("a", "\"F32\"", "[3]", "[0,8]")), 8) << a
                                             << QStringLiteral("span 8 bytes, but F32 with shape [3] takes 12");
    QTest::newRow("overlapping tensors") << safetensorsBytes(
                                                header(kValidA + "," + entry("b", "\"F32\"", "[2]", "[4,12]")), 12)
                                         << QStringLiteral("b")
                                         << QStringLiteral("data_offsets [4, 12] overlap those of a [0, 8]");
    QTest::newRow("empty tensor inside another")
        << safetensorsBytes(header(kValidA + "," + entry("z", "\"F32\"", "[0]", "[4,4]")), 8) << QStringLiteral("z")
        << QStringLiteral("overlap those of a [0, 8]");
    QTest::newRow("gap between tensors") << safetensorsBytes(
                                                header(kValidA + "," + entry("b", "\"F32\"", "[2]", "[12,20]")), 20)
                                         << QStringLiteral("b")
                                         << QStringLiteral("leave bytes 8..12 of the data section unused");
    QTest::newRow("gap at the start") << safetensorsBytes(header(entry("a", "\"F32\"", "[2]", "[4,12]")), 12) << a
                                      << QStringLiteral("leave bytes 0..4");
    QTest::newRow("bytes after the last tensor")
        << safetensorsBytes(header(kValidA), 12) << QStringLiteral("data section")
        << QStringLiteral("has 4 bytes after the last tensor");
    QTest::newRow("truncated data") << safetensorsBytes(header(kValidA), 5) << a
                                    << QStringLiteral("beyond the data section (5 bytes; is the file truncated?)");
    QTest::newRow("tensor named twice") << safetensorsBytes(
                                               header(kValidA + "," + entry("a", "\"F32\"", "[2]", "[8,16]")), 16)
                                        << a << QStringLiteral("appears twice");
    QTest::newRow("tensor named twice, escaped")
        << safetensorsBytes(header(kValidA + "," + entry("\\u0061", "\"F32\"", "[2]", "[8,16]")), 16) << a
        << QStringLiteral("appears twice");
    QTest::newRow("field given twice")
        << safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)
        << QStringLiteral("dtype") << QStringLiteral("appears twice");
    QTest::newRow("metadata not an object")
        << safetensorsBytes("{\"__metadata__\":5}", 0) << QStringLiteral("__metadata__")
        << QStringLiteral("must be an object of strings, got 5");
    QTest::newRow("metadata value a number")
        << safetensorsBytes("{\"__metadata__\":{\"k\":1}}", 0) << QStringLiteral("__metadata__")
        << QStringLiteral("value of \"k\" must be a string, got 1");
  }
  void malformedSafetensors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, field);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
    QVERIFY(writeAll(path, bytes));
    expectFormatError([&] { SafetensorsFile file(path); }, path, field, needle);
    // The same through a checkpoint folder, and the file is left as it was.
    QVERIFY(QFile::rename(path, dir.filePath(QStringLiteral("model.safetensors"))));
    const QString inFolder = dir.filePath(QStringLiteral("model.safetensors"));
    expectFormatError([&] { CheckpointReader reader(dir.path()); }, inFolder, field, needle);
    QCOMPARE(readAll(inFolder), bytes);
  }

  // Valid files at the edges of the format.
  void acceptsEdgeCases_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("tensors");
    QTest::newRow("no tensors") << safetensorsBytes("{}", 0) << 0;
    QTest::newRow("no tensors, padded") << safetensorsBytes("{}      ", 0) << 0;
    QTest::newRow("null metadata") << safetensorsBytes("{\"__metadata__\":null}", 0) << 0;
    QTest::newRow("whitespace and newlines") << safetensorsBytes("{\n  " + kValidA + "\n}\n\t ", 8) << 1;
    QTest::newRow("unknown fields ignored")
        << safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":[1]}}", 8) << 1;
    QTest::newRow("header not in offset order")
        << safetensorsBytes("{" + entry("b", "\"I8\"", "[3]", "[8,11]") + "," + kValidA + "}", 11) << 2;
    QTest::newRow("zero-size tensors share an offset")
        << safetensorsBytes("{" + kValidA + "," + entry("z", "\"F32\"", "[0,5]", "[8,8]") + "," +
                                entry("y", "\"I64\"", "[5,0]", "[8,8]") + "}",
                            8)
        << 3;
    // Qt keeps integral numbers such as 2.0 as integers, so they read as 2 (the reference refuses them).
    QTest::newRow("shape 2.0") << safetensorsBytes("{" + entry("a", "\"F32\"", "[2.0]", "[0,8]") + "}", 8) << 1;
    QTest::newRow("unaligned data") << safetensorsBytes("{" + entry("a", "\"F64\"", "[1]", "[0,8]") + "}", 8) << 1;
  }
  void acceptsEdgeCases() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, tensors);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ok.safetensors"));
    QVERIFY(writeAll(path, bytes));
    const SafetensorsFile file(path);
    QCOMPARE(int(file.tensors().size()), tensors);
    for (const TensorInfo& t : file.tensors()) {
      const torch::Tensor x = file.tensor(t.name);
      QCOMPARE(x.sizes().vec(), t.shape);
      QCOMPARE(x.scalar_type(), toScalarType(t.dtype));
    }
  }

  void tensorErrors() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("b.safetensors"));
    QVERIFY(writeAll(path, safetensorsBytes("{" + entry("flags", "\"BOOL\"", "[3]", "[0,3]") + "}", 0) +
                               QByteArray("\x01\x00\x02", 3)));
    const SafetensorsFile file(path);
    expectFormatError([&] { (void)file.tensor("flags"); }, path, QStringLiteral("flags"),
                      QStringLiteral("BOOL element 2 is byte 0x02; expected 0 or 1"));
    expectFormatError([&] { (void)file.tensor("nope"); }, path, QStringLiteral("nope"),
                      QStringLiteral("is not in this file"));
  }

  // ------------------------------------------------------------------------------------ checkpoint folders

  void shardedEqualsSingle() {
    QTemporaryDir dir;
    const ShardedCopy sharded = makeSharded(dir.path());
    const CheckpointReader single(fixture(QStringLiteral("tiny-llama")));
    const CheckpointReader split(dir.path());
    QCOMPARE(split.files().size(), qsizetype(3));
    QCOMPARE(single.files().size(), qsizetype(1));
    const QStringList names = split.names();
    QCOMPARE(names, single.names());
    QCOMPARE(names.size(), qsizetype(21));
    QVERIFY(std::is_sorted(names.begin(), names.end()));
    for (const QString& name : single.names()) {
      QVERIFY(split.contains(name));
      QCOMPARE(split.info(name).dtype, single.info(name).dtype);
      QCOMPARE(split.info(name).shape, single.info(name).shape);
      QCOMPARE(QFileInfo(split.fileOf(name).path()).fileName(), sharded.placement.value(name));
      const torch::Tensor a = single.load(name, torch::kFloat32, torch::kCPU);
      QVERIFY2(sameTensor(split.load(name, torch::kFloat32, torch::kCPU), a), qPrintable(name));
      QVERIFY(sameTensor(split.load(name, torch::kBFloat16, torch::kCPU), a.to(torch::kBFloat16)));
      QVERIFY(sameTensor(split.load(name, torch::kFloat64, torch::kCPU), a.to(torch::kFloat64)));
    }
    QVERIFY(!split.contains(QStringLiteral("model.layers.9.mlp.up_proj.weight")));
    expectFormatError([&] { (void)split.info(QStringLiteral("nope")); }, dir.path(), QStringLiteral("nope"),
                      QStringLiteral("is not in this checkpoint"));
    expectFormatError([&] { (void)split.load(QStringLiteral("nope"), torch::kFloat32, torch::kCPU); }, dir.path(),
                      QStringLiteral("nope"), QStringLiteral("is not in this checkpoint"));
  }

  void readerCopiesShareFiles() {
    std::optional<CheckpointReader> original(std::in_place, fixture(QStringLiteral("tiny-llama")));
    const CheckpointReader copy = *original;
    original.reset();
    QCOMPARE(copy.load(QStringLiteral("model.norm.weight"), torch::kFloat64, torch::kCPU).sum().item<double>(),
             64.64519435167313);
  }

  void singleFileAsCheckpoint() {
    const QString path = fixture(QStringLiteral("tiny-llama/lora-adapter/adapter_model.safetensors"));
    const CheckpointReader adapter(path);
    QCOMPARE(adapter.files(), QStringList{path});
    QVERIFY(adapter.contains(QStringLiteral("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")));
    QCOMPARE(adapter.info(QStringLiteral("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")).shape,
             (std::vector<int64_t>{8, 64}));
  }

  void shardErrors_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("file");  // the file the error names, relative to the folder ("" = the folder)
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("needle");
    const QString index = QStringLiteral("model.safetensors.index.json");
    const QString wm = QStringLiteral("weight_map");
    QTest::newRow("shard missing") << 0 << QStringLiteral("model-00002-of-00003.safetensors") << QString()
                                   << QStringLiteral(
                                          "does not exist; model.safetensors.index.json puts 7 tensors in it");
    QTest::newRow("listed tensor absent") << 1 << index << QStringLiteral("ghost.weight")
                                          << QStringLiteral(
                                                 "weight_map puts it in model-00001-of-00003.safetensors, "
                                                 "which does not hold it");
    QTest::newRow("listed in the wrong shard") << 2 << index << QStringLiteral("lm_head.weight")
                                               << QStringLiteral(
                                                      "weight_map puts it in model-00002-of-00003.safetensors, "
                                                      "but it is in model-00001-of-00003.safetensors");
    QTest::newRow("tensor in two shards")
        << 3 << QStringLiteral("model-00003-of-00003.safetensors") << QStringLiteral("lm_head.weight")
        << QStringLiteral("is also in model-00001-of-00003.safetensors");
    QTest::newRow("weight_map missing") << 4 << index << wm << QStringLiteral("is missing");
    QTest::newRow("weight_map an array") << 5 << index << wm << QStringLiteral("must be an object");
    QTest::newRow("weight_map empty") << 6 << index << wm << QStringLiteral("lists no tensors");
    QTest::newRow("shard outside the folder") << 7 << index << QStringLiteral("lm_head.weight")
                                              << QStringLiteral(
                                                     "weight_map entry \"../model.safetensors\" must be the "
                                                     "file name of a shard");
    QTest::newRow("shard a number") << 8 << index << QStringLiteral("lm_head.weight")
                                    << QStringLiteral("weight_map entry 3 must be");
    QTest::newRow("tensor listed twice") << 9 << index << QStringLiteral("lm_head.weight")
                                         << QStringLiteral("appears twice");
    QTest::newRow("index not JSON") << 10 << index << QString() << QStringLiteral("is not valid JSON");
    QTest::newRow("index an array") << 11 << index << QString() << QStringLiteral("holds an array at the top level");
    QTest::newRow("shard header broken") << 12 << QStringLiteral("model-00003-of-00003.safetensors")
                                         << QStringLiteral("header length") << QStringLiteral("runs past the end");
  }
  void shardErrors() {
    QFETCH(int, kind);
    QFETCH(QString, file);
    QFETCH(QString, field);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    ShardedCopy s = makeSharded(dir.path());
    QJsonObject map = s.weightMap();
    QCOMPARE(s.placement.value(QStringLiteral("lm_head.weight")), s.shardNames[0]);
    switch (kind) {
      case 0:
        QVERIFY(QFile::remove(s.shardPath(1)));
        break;
      case 1:
        map.insert(QStringLiteral("ghost.weight"), s.shardNames[0]);
        s.writeIndex(map);
        break;
      case 2:
        map.insert(QStringLiteral("lm_head.weight"), s.shardNames[1]);
        s.writeIndex(map);
        break;
      case 3: {
        const SafetensorsFile third(s.shardPath(2));
        auto tensors = allTensors(third);
        tensors.emplace_back("lm_head.weight", torch::zeros({512, 64}));
        writeSafetensors(s.shardPath(2), tensors);
        break;
      }
      case 4:
        writeAll(s.indexPath(), "{\"metadata\": {}}");
        break;
      case 5:
        writeAll(s.indexPath(), "{\"weight_map\": []}");
        break;
      case 6:
        writeAll(s.indexPath(), "{\"weight_map\": {}}");
        break;
      case 7:
        map.insert(QStringLiteral("lm_head.weight"), QStringLiteral("../model.safetensors"));
        s.writeIndex(map);
        break;
      case 8:
        map.insert(QStringLiteral("lm_head.weight"), 3);
        s.writeIndex(map);
        break;
      case 9: {
        QByteArray text = QJsonDocument(QJsonObject{{QStringLiteral("weight_map"), map}}).toJson();
        text.replace("\"lm_head.weight\"",
                     "\"lm_head.weight\": \"model-00001-of-00003.safetensors\", \"lm_head.weight\"");
        writeAll(s.indexPath(), text);
        break;
      }
      case 10:
        writeAll(s.indexPath(), "{\"weight_map\": {");
        break;
      case 11:
        writeAll(s.indexPath(), "[]");
        break;
      case 12: {
        QByteArray bytes = readAll(s.shardPath(2));
        bytes.replace(0, 8, lengthPrefix(quint64(bytes.size())));
        writeAll(s.shardPath(2), bytes);
        break;
      }
    }
    const QString expectedPath = file.isEmpty() ? dir.path() : dir.filePath(file);
    QMap<QString, QByteArray> before;
    for (const QString& f : QDir(dir.path()).entryList(QDir::Files)) before.insert(f, readAll(dir.filePath(f)));
    expectFormatError([&] { CheckpointReader reader(dir.path()); }, expectedPath, field, needle);
    for (auto it = before.begin(); it != before.end(); ++it) QCOMPARE(readAll(dir.filePath(it.key())), it.value());
  }

  void refusesPickleCheckpoints_data() {
    QTest::addColumn<QStringList>("files");
    QTest::newRow("pytorch_model.bin") << QStringList{QStringLiteral("pytorch_model.bin")};
    QTest::newRow("sharded .bin") << QStringList{QStringLiteral("pytorch_model-00001-of-00002.bin"),
                                                 QStringLiteral("pytorch_model-00002-of-00002.bin"),
                                                 QStringLiteral("pytorch_model.bin.index.json")};
    QTest::newRow(".pt") << QStringList{QStringLiteral("model.pt")};
    QTest::newRow(".pth") << QStringList{QStringLiteral("consolidated.00.pth")};
  }
  void refusesPickleCheckpoints() {
    QFETCH(QStringList, files);
    QTemporaryDir dir;
    const QByteArray pickle("PK\x03\x04 a zip holding data.pkl");
    writeAll(dir.filePath(QStringLiteral("config.json")), "{}");
    for (const QString& f : files) QVERIFY(writeAll(dir.filePath(f), pickle));
    try {
      CheckpointReader reader(dir.path());
      QFAIL("pickle folder accepted");
    } catch (const FormatError& e) {
      const QString text = e.message();
      QCOMPARE(e.path(), dir.path());
      QVERIFY2(text.contains(files.first()), qPrintable(text));
      QVERIFY2(text.contains(QStringLiteral("pickle")), qPrintable(text));
      QVERIFY2(text.contains(QStringLiteral("can execute arbitrary code")), qPrintable(text));
      QVERIFY2(text.contains(QStringLiteral("M.from_pretrained('") + QDir::cleanPath(dir.path()) +
                             QStringLiteral("').save_pretrained('")),
               qPrintable(text));
      QVERIFY2(text.contains(QStringLiteral("safe_serialization=True")), qPrintable(text));
    }
    for (const QString& f : files) QCOMPARE(readAll(dir.filePath(f)), pickle);

    // With safetensors beside them the pickles are not touched and the model loads.
    QVERIFY(QFile::copy(fixture(QStringLiteral("tiny-llama/model.safetensors")),
                        dir.filePath(QStringLiteral("model.safetensors"))));
    QCOMPARE(CheckpointReader(dir.path()).names().size(), qsizetype(21));
  }

  void missingPaths() {
    QTemporaryDir dir;
    const QString nowhere = dir.filePath(QStringLiteral("no-such-model"));
    expectFormatError([&] { CheckpointReader r(nowhere); }, nowhere, QString(), QStringLiteral("does not exist"));
    expectFormatError([&] { SafetensorsFile f(nowhere); }, nowhere, QString(), QStringLiteral("does not exist"));
    expectFormatError([&] { SafetensorsFile f(dir.path()); }, dir.path(), QString(), QStringLiteral("is a folder"));
    expectFormatError([&] { CheckpointReader r(dir.path()); }, dir.path(), QString(),
                      QStringLiteral("has no model.safetensors or model.safetensors.index.json"));
    QVERIFY(QFile::copy(fixture(QStringLiteral("tiny-llama/lora-adapter/adapter_model.safetensors")),
                        dir.filePath(QStringLiteral("adapter_model.safetensors"))));
    expectFormatError([&] { CheckpointReader r(dir.path()); }, dir.path(), QString(),
                      QStringLiteral("(found: adapter_model.safetensors)"));
  }

  // ------------------------------------------------------------------------------------------- JSON files

  void readJsonObjectErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("is not valid JSON");
    QTest::newRow("not UTF-8") << QByteArray("{\"a\": \"\xff\"}")
                               << QStringLiteral("is not UTF-8 text: byte 7 (0xff) at line 1, column 8 is malformed");
    QTest::newRow("truncated UTF-8") << QByteArray("{\"a\": \"\xe6\x9d\"}") << QStringLiteral("byte 7 (0xe6)");
    QTest::newRow("UTF-16 surrogate in UTF-8")
        << QByteArray("{\"a\": \"\xed\xa0\x80\"}") << QStringLiteral("is not UTF-8 text");
    QTest::newRow("invalid JSON") << QByteArray("{\n  \"a\": 1,\n  \"b\": }\n")
                                  << QStringLiteral("is not valid JSON: ");
    QTest::newRow("invalid JSON position") << QByteArray("{\n  \"a\": 1,\n  \"b\": }\n") << QStringLiteral("at line 3");
    QTest::newRow("unterminated") << QByteArray("{\"a\": [1, 2") << QStringLiteral("is not valid JSON");
    QTest::newRow("array") << QByteArray("[1, 2]") << QStringLiteral("holds an array at the top level");
    QTest::newRow("number") << QByteArray("5") << QStringLiteral("is not valid JSON");
  }
  void readJsonObjectErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QVERIFY(writeAll(path, bytes));
    expectFormatError([&] { (void)readJsonObject(path); }, path, QString(), needle);
    QCOMPARE(readAll(path), bytes);
  }

  void readJsonObjectFiles() {
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("config.json"));
    expectFormatError([&] { (void)readJsonObject(missing); }, missing, QString(), QStringLiteral("does not exist"));
    expectFormatError([&] { (void)readJsonObject(dir.path()); }, dir.path(), QString(), QStringLiteral("is a folder"));

    const QString bom = dir.filePath(QStringLiteral("bom.json"));
    writeAll(bom, "\xEF\xBB\xBF{\"a\": 1}");
    QCOMPARE(readJsonObject(bom).value(QStringLiteral("a")).toInt(), 1);
    writeAll(bom, "\xEF\xBB\xBF{\"a\": \xff}");
    expectFormatError([&] { (void)readJsonObject(bom); }, bom, QString(), QStringLiteral("byte 9 (0xff)"));

    const QString dup = dir.filePath(QStringLiteral("dup.json"));
    writeAll(dup, "{\"a\": 1, \"b\": {\"x\": [{\"k\": 1}, {\"k\": 2}]}, \"a\": 2}");
    QCOMPARE(readJsonObject(dup).value(QStringLiteral("a")).toInt(), 2);  // last wins, as in Python
    expectFormatError([&] { (void)readJsonObject(dup, DuplicateKeys::Refuse); }, dup, QStringLiteral("a"),
                      QStringLiteral("appears twice"));

    const QJsonObject config = readJsonObject(fixture(QStringLiteral("tiny-llama/config.json")));
    QCOMPARE(config.value(QStringLiteral("vocab_size")).toInt(), 512);
  }

  void duplicateKeyScan_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("duplicate");  // null: none
    QTest::newRow("none") << QByteArray("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}]}") << QString();
    QTest::newRow("top level") << QByteArray("{\"a\": 1, \"b\": 2, \"a\": 3}") << QStringLiteral("a");
    QTest::newRow("nested") << QByteArray("{\"a\": {\"x\": 1, \"x\": 2}}") << QStringLiteral("x");
    QTest::newRow("in an array") << QByteArray("[{\"a\": 1}, {\"q\": 1, \"q\": 1}]") << QStringLiteral("q");
    QTest::newRow("brackets and quotes in strings")
        << QByteArray("{\"a\": \"}{\\\"a\\\": [\", \"b\": \"\\\\\", \"a\\\"\": 1}") << QString();
    QTest::newRow("escapes decoded") << QByteArray("{\"\\u00fc\": 1, \"\xC3\xBC\": 2}") << QStringLiteral("ü");
    QTest::newRow("surrogate pair") << QByteArray("{\"\\ud83d\\ude00\": 1, \"\xF0\x9F\x98\x80\": 2}")
                                    << QStringLiteral("😀");
    QTest::newRow("values are not keys") << QByteArray("{\"a\": \"b\", \"b\": \"a\"}") << QString();
  }
  void duplicateKeyScan() {
    QFETCH(QByteArray, json);
    QFETCH(QString, duplicate);
    QJsonParseError error{};
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const std::optional<QString> found = firstDuplicateKey(json);
    QCOMPARE(found.has_value(), !duplicate.isNull());
    if (found) QCOMPARE(*found, duplicate);
  }

  void utf8Validation_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("offset");
    QTest::newRow("ascii") << QByteArray("hello") << -1;
    QTest::newRow("all widths") << QByteArray("a\xC3\xBC\xE6\x9D\x83\xF0\x9F\x98\x80") << -1;
    QTest::newRow("stray continuation") << QByteArray("ab\x80") << 2;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << 0;
    QTest::newRow("overlong 3-byte") << QByteArray("x\xE0\x80\xAF") << 1;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 0;
    QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0;
    QTest::newRow("cut short") << QByteArray("ok\xF0\x9F\x98") << 2;
    QTest::newRow("0xFF") << QByteArray("\xFF") << 0;
  }
  void utf8Validation() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, offset);
    QCOMPARE(invalidUtf8Offset(bytes), qsizetype(offset));
  }

  void dtypeTables() {
    for (DType d : {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64, DType::I32, DType::I16, DType::I8,
                    DType::U8, DType::Bool}) {
      QCOMPARE(dtypeFromName(dtypeName(d).toStdString()), std::optional<DType>(d));
      QCOMPARE(dtypeFromScalarType(toScalarType(d)), std::optional<DType>(d));
      QCOMPARE(dtypeSize(d), int64_t(c10::elementSize(toScalarType(d))));
    }
    QCOMPARE(dtypeName(DType::Bool), QStringLiteral("BOOL"));
    QVERIFY(!dtypeFromName("U16"));
    QVERIFY(!dtypeFromScalarType(torch::kComplexDouble));
  }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
