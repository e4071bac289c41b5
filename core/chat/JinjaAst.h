// The parsed form of a chat template: expressions and statements mirroring Jinja's nodes. Built once by
// the parser, read-only while rendering (so one template renders on many threads).
#pragma once
#include "chat/JinjaValue.h"

#include <QtCore/QString>

#include <memory>
#include <vector>

namespace distillery::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct Expr {
  enum Kind {
    Const,     // value
    Name,      // name
    GetAttr,   // a.name
    GetItem,   // a[b]
    Slice,     // a[b:c:d]; missing parts are null
    Call,      // a(args, kwargs)
    Filter,    // a|name(args, kwargs); a is null inside {% filter %} / {% set x | f %}
    Test,      // a is name(args)
    Neg, Pos, Not,
    Binary,    // a op b with op in + - * / // % **
    Compare,   // a op1 args[0] op2 args[1] ... (chained), ops in == != < <= > >= in notin
    And, Or,
    CondExpr,  // a if b else c (c may be null)
    List, Tuple, Dict,  // args (Dict: alternating key, value)
    Concat,    // args joined with ~
  };
  Kind kind;
  qsizetype pos = 0;  // source offset, for error messages
  Value value;
  QString name;
  std::vector<QString> ops;
  ExprPtr a, b, c, d;
  std::vector<ExprPtr> args;
  std::vector<std::pair<QString, ExprPtr>> kwargs;
};

// An assignment target: a name, a tuple of names, or namespace.attribute.
struct Target {
  std::vector<QString> names;  // one name, or the names of a tuple target
  bool tuple = false;
  QString attribute;           // set ns.attribute = ...: names[0] is the namespace
};

struct Stmt {
  enum Kind {
    Data,         // text
    Output,       // {{ expr }} / {% print %}
    If,           // conds[i] → bodies[i]; elseBody
    For,          // target in expr [if cond]: body, elseBody
    Set,          // target = expr
    SetBlock,     // target = rendered body, through filter (may be null)
    Macro,        // name(params=defaults): body
    CallBlock,    // {% call(params) expr %} body
    FilterBlock,  // filter(rendered body)
    With,         // targets = values: body
    Break, Continue,
    Scope,        // a body rendered as is ({% generation %})
  };
  Kind kind;
  qsizetype pos = 0;
  QString text;
  ExprPtr expr;
  ExprPtr cond;  // For: the loop filter
  Target target;
  std::vector<ExprPtr> conds;
  std::vector<Body> bodies;
  Body body, elseBody;
  // Macro / CallBlock parameters: names and the defaults of the trailing ones (defaults[i] is null when
  // params[i] has none).
  QString name;
  std::vector<QString> params;
  std::vector<ExprPtr> defaults;
  bool catchVarargs = false, catchKwargs = false, catchCaller = false;  // the body reads varargs/kwargs/caller
  std::vector<Target> targets;  // With
  std::vector<ExprPtr> values;  // With
};

struct TemplateAst {
  QString source;  // normalised source the offsets refer to
  Body body;
};

}  // namespace distillery::jinja
