#include "tokenizer/Normalizer.h"

#include "tokenizer/Pattern.h"
#include "tokenizer/Unicode.h"

#include <vector>

namespace distillery::tokenizer {

namespace {

class UnicodeForm : public Normalizer {
 public:
  explicit UnicodeForm(QString::NormalizationForm f) : form_(f) {}
  void normalize(QString& s) const override { s = s.normalized(form_); }

 private:
  QString::NormalizationForm form_;
};

class Lowercase : public Normalizer {
 public:
  void normalize(QString& s) const override { s = s.toLower(); }
};

class Replace : public Normalizer {
 public:
  Replace(std::unique_ptr<Pattern> p, QString content) : pattern_(std::move(p)), content_(std::move(content)) {}
  void normalize(QString& s) const override { s = replaceAll(*pattern_, s, content_); }

 private:
  std::unique_ptr<Pattern> pattern_;
  QString content_;
};

class Prepend : public Normalizer {
 public:
  explicit Prepend(QString text) : text_(std::move(text)) {}
  void normalize(QString& s) const override {
    if (!s.isEmpty()) s.prepend(text_);
  }

 private:
  QString text_;
};

class Strip : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(QString& s) const override {
    qsizetype b = 0, e = s.size();
    if (left_)
      while (b < e && isWhiteSpace(s[b].unicode())) ++b;
    if (right_)
      while (e > b && isWhiteSpace(s[e - 1].unicode())) --e;
    if (b > 0 || e < s.size()) s = s.mid(b, e - b);
  }

 private:
  bool left_, right_;
};

class StripAccents : public Normalizer {
 public:
  void normalize(QString& s) const override {
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size();) {
      const qsizetype at = i;
      if (!isCombiningMark(nextCodePoint(s, i))) out += QStringView(s).mid(at, i - at);
    }
    s = out;
  }
};

class ByteLevelNormalizer : public Normalizer {
 public:
  void normalize(QString& s) const override { s = toByteLevel(toUtf8(s)); }
};

class Sequence : public Normalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Normalizer>> parts) : parts_(std::move(parts)) {}
  void normalize(QString& s) const override {
    for (const auto& p : parts_) p->normalize(s);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

}  // namespace

std::unique_ptr<Normalizer> Normalizer::fromJson(const JsonAt& j) {
  if (j.isMissing()) return nullptr;
  j.object();
  const JsonAt typeField = j[QStringLiteral("type")];
  const QString type = typeField.string();
  if (type == QLatin1String("NFC")) return std::make_unique<UnicodeForm>(QString::NormalizationForm_C);
  if (type == QLatin1String("NFD")) return std::make_unique<UnicodeForm>(QString::NormalizationForm_D);
  if (type == QLatin1String("NFKC")) return std::make_unique<UnicodeForm>(QString::NormalizationForm_KC);
  if (type == QLatin1String("NFKD")) return std::make_unique<UnicodeForm>(QString::NormalizationForm_KD);
  if (type == QLatin1String("Lowercase")) return std::make_unique<Lowercase>();
  if (type == QLatin1String("StripAccents")) return std::make_unique<StripAccents>();
  if (type == QLatin1String("ByteLevel")) return std::make_unique<ByteLevelNormalizer>();
  if (type == QLatin1String("Replace"))
    return std::make_unique<Replace>(Pattern::fromJson(j[QStringLiteral("pattern")]),
                                     j[QStringLiteral("content")].string());
  if (type == QLatin1String("Prepend")) return std::make_unique<Prepend>(j[QStringLiteral("prepend")].string());
  if (type == QLatin1String("Strip"))
    return std::make_unique<Strip>(j[QStringLiteral("strip_left")].boolOr(true),
                                   j[QStringLiteral("strip_right")].boolOr(true));
  if (type == QLatin1String("Sequence")) {
    const JsonAt list = j[QStringLiteral("normalizers")];
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (qsizetype i = 0; i < list.array().size(); ++i)
      if (auto n = fromJson(list[i])) parts.push_back(std::move(n));
    return std::make_unique<Sequence>(std::move(parts));
  }
  typeField.unsupported();
}

}  // namespace distillery::tokenizer
