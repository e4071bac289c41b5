#include "model/ModelSaver.h"

#include "checkpoint/Safetensors.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "model/ModelLoader.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QMap>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace distillery {

namespace {

using TensorList = std::vector<std::pair<std::string, torch::Tensor>>;

const QString kSingleFile = QStringLiteral("model.safetensors");
const QString kIndexFile = QStringLiteral("model.safetensors.index.json");
const QString kConfigFile = QStringLiteral("config.json");

// Weight files a model folder may hold from an earlier save: model.safetensors, its index and its shards.
bool isWeightFile(const QString& name) {
  static const QRegularExpression shard(QStringLiteral("^model-\\d+-of-\\d+\\.safetensors$"));
  return name == kSingleFile || name == kIndexFile || shard.match(name).hasMatch();
}

QString osError() { return QString::fromLocal8Bit(std::strerror(errno)); }

// Makes renames and new entries in dir durable (a rename is only on disk once its folder is synced).
void syncDirectory(const QString& dir) {
  const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) throw Error(dir, {}, {}, QStringLiteral("cannot be opened to sync: %1").arg(osError()));
  const int rc = ::fsync(fd);
  const QString reason = rc != 0 ? osError() : QString();
  ::close(fd);
  if (rc != 0) throw Error(dir, {}, {}, QStringLiteral("cannot be synced: %1").arg(reason));
}

// POSIX rename: replaces `to` atomically when it exists (QFile::rename refuses to).
void renameOver(const QString& from, const QString& to) {
  if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
    throw Error(to, {}, {}, QStringLiteral("cannot be moved into place from %1: %2").arg(from, osError()));
}

// The tensors configJson implies, taken from model in registration order after checking that the model holds
// exactly those with the config's shapes: parameters converted to dtype, and for a quantized config the
// quantized Linears' codes, scales and zeros in their own dtypes (they are buffers, not parameters).
TensorList checkedParameters(CausalLM& model, const ModelConfig& cfg, const std::optional<QuantConfig>& quant,
                             torch::ScalarType dtype, const QString& dir) {
  QMap<QString, torch::Tensor> params;
  for (const auto& p : model->named_parameters()) params.insert(QString::fromStdString(p.key()), p.value());
  QMap<QString, torch::Tensor> buffers;
  for (const auto& b : model->named_buffers()) buffers.insert(QString::fromStdString(b.key()), b.value());
  QSet<QString> expectedNames;
  TensorList out;
  torch::NoGradGuard noGrad;
  for (const ExpectedTensor& e : expectedTensors(cfg, quant)) {
    expectedNames.insert(e.name);
    const QMap<QString, torch::Tensor>& from = e.dtype ? buffers : params;
    const auto it = from.constFind(e.name);
    if (it == from.constEnd())
      throw FormatError(dir, e.name, {},
                        QStringLiteral("is implied by the config (%1%2, shape %3) but the model has no such %4")
                            .arg(cfg.architecture,
                                 quant ? QStringLiteral(" quantized as ") + quant->scheme.name() : QString(),
                                 shapeText(e.shape),
                                 e.dtype ? QStringLiteral("quantized tensor") : QStringLiteral("parameter")));
    if (it->sizes().vec() != e.shape)
      throw FormatError(dir, e.name, shapeText(it->sizes().vec()),
                        QStringLiteral("is the model's shape, but the config implies %1").arg(shapeText(e.shape)));
    if (e.dtype && dtypeFromScalarType(it->scalar_type()) != e.dtype)
      throw FormatError(dir, e.name, QString::fromLatin1(c10::toString(it->scalar_type())),
                        QStringLiteral("is the model's dtype, but the layout stores %1").arg(dtypeName(*e.dtype)));
    out.emplace_back(e.name.toStdString(), e.dtype ? it->detach() : it->detach().to(dtype));
  }
  for (auto it = params.constBegin(); it != params.constEnd(); ++it)
    if (!expectedNames.contains(it.key()))
      throw FormatError(dir, it.key(), {},
                        it.key().contains(QLatin1String("lora_"))
                            ? QStringLiteral("is a LoRA adapter parameter; merge or unload the adapters before saving "
                                             "a full model (or save the adapter alone)")
                            : QStringLiteral("is a model parameter that the config does not imply; model and config "
                                             "do not match"));
  return out;
}

