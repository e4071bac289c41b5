#include "data/CsvParser.h"

namespace distillery {

bool CsvParser::next(CsvRecord& r) {
  r.cells.assign(1, QByteArray());
  r.line = line_;
  r.bytes = 0;
  r.unterminated = r.tooLong = false;
  bool inQuotes = false;
  bool cellStart = true;  // nothing of the current cell read yet: a quote here opens a quoted cell
  for (;;) {
    int c = source_.get();
    if (c < 0) {
      if (inQuotes) r.unterminated = true;
      break;
    }
    if (!inQuotes && c == '\n') {
      ++line_;
      break;
    }
    if (!inQuotes && c == '\r' && source_.peek() == '\n') continue;  // CRLF: the '\n' ends the record
    if (++r.bytes > maxBytes_ && !r.tooLong) {
      r.tooLong = true;
      r.cells.clear();
    }
    if (c == '\n') ++line_;
    if (inQuotes) {
      if (c == '"') {
        if (source_.peek() != '"') {
          inQuotes = false;
          continue;
        }
        source_.get();  // "" inside quotes is one quote
        ++r.bytes;
      }
    } else if (c == '"' && cellStart) {
      inQuotes = true;
      cellStart = false;
      continue;
    } else if (c == delimiter_) {
      if (!r.tooLong) r.cells.emplace_back();
      cellStart = true;
      continue;
    }
    cellStart = false;
    if (!r.tooLong) r.cells.back().append(char(c));
  }
  return r.bytes > 0 || source_.peek() >= 0 || r.line < line_;
}

}  // namespace distillery
