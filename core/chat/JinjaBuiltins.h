// Jinja's filters, tests and globals plus the Python methods of str, dict and list that chat templates
// call (`.strip()`, `.split()`, `.get()`, `.items()`, ...), and transformers' additions (`tojson` with
// ensure_ascii=False, `raise_exception`, `strftime_now`).
#pragma once
#include "chat/JinjaValue.h"

#include <QtCore/QDateTime>

namespace distillery::jinja {

// Whether a filter or test name exists, and whether it is implemented here. Unknown and unsupported
// names are refused when the template is parsed, as Jinja refuses unknown filters at compile time.
enum class Builtin { Supported, Unsupported, Unknown };
Builtin filterStatus(const QString& name);
Builtin testStatus(const QString& name);

Value applyFilter(Interpreter& in, const QString& name, const Value& value, const CallArgs& args);
bool applyTest(Interpreter& in, const QString& name, const Value& value, const CallArgs& args);

// obj.name the way Jinja's sandbox resolves it: Python attribute (bound method) first, then item.
Value getAttr(const Value& obj, const QString& name);
// obj[key]: item first, then attribute when the key is a string.
Value getItem(const Value& obj, const Value& key);
// obj[start:stop:step] on a list, tuple or string (any part may be None/Undefined).
Value getSlice(const Value& obj, const Value& start, const Value& stop, const Value& step);

// range, dict, namespace, raise_exception, strftime_now (formatting `now`).
void installGlobals(DictData& globals, const QDateTime& now);

// Python's printf-style `fmt % args` (used by the `format` filter and the `%` operator on strings).
QString percentFormat(const QString& fmt, const Value& args);

// The items a for loop or filter walks over: list items, dict keys, string characters; Undefined is empty.
std::vector<Value> iterate(const Value& v);

}  // namespace distillery::jinja
