#include "checkpoint/Checkpoint.h"

#include "common/Error.h"

#include <ATen/ATen.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>

namespace distillery {

namespace {

const QString kSingleFile = QStringLiteral("model.safetensors");
const QString kIndexFile = QStringLiteral("model.safetensors.index.json");

// A shard must be a plain file beside the index: no folders, no way out of the checkpoint.
bool isPlainFileName(const QString& name) {
  return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..") &&
         !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')) && !name.contains(QChar(0));
}

}  // namespace

CheckpointReader::CheckpointReader(const QString& dir) : dir_(dir) {
  const QFileInfo info(dir);
  if (!info.exists()) throw FormatError(dir, {}, {}, QStringLiteral("does not exist"));
  if (info.isFile()) {
    openSingle(dir);
    return;
  }
  const QDir folder(dir);
  if (QFileInfo::exists(folder.filePath(kSingleFile))) {
    openSingle(folder.filePath(kSingleFile));
    return;
  }
  if (QFileInfo::exists(folder.filePath(kIndexFile))) {
    openSharded(folder.filePath(kIndexFile));
    return;
  }
  if (const QStringList pickles = pickleFiles(dir); !pickles.isEmpty())
    throw FormatError(
        dir, {}, {},
        QStringLiteral("holds only pickle checkpoints (%1), which Distillery does not load: unpickling a file can "
                       "execute arbitrary code. Convert the model once to safetensors, in a Python environment you "
                       "trust:\n  python -c \"from transformers import AutoModelForCausalLM as M; "
                       "M.from_pretrained('%2').save_pretrained('%2-safetensors', safe_serialization=True)\"\n"
                       "then copy the tokenizer files into %2-safetensors and open that folder.")
            .arg(pickles.join(QStringLiteral(", ")), QDir::cleanPath(info.absoluteFilePath())));
  QString message = QStringLiteral("has no %1 or %2").arg(kSingleFile, kIndexFile);
  const QStringList others = folder.entryList({QStringLiteral("*.safetensors")}, QDir::Files, QDir::Name);
  if (!others.isEmpty()) message += QStringLiteral(" (found: %1)").arg(others.join(QStringLiteral(", ")));
  throw FormatError(dir, {}, {}, message);
}

QStringList CheckpointReader::pickleFiles(const QString& dir) {
  return QDir(dir).entryList(
      {QStringLiteral("*.bin"), QStringLiteral("*.pt"), QStringLiteral("*.pth"), QStringLiteral("*.ckpt")}, QDir::Files,
      QDir::Name);
}

void CheckpointReader::openSingle(const QString& path) {
  files_.push_back(std::make_shared<const SafetensorsFile>(path));
  for (const TensorInfo& t : files_.back()->tensors()) entries_.insert(QString::fromStdString(t.name), Entry{0, &t});
}

void CheckpointReader::openSharded(const QString& indexPath) {
  const QString weightMap = QStringLiteral("weight_map");
  const QJsonObject root = readJsonObject(indexPath, DuplicateKeys::Refuse);
  const QJsonValue mapValue = root.value(weightMap);
  if (mapValue.isUndefined())
    throw FormatError(indexPath, weightMap, {}, QStringLiteral("is missing; it maps each tensor to its shard file"));
  if (!mapValue.isObject())
    throw FormatError(indexPath, weightMap, {},
                      QStringLiteral("must be an object {tensor name: shard file}, got ") + jsonText(mapValue));
  const QJsonObject map = mapValue.toObject();
  if (map.isEmpty()) throw FormatError(indexPath, weightMap, {}, QStringLiteral("lists no tensors"));

  QMap<QString, QStringList> listed;  // shard file → tensor names the index puts there
  for (auto it = map.begin(); it != map.end(); ++it) {
    const QString shard = it.value().toString();
    if (!it.value().isString() || !isPlainFileName(shard))
      throw FormatError(indexPath, it.key(), {},
                        QStringLiteral("weight_map entry %1 must be the file name of a shard in the same folder")
                            .arg(jsonText(it.value())));
    listed[shard] << it.key();
  }

  const QDir folder = QFileInfo(indexPath).dir();
  QMap<QString, int> shardIndex;
  for (auto it = listed.begin(); it != listed.end(); ++it) {
    const QString path = folder.filePath(it.key());
    if (!QFileInfo::exists(path))
      throw FormatError(path, {}, {},
                        QStringLiteral("does not exist; %1 puts %2 tensors in it (%3, ...)")
                            .arg(kIndexFile)
                            .arg(it.value().size())
                            .arg(it.value().first()));
    const int index = static_cast<int>(files_.size());
    files_.push_back(std::make_shared<const SafetensorsFile>(path));
    shardIndex.insert(it.key(), index);
    for (const TensorInfo& t : files_.back()->tensors()) {
      const QString name = QString::fromStdString(t.name);
      if (const auto other = entries_.constFind(name); other != entries_.constEnd())
        throw FormatError(path, name, {},
                          QStringLiteral("is also in %1; a tensor must be in one shard only")
                              .arg(QFileInfo(files_[other->file]->path()).fileName()));
      entries_.insert(name, Entry{index, &t});
    }
  }

  for (auto it = listed.begin(); it != listed.end(); ++it) {
    const int index = shardIndex.value(it.key());
    for (const QString& name : it.value()) {
      const auto found = entries_.constFind(name);
      if (found == entries_.constEnd())
        throw FormatError(indexPath, name, {},
                          QStringLiteral("weight_map puts it in %1, which does not hold it").arg(it.key()));
      if (found->file != index)
        throw FormatError(indexPath, name, {},
                          QStringLiteral("weight_map puts it in %1, but it is in %2")
                              .arg(it.key(), QFileInfo(files_[found->file]->path()).fileName()));
    }
  }
}

QStringList CheckpointReader::files() const {
  QStringList paths;
  for (const auto& f : files_) paths << f->path();
  return paths;
}

QStringList CheckpointReader::names() const { return entries_.keys(); }

bool CheckpointReader::contains(const QString& name) const { return entries_.contains(name); }

const CheckpointReader::Entry& CheckpointReader::entry(const QString& name) const {
  const auto it = entries_.constFind(name);
  if (it == entries_.constEnd()) throw FormatError(dir_, name, {}, QStringLiteral("is not in this checkpoint"));
  return *it;
}

const TensorInfo& CheckpointReader::info(const QString& name) const { return *entry(name).info; }

const SafetensorsFile& CheckpointReader::fileOf(const QString& name) const { return *files_[entry(name).file]; }

at::Tensor CheckpointReader::load(const QString& name, c10::ScalarType dtype, const c10::Device& device) const {
  const Entry& e = entry(name);
  // tensor() already returns an owning copy, so .to() may hand it back as is.
  return files_[e.file]->tensor(e.info->name).to(device, dtype);
}

}  // namespace distillery
