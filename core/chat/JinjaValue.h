// The values a chat template computes with, modelled on the Python objects Jinja sees: None, bool, int,
// float, str, list, tuple, dict (insertion-ordered), generators (what map/select return: always true, no
// len()), namespace(), the loop object, callables, and Jinja's Undefined (prints as "", is false, iterates
// as empty; most other uses fail). Lists and dicts are shared by reference like Python's; the template can
// only mutate namespaces, as in transformers' ImmutableSandboxedEnvironment.
#pragma once
#include <QtCore/QByteArrayView>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace distillery::jinja {

class Value;
class Interpreter;

// Arguments of one call, as written: f(a, b, key=c).
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<QString, Value>> keywords;

  // Matches the arguments to a Python-style parameter list; entry i is the value for names[i] or nullopt
  // when it was not passed. Throws TypeError-like errors for unknown, duplicate or surplus arguments.
  std::vector<std::optional<Value>> bind(const QString& function, const std::vector<const char*>& names) const;
};

using NativeFunction = std::function<Value(Interpreter&, const CallArgs&)>;

struct Function {
  QString name;
  NativeFunction call;
};

struct ListData {
  enum Kind { List, Tuple, Iterator };
  std::vector<Value> items;
  Kind kind = List;
  // Iterator only: Jinja's generator filters (map, select, ...) fail when iterated, not when applied; the
  // error waits here until something walks the items.
  std::optional<QString> pendingError;
};

struct DictData {
  enum Kind { Dict, Namespace, Loop };
  std::vector<std::pair<QString, Value>> items;  // insertion order, like a Python dict
  Kind kind = Dict;

  const Value* find(const QString& key) const;
  void set(const QString& key, const Value& value);
};

class Value {
 public:
  enum class Type { Undefined, None, Bool, Int, Float, String, List, Dict, Function };

  Value() = default;  // Undefined
  static Value undefined(const QString& hint = {});
  static Value none();
  static Value boolean(bool b);
  static Value integer(qint64 i);
  static Value real(double d);
  static Value string(const QString& s);
  static Value list(std::vector<Value> items, ListData::Kind kind = ListData::List);
  static Value dict(std::shared_ptr<DictData> d);
  static Value emptyDict(DictData::Kind kind = DictData::Dict);
  static Value function(const QString& name, NativeFunction f);

  // JSON in: numbers written without '.'/exponent become int, like Python's json.loads.
  static Value fromJson(const QJsonValue& v);
  // Parses JSON text keeping object key order (QJsonObject sorts keys; Python keeps document order).
  // Returns Undefined and sets *error on malformed input.
  static Value parseJson(QByteArrayView text, QString* error);

  Type type() const { return type_; }
  bool isUndefined() const { return type_ == Type::Undefined; }
  bool isNone() const { return type_ == Type::None; }
  bool isBool() const { return type_ == Type::Bool; }
  bool isInt() const { return type_ == Type::Int; }
  bool isFloat() const { return type_ == Type::Float; }
  bool isNumber() const { return type_ == Type::Int || type_ == Type::Float || type_ == Type::Bool; }
  bool isString() const { return type_ == Type::String; }
  bool isList() const { return type_ == Type::List; }  // list, tuple or generator
  bool isDict() const { return type_ == Type::Dict; }  // dict, namespace or loop
  bool isMapping() const { return type_ == Type::Dict && dict_->kind == DictData::Dict; }
  bool isNamespace() const { return type_ == Type::Dict && dict_->kind == DictData::Namespace; }
  bool isFunction() const { return type_ == Type::Function; }

  bool toBool() const { return b_; }
  qint64 toInt() const { return type_ == Type::Bool ? qint64(b_) : i_; }  // int or bool
  double toDouble() const;                                               // any number
  const QString& str() const { return s_; }                             // string; undefined: its hint
  const std::shared_ptr<ListData>& listData() const { return list_; }
  const std::shared_ptr<DictData>& dictData() const { return dict_; }
  const std::shared_ptr<Function>& functionData() const { return fn_; }
  const std::vector<Value>& items() const { return list_->items; }

  bool truthy() const;          // Python bool(x)
  QString toStr() const;        // Python str(x); Undefined gives ""
  QString repr() const;         // Python repr(x)
  QString typeName() const;     // Python type name for messages: 'str', 'dict', 'NoneType', ...
  bool equals(const Value& other) const;  // Python ==
  bool identical(const Value& other) const;  // Python `is`

 private:
  Type type_ = Type::Undefined;
  bool b_ = false;
  qint64 i_ = 0;
  double f_ = 0;
  QString s_;
  std::shared_ptr<ListData> list_;
  std::shared_ptr<DictData> dict_;
  std::shared_ptr<Function> fn_;
};

// json.dumps(x, ensure_ascii, indent, separators, sort_keys) as transformers' `tojson` filter calls it.
// indent: nullopt for single-line output, else the indent string per level. Throws on values JSON cannot
// hold (Undefined, namespaces, callables).
struct JsonDumpOptions {
  bool ensureAscii = false;
  std::optional<QString> indent;
  std::optional<std::pair<QString, QString>> separators;  // (item, key); default per Python
  bool sortKeys = false;
};
QString jsonDumps(const Value& v, const JsonDumpOptions& options);

}  // namespace distillery::jinja
