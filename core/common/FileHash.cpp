#include "common/FileHash.h"

#include "common/Error.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>

namespace distillery {

QString fileSha256(const QString& path, const std::function<void(int64_t, int64_t)>& progress) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) throw Error(path, {}, {}, QStringLiteral("cannot read: ") + f.errorString());
  QCryptographicHash hash(QCryptographicHash::Sha256);
  const int64_t total = f.size();
  int64_t done = 0;
  QByteArray block;
  while (!(block = f.read(4 << 20)).isEmpty()) {
    hash.addData(block);
    done += block.size();
    if (progress) progress(done, total);
  }
  if (f.error() != QFileDevice::NoError) throw Error(path, {}, {}, QStringLiteral("read failed: ") + f.errorString());
  return QString::fromLatin1(hash.result().toHex());
}

}  // namespace distillery
