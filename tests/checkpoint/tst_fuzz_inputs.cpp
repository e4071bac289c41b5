// Seeded, deterministic mutation fuzzing of every file Distillery reads from a model folder: model.safetensors,
// model.safetensors.index.json, config.json, generation_config.json, tokenizer.json and tokenizer_config.json.
// Each mutated input must end in a clean distillery::Error or in a load that is correct (tensors read from
// exactly the bytes the header names, then the whole model built from the folder; a tokenizer that encodes into
// its own vocabulary). Anything else (another exception type, a crash,
// an out-of-bounds read under ASAN, a case that takes seconds) fails.
//
// Environment: DISTILLERY_FUZZ_SEED (default 20261123) changes the inputs, DISTILLERY_FUZZ_SCALE (default 1)
// multiplies the number of cases, DISTILLERY_FUZZ_VERBOSE=1 prints each case before it runs (to find the one
// that crashed), DISTILLERY_FUZZ_DUMP=DIR saves the inputs of failing and slow cases.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/Error.h"
#include "model/GenerationConfig.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include "Fixtures.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QTest>

#include <cstring>
#include <ctime>
#include <functional>
#include <map>

using namespace distillery;

namespace {

// splitmix64: the same numbers on every platform and standard library (std:: distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform-enough in [0, n) for the small n used here; 0 when n <= 0.
  qsizetype below(qsizetype n) { return n <= 0 ? 0 : static_cast<qsizetype>(next() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(below(static_cast<qsizetype>(v.size())))];
  }

 private:
  uint64_t s_;
};

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
    qFatal("cannot write %s", qPrintable(path));
}

// ------------------------------------------------------------------------------------------- JSON mutations

// Where the JSON value starting at pos ends (exclusive); tolerant of broken text.
qsizetype valueEnd(const QByteArray& t, qsizetype pos) {
  const qsizetype n = t.size();
  if (pos >= n) return n;
  const char c = t[pos];
  if (c == '"') {
    for (qsizetype i = pos + 1; i < n; ++i) {
      if (t[i] == '\\')
        ++i;
      else if (t[i] == '"')
        return i + 1;
    }
    return n;
  }
  if (c == '[' || c == '{') {
    int depth = 0;
    for (qsizetype i = pos; i < n; ++i) {
      if (t[i] == '"') {
        i = valueEnd(t, i) - 1;
      } else if (t[i] == '[' || t[i] == '{') {
        ++depth;
      } else if (t[i] == ']' || t[i] == '}') {
        if (--depth == 0) return i + 1;
      }
    }
    return n;
  }
  qsizetype i = pos;
  while (i < n && !QByteArrayView(",}] \n\t\r").contains(t[i])) ++i;
  return i;
}

// Start offsets of every occurrence of needle.
std::vector<qsizetype> findAll(const QByteArray& t, QByteArrayView needle) {
  std::vector<qsizetype> out;
  for (qsizetype i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + 1)) out.push_back(i);
  return out;
}

// Start offsets of number tokens outside strings (roughly: a '-' or digit not preceded by part of a number).
std::vector<qsizetype> numberStarts(const QByteArray& t) {
  std::vector<qsizetype> out;
  bool inString = false;
  for (qsizetype i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
      continue;
    }
    const bool starts = c == '-' || (c >= '0' && c <= '9');
    const char before = i > 0 ? t[i - 1] : ' ';
    const bool continues =
        std::isalnum(static_cast<unsigned char>(before)) || before == '.' || before == '-' || before == '+';
    if (starts && !continues) out.push_back(i);
  }
  return out;
}

const std::vector<QByteArray> kNumbers = {"0",
                                          "-1",
                                          "1",
                                          "2",
                                          "7",
                                          "8",
                                          "255",
                                          "65536",
                                          "2147483648",
                                          "4294967296",
                                          "9007199254740993",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775808",
                                          "18446744073709551615",
                                          "99999999999999999999999",
                                          "1e308",
                                          "1e999",
                                          "-1e999",
                                          "0.5",
                                          "2.0",
                                          "1e-400",
                                          "-0",
                                          "1E3",
                                          "00",
                                          "1.",
                                          ".5",
                                          "+1",
                                          "0x10",
                                          "NaN",
                                          "Infinity"};
