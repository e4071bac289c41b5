#include "chat/JinjaValue.h"

#include "chat/JinjaError.h"
#include "chat/PyText.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QVariant>

#include <algorithm>
#include <cmath>

namespace distillery::jinja {

std::vector<std::optional<Value>> CallArgs::bind(const QString& function,
                                                 const std::vector<const char*>& names) const {
  std::vector<std::optional<Value>> out(names.size());
  if (positional.size() > names.size())
    runtimeError(QStringLiteral("%1() takes at most %2 arguments (%3 given)")
                     .arg(function).arg(names.size()).arg(positional.size()));
  for (size_t i = 0; i < positional.size(); ++i) out[i] = positional[i];
  for (const auto& [key, value] : keywords) {
    size_t i = 0;
    while (i < names.size() && key != QLatin1String(names[i])) ++i;
    if (i == names.size())
      runtimeError(QStringLiteral("%1() got an unexpected keyword argument '%2'").arg(function, key));
    if (out[i]) runtimeError(QStringLiteral("%1() got multiple values for argument '%2'").arg(function, key));
    out[i] = value;
  }
  return out;
}

const Value* DictData::find(const QString& key) const {
  for (const auto& [k, v] : items)
    if (k == key) return &v;
  return nullptr;
}

void DictData::set(const QString& key, const Value& value) {
  for (auto& [k, v] : items)
    if (k == key) {
      v = value;
      return;
    }
  items.emplace_back(key, value);
}

Value Value::undefined(const QString& hint) {
  Value v;
  v.s_ = hint;
  return v;
}

Value Value::none() {
  Value v;
  v.type_ = Type::None;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.type_ = Type::Bool;
  v.b_ = b;
  return v;
}

Value Value::integer(qint64 i) {
  Value v;
  v.type_ = Type::Int;
  v.i_ = i;
  return v;
}

Value Value::real(double d) {
  Value v;
  v.type_ = Type::Float;
  v.f_ = d;
  return v;
}

Value Value::string(const QString& s) {
  Value v;
  v.type_ = Type::String;
  v.s_ = s;
  return v;
}

Value Value::list(std::vector<Value> items, ListData::Kind kind) {
  Value v;
  v.type_ = Type::List;
  v.list_ = std::make_shared<ListData>();
  v.list_->items = std::move(items);
  v.list_->kind = kind;
  return v;
}

Value Value::dict(std::shared_ptr<DictData> d) {
  Value v;
  v.type_ = Type::Dict;
  v.dict_ = std::move(d);
  return v;
}

Value Value::emptyDict(DictData::Kind kind) {
  auto d = std::make_shared<DictData>();
  d->kind = kind;
  return dict(d);
}

Value Value::function(const QString& name, NativeFunction f) {
  Value v;
  v.type_ = Type::Function;
  v.fn_ = std::make_shared<Function>(Function{name, std::move(f)});
  return v;
}

Value Value::fromJson(const QJsonValue& j) {
  switch (j.type()) {
    case QJsonValue::Null: return none();
    case QJsonValue::Bool: return boolean(j.toBool());
    case QJsonValue::Double: {
      const QVariant var = j.toVariant();
      if (var.typeId() == QMetaType::LongLong || var.typeId() == QMetaType::Int) return integer(var.toLongLong());
      return real(j.toDouble());
    }
    case QJsonValue::String: return string(j.toString());
    case QJsonValue::Array: {
      std::vector<Value> items;
      for (const QJsonValue& e : j.toArray()) items.push_back(fromJson(e));
      return list(std::move(items));
    }
    case QJsonValue::Object: {
      auto d = std::make_shared<DictData>();
      const QJsonObject o = j.toObject();
      for (auto it = o.begin(); it != o.end(); ++it) d->items.emplace_back(it.key(), fromJson(it.value()));
      return dict(d);
    }
    case QJsonValue::Undefined: break;
  }
  return undefined();
}

namespace {

// A small JSON reader that keeps object keys in document order.
class JsonReader {
 public:
  explicit JsonReader(QByteArrayView text) : s_(text) {}

  Value document() {
    Value v = value(0);
    ws();
    if (p_ != s_.size()) fail("unexpected text after the JSON value");
    return v;
  }
  QString error;

