#include "kd/TeacherCache.h"

#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/AtomicFile.h"
#include "common/Error.h"

#include <torch/torch.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <limits>

namespace distillery {

namespace {

constexpr int kFormat = 1;

// The bytes of a tensor as stored on the CPU, for hashing.
QByteArray tensorBytes(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kCPU, torch::kInt64).contiguous();
  return QByteArray(reinterpret_cast<const char*>(c.data_ptr<int64_t>()), qsizetype(c.numel() * sizeof(int64_t)));
}

}  // namespace

TeacherTargets TeacherTopK::targets(double mix) const {
  TeacherTargets t;
  t.topkValues = values;
  t.topkIndices = indices;
  t.vocab = vocab;
  t.mix = mix;
  return t;
}

TeacherCache::TeacherCache(const QString& dir, const TeacherCacheKey& key) : dir_(QDir::cleanPath(dir)), key_(key) {
  if (key.topK <= 0)
    throw Error(dir_, QStringLiteral("top_k"), QString::number(key.topK), QStringLiteral("must be > 0"));
  if (!QDir().mkpath(dir_)) throw Error(dir_, QString(), QString(), QStringLiteral("cannot create the cache folder"));
  const QString index = dir_ + QStringLiteral("/index.json");
  if (!QFileInfo::exists(index)) {
    QJsonObject o;
    o[QStringLiteral("format")] = kFormat;
    o[QStringLiteral("teacher")] = key.teacher;
    o[QStringLiteral("top_k")] = double(key.topK);
    o[QStringLiteral("data_hash")] = key.dataHash;
    writeFileAtomically(index, QJsonDocument(o).toJson());
    return;
  }
  const QJsonObject o = readJsonObject(index);
  auto refuse = [&](const char* field, const QString& stored, const QString& asked) {
    return Error(index, QString::fromLatin1(field), stored,
                 QStringLiteral("the cache was made with this value, the job asks for %1; remove the folder or "
                                "choose another kd cache folder")
                     .arg(asked));
  };
  if (o.value(QStringLiteral("format")).toInt() != kFormat)
    throw FormatError(index, QStringLiteral("format"), o.value(QStringLiteral("format")).toInt(),
                      QStringLiteral("unknown teacher cache format (expected %1)").arg(kFormat));
  const QString teacher = o.value(QStringLiteral("teacher")).toString();
  const auto topK = int64_t(o.value(QStringLiteral("top_k")).toDouble());
  const QString hash = o.value(QStringLiteral("data_hash")).toString();
  if (teacher != key.teacher) throw refuse("teacher", teacher, key.teacher);
  if (topK != key.topK) throw refuse("top_k", QString::number(topK), QString::number(key.topK));
  if (hash != key.dataHash) throw refuse("data_hash", hash, key.dataHash);
}

QString TeacherCache::batchKey(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                               const torch::Tensor& segmentIds) {
  QCryptographicHash hash(QCryptographicHash::Sha1);
  auto addShape = [&](const torch::Tensor& t) {
    for (int64_t d : t.sizes()) hash.addData(QByteArray(QByteArray::number(qint64(d)) + ','));
    hash.addData(QByteArrayView(";"));
  };
  addShape(inputIds);
  hash.addData(tensorBytes(inputIds));
  // Tagged, so a packed batch without a mask never hashes like an unpacked one with the same bytes as its mask.
  const std::pair<const char*, const torch::Tensor*> parts[] = {{"mask", &attentionMask}, {"segments", &segmentIds}};
  for (const auto& [tag, t] : parts) {
    if (!t->defined()) continue;
    hash.addData(QByteArrayView(tag));
    addShape(*t);
    hash.addData(tensorBytes(*t));
  }
  return QString::fromLatin1(hash.result().toHex());
}

QString TeacherCache::entryPath(const QString& batchKey) const {
  return dir_ + QLatin1Char('/') + batchKey + QStringLiteral(".safetensors");
}

bool TeacherCache::contains(const QString& batchKey) const { return QFileInfo::exists(entryPath(batchKey)); }

void TeacherCache::store(const QString& batchKey, const torch::Tensor& logits) const {
  TORCH_CHECK(logits.dim() >= 1, "TeacherCache: logits must be [..., vocab], got ", logits.sizes());
  const int64_t vocab = logits.size(-1);
  TORCH_CHECK(vocab <= std::numeric_limits<int32_t>::max(), "TeacherCache: vocabulary too large: ", vocab);
  torch::NoGradGuard noGrad;
  auto [values, indices] = logits.detach().to(torch::kFloat32).topk(std::min(key_.topK, vocab), -1);
  QMap<QString, QString> metadata;
  metadata[QStringLiteral("vocab")] = QString::number(vocab);
  writeSafetensors(entryPath(batchKey),
                   {{"values", values.to(torch::kCPU)}, {"indices", indices.to(torch::kCPU, torch::kInt32)}}, metadata);
}

TeacherTopK TeacherCache::load(const QString& batchKey) const {
  const QString path = entryPath(batchKey);
  if (!QFileInfo::exists(path)) throw Error(path, QStringLiteral("batch"), batchKey, QStringLiteral("is not cached"));
  const SafetensorsFile file(path);
  TeacherTopK t;
  t.values = file.tensor("values").to(torch::kFloat32);
  t.indices = file.tensor("indices").to(torch::kInt64);
  bool ok = false;
  t.vocab = file.metadata().value(QStringLiteral("vocab")).toLongLong(&ok);
  if (!ok || t.vocab <= 0)
    throw FormatError(path, QStringLiteral("vocab"), file.metadata().value(QStringLiteral("vocab")),
                      QStringLiteral("the metadata must give the teacher's vocabulary size"));
  if (t.values.sizes() != t.indices.sizes())
    throw FormatError(path, QStringLiteral("indices"), QString::number(t.indices.numel()),
                      QStringLiteral("values and indices differ in shape"));
  return t;
}

}  // namespace distillery
