#include "train/TrainCheckpoint.h"

#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/AtomicFile.h"
#include "common/Error.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace distillery {

namespace {

const QString kTrainable = QStringLiteral("trainable.safetensors");
const QString kOptimizer = QStringLiteral("optimizer.safetensors");
const QString kState = QStringLiteral("state.json");

// fsync a folder so a rename inside it survives a power loss.
void syncDir(const QString& dir) {
  const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    throw Error(dir, {}, {},
                QStringLiteral("cannot be opened to sync: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0)
    throw Error(dir, {}, {}, QStringLiteral("fsync failed: %1").arg(QString::fromLocal8Bit(std::strerror(err))));
}

void renameOrThrow(const QString& from, const QString& to) {
  if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
    throw Error(to, {}, {},
                QStringLiteral("cannot rename %1 to it: %2").arg(from, QString::fromLocal8Bit(std::strerror(errno))));
}

std::map<std::string, at::Tensor> readAll(const QString& path) {
  SafetensorsFile file(path);
  std::map<std::string, at::Tensor> out;
  for (const TensorInfo& t : file.tensors()) out.emplace(t.name, file.tensor(t.name));
  return out;
}

QString shapeText(at::IntArrayRef sizes) {
  QStringList dims;
  for (int64_t d : sizes) dims << QString::number(d);
  return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

}  // namespace

QString checkpointName(int64_t step) { return QStringLiteral("step-%1").arg(step, 6, 10, QLatin1Char('0')); }

QString writeCheckpoint(const QString& root, int64_t step, const CheckpointContent& content,
                        const std::function<void(const QString&)>& beforeCommit) {
  if (!QDir().mkpath(root)) throw Error(root, {}, {}, QStringLiteral("cannot create the checkpoint folder"));
  QTemporaryDir temp(root + QStringLiteral("/.tmp-") + checkpointName(step) + QStringLiteral("-XXXXXX"));
  if (!temp.isValid())
    throw Error(root, {}, {}, QStringLiteral("cannot create a temp folder: %1").arg(temp.errorString()));
  const QString tmp = temp.path();
  // Each file is written through a temp file, fsync'd and renamed (writeSafetensors / writeFileAtomically).
  writeSafetensors(tmp + QLatin1Char('/') + kTrainable, content.trainable,
                   {{QStringLiteral("format"), QStringLiteral("pt")}});
  writeSafetensors(tmp + QLatin1Char('/') + kOptimizer, content.optimizer,
                   {{QStringLiteral("step"), QString::number(step)}});
  QJsonObject state = content.state;
  state[QStringLiteral("format")] = kCheckpointFormat;
  state[QStringLiteral("step")] = qint64(step);
  writeFileAtomically(tmp + QLatin1Char('/') + kState, QJsonDocument(state).toJson(QJsonDocument::Indented));
  if (beforeCommit) beforeCommit(tmp);
  syncDir(tmp);

  const QString target = root + QLatin1Char('/') + checkpointName(step);
  QString old;
  if (QFileInfo::exists(target)) {
    // Same step written before (a resumed run that fell back to an older checkpoint): move it aside first, so a
    // crash between the two renames still leaves one complete folder for this step under a name we look at.
    old = root + QStringLiteral("/.tmp-old-") + checkpointName(step);
    QDir(old).removeRecursively();
    renameOrThrow(target, old);
  }
  try {
    renameOrThrow(tmp, target);
  } catch (...) {
    if (!old.isEmpty()) ::rename(QFile::encodeName(old).constData(), QFile::encodeName(target).constData());
    throw;
  }
  temp.setAutoRemove(false);
  syncDir(root);
  if (!old.isEmpty()) QDir(old).removeRecursively();
  return target;
}

QList<CheckpointEntry> listCheckpoints(const QString& root) {
  static const QRegularExpression name(QStringLiteral("^step-(\\d+)$"));
  QList<CheckpointEntry> out;
  const QDir dir(root);
  for (const QString& entry : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    const QRegularExpressionMatch m = name.match(entry);
    if (!m.hasMatch()) continue;
    const QString path = dir.filePath(entry);
    if (!QFileInfo::exists(path + QLatin1Char('/') + kState)) continue;
    out.append({m.captured(1).toLongLong(), path});
  }
  std::sort(out.begin(), out.end(), [](const CheckpointEntry& a, const CheckpointEntry& b) { return a.step > b.step; });
  return out;
}

int removeTempCheckpoints(const QString& root) {
  int removed = 0;
  const QDir dir(root);
  for (const QString& entry :
       dir.entryList({QStringLiteral(".tmp-*")}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
    if (QDir(dir.filePath(entry)).removeRecursively()) ++removed;
  return removed;
}

void pruneCheckpoints(const QString& root, int keep, int64_t alsoKeep) {
  const QList<CheckpointEntry> all = listCheckpoints(root);
  for (qsizetype i = 0; i < all.size(); ++i)
    if (i >= keep && all[i].step != alsoKeep) QDir(all[i].dir).removeRecursively();
}

LoadedCheckpoint readCheckpoint(const QString& dir) {
  LoadedCheckpoint c;
  c.dir = dir;
  const QString statePath = dir + QLatin1Char('/') + kState;
  c.state = readJsonObject(statePath);
  const QJsonValue format = c.state.value(QStringLiteral("format"));
  if (!format.isDouble() || format.toInt() < 1 || format.toInt() > kCheckpointFormat)
    throw FormatError(statePath, QStringLiteral("format"), format.toVariant().toString(),
                      QStringLiteral("expected a checkpoint format between 1 and %1").arg(kCheckpointFormat));
  const QJsonValue step = c.state.value(QStringLiteral("step"));
  if (!step.isDouble() || step.toInteger(-1) < 0)
    throw FormatError(statePath, QStringLiteral("step"), step.toVariant().toString(),
                      QStringLiteral("expected a step >= 0"));
  c.step = step.toInteger();
  c.trainable = readAll(dir + QLatin1Char('/') + kTrainable);
  c.optimizer = readAll(dir + QLatin1Char('/') + kOptimizer);
  return c;
}

void loadParameters(const std::vector<NamedTensor>& params, const std::map<std::string, at::Tensor>& values,
                    const QString& source) {
  torch::NoGradGuard noGrad;
  for (const auto& [name, p] : params) {
    const auto it = values.find(name);
    if (it == values.end())
      throw FormatError(source, QString::fromStdString(name), QString(), QStringLiteral("missing from the checkpoint"));
    if (!it->second.sizes().equals(p.sizes()))
      throw FormatError(source, QString::fromStdString(name), shapeText(it->second.sizes()),
                        QStringLiteral("shape differs from the model's %1").arg(shapeText(p.sizes())));
  }
  if (values.size() != params.size())
    for (const auto& [name, value] : values) {
      const bool known =
          std::any_of(params.begin(), params.end(), [&](const NamedTensor& p) { return p.first == name; });
      if (!known)
        throw FormatError(source, QString::fromStdString(name), shapeText(value.sizes()),
                          QStringLiteral("names no trainable parameter of this job"));
    }
  for (const auto& [name, p] : params) {
    at::Tensor target = p;  // shares storage with the parameter
    target.copy_(values.at(name));
  }
}

}  // namespace distillery
