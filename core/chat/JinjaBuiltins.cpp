#include "chat/JinjaBuiltins.h"

#include "chat/JinjaError.h"
#include "chat/JinjaInterpreter.h"
#include "chat/JinjaObjects.h"
#include "chat/PyText.h"

#include <QtCore/QSet>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <ctime>
#include <locale.h>

namespace distillery::jinja {

namespace {

// Python's float() of a string.
std::optional<double> parseFloat(const QString& text) {
  QString t = py::strip(text, std::nullopt).toLower();
  t.remove(QLatin1Char('_'));
  QString body = t;
  if (body.startsWith(QLatin1Char('+')) || body.startsWith(QLatin1Char('-'))) body = body.mid(1);
  const double sign = t.startsWith(QLatin1Char('-')) ? -1 : 1;
  if (body == QLatin1String("inf") || body == QLatin1String("infinity")) return sign * INFINITY;
  if (body == QLatin1String("nan")) return NAN;
  for (QChar c : body)
    if (!(c.isDigit() || c == QLatin1Char('.') || c == QLatin1Char('e') || c == QLatin1Char('+') || c == QLatin1Char('-')))
      return std::nullopt;
  bool ok = false;
  const double d = t.toDouble(&ok);
  if (!ok) return std::nullopt;
  return d;
}

// Python's int() of a string in a base.
std::optional<qint64> parseInt(const QString& text, int base) {
  QString t = py::strip(text, std::nullopt);
  t.remove(QLatin1Char('_'));
  bool negative = false;
  if (t.startsWith(QLatin1Char('+')) || t.startsWith(QLatin1Char('-'))) {
    negative = t.startsWith(QLatin1Char('-'));
    t = t.mid(1);
  }
  const QString lower = t.toLower();
  if (base == 16 && lower.startsWith(QLatin1String("0x"))) t = t.mid(2);
  else if (base == 8 && lower.startsWith(QLatin1String("0o"))) t = t.mid(2);
  else if (base == 2 && lower.startsWith(QLatin1String("0b"))) t = t.mid(2);
  if (t.isEmpty()) return std::nullopt;
  for (QChar c : t)
    if (!c.isLetterOrNumber() || c.unicode() > 0x7f) return std::nullopt;
  bool ok = false;
  const qint64 v = t.toLongLong(&ok, base);
  if (!ok) return std::nullopt;
  return negative ? -v : v;
}

QString htmlEscape(const QString& s) {
  QString out;
  out.reserve(s.size());
  for (QChar c : s) {
    switch (c.unicode()) {
      case '&': out += QLatin1String("&amp;"); break;
      case '<': out += QLatin1String("&lt;"); break;
      case '>': out += QLatin1String("&gt;"); break;
      case '"': out += QLatin1String("&#34;"); break;
      case '\'': out += QLatin1String("&#39;"); break;
      default: out += c;
    }
  }
  return out;
}

// Jinja's make_attrgetter: "a.b.0" walks items (then attributes) part by part.
Value attributePath(const Value& item, const Value& attribute, const Value& def = Value::none()) {
  QList<Value> parts;
  if (attribute.isString()) {
    for (const QString& p : attribute.str().split(QLatin1Char('.'))) {
      bool isInt = false;
      const qint64 n = p.toLongLong(&isInt);
      parts << (isInt ? Value::integer(n) : Value::string(p));
    }
  } else {
    parts << attribute;
  }
  Value v = item;
  for (const Value& p : parts) v = getItem(v, p);
  if (!def.isNone() && v.isUndefined()) v = def;
  return v;
}

Value ignoreCase(const Value& v) { return v.isString() ? Value::string(v.str().toLower()) : v; }

std::function<Value(const Value&)> keyFunction(const Value& attribute, bool caseSensitive) {
  return [attribute, caseSensitive](const Value& item) {
    Value k = attribute.isNone() || attribute.isUndefined() ? item : attributePath(item, attribute);
    return caseSensitive ? k : ignoreCase(k);
  };
}

std::vector<Value> sorted(std::vector<Value> items, const std::function<Value(const Value&)>& key, bool reverse) {
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& v : items) keyed.emplace_back(key(v), std::move(v));
  std::stable_sort(keyed.begin(), keyed.end(), [reverse](const auto& a, const auto& b) {
    return reverse ? lessThan(b.first, a.first) : lessThan(a.first, b.first);
  });
  std::vector<Value> out;
  for (auto& [k, v] : keyed) out.push_back(std::move(v));
  return out;
}

QString strftimeC(const QDateTime& now, const QString& format) {
  static locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(0));
  const QDate d = now.date();
  const QTime t = now.time();
  std::tm tm{};
  tm.tm_year = d.year() - 1900;
  tm.tm_mon = d.month() - 1;
  tm.tm_mday = d.day();
  tm.tm_hour = t.hour();
  tm.tm_min = t.minute();
  tm.tm_sec = t.second();
  tm.tm_wday = d.dayOfWeek() % 7;
  tm.tm_yday = d.dayOfYear() - 1;
  tm.tm_isdst = -1;
  QString fmt = format;
  fmt.replace(QLatin1String("%f"), QStringLiteral("%1").arg(t.msec() * 1000, 6, 10, QLatin1Char('0')));
  const QByteArray f = fmt.toUtf8();
  if (f.isEmpty()) return QString();
  std::vector<char> buf(256 + size_t(f.size()) * 16);
  const size_t n = strftime_l(buf.data(), buf.size(), f.constData(), &tm, cLocale);
  return QString::fromUtf8(buf.data(), qsizetype(n));
}

