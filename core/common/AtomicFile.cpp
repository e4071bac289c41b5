#include "common/AtomicFile.h"

#include "common/Error.h"

#include <QtCore/QSaveFile>

namespace distillery {

void writeFileAtomically(const QString& path, const QByteArray& content) {
  // QSaveFile writes PATH.XXXXXX, fsyncs and renames on commit(); on any failure it removes the temp file.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    throw Error(path, {}, {}, QStringLiteral("cannot be written: %1").arg(file.errorString()));
  if (file.write(content) != content.size() || !file.commit())
    throw Error(path, {}, {}, QStringLiteral("write failed, previous content kept: %1").arg(file.errorString()));
}

}  // namespace distillery