 private:
  [[noreturn]] void fail(const char* what) {
    throw TemplateError(TemplateError::Syntax, QString(),
                        QString::fromLatin1(what) + QStringLiteral(" at byte %1").arg(p_));
  }
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_;
  }
  bool take(const char* word) {
    const qsizetype n = qsizetype(std::strlen(word));
    if (s_.size() - p_ >= n && s_.sliced(p_, n) == QByteArrayView(word, n)) {
      p_ += n;
      return true;
    }
    return false;
  }
  Value value(int depth) {
    if (depth > 512) fail("JSON nests too deeply");
    ws();
    if (p_ >= s_.size()) fail("unexpected end of JSON");
    const char c = s_[p_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return Value::string(stringLiteral());
    if (take("true")) return Value::boolean(true);
    if (take("false")) return Value::boolean(false);
    if (take("null")) return Value::none();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    fail("unexpected character in JSON");
  }
  Value object(int depth) {
    ++p_;
    auto d = std::make_shared<DictData>();
    ws();
    if (p_ < s_.size() && s_[p_] == '}') {
      ++p_;
      return Value::dict(d);
    }
    while (true) {
      ws();
      if (p_ >= s_.size() || s_[p_] != '"') fail("expected a string key in JSON object");
      const QString key = stringLiteral();
      ws();
      if (p_ >= s_.size() || s_[p_] != ':') fail("expected ':' in JSON object");
      ++p_;
      d->set(key, value(depth + 1));
      ws();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (p_ < s_.size() && s_[p_] == '}') {
        ++p_;
        return Value::dict(d);
      }
      fail("expected ',' or '}' in JSON object");
    }
  }
  Value array(int depth) {
    ++p_;
    std::vector<Value> items;
    ws();
    if (p_ < s_.size() && s_[p_] == ']') {
      ++p_;
      return Value::list(std::move(items));
    }
    while (true) {
      items.push_back(value(depth + 1));
      ws();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (p_ < s_.size() && s_[p_] == ']') {
        ++p_;
        return Value::list(std::move(items));
      }
      fail("expected ',' or ']' in JSON array");
    }
  }
  int hex4() {
    if (s_.size() - p_ < 4) fail("truncated \\u escape in JSON");
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[p_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else fail("bad \\u escape in JSON");
    }
    return v;
  }
  QString stringLiteral() {
    ++p_;
    QByteArray utf8;
    QString out;
    auto flush = [&] {
      out += QString::fromUtf8(utf8);
      utf8.clear();
    };
    while (true) {
      if (p_ >= s_.size()) fail("unterminated JSON string");
      const char c = s_[p_++];
      if (c == '"') break;
      if (uchar(c) < 0x20) fail("control character in JSON string");
      if (c != '\\') {
        utf8 += c;
        continue;
      }
      if (p_ >= s_.size()) fail("unterminated JSON string");
      const char e = s_[p_++];
      switch (e) {
        case '"': utf8 += '"'; break;
        case '\\': utf8 += '\\'; break;
        case '/': utf8 += '/'; break;
        case 'b': utf8 += '\b'; break;
        case 'f': utf8 += '\f'; break;
        case 'n': utf8 += '\n'; break;
        case 'r': utf8 += '\r'; break;
        case 't': utf8 += '\t'; break;
        case 'u': {
          flush();
          out += QChar(char16_t(hex4()));  // surrogate halves pair up naturally in UTF-16
          break;
        }
        default: fail("bad escape in JSON string");
      }
    }
    flush();
    return out;
  }
  Value number() {
    const qsizetype start = p_;
    bool isFloat = false;
    if (s_[p_] == '-') ++p_;
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c >= '0' && c <= '9') {
        ++p_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        isFloat = true;
        ++p_;
      } else {
        break;
      }
    }
    const QByteArray text = s_.sliced(start, p_ - start).toByteArray();
    bool ok = false;
    if (!isFloat) {
      const qint64 i = text.toLongLong(&ok);
      if (ok) return Value::integer(i);
    }
    const double d = text.toDouble(&ok);
    if (!ok) fail("bad number in JSON");
    return Value::real(d);
  }

  QByteArrayView s_;
  qsizetype p_ = 0;
};

}  // namespace

Value Value::parseJson(QByteArrayView text, QString* error) {
  try {
    JsonReader r(text);
    return r.document();
  } catch (const TemplateError& e) {
    if (error) *error = e.message;
    return undefined();
  }
}

double Value::toDouble() const {
  switch (type_) {
    case Type::Bool: return b_ ? 1 : 0;
    case Type::Int: return double(i_);
    case Type::Float: return f_;
    default: return 0;
  }
}

