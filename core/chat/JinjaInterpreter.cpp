#include "chat/JinjaInterpreter.h"

#include "chat/JinjaBuiltins.h"
#include "chat/JinjaError.h"
#include "chat/JinjaObjects.h"
#include "chat/PyText.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace distillery::jinja {

namespace {
constexpr qsizetype kMaxText = qsizetype(1) << 26;  // characters in one string or the whole output
constexpr int kMaxCallDepth = 100;

void checkSize(qsizetype n) {
  if (n > kMaxText) runtimeError(QStringLiteral("the rendered text would exceed %1 characters").arg(kMaxText));
}

QString opTypes(const QString& op, const Value& a, const Value& b) {
  return QStringLiteral("unsupported operand type(s) for %1: '%2' and '%3'").arg(op, a.typeName(), b.typeName());
}
}  // namespace

[[noreturn]] void failUndefined(const Value& u) {
  runtimeError(u.str().isEmpty() ? QStringLiteral("a value is undefined") : u.str());
}

static Value repeat(const Value& seq, qint64 n) {
  if (n < 0) n = 0;
  if (seq.isString()) {
    checkSize(seq.str().size() * n);
    return Value::string(seq.str().repeated(n));
  }
  checkSize(qsizetype(seq.items().size()) * n);
  std::vector<Value> out;
  for (qint64 k = 0; k < n; ++k) out.insert(out.end(), seq.items().begin(), seq.items().end());
  return Value::list(std::move(out), seq.listData()->kind);
}

static bool isSequence(const Value& v) { return v.isList() && v.listData()->kind != ListData::Iterator; }

Value binaryOp(const QString& op, const Value& a, const Value& b) {
  if (a.isUndefined()) failUndefined(a);
  if (op == QLatin1String("%") && a.isString()) return Value::string(percentFormat(a.str(), b));
  if (b.isUndefined()) failUndefined(b);
  const QChar o = op[0];
  const bool ints = (a.isInt() || a.isBool()) && (b.isInt() || b.isBool());
  const bool nums = a.isNumber() && b.isNumber();
  if (op == QLatin1String("+")) {
    if (ints) {
      qint64 r = 0;
      if (__builtin_add_overflow(a.toInt(), b.toInt(), &r)) unsupported(QStringLiteral("integers beyond 64 bits"));
      return Value::integer(r);
    }
    if (nums) return Value::real(a.toDouble() + b.toDouble());
    if (a.isString() && b.isString()) {
      checkSize(a.str().size() + b.str().size());
      return Value::string(a.str() + b.str());
    }
    if (isSequence(a) && isSequence(b) && a.listData()->kind == b.listData()->kind) {
      std::vector<Value> out = a.items();
      out.insert(out.end(), b.items().begin(), b.items().end());
      return Value::list(std::move(out), a.listData()->kind);
    }
    if (a.isString())
      runtimeError(QStringLiteral("can only concatenate str (not \"%1\") to str").arg(b.typeName()));
    if (isSequence(a) && a.listData()->kind == ListData::List)
      runtimeError(QStringLiteral("can only concatenate list (not \"%1\") to list").arg(b.typeName()));
    runtimeError(opTypes(op, a, b));
  }
  if (op == QLatin1String("-")) {
    if (ints) {
      qint64 r = 0;
      if (__builtin_sub_overflow(a.toInt(), b.toInt(), &r)) unsupported(QStringLiteral("integers beyond 64 bits"));
      return Value::integer(r);
    }
    if (nums) return Value::real(a.toDouble() - b.toDouble());
    runtimeError(opTypes(op, a, b));
  }
  if (op == QLatin1String("*")) {
    if (ints) {
      qint64 r = 0;
      if (__builtin_mul_overflow(a.toInt(), b.toInt(), &r)) unsupported(QStringLiteral("integers beyond 64 bits"));
      return Value::integer(r);
    }
    if (nums) return Value::real(a.toDouble() * b.toDouble());
    if ((a.isString() || isSequence(a)) && (b.isInt() || b.isBool())) return repeat(a, b.toInt());
    if ((b.isString() || isSequence(b)) && (a.isInt() || a.isBool())) return repeat(b, a.toInt());
    runtimeError(opTypes(op, a, b));
  }
  if (op == QLatin1String("**")) {
    if (ints && b.toInt() >= 0) {
      qint64 r = 1, base = a.toInt();
      for (qint64 e = b.toInt(); e > 0; --e) {
        if (__builtin_mul_overflow(r, base, &r)) unsupported(QStringLiteral("integers beyond 64 bits"));
        if (r == 0 || r == 1) break;
      }
      return Value::integer(r);
    }
    if (nums) {
      if (a.toDouble() == 0 && b.toDouble() < 0)
        runtimeError(QStringLiteral("0.0 cannot be raised to a negative power"));
      return Value::real(std::pow(a.toDouble(), b.toDouble()));
    }
    runtimeError(opTypes(op, a, b));
  }
  if (!nums) runtimeError(opTypes(op, a, b));
  if (b.toDouble() == 0) {
    if (op == QLatin1String("/")) runtimeError(ints ? QStringLiteral("division by zero") : QStringLiteral("float division by zero"));
    if (o == QLatin1Char('%')) runtimeError(ints ? QStringLiteral("integer modulo by zero") : QStringLiteral("float modulo"));
    runtimeError(ints ? QStringLiteral("integer division or modulo by zero") : QStringLiteral("float floor division by zero"));
  }
  if (op == QLatin1String("/")) return Value::real(a.toDouble() / b.toDouble());
  if (op == QLatin1String("//")) {
    if (ints) {
      const qint64 x = a.toInt(), y = b.toInt();
      if (x == std::numeric_limits<qint64>::min() && y == -1) unsupported(QStringLiteral("integers beyond 64 bits"));
      qint64 q = x / y;
      if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
      return Value::integer(q);
    }
    return Value::real(std::floor(a.toDouble() / b.toDouble()));
  }
  if (op == QLatin1String("%")) {
    if (ints) {
      const qint64 x = a.toInt(), y = b.toInt();
      if (y == -1) return Value::integer(0);
      qint64 m = x % y;
      if (m != 0 && ((m < 0) != (y < 0))) m += y;
      return Value::integer(m);
    }
    const double x = a.toDouble(), y = b.toDouble();
    double m = std::fmod(x, y);
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    else if (m == 0) m = std::copysign(0.0, y);
    return Value::real(m);
  }
  runtimeError(opTypes(op, a, b));
}

