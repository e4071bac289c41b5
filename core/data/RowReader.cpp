#include "data/RowReader.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "data/CsvParser.h"
#include "data/JsonArrayScanner.h"
#include "data/Utf8Source.h"

#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

#include <algorithm>
#include <optional>

namespace distillery {

namespace {

SourceFormat formatByExtension(const QString& path) {
  const QFileInfo info(path);
  if (info.isDir()) return SourceFormat::TextFiles;
  const QString ext = info.suffix().toLower();
  if (ext == QLatin1String("jsonl") || ext == QLatin1String("ndjson")) return SourceFormat::Jsonl;
  if (ext == QLatin1String("csv")) return SourceFormat::Csv;
  if (ext == QLatin1String("tsv") || ext == QLatin1String("tab")) return SourceFormat::Tsv;
  if (ext != QLatin1String("json")) return SourceFormat::TextLines;
  // .json: an array when its first character (after a BOM and whitespace) is '[', else JSON lines.
  Utf8Source source(path);
  int c = source.get();
  while (c == ' ' || c == '\t' || c == '\r' || c == '\n') c = source.get();
  return c == '[' ? SourceFormat::JsonArray : SourceFormat::Jsonl;
}

// The text of a bad row for an error message: its first 80 characters.
QString excerpt(const QByteArray& bytes) {
  QString text = QString::fromUtf8(bytes.left(320)).simplified();
  if (text.size() > 80) text = text.left(77) + QStringLiteral("...");
  return text;
}

QString tooLongReason(int64_t bytes, int64_t max, const char* what) {
  return QStringLiteral("%1 of %2 bytes exceeds max_line_bytes %3").arg(QLatin1String(what)).arg(bytes).arg(max);
}

}  // namespace

struct RowReader::Impl {
  QString path;
  ReadOptions o;
  SourceFormat format = SourceFormat::Auto;
  std::optional<Utf8Source> source;
  std::optional<CsvParser> csv;
  std::optional<JsonArrayScanner> array;
  QStringList columns;
  QStringList files;          // TextFiles: the documents, sorted; the next one is files[fileIndex]
  qsizetype fileIndex = 0;
  int64_t filesDone = 0;      // TextFiles: bytes of the documents already read
  int64_t total = 0;
  int64_t lastReported = -1;  // bytes at the last progress call
  int64_t line = 0;           // Jsonl/TextLines: the line last read
  int64_t rows = 0, badRows = 0;
  std::vector<RowIssue> issues;
  bool finished = false;

  int64_t done() const {
    if (format == SourceFormat::TextFiles) return filesDone + (source ? source->bytesRead() : 0);
    return source ? source->bytesRead() : 0;
  }

  void report(bool force) {
    if (!o.progress) return;
    const int64_t now = done();
    if (now == lastReported) return;  // the last block already reported this position (the end, usually)
    if (!force && now - lastReported < Utf8Source::kBlockBytes && lastReported >= 0) return;
    lastReported = now;
    if (!o.progress(now, total)) throw Cancelled();
  }

  std::function<void()> onBlock() {
    return [this] { report(false); };
  }

  // A bad row: thrown (Fail) or counted (Skip). file is the document for TextFiles, else the path.
  void bad(int64_t at, const QString& reason, const QByteArray& bytes = {}, const QString& file = {}) {
    const QString where = QStringLiteral("%1:%2").arg(file.isEmpty() ? path : file).arg(at);
    if (o.onBadRow == BadRowPolicy::Fail) throw FormatError(where, QString(), excerpt(bytes), reason);
    ++badRows;
    if (issues.size() < size_t(kMaxIssues))
      issues.push_back({at, file.isEmpty() ? reason : QStringLiteral("%1: %2").arg(file, reason)});
  }

