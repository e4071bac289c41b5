#include "data/JsonArrayScanner.h"

#include <algorithm>

namespace distillery {

int JsonArrayScanner::skipSpace() {
  for (;;) {
    const int c = source_.peek();
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
    if (c == '\n') ++line_;
    source_.get();
  }
}

bool JsonArrayScanner::fail(JsonElement& e, const QString& why) {
  e.bytes.clear();
  e.line = line_;
  e.error = why;
  return true;
}

bool JsonArrayScanner::next(JsonElement& e) {
  e = JsonElement();
  if (state_ == State::Done) return false;
  int c = skipSpace();
  if (state_ == State::Start) {
    if (c < 0) {  // an empty file: no rows
      state_ = State::Done;
      return false;
    }
    if (c != '[') {
      state_ = State::Done;  // nothing can be cut from a file that is not an array
      return fail(e, QStringLiteral("not a JSON array: expected '[' at the start"));
    }
    source_.get();
    state_ = State::Inside;
    c = skipSpace();
  }
  if (afterElement_) {
    afterElement_ = false;
    if (c == ',') {
      source_.get();
      c = skipSpace();
    } else if (c >= 0 && c != ']') {
      return fail(e, QStringLiteral("expected ',' or ']' after an element"));
    }
  }
  if (c < 0) {
    state_ = State::Done;
    return fail(e, QStringLiteral("unterminated JSON array: the file ends before its ']'"));
  }
  if (c == ']') {  // the end (a trailing comma before it is let pass)
    source_.get();
    state_ = State::Done;
    if (skipSpace() >= 0) return fail(e, QStringLiteral("content after the array's closing ']'"));
    return false;
  }
  // Cut one element: up to a ',' or ']' outside strings at depth 0.
  e.line = line_;
  int depth = 0;
  bool inString = false, escaped = false;
  bool complete = false;  // a whole value has been read at depth 0: the next non-space byte is not part of it
  for (;;) {
    c = source_.peek();
    if (c < 0) {
      state_ = State::Done;
      const int64_t line = e.line;
      fail(e, QStringLiteral("unterminated JSON array: the file ends inside this element"));
      e.line = line;
      return true;
    }
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!inString && depth == 0) {
      if (c == ',' || c == ']' || (complete && !space)) break;
      if (space && e.size > 0) complete = true;  // the end of a scalar (7, true)
    }
    source_.get();
    if (++e.size > maxBytes_) {
      e.tooLong = true;
      e.bytes.clear();
    } else {
      e.bytes.append(char(c));
    }
    if (c == '\n') ++line_;
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') complete = (inString = false, depth == 0);
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      depth = std::max(depth - 1, 0);  // a stray closer makes the element invalid JSON, not the cut wrong
      complete = depth == 0;
    }
  }
  afterElement_ = true;
  return true;
}

}  // namespace distillery