bool lessThan(const Value& a, const Value& b) {
  if (a.isUndefined()) failUndefined(a);
  if (b.isUndefined()) failUndefined(b);
  if (a.isNumber() && b.isNumber()) {
    if (!a.isFloat() && !b.isFloat()) return a.toInt() < b.toInt();
    return a.toDouble() < b.toDouble();
  }
  if (a.isString() && b.isString()) return py::compare(a.str(), b.str()) < 0;
  if (isSequence(a) && isSequence(b) && a.listData()->kind == b.listData()->kind) {
    const auto& x = a.items();
    const auto& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (x[i].equals(y[i])) continue;
      return lessThan(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  runtimeError(QStringLiteral("'<' not supported between instances of '%1' and '%2'").arg(a.typeName(), b.typeName()));
}

bool contains(const Value& c, const Value& item) {
  switch (c.type()) {
    case Value::Type::Undefined: return false;
    case Value::Type::String:
      if (!item.isString())
        runtimeError(QStringLiteral("'in <string>' requires string as left operand, not %1").arg(item.typeName()));
      return c.str().contains(item.str());
    case Value::Type::List:
      if (c.listData()->pendingError) runtimeError(*c.listData()->pendingError);
      for (const Value& v : c.items())
        if (v.equals(item)) return true;
      return false;
    case Value::Type::Dict:
      if (c.isMapping()) {
        if (item.isList() && item.listData()->kind != ListData::Tuple)
          runtimeError(QStringLiteral("unhashable type: '%1'").arg(item.typeName()));
        return item.isString() && c.dictData()->find(item.str()) != nullptr;
      }
      break;
    default: break;
  }
  runtimeError(QStringLiteral("argument of type '%1' is not iterable").arg(c.typeName()));
}

Interpreter::Interpreter(const TemplateAst& ast, std::shared_ptr<DictData> globals, std::shared_ptr<DictData> vars)
    : ast_(ast), globals_(std::move(globals)), frame_(std::make_shared<Frame>()) {
  for (const auto& [k, v] : vars->items) frame_->vars.insert(k, v);
}

Interpreter::~Interpreter() {
  for (const std::shared_ptr<Frame>& f : closureFrames_) f->vars.clear();
  for (const std::weak_ptr<DictData>& w : tracked_)
    if (const std::shared_ptr<DictData> d = w.lock()) d->items.clear();
}

QString Interpreter::render() {
  QString out;
  out_ = &out;
  execBody(ast_.body);
  out_ = nullptr;
  return out;
}

void Interpreter::write(const QString& text) {
  checkSize(out_->size() + text.size());
  out_->append(text);
}

QString Interpreter::renderToString(const Body& body) {
  QString buffer;
  QString* saved = out_;
  out_ = &buffer;
  try {
    execBody(body);
  } catch (...) {
    out_ = saved;
    throw;
  }
  out_ = saved;
  return buffer;
}

Value Interpreter::lookup(const QString& name) const {
  for (const Frame* f = frame_.get(); f; f = f->parent.get()) {
    auto it = f->vars.constFind(name);
    if (it != f->vars.constEnd()) return *it;
  }
  if (const Value* g = globals_->find(name)) return *g;
  return Value::undefined(QStringLiteral("'%1' is undefined").arg(name));
}

Value Interpreter::call(const Value& callee, const CallArgs& args) {
  if (callee.isFunction()) return callee.functionData()->call(*this, args);
  if (callee.isUndefined()) failUndefined(callee);
  runtimeError(QStringLiteral("'%1' object is not callable").arg(callee.typeName()));
}

Interpreter::Flow Interpreter::execBody(const Body& body) {
  for (const StmtPtr& s : body) {
    const Flow f = exec(*s);
    if (f != Flow::Normal) return f;
  }
  return Flow::Normal;
}

void Interpreter::assign(const Target& t, const Value& v) {
  if (!t.attribute.isEmpty()) {
    const Value ns = lookup(t.names[0]);
    if (!ns.isNamespace()) runtimeError(QStringLiteral("cannot assign attribute on non-namespace object"));
    ns.dictData()->set(t.attribute, v);
    return;
  }
  if (!t.tuple) {
    frame_->vars.insert(t.names[0], v);
    return;
  }
  if (!v.isUndefined() && !v.isString() && !v.isList() && !v.isMapping())
    runtimeError(QStringLiteral("cannot unpack non-iterable %1 object").arg(v.typeName()));
  const std::vector<Value> items = iterate(v);
  const size_t want = t.names.size();
  if (items.size() > want) runtimeError(QStringLiteral("too many values to unpack (expected %1)").arg(want));
  if (items.size() < want)
    runtimeError(QStringLiteral("not enough values to unpack (expected %1, got %2)").arg(want).arg(items.size()));
  for (size_t i = 0; i < want; ++i) frame_->vars.insert(t.names[i], items[i]);
}

namespace {
struct FrameScope {  // pushes a child frame for the lifetime of the scope
  FrameScope(std::shared_ptr<Interpreter::Frame>& current, std::shared_ptr<Interpreter::Frame> parent)
      : current(current), saved(current) {
    current = std::make_shared<Interpreter::Frame>();
    current->parent = std::move(parent);
  }
  ~FrameScope() { current = saved; }
  std::shared_ptr<Interpreter::Frame>& current;
  std::shared_ptr<Interpreter::Frame> saved;
};
}  // namespace

Interpreter::Flow Interpreter::exec(const Stmt& s) {
  try {
    switch (s.kind) {
      case Stmt::Data: write(s.text); return Flow::Normal;
      case Stmt::Output: write(eval(*s.expr).toStr()); return Flow::Normal;
      case Stmt::If:
        for (size_t i = 0; i < s.conds.size(); ++i)
          if (eval(*s.conds[i]).truthy()) return execBody(s.bodies[i]);
        return execBody(s.elseBody);
      case Stmt::For: execFor(s); return Flow::Normal;
      case Stmt::Set: assign(s.target, eval(*s.expr)); return Flow::Normal;
      case Stmt::SetBlock: {
        Value v = Value::string(renderToString(s.body));
        if (s.expr) {
          const Expr* f = s.expr.get();
          std::vector<const Expr*> chain;
          for (; f; f = f->a.get()) chain.insert(chain.begin(), f);
          for (const Expr* step : chain) v = applyFilter(*this, step->name, v, evalArgs(*step));
        }
        assign(s.target, v);
        return Flow::Normal;
      }
      case Stmt::FilterBlock: {
        Value v = Value::string(renderToString(s.body));
        std::vector<const Expr*> chain;
        for (const Expr* f = s.expr.get(); f; f = f->a.get()) chain.insert(chain.begin(), f);
        for (const Expr* step : chain) v = applyFilter(*this, step->name, v, evalArgs(*step));
        write(v.toStr());
        return Flow::Normal;
      }
      case Stmt::Macro: {
        const Stmt* macro = &s;
        std::shared_ptr<Frame> closure = frame_;
        closureFrames_.push_back(frame_);
        frame_->vars.insert(s.name, Value::function(s.name, [macro, closure](Interpreter& in, const CallArgs& a) {
                              return in.callMacro(*macro, closure, a);
                            }));
        return Flow::Normal;
      }
      case Stmt::CallBlock: {
        const Stmt* block = &s;
        std::shared_ptr<Frame> closure = frame_;
        closureFrames_.push_back(frame_);
        CallArgs args = evalArgs(*s.expr);
        args.keywords.emplace_back(QStringLiteral("caller"),
                                   Value::function(QStringLiteral("caller"), [block, closure](Interpreter& in, const CallArgs& a) {
                                     return in.callMacro(*block, closure, a);
                                   }));
        write(call(eval(*s.expr->a), args).toStr());
        return Flow::Normal;
      }
      case Stmt::With: {
        std::vector<Value> values;
        for (const ExprPtr& v : s.values) values.push_back(eval(*v));
        FrameScope scope(frame_, frame_);
        for (size_t i = 0; i < s.targets.size(); ++i) assign(s.targets[i], values[i]);
        return execBody(s.body);
      }
      case Stmt::Scope: return execBody(s.body);
      case Stmt::Break: return Flow::Break;
      case Stmt::Continue: return Flow::Continue;
    }
  } catch (TemplateError& e) {
    if (e.pos < 0) e.pos = s.pos;
    throw;
  }
  return Flow::Normal;
}

static Value loopObject(const std::vector<Value>& items, size_t i,
                        const std::shared_ptr<std::optional<std::vector<Value>>>& changedState) {
  auto d = std::make_shared<DictData>();
  d->kind = DictData::Loop;
  const qint64 n = qint64(items.size()), k = qint64(i);
  d->items = {
      {QStringLiteral("index"), Value::integer(k + 1)},
      {QStringLiteral("index0"), Value::integer(k)},
      {QStringLiteral("revindex"), Value::integer(n - k)},
      {QStringLiteral("revindex0"), Value::integer(n - k - 1)},
      {QStringLiteral("first"), Value::boolean(k == 0)},
      {QStringLiteral("last"), Value::boolean(k == n - 1)},
      {QStringLiteral("length"), Value::integer(n)},
      {QStringLiteral("depth"), Value::integer(1)},
      {QStringLiteral("depth0"), Value::integer(0)},
  };
  if (k > 0) d->items.emplace_back(QStringLiteral("previtem"), items[i - 1]);
  if (k + 1 < n) d->items.emplace_back(QStringLiteral("nextitem"), items[i + 1]);
  d->items.emplace_back(QStringLiteral("cycle"),
                        Value::function(QStringLiteral("loop.cycle"), [k](Interpreter&, const CallArgs& a) {
                          if (a.positional.empty()) runtimeError(QStringLiteral("no items for cycling given"));
                          return a.positional[size_t(k % qint64(a.positional.size()))];
                        }));
  d->items.emplace_back(QStringLiteral("changed"),
                        Value::function(QStringLiteral("loop.changed"), [changedState](Interpreter&, const CallArgs& a) {
                          const std::vector<Value>& now = a.positional;
                          bool same = changedState->has_value() && (*changedState)->size() == now.size();
                          for (size_t j = 0; same && j < now.size(); ++j) same = (**changedState)[j].equals(now[j]);
                          if (same) return Value::boolean(false);
                          *changedState = now;
                          return Value::boolean(true);
                        }));
  return Value::dict(d);
}

void Interpreter::execFor(const Stmt& s) {
  const Value seq = eval(*s.expr);
  if (!seq.isUndefined() && !seq.isString() && !seq.isList() && !seq.isMapping())
    runtimeError(QStringLiteral("'%1' object is not iterable").arg(seq.typeName()));
  std::vector<Value> items = iterate(seq);
  if (s.cond) {
    std::vector<Value> kept;
    for (const Value& item : items) {
      FrameScope scope(frame_, frame_);
      assign(s.target, item);
      if (eval(*s.cond).truthy()) kept.push_back(item);
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    FrameScope scope(frame_, frame_);
    execBody(s.elseBody);
    return;
  }
  auto changedState = std::make_shared<std::optional<std::vector<Value>>>();
  for (size_t i = 0; i < items.size(); ++i) {
    FrameScope scope(frame_, frame_);
    assign(s.target, items[i]);
    const Value loop = loopObject(items, i, changedState);
    track(loop.dictData());
    frame_->vars.insert(QStringLiteral("loop"), loop);
    if (execBody(s.body) == Flow::Break) break;
  }
}

Value Interpreter::callMacro(const Stmt& m, const std::shared_ptr<Frame>& closure, const CallArgs& args) {
  if (callDepth_ >= kMaxCallDepth)
    runtimeError(QStringLiteral("macro calls nest deeper than %1 (runaway recursion?)").arg(kMaxCallDepth));
  ++callDepth_;
  struct Depth {
    int& d;
    ~Depth() { --d; }
  } depth{callDepth_};
  FrameScope scope(frame_, closure);
  std::vector<bool> bound(m.params.size(), false);
  std::vector<Value> varargs;
  for (size_t i = 0; i < args.positional.size(); ++i) {
    if (i < m.params.size()) {
      frame_->vars.insert(m.params[i], args.positional[i]);
      bound[i] = true;
    } else {
      varargs.push_back(args.positional[i]);
    }
  }
  auto kwargs = std::make_shared<DictData>();
  // Jinja's Macro.__call__: extra arguments are refused unless the body reads varargs / kwargs / caller.
  if (!varargs.empty() && !m.catchVarargs)
    runtimeError(QStringLiteral("macro '%1' takes not more than %2 argument(s)").arg(m.name).arg(m.params.size()));
  bool haveCaller = false;
  for (const auto& [key, value] : args.keywords) {
    const auto it = std::find(m.params.begin(), m.params.end(), key);
    const size_t i = size_t(it - m.params.begin());
    if (it != m.params.end() && !bound[i]) {
      frame_->vars.insert(key, value);
      bound[i] = true;
    } else if (key == QLatin1String("caller") && m.catchCaller) {
      frame_->vars.insert(key, value);
      haveCaller = true;
    } else if (m.catchKwargs) {
      kwargs->set(key, value);
    } else if (key == QLatin1String("caller")) {
      runtimeError(QStringLiteral("macro '%1' was invoked with two values for the special caller argument. This is "
                                  "most likely a bug.").arg(m.name));
    } else {
      runtimeError(QStringLiteral("macro '%1' takes no keyword argument '%2'").arg(m.name, key));
    }
  }
  if (m.catchCaller && !haveCaller) frame_->vars.insert(QStringLiteral("caller"), Value::undefined(QStringLiteral("No caller defined")));
  for (size_t i = 0; i < m.params.size(); ++i) {
    if (bound[i]) continue;
    frame_->vars.insert(m.params[i], m.defaults[i] ? eval(*m.defaults[i])
                                                   : Value::undefined(QStringLiteral("parameter '%1' was not provided").arg(m.params[i])));
  }
  frame_->vars.insert(QStringLiteral("varargs"), Value::list(std::move(varargs), ListData::Tuple));
  frame_->vars.insert(QStringLiteral("kwargs"), Value::dict(kwargs));
  return Value::string(renderToString(m.body));
}

CallArgs Interpreter::evalArgs(const Expr& e) {
  CallArgs args;
  for (const ExprPtr& a : e.args) args.positional.push_back(eval(*a));
  for (const auto& [key, a] : e.kwargs) args.keywords.emplace_back(key, eval(*a));
  return args;
}

Value Interpreter::eval(const Expr& e) {
  try {
    return evalInner(e);
  } catch (TemplateError& err) {
    if (err.pos < 0) err.pos = e.pos;
    throw;
  }
}

Value Interpreter::evalInner(const Expr& e) {
  switch (e.kind) {
    case Expr::Const: return e.value;
    case Expr::Name: return lookup(e.name);
    case Expr::GetAttr: {
      const Value obj = eval(*e.a);
      if (obj.isUndefined()) failUndefined(obj);
      return getAttr(obj, e.name);
    }
    case Expr::GetItem: {
      const Value obj = eval(*e.a);
      if (obj.isUndefined()) failUndefined(obj);
      return getItem(obj, eval(*e.b));
    }
    case Expr::Slice: {
      const Value obj = eval(*e.a);
      if (obj.isUndefined()) failUndefined(obj);
      const Value start = e.b ? eval(*e.b) : Value::none(), stop = e.c ? eval(*e.c) : Value::none(),
                  step = e.d ? eval(*e.d) : Value::none();
      return getSlice(obj, start, stop, step);
    }
    case Expr::Call: {
      const Value callee = eval(*e.a);
      return call(callee, evalArgs(e));
    }
    case Expr::Filter: return applyFilter(*this, e.name, eval(*e.a), evalArgs(e));
    case Expr::Test: return Value::boolean(applyTest(*this, e.name, eval(*e.a), evalArgs(e)));
    case Expr::Neg:
    case Expr::Pos: {
      const Value v = eval(*e.a);
      if (v.isUndefined()) failUndefined(v);
      if (!v.isNumber())
        runtimeError(QStringLiteral("bad operand type for unary %1: '%2'")
                         .arg(e.kind == Expr::Neg ? QLatin1Char('-') : QLatin1Char('+'))
                         .arg(v.typeName()));
      if (e.kind == Expr::Pos) return v.isBool() ? Value::integer(v.toInt()) : v;
      if (v.isFloat()) return Value::real(-v.toDouble());
      if (v.toInt() == std::numeric_limits<qint64>::min()) unsupported(QStringLiteral("integers beyond 64 bits"));
      return Value::integer(-v.toInt());
    }
    case Expr::Not: return Value::boolean(!eval(*e.a).truthy());
    case Expr::Binary: {
      const Value a = eval(*e.a);
      const Value b = eval(*e.b);
      return binaryOp(e.name, a, b);
    }
    case Expr::Compare: {
      Value left = eval(*e.a);
      for (size_t i = 0; i < e.ops.size(); ++i) {
        const Value right = eval(*e.args[i]);
        const QString& op = e.ops[i];
        bool r;
        if (op == QLatin1String("==")) r = left.equals(right);
        else if (op == QLatin1String("!=")) r = !left.equals(right);
        else if (op == QLatin1String("<")) r = lessThan(left, right);
        else if (op == QLatin1String(">")) r = lessThan(right, left);
        else if (op == QLatin1String("<=")) r = lessThan(left, right) || left.equals(right);
        else if (op == QLatin1String(">=")) r = lessThan(right, left) || left.equals(right);
        else if (op == QLatin1String("in")) r = contains(right, left);
        else r = !contains(right, left);
        if (!r) return Value::boolean(false);
        left = right;
      }
      return Value::boolean(true);
    }
    case Expr::And: {
      const Value a = eval(*e.a);
      return a.truthy() ? eval(*e.b) : a;
    }
    case Expr::Or: {
      const Value a = eval(*e.a);
      return a.truthy() ? a : eval(*e.b);
    }
    case Expr::CondExpr:
      if (eval(*e.b).truthy()) return eval(*e.a);
      return e.c ? eval(*e.c) : Value::undefined(QStringLiteral("the inline if expression evaluated to false and no else section was defined."));
    case Expr::List:
    case Expr::Tuple: {
      std::vector<Value> items;
      for (const ExprPtr& a : e.args) items.push_back(eval(*a));
      return Value::list(std::move(items), e.kind == Expr::List ? ListData::List : ListData::Tuple);
    }
    case Expr::Dict: {
      auto d = std::make_shared<DictData>();
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        const Value key = eval(*e.args[i]);
        if (!key.isString()) unsupported(QStringLiteral("dict keys other than strings"), e.args[i]->pos);
        d->set(key.str(), eval(*e.args[i + 1]));
      }
      return Value::dict(d);
    }
    case Expr::Concat: {
      QString s;
      for (const ExprPtr& a : e.args) {
        s += eval(*a).toStr();
        checkSize(s.size());
      }
      return Value::string(s);
    }
  }
  return Value();
}

}  // namespace distillery::jinja
