// Reading the JSON files tests check: a JSON Lines file as objects (samples.jsonl, datasets), a JSON object file.
//
//   for (const QJsonObject& line : jsonLines(out + "/samples.jsonl")) ...
#pragma once
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <vector>

// The non-blank lines of path as objects; none when it cannot be read (the test's comparison then fails).
inline std::vector<QJsonObject> jsonLines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  std::vector<QJsonObject> out;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (!line.trimmed().isEmpty()) out.push_back(QJsonDocument::fromJson(line).object());
  return out;
}
