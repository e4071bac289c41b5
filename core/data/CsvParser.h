// CSV/TSV records as RFC 4180 defines them, read from a Utf8Source one record at a time: cells split on the
// delimiter, "quoted ""fields""" that may hold delimiters and line breaks, CRLF or LF line ends. Lenient where
// the RFC is silent, as Python's csv module is: a quote inside an unquoted cell, or text after a closing quote,
// is kept as it is.
#pragma once
#include "data/Utf8Source.h"

#include <QtCore/QByteArray>

#include <cstdint>
#include <vector>

namespace distillery {

struct CsvRecord {
  std::vector<QByteArray> cells;  // raw UTF-8 (not yet validated); empty when tooLong
  int64_t line = 0;               // 1-based line where the record starts
  int64_t bytes = 0;              // the record's size, line break excluded
  bool unterminated = false;      // the file ended inside a quoted cell
  bool tooLong = false;           // over maxBytes: read past, cells dropped
  bool blank() const { return bytes == 0; }
};

class CsvParser {
 public:
  CsvParser(Utf8Source& source, char delimiter, int64_t maxBytes)
      : source_(source), delimiter_(delimiter), maxBytes_(maxBytes) {}

  // The next record; false at the end of the file.
  bool next(CsvRecord& record);

 private:
  Utf8Source& source_;
  char delimiter_;
  int64_t maxBytes_;
  int64_t line_ = 1;  // the line the next byte is on
};

}  // namespace distillery
