// Python's str semantics over QString, for the chat-template interpreter: code-point indexing, the exact
// whitespace set of str.isspace(), strip/split/title/capitalize, repr() quoting and float repr().
// Chat templates are Jinja run by Python, so "  x ".strip() or str(0.1 + 0.2) must come out byte for byte
// as CPython prints them.
#pragma once
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace distillery::py {

// str.isspace() for one code point (Unicode White_Space plus the ASCII separators \x1c-\x1f).
bool isSpace(char32_t c);
// str.isprintable() for one code point (what repr() leaves unescaped).
bool isPrintable(char32_t c);

QList<char32_t> codePoints(const QString& s);
QString fromCodePoints(const QList<char32_t>& cps, qsizetype from = 0, qsizetype to = -1);
qsizetype length(const QString& s);  // len(s): code points, not UTF-16 units

// str.strip / lstrip / rstrip; chars = nullopt strips whitespace, otherwise any of the given characters.
QString strip(const QString& s, const std::optional<QString>& chars, bool left = true, bool right = true);
// str.split / rsplit: sep = nullopt splits on runs of whitespace and drops empty parts.
QStringList split(const QString& s, const std::optional<QString>& sep, qsizetype maxsplit = -1);
QStringList rsplit(const QString& s, const std::optional<QString>& sep, qsizetype maxsplit = -1);
QStringList splitLines(const QString& s, bool keepEnds = false);
// str.replace(old, new, count): an empty `old` inserts `new` between every code point, like Python.
QString replace(const QString& s, const QString& before, const QString& after, qsizetype count = -1);
QString upper(const QString& s);
QString lower(const QString& s);
QString title(const QString& s);       // str.title()
QString capitalize(const QString& s);  // str.capitalize()
// Index of `needle` counted in code points (str.find / rfind), -1 when absent.
qsizetype find(const QString& s, const QString& needle, bool fromRight = false);
// Code-point order, like Python's str comparison (QString::compare orders UTF-16 units).
int compare(const QString& a, const QString& b);

QString repr(const QString& s);  // repr(str): quotes and escapes exactly as CPython
QString floatRepr(double d);     // repr(float): shortest round-trip, '1e+16', '0.1', '2.0', 'inf'

}  // namespace distillery::py
