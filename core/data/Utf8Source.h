// A file's bytes as UTF-8, read in 1 MiB blocks (never the whole file): the readers' common input. A UTF-8
// byte-order mark is dropped; a UTF-16/UTF-32 file (told by its BOM) is decoded and handed on re-encoded as
// UTF-8, so the parsers above only ever see UTF-8 and count lines the same way. Bytes that are not valid UTF-8
// are passed through untouched: the row that holds them is refused by its reader, not here.
#pragma once
#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QString>
#include <QtCore/QStringDecoder>

#include <cstdint>
#include <functional>
#include <optional>

namespace distillery {

class Utf8Source {
 public:
  static constexpr qint64 kBlockBytes = 1 << 20;

  // Throws FormatError(path) when the file cannot be opened. onBlock is called after every block read (for
  // progress; it may throw to stop).
  explicit Utf8Source(const QString& path, std::function<void()> onBlock = {});

  // The next byte (0..255), or -1 at the end.
  int get() { return pos_ < buf_.size() || refill() ? uchar(buf_[pos_++]) : -1; }
  int peek() { return pos_ < buf_.size() || refill() ? uchar(buf_[pos_]) : -1; }

  // Reads one line (up to '\n', which is consumed; a '\r' before it is dropped). At most maxBytes + 1 of its
  // bytes are kept in `line`, so a huge line costs no memory. Returns the line's full length in bytes (without
  // the line break), or -1 at the end of the file.
  int64_t readLine(QByteArray& line, int64_t maxBytes);

  // Reads the rest of the file the same way: at most maxBytes + 1 bytes kept, its full length returned.
  int64_t readRest(QByteArray& text, int64_t maxBytes);

  int64_t bytesRead() const { return int64_t(file_.pos()); }  // raw bytes of the file consumed so far
  int64_t size() const { return int64_t(file_.size()); }
  const QString& path() const { return path_; }

 private:
  bool refill();
  // Moves up to `take` buffered bytes to out, keeping it at most maxBytes + 1 long.
  void keep(QByteArray& out, qsizetype take, int64_t maxBytes);

  QString path_;
  QFile file_;
  std::function<void()> onBlock_;
  std::optional<QStringDecoder> decoder_;  // set for UTF-16/UTF-32 input
  QByteArray buf_;                         // UTF-8 bytes not yet consumed start at pos_
  qsizetype pos_ = 0;
  bool started_ = false;
};

}  // namespace distillery