[[noreturn]] void filterArgs(const QString& filter, const QString& message) {
  runtimeError(QStringLiteral("filter '%1': %2").arg(filter, message));
}

std::optional<double> roundHalfEven(double v, qint64 digits) {
  if (std::isnan(v) || std::isinf(v)) return v;
  if (digits == 0) return std::nearbyint(v);
  if (digits < 0 || digits > 300) return std::nullopt;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", int(digits), v);
  return std::strtod(buf, nullptr);
}

}  // namespace

// ---- filters ----

Builtin filterStatus(const QString& name) {
  static const QSet<QString> supported = {
      QStringLiteral("abs"), QStringLiteral("attr"), QStringLiteral("batch"), QStringLiteral("capitalize"),
      QStringLiteral("center"), QStringLiteral("count"), QStringLiteral("d"), QStringLiteral("default"),
      QStringLiteral("dictsort"), QStringLiteral("e"), QStringLiteral("escape"), QStringLiteral("first"),
      QStringLiteral("float"), QStringLiteral("forceescape"), QStringLiteral("format"), QStringLiteral("indent"),
      QStringLiteral("int"), QStringLiteral("items"), QStringLiteral("join"), QStringLiteral("last"),
      QStringLiteral("length"), QStringLiteral("list"), QStringLiteral("lower"), QStringLiteral("map"),
      QStringLiteral("max"), QStringLiteral("min"), QStringLiteral("reject"), QStringLiteral("rejectattr"),
      QStringLiteral("replace"), QStringLiteral("reverse"), QStringLiteral("round"), QStringLiteral("safe"),
      QStringLiteral("select"), QStringLiteral("selectattr"), QStringLiteral("sort"), QStringLiteral("string"),
      QStringLiteral("sum"), QStringLiteral("title"), QStringLiteral("tojson"), QStringLiteral("trim"),
      QStringLiteral("unique"), QStringLiteral("upper"), QStringLiteral("wordcount")};
  static const QSet<QString> jinjaOnly = {
      QStringLiteral("filesizeformat"), QStringLiteral("groupby"), QStringLiteral("pprint"),
      QStringLiteral("random"), QStringLiteral("slice"), QStringLiteral("striptags"), QStringLiteral("truncate"),
      QStringLiteral("urlencode"), QStringLiteral("urlize"), QStringLiteral("wordwrap"), QStringLiteral("xmlattr")};
  if (supported.contains(name)) return Builtin::Supported;
  if (jinjaOnly.contains(name)) return Builtin::Unsupported;
  return Builtin::Unknown;
}

static Value applyFilterNow(Interpreter& in, const QString& name, const Value& value, const CallArgs& a);

Value applyFilter(Interpreter& in, const QString& name, const Value& value, const CallArgs& a) {
  switch (filterStatus(name)) {
    case Builtin::Supported: break;
    case Builtin::Unsupported: unsupported(QStringLiteral("filter '%1'").arg(name));
    case Builtin::Unknown: runtimeError(QStringLiteral("No filter named '%1' found.").arg(name));
  }
  static const QSet<QString> generators = {QStringLiteral("map"), QStringLiteral("select"), QStringLiteral("reject"),
                                           QStringLiteral("selectattr"), QStringLiteral("rejectattr"),
                                           QStringLiteral("items"), QStringLiteral("unique"), QStringLiteral("batch")};
  if (!generators.contains(name)) return applyFilterNow(in, name, value, a);
  try {
    return applyFilterNow(in, name, value, a);
  } catch (const TemplateError& e) {
    if (e.kind != TemplateError::Runtime) throw;
    Value lazy = Value::list({}, ListData::Iterator);
    lazy.listData()->pendingError = e.message;
    return lazy;
  }
}