  // JSON text → an object, or a bad row.
  bool parseObject(const QByteArray& bytes, int64_t at, QJsonObject& out) {
    if (invalidUtf8Offset(bytes) >= 0) {
      bad(at, QStringLiteral("invalid UTF-8"), bytes);
      return false;
    }
    // Only an object is a row; a scalar (which QJsonDocument calls an illegal value) or an array is not.
    const QByteArray trimmed = bytes.trimmed();
    if (!trimmed.startsWith('{')) {
      bad(at, QStringLiteral("not an object"), bytes);
      return false;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
      bad(at, QStringLiteral("invalid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset), bytes);
      return false;
    }
    if (!doc.isObject()) {
      bad(at, QStringLiteral("not an object"), bytes);
      return false;
    }
    out = doc.object();
    return true;
  }

  bool nextLine(Row& row);
  bool nextArrayElement(Row& row);
  bool nextRecord(Row& row);
  bool nextFile(Row& row);
  void readHeader();
};

void RowReader::Impl::readHeader() {
  CsvRecord header;
  do {
    if (!csv->next(header)) throw FormatError(path, QString(), QString(), QStringLiteral("has no header line"));
  } while (header.blank());
  if (header.tooLong)
    throw FormatError(QStringLiteral("%1:%2").arg(path).arg(header.line), QString(), QString(),
                      tooLongReason(header.bytes, o.maxLineBytes, "header line"));
  if (header.unterminated)
    throw FormatError(QStringLiteral("%1:%2").arg(path).arg(header.line), QString(), QString(),
                      QStringLiteral("header line has an unterminated quote"));
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const QString column = QStringLiteral("column %1").arg(i + 1);
    if (invalidUtf8Offset(header.cells[i]) >= 0)
      throw FormatError(path, column, excerpt(header.cells[i]), QStringLiteral("header name is not valid UTF-8"));
    const QString name = QString::fromUtf8(header.cells[i]).trimmed();
    if (name.isEmpty()) throw FormatError(path, column, name, QStringLiteral("header name is empty"));
    if (columns.contains(name))
      throw FormatError(path, column, name,
                        QStringLiteral("header name repeats column %1").arg(columns.indexOf(name) + 1));
    columns.append(name);
  }
}

bool RowReader::Impl::nextLine(Row& row) {
  QByteArray bytes;
  for (int64_t length; (length = source->readLine(bytes, o.maxLineBytes)) >= 0;) {
    const int64_t at = ++line;
    if (length > o.maxLineBytes) {
      bad(at, tooLongReason(length, o.maxLineBytes, "line"), bytes);
      continue;
    }
    if (bytes.trimmed().isEmpty()) continue;
    if (format == SourceFormat::TextLines) {
      if (invalidUtf8Offset(bytes) >= 0) {
        bad(at, QStringLiteral("invalid UTF-8"), bytes);
        continue;
      }
      row.fields = QJsonObject{{o.textField, QString::fromUtf8(bytes)}};
    } else if (!parseObject(bytes, at, row.fields)) {
      continue;
    }
    row.line = at;
    row.source = path;
    return true;
  }
  return false;
}

bool RowReader::Impl::nextArrayElement(Row& row) {
  JsonElement e;
  while (array->next(e)) {
    if (!e.error.isEmpty()) {
      bad(e.line, e.error);
    } else if (e.tooLong) {
      bad(e.line, tooLongReason(e.size, o.maxLineBytes, "element"));
    } else if (parseObject(e.bytes, e.line, row.fields)) {
      row.line = e.line;
      row.source = path;
      return true;
    }
  }
  return false;
}

bool RowReader::Impl::nextRecord(Row& row) {
  CsvRecord r;
  while (csv->next(r)) {
    if (r.unterminated) {
      bad(r.line, QStringLiteral("unterminated quote"));
      continue;
    }
    if (r.tooLong) {
      bad(r.line, tooLongReason(r.bytes, o.maxLineBytes, "record"));
      continue;
    }
    if (r.blank()) continue;
    if (r.cells.size() != size_t(columns.size())) {
      bad(r.line, QStringLiteral("%1 cells, header has %2").arg(r.cells.size()).arg(columns.size()),
          r.cells.front());
      continue;
    }
    QJsonObject fields;
    bool valid = true;
    for (qsizetype i = 0; i < columns.size() && valid; ++i) {
      const QByteArray& cell = r.cells[size_t(i)];
      valid = invalidUtf8Offset(cell) < 0;
      fields.insert(columns[i], QString::fromUtf8(cell));
    }
    if (!valid) {
      bad(r.line, QStringLiteral("invalid UTF-8"));
      continue;
    }
    row.fields = fields;
    row.line = r.line;
    row.source = path;
    return true;
  }
  return false;
}

bool RowReader::Impl::nextFile(Row& row) {
  while (fileIndex < files.size()) {
    const QString file = files[fileIndex++];
    if (source) filesDone += source->size();
    source.reset();
    source.emplace(file, onBlock());
    QByteArray text;
    const int64_t length = source->readRest(text, o.maxLineBytes);
    if (length > o.maxLineBytes) {
      bad(1, tooLongReason(length, o.maxLineBytes, "document"), {}, file);
    } else if (invalidUtf8Offset(text) >= 0) {
      bad(1, QStringLiteral("invalid UTF-8"), text, file);
    } else if (!text.trimmed().isEmpty()) {
      row.fields = QJsonObject{{o.textField, QString::fromUtf8(text)}};
      row.line = 1;
      row.source = file;
      return true;
    }
  }
  return false;
}

RowReader::RowReader(const QString& path, const ReadOptions& options) : d_(std::make_unique<Impl>()) {
  d_->path = path;
  d_->o = options;
  const QFileInfo info(path);
  if (!info.exists())
    throw FormatError(path, QString(), QString(), QStringLiteral("cannot be read: no such file or folder"));
  d_->format = options.format == SourceFormat::Auto ? formatByExtension(path) : options.format;
  if (info.isDir() != (d_->format == SourceFormat::TextFiles))
    throw FormatError(path, QString(), QString(),
                      info.isDir() ? QStringLiteral("is a folder; only the text_files format reads folders")
                                   : QStringLiteral("is a file; the text_files format reads a folder"));
  if (d_->format == SourceFormat::TextFiles) {
    QDirIterator it(path, {QStringLiteral("*.txt"), QStringLiteral("*.md")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) d_->files.append(it.next());
    const QDir root(path);
    std::sort(d_->files.begin(), d_->files.end(),
              [&](const QString& a, const QString& b) { return root.relativeFilePath(a) < root.relativeFilePath(b); });
    for (const QString& f : d_->files) d_->total += QFileInfo(f).size();
    return;
  }
  d_->source.emplace(path, d_->onBlock());
  d_->total = d_->source->size();
  if (d_->format == SourceFormat::Csv || d_->format == SourceFormat::Tsv) {
    d_->csv.emplace(*d_->source, d_->format == SourceFormat::Csv ? ',' : '\t', options.maxLineBytes);
    d_->readHeader();
  } else if (d_->format == SourceFormat::JsonArray) {
    d_->array.emplace(*d_->source, options.maxLineBytes);
  }
}

RowReader::~RowReader() = default;
RowReader::RowReader(RowReader&&) noexcept = default;
RowReader& RowReader::operator=(RowReader&&) noexcept = default;

bool RowReader::next(Row& row) {
  Impl& d = *d_;
  if (d.finished) return false;
  bool got = false;
  switch (d.format) {
    case SourceFormat::Jsonl:
    case SourceFormat::TextLines: got = d.nextLine(row); break;
    case SourceFormat::JsonArray: got = d.nextArrayElement(row); break;
    case SourceFormat::Csv:
    case SourceFormat::Tsv: got = d.nextRecord(row); break;
    case SourceFormat::TextFiles: got = d.nextFile(row); break;
    case SourceFormat::Auto: break;
  }
  if (got) {
    ++d.rows;
    return true;
  }
  d.finished = true;
  if (d.format == SourceFormat::TextFiles && d.source) {
    d.filesDone += d.source->size();
    d.source.reset();
  }
  d.report(true);
  return false;
}

SourceFormat RowReader::format() const { return d_->format; }
int64_t RowReader::rows() const { return d_->rows; }
int64_t RowReader::badRows() const { return d_->badRows; }
const std::vector<RowIssue>& RowReader::issues() const { return d_->issues; }
int64_t RowReader::bytesRead() const { return d_->done(); }
int64_t RowReader::bytesTotal() const { return d_->total; }
QStringList RowReader::columns() const { return d_->columns; }

QJsonObject RowReader::report() const {
  QJsonArray issues;
  for (const RowIssue& i : d_->issues) issues.append(QJsonObject{{"line", qint64(i.line)}, {"reason", i.reason}});
  return QJsonObject{{"path", d_->path},           {"format", formatName(d_->format)},
                     {"rows", qint64(d_->rows)},   {"bad_rows", qint64(d_->badRows)},
                     {"issues", issues}};
}

QString formatName(SourceFormat f) {
  switch (f) {
    case SourceFormat::Auto: return QStringLiteral("auto");
    case SourceFormat::Jsonl: return QStringLiteral("jsonl");
    case SourceFormat::JsonArray: return QStringLiteral("json");
    case SourceFormat::Csv: return QStringLiteral("csv");
    case SourceFormat::Tsv: return QStringLiteral("tsv");
    case SourceFormat::TextLines: return QStringLiteral("text");
    case SourceFormat::TextFiles: return QStringLiteral("text_files");
  }
  return QString();
}

SourceFormat parseSourceFormat(const QString& name, const QString& where) {
  for (SourceFormat f : {SourceFormat::Auto, SourceFormat::Jsonl, SourceFormat::JsonArray, SourceFormat::Csv,
                         SourceFormat::Tsv, SourceFormat::TextLines, SourceFormat::TextFiles})
    if (formatName(f) == name) return f;
  throw UsageError(QString(), where, name,
                   QStringLiteral("must be one of: auto, jsonl, json, csv, tsv, text, text_files"));
}

struct RowWriter::Impl {
  QSaveFile file;
  QString path;
  int64_t rows = 0;
};

RowWriter::RowWriter(const QString& path) : d_(std::make_unique<Impl>()) {
  d_->path = path;
  d_->file.setFileName(path);
  if (!d_->file.open(QIODevice::WriteOnly))
    throw Error(path, QString(), QString(), QStringLiteral("cannot be written: ") + d_->file.errorString());
}

RowWriter::~RowWriter() = default;  // QSaveFile discards the temp file when not committed

void RowWriter::write(const QJsonObject& row) {
  QByteArray line = QJsonDocument(row).toJson(QJsonDocument::Compact);
  line.append('\n');
  if (d_->file.write(line) != line.size())
    throw Error(d_->path, QString(), QString(), QStringLiteral("write failed: ") + d_->file.errorString());
  ++d_->rows;
}

void RowWriter::commit() {
  if (!d_->file.commit())
    throw Error(d_->path, QString(), QString(), QStringLiteral("cannot be saved: ") + d_->file.errorString());
}

int64_t RowWriter::rows() const { return d_->rows; }
const QString& RowWriter::path() const { return d_->path; }

}  // namespace distillery
