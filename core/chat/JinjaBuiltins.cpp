#include "chat/JinjaBuiltins.h"

#include "chat/JinjaError.h"
#include "chat/JinjaInterpreter.h"
#include "chat/PyText.h"

#include <QtCore/QSet>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <ctime>
#include <locale.h>

namespace distillery::jinja {

namespace {

using Args = std::vector<std::optional<Value>>;

Value arg(const Args& a, size_t i, const Value& def) { return a[i] ? *a[i] : def; }

QString objectTypeRepr(const Value& v) {
  if (v.isNone()) return QStringLiteral("None");
  return v.typeName() + QStringLiteral(" object");
}

Value missingAttribute(const Value& obj, const QString& name) {
  return Value::undefined(QStringLiteral("'%1' has no attribute '%2'").arg(objectTypeRepr(obj), name));
}

Value unsafeAttribute(const Value& obj, const QString& name) {
  return Value::undefined(QStringLiteral("access to attribute '%1' of '%2' object is unsafe.").arg(name, obj.typeName()));
}

QString needString(const Value& v, const QString& what) {
  if (v.isUndefined()) failUndefined(v);
  if (!v.isString()) runtimeError(QStringLiteral("%1 must be str, not %2").arg(what, v.typeName()));
  return v.str();
}

qint64 needInt(const Value& v, const QString& what) {
  if (v.isUndefined()) failUndefined(v);
  if (!v.isInt() && !v.isBool())
    runtimeError(QStringLiteral("%1: '%2' object cannot be interpreted as an integer").arg(what, v.typeName()));
  return v.toInt();
}

std::optional<QString> optString(const Value& v, const QString& what) {
  if (v.isNone()) return std::nullopt;
  return needString(v, what);
}

Value strList(const QStringList& parts) {
  std::vector<Value> items;
  for (const QString& p : parts) items.push_back(Value::string(p));
  return Value::list(std::move(items));
}

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

bool pyIsLower(const QString& s, bool upper) {
  bool cased = false;
  for (char32_t c : py::codePoints(s)) {
    if (upper ? QChar::isLower(c) || QChar::isTitleCase(c) : QChar::isUpper(c) || QChar::isTitleCase(c))
      return false;
    if (upper ? QChar::isUpper(c) : QChar::isLower(c)) cased = true;
  }
  return cased;
}

template <typename Pred>
bool allChars(const QString& s, Pred pred) {
  const QList<char32_t> cps = py::codePoints(s);
  if (cps.isEmpty()) return false;
  return std::all_of(cps.begin(), cps.end(), pred);
}

Value indexOf(const std::vector<Value>& items, const Value& x, const QString& what) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].equals(x)) return Value::integer(qint64(i));
  runtimeError(QStringLiteral("%1 is not in %2").arg(x.repr(), what));
}

// str.format() with positional/keyword fields and no format specs (what the sandbox's formatter allows
// templates, minus the spec mini-language, which chat templates do not use).
QString pyFormat(const QString& fmt, const CallArgs& a) {
  QString out;
  size_t autoIndex = 0;
  for (qsizetype i = 0; i < fmt.size(); ++i) {
    const QChar c = fmt[i];
    if (c == QLatin1Char('}')) {
      if (i + 1 < fmt.size() && fmt[i + 1] == QLatin1Char('}')) {
        out += c;
        ++i;
        continue;
      }
      runtimeError(QStringLiteral("Single '}' encountered in format string"));
    }
    if (c != QLatin1Char('{')) {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == QLatin1Char('{')) {
      out += c;
      ++i;
      continue;
    }
    const qsizetype close = fmt.indexOf(QLatin1Char('}'), i);
    if (close < 0) runtimeError(QStringLiteral("Single '{' encountered in format string"));
    QString field = fmt.mid(i + 1, close - i - 1);
    i = close;
    bool useRepr = false;
    if (field.endsWith(QLatin1String("!r"))) {
      useRepr = true;
      field.chop(2);
    } else if (field.endsWith(QLatin1String("!s"))) {
      field.chop(2);
    }
    if (field.contains(QLatin1Char(':')) || field.contains(QLatin1Char('.')) || field.contains(QLatin1Char('[')))
      unsupported(QStringLiteral("str.format() field '{%1}'").arg(field));
    Value v;
    bool isIndex = false;
    const qsizetype index = field.toLongLong(&isIndex);
    if (field.isEmpty() || isIndex) {
      const size_t k = field.isEmpty() ? autoIndex++ : size_t(index);
      if (k >= a.positional.size()) runtimeError(QStringLiteral("Replacement index %1 out of range for positional args tuple").arg(k));
      v = a.positional[k];
    } else {
      bool found = false;
      for (const auto& [key, value] : a.keywords)
        if (key == field) {
          v = value;
          found = true;
        }
      if (!found) runtimeError(QStringLiteral("KeyError: '%1'").arg(field));
    }
    out += useRepr ? v.repr() : v.toStr();
  }
  return out;
}