// save_pretrained's sharding (huggingface_hub's split_state_dict_into_shards_factory): tensors in order, a new
// shard when the next tensor would take the current one over the limit; a tensor larger than the limit goes into
// a shard of its own, placed before the shard being filled.
std::vector<TensorList> shard(TensorList tensors, int64_t maxShardBytes) {
  if (maxShardBytes <= 0) return {std::move(tensors)};
  std::vector<TensorList> shards;
  TensorList current;
  int64_t currentBytes = 0;
  for (auto& item : tensors) {
    const int64_t bytes = item.second.numel() * static_cast<int64_t>(item.second.element_size());
    if (bytes > maxShardBytes) {
      shards.push_back({std::move(item)});
      continue;
    }
    if (currentBytes + bytes > maxShardBytes) {
      shards.push_back(std::move(current));
      current = {};
      currentBytes = 0;
    }
    currentBytes += bytes;
    current.push_back(std::move(item));
  }
  if (!current.empty()) shards.push_back(std::move(current));
  if (shards.empty()) shards.emplace_back();
  return shards;
}

}  // namespace

QStringList modelSideFiles() {
  return {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json"),
          QStringLiteral("special_tokens_map.json"), QStringLiteral("generation_config.json"),
          QStringLiteral("chat_template.jinja")};
}

QString configDtypeName(torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat32:
      return QStringLiteral("float32");
    case torch::kBFloat16:
      return QStringLiteral("bfloat16");
    case torch::kFloat16:
      return QStringLiteral("float16");
    default:
      break;
  }
  throw Error({}, QStringLiteral("dtype"), QString::fromLatin1(c10::toString(dtype)),
              QStringLiteral("models are saved as float32, bfloat16 or float16"));
}