const std::vector<QByteArray> kValues = {
    "null",         "true",         "false",       "\"\"",        "\"x\"",
    "[]",           "{}",           "[1,2]",       "[[0]]",       "{\"a\":1}",
    "-0",           "1e400",        "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"",
    "\"\xff\xfe\"", "\"\xc0\x80\"", "[null]",      "\"F32\""};
const QByteArray kSignificant = "{}[]\":,0123456789-.eE \\ntfu\x00\xff\x80";

// Replaces [from, to) with what.
QByteArray spliced(const QByteArray& t, qsizetype from, qsizetype to, const QByteArray& what) {
  return t.left(from) + what + t.mid(to);
}

// One random edit of JSON text; describes itself in `what`.
QByteArray mutateJson(const QByteArray& in, Rng& rng, QString& what) {
  const qsizetype n = in.size();
  const qsizetype at = rng.below(n + 1);
  switch (rng.below(14)) {
    case 0: {  // delete a span
      const qsizetype len = 1 + rng.below(rng.chance(20) ? 64 : 4);
      what += QStringLiteral("delete %1@%2; ").arg(len).arg(at);
      return spliced(in, at, std::min(n, at + len), {});
    }
    case 1: {  // duplicate a span
      const qsizetype len = 1 + rng.below(rng.chance(20) ? 200 : 8);
      what += QStringLiteral("duplicate %1@%2; ").arg(len).arg(at);
      return spliced(in, at, at, in.mid(at, len));
    }
    case 2: {  // replace a byte with a JSON-significant one
      if (n == 0) return in;
      const qsizetype p = rng.below(n);
      QByteArray out = in;
      out[p] = kSignificant[rng.below(kSignificant.size())];
      what += QStringLiteral("replace@%1; ").arg(p);
      return out;
    }
    case 3: {  // insert any byte
      what += QStringLiteral("insert@%1; ").arg(at);
      return spliced(in, at, at, QByteArray(1, static_cast<char>(rng.below(256))));
    }
    case 4:
    case 5: {  // change a number
      const std::vector<qsizetype> nums = numberStarts(in);
      if (nums.empty()) return in;
      const qsizetype p = rng.pick(nums);
      what += QStringLiteral("number@%1; ").arg(p);
      return spliced(in, p, valueEnd(in, p), rng.pick(kNumbers));
    }
    case 6:
    case 7: {  // swap a value for one of another type
      const std::vector<qsizetype> colons = findAll(in, ":");
      if (colons.empty()) return in;
      qsizetype p = rng.pick(colons) + 1;
      while (p < n && in[p] == ' ') ++p;
      what += QStringLiteral("value@%1; ").arg(p);
      return spliced(in, p, valueEnd(in, p), rng.pick(kValues));
    }
    case 8: {  // duplicate a key in its object
      const std::vector<qsizetype> colons = findAll(in, "\":");
      if (colons.empty()) return in;
      const qsizetype colon = rng.pick(colons);
      const qsizetype open = in.lastIndexOf('"', colon - 1);
      if (open < 0) return in;
      const qsizetype end = valueEnd(in, colon + 2 + (colon + 2 < n && in[colon + 2] == ' ' ? 1 : 0));
      what += QStringLiteral("duplicate key@%1; ").arg(open);
      return spliced(in, open, open, in.mid(open, end - open) + ",");
    }
    case 9: {  // delete a key and its value
      const std::vector<qsizetype> colons = findAll(in, "\":");
      if (colons.empty()) return in;
      const qsizetype colon = rng.pick(colons);
      const qsizetype open = in.lastIndexOf('"', colon - 1);
      if (open < 0) return in;
      qsizetype end = valueEnd(in, colon + 2 + (colon + 2 < n && in[colon + 2] == ' ' ? 1 : 0));
      if (end < n && in[end] == ',') ++end;
      what += QStringLiteral("delete key@%1; ").arg(open);
      return spliced(in, open, end, {});
    }
    case 10: {  // deep nesting
      const int depth = rng.chance(50) ? 2000 : 300;
      what += QStringLiteral("nest %1@%2; ").arg(depth).arg(at);
      const std::vector<qsizetype> colons = findAll(in, ":");
      if (colons.empty()) return in;
      qsizetype p = rng.pick(colons) + 1;
      while (p < n && in[p] == ' ') ++p;
      return spliced(in, p, valueEnd(in, p), QByteArray(depth, '[') + QByteArray(depth, ']'));
    }
    case 11: {  // truncate
      what += QStringLiteral("truncate@%1; ").arg(at);
      return in.left(at);
    }
    case 12: {  // bit flip
      if (n == 0) return in;
      const qsizetype p = rng.below(n);
      QByteArray out = in;
      out[p] = static_cast<char>(out[p] ^ (1 << rng.below(8)));
      what += QStringLiteral("flip@%1; ").arg(p);
      return out;
    }
    default: {  // a long string value
      const std::vector<qsizetype> colons = findAll(in, ":");
      if (colons.empty()) return in;
      qsizetype p = rng.pick(colons) + 1;
      while (p < n && in[p] == ' ') ++p;
      what += QStringLiteral("long string@%1; ").arg(p);
      return spliced(in, p, valueEnd(in, p), "\"" + QByteArray(100000, 'a') + "\"");
    }
  }
}