static Value applyFilterNow(Interpreter& in, const QString& name, const Value& value, const CallArgs& a) {
  auto bind = [&](const std::vector<const char*>& names) { return a.bind(name, names); };
  auto str = [&]() { return value.toStr(); };
  auto generator = [](std::vector<Value> items) { return Value::list(std::move(items), ListData::Iterator); };
  auto length = [&](const Value& v) -> qint64 {
    if (v.isUndefined()) return 0;
    if (v.isString()) return py::length(v.str());
    if (v.isList() && v.listData()->kind != ListData::Iterator) return qint64(v.items().size());
    if (v.isMapping()) return qint64(v.dictData()->items.size());
    runtimeError(QStringLiteral("object of type '%1' has no len()").arg(v.typeName()));
  };

  if (name == QLatin1String("default") || name == QLatin1String("d")) {
    const Args p = bind({"default_value", "boolean"});
    if (value.isUndefined() || (arg(p, 1, Value::boolean(false)).truthy() && !value.truthy()))
      return arg(p, 0, Value::string(QString()));
    return value;
  }
  if (name == QLatin1String("length") || name == QLatin1String("count")) {
    bind({});
    return Value::integer(length(value));
  }
  if (name == QLatin1String("tojson")) {
    const Args p = bind({"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonDumpOptions o;
    o.ensureAscii = arg(p, 0, Value::boolean(false)).truthy();
    const Value indent = arg(p, 1, Value::none());
    if (indent.isString()) o.indent = indent.str();
    else if (indent.isInt() || indent.isBool()) o.indent = QString(std::max<qint64>(0, indent.toInt()), QLatin1Char(' '));
    else if (!indent.isNone()) runtimeError(QStringLiteral("tojson: indent must be an int or a string"));
    const Value seps = arg(p, 2, Value::none());
    if (!seps.isNone()) {
      if (!seps.isList() || seps.items().size() != 2 || !seps.items()[0].isString() || !seps.items()[1].isString())
        runtimeError(QStringLiteral("tojson: separators must be a pair of strings"));
      o.separators = std::make_pair(seps.items()[0].str(), seps.items()[1].str());
    }
    o.sortKeys = arg(p, 3, Value::boolean(false)).truthy();
    return Value::string(jsonDumps(value, o));
  }
  if (name == QLatin1String("trim")) {
    const Args p = bind({"chars"});
    const Value chars = arg(p, 0, Value::none());
    return Value::string(py::strip(str(), chars.isNone() ? std::nullopt : std::optional<QString>(needString(chars, QStringLiteral("trim chars")))));
  }
  if (name == QLatin1String("upper")) { bind({}); return Value::string(py::upper(str())); }
  if (name == QLatin1String("lower")) { bind({}); return Value::string(py::lower(str())); }
  if (name == QLatin1String("capitalize")) { bind({}); return Value::string(py::capitalize(str())); }
  if (name == QLatin1String("title")) {
    bind({});
    // Jinja splits before runs of "-", whitespace and opening brackets, then capitalises each piece.
    const QList<char32_t> cps = py::codePoints(str());
    auto isSep = [](char32_t c) { return py::isSpace(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<'; };
    QString out;
    qsizetype i = 0;
    while (i < cps.size()) {
      qsizetype j = i;
      const bool sep = isSep(cps[i]);
      while (j < cps.size() && isSep(cps[j]) == sep) ++j;
      const QString piece = py::fromCodePoints(cps, i, j);
      out += sep ? piece : py::upper(py::fromCodePoints(cps, i, i + 1)) + py::lower(py::fromCodePoints(cps, i + 1, j));
      i = j;
    }
    return Value::string(out);
  }
  if (name == QLatin1String("replace")) {
    const Args p = bind({"old", "new", "count"});
    const Value count = arg(p, 2, Value::none());
    return Value::string(py::replace(str(), arg(p, 0, Value()).toStr(), arg(p, 1, Value()).toStr(),
                                     count.isNone() ? -1 : needInt(count, QStringLiteral("count"))));
  }
  if (name == QLatin1String("string") || name == QLatin1String("safe")) {
    bind({});
    return Value::string(str());
  }
  if (name == QLatin1String("escape") || name == QLatin1String("e") || name == QLatin1String("forceescape")) {
    bind({});
    return Value::string(htmlEscape(str()));
  }
  if (name == QLatin1String("wordcount")) {
    bind({});
    qint64 n = 0;
    bool inWord = false;
    for (char32_t c : py::codePoints(str())) {
      const bool w = QChar::isLetterOrNumber(c) || c == '_' || QChar::isMark(c);
      if (w && !inWord) ++n;
      inWord = w;
    }
    return Value::integer(n);
  }
  if (name == QLatin1String("center")) {
    const Args p = bind({"width"});
    return Value::string(center(str(), needInt(arg(p, 0, Value::integer(80)), QStringLiteral("width")), QLatin1Char(' '), 0));
  }
  if (name == QLatin1String("indent")) {
    const Args p = bind({"width", "first", "blank"});
    const Value width = arg(p, 0, Value::integer(4));
    const QString indention = width.isString() ? width.str() : QString(std::max<qint64>(0, needInt(width, QStringLiteral("width"))), QLatin1Char(' '));
    if (value.isUndefined()) failUndefined(value);
    if (value.isList() && value.listData()->kind == ListData::List)
      runtimeError(QStringLiteral("'list' object has no attribute 'splitlines'"));
    if (!value.isString())
      runtimeError(QStringLiteral("unsupported operand type(s) for +=: '%1' and 'str'").arg(value.typeName()));
    const QString s = str() + QLatin1Char('\n');
    QStringList lines = py::splitLines(s);
    QString rv;
    if (arg(p, 2, Value::boolean(false)).truthy()) {
      rv = lines.join(QLatin1Char('\n') + indention);
    } else {
      rv = lines.isEmpty() ? QString() : lines.takeFirst();
      if (!lines.isEmpty()) {
        QStringList indented;
        for (const QString& line : lines) indented << (line.isEmpty() ? line : indention + line);
        rv += QLatin1Char('\n') + indented.join(QLatin1Char('\n'));
      }
    }
    if (arg(p, 1, Value::boolean(false)).truthy()) rv = indention + rv;
    return Value::string(rv);
  }
  if (name == QLatin1String("format")) {
    if (!a.positional.empty() && !a.keywords.empty())
      filterArgs(name, QStringLiteral("can't handle positional and keyword arguments at the same time"));
    if (!a.keywords.empty()) {
      auto d = std::make_shared<DictData>();
      for (const auto& [k, v] : a.keywords) d->set(k, v);
      return Value::string(percentFormat(str(), Value::dict(d)));
    }
    return Value::string(percentFormat(str(), Value::list(a.positional, ListData::Tuple)));
  }
  if (name == QLatin1String("first")) {
    bind({});
    if (value.isUndefined()) return Value::undefined(QStringLiteral("No first item, sequence was empty."));
    const std::vector<Value> items = iterate(value);
    return items.empty() ? Value::undefined(QStringLiteral("No first item, sequence was empty.")) : items.front();
  }
  if (name == QLatin1String("last")) {
    bind({});
    if (value.isList() && value.listData()->kind == ListData::Iterator)
      runtimeError(QStringLiteral("'generator' object is not reversible"));
    const std::vector<Value> items = iterate(value);
    return items.empty() ? Value::undefined(QStringLiteral("No last item, sequence was empty.")) : items.back();
  }
  if (name == QLatin1String("list")) {
    bind({});
    return Value::list(iterate(value));
  }
  if (name == QLatin1String("items")) {
    bind({});
    if (value.isUndefined()) return generator({});
    if (!value.isMapping()) runtimeError(QStringLiteral("Can only get item pairs from a mapping."));
    std::vector<Value> out;
    for (const auto& [k, v] : value.dictData()->items) out.push_back(Value::list({Value::string(k), v}, ListData::Tuple));
    return generator(std::move(out));
  }
  if (name == QLatin1String("dictsort")) {
    const Args p = bind({"case_sensitive", "by", "reverse"});
    if (!value.isMapping()) runtimeError(QStringLiteral("dictsort needs a mapping, got %1").arg(value.typeName()));
    const QString by = arg(p, 1, Value::string(QStringLiteral("key"))).toStr();
    if (by != QLatin1String("key") && by != QLatin1String("value"))
      filterArgs(name, QStringLiteral("You can only sort by either \"key\" or \"value\""));
    const bool caseSensitive = arg(p, 0, Value::boolean(false)).truthy();
    const int pos = by == QLatin1String("key") ? 0 : 1;
    std::vector<Value> items;
    for (const auto& [k, v] : value.dictData()->items) items.push_back(Value::list({Value::string(k), v}, ListData::Tuple));
    return Value::list(sorted(std::move(items), [caseSensitive, pos](const Value& item) {
      const Value k = item.items()[size_t(pos)];
      return caseSensitive ? k : ignoreCase(k);
    }, arg(p, 2, Value::boolean(false)).truthy()));
  }
  if (name == QLatin1String("sort")) {
    const Args p = bind({"reverse", "case_sensitive", "attribute"});
    return Value::list(sorted(iterate(value), keyFunction(arg(p, 2, Value::none()), arg(p, 1, Value::boolean(false)).truthy()),
                              arg(p, 0, Value::boolean(false)).truthy()));
  }
  if (name == QLatin1String("unique")) {
    const Args p = bind({"case_sensitive", "attribute"});
    const auto key = keyFunction(arg(p, 1, Value::none()), arg(p, 0, Value::boolean(false)).truthy());
    std::vector<Value> seen, out;
    for (const Value& item : iterate(value)) {
      const Value k = key(item);
      if ((k.isList() && k.listData()->kind == ListData::List) || k.isMapping())
        runtimeError(QStringLiteral("unhashable type: '%1'").arg(k.typeName()));
      if (std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return s.equals(k); })) continue;
      seen.push_back(k);
      out.push_back(item);
    }
    return generator(std::move(out));
  }
  if (name == QLatin1String("reverse")) {
    bind({});
    if (value.isString()) {
      QList<char32_t> cps = py::codePoints(value.str());
      std::reverse(cps.begin(), cps.end());
      return Value::string(py::fromCodePoints(cps));
    }
    std::vector<Value> items = iterate(value);
    std::reverse(items.begin(), items.end());
    const bool wasGenerator = value.isList() && value.listData()->kind == ListData::Iterator;
    return Value::list(std::move(items), wasGenerator ? ListData::List : ListData::Iterator);
  }
  if (name == QLatin1String("join")) {
    const Args p = bind({"d", "attribute"});
    const Value attribute = arg(p, 1, Value::none());
    QStringList parts;
    for (const Value& item : iterate(value))
      parts << (attribute.isNone() ? item : attributePath(item, attribute)).toStr();
    return Value::string(parts.join(arg(p, 0, Value::string(QString())).toStr()));
  }
  if (name == QLatin1String("map")) {
    std::vector<Value> out;
    if (!value.truthy()) return generator({});
    if (a.positional.empty()) {
      const Args p = bind({"attribute", "default"});
      if (!p[0]) filterArgs(name, QStringLiteral("needs a filter name or attribute="));
      for (const Value& item : iterate(value)) out.push_back(attributePath(item, *p[0], arg(p, 1, Value::none())));
      return generator(std::move(out));
    }
    const QString filter = a.positional[0].toStr();
    if (filterStatus(filter) != Builtin::Supported) runtimeError(QStringLiteral("No filter named '%1'.").arg(filter));
    CallArgs rest;
    rest.positional.assign(a.positional.begin() + 1, a.positional.end());
    rest.keywords = a.keywords;
    for (const Value& item : iterate(value)) out.push_back(applyFilter(in, filter, item, rest));
    return generator(std::move(out));
  }
  if (name == QLatin1String("select") || name == QLatin1String("reject") || name == QLatin1String("selectattr") ||
      name == QLatin1String("rejectattr")) {
    if (!value.truthy()) return generator({});
    const bool byAttr = name.endsWith(QLatin1String("attr"));
    const bool keep = name.startsWith(QLatin1String("select"));
    size_t off = 0;
    Value attribute;
    if (byAttr) {
      if (a.positional.empty()) filterArgs(name, QStringLiteral("Missing parameter for attribute name"));
      attribute = a.positional[0];
      off = 1;
    }
    QString test;
    CallArgs rest;
    if (a.positional.size() > off) {
      test = a.positional[off].toStr();
      if (testStatus(test) != Builtin::Supported) runtimeError(QStringLiteral("No test named '%1'.").arg(test));
      rest.positional.assign(a.positional.begin() + long(off) + 1, a.positional.end());
      rest.keywords = a.keywords;
    }
    std::vector<Value> out;
    for (const Value& item : iterate(value)) {
      const Value subject = byAttr ? attributePath(item, attribute) : item;
      const bool ok = test.isEmpty() ? subject.truthy() : applyTest(in, test, subject, rest);
      if (ok == keep) out.push_back(item);
    }
    return generator(std::move(out));
  }
  if (name == QLatin1String("batch")) {
    const Args p = bind({"linecount", "fill_with"});
    const qint64 count = needInt(arg(p, 0, Value()), QStringLiteral("linecount"));
    if (count <= 0) filterArgs(name, QStringLiteral("linecount must be positive"));
    std::vector<Value> out, tmp;
    for (const Value& item : iterate(value)) {
      if (qint64(tmp.size()) == count) {
        out.push_back(Value::list(std::move(tmp)));
        tmp.clear();
      }
      tmp.push_back(item);
    }
    if (!tmp.empty()) {
      const Value fill = arg(p, 1, Value::none());
      if (!fill.isNone())
        while (qint64(tmp.size()) < count) tmp.push_back(fill);
      out.push_back(Value::list(std::move(tmp)));
    }
    return generator(std::move(out));
  }
  if (name == QLatin1String("max") || name == QLatin1String("min")) {
    const Args p = bind({"case_sensitive", "attribute"});
    const std::vector<Value> items = iterate(value);
    if (items.empty()) return Value::undefined(QStringLiteral("No aggregated item, sequence was empty."));
    const auto key = keyFunction(arg(p, 1, Value::none()), arg(p, 0, Value::boolean(false)).truthy());
    size_t best = 0;
    Value bestKey = key(items[0]);
    for (size_t i = 1; i < items.size(); ++i) {
      const Value k = key(items[i]);
      if (name == QLatin1String("max") ? lessThan(bestKey, k) : lessThan(k, bestKey)) {
        best = i;
        bestKey = k;
      }
    }
    return items[best];
  }
  if (name == QLatin1String("sum")) {
    const Args p = bind({"attribute", "start"});
    const Value attribute = arg(p, 0, Value::none());
    Value total = arg(p, 1, Value::integer(0));
    for (const Value& item : iterate(value))
      total = binaryOp(QStringLiteral("+"), total, attribute.isNone() ? item : attributePath(item, attribute));
    return total;
  }
  if (name == QLatin1String("abs")) {
    bind({});
    if (value.isUndefined()) failUndefined(value);
    if (value.isFloat()) return Value::real(std::fabs(value.toDouble()));
    if (value.isInt() || value.isBool()) return Value::integer(value.toInt() < 0 ? -value.toInt() : value.toInt());
    runtimeError(QStringLiteral("bad operand type for abs(): '%1'").arg(value.typeName()));
  }
  if (name == QLatin1String("int")) {
    const Args p = bind({"default", "base"});
    const Value def = arg(p, 0, Value::integer(0));
    if (value.isUndefined()) failUndefined(value);
    if (value.isInt() || value.isBool()) return Value::integer(value.toInt());
    if (value.isFloat()) {
      const double d = value.toDouble();
      if (std::isnan(d) || std::isinf(d) || std::fabs(d) >= 9.2e18) return def;
      return Value::integer(qint64(d));
    }
    if (value.isString()) {
      if (auto i = parseInt(value.str(), int(needInt(arg(p, 1, Value::integer(10)), QStringLiteral("base"))))) return Value::integer(*i);
      if (auto f = parseFloat(value.str()); f && !std::isnan(*f) && !std::isinf(*f) && std::fabs(*f) < 9.2e18)
        return Value::integer(qint64(*f));
    }
    return def;
  }
  if (name == QLatin1String("float")) {
    const Args p = bind({"default"});
    if (value.isUndefined()) failUndefined(value);
    if (value.isNumber()) return Value::real(value.toDouble());
    if (value.isString())
      if (auto f = parseFloat(value.str())) return Value::real(*f);
    return arg(p, 0, Value::real(0));
  }
  if (name == QLatin1String("round")) {
    const Args p = bind({"precision", "method"});
    const qint64 precision = needInt(arg(p, 0, Value::integer(0)), QStringLiteral("precision"));
    const QString method = arg(p, 1, Value::string(QStringLiteral("common"))).toStr();
    if (value.isUndefined()) failUndefined(value);
    if (!value.isNumber()) runtimeError(QStringLiteral("type %1 doesn't define __round__ method").arg(value.typeName()));
    if (method == QLatin1String("common")) {
      if (!value.isFloat()) return Value::integer(value.toInt());
      if (auto r = roundHalfEven(value.toDouble(), precision)) return Value::real(*r);
      unsupported(QStringLiteral("round() with negative precision"));
    }
    if (method != QLatin1String("ceil") && method != QLatin1String("floor"))
      filterArgs(name, QStringLiteral("method must be common, ceil or floor"));
    const double scale = std::pow(10.0, double(precision));
    const double scaled = value.toDouble() * scale;
    return Value::real((method == QLatin1String("ceil") ? std::ceil(scaled) : std::floor(scaled)) / scale);
  }
  if (name == QLatin1String("attr")) {
    const Args p = bind({"name"});
    const QString attribute = arg(p, 0, Value()).toStr();
    if (value.isUndefined()) failUndefined(value);
    if (std::optional<Value> v = pythonAttribute(value, attribute)) return *v;
    return missingAttribute(value, attribute);
  }
  unsupported(QStringLiteral("filter '%1'").arg(name));
}

// ---- tests ----

Builtin testStatus(const QString& name) {
  static const QSet<QString> supported = {
      QStringLiteral("boolean"), QStringLiteral("callable"), QStringLiteral("defined"), QStringLiteral("divisibleby"),
      QStringLiteral("eq"), QStringLiteral("equalto"), QStringLiteral("escaped"), QStringLiteral("even"),
      QStringLiteral("false"), QStringLiteral("filter"), QStringLiteral("float"), QStringLiteral("ge"),
      QStringLiteral("greaterthan"), QStringLiteral("gt"), QStringLiteral("in"), QStringLiteral("integer"),
      QStringLiteral("iterable"), QStringLiteral("le"), QStringLiteral("lessthan"), QStringLiteral("lower"),
      QStringLiteral("lt"), QStringLiteral("mapping"), QStringLiteral("ne"), QStringLiteral("none"),
      QStringLiteral("number"), QStringLiteral("odd"), QStringLiteral("sameas"), QStringLiteral("sequence"),
      QStringLiteral("string"), QStringLiteral("test"), QStringLiteral("true"), QStringLiteral("undefined"),
      QStringLiteral("upper"), QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<"),
      QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=")};
  return supported.contains(name) ? Builtin::Supported : Builtin::Unknown;
}

bool applyTest(Interpreter&, const QString& name, const Value& v, const CallArgs& a) {
  if (testStatus(name) != Builtin::Supported) runtimeError(QStringLiteral("No test named '%1' found.").arg(name));
  auto other = [&]() {
    const Args p = a.bind(name, {"other"});
    if (!p[0]) runtimeError(QStringLiteral("test '%1' needs an argument").arg(name));
    return *p[0];
  };
  auto none = [&] { a.bind(name, {}); };
  if (name == QLatin1String("defined")) return none(), !v.isUndefined();
  if (name == QLatin1String("undefined")) return none(), v.isUndefined();
  if (name == QLatin1String("none")) return none(), v.isNone();
  if (name == QLatin1String("string")) return none(), v.isString();
  if (name == QLatin1String("mapping")) return none(), v.isMapping();
  if (name == QLatin1String("number")) return none(), v.isNumber();
  if (name == QLatin1String("integer")) return none(), v.isInt();
  if (name == QLatin1String("float")) return none(), v.isFloat();
  if (name == QLatin1String("boolean")) return none(), v.isBool();
  if (name == QLatin1String("true")) return none(), v.isBool() && v.toBool();
  if (name == QLatin1String("false")) return none(), v.isBool() && !v.toBool();
  if (name == QLatin1String("iterable"))
    return none(), v.isUndefined() || v.isString() || v.isList() || v.isMapping() ||
                       (v.isDict() && v.dictData()->kind == DictData::Loop);
  if (name == QLatin1String("sequence"))
    return none(), v.isUndefined() || v.isString() || v.isMapping() ||
                       (v.isList() && v.listData()->kind != ListData::Iterator);
  if (name == QLatin1String("callable"))
    return none(), v.isFunction() || v.isUndefined() || (v.isDict() && v.dictData()->kind == DictData::Loop);
  if (name == QLatin1String("escaped")) return none(), false;
  if (name == QLatin1String("lower")) return none(), pyIsLower(v.toStr(), false);
  if (name == QLatin1String("upper")) return none(), pyIsLower(v.toStr(), true);
  if (name == QLatin1String("odd") || name == QLatin1String("even")) {
    none();
    const Value m = binaryOp(QStringLiteral("%"), v, Value::integer(2));
    return m.equals(Value::integer(name == QLatin1String("odd") ? 1 : 0));
  }
  if (name == QLatin1String("divisibleby"))
    return binaryOp(QStringLiteral("%"), v, other()).equals(Value::integer(0));
  if (name == QLatin1String("eq") || name == QLatin1String("equalto") || name == QLatin1String("=="))
    return v.equals(other());
  if (name == QLatin1String("ne") || name == QLatin1String("!=")) return !v.equals(other());
  if (name == QLatin1String("lt") || name == QLatin1String("lessthan") || name == QLatin1String("<"))
    return lessThan(v, other());
  if (name == QLatin1String("gt") || name == QLatin1String("greaterthan") || name == QLatin1String(">"))
    return lessThan(other(), v);
  if (name == QLatin1String("le") || name == QLatin1String("<=")) {
    const Value o = other();
    return lessThan(v, o) || v.equals(o);
  }
  if (name == QLatin1String("ge") || name == QLatin1String(">=")) {
    const Value o = other();
    return lessThan(o, v) || v.equals(o);
  }
  if (name == QLatin1String("in")) return contains(other(), v);
  if (name == QLatin1String("sameas")) return v.identical(other());
  if (name == QLatin1String("filter")) return none(), v.isString() && filterStatus(v.str()) == Builtin::Supported;
  if (name == QLatin1String("test")) return none(), v.isString() && testStatus(v.str()) == Builtin::Supported;
  unsupported(QStringLiteral("test '%1'").arg(name));
}

// ---- globals ----

void installGlobals(DictData& g, const QDateTime& now) {
  g.set(QStringLiteral("range"), Value::function(QStringLiteral("range"), [](Interpreter&, const CallArgs& a) {
          if (!a.keywords.empty()) runtimeError(QStringLiteral("range() takes no keyword arguments"));
          const size_t n = a.positional.size();
          if (n < 1 || n > 3) runtimeError(QStringLiteral("range expected 1 to 3 arguments, got %1").arg(n));
          qint64 start = 0, stop = 0, step = 1;
          if (n == 1) stop = needInt(a.positional[0], QStringLiteral("range()"));
          else {
            start = needInt(a.positional[0], QStringLiteral("range()"));
            stop = needInt(a.positional[1], QStringLiteral("range()"));
            if (n == 3) step = needInt(a.positional[2], QStringLiteral("range()"));
          }
          if (step == 0) runtimeError(QStringLiteral("range() arg 3 must not be zero"));
          std::vector<Value> out;
          for (qint64 i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= 100000)
              runtimeError(QStringLiteral("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."));
            out.push_back(Value::integer(i));
          }
          return Value::list(std::move(out));
        }));
  auto makeDict = [](const CallArgs& a, DictData::Kind kind, const char* what) {
    auto d = std::make_shared<DictData>();
    d->kind = kind;
    if (a.positional.size() > 1) runtimeError(QStringLiteral("%1 expected at most 1 argument").arg(QLatin1String(what)));
    if (!a.positional.empty()) {
      const Value& src = a.positional[0];
      if (src.isUndefined()) failUndefined(src);
      if (src.isMapping()) {
        d->items = src.dictData()->items;
      } else {
        for (const Value& pair : iterate(src)) {
          if (!pair.isList() || pair.items().size() != 2 || !pair.items()[0].isString())
            runtimeError(QStringLiteral("%1 needs (key, value) pairs with string keys").arg(QLatin1String(what)));
          d->set(pair.items()[0].str(), pair.items()[1]);
        }
      }
    }
    for (const auto& [k, v] : a.keywords) d->set(k, v);
    return Value::dict(d);
  };
  g.set(QStringLiteral("dict"), Value::function(QStringLiteral("dict"), [makeDict](Interpreter&, const CallArgs& a) {
          return makeDict(a, DictData::Dict, "dict");
        }));
  g.set(QStringLiteral("namespace"), Value::function(QStringLiteral("namespace"), [makeDict](Interpreter& in, const CallArgs& a) {
          const Value ns = makeDict(a, DictData::Namespace, "namespace");
          in.track(ns.dictData());
          return ns;
        }));
  g.set(QStringLiteral("raise_exception"), Value::function(QStringLiteral("raise_exception"), [](Interpreter&, const CallArgs& a) -> Value {
          const Args p = a.bind(QStringLiteral("raise_exception"), {"message"});
          throw TemplateError(TemplateError::Raised, QString(), arg(p, 0, Value()).toStr());
        }));
  g.set(QStringLiteral("strftime_now"), Value::function(QStringLiteral("strftime_now"), [now](Interpreter&, const CallArgs& a) {
          const Args p = a.bind(QStringLiteral("strftime_now"), {"format"});
          return Value::string(strftimeC(now, needString(arg(p, 0, Value()), QStringLiteral("strftime_now() format"))));
        }));
  for (const char* name : {"lipsum", "cycler", "joiner"}) {
    const QString n = QString::fromLatin1(name);
    g.set(n, Value::function(n, [n](Interpreter&, const CallArgs&) -> Value { unsupported(n + QStringLiteral("()")); }));
  }
}

}  // namespace distillery::jinja
