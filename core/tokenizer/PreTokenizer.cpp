#include "tokenizer/PreTokenizer.h"

#include "tokenizer/FastSplit.h"
#include "tokenizer/Pattern.h"
#include "tokenizer/Unicode.h"

namespace distillery::tokenizer {

namespace {

// A piece already turned byte-level becomes real byte-level text before anything else looks at it.
QStringView materialize(Piece& p, PieceStore& store) {
  if (p.byteLevel) {
    store.push_back(toByteLevel(toUtf8(p.text)));
    p.text = store.back();
    p.byteLevel = false;
  }
  return p.text;
}

// Splits each piece by pattern and behavior (tokenizers' PreTokenizedString::split + NormalizedString::split).
void splitPieces(std::vector<Piece>& pieces, PieceStore& store, const Pattern& pattern, SplitBehavior behavior,
                 bool invert) {
  std::vector<Piece> out;
  out.reserve(pieces.size() * 2);
  std::vector<Span> spans, kept;
  for (Piece& p : pieces) {
    const QStringView text = materialize(p, store);
    spans.clear();
    kept.clear();
    pattern.findMatches(text, spans);
    if (invert)
      for (Span& s : spans) s.isMatch = !s.isMatch;
    splitByBehavior(spans, behavior, kept);
    for (const Span& s : kept) out.push_back({text.mid(s.begin, s.end - s.begin), false, p.atStart && s.begin == 0});
  }
  pieces.swap(out);
}

class Split : public PreTokenizer {
 public:
  Split(std::unique_ptr<Pattern> p, SplitBehavior b, bool invert) : pattern_(std::move(p)), behavior_(b), invert_(invert) {}
  void apply(std::vector<Piece>& pieces, PieceStore& store) const override {
    splitPieces(pieces, store, *pattern_, behavior_, invert_);
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class ByteLevel : public PreTokenizer {
 public:
  ByteLevel(bool addPrefixSpace, bool useRegex, const JsonAt& where)
      : addPrefixSpace_(addPrefixSpace),
        pattern_(useRegex ? Pattern::regex(QString::fromLatin1(kGpt2Pattern), where) : nullptr) {}
  void apply(std::vector<Piece>& pieces, PieceStore& store) const override {
    for (Piece& p : pieces) {
      const QStringView text = materialize(p, store);
      if (addPrefixSpace_ && !text.startsWith(QLatin1Char(' '))) {
        QString prefixed;
        prefixed.reserve(text.size() + 1);
        prefixed.append(QLatin1Char(' ')).append(text);
        store.push_back(std::move(prefixed));
        p.text = store.back();
      }
    }
    if (pattern_) splitPieces(pieces, store, *pattern_, SplitBehavior::Isolated, false);
    for (Piece& p : pieces) p.byteLevel = true;
  }

 private:
  bool addPrefixSpace_;
  std::unique_ptr<Pattern> pattern_;
};

class Metaspace : public PreTokenizer {
 public:
  enum class Prepend { Always, First, Never };
  Metaspace(char32_t replacement, Prepend prepend, bool split)
      : replacement_(QString::fromUcs4(&replacement, 1)), prepend_(prepend), split_(split),
        splitter_(Pattern::oneChar(replacement)) {}
  void apply(std::vector<Piece>& pieces, PieceStore& store) const override {
    for (Piece& p : pieces) {
      QString t = materialize(p, store).toString();
      t.replace(QLatin1Char(' '), replacement_);
      if ((prepend_ == Prepend::Always || (prepend_ == Prepend::First && p.atStart)) && !t.startsWith(replacement_))
        t.prepend(replacement_);
      store.push_back(std::move(t));
      p.text = store.back();
    }
    if (split_) splitPieces(pieces, store, *splitter_, SplitBehavior::MergedWithNext, false);
  }

 private:
  QString replacement_;
  Prepend prepend_;
  bool split_;
  std::unique_ptr<Pattern> splitter_;
};

// Splits on a character class (WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit).
class CharSplit : public PreTokenizer {
 public:
  CharSplit(std::unique_ptr<Pattern> p, SplitBehavior b) : pattern_(std::move(p)), behavior_(b) {}
  void apply(std::vector<Piece>& pieces, PieceStore& store) const override {
    splitPieces(pieces, store, *pattern_, behavior_, false);
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  SplitBehavior behavior_;
};

class Sequence : public PreTokenizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PreTokenizer>> parts) : parts_(std::move(parts)) {}
  void apply(std::vector<Piece>& pieces, PieceStore& store) const override {
    for (const auto& p : parts_) p->apply(pieces, store);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

}  // namespace

std::unique_ptr<PreTokenizer> PreTokenizer::fromJson(const JsonAt& j) {
  if (j.isMissing()) return nullptr;
  j.object();
  const JsonAt typeField = j[QStringLiteral("type")];
  const QString type = typeField.string();
  if (type == QLatin1String("ByteLevel"))
    return std::make_unique<ByteLevel>(j[QStringLiteral("add_prefix_space")].boolOr(true),
                                       j[QStringLiteral("use_regex")].boolOr(true), j);
  if (type == QLatin1String("Split"))
    return std::make_unique<Split>(Pattern::fromJson(j[QStringLiteral("pattern")]),
                                   splitBehaviorFromJson(j[QStringLiteral("behavior")]),
                                   j[QStringLiteral("invert")].boolOr(false));
  if (type == QLatin1String("Metaspace")) {
    Metaspace::Prepend prepend = Metaspace::Prepend::Always;
    const JsonAt scheme = j[QStringLiteral("prepend_scheme")];
    if (!scheme.isMissing()) {
      const QString s = scheme.string();
      if (s == QLatin1String("always")) prepend = Metaspace::Prepend::Always;
      else if (s == QLatin1String("first")) prepend = Metaspace::Prepend::First;
      else if (s == QLatin1String("never")) prepend = Metaspace::Prepend::Never;
      else scheme.unsupported();
    } else if (!j[QStringLiteral("add_prefix_space")].boolOr(true)) {
      prepend = Metaspace::Prepend::Never;  // the older format
    }
    return std::make_unique<Metaspace>(j[QStringLiteral("replacement")].character(), prepend,
                                       j[QStringLiteral("split")].boolOr(true));
  }
  if (type == QLatin1String("Whitespace")) {
    // \w+|[^\w\s]+, keeping the matches
    auto p = Pattern::regex(QStringLiteral("\\w+|[^\\w\\s]+"), j);
    return std::make_unique<Split>(std::move(p), SplitBehavior::Removed, true);
  }
  if (type == QLatin1String("WhitespaceSplit"))
    return std::make_unique<CharSplit>(Pattern::chars(isWhiteSpace), SplitBehavior::Removed);
  if (type == QLatin1String("Punctuation")) {
    const JsonAt b = j[QStringLiteral("behavior")];
    return std::make_unique<CharSplit>(Pattern::chars(isPunctuation),
                                       b.isMissing() ? SplitBehavior::Isolated : splitBehaviorFromJson(b));
  }
  if (type == QLatin1String("Digits"))
    return std::make_unique<CharSplit>(Pattern::chars(isNumeric), j[QStringLiteral("individual_digits")].boolOr(false)
                                                                      ? SplitBehavior::Isolated
                                                                      : SplitBehavior::Contiguous);
  if (type == QLatin1String("CharDelimiterSplit"))
    return std::make_unique<CharSplit>(Pattern::oneChar(j[QStringLiteral("delimiter")].character()),
                                       SplitBehavior::Removed);
  if (type == QLatin1String("BertPreTokenizer")) {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    parts.push_back(std::make_unique<CharSplit>(Pattern::chars(isWhiteSpace), SplitBehavior::Removed));
    parts.push_back(std::make_unique<CharSplit>(Pattern::chars(isPunctuation), SplitBehavior::Isolated));
    return std::make_unique<Sequence>(std::move(parts));
  }
  if (type == QLatin1String("Sequence")) {
    const JsonAt list = j[QStringLiteral("pretokenizers")];
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (qsizetype i = 0; i < list.array().size(); ++i)
      if (auto p = fromJson(list[i])) parts.push_back(std::move(p));
    return std::make_unique<Sequence>(std::move(parts));
  }
  typeField.unsupported();
}

}  // namespace distillery::tokenizer