QByteArray mutateJsonSeveral(const QByteArray& in, Rng& rng, QString& what) {
  QByteArray out = in;
  const int edits = 1 + static_cast<int>(rng.below(rng.chance(25) ? 6 : 2));
  for (int i = 0; i < edits; ++i) out = mutateJson(out, rng, what);
  return out;
}

// ------------------------------------------------------------------------------------ safetensors mutations

QByteArray lengthPrefix(quint64 n) {
  QByteArray out(8, '\0');
  qToLittleEndian<quint64>(n, out.data());
  return out;
}

// Edits one number inside a "key":[...] array of the header (data_offsets or shape).
QByteArray editArrayNumber(const QByteArray& header, QByteArrayView key, Rng& rng, QString& what) {
  const std::vector<qsizetype> keys = findAll(header, key);
  if (keys.empty()) return header;
  const qsizetype open = rng.pick(keys) + key.size();
  const qsizetype close = valueEnd(header, open);
  std::vector<qsizetype> nums;
  for (qsizetype p : numberStarts(header))
    if (p > open && p < close) nums.push_back(p);
  if (nums.empty()) return header;
  const qsizetype p = rng.pick(nums);
  const qlonglong old = header.mid(p, valueEnd(header, p) - p).toLongLong();
  QByteArray value;
  switch (rng.below(5)) {
    case 0:
      value = QByteArray::number(old + rng.below(9) - 4);
      break;
    case 1:
      value = QByteArray::number(old * 2);
      break;
    case 2:
      value = QByteArray::number(old / 2);
      break;
    case 3:
      value = QByteArray::number(static_cast<qlonglong>(rng.next() >> rng.below(64)));
      break;
    default:
      value = rng.pick(kNumbers);
      break;
  }
  what += QStringLiteral("%1 number@%2=%3; ")
              .arg(QString::fromLatin1(key.toByteArray()), QString::number(p), QString::fromLatin1(value));
  return spliced(header, p, valueEnd(header, p), value);
}

