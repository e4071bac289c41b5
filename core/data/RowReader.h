// Dataset files read row by row, never whole: JSONL, a JSON array of objects, CSV/TSV with a header line, plain
// text (one document per line, or one per file in a folder). Every row comes out as a JSON object; CSV/TSV cells
// are strings keyed by the header, plain text is {"text": ...} (ReadOptions::textField).
//
//   RowReader reader(path, {.onBadRow = BadRowPolicy::Skip});
//   Row row;
//   while (reader.next(row)) use(row.fields);          // row.line: 1-based line where the row starts
//   reader.report();                                   // {"rows", "bad_rows", "issues": [{"line", "reason"}]}
//
// Bad rows (malformed JSON, a JSON value that is not an object, invalid UTF-8, a line over maxLineBytes, a CSV
// row with the wrong number of cells, an unterminated quote) are counted with their line numbers and skipped
// (BadRowPolicy::Skip) or thrown as FormatError("FILE:LINE", "", excerpt, reason) (BadRowPolicy::Fail). A UTF-8
// byte-order mark is dropped; UTF-16/32 files (by their BOM) are converted. The source file is only ever read.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace distillery {

enum class SourceFormat {
  Auto,       // by extension: .jsonl/.ndjson → Jsonl, .json → JsonArray (Jsonl when it does not start with '['),
              // .csv → Csv, .tsv/.tab → Tsv, .txt/.md/anything else → TextLines; a folder → TextFiles
  Jsonl,      // one JSON object per line; blank lines skipped
  JsonArray,  // [ {...}, {...} ] streamed element by element
  Csv,        // RFC 4180: header line, comma, "quoted ""fields""" that may span lines
  Tsv,        // tab-separated, same quoting rules
  TextLines,  // every non-blank line is a document
  TextFiles,  // a folder: every .txt/.md file under it (sorted by relative path) is one document
};

enum class BadRowPolicy {
  Skip,  // count it, remember the line and reason (first kMaxIssues), go on
  Fail,  // throw FormatError at the first one
};

// Thrown by RowReader::next() (and by pipelines built on it) when the progress callback returns false.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

struct ReadOptions {
  SourceFormat format = SourceFormat::Auto;
  BadRowPolicy onBadRow = BadRowPolicy::Skip;
  int64_t maxLineBytes = 64ll << 20;  // a JSONL line / CSV record / text document longer than this is a bad row
                                      // (read past without holding it in memory)
  QString textField = QStringLiteral("text");  // the field plain-text documents are put in
  // Called every ~1 MiB read and at the end with bytes consumed so far and the total (for a folder: over all
  // files). Returning false stops: next() throws Cancelled.
  std::function<bool(int64_t done, int64_t total)> progress = {};
};

struct Row {
  int64_t line = 0;     // 1-based line where the row starts (TextFiles: 1; JsonArray: line of its '{')
  QString source;       // the file it came from ("PATH" or, for TextFiles, the document's path)
  QJsonObject fields;
};

struct RowIssue {
  int64_t line = 0;
  QString reason;       // "invalid JSON: unterminated string at offset 17", "not an object", "invalid UTF-8",
                        // "line of 70000000 bytes exceeds max_line_bytes 67108864", "3 cells, header has 4"
};

class RowReader {
 public:
  static constexpr int kMaxIssues = 100;  // issues kept with line numbers; badRows() counts them all

  // Opens path (a file, or a folder for TextFiles/Auto). Throws FormatError(path) when it cannot be opened,
  // when Auto cannot tell the format, or for a CSV/TSV without a header line.
  RowReader(const QString& path, const ReadOptions& options = {});
  ~RowReader();
  RowReader(RowReader&&) noexcept;
  RowReader& operator=(RowReader&&) noexcept;

  // The next good row; false at the end. Throws FormatError (Fail policy) or Cancelled.
  bool next(Row& row);

  SourceFormat format() const;               // the format in use (Auto resolved)
  int64_t rows() const;                      // good rows returned so far
  int64_t badRows() const;
  const std::vector<RowIssue>& issues() const;
  int64_t bytesRead() const;
  int64_t bytesTotal() const;
  QStringList columns() const;               // CSV/TSV header; empty for other formats
  // {"path", "format", "rows", "bad_rows", "issues": [{"line", "reason"}...]}
  QJsonObject report() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

QString formatName(SourceFormat f);                          // "jsonl", "json", "csv", "tsv", "text", "text_files"
SourceFormat parseSourceFormat(const QString& name, const QString& where);  // the inverse, plus "auto"; UsageError

// JSONL output, written atomically: rows go to a temp file beside the target (QSaveFile) and replace it only
// on commit(). Destroyed without commit(): the target is left as it was.
class RowWriter {
 public:
  explicit RowWriter(const QString& path);   // throws Error(path) when the temp file cannot be made
  ~RowWriter();
  void write(const QJsonObject& row);        // one compact JSON line; throws Error(path) on a write failure
  void commit();                             // throws Error(path) when the rename fails
  int64_t rows() const;
  const QString& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace distillery
