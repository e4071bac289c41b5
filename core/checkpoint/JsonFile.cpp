#include "checkpoint/JsonFile.h"

#include "common/Error.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>
#include <QtCore/QSet>

#include <cstdint>
#include <vector>

namespace distillery {

namespace {

constexpr qint64 kMaxJsonBytes = qint64(1) << 30;

// 1-based line and column (in code points) of a byte offset, for people opening the file in an editor.
std::pair<int, int> lineAndColumn(QByteArrayView text, qsizetype offset) {
  int line = 1, column = 1;
  for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

QString kindOf(const QJsonDocument& doc) {
  if (doc.isArray()) return QStringLiteral("an array");
  return QStringLiteral("not an object");
}

}  // namespace

qsizetype invalidUtf8Offset(QByteArrayView bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const qsizetype n = bytes.size();
  qsizetype i = 0;
  while (i < n) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (n - i < len) return i;
    for (int k = 1; k < len; ++k) {
      const unsigned cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return -1;
}

std::optional<QString> firstDuplicateKey(QByteArrayView json) {
  // A flat scan over valid JSON: only strings need care (they may hold brackets and escaped quotes).
  struct Frame {
    bool object = false;
    bool expectKey = false;
    QSet<QString> keys;
  };
  std::vector<Frame> stack;
  const char* p = json.data();
  const char* const end = p + json.size();
  while (p < end) {
    const char c = *p;
    if (c == '{' || c == '[') {
      stack.push_back(Frame{c == '{', c == '{', {}});
      ++p;
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      ++p;
    } else if (c == ',') {
      if (!stack.empty() && stack.back().object) stack.back().expectKey = true;
      ++p;
    } else if (c == '"') {
      const char* begin = ++p;
      bool escaped = false;
      while (p < end && *p != '"') {
        if (*p == '\\' && end - p > 1) {
          escaped = true;
          ++p;  // the escaped character, which may be a quote
        }
        ++p;
      }
      const QByteArrayView raw(begin, std::min(p, end) - begin);
      if (p < end) ++p;  // closing quote
      if (stack.empty() || !stack.back().object || !stack.back().expectKey) continue;
      stack.back().expectKey = false;
      QString key;
      if (!escaped) {
        key = QString::fromUtf8(raw);
      } else {
        // Let Qt's parser undo the escapes (\uXXXX pairs included) of this one string.
        const QByteArray wrapped = "[\"" + raw.toByteArray() + "\"]";
        key = QJsonDocument::fromJson(wrapped).array().at(0).toString();
      }
      if (stack.back().keys.contains(key)) return key;
      stack.back().keys.insert(key);
    } else {
      ++p;  // whitespace, ':', numbers, true/false/null
    }
  }
  return std::nullopt;
}

QString jsonText(const QJsonValue& value, int maxChars) {
  QString text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
  text = text.mid(1, text.size() - 2);  // drop the array brackets
  if (text.size() > maxChars) text = text.left(maxChars) + QStringLiteral("…");
  return text;
}

QJsonObject parseJsonObject(const QByteArray& bytes, const QString& path, DuplicateKeys duplicates) {
  // A byte-order mark is not JSON, but editors on Windows add one; offsets below still count it.
  const bool bom = bytes.startsWith("\xEF\xBB\xBF");
  const qsizetype skip = bom ? 3 : 0;
  const QByteArray body = bom ? bytes.mid(3) : bytes;
  if (const qsizetype bad = invalidUtf8Offset(body); bad >= 0) {
    const auto [line, column] = lineAndColumn(bytes, bad + skip);
    throw FormatError(path, {}, {},
                      QStringLiteral("is not UTF-8 text: byte %1 (0x%2) at line %3, column %4 is malformed")
                          .arg(bad + skip)
                          .arg(static_cast<unsigned char>(body[bad]), 2, 16, QLatin1Char('0'))
                          .arg(line)
                          .arg(column));
  }
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
  if (error.error != QJsonParseError::NoError) {
    const qsizetype offset = std::clamp<qsizetype>(error.offset, 0, body.size()) + skip;
    const auto [line, column] = lineAndColumn(bytes, offset);
    throw FormatError(path, {}, {},
                      QStringLiteral("is not valid JSON: %1 at line %2, column %3 (byte %4)")
                          .arg(error.errorString())
                          .arg(line)
                          .arg(column)
                          .arg(offset));
  }
  if (!doc.isObject())
    throw FormatError(path, {}, {},
                      QStringLiteral("holds %1 at the top level; expected a JSON object {...}").arg(kindOf(doc)));
  if (duplicates == DuplicateKeys::Refuse) {
    if (const std::optional<QString> key = firstDuplicateKey(body))
      throw FormatError(path, *key, {}, QStringLiteral("appears twice in one object; which one is meant is ambiguous"));
  }
  return doc.object();
}

QJsonObject readJsonObject(const QString& path) { return readJsonObject(path, DuplicateKeys::LastWins); }

QJsonObject readJsonObject(const QString& path, DuplicateKeys duplicates) {
  const QFileInfo info(path);
  if (!info.exists()) throw FormatError(path, {}, {}, QStringLiteral("does not exist"));
  if (info.isDir()) throw FormatError(path, {}, {}, QStringLiteral("is a folder; expected a JSON file"));
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw FormatError(path, {}, {}, QStringLiteral("cannot be read: %1").arg(file.errorString()));
  if (file.size() > kMaxJsonBytes)
    throw FormatError(path, {}, {}, QStringLiteral("is %1 bytes; a JSON file over 1 GiB is not read").arg(file.size()));
  const QByteArray bytes = file.readAll();
  if (file.error() != QFileDevice::NoError)
    throw FormatError(path, {}, {}, QStringLiteral("cannot be read: %1").arg(file.errorString()));
  return parseJsonObject(bytes, path, duplicates);
}

}  // namespace distillery
