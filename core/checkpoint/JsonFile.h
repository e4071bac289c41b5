// JSON files as Hugging Face writes them (config.json, *.index.json, tokenizer.json), read strictly: every
// problem is a FormatError that names the file and says where (line, column, byte) and what.
//
//   QJsonObject cfg = readJsonObject(dir + "/config.json");
#pragma once
#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <optional>

namespace distillery {

// What to do with a key that occurs twice in one object.
enum class DuplicateKeys {
  LastWins,  // as Python's json module and QJsonDocument do
  Refuse,    // FormatError naming the key: for files where a silent choice could load the wrong thing
};

// Reads a JSON object file. Throws FormatError naming the file for: a missing file (or a folder), a file that
// cannot be read or is over 1 GiB, text that is not UTF-8 (with the byte offset), invalid JSON (with line,
// column and byte offset), a top level that is not an object. A leading UTF-8 byte-order mark is skipped.
// Duplicate keys are accepted and the last one wins unless duplicates says otherwise.
QJsonObject readJsonObject(const QString& path);
QJsonObject readJsonObject(const QString& path, DuplicateKeys duplicates);

// The same for bytes already in memory; path only names the source in errors.
QJsonObject parseJsonObject(const QByteArray& bytes, const QString& path,
                            DuplicateKeys duplicates = DuplicateKeys::LastWins);

// Offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and code points past
// U+10FFFF are malformed), or -1 when all of it is.
qsizetype invalidUtf8Offset(QByteArrayView bytes);

// The first key that occurs twice in one object, anywhere in the document (QJsonDocument silently keeps the
// last one). Precondition: json is valid JSON, e.g. QJsonDocument::fromJson accepted it.
std::optional<QString> firstDuplicateKey(QByteArrayView json);

// A JSON value as compact text for error messages, cut to about maxChars characters.
QString jsonText(const QJsonValue& value, int maxChars = 80);

}  // namespace distillery
