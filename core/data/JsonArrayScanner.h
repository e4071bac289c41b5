// A JSON array file cut into its top-level elements without parsing the whole: brackets, braces, strings and
// escapes are tracked byte by byte until a ',' or ']' at depth 0 ends an element, whose bytes are then parsed on
// their own (QJsonDocument). Memory stays one element, even for a multi-GB array.
#pragma once
#include "data/Utf8Source.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstdint>

namespace distillery {

struct JsonElement {
  QByteArray bytes;  // the element's text (empty when tooLong or when error is set)
  int64_t line = 0;  // 1-based line of its first byte
  int64_t size = 0;  // its size in bytes
  bool tooLong = false;
  QString error;     // a structural problem at `line` (no '[', no ',' between elements, the file ends early)
};

class JsonArrayScanner {
 public:
  JsonArrayScanner(Utf8Source& source, int64_t maxBytes) : source_(source), maxBytes_(maxBytes) {}

  // The next element (or a structural error, reported once as its own element); false after the closing ']'.
  bool next(JsonElement& element);

 private:
  int skipSpace();  // skips whitespace (counting lines); the next byte, -1 at the end
  bool fail(JsonElement& e, const QString& why);

  enum class State { Start, Inside, Done };
  Utf8Source& source_;
  int64_t maxBytes_;
  int64_t line_ = 1;
  State state_ = State::Start;
  bool afterElement_ = false;  // an element was just read: a ',' or ']' must come next
};

}  // namespace distillery
