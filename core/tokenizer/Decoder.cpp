#include "tokenizer/Decoder.h"

#include "tokenizer/Pattern.h"
#include "tokenizer/Unicode.h"

namespace distillery::tokenizer {

namespace {

// Byte-level characters back to bytes, all tokens joined into one UTF-8 string (lossy, like Rust's).
class ByteLevel : public Decoder {
 public:
  void decodeChain(std::vector<QString>& tokens) const override {
    const ByteAlphabet& a = ByteAlphabet::get();
    std::string bytes;
    for (const QString& t : tokens) {
      const size_t mark = bytes.size();
      bool ok = true;
      for (QChar c : t) {
        const int b = a.byteFor(c.unicode());
        if (b < 0) {
          ok = false;
          break;
        }
        bytes.push_back(char(b));
      }
      if (!ok) {  // a token outside the alphabet (an added token) goes in as its own UTF-8
        bytes.resize(mark);
        appendUtf8(bytes, t);
      }
    }
    tokens.assign(1, fromUtf8Lossy(bytes));
  }
};

// Runs of <0xNN> tokens become the text their bytes spell, or one U+FFFD per byte when not valid UTF-8.
class ByteFallback : public Decoder {
 public:
  static int byteOf(const QString& t) {
    if (t.size() != 6 || !t.startsWith(QLatin1String("<0x")) || !t.endsWith(QLatin1Char('>'))) return -1;
    // u8::from_str_radix(&t[3..5], 16): two hex digits, or '+' and one.
    const auto digit = [](QChar c) {
      const char16_t u = c.unicode();
      return u >= '0' && u <= '9' ? u - '0' : u >= 'a' && u <= 'f' ? u - 'a' + 10 : u >= 'A' && u <= 'F' ? u - 'A' + 10 : -1;
    };
    const int hi = digit(t[3]), lo = digit(t[4]);
    if (lo < 0) return -1;
    if (t[3] == QLatin1Char('+')) return lo;
    return hi < 0 ? -1 : hi * 16 + lo;
  }
  void decodeChain(std::vector<QString>& tokens) const override {
    std::vector<QString> out;
    out.reserve(tokens.size());
    std::string bytes;
    const auto flush = [&] {
      if (bytes.empty()) return;
      if (isValidUtf8(bytes)) out.push_back(QString::fromUtf8(bytes.data(), qsizetype(bytes.size())));
      else
        for (size_t i = 0; i < bytes.size(); ++i) out.push_back(QString(QChar(0xFFFD)));
      bytes.clear();
    };
    for (QString& t : tokens) {
      const int b = byteOf(t);
      if (b >= 0) {
        bytes.push_back(char(b));
      } else {
        flush();
        out.push_back(std::move(t));
      }
    }
    flush();
    tokens.swap(out);
  }
};

class Fuse : public Decoder {
 public:
  void decodeChain(std::vector<QString>& tokens) const override {
    QString all;
    for (const QString& t : tokens) all += t;
    tokens.assign(1, all);
  }
};

// Removes up to `start` leading and `stop` trailing `content` characters from every token.
class Strip : public Decoder {
 public:
  Strip(char32_t content, qsizetype start, qsizetype stop) : content_(content), start_(start), stop_(stop) {}
  void decodeChain(std::vector<QString>& tokens) const override {
    for (QString& t : tokens) {
      const QList<uint> cs = t.toUcs4();
      qsizetype b = 0, e = cs.size();
      for (qsizetype i = 0; i < start_ && i < cs.size() && cs[i] == content_; ++i) b = i + 1;
      for (qsizetype i = 0; i < stop_; ++i) {
        const qsizetype k = cs.size() - i - 1;
        if (k < 0 || cs[k] != content_) break;
        e = k;
      }
      if (b > 0 || e < cs.size()) t = e > b ? QString::fromUcs4(reinterpret_cast<const char32_t*>(cs.constData()) + b, e - b) : QString();
    }
  }

