#include "kd/Preflight.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "runtime/Nvml.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <dlfcn.h>

#include <algorithm>
#include <vector>

namespace distillery {

namespace {

// Tokens per chunk the KD loss works on (core/kd's chunked loss): the logits of this many tokens exist at once.
constexpr int64_t kLogitChunkTokens = 1024;

// A tokenizer.json reduced to what decides which string an id means and how text becomes ids.
struct TokenizerFacts {
  std::vector<QString> idToString;  // index: id; vocab and added tokens (added ones win, as in tokenizers)
  std::vector<bool> present;        // ids that exist (a vocabulary may have holes)
  QStringList merges;               // "a b" per merge, pairs normalised to the string form
  QJsonArray addedTokens;           // as written
  QJsonObject modelRest;            // model without vocab and merges (type, byte_fallback, unk_token, ...)
  QJsonValue normalizer, preTokenizer;
};

TokenizerFacts readTokenizer(const QString& path) {
  const QJsonObject json = readJsonObject(path);
  TokenizerFacts f;
  const QJsonObject model = json.value(QStringLiteral("model")).toObject();
  auto put = [&](int64_t id, const QString& s) {
    if (id < 0 || id > (int64_t(1) << 31))
      throw FormatError(path, QStringLiteral("model.vocab"), id, QStringLiteral("is not a valid token id"));
    if (static_cast<size_t>(id) >= f.idToString.size()) {
      f.idToString.resize(static_cast<size_t>(id) + 1);
      f.present.resize(static_cast<size_t>(id) + 1, false);
    }
    f.idToString[static_cast<size_t>(id)] = s;
    f.present[static_cast<size_t>(id)] = true;
  };
  const QJsonValue vocab = model.value(QStringLiteral("vocab"));
  if (vocab.isObject()) {  // BPE, WordPiece, WordLevel: {"token": id}
    const QJsonObject v = vocab.toObject();
    for (auto it = v.begin(); it != v.end(); ++it) put(it.value().toInteger(-1), it.key());
  } else if (vocab.isArray()) {  // Unigram: [["piece", score], ...], the id is the position
    const QJsonArray v = vocab.toArray();
    for (qsizetype i = 0; i < v.size(); ++i) put(i, v.at(i).toArray().at(0).toString());
  }
  for (const QJsonValue& m : model.value(QStringLiteral("merges")).toArray()) {
    if (m.isArray()) {
      QStringList parts;
      for (const QJsonValue& p : m.toArray()) parts << p.toString();
      f.merges << parts.join(QLatin1Char(' '));
    } else {
      f.merges << m.toString();
    }
  }
  f.addedTokens = json.value(QStringLiteral("added_tokens")).toArray();
  for (const QJsonValue& t : f.addedTokens) {
    const QJsonObject o = t.toObject();
    put(o.value(QStringLiteral("id")).toInteger(-1), o.value(QStringLiteral("content")).toString());
  }
  f.modelRest = model;
  f.modelRest.remove(QStringLiteral("vocab"));
  f.modelRest.remove(QStringLiteral("merges"));
  f.normalizer = json.value(QStringLiteral("normalizer"));
  f.preTokenizer = json.value(QStringLiteral("pre_tokenizer"));
  return f;
}

QString quoted(const QString& s) {
  return s.isEmpty() ? QStringLiteral("(none)") : QLatin1Char('"') + s + QLatin1Char('"');
}

QString compact(const QJsonValue& v) { return jsonText(v, 60); }

int64_t readMemAvailable() {
  // /proc files report size 0, so read them whole rather than trusting atEnd().
  QFile f(QStringLiteral("/proc/meminfo"));
  if (!f.open(QIODevice::ReadOnly)) return -1;
  for (const QByteArray& line : f.readAll().split('\n')) {
    if (!line.startsWith("MemAvailable:")) continue;
    const QList<QByteArray> parts = line.simplified().split(' ');  // "MemAvailable: 123456 kB"
    bool ok = false;
    const qint64 kb = parts.size() >= 2 ? parts[1].toLongLong(&ok) : 0;
    return ok ? kb * 1024 : -1;
  }
  return -1;
}

// Compute capability major of CUDA device `index` from the driver API, loaded at run time (so CPU builds need no
// CUDA); -1 when the driver is absent or fails.
int computeCapabilityMajor(int index) {
  static void* so = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (!so) return -1;
  using InitFn = int (*)(unsigned int);
  using GetFn = int (*)(int*, int);
  using AttrFn = int (*)(int*, int, int);
  auto init = reinterpret_cast<InitFn>(dlsym(so, "cuInit"));
  auto get = reinterpret_cast<GetFn>(dlsym(so, "cuDeviceGet"));
  auto attr = reinterpret_cast<AttrFn>(dlsym(so, "cuDeviceGetAttribute"));
  constexpr int kComputeCapabilityMajor = 75;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
  int device = 0, major = -1;
  if (!init || !get || !attr || init(0) != 0 || get(&device, index) != 0 ||
      attr(&major, kComputeCapabilityMajor, device) != 0)
    return -1;
  return major;
}

// "cpu" → -1, "cuda" / "cuda:N" → N; UsageError for anything else, Error when CUDA is not there.
int cudaIndex(const QString& device) {
  if (device.isEmpty() || device == QLatin1String("cpu")) return -1;
  if (device != QLatin1String("cuda") && !device.startsWith(QLatin1String("cuda:")))
    throw UsageError({}, QStringLiteral("--device"), device, QStringLiteral("must be cpu or cuda[:N]"));
  int index = 0;
  if (device.contains(QLatin1Char(':'))) {
    bool ok = false;
    index = device.section(QLatin1Char(':'), 1).toInt(&ok);
    if (!ok || index < 0)
      throw UsageError({}, QStringLiteral("--device"), device, QStringLiteral("must be cpu or cuda[:N]"));
  }
  if (!torch::cuda::is_available())
    throw Error({}, QStringLiteral("--device"), device,
                QStringLiteral("is not available: this machine or build has no CUDA"));
  if (index >= static_cast<int>(torch::cuda::device_count()))
    throw Error({}, QStringLiteral("--device"), device,
                QStringLiteral("names no CUDA device (there are %1)").arg(torch::cuda::device_count()));
  return index;
}

QString gib(int64_t bytes) {
  return QString::number(bytes / double(int64_t(1) << 30), 'f', 2) + QStringLiteral(" GiB");
}

QJsonValue integer(int64_t v) { return QJsonValue(static_cast<qint64>(v)); }

}  // namespace

QString verdictName(KdVerdict v) {
  switch (v) {
    case KdVerdict::LogitKd:
      return QStringLiteral("logit_kd");
    case KdVerdict::SharedIds:
      return QStringLiteral("shared_ids");
    case KdVerdict::Refused:
      break;
  }
  return QStringLiteral("refused");
}

TokenizerComparison compareTokenizers(const QString& teacherTokenizerJson, const QString& studentTokenizerJson) {
  const TokenizerFacts t = readTokenizer(teacherTokenizerJson);
  const TokenizerFacts s = readTokenizer(studentTokenizerJson);
  TokenizerComparison c;
  c.teacherTokens = static_cast<int64_t>(t.idToString.size());
  c.studentTokens = static_cast<int64_t>(s.idToString.size());
  c.comparedIds = std::min(c.teacherTokens, c.studentTokens);
  for (int64_t id = 0; id < c.comparedIds; ++id) {
    const auto i = static_cast<size_t>(id);
    if (t.present[i] == s.present[i] && t.idToString[i] == s.idToString[i]) continue;
    if (c.differingIds++ == 0) {
      c.exampleId = id;
      c.exampleTeacher = t.idToString[i];
      c.exampleStudent = s.idToString[i];
    }
  }
  QStringList differences;
  if (c.differingIds > 0)
    differences << QStringLiteral(
                       "%1 of the first %2 ids map to different strings (e.g. id %3 is %4 in the teacher's "
                       "tokenizer, %5 in the student's)")
                       .arg(c.differingIds)
                       .arg(c.comparedIds)
                       .arg(c.exampleId)
                       .arg(quoted(c.exampleTeacher), quoted(c.exampleStudent));
  if (c.teacherTokens != c.studentTokens)
    differences << QStringLiteral("the teacher's tokenizer has %1 ids, the student's %2")
                       .arg(c.teacherTokens)
                       .arg(c.studentTokens);
  if (t.modelRest != s.modelRest)
    differences << QStringLiteral("the tokenizer models differ (teacher %1, student %2)")
                       .arg(compact(t.modelRest), compact(s.modelRest));
  if (t.merges != s.merges) {
    qsizetype k = 0;
    while (k < t.merges.size() && k < s.merges.size() && t.merges[k] == s.merges[k]) ++k;
    differences << QStringLiteral("the BPE merges differ from merge #%1 on (teacher %2, student %3; %4 vs %5 merges)")
                       .arg(k)
                       .arg(quoted(t.merges.value(k)), quoted(s.merges.value(k)))
                       .arg(t.merges.size())
                       .arg(s.merges.size());
  }
  if (t.addedTokens != s.addedTokens) differences << QStringLiteral("the added (special) tokens differ");
  if (t.normalizer != s.normalizer)
    differences << QStringLiteral("the normalizers differ (teacher %1, student %2)")
                       .arg(compact(t.normalizer), compact(s.normalizer));
  if (t.preTokenizer != s.preTokenizer)
    differences << QStringLiteral("the pre-tokenizers differ (teacher %1, student %2)")
                       .arg(compact(t.preTokenizer), compact(s.preTokenizer));
  c.same = differences.isEmpty();
  c.difference = differences.join(QStringLiteral("; "));
  return c;
}

int64_t freeDeviceMemory(const QString& device) {
  const int index = cudaIndex(device);
  if (index < 0) return readMemAvailable();
  // NVML numbers GPUs as the driver does; with CUDA_VISIBLE_DEVICES reordering them this may name another GPU.
  for (const GpuInfo& g : nvmlGpus())
    if (g.index == index && g.memoryTotal > 0) return g.memoryTotal - g.memoryUsed;
  return -1;
}

QJsonObject PreflightReport::toJson() const {
  const QJsonObject tok{
      {QStringLiteral("same"), tokenizers.same},
      {QStringLiteral("teacher_tokens"), integer(tokenizers.teacherTokens)},
      {QStringLiteral("student_tokens"), integer(tokenizers.studentTokens)},
      {QStringLiteral("compared_ids"), integer(tokenizers.comparedIds)},
      {QStringLiteral("differing_ids"), integer(tokenizers.differingIds)},
      {QStringLiteral("example_id"), tokenizers.exampleId >= 0 ? integer(tokenizers.exampleId) : QJsonValue()},
      {QStringLiteral("example_teacher"), tokenizers.exampleTeacher},
      {QStringLiteral("example_student"), tokenizers.exampleStudent},
      {QStringLiteral("difference"), tokenizers.difference}};
  const QJsonObject mem{
      {QStringLiteral("teacher_bytes"), integer(memory.teacherBytes)},
      {QStringLiteral("student_bytes"), integer(memory.studentBytes)},
      {QStringLiteral("activation_bytes"), integer(memory.activationBytes)},
      {QStringLiteral("total_bytes"), integer(memory.totalBytes)},
      {QStringLiteral("free_bytes"), memory.freeBytes >= 0 ? integer(memory.freeBytes) : QJsonValue()},
      {QStringLiteral("fits"), memory.fits}};
  return {{QStringLiteral("teacher"), teacherDir},
          {QStringLiteral("student"), studentDir},
          {QStringLiteral("device"), device},
          {QStringLiteral("verdict"), verdictName(verdict)},
          {QStringLiteral("reason"), reason},
          {QStringLiteral("offer_sequence_kd"), offerSequenceKd},
          {QStringLiteral("teacher_vocab"), integer(teacherVocab)},
          {QStringLiteral("student_vocab"), integer(studentVocab)},
          {QStringLiteral("shared_vocab"), integer(sharedVocab)},
          {QStringLiteral("tokenizers"), tok},
          {QStringLiteral("memory"), mem},
          {QStringLiteral("dtype"), dtype},
          {QStringLiteral("bf16_supported"), bf16Supported},
          {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
          {QStringLiteral("ok"), ok()}};
}

PreflightReport preflight(const QString& teacherDir, const QString& studentDir, const QString& device,
                          const PreflightOptions& options) {
  if (options.batch < 1)
    throw UsageError({}, QStringLiteral("--batch"), QString::number(options.batch),
                     QStringLiteral("must be at least 1"));
  if (options.sequence < 1)
    throw UsageError({}, QStringLiteral("--seq"), QString::number(options.sequence),
                     QStringLiteral("must be at least 1"));
  PreflightReport r;
  r.teacherDir = teacherDir;
  r.studentDir = studentDir;
  r.device = device.isEmpty() ? QStringLiteral("cpu") : device;
  const int cuda = cudaIndex(r.device);
  const ModelConfig teacher = ModelConfig::fromFile(QDir(teacherDir).filePath(QStringLiteral("config.json")));
  const ModelConfig student = ModelConfig::fromFile(QDir(studentDir).filePath(QStringLiteral("config.json")));
  r.teacherVocab = teacher.vocabSize;
  r.studentVocab = student.vocabSize;

  // Tokenizers → verdict.
  const QString teacherTok = QDir(teacherDir).filePath(QStringLiteral("tokenizer.json"));
  const QString studentTok = QDir(studentDir).filePath(QStringLiteral("tokenizer.json"));
  const bool haveTeacherTok = QFileInfo(teacherTok).isFile(), haveStudentTok = QFileInfo(studentTok).isFile();
  const int64_t shared = std::min(r.teacherVocab, r.studentVocab);
  if (!haveTeacherTok || !haveStudentTok) {
    r.verdict = KdVerdict::Refused;
    r.reason = QStringLiteral(
                   "%1 has no tokenizer.json, so whether both models mean the same text by each id cannot "
                   "be checked; logit KD is refused")
                   .arg(haveTeacherTok ? studentTok : teacherTok);
  } else {
    r.tokenizers = compareTokenizers(teacherTok, studentTok);
    const int64_t tokens = r.tokenizers.teacherTokens;
    if (!r.tokenizers.same) {
      r.verdict = KdVerdict::Refused;
      r.reason = QStringLiteral(
                     "Teacher and student use different tokenizers: %1. Logit KD would compare "
                     "probabilities of unrelated tokens, so it is refused.")
                     .arg(r.tokenizers.difference);
      r.offerSequenceKd = true;
    } else if (tokens > shared) {
      r.verdict = KdVerdict::Refused;
      r.reason =
          QStringLiteral(
              "The tokenizer has %1 ids but %2's vocab_size is only %3: the model cannot score every "
              "token; its config and tokenizer do not match.")
              .arg(tokens)
              .arg(r.teacherVocab < r.studentVocab ? QStringLiteral("the teacher") : QStringLiteral("the student"))
              .arg(shared);
    } else if (r.teacherVocab == r.studentVocab) {
      r.verdict = KdVerdict::LogitKd;
      r.sharedVocab = shared;
      r.reason = QStringLiteral("Same tokenizer (%1 ids) and vocab_size %2: logit KD over the whole vocabulary.")
                     .arg(tokens)
                     .arg(shared);
    } else {
      r.verdict = KdVerdict::SharedIds;
      r.sharedVocab = shared;
      r.reason = QStringLiteral(
                     "Same tokenizer (%1 ids), but vocab_size is padded differently (teacher %2, student %3): "
                     "KD runs over the shared ids [0, %4); the %5 extra logit rows are never produced by the "
                     "tokenizer and are left out.")
                     .arg(tokens)
                     .arg(r.teacherVocab)
                     .arg(r.studentVocab)
                     .arg(shared)
                     .arg(std::max(r.teacherVocab, r.studentVocab) - shared);
    }
  }
  if (r.verdict == KdVerdict::Refused && r.offerSequenceKd)
    r.reason += QStringLiteral(
        " Sequence-level KD works across tokenizers: generate answers with the teacher and "
        "train the student on them as ordinary data.");

  // Dtype: bf16 on a GPU that computes it natively (compute capability 8.0, Ampere, and newer); float32 on the CPU.
  if (cuda < 0) {
    r.bf16Supported = true;
    r.dtype = QStringLiteral("float32");
  } else {
    const int major = computeCapabilityMajor(cuda);
    r.bf16Supported = major >= 8;
    r.dtype = r.bf16Supported ? QStringLiteral("bfloat16") : QStringLiteral("float32");
    if (!r.bf16Supported)
      r.warnings << (major < 0 ? QStringLiteral("the GPU's compute capability is unknown; running in float32")
                               : QStringLiteral("%1 has compute capability %2.x: no native bfloat16, running in "
                                                "float32 (twice the memory)")
                                     .arg(r.device)
                                     .arg(major));
  }
  const int64_t bytes = r.dtype == QLatin1String("bfloat16") ? 2 : 4;

  // Memory: the teacher only runs forward (weights + one layer's activations); the student trains in float32 with
  // AdamW (weights, gradients, m, v) and keeps every layer's activations for backward; the KD loss holds the
  // logits of one chunk of tokens for both models (float32, the student's with its gradient).
  // In double, clamped: absurd --batch/--seq must give "does not fit", not an overflowed int64.
  auto clamped = [](double v) { return v >= 9.0e18 ? int64_t(9'000'000'000'000'000'000) : static_cast<int64_t>(v); };
  const double tokensPerStep = double(options.batch) * double(options.sequence);
  MemoryCheck& m = r.memory;
  m.teacherBytes = clamped(double(parameterCount(teacher)) * bytes +
                           tokensPerStep * double(4 * teacher.hidden + 3 * teacher.intermediate) * bytes);
  m.studentBytes = clamped(double(parameterCount(student)) * 16);
  const int64_t perToken = 6 * student.hidden + 2 * student.heads * student.headDim +
                           2 * student.kvHeads * student.headDim + 4 * student.intermediate;
  m.activationBytes = clamped(double(student.layers) * tokensPerStep * double(perToken) * bytes +
                              std::min(tokensPerStep, double(kLogitChunkTokens)) *
                                  double(teacher.vocabSize + 2 * student.vocabSize) * 4);
  m.totalBytes = clamped(double(m.teacherBytes) + double(m.studentBytes) + double(m.activationBytes));
  m.freeBytes = freeDeviceMemory(r.device);
  m.fits = m.freeBytes < 0 || m.totalBytes <= m.freeBytes;
  if (!m.fits)
    r.warnings << QStringLiteral(
                      "the run needs about %1 (batch %2, sequence %3) but %4 has %5 free; lower --batch or "
                      "--seq")
                      .arg(gib(m.totalBytes))
                      .arg(options.batch)
                      .arg(options.sequence)
                      .arg(r.device, gib(m.freeBytes));
  if (m.freeBytes < 0) r.warnings << QStringLiteral("the free memory of %1 is unknown").arg(r.device);
  return r;
}

}  // namespace distillery
