#include "checkpoint/LinearModules.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QSet>
#include <QtCore/QtEndian>

namespace distillery {
namespace {

// Headers over this are refused, as by the reference safetensors library.
constexpr quint64 kMaxHeaderBytes = 100'000'000;

// Adds the Linear suffixes of the tensors one safetensors file's JSON header lists.
void addLinearSuffixes(const QString& path, QSet<QString>& out) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw FormatError(path, QString(), QString(), QStringLiteral("cannot be read: ") + file.errorString());
  uchar lengthBytes[8];
  if (file.read(reinterpret_cast<char*>(lengthBytes), 8) != 8)
    throw FormatError(path, QString(), QString(), QStringLiteral("is too short for a safetensors header"));
  const quint64 length = qFromLittleEndian<quint64>(lengthBytes);
  if (length == 0 || length > kMaxHeaderBytes || qint64(length) > file.size() - 8)
    throw FormatError(path, QStringLiteral("header length"), QString::number(length),
                      QStringLiteral("is not a safetensors header length"));
  const QJsonObject header = parseJsonObject(file.read(qint64(length)), path);
  for (auto it = header.begin(); it != header.end(); ++it) {
    const QString& name = it.key();
    if (!name.endsWith(QLatin1String(".weight")) || !name.contains(QLatin1String("layers."))) continue;
    if (it.value().toObject().value(QLatin1String("shape")).toArray().size() != 2) continue;
    const QString module = name.chopped(7);  // without ".weight"
    out.insert(module.mid(module.lastIndexOf(QLatin1Char('.')) + 1));
  }
}

}  // namespace

QStringList linearModuleSuffixes(const QString& modelDir) {
  const QDir dir(modelDir);
  if (modelDir.isEmpty() || !dir.exists())
    throw FormatError(modelDir, QString(), QString(), QStringLiteral("is not a folder"));
  QStringList files;
  const QString index = dir.filePath(QStringLiteral("model.safetensors.index.json"));
  if (QFile::exists(index)) {
    const QJsonObject map = readJsonObject(index).value(QLatin1String("weight_map")).toObject();
    for (const QJsonValue& v : map) {
      const QString f = dir.filePath(v.toString());
      if (!files.contains(f)) files.append(f);
    }
  } else {
    files.append(dir.filePath(QStringLiteral("model.safetensors")));
  }
  QSet<QString> suffixes;
  for (const QString& f : files) addLinearSuffixes(f, suffixes);
  QStringList list(suffixes.begin(), suffixes.end());
  list.sort();
  return list;
}

}  // namespace distillery