QByteArray mutateSafetensors(const QByteArray& file, Rng& rng, QString& what) {
  const quint64 n = qFromLittleEndian<quint64>(file.constData());
  QByteArray header = file.mid(8, static_cast<qsizetype>(n));
  const QByteArray data = file.mid(8 + static_cast<qsizetype>(n));
  bool headerEdited = false;
  switch (rng.below(10)) {
    case 0: {  // bit flips in length + header
      QByteArray out = file;
      const int flips = 1 + static_cast<int>(rng.below(8));
      for (int i = 0; i < flips; ++i) {
        const qsizetype p = rng.below(8 + static_cast<qsizetype>(n));
        out[p] = static_cast<char>(out[p] ^ (1 << rng.below(8)));
        what += QStringLiteral("flip@%1; ").arg(p);
      }
      return out;
    }
    case 1: {  // bit flips anywhere, data included
      QByteArray out = file;
      for (int i = 0; i < 4; ++i) {
        const qsizetype p = rng.below(out.size());
        out[p] = static_cast<char>(out[p] ^ (1 << rng.below(8)));
        what += QStringLiteral("flip@%1; ").arg(p);
      }
      return out;
    }
    case 2: {  // truncation, mostly near the header
      const qsizetype at = rng.chance(60) ? rng.below(8 + static_cast<qsizetype>(n) + 64) : rng.below(file.size());
      what += QStringLiteral("truncate@%1; ").arg(at);
      return file.left(at);
    }
    case 3: {  // header length edits
      const std::vector<quint64> lengths = {0,
                                            1,
                                            7,
                                            8,
                                            n - 1,
                                            n + 1,
                                            n - 8,
                                            n + 8,
                                            n * 2,
                                            100'000'000,
                                            100'000'001,
                                            static_cast<quint64>(file.size()),
                                            static_cast<quint64>(file.size()) - 7,
                                            ~quint64(0),
                                            quint64(1) << 63,
                                            rng.next()};
      const quint64 len = rng.pick(lengths);
      what += QStringLiteral("length=%1; ").arg(len);
      return lengthPrefix(len) + file.mid(8);
    }
    case 4:
      header = editArrayNumber(header, "\"data_offsets\":", rng, what);
      headerEdited = true;
      break;
    case 5:
      header = editArrayNumber(header, "\"shape\":", rng, what);
      headerEdited = true;
      break;
    case 6: {  // dtype edits
      const std::vector<qsizetype> dtypes = findAll(header, "\"dtype\":\"");
      const qsizetype p = rng.pick(dtypes) + 9;
      const std::vector<QByteArray> names = {
          "F64", "F32",  "F16", "BF16",    "I64", "I32", "I16",  "I8",
          "U8",  "BOOL", "U16", "F8_E4M3", "",    "f32", "F32 ", "\\u0046\\u0033\\u0032"};
      const QByteArray name = rng.pick(names);
      what += QStringLiteral("dtype@%1=%2; ").arg(p).arg(QString::fromLatin1(name));
      header = spliced(header, p, header.indexOf('"', p), name);
      headerEdited = true;
      break;
    }
    case 7:
    case 8:
      header = mutateJsonSeveral(header, rng, what);
      headerEdited = true;
      break;
    default: {  // data section longer or shorter
      const qsizetype delta = rng.below(33) - 16;
      what += QStringLiteral("data %1 bytes; ").arg(delta);
      return delta >= 0 ? file + QByteArray(delta, '\0') : file.left(file.size() + delta);
    }
  }
  if (!headerEdited) return file;
  // Mostly keep the length consistent with the edited header, so the edit itself gets validated.
  if (rng.chance(50)) header += QByteArray((8 - header.size() % 8) % 8, ' ');
  const quint64 len = rng.chance(85) ? static_cast<quint64>(header.size()) : n;
  return lengthPrefix(len) + header + data;
}

// ----------------------------------------------------------------------------------------------- checks

enum class Outcome { Loaded, Refused };

// Opens the folder as a checkpoint and loads every tensor; verifies each one holds exactly the bytes its header
// entry names in the file on disk. Then loads the model from the folder as the application does.
Outcome checkCheckpoint(const QString& dir) {
  const CheckpointReader reader(dir);
  for (const QString& name : reader.names()) {
    const TensorInfo& info = reader.info(name);
    const SafetensorsFile& file = reader.fileOf(name);
    const torch::Tensor t = file.tensor(info.name);
    if (t.sizes().vec() != info.shape || t.scalar_type() != toScalarType(info.dtype))
      throw std::logic_error("tensor " + info.name + " has the wrong shape or dtype");
    if (static_cast<int64_t>(t.numel() * t.element_size()) != info.bytes())
      throw std::logic_error("tensor " + info.name + " has the wrong size");
    const QByteArray bytes = readAll(file.path());
    const int64_t start = 8 + static_cast<int64_t>(qFromLittleEndian<quint64>(bytes.constData())) + info.begin;
    if (start + info.bytes() > bytes.size() ||
        (info.bytes() > 0 && std::memcmp(t.data_ptr(), bytes.constData() + start, size_t(info.bytes())) != 0))
      throw std::logic_error("tensor " + info.name + " does not hold the bytes its header names");
    (void)reader.load(name, torch::kFloat32, torch::kCPU);
  }
  (void)loadModel(dir, torch::kFloat32, torch::kCPU);
  return Outcome::Loaded;
}

// config.json as the application reads it: the JSON, the model config, then the model from the folder (the
// config must agree with the checkpoint's tensors).
Outcome checkConfig(const QString& path) {
  (void)readJsonObject(path);
  (void)ModelConfig::fromFile(path);
  (void)loadModel(QFileInfo(path).absolutePath(), torch::kFloat32, torch::kCPU);
  return Outcome::Loaded;
}

Outcome checkGenerationConfig(const QString& path) {
  (void)readJsonObject(path);
  (void)GenerationConfig::fromFile(path);
  return Outcome::Loaded;
}

