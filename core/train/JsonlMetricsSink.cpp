#include "train/JsonlMetricsSink.h"

#include "common/AtomicFile.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>

namespace distillery {

JsonlMetricsSink::JsonlMetricsSink(const QString& path) : path_(path), file_(path) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  if (!file_.open(QIODevice::WriteOnly | QIODevice::Append))
    throw Error(path, {}, {}, QStringLiteral("cannot be opened for appending: %1").arg(file_.errorString()));
}

void JsonlMetricsSink::writeLine(const QJsonObject& line) {
  const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
  if (file_.write(bytes) != bytes.size() || !file_.flush())
    throw Error(path_, {}, {}, QStringLiteral("write failed: %1").arg(file_.errorString()));
}

void JsonlMetricsSink::stepMetrics(const StepMetrics& m) { writeLine(m.toJson()); }

void JsonlMetricsSink::validationMetrics(const ValidationMetrics& m) { writeLine(m.toJson()); }

void JsonlMetricsSink::resumed(int64_t step) {
  // Lines of the lost run's later steps go, and so does a torn last line (a crash in the middle of a write).
  file_.close();
  QFile in(path_);
  QByteArray kept;
  if (in.open(QIODevice::ReadOnly)) {
    const QList<QByteArray> lines = in.readAll().split('\n');
    for (const QByteArray& line : lines) {
      const QJsonDocument doc = QJsonDocument::fromJson(line);
      if (!doc.isObject()) continue;
      if (doc.object().value(QStringLiteral("step")).toInteger() > step) continue;
      kept += line + '\n';
    }
    in.close();
  }
  writeFileAtomically(path_, kept);
  file_.setFileName(path_);
  if (!file_.open(QIODevice::WriteOnly | QIODevice::Append))
    throw Error(path_, {}, {}, QStringLiteral("cannot be opened for appending: %1").arg(file_.errorString()));
}

void JsonlMetricsSink::finished() { file_.flush(); }

}  // namespace distillery
