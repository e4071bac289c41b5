// Renders a parsed chat template. Scoping follows Jinja: each for-loop iteration, macro call and
// {% with %} gets its own frame, so `{% set %}` inside them is not seen outside (which is why templates
// use namespace()); {% if %} opens no frame. One Interpreter renders once; it is cheap to make.
#pragma once
#include "chat/JinjaAst.h"

#include <QtCore/QHash>

namespace distillery::jinja {

class Interpreter {
 public:
  // globals: range, namespace, raise_exception, ...; vars: the template's variables (messages, ...).
  Interpreter(const TemplateAst& ast, std::shared_ptr<DictData> globals, std::shared_ptr<DictData> vars);
  // Empties everything that can sit in a reference cycle (a frame holding a macro that holds the frame, a
  // namespace holding itself, ...) so that all values of the render are freed.
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Throws TemplateError with pos set to the innermost construct that failed.
  QString render();

  // Calls a function value (builtin, bound method or macro) the way Jinja does.
  Value call(const Value& callee, const CallArgs& args);

  // Registers a mutable object (namespace, loop) to be emptied when the render ends.
  void track(const std::shared_ptr<DictData>& d) { tracked_.push_back(d); }

  struct Frame {
    std::shared_ptr<Frame> parent;
    QHash<QString, Value> vars;
  };

 private:
  enum class Flow { Normal, Break, Continue };

  Flow execBody(const Body& body);
  Flow exec(const Stmt& s);
  Value eval(const Expr& e);
  Value evalInner(const Expr& e);
  Value lookup(const QString& name) const;
  void assign(const Target& t, const Value& v);
  void execFor(const Stmt& s);
  Value callMacro(const Stmt& macro, const std::shared_ptr<Frame>& closure, const CallArgs& args);
  QString renderToString(const Body& body);
  void write(const QString& text);
  CallArgs evalArgs(const Expr& e);

  const TemplateAst& ast_;
  std::shared_ptr<DictData> globals_;
  std::shared_ptr<Frame> frame_;
  QString* out_ = nullptr;
  int callDepth_ = 0;
  std::vector<std::shared_ptr<Frame>> closureFrames_;  // frames captured by macros and call blocks
  std::vector<std::weak_ptr<DictData>> tracked_;
};

// Python's binary operators and comparisons on template values.
Value binaryOp(const QString& op, const Value& left, const Value& right);
bool lessThan(const Value& a, const Value& b);      // a < b, TypeError for unorderable types
bool contains(const Value& container, const Value& item);  // item in container
[[noreturn]] void failUndefined(const Value& undefined);

}  // namespace distillery::jinja
