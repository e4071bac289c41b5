// Text transforms and measures behind the cleaning filters.
#include "data/TextClean.h"

#include "common/Error.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QStringList>

#include <cstring>
#include <utility>

namespace distillery {

UnicodeForm parseUnicodeForm(const QString& name, const QString& where) {
  const QString n = name.toLower();
  if (n == QLatin1String("none")) return UnicodeForm::None;
  if (n == QLatin1String("nfc")) return UnicodeForm::NFC;
  if (n == QLatin1String("nfkc")) return UnicodeForm::NFKC;
  throw UsageError({}, where, name, QStringLiteral("must be none, nfc or nfkc"));
}

namespace {

inline bool isStrippedControl(char16_t c) {
  // Cc is exactly U+0000–U+001F, U+007F–U+009F.
  return (c < 0x20 && c != u'\n' && c != u'\t') || (c >= 0x7F && c <= 0x9F);
}

}  // namespace

QString stripControlChars(const QString& text) {
  const char16_t* s = reinterpret_cast<const char16_t*>(text.utf16());
  const qsizetype n = text.size();
  qsizetype first = 0;
  while (first < n && !isStrippedControl(s[first])) ++first;
  if (first == n) return text;
  QString out;
  out.reserve(n);
  out.append(QStringView(s, first));
  for (qsizetype i = first; i < n; ++i)
    if (!isStrippedControl(s[i])) out.append(QChar(s[i]));
  return out;
}

QString cleanText(const QString& text, UnicodeForm form, bool stripControls) {
  QString out = text;
  if (form != UnicodeForm::None) {
    QString normal = out.normalized(form == UnicodeForm::NFC ? QString::NormalizationForm_C : QString::NormalizationForm_KC);
    // normalized() always builds a new string; keep the shared original when the text was already normal.
    if (normal != out) out = std::move(normal);
  }
  if (stripControls) out = stripControlChars(out);
  return out;
}

namespace {

struct ScriptName {
  const char* name;
  QChar::Script script;
};

const ScriptName kScripts[] = {
    {"latin", QChar::Script_Latin},         {"greek", QChar::Script_Greek},
    {"cyrillic", QChar::Script_Cyrillic},   {"armenian", QChar::Script_Armenian},
    {"hebrew", QChar::Script_Hebrew},       {"arabic", QChar::Script_Arabic},
    {"syriac", QChar::Script_Syriac},       {"thaana", QChar::Script_Thaana},
    {"devanagari", QChar::Script_Devanagari}, {"bengali", QChar::Script_Bengali},
    {"gurmukhi", QChar::Script_Gurmukhi},   {"gujarati", QChar::Script_Gujarati},
    {"oriya", QChar::Script_Oriya},         {"tamil", QChar::Script_Tamil},
    {"telugu", QChar::Script_Telugu},       {"kannada", QChar::Script_Kannada},
    {"malayalam", QChar::Script_Malayalam}, {"sinhala", QChar::Script_Sinhala},
    {"thai", QChar::Script_Thai},           {"lao", QChar::Script_Lao},
    {"tibetan", QChar::Script_Tibetan},     {"myanmar", QChar::Script_Myanmar},
    {"georgian", QChar::Script_Georgian},   {"hangul", QChar::Script_Hangul},
    {"ethiopic", QChar::Script_Ethiopic},   {"khmer", QChar::Script_Khmer},
    {"mongolian", QChar::Script_Mongolian}, {"hiragana", QChar::Script_Hiragana},
    {"katakana", QChar::Script_Katakana},   {"bopomofo", QChar::Script_Bopomofo},
    {"han", QChar::Script_Han},
};

}  // namespace

QList<QChar::Script> parseScripts(const QString& spec, const QString& where) {
  QList<QChar::Script> out;
  auto add = [&out](QChar::Script s) {
    if (!out.contains(s)) out.append(s);
  };
  for (QString name : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    name = name.trimmed().toLower().replace(QLatin1Char(' '), QLatin1Char('_'));
    if (name == QLatin1String("cjk")) {
      for (QChar::Script s : {QChar::Script_Han, QChar::Script_Hiragana, QChar::Script_Katakana, QChar::Script_Hangul}) add(s);
      continue;
    }
    bool found = false;
    for (const ScriptName& s : kScripts) {
      if (name == QLatin1String(s.name)) {
        add(s.script);
        found = true;
      }
    }
    if (!found) {
      QStringList known{QStringLiteral("cjk")};
      for (const ScriptName& s : kScripts) known << QString::fromLatin1(s.name);
      throw UsageError({}, where, name, QStringLiteral("is not a script this filter knows (") + known.join(QStringLiteral(", ")) + QLatin1Char(')'));
    }
  }
  if (out.isEmpty()) throw UsageError({}, where, spec, QStringLiteral("names no script"));
  return out;
}

double scriptShare(const QString& text, const QList<QChar::Script>& scripts) {
  int64_t letters = 0, inScripts = 0;
  const qsizetype n = text.size();
  const QChar* s = text.constData();
  for (qsizetype i = 0; i < n; ++i) {
    char32_t c = s[i].unicode();
    if (s[i].isHighSurrogate() && i + 1 < n && s[i + 1].isLowSurrogate()) {
      c = QChar::surrogateToUcs4(s[i], s[i + 1]);
      ++i;
    }
    if (!QChar::isLetter(c)) continue;
    ++letters;
    inScripts += scripts.contains(QChar::script(c));
  }
  return letters ? double(inScripts) / double(letters) : 0.0;
}

int64_t codePoints(const QString& text) {
  int64_t n = text.size();
  for (const QChar c : text) n -= c.isLowSurrogate();
  return n;
}

QString dedupForm(const QString& text, bool casefold) {
  QString out = text.simplified();
  return casefold ? out.toCaseFolded() : out;
}

TextHash textHash(const QString& text) {
  const QByteArray digest = QCryptographicHash::hash(
      QByteArrayView(reinterpret_cast<const char*>(text.utf16()), text.size() * qsizetype(sizeof(char16_t))),
      QCryptographicHash::Md5);
  TextHash h;
  std::memcpy(&h.hi, digest.constData(), 8);
  std::memcpy(&h.lo, digest.constData() + 8, 8);
  return h;
}

}  // namespace distillery