void saveModel(CausalLM& model, const QJsonObject& configJson, const QString& dir, const QString& sourceDir,
               const SaveOptions& options) {
  const QString target = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  const torch::ScalarType dtype = options.dtype.value_or(model->dtype());
  const QString dtypeName = configDtypeName(dtype);
  const ModelConfig cfg = ModelConfig::fromJson(configJson, QDir(target).filePath(kConfigFile));
  const std::optional<QuantConfig> quant = QuantConfig::fromConfigJson(configJson, cfg.path);

  // Refuse before anything is written.
  const QFileInfo targetInfo(target);
  bool replaceWhole = true;  // target is absent or an empty folder
  if (targetInfo.exists()) {
    if (!targetInfo.isDir()) throw Error(target, {}, {}, QStringLiteral("exists and is not a folder"));
    const bool empty = QDir(target).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    const bool modelFolder = QFileInfo::exists(QDir(target).filePath(kConfigFile));
    if (!empty && !modelFolder && !options.allowOtherFiles)
      throw Error(target, {}, {},
                  QStringLiteral("is not empty and is not a model folder (it has no config.json); nothing was "
                                 "written: choose a new or empty folder"));
    replaceWhole = empty;
  }
  const TensorList tensors = checkedParameters(model, cfg, quant, dtype, target);

  const QString parent = QFileInfo(target).absolutePath();
  if (!QDir().mkpath(parent)) throw Error(parent, {}, {}, QStringLiteral("cannot be created"));
  QTemporaryDir temp(parent + QStringLiteral("/.") + QFileInfo(target).fileName() + QStringLiteral(".saving-XXXXXX"));
  if (!temp.isValid())
    throw Error(parent, {}, {}, QStringLiteral("cannot hold a temporary folder: %1").arg(temp.errorString()));
  const QDir tmp(temp.path());

  // Weights.
  QStringList written;
  const QMap<QString, QString> metadata{{QStringLiteral("format"), QStringLiteral("pt")}};
  const std::vector<TensorList> shards = shard(tensors, options.maxShardBytes);
  if (shards.size() == 1) {
    writeSafetensors(tmp.filePath(kSingleFile), shards.front(), metadata);
    written << kSingleFile;
  } else {
    QJsonObject weightMap;
    qint64 totalSize = 0, totalParameters = 0;
    const int n = static_cast<int>(shards.size());
    for (int i = 0; i < n; ++i) {
      const QString name = QStringLiteral("model-%1-of-%2.safetensors")
                               .arg(i + 1, 5, 10, QLatin1Char('0'))
                               .arg(n, 5, 10, QLatin1Char('0'));
      writeSafetensors(tmp.filePath(name), shards[static_cast<size_t>(i)], metadata);
      for (const auto& [tensorName, t] : shards[static_cast<size_t>(i)]) {
        weightMap.insert(QString::fromStdString(tensorName), name);
        totalSize += t.numel() * static_cast<qint64>(t.element_size());
        totalParameters += t.numel();
      }
      written << name;
    }
    const QJsonObject index{
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("total_size"), totalSize}, {QStringLiteral("total_parameters"), totalParameters}}},
        {QStringLiteral("weight_map"), weightMap}};
    writeFileAtomically(tmp.filePath(kIndexFile), QJsonDocument(index).toJson(QJsonDocument::Indented));
    written << kIndexFile;
  }

  // Tokenizer and generation files, read before anything in target changes (sourceDir may be target).
  if (!sourceDir.isEmpty()) {
    for (const QString& name : modelSideFiles()) {
      const QString from = QDir(sourceDir).filePath(name);
      if (!QFileInfo(from).isFile()) continue;
      QFile in(from);
      if (!in.open(QIODevice::ReadOnly))
        throw Error(from, {}, {}, QStringLiteral("cannot be read: %1").arg(in.errorString()));
      writeFileAtomically(tmp.filePath(name), in.readAll());
      written << name;
    }
  }

  // config.json with the dtype the weights now have; transformers 5 writes "dtype", 4.x "torch_dtype".
  QJsonObject config = configJson;
  const bool hasDtype = config.contains(QStringLiteral("dtype"));
  if (hasDtype) config.insert(QStringLiteral("dtype"), dtypeName);
  if (config.contains(QStringLiteral("torch_dtype")) || !hasDtype)
    config.insert(QStringLiteral("torch_dtype"), dtypeName);
  writeFileAtomically(tmp.filePath(kConfigFile), QJsonDocument(config).toJson(QJsonDocument::Indented));
  written << kConfigFile;
  syncDirectory(tmp.path());

  if (replaceWhole) {
    // One rename makes the whole folder appear; an empty folder in the way is removed first.
    if (targetInfo.exists() && !QDir().rmdir(target))
      throw Error(target, {}, {}, QStringLiteral("is an empty folder that cannot be replaced"));
    renameOver(tmp.path(), target);
    temp.setAutoRemove(false);
  } else {
    // Weights first, config.json last: a reader never sees the new config beside the old weights' absence.
    for (const QString& name : written) renameOver(tmp.filePath(name), QDir(target).filePath(name));
    const QSet<QString> keep(written.begin(), written.end());
    for (const QString& name : QDir(target).entryList(QDir::Files | QDir::Hidden))
      if (isWeightFile(name) && !keep.contains(name) && !QFile::remove(QDir(target).filePath(name)))
        throw Error(QDir(target).filePath(name), {}, {},
                    QStringLiteral("is left from an earlier save and cannot be removed"));
  }
  syncDirectory(target);
  syncDirectory(parent);
}

}  // namespace distillery