bool Value::truthy() const {
  switch (type_) {
    case Type::Undefined: case Type::None: return false;
    case Type::Bool: return b_;
    case Type::Int: return i_ != 0;
    case Type::Float: return f_ != 0;
    case Type::String: return !s_.isEmpty();
    case Type::List: return list_->kind == ListData::Iterator || !list_->items.empty();
    case Type::Dict: return dict_->kind != DictData::Dict || !dict_->items.empty();
    case Type::Function: return true;
  }
  return false;
}

QString Value::toStr() const {
  switch (type_) {
    case Type::Undefined: return QString();
    case Type::String: return s_;
    default: return repr();
  }
}

static QString dictBody(const DictData& d) {
  QString out = QStringLiteral("{");
  bool first = true;
  for (const auto& [k, v] : d.items) {
    if (!first) out += QStringLiteral(", ");
    first = false;
    out += py::repr(k) + QStringLiteral(": ") + v.repr();
  }
  return out + QLatin1Char('}');
}

QString Value::repr() const {
  switch (type_) {
    case Type::Undefined: return QStringLiteral("Undefined");
    case Type::None: return QStringLiteral("None");
    case Type::Bool: return b_ ? QStringLiteral("True") : QStringLiteral("False");
    case Type::Int: return QString::number(i_);
    case Type::Float: return py::floatRepr(f_);
    case Type::String: return py::repr(s_);
    case Type::List: {
      if (list_->kind == ListData::Iterator) return QStringLiteral("<generator object>");
      const bool tuple = list_->kind == ListData::Tuple;
      QString out = tuple ? QStringLiteral("(") : QStringLiteral("[");
      for (size_t i = 0; i < list_->items.size(); ++i) {
        if (i) out += QStringLiteral(", ");
        out += list_->items[i].repr();
      }
      if (tuple && list_->items.size() == 1) out += QLatin1Char(',');
      return out + (tuple ? QLatin1Char(')') : QLatin1Char(']'));
    }
    case Type::Dict:
      switch (dict_->kind) {
        case DictData::Namespace: return QStringLiteral("<Namespace ") + dictBody(*dict_) + QLatin1Char('>');
        case DictData::Loop: {
          const Value* index = dict_->find(QStringLiteral("index"));
          const Value* length = dict_->find(QStringLiteral("length"));
          return QStringLiteral("<LoopContext %1/%2>")
              .arg(index ? index->toStr() : QString(), length ? length->toStr() : QString());
        }
        case DictData::Dict: return dictBody(*dict_);
      }
      break;
    case Type::Function: return QStringLiteral("<function %1>").arg(fn_->name);
  }
  return QString();
}

QString Value::typeName() const {
  switch (type_) {
    case Type::Undefined: return QStringLiteral("Undefined");
    case Type::None: return QStringLiteral("NoneType");
    case Type::Bool: return QStringLiteral("bool");
    case Type::Int: return QStringLiteral("int");
    case Type::Float: return QStringLiteral("float");
    case Type::String: return QStringLiteral("str");
    case Type::List:
      return list_->kind == ListData::Tuple      ? QStringLiteral("tuple")
             : list_->kind == ListData::Iterator ? QStringLiteral("generator")
                                                 : QStringLiteral("list");
    case Type::Dict:
      return dict_->kind == DictData::Namespace ? QStringLiteral("Namespace")
             : dict_->kind == DictData::Loop    ? QStringLiteral("LoopContext")
                                                : QStringLiteral("dict");
    case Type::Function: return QStringLiteral("function");
  }
  return QString();
}

bool Value::equals(const Value& o) const {
  if (isNumber() && o.isNumber()) {
    if (type_ != Type::Float && o.type_ != Type::Float) return toInt() == o.toInt();
    return toDouble() == o.toDouble();
  }
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::Undefined: case Type::None: return true;
    case Type::String: return s_ == o.s_;
    case Type::List: {
      if (list_ == o.list_) return true;
      if (list_->kind != o.list_->kind || list_->kind == ListData::Iterator) return false;
      if (list_->items.size() != o.list_->items.size()) return false;
      for (size_t i = 0; i < list_->items.size(); ++i)
        if (!list_->items[i].equals(o.list_->items[i])) return false;
      return true;
    }
    case Type::Dict: {
      if (dict_ == o.dict_) return true;
      if (dict_->kind != DictData::Dict || o.dict_->kind != DictData::Dict) return false;
      if (dict_->items.size() != o.dict_->items.size()) return false;
      for (const auto& [k, v] : dict_->items) {
        const Value* other = o.dict_->find(k);
        if (!other || !v.equals(*other)) return false;
      }
      return true;
    }
    case Type::Function: return fn_ == o.fn_;
    default: return false;
  }
}

