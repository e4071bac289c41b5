// Text-level cleaning: Unicode normalisation, control characters, the script share of a text's letters, the
// whitespace/case-normalised form duplicates are compared in, and the 128-bit hash exact dedup keys on.
// Row-level decisions (which filter drops a row, reports) are in DataClean.h.
#pragma once
#include <QtCore/QChar>
#include <QtCore/QList>
#include <QtCore/QString>

#include <cstdint>

namespace distillery {

enum class UnicodeForm { None, NFC, NFKC };
// "none" | "nfc" | "nfkc" (any case); UsageError naming where and the value otherwise.
UnicodeForm parseUnicodeForm(const QString& name, const QString& where);

// text without control characters (Unicode category Cc: C0, DEL, C1) except '\n' and '\t'. Returns text
// itself (shared, no copy) when it has none.
QString stripControlChars(const QString& text);

// form applied (QString::normalized), then stripControls when asked. Returns text itself when nothing changes.
QString cleanText(const QString& text, UnicodeForm form, bool stripControls);

// Script names as QChar::Script, from "han,latin,cyrillic" (the Unicode script names, any case, '_' or ' ');
// "cjk" stands for Han + Hiragana + Katakana + Hangul. UsageError naming where and the unknown name.
QList<QChar::Script> parseScripts(const QString& spec, const QString& where);

// Share of text's letters (code points with QChar::isLetter) whose script is one of scripts, in [0, 1];
// 0 for a text without letters. Digits, punctuation and spaces are not letters and do not count either way.
double scriptShare(const QString& text, const QList<QChar::Script>& scripts);

// Code points in text (a surrogate pair counts once).
int64_t codePoints(const QString& text);

// The form duplicates are compared in: whitespace runs become one space, ends trimmed (QString::simplified),
// case-folded when casefold (QString::toCaseFolded: Unicode simple case folding, so "ß" stays "ß").
QString dedupForm(const QString& text, bool casefold);

// 128-bit hash of a text (MD5 of its UTF-16 code units): equal texts, equal keys; different texts collide with
// probability ~2^-128 per pair, so exact dedup needs no second comparison.
struct TextHash {
  uint64_t hi = 0, lo = 0;
  bool operator==(const TextHash& o) const { return hi == o.hi && lo == o.lo; }
};
TextHash textHash(const QString& text);
inline size_t qHash(const TextHash& h, size_t seed = 0) { return size_t(h.lo ^ seed); }

}  // namespace distillery