QString center(const QString& s, qint64 width, QChar fill, int mode /*0 center, 1 ljust, 2 rjust*/) {
  const qint64 len = py::length(s);
  if (width <= len) return s;
  const qint64 marg = width - len;
  qint64 left = 0;
  if (mode == 0) left = marg / 2 + (marg & width & 1);
  else if (mode == 2) left = marg;
  return QString(left, fill) + s + QString(marg - left, fill);
}

// A bound method of a str, dict or list; nullopt when Python's getattr would raise AttributeError.
std::optional<Value> pythonAttribute(const Value& obj, const QString& name) {
  auto bound = [&](std::function<Value(const CallArgs&)> f) {
    const QString qualified = obj.typeName() + QLatin1Char('.') + name;
    return Value::function(qualified, [f = std::move(f)](Interpreter&, const CallArgs& a) { return f(a); });
  };
  if (obj.isDict()) {
    const auto d = obj.dictData();
    if (d->kind != DictData::Dict) {
      if (const Value* v = d->find(name)) return *v;
      return std::nullopt;
    }
    if (name == QLatin1String("get"))
      return bound([d](const CallArgs& a) {
        const Args p = a.bind(QStringLiteral("get"), {"key", "default"});
        if (!p[0]) runtimeError(QStringLiteral("get expected at least 1 argument, got 0"));
        const Value key = *p[0];
        if (key.isString())
          if (const Value* v = d->find(key.str())) return *v;
        return arg(p, 1, Value::none());
      });
    if (name == QLatin1String("items") || name == QLatin1String("keys") || name == QLatin1String("values")) {
      const int which = name == QLatin1String("items") ? 0 : name == QLatin1String("keys") ? 1 : 2;
      return bound([d, which](const CallArgs& a) {
        a.bind(QStringLiteral("items"), {});
        std::vector<Value> out;
        for (const auto& [k, v] : d->items) {
          if (which == 0) out.push_back(Value::list({Value::string(k), v}, ListData::Tuple));
          else out.push_back(which == 1 ? Value::string(k) : v);
        }
        return Value::list(std::move(out));
      });
    }
    if (name == QLatin1String("copy"))
      return bound([d](const CallArgs&) { return Value::dict(std::make_shared<DictData>(*d)); });
    static const QSet<QString> mutators = {QStringLiteral("pop"), QStringLiteral("popitem"), QStringLiteral("setdefault"),
                                           QStringLiteral("update"), QStringLiteral("clear"), QStringLiteral("fromkeys")};
    if (mutators.contains(name)) return unsafeAttribute(obj, name);
    return std::nullopt;
  }
  if (obj.isList()) {
    if (obj.listData()->kind == ListData::Iterator) return std::nullopt;
    const auto items = obj.listData();
    if (name == QLatin1String("index"))
      return bound([items](const CallArgs& a) {
        const Args p = a.bind(QStringLiteral("index"), {"value"});
        return indexOf(items->items, arg(p, 0, Value()), QStringLiteral("list"));
      });
    if (name == QLatin1String("count"))
      return bound([items](const CallArgs& a) {
        const Args p = a.bind(QStringLiteral("count"), {"value"});
        qint64 n = 0;
        for (const Value& v : items->items) n += v.equals(arg(p, 0, Value())) ? 1 : 0;
        return Value::integer(n);
      });
    if (name == QLatin1String("copy") && items->kind == ListData::List)
      return bound([items](const CallArgs&) { return Value::list(items->items); });
    static const QSet<QString> mutators = {QStringLiteral("append"), QStringLiteral("extend"), QStringLiteral("insert"),
                                           QStringLiteral("pop"), QStringLiteral("remove"), QStringLiteral("reverse"),
                                           QStringLiteral("sort"), QStringLiteral("clear")};
    if (items->kind == ListData::List && mutators.contains(name)) return unsafeAttribute(obj, name);
    return std::nullopt;
  }
  if (!obj.isString()) return std::nullopt;
  const QString s = obj.str();
  if (name == QLatin1String("strip") || name == QLatin1String("lstrip") || name == QLatin1String("rstrip")) {
    const bool left = name != QLatin1String("rstrip"), right = name != QLatin1String("lstrip");
    return bound([s, left, right, name](const CallArgs& a) {
      const Args p = a.bind(name, {"chars"});
      return Value::string(py::strip(s, optString(arg(p, 0, Value::none()), name + QStringLiteral("() arg")), left, right));
    });
  }
  if (name == QLatin1String("split") || name == QLatin1String("rsplit")) {
    const bool right = name == QLatin1String("rsplit");
    return bound([s, right, name](const CallArgs& a) {
      const Args p = a.bind(name, {"sep", "maxsplit"});
      const std::optional<QString> sep = optString(arg(p, 0, Value::none()), QStringLiteral("separator"));
      if (sep && sep->isEmpty()) runtimeError(QStringLiteral("empty separator"));
      const qint64 maxsplit = needInt(arg(p, 1, Value::integer(-1)), QStringLiteral("maxsplit"));
      return strList(right ? py::rsplit(s, sep, maxsplit) : py::split(s, sep, maxsplit));
    });
  }
  if (name == QLatin1String("splitlines"))
    return bound([s](const CallArgs& a) {
      const Args p = a.bind(QStringLiteral("splitlines"), {"keepends"});
      return strList(py::splitLines(s, arg(p, 0, Value::boolean(false)).truthy()));
    });
  if (name == QLatin1String("startswith") || name == QLatin1String("endswith")) {
    const bool start = name == QLatin1String("startswith");
    return bound([s, start, name](const CallArgs& a) {
      const Args p = a.bind(name, {"prefix", "start", "end"});
      const Value what = arg(p, 0, Value());
      QString target = s;
      if (p[1] || p[2]) target = getSlice(Value::string(s), arg(p, 1, Value::none()), arg(p, 2, Value::none()), Value::none()).str();
      std::vector<Value> options = what.isList() && what.listData()->kind == ListData::Tuple ? what.items() : std::vector<Value>{what};
      for (const Value& o : options) {
        if (!o.isString())
          runtimeError(QStringLiteral("%1 first arg must be str or a tuple of str, not %2").arg(name, o.typeName()));
        if (start ? target.startsWith(o.str()) : target.endsWith(o.str())) return Value::boolean(true);
      }
      return Value::boolean(false);
    });
  }
  using StrFn = QString (*)(const QString&);
  static const std::vector<std::pair<const char*, StrFn>> simple = {
      {"upper", &py::upper}, {"lower", &py::lower}, {"title", &py::title}, {"capitalize", &py::capitalize},
      {"casefold", &py::lower},
      {"swapcase", [](const QString& x) {
         QString out;
         for (QChar c : x) out += c.isUpper() ? c.toLower() : c.isLower() ? c.toUpper() : c;
         return out;
       }}};
  for (const auto& [n, f] : simple)
    if (name == QLatin1String(n))
      return bound([s, f, name](const CallArgs& a) {
        a.bind(name, {});
        return Value::string(f(s));
      });
  if (name == QLatin1String("replace"))
    return bound([s](const CallArgs& a) {
      const Args p = a.bind(QStringLiteral("replace"), {"old", "new", "count"});
      return Value::string(py::replace(s, needString(arg(p, 0, Value()), QStringLiteral("replace() argument 1")),
                                       needString(arg(p, 1, Value()), QStringLiteral("replace() argument 2")),
                                       needInt(arg(p, 2, Value::integer(-1)), QStringLiteral("count"))));
    });
  if (name == QLatin1String("find") || name == QLatin1String("rfind") || name == QLatin1String("index") ||
      name == QLatin1String("rindex")) {
    const bool right = name.startsWith(QLatin1Char('r'));
    const bool raises = name.endsWith(QLatin1String("index"));
    return bound([s, right, raises, name](const CallArgs& a) {
      const Args p = a.bind(name, {"sub", "start", "end"});
      const QString sub = needString(arg(p, 0, Value()), name + QStringLiteral("() argument"));
      qint64 offset = 0;
      QString hay = s;
      if (p[1] || p[2]) {
        const qint64 n = py::length(s);
        qint64 b = p[1] && !p[1]->isNone() ? needInt(*p[1], QStringLiteral("start")) : 0;
        if (b < 0) b = std::max<qint64>(0, b + n);
        offset = std::min(b, n);
        hay = getSlice(Value::string(s), arg(p, 1, Value::none()), arg(p, 2, Value::none()), Value::none()).str();
      }
      const qsizetype at = py::find(hay, sub, right);
      if (at < 0 && raises) runtimeError(QStringLiteral("substring not found"));
      return Value::integer(at < 0 ? -1 : offset + at);
    });
  }
  if (name == QLatin1String("count"))
    return bound([s](const CallArgs& a) {
      const Args p = a.bind(QStringLiteral("count"), {"sub"});
      const QString sub = needString(arg(p, 0, Value()), QStringLiteral("count() argument"));
      if (sub.isEmpty()) return Value::integer(py::length(s) + 1);
      return Value::integer(s.count(sub));
    });
  if (name == QLatin1String("join"))
    return bound([s](const CallArgs& a) {
      const Args p = a.bind(QStringLiteral("join"), {"iterable"});
      QStringList parts;
      size_t i = 0;
      for (const Value& v : iterate(arg(p, 0, Value()))) {
        if (!v.isString())
          runtimeError(QStringLiteral("sequence item %1: expected str instance, %2 found").arg(i).arg(v.typeName()));
        parts << v.str();
        ++i;
      }
      return Value::string(parts.join(s));
    });
  if (name == QLatin1String("format"))
    return bound([s](const CallArgs& a) { return Value::string(pyFormat(s, a)); });
  if (name == QLatin1String("center") || name == QLatin1String("ljust") || name == QLatin1String("rjust")) {
    const int mode = name == QLatin1String("center") ? 0 : name == QLatin1String("ljust") ? 1 : 2;
    return bound([s, mode, name](const CallArgs& a) {
      const Args p = a.bind(name, {"width", "fillchar"});
      const QString fill = needString(arg(p, 1, Value::string(QStringLiteral(" "))), QStringLiteral("fillchar"));
      if (fill.size() != 1) runtimeError(QStringLiteral("The fill character must be exactly one character long"));
      return Value::string(center(s, needInt(arg(p, 0, Value()), QStringLiteral("width")), fill[0], mode));
    });
  }
  if (name == QLatin1String("zfill"))
    return bound([s](const CallArgs& a) {
      const Args p = a.bind(QStringLiteral("zfill"), {"width"});
      const qint64 width = needInt(arg(p, 0, Value()), QStringLiteral("width"));
      const qint64 len = py::length(s);
      if (width <= len) return Value::string(s);
      const bool sign = s.startsWith(QLatin1Char('+')) || s.startsWith(QLatin1Char('-'));
      const QString zeros(width - len, QLatin1Char('0'));
      return Value::string(sign ? QString(s.left(1) + zeros + s.mid(1)) : QString(zeros + s));
    });
  if (name == QLatin1String("partition") || name == QLatin1String("rpartition")) {
    const bool right = name == QLatin1String("rpartition");
    return bound([s, right, name](const CallArgs& a) {
      const Args p = a.bind(name, {"sep"});
      const QString sep = needString(arg(p, 0, Value()), QStringLiteral("separator"));
      if (sep.isEmpty()) runtimeError(QStringLiteral("empty separator"));
      const qsizetype at = right ? s.lastIndexOf(sep) : s.indexOf(sep);
      std::vector<Value> parts;
      if (at < 0) {
        parts = right ? std::vector<Value>{Value::string(QString()), Value::string(QString()), Value::string(s)}
                      : std::vector<Value>{Value::string(s), Value::string(QString()), Value::string(QString())};
      } else {
        parts = {Value::string(s.left(at)), Value::string(sep), Value::string(s.mid(at + sep.size()))};
      }
      return Value::list(std::move(parts), ListData::Tuple);
    });
  }
  if (name == QLatin1String("removeprefix") || name == QLatin1String("removesuffix")) {
    const bool prefix = name == QLatin1String("removeprefix");
    return bound([s, prefix, name](const CallArgs& a) {
      const Args p = a.bind(name, {"affix"});
      const QString affix = needString(arg(p, 0, Value()), name + QStringLiteral("() argument"));
      if (prefix && s.startsWith(affix)) return Value::string(s.mid(affix.size()));
      if (!prefix && !affix.isEmpty() && s.endsWith(affix)) return Value::string(s.left(s.size() - affix.size()));
      return Value::string(s);
    });
  }
  using Pred = bool (*)(char32_t);
  static const std::vector<std::pair<const char*, Pred>> predicates = {
      {"isdigit", [](char32_t c) { return QChar::isDigit(c); }},
      {"isdecimal", [](char32_t c) { return QChar::isDigit(c); }},
      {"isnumeric", [](char32_t c) { return QChar::isNumber(c); }},
      {"isalpha", [](char32_t c) { return QChar::isLetter(c); }},
      {"isalnum", [](char32_t c) { return QChar::isLetterOrNumber(c); }},
      {"isspace", [](char32_t c) { return py::isSpace(c); }}};
  for (const auto& [n, pred] : predicates)
    if (name == QLatin1String(n))
      return bound([s, pred = pred](const CallArgs&) { return Value::boolean(allChars(s, pred)); });
  if (name == QLatin1String("islower") || name == QLatin1String("isupper")) {
    const bool upper = name == QLatin1String("isupper");
    return bound([s, upper](const CallArgs&) { return Value::boolean(pyIsLower(s, upper)); });
  }
  return std::nullopt;
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

// ---- access ----

Value getAttr(const Value& obj, const QString& name) {
  if (obj.isUndefined()) failUndefined(obj);
  if (std::optional<Value> a = pythonAttribute(obj, name)) return *a;
  if (obj.isMapping())
    if (const Value* v = obj.dictData()->find(name)) return *v;
  return missingAttribute(obj, name);
}

Value getItem(const Value& obj, const Value& key) {
  if (obj.isUndefined()) failUndefined(obj);
  if (obj.isMapping()) {
    if (key.isString())
      if (const Value* v = obj.dictData()->find(key.str())) return *v;
  } else if ((key.isInt() || key.isBool()) && (obj.isString() || (obj.isList() && obj.listData()->kind != ListData::Iterator))) {
    qint64 i = key.toInt();
    if (obj.isString()) {
      const QList<char32_t> cps = py::codePoints(obj.str());
      const qint64 n = cps.size();
      if (i < 0) i += n;
      if (i >= 0 && i < n) return Value::string(QString::fromUcs4(&cps[i], 1));
    } else {
      const qint64 n = qint64(obj.items().size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return obj.items()[size_t(i)];
    }
  }
  if (key.isString()) {
    if (std::optional<Value> a = pythonAttribute(obj, key.str())) return *a;
    return missingAttribute(obj, key.str());
  }
  return Value::undefined(QStringLiteral("%1 has no element %2").arg(objectTypeRepr(obj), key.repr()));
}

Value getSlice(const Value& obj, const Value& startV, const Value& stopV, const Value& stepV) {
  if (obj.isUndefined()) failUndefined(obj);
  auto part = [](const Value& v) -> std::optional<qint64> {
    if (v.isNone()) return std::nullopt;
    if (!v.isInt() && !v.isBool())
      runtimeError(QStringLiteral("slice indices must be integers or None or have an __index__ method"));
    return v.toInt();
  };
  const bool isStr = obj.isString();
  // Jinja slices with Python's own subscript (not the sandbox's getitem), so bad targets raise.
  if (obj.isMapping()) runtimeError(QStringLiteral("unhashable type: 'slice'"));
  if (!isStr && !(obj.isList() && obj.listData()->kind != ListData::Iterator))
    runtimeError(QStringLiteral("'%1' object is not subscriptable").arg(obj.typeName()));
  const std::optional<qint64> s0 = part(startV), s1 = part(stopV), st = part(stepV);
  const qint64 step = st.value_or(1);
  if (step == 0) runtimeError(QStringLiteral("slice step cannot be zero"));
  QList<char32_t> cps;
  if (isStr) cps = py::codePoints(obj.str());
  const qint64 n = isStr ? cps.size() : qint64(obj.items().size());
  // PySlice_AdjustIndices
  auto adjust = [&](std::optional<qint64> v, qint64 defPos, qint64 defNeg) {
    if (!v) return step > 0 ? defPos : defNeg;
    qint64 x = *v;
    if (x < 0) {
      x += n;
      if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= n) {
      x = step < 0 ? n - 1 : n;
    }
    return x;
  };
  const qint64 start = adjust(s0, 0, n - 1);
  const qint64 stop = adjust(s1, n, -1);
  std::vector<qint64> idx;
  if (step > 0)
    for (qint64 i = start; i < stop; i += step) idx.push_back(i);
  else
    for (qint64 i = start; i > stop; i += step) idx.push_back(i);
  if (isStr) {
    QString out;
    for (qint64 i : idx) out += QString::fromUcs4(&cps[i], 1);
    return Value::string(out);
  }
  std::vector<Value> out;
  for (qint64 i : idx) out.push_back(obj.items()[size_t(i)]);
  return Value::list(std::move(out), obj.listData()->kind);
}

std::vector<Value> iterate(const Value& v) {
  switch (v.type()) {
    case Value::Type::Undefined: return {};
    case Value::Type::List:
      if (v.listData()->pendingError) runtimeError(*v.listData()->pendingError);
      return v.items();
    case Value::Type::String: {
      std::vector<Value> out;
      for (char32_t c : py::codePoints(v.str())) out.push_back(Value::string(QString::fromUcs4(&c, 1)));
      return out;
    }
    case Value::Type::Dict:
      if (v.isMapping()) {
        std::vector<Value> out;
        for (const auto& [k, x] : v.dictData()->items) out.push_back(Value::string(k));
        return out;
      }
      break;
    default: break;
  }
  runtimeError(QStringLiteral("'%1' object is not iterable").arg(v.typeName()));
}

// ---- printf-style formatting ----

QString percentFormat(const QString& fmt, const Value& args) {
  // Python: a tuple gives the arguments; anything else is one argument, and one that supports [] (a dict,
  // Jinja's Undefined) also serves %(key)s and lifts the "not all arguments converted" check.
  std::vector<Value> positional;
  std::shared_ptr<DictData> mapping;
  const bool mappingLike = args.isMapping() || args.isUndefined();
  if (args.isList() && args.listData()->kind == ListData::Tuple) positional = args.items();
  else positional = {args};
  if (args.isMapping()) mapping = args.dictData();
  size_t next = 0;
  QString out;
  for (qsizetype i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != QLatin1Char('%')) {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) runtimeError(QStringLiteral("incomplete format"));
    Value v;
    bool haveValue = false;
    if (fmt[i] == QLatin1Char('(')) {
      const qsizetype close = fmt.indexOf(QLatin1Char(')'), i);
      if (close < 0) runtimeError(QStringLiteral("incomplete format key"));
      if (args.isUndefined()) failUndefined(args);
      if (!mapping) runtimeError(QStringLiteral("format requires a mapping"));
      const QString key = fmt.mid(i + 1, close - i - 1);
      const Value* found = mapping->find(key);
      if (!found) runtimeError(QStringLiteral("KeyError: '%1'").arg(key));
      v = *found;
      haveValue = true;
      i = close + 1;
    }
    QString flags;
    while (i < fmt.size() && QStringLiteral("#0- +").contains(fmt[i])) flags += fmt[i++];
    auto number = [&]() -> qint64 {
      if (i < fmt.size() && fmt[i] == QLatin1Char('*')) {
        ++i;
        if (next >= positional.size()) runtimeError(QStringLiteral("not enough arguments for format string"));
        return needInt(positional[next++], QStringLiteral("* wants int"));
      }
      qint64 n = -1;
      while (i < fmt.size() && fmt[i].isDigit()) n = std::max<qint64>(n, 0) * 10 + fmt[i++].digitValue();
      return n;
    };
    const qint64 width = number();
    qint64 precision = -1;
    if (i < fmt.size() && fmt[i] == QLatin1Char('.')) {
      ++i;
      precision = std::max<qint64>(number(), 0);
    }
    while (i < fmt.size() && QStringLiteral("hlL").contains(fmt[i])) ++i;
    if (i >= fmt.size()) runtimeError(QStringLiteral("incomplete format"));
    const QChar conv = fmt[i];
    if (conv == QLatin1Char('%')) {
      out += QLatin1Char('%');
      continue;
    }
    if (!haveValue) {
      if (next >= positional.size()) runtimeError(QStringLiteral("not enough arguments for format string"));
      v = positional[next++];
    }
    QString text;
    const char c = char(conv.unicode());
    if (c == 's' || c == 'r' || c == 'a') {
      text = c == 's' ? v.toStr() : v.repr();
      if (precision >= 0) text = py::fromCodePoints(py::codePoints(text), 0, precision);
    } else if (c == 'c') {
      if (v.isString() && py::length(v.str()) == 1) text = v.str();
      else {
        const char32_t cp = char32_t(needInt(v, QStringLiteral("%c requires int or char")));
        text = QString::fromUcs4(&cp, 1);
      }
    } else if (QByteArray("diuoxXeEfFgG").contains(c)) {
      if (v.isUndefined()) failUndefined(v);
      if (!v.isNumber())
        runtimeError(QStringLiteral("%%%1 format: a real number is required, not %2").arg(QChar(c)).arg(v.typeName()));
      QByteArray spec = "%" + flags.toLatin1();
      if (width > 0) spec += QByteArray::number(std::min<qint64>(width, 400));
      if (precision >= 0) spec += "." + QByteArray::number(std::min<qint64>(precision, 400));
      char buf[2048];
      if (QByteArray("diuoxX").contains(c)) {
        const qint64 n = v.isFloat() ? qint64(v.toDouble()) : v.toInt();
        spec += QByteArray("ll") + (c == 'i' || c == 'u' ? 'd' : c);
        std::snprintf(buf, sizeof buf, spec.constData(), static_cast<long long>(n));
      } else {
        spec += c;
        std::snprintf(buf, sizeof buf, spec.constData(), v.toDouble());
      }
      text = QString::fromLatin1(buf);
    } else {
      unsupported(QStringLiteral("%-format conversion '%1'").arg(conv));
    }
    if (width > py::length(text)) {
      const QString pad(width - py::length(text), QLatin1Char(' '));
      text = flags.contains(QLatin1Char('-')) ? text + pad : pad + text;
    }
    out += text;
  }
  if (!mappingLike && next < positional.size())
    runtimeError(QStringLiteral("not all arguments converted during string formatting"));
  return out;
}

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