Outcome checkTokenizer(const QString& dir) {
  const Tokenizer tok = Tokenizer::fromDirectory(dir);
  const int vocab = tok.vocabSize();
  for (const QString& text :
       {QStringLiteral("Hello world, distillation!"), QStringLiteral("  你好\n\t<|im_end|> é"), QString()}) {
    for (const bool special : {false, true}) {
      const std::vector<int32_t> ids = tok.encode(text, special);
      for (const int32_t id : ids)
        if (id < 0 || id >= vocab)
          throw std::logic_error("token id " + std::to_string(id) + " outside the vocabulary of " +
                                 std::to_string(vocab));
      (void)tok.decode(ids, special);
    }
  }
  return Outcome::Loaded;
}

struct Stats {
  int loaded = 0, refused = 0;
  std::map<QString, int> reasons;  // a refusal's message without path and values, shortened
  QStringList failures;
  qint64 slowestMs = 0;  // CPU time of the slowest case (all threads): a stalled disk on a busy machine is no hang
  QString slowest;
};

// Runs one case: check() must return or throw distillery::Error. With DISTILLERY_FUZZ_DUMP=DIR, the input of a
// failing case or of a case slower than a second is saved there as DIR/<label>.
void runCase(const QString& label, const std::function<Outcome()>& check, const QByteArray& input, Stats& stats) {
  static const bool verbose = qEnvironmentVariableIntValue("DISTILLERY_FUZZ_VERBOSE") != 0;
  if (verbose) qInfo("%s", qPrintable(label));
  const std::clock_t start = std::clock();
  try {
    check();
    ++stats.loaded;
  } catch (const Error& e) {
    ++stats.refused;
    QString reason = e.detail().left(40);
    reason.replace(QRegularExpression(QStringLiteral("[0-9]+")), QStringLiteral("N"));
    ++stats.reasons[reason];
    if (e.message().isEmpty()) stats.failures << label + QStringLiteral(": empty error message");
  } catch (const std::exception& e) {
    stats.failures << label + QStringLiteral(": ") + QString::fromUtf8(e.what()).left(300);
  } catch (...) {
    stats.failures << label + QStringLiteral(": unknown exception");
  }
  const auto ms = static_cast<qint64>(1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC);
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowest = label;
  }
  static const QString dump = qEnvironmentVariable("DISTILLERY_FUZZ_DUMP");
  if (!dump.isEmpty() && (ms > 1000 || (!stats.failures.isEmpty() && stats.failures.last().startsWith(label)))) {
    QString name = label.section(QLatin1Char(':'), 0, 0);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    QDir().mkpath(dump);
    writeAll(dump + QLatin1Char('/') + name, input);
  }
}

uint64_t baseSeed() {
  bool ok = false;
  const qulonglong seed = qEnvironmentVariable("DISTILLERY_FUZZ_SEED").toULongLong(&ok);
  return ok ? seed : 20261123ull;
}

// qHash may use the CPU's AES instructions, so it differs between machines; this does not.
uint64_t fnv1a(const QByteArray& bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

int scaled(int cases) {
  const int scale = qEnvironmentVariableIntValue("DISTILLERY_FUZZ_SCALE");
  return cases * (scale > 0 ? scale : 1);
}

}  // namespace

