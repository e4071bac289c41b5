#include "chat/JinjaObjects.h"

#include "chat/JinjaBuiltins.h"
#include "chat/JinjaError.h"
#include "chat/JinjaInterpreter.h"
#include "chat/PyText.h"

#include <QtCore/QSet>

#include <algorithm>

namespace distillery::jinja {

QString objectTypeRepr(const Value& v) {
  if (v.isNone()) return QStringLiteral("None");
  return v.typeName() + QStringLiteral(" object");
}

Value missingAttribute(const Value& obj, const QString& name) {
  return Value::undefined(QStringLiteral("'%1' has no attribute '%2'").arg(objectTypeRepr(obj), name));
}

static Value unsafeAttribute(const Value& obj, const QString& name) {
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

static std::optional<QString> optString(const Value& v, const QString& what) {
  if (v.isNone()) return std::nullopt;
  return needString(v, what);
}

static Value strList(const QStringList& parts) {
  std::vector<Value> items;
  for (const QString& p : parts) items.push_back(Value::string(p));
  return Value::list(std::move(items));
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
static bool allChars(const QString& s, Pred pred) {
  const QList<char32_t> cps = py::codePoints(s);
  if (cps.isEmpty()) return false;
  return std::all_of(cps.begin(), cps.end(), pred);
}

static Value indexOf(const std::vector<Value>& items, const Value& x, const QString& what) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].equals(x)) return Value::integer(qint64(i));
  runtimeError(QStringLiteral("%1 is not in %2").arg(x.repr(), what));
}

// str.format() with positional/keyword fields and no format specs (what the sandbox's formatter allows
// templates, minus the spec mini-language, which chat templates do not use).
static QString pyFormat(const QString& fmt, const CallArgs& a) {
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

QString center(const QString& s, qint64 width, QChar fill, int mode) {
  const qint64 len = py::length(s);
  if (width <= len) return s;
  const qint64 marg = width - len;
  qint64 left = 0;
  if (mode == 0) left = marg / 2 + (marg & width & 1);
  else if (mode == 2) left = marg;
  return QString(left, fill) + s + QString(marg - left, fill);
}

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

}  // namespace distillery::jinja