bool Value::identical(const Value& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::Undefined: return false;
    case Type::None: return true;
    case Type::Bool: return b_ == o.b_;
    case Type::Int: return i_ == o.i_;
    case Type::Float: return f_ == o.f_;
    case Type::String: return s_ == o.s_;
    case Type::List: return list_ == o.list_;
    case Type::Dict: return dict_ == o.dict_;
    case Type::Function: return fn_ == o.fn_;
  }
  return false;
}

// ---- json.dumps ----

static void jsonString(QString& out, const QString& s, bool ensureAscii) {
  out += QLatin1Char('"');
  for (QChar ch : s) {
    const char16_t c = ch.unicode();
    switch (c) {
      case '"': out += QLatin1String("\\\""); break;
      case '\\': out += QLatin1String("\\\\"); break;
      case '\n': out += QLatin1String("\\n"); break;
      case '\r': out += QLatin1String("\\r"); break;
      case '\t': out += QLatin1String("\\t"); break;
      case '\b': out += QLatin1String("\\b"); break;
      case '\f': out += QLatin1String("\\f"); break;
      default:
        if (c < 0x20 || (ensureAscii && c > 0x7e))
          out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        else
          out += ch;
    }
  }
  out += QLatin1Char('"');
}

static void jsonValue(QString& out, const Value& v, const JsonDumpOptions& o, const QString& itemSep,
                      const QString& keySep, int level) {
  if (level > 512) runtimeError(QStringLiteral("maximum recursion depth exceeded in tojson"));
  switch (v.type()) {
    case Value::Type::None: out += QLatin1String("null"); return;
    case Value::Type::Bool: out += v.toBool() ? QLatin1String("true") : QLatin1String("false"); return;
    case Value::Type::Int: out += QString::number(v.toInt()); return;
    case Value::Type::Float: {
      const double d = v.toDouble();
      if (std::isnan(d)) out += QLatin1String("NaN");
      else if (std::isinf(d)) out += d < 0 ? QLatin1String("-Infinity") : QLatin1String("Infinity");
      else out += py::floatRepr(d);
      return;
    }
    case Value::Type::String: jsonString(out, v.str(), o.ensureAscii); return;
    default: break;
  }
  const bool isList = v.isList() && v.listData()->kind != ListData::Iterator;
  const bool isDict = v.isMapping();
  if (!isList && !isDict)
    runtimeError(QStringLiteral("Object of type %1 is not JSON serializable").arg(v.typeName()));
  const bool empty = isList ? v.items().empty() : v.dictData()->items.empty();
  const QChar open = isList ? QLatin1Char('[') : QLatin1Char('{');
  const QChar close = isList ? QLatin1Char(']') : QLatin1Char('}');
  if (empty) {
    out += open;
    out += close;
    return;
  }
  QString newlineIndent;
  if (o.indent) {
    newlineIndent = QLatin1Char('\n');
    for (int i = 0; i <= level; ++i) newlineIndent += *o.indent;
  }
  out += open;
  out += newlineIndent;
  if (isList) {
    bool first = true;
    for (const Value& item : v.items()) {
      if (!first) out += itemSep + newlineIndent;
      first = false;
      jsonValue(out, item, o, itemSep, keySep, level + 1);
    }
  } else {
    std::vector<std::pair<QString, Value>> items = v.dictData()->items;
    if (o.sortKeys)
      std::stable_sort(items.begin(), items.end(),
                       [](const auto& a, const auto& b) { return py::compare(a.first, b.first) < 0; });
    bool first = true;
    for (const auto& [key, item] : items) {
      if (!first) out += itemSep + newlineIndent;
      first = false;
      jsonString(out, key, o.ensureAscii);
      out += keySep;
      jsonValue(out, item, o, itemSep, keySep, level + 1);
    }
  }
  if (o.indent) {
    out += QLatin1Char('\n');
    for (int i = 0; i < level; ++i) out += *o.indent;
  }
  out += close;
}

QString jsonDumps(const Value& v, const JsonDumpOptions& o) {
  QString itemSep = o.indent ? QStringLiteral(",") : QStringLiteral(", ");
  QString keySep = QStringLiteral(": ");
  if (o.separators) {
    itemSep = o.separators->first;
    keySep = o.separators->second;
  }
  QString out;
  jsonValue(out, v, o, itemSep, keySep, 0);
  return out;
}

}  // namespace distillery::jinja