class TestFuzzInputs : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void fuzz_data() {
    QTest::addColumn<QString>("target");  // which file of which fixture is mutated
    QTest::addColumn<int>("cases");
    QTest::newRow("tiny-llama model.safetensors") << QStringLiteral("tiny-llama/model.safetensors") << 1400;
    QTest::newRow("tiny-qwen2 model.safetensors") << QStringLiteral("tiny-qwen2/model.safetensors") << 300;
    QTest::newRow("sharded index") << QStringLiteral("tiny-llama/model.safetensors.index.json") << 300;
    QTest::newRow("tiny-llama config.json") << QStringLiteral("tiny-llama/config.json") << 250;
    QTest::newRow("tiny-qwen2 config.json") << QStringLiteral("tiny-qwen2/config.json") << 250;
    QTest::newRow("tiny-llama generation_config.json") << QStringLiteral("tiny-llama/generation_config.json") << 100;
    QTest::newRow("tiny-llama tokenizer.json") << QStringLiteral("tiny-llama/tokenizer.json") << 150;
    QTest::newRow("tiny-qwen2 tokenizer.json") << QStringLiteral("tiny-qwen2/tokenizer.json") << 150;
    QTest::newRow("tiny-qwen2 tokenizer_config.json") << QStringLiteral("tiny-qwen2/tokenizer_config.json") << 100;
  }

  void fuzz() {
    QFETCH(QString, target);
    QFETCH(int, cases);
    cases = scaled(cases);
    const QString model = target.section(QLatin1Char('/'), 0, 0);
    const QString fileName = target.section(QLatin1Char('/'), 1);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString work = dir.path();
    for (const QString& f : QDir(fixture(model)).entryList(QDir::Files))
      if (!f.endsWith(QLatin1String(".safetensors")) || f == QLatin1String("model.safetensors"))
        QVERIFY(QFile::copy(fixture(model) + QLatin1Char('/') + f, work + QLatin1Char('/') + f));

    std::function<Outcome()> check;
    QByteArray original;
    const QString path = work + QLatin1Char('/') + fileName;
    bool isSafetensors = false;
    if (fileName == QLatin1String("model.safetensors")) {
      isSafetensors = true;
      check = [&] { return checkCheckpoint(work); };
    } else if (fileName == QLatin1String("model.safetensors.index.json")) {
      // Three shards of the model and their index; only the index is mutated.
      QVERIFY(QFile::remove(work + QStringLiteral("/model.safetensors")));
      const SafetensorsFile single(fixture(QStringLiteral("tiny-llama/model.safetensors")));
      std::vector<std::vector<std::pair<std::string, torch::Tensor>>> shards(3);
      QJsonObject map;
      int i = 0;
      for (const TensorInfo& t : single.tensors()) {
        const int k = i++ % 3;
        shards[size_t(k)].emplace_back(t.name, single.tensor(t.name));
        map.insert(QString::fromStdString(t.name),
                   QStringLiteral("model-%1-of-00003.safetensors").arg(k + 1, 5, 10, QLatin1Char('0')));
      }
      for (int k = 0; k < 3; ++k)
        writeSafetensors(work + QStringLiteral("/model-%1-of-00003.safetensors").arg(k + 1, 5, 10, QLatin1Char('0')),
                         shards[size_t(k)]);
      writeAll(path, QJsonDocument(
                         QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), 631360}}},
                                     {QStringLiteral("weight_map"), map}})
                         .toJson());
      check = [&] { return checkCheckpoint(work); };
    } else if (fileName == QLatin1String("config.json")) {
      check = [&] { return checkConfig(path); };
    } else if (fileName == QLatin1String("generation_config.json")) {
      check = [&] { return checkGenerationConfig(path); };
    } else {
      check = [&] { return checkTokenizer(work); };
    }
    original = readAll(path);
    QVERIFY(!original.isEmpty());
    // The unmutated input loads.
    QCOMPARE(static_cast<int>(check()), static_cast<int>(Outcome::Loaded));

    Stats stats;
    Rng rng(baseSeed() ^ fnv1a(target.toUtf8()));
    QElapsedTimer total;
    total.start();
    for (int c = 0; c < cases; ++c) {
      QString what;
      const QByteArray mutated =
          isSafetensors ? mutateSafetensors(original, rng, what) : mutateJsonSeveral(original, rng, what);
      writeAll(path, mutated);
      runCase(QStringLiteral("%1 case %2: %3").arg(target).arg(c).arg(what), check, mutated, stats);
    }
    writeAll(path, original);

    QStringList reasons;
    for (const auto& [reason, count] : stats.reasons) reasons << QStringLiteral("%1× %2").arg(count).arg(reason);
    qInfo("%s: %d cases in %lld ms: %d loaded, %d refused, %lld failed; slowest %lld ms CPU (%s)", qPrintable(target),
          cases, total.elapsed(), stats.loaded, stats.refused, static_cast<long long>(stats.failures.size()),
          stats.slowestMs, qPrintable(stats.slowest.left(120)));
    if (qEnvironmentVariableIntValue("DISTILLERY_FUZZ_VERBOSE") != 0) qInfo("%s", qPrintable(reasons.join(u'\n')));
    QVERIFY2(stats.failures.isEmpty(), qPrintable(stats.failures.mid(0, 10).join(u'\n')));
    QCOMPARE(stats.loaded + stats.refused, cases);
    QVERIFY2(stats.refused > cases / 10, "the mutations hardly ever broke the input; are they applied?");
    QVERIFY2(stats.slowestMs < 10'000, qPrintable(stats.slowest));
  }
};

QTEST_GUILESS_MAIN(TestFuzzInputs)
#include "tst_fuzz_inputs.moc"
