// Python objects the way Jinja's ImmutableSandboxedEnvironment lets a template touch them: attribute and item
// lookup (dict keys vs. methods, list and str indexing, slices), the methods of str, dict and list that chat
// templates call (`.strip()`, `.split()`, `.startswith()`, `.get()`, `.items()`, ...; mutators are refused),
// iteration, and printf-style `%` formatting.
#pragma once
#include "chat/JinjaValue.h"

namespace distillery::jinja {

// obj.name as the sandbox resolves it: Python attribute (bound method) first, then item.
Value getAttr(const Value& obj, const QString& name);
// obj[key]: item first, then attribute when the key is a string. Misses give Undefined with Jinja's hint.
Value getItem(const Value& obj, const Value& key);
// obj[start:stop:step] on a list, tuple or string (any part may be None).
Value getSlice(const Value& obj, const Value& start, const Value& stop, const Value& step);
// The attribute Python's getattr finds (a bound method, a namespace or loop field); nullopt where it would
// raise AttributeError. Mutating methods come back as an Undefined that refuses to be called.
std::optional<Value> pythonAttribute(const Value& obj, const QString& name);
// The items a for loop or filter walks over: list items, dict keys, string characters; Undefined is empty.
std::vector<Value> iterate(const Value& v);
// Python's printf-style `fmt % args` (the `format` filter and the `%` operator on strings).
QString percentFormat(const QString& fmt, const Value& args);

// Helpers shared with the filters.
using Args = std::vector<std::optional<Value>>;  // CallArgs::bind's result
inline Value arg(const Args& a, size_t i, const Value& def) { return a[i] ? *a[i] : def; }
QString needString(const Value& v, const QString& what);  // the string, or a TypeError-like error
qint64 needInt(const Value& v, const QString& what);      // int or bool, or an error
QString objectTypeRepr(const Value& v);                   // "dict object", "None", ... as in Jinja's hints
Value missingAttribute(const Value& obj, const QString& name);
bool pyIsLower(const QString& s, bool upper);             // str.islower() / str.isupper()
// str.center (mode 0), ljust (1), rjust (2).
QString center(const QString& s, qint64 width, QChar fill, int mode);

}  // namespace distillery::jinja