 private:
  char32_t content_;
  qsizetype start_, stop_;
};

class Replace : public Decoder {
 public:
  Replace(std::unique_ptr<Pattern> p, QString content) : pattern_(std::move(p)), content_(std::move(content)) {}
  void decodeChain(std::vector<QString>& tokens) const override {
    for (QString& t : tokens) t = replaceAll(*pattern_, t, content_);
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  QString content_;
};

// The replacement character becomes a space, except in the first token when a prefix was prepended.
class Metaspace : public Decoder {
 public:
  Metaspace(char32_t replacement, bool dropInFirst) : replacement_(replacement), dropInFirst_(dropInFirst) {}
  void decodeChain(std::vector<QString>& tokens) const override {
    const QString rep = QString::fromUcs4(&replacement_, 1);
    for (size_t i = 0; i < tokens.size(); ++i)
      tokens[i].replace(rep, i == 0 && dropInFirst_ ? QString() : QStringLiteral(" "));
  }

 private:
  char32_t replacement_;
  bool dropInFirst_;
};

// BPE models with an end-of-word suffix ("</w>"): the suffix becomes a space, except in the last token.
class BpeSuffix : public Decoder {
 public:
  explicit BpeSuffix(QString suffix) : suffix_(std::move(suffix)) {}
  void decodeChain(std::vector<QString>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i)
      tokens[i].replace(suffix_, i + 1 == tokens.size() ? QString() : QStringLiteral(" "));
  }

 private:
  QString suffix_;
};

class Sequence : public Decoder {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Decoder>> parts) : parts_(std::move(parts)) {}
  void decodeChain(std::vector<QString>& tokens) const override {
    for (const auto& p : parts_) p->decodeChain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

}  // namespace

std::unique_ptr<Decoder> Decoder::fromJson(const JsonAt& j) {
  if (j.isMissing()) return nullptr;
  j.object();
  const JsonAt typeField = j[QStringLiteral("type")];
  const QString type = typeField.string();
  if (type == QLatin1String("ByteLevel")) return std::make_unique<ByteLevel>();
  if (type == QLatin1String("ByteFallback")) return std::make_unique<ByteFallback>();
  if (type == QLatin1String("Fuse")) return std::make_unique<Fuse>();
  if (type == QLatin1String("Strip"))
    return std::make_unique<Strip>(j[QStringLiteral("content")].character(), j[QStringLiteral("start")].integerOr(0),
                                   j[QStringLiteral("stop")].integerOr(0));
  if (type == QLatin1String("Replace"))
    return std::make_unique<Replace>(Pattern::fromJson(j[QStringLiteral("pattern")]),
                                     j[QStringLiteral("content")].string());
  if (type == QLatin1String("Metaspace")) {
    bool prepends = j[QStringLiteral("add_prefix_space")].boolOr(true);
    const JsonAt scheme = j[QStringLiteral("prepend_scheme")];
    if (!scheme.isMissing()) {
      const QString s = scheme.string();
      if (s != QLatin1String("always") && s != QLatin1String("first") && s != QLatin1String("never")) scheme.unsupported();
      prepends = s != QLatin1String("never");
    }
    return std::make_unique<Metaspace>(j[QStringLiteral("replacement")].character(), prepends);
  }
  if (type == QLatin1String("BPEDecoder")) return std::make_unique<BpeSuffix>(j[QStringLiteral("suffix")].stringOr(QStringLiteral("</w>")));
  if (type == QLatin1String("Sequence")) {
    const JsonAt list = j[QStringLiteral("decoders")];
    std::vector<std::unique_ptr<Decoder>> parts;
    for (qsizetype i = 0; i < list.array().size(); ++i)
      if (auto d = fromJson(list[i])) parts.push_back(std::move(d));
    return std::make_unique<Sequence>(std::move(parts));
  }
  typeField.unsupported();
}

}  // namespace distillery::tokenizer
