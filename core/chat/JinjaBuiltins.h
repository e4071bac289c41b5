// Jinja's filters, tests and globals, with transformers' additions (`tojson` with ensure_ascii=False,
// `raise_exception`, `strftime_now`).
#pragma once
#include "chat/JinjaValue.h"

#include <QtCore/QDateTime>

namespace distillery::jinja {

// Whether a filter or test name exists, and whether it is implemented here. The parser refuses unknown and
// unsupported names at load time, except inside if-branches, where (as in Jinja) they fail when reached.
enum class Builtin { Supported, Unsupported, Unknown };
Builtin filterStatus(const QString& name);
Builtin testStatus(const QString& name);

Value applyFilter(Interpreter& in, const QString& name, const Value& value, const CallArgs& args);
bool applyTest(Interpreter& in, const QString& name, const Value& value, const CallArgs& args);

// range, dict, namespace, raise_exception, strftime_now (formatting `now`).
void installGlobals(DictData& globals, const QDateTime& now);

}  // namespace distillery::jinja
