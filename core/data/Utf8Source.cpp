#include "data/Utf8Source.h"

#include "common/Error.h"

#include <algorithm>
#include <cstring>

namespace distillery {

Utf8Source::Utf8Source(const QString& path, std::function<void()> onBlock)
    : path_(path), file_(path), onBlock_(std::move(onBlock)) {
  if (!file_.open(QIODevice::ReadOnly))
    throw FormatError(path, QString(), QString(), QStringLiteral("cannot be read: ") + file_.errorString());
}

bool Utf8Source::refill() {
  buf_.clear();
  pos_ = 0;
  while (buf_.isEmpty()) {
    QByteArray block = file_.read(kBlockBytes);
    if (block.isEmpty()) {
      if (decoder_) buf_ = QString(decoder_->decode(QByteArrayView())).toUtf8();  // a dangling half character
      return !buf_.isEmpty();
    }
    if (!started_) {
      started_ = true;
      // Up to 4 bytes decide the encoding; a shorter first block only happens for a tiny file.
      const std::optional<QStringConverter::Encoding> e = QStringConverter::encodingForData(block);
      if (e && *e != QStringConverter::Utf8) {
        decoder_.emplace(*e);  // drops the BOM by default
      } else if (block.startsWith("\xEF\xBB\xBF")) {
        block.remove(0, 3);
      }
    }
    buf_ = decoder_ ? QString(decoder_->decode(block)).toUtf8() : std::move(block);
    if (onBlock_) onBlock_();
  }
  return true;
}

void Utf8Source::keep(QByteArray& out, qsizetype take, int64_t maxBytes) {
  // At most maxBytes + 1 bytes: enough to see the text is too long, never the whole of a huge one.
  const int64_t room = maxBytes + 1 - int64_t(out.size());
  if (room > 0) out.append(buf_.constData() + pos_, qsizetype(std::min<int64_t>(room, take)));
  pos_ += take;
}

int64_t Utf8Source::readRest(QByteArray& text, int64_t maxBytes) {
  text.clear();
  int64_t length = 0;
  while (pos_ < buf_.size() || refill()) {
    length += buf_.size() - pos_;
    keep(text, buf_.size() - pos_, maxBytes);
  }
  return length;
}

int64_t Utf8Source::readLine(QByteArray& line, int64_t maxBytes) {
  line.clear();
  int64_t length = 0;
  bool any = false;
  while (pos_ < buf_.size() || refill()) {
    any = true;
    const char* start = buf_.constData() + pos_;
    const qsizetype avail = buf_.size() - pos_;
    const void* nl = std::memchr(start, '\n', size_t(avail));
    const qsizetype take = nl ? static_cast<const char*>(nl) - start : avail;
    keep(line, take, maxBytes);
    length += take;
    if (nl) {
      ++pos_;
      break;
    }
  }
  if (!any) return -1;
  if (length == int64_t(line.size()) && line.endsWith('\r')) {  // whole line kept: drop CRLF's '\r'
    line.chop(1);
    --length;
  }
  return length;
}

}  // namespace distillery
