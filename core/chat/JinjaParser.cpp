#include "chat/JinjaParser.h"

#include "chat/JinjaBuiltins.h"
#include "chat/JinjaError.h"
#include "chat/JinjaLexer.h"

#include <QtCore/QSet>

namespace distillery::jinja {

namespace {

constexpr int kMaxDepth = 200;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Body parse() {
    Body body = subparse({});
    if (cur().type != Token::Eof) fail(cur(), QStringLiteral("is unexpected"));
    return body;
  }

 private:
  // ---- token stream ----
  const Token& cur() const { return t_[i_]; }
  const Token& look() const { return t_[std::min(i_ + 1, t_.size() - 1)]; }
  const Token& next() {
    const Token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  bool isOp(const char* op) const { return cur().type == Token::Operator && cur().text == QLatin1String(op); }
  bool isName(const char* n) const { return cur().type == Token::Name && cur().text == QLatin1String(n); }
  bool skipOp(const char* op) {
    if (!isOp(op)) return false;
    next();
    return true;
  }
  bool skipName(const char* n) {
    if (!isName(n)) return false;
    next();
    return true;
  }

  static QString describe(const Token& t) {
    switch (t.type) {
      case Token::Eof: return QStringLiteral("end of template");
      case Token::BlockEnd: return QStringLiteral("%}");
      case Token::VariableEnd: return QStringLiteral("}}");
      case Token::BlockBegin: return QStringLiteral("{%");
      case Token::VariableBegin: return QStringLiteral("{{");
      case Token::Data: return QStringLiteral("template text");
      case Token::String: return QLatin1Char('\'') + t.text + QLatin1Char('\'');
      default: return t.text;
    }
  }
  [[noreturn]] void fail(const Token& t, const QString& message) {
    throw TemplateError(TemplateError::Syntax, describe(t), message, t.pos);
  }
  [[noreturn]] void expected(const QString& what) {
    fail(cur(), QStringLiteral("is unexpected, expected %1").arg(what));
  }
  void expectOp(const char* op) {
    if (!skipOp(op)) expected(QLatin1Char('\'') + QLatin1String(op) + QLatin1Char('\''));
  }
  void expectType(Token::Type type, const char* what) {
    if (cur().type != type) expected(QString::fromLatin1(what));
    next();
  }
  QString expectNameToken() {
    if (cur().type != Token::Name) expected(QStringLiteral("a name"));
    return next().text;
  }

  struct DepthGuard {
    DepthGuard(Parser& p) : p(p) {
      if (++p.depth_ > kMaxDepth)
        throw TemplateError(TemplateError::Unsupported, QStringLiteral("nesting"),
                            QStringLiteral("deeper than %1 levels is not supported").arg(kMaxDepth), p.cur().pos);
    }
    ~DepthGuard() { --p.depth_; }
    Parser& p;
  };

  static ExprPtr make(Expr::Kind kind, qsizetype pos) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    return e;
  }
  static StmtPtr makeStmt(Stmt::Kind kind, qsizetype pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->pos = pos;
    return s;
  }

  // ---- statements ----
  Body subparse(const QStringList& endTags) {
    DepthGuard guard(*this);
    Body body;
    while (true) {
      const Token& t = cur();
      if (t.type == Token::Eof) return body;
      if (t.type == Token::Data) {
        auto s = makeStmt(Stmt::Data, t.pos);
        s->text = t.text;
        body.push_back(std::move(s));
        next();
      } else if (t.type == Token::VariableBegin) {
        next();
        auto s = makeStmt(Stmt::Output, t.pos);
        s->expr = parseTuple(false, true, {}, false);
        expectType(Token::VariableEnd, "'}}'");
        body.push_back(std::move(s));
      } else if (t.type == Token::BlockBegin) {
        next();
        if (cur().type == Token::Name && endTags.contains(cur().text)) return body;
        body.push_back(parseStatement());
        expectType(Token::BlockEnd, "'%}'");
      } else {
        fail(t, QStringLiteral("is unexpected"));
      }
    }
  }

  // Body up to one of endTags; leaves the end tag's name as the current token.
  Body statements(const QStringList& endTags, const Token& opener) {
    skipOp(":");  // `{% if x: %}` is accepted for Python's sake, as in Jinja
    expectType(Token::BlockEnd, "'%}'");
    stack_.push_back(endTags);
    Body body = subparse(endTags);
    stack_.pop_back();
    if (cur().type == Token::Eof)
      throw TemplateError(TemplateError::Syntax, QStringLiteral("{% %1 %}").arg(opener.text),
                          QStringLiteral("is never closed: the template ends before {% %1 %}").arg(endTags.last()),
                          opener.pos);
    return body;
  }
  Body statementsDrop(const QStringList& endTags, const Token& opener) {
    Body body = statements(endTags, opener);
    next();
    return body;
  }

  StmtPtr parseStatement() {
    DepthGuard guard(*this);
    const Token& t = cur();
    if (t.type != Token::Name) fail(t, QStringLiteral("is unexpected, expected a tag name"));
    const QString tag = t.text;
    if (tag == QLatin1String("if")) return parseIf();
    if (tag == QLatin1String("for")) return parseFor();
    if (tag == QLatin1String("set")) return parseSet();
    if (tag == QLatin1String("macro")) return parseMacro();
    if (tag == QLatin1String("call")) return parseCallBlock();
    if (tag == QLatin1String("filter")) return parseFilterBlock();
    if (tag == QLatin1String("with")) return parseWith();
    if (tag == QLatin1String("print")) return parsePrint();
    if (tag == QLatin1String("generation")) {
      const Token& opener = next();
      auto s = makeStmt(Stmt::Scope, opener.pos);
      s->body = statementsDrop({QStringLiteral("endgeneration")}, opener);
      return s;
    }
    if (tag == QLatin1String("break") || tag == QLatin1String("continue")) {
      if (loopDepth_ == 0)
        throw TemplateError(TemplateError::Syntax, QStringLiteral("{% %1 %}").arg(tag),
                            QStringLiteral("is outside a for loop"), t.pos);
      next();
      return makeStmt(tag == QLatin1String("break") ? Stmt::Break : Stmt::Continue, t.pos);
    }
    static const QSet<QString> unsupportedTags = {
        QStringLiteral("block"),   QStringLiteral("extends"), QStringLiteral("include"),
        QStringLiteral("import"),  QStringLiteral("from"),    QStringLiteral("autoescape"),
        QStringLiteral("do"),      QStringLiteral("trans"),   QStringLiteral("pluralize")};
    if (unsupportedTags.contains(tag)) unsupported(QStringLiteral("{% %1 %}").arg(tag), t.pos);
    QString message = QStringLiteral("is not a known tag");
    if (!stack_.empty())
      message += QStringLiteral(" here; the innermost open block expects {% %1 %}").arg(stack_.back().last());
    throw TemplateError(TemplateError::Syntax, QStringLiteral("{% %1 %}").arg(tag), message, t.pos);
  }

  StmtPtr parseIf() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::If, opener.pos);
    while (true) {
      s->conds.push_back(parseTuple(false, false, {}, false));
      s->bodies.push_back(statements({QStringLiteral("elif"), QStringLiteral("else"), QStringLiteral("endif")}, opener));
      const Token& t = next();
      if (t.text == QLatin1String("elif")) continue;
      if (t.text == QLatin1String("else")) s->elseBody = statementsDrop({QStringLiteral("endif")}, opener);
      break;
    }
    return s;
  }

  StmtPtr parseFor() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::For, opener.pos);
    s->target = assignTarget(parseTuple(true, true, {QStringLiteral("in")}, false));
    if (!skipName("in")) expected(QStringLiteral("'in'"));
    s->expr = parseTuple(false, false, {QStringLiteral("recursive")}, false);
    if (skipName("if")) s->cond = parseExpression(true);
    if (isName("recursive")) unsupported(QStringLiteral("{% for ... recursive %}"), cur().pos);
    ++loopDepth_;
    s->body = statements({QStringLiteral("endfor"), QStringLiteral("else")}, opener);
    --loopDepth_;
    if (next().text == QLatin1String("else")) s->elseBody = statementsDrop({QStringLiteral("endfor")}, opener);
    return s;
  }

  Target assignTarget(const ExprPtr& e) {
    Target t;
    if (e->kind == Expr::Name) {
      t.names.push_back(e->name);
      return t;
    }
    if (e->kind == Expr::Tuple) {
      t.tuple = true;
      for (const ExprPtr& item : e->args) {
        if (item->kind != Expr::Name) unsupported(QStringLiteral("nested tuple assignment"), item->pos);
        t.names.push_back(item->name);
      }
      return t;
    }
    throw TemplateError(TemplateError::Syntax, QStringLiteral("assignment"),
                        QStringLiteral("needs a name or a tuple of names as its target"), e->pos);
  }

  StmtPtr parseSet() {
    const Token& opener = next();
    Target target;
    if (cur().type == Token::Name && look().type == Token::Operator && look().text == QLatin1String(".")) {
      target.names.push_back(next().text);
      next();
      target.attribute = expectNameToken();
    } else {
      target = assignTarget(parseTuple(true, true, {}, false));
    }
    if (skipOp("=")) {
      auto s = makeStmt(Stmt::Set, opener.pos);
      s->target = target;
      s->expr = parseTuple(false, true, {}, false);
      return s;
    }
    auto s = makeStmt(Stmt::SetBlock, opener.pos);
    s->target = target;
    if (isOp("|")) s->expr = parseFilter(nullptr, false);
    s->body = statementsDrop({QStringLiteral("endset")}, opener);
    return s;
  }

  void parseSignature(Stmt& s) {
    expectOp("(");
    while (!isOp(")")) {
      if (!s.params.empty()) expectOp(",");
      if (isOp(")")) break;
      s.params.push_back(expectNameToken());
      if (skipOp("=")) {
        s.defaults.push_back(parseExpression(true));
      } else {
        for (const ExprPtr& d : s.defaults)
          if (d) fail(cur(), QStringLiteral("is a non-default argument after a default argument"));
        s.defaults.push_back(nullptr);
      }
    }
    expectOp(")");
  }

  StmtPtr parseMacro() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::Macro, opener.pos);
    s->name = expectNameToken();
    parseSignature(*s);
    const int savedLoops = loopDepth_;
    loopDepth_ = 0;
    s->body = statementsDrop({QStringLiteral("endmacro")}, opener);
    loopDepth_ = savedLoops;
    markSpecialNames(*s);
    return s;
  }

  StmtPtr parseCallBlock() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::CallBlock, opener.pos);
    s->name = QStringLiteral("caller");
    if (isOp("(")) parseSignature(*s);
    s->expr = parseExpression(true);
    if (s->expr->kind != Expr::Call) fail(opener, QStringLiteral("needs a macro call"));
    const int savedLoops = loopDepth_;
    loopDepth_ = 0;
    s->body = statementsDrop({QStringLiteral("endcall")}, opener);
    loopDepth_ = savedLoops;
    markSpecialNames(*s);
    return s;
  }

  StmtPtr parseFilterBlock() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::FilterBlock, opener.pos);
    s->expr = parseFilter(nullptr, true);
    s->body = statementsDrop({QStringLiteral("endfilter")}, opener);
    return s;
  }

  StmtPtr parseWith() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::With, opener.pos);
    while (cur().type != Token::BlockEnd) {
      if (!s->targets.empty()) expectOp(",");
      s->targets.push_back(assignTarget(parseTuple(true, true, {}, false)));
      expectOp("=");
      s->values.push_back(parseExpression(true));
    }
    s->body = statementsDrop({QStringLiteral("endwith")}, opener);
    return s;
  }

  StmtPtr parsePrint() {
    const Token& opener = next();
    auto s = makeStmt(Stmt::Output, opener.pos);
    auto tuple = make(Expr::Concat, opener.pos);
    while (cur().type != Token::BlockEnd) {
      if (!tuple->args.empty()) expectOp(",");
      tuple->args.push_back(parseExpression(true));
    }
    s->expr = std::move(tuple);
    return s;
  }

  // Which of varargs / kwargs / caller a macro body reads (Jinja lets extra arguments through only then).
  static void findNames(const Expr* e, Stmt& m) {
    if (!e) return;
    if (e->kind == Expr::Name) {
      m.catchVarargs |= e->name == QLatin1String("varargs");
      m.catchKwargs |= e->name == QLatin1String("kwargs");
      m.catchCaller |= e->name == QLatin1String("caller");
    }
    for (const Expr* c : {e->a.get(), e->b.get(), e->c.get(), e->d.get()}) findNames(c, m);
    for (const ExprPtr& c : e->args) findNames(c.get(), m);
    for (const auto& [k, c] : e->kwargs) findNames(c.get(), m);
  }
  static void findNames(const Body& body, Stmt& m) {
    for (const StmtPtr& s : body) {
      for (const Expr* e : {s->expr.get(), s->cond.get()}) findNames(e, m);
      for (const ExprPtr& e : s->conds) findNames(e.get(), m);
      for (const ExprPtr& e : s->defaults) findNames(e.get(), m);
      for (const ExprPtr& e : s->values) findNames(e.get(), m);
      for (const Body& b : s->bodies) findNames(b, m);
      findNames(s->body, m);
      findNames(s->elseBody, m);
    }
  }
  static void markSpecialNames(Stmt& m) {
    findNames(m.body, m);
    for (const ExprPtr& d : m.defaults) findNames(d.get(), m);
  }

  // ---- expressions ----
  bool isTupleEnd(const QStringList& extraEnd) const {
    const Token& t = cur();
    if (t.type == Token::VariableEnd || t.type == Token::BlockEnd || t.type == Token::Eof) return true;
    if (t.type == Token::Operator && t.text == QLatin1String(")")) return true;
    return t.type == Token::Name && extraEnd.contains(t.text);
  }

  ExprPtr parseTuple(bool simplified, bool withCondexpr, const QStringList& extraEnd, bool explicitParens) {
    const qsizetype pos = cur().pos;
    std::vector<ExprPtr> args;
    bool isTuple = false;
    while (true) {
      if (!args.empty()) expectOp(",");
      if (isTupleEnd(extraEnd)) break;
      args.push_back(simplified ? parsePrimary() : parseExpression(withCondexpr));
      if (isOp(",")) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (!args.empty()) return std::move(args.front());
      if (!explicitParens) expected(QStringLiteral("an expression"));
    }
    auto e = make(Expr::Tuple, pos);
    e->args = std::move(args);
    return e;
  }

  ExprPtr parseExpression(bool withCondexpr) {
    DepthGuard guard(*this);
    return withCondexpr ? parseCondexpr() : parseOr();
  }

  ExprPtr parseCondexpr() {
    ExprPtr e = parseOr();
    while (isName("if")) {
      const qsizetype pos = next().pos;
      auto c = make(Expr::CondExpr, pos);
      c->a = std::move(e);
      c->b = parseOr();
      if (skipName("else")) c->c = parseCondexpr();
      e = std::move(c);
    }
    return e;
  }

  ExprPtr parseOr() {
    ExprPtr left = parseAnd();
    while (isName("or")) {
      auto e = make(Expr::Or, next().pos);
      e->a = std::move(left);
      e->b = parseAnd();
      left = std::move(e);
    }
    return left;
  }

  ExprPtr parseAnd() {
    ExprPtr left = parseNot();
    while (isName("and")) {
      auto e = make(Expr::And, next().pos);
      e->a = std::move(left);
      e->b = parseNot();
      left = std::move(e);
    }
    return left;
  }

  ExprPtr parseNot() {
    if (isName("not")) {
      DepthGuard guard(*this);
      auto e = make(Expr::Not, next().pos);
      e->a = parseNot();
      return e;
    }
    return parseCompare();
  }

  ExprPtr parseCompare() {
    const qsizetype pos = cur().pos;
    ExprPtr first = parseMath1();
    std::vector<QString> ops;
    std::vector<ExprPtr> rest;
    static const QSet<QString> compareOps = {QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<"),
                                             QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=")};
    while (true) {
      if (cur().type == Token::Operator && compareOps.contains(cur().text)) {
        ops.push_back(next().text);
      } else if (isName("in")) {
        next();
        ops.push_back(QStringLiteral("in"));
      } else if (isName("not") && look().type == Token::Name && look().text == QLatin1String("in")) {
        next();
        next();
        ops.push_back(QStringLiteral("notin"));
      } else {
        break;
      }
      rest.push_back(parseMath1());
    }
    if (ops.empty()) return first;
    auto e = make(Expr::Compare, pos);
    e->a = std::move(first);
    e->ops = std::move(ops);
    e->args = std::move(rest);
    return e;
  }

  ExprPtr binary(const QString& op, ExprPtr left, ExprPtr right, qsizetype pos) {
    auto e = make(Expr::Binary, pos);
    e->name = op;
    e->a = std::move(left);
    e->b = std::move(right);
    return e;
  }

  ExprPtr parseMath1() {
    ExprPtr left = parseConcat();
    while (isOp("+") || isOp("-")) {
      const Token& t = next();
      left = binary(t.text, std::move(left), parseConcat(), t.pos);
    }
    return left;
  }

  ExprPtr parseConcat() {
    const qsizetype pos = cur().pos;
    ExprPtr first = parseMath2();
    if (!isOp("~")) return first;
    auto e = make(Expr::Concat, pos);
    e->args.push_back(std::move(first));
    while (skipOp("~")) e->args.push_back(parseMath2());
    return e;
  }

  ExprPtr parseMath2() {
    ExprPtr left = parsePow();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
      const Token& t = next();
      left = binary(t.text, std::move(left), parsePow(), t.pos);
    }
    return left;
  }

  ExprPtr parsePow() {
    ExprPtr left = parseUnary(true);
    while (isOp("**")) {
      const Token& t = next();
      left = binary(t.text, std::move(left), parseUnary(true), t.pos);
    }
    return left;
  }

  ExprPtr parseUnary(bool withFilter) {
    DepthGuard guard(*this);
    ExprPtr node;
    if (isOp("-") || isOp("+")) {
      const Token& t = next();
      node = make(t.text == QLatin1String("-") ? Expr::Neg : Expr::Pos, t.pos);
      node->a = parseUnary(false);
    } else {
      node = parsePrimary();
    }
    node = parsePostfix(std::move(node));
    if (withFilter) node = parseFilterExpr(std::move(node));
    return node;
  }

  ExprPtr parsePrimary() {
    DepthGuard guard(*this);
    const Token& t = cur();
    if (t.type == Token::Name) {
      next();
      auto e = make(Expr::Const, t.pos);
      if (t.text == QLatin1String("true") || t.text == QLatin1String("True")) e->value = Value::boolean(true);
      else if (t.text == QLatin1String("false") || t.text == QLatin1String("False")) e->value = Value::boolean(false);
      else if (t.text == QLatin1String("none") || t.text == QLatin1String("None")) e->value = Value::none();
      else {
        e->kind = Expr::Name;
        e->name = t.text;
      }
      return e;
    }
    if (t.type == Token::String) {
      auto e = make(Expr::Const, t.pos);
      QString s;
      while (cur().type == Token::String) s += next().text;
      e->value = Value::string(s);
      return e;
    }
    if (t.type == Token::Integer || t.type == Token::Float) {
      next();
      auto e = make(Expr::Const, t.pos);
      e->value = t.type == Token::Integer ? Value::integer(t.integer) : Value::real(t.real);
      return e;
    }
    if (t.type == Token::Operator && t.text == QLatin1String("(")) {
      next();
      ExprPtr e = parseTuple(false, true, {}, true);
      expectOp(")");
      return e;
    }
    if (t.type == Token::Operator && t.text == QLatin1String("[")) {
      next();
      auto e = make(Expr::List, t.pos);
      while (!isOp("]")) {
        if (!e->args.empty()) expectOp(",");
        if (isOp("]")) break;
        e->args.push_back(parseExpression(true));
      }
      expectOp("]");
      return e;
    }
    if (t.type == Token::Operator && t.text == QLatin1String("{")) {
      next();
      auto e = make(Expr::Dict, t.pos);
      while (!isOp("}")) {
        if (!e->args.empty()) expectOp(",");
        if (isOp("}")) break;
        e->args.push_back(parseExpression(true));
        expectOp(":");
        e->args.push_back(parseExpression(true));
      }
      expectOp("}");
      return e;
    }
    fail(t, QStringLiteral("is unexpected, expected an expression"));
  }

  ExprPtr parsePostfix(ExprPtr node) {
    while (true) {
      if (isOp(".") || isOp("[")) node = parseSubscript(std::move(node));
      else if (isOp("(")) node = parseCall(std::move(node));
      else return node;
    }
  }

  ExprPtr parseFilterExpr(ExprPtr node) {
    while (true) {
      if (isOp("|")) node = parseFilter(std::move(node), false);
      else if (isName("is")) node = parseTest(std::move(node));
      else if (isOp("(")) node = parseCall(std::move(node));
      else return node;
    }
  }

  ExprPtr parseSubscript(ExprPtr node) {
    DepthGuard guard(*this);
    const Token& t = next();
    if (t.text == QLatin1String(".")) {
      const Token& attr = next();
      if (attr.type == Token::Name) {
        auto e = make(Expr::GetAttr, t.pos);
        e->a = std::move(node);
        e->name = attr.text;
        return e;
      }
      if (attr.type != Token::Integer) fail(attr, QStringLiteral("is unexpected, expected a name or number"));
      auto e = make(Expr::GetItem, t.pos);
      e->a = std::move(node);
      e->b = make(Expr::Const, attr.pos);
      e->b->value = Value::integer(attr.integer);
      return e;
    }
    std::vector<ExprPtr> args;
    while (!isOp("]")) {
      if (!args.empty()) expectOp(",");
      args.push_back(parseSubscribed());
    }
    expectOp("]");
    auto e = make(Expr::GetItem, t.pos);
    e->a = std::move(node);
    if (args.size() == 1) {
      if (args[0]->kind == Expr::Slice) {  // a[b:c:d]: the slice node takes the object
        args[0]->a = std::move(e->a);
        return std::move(args[0]);
      }
      e->b = std::move(args[0]);
    } else {
      for (const ExprPtr& a : args)
        if (a->kind == Expr::Slice) unsupported(QStringLiteral("multi-dimensional slice"), a->pos);
      e->b = make(Expr::Tuple, t.pos);
      e->b->args = std::move(args);
    }
    return e;
  }

  ExprPtr parseSubscribed() {
    const qsizetype pos = cur().pos;
    ExprPtr start, stop, step;
    if (isOp(":")) {
      next();
    } else {
      ExprPtr node = parseExpression(true);
      if (!isOp(":")) return node;
      next();
      start = std::move(node);
    }
    if (!isOp(":") && !isOp("]") && !isOp(",")) stop = parseExpression(true);
    if (skipOp(":")) {
      if (!isOp("]") && !isOp(",")) step = parseExpression(true);
    }
    auto e = make(Expr::Slice, pos);
    e->b = std::move(start);
    e->c = std::move(stop);
    e->d = std::move(step);
    return e;
  }

  void parseCallArgs(Expr& e) {
    const Token& open = cur();
    expectOp("(");
    bool requireComma = false;
    while (!isOp(")")) {
      if (requireComma) {
        expectOp(",");
        if (isOp(")")) break;
      }
      if (isOp("*") || isOp("**")) unsupported(QStringLiteral("*args/**kwargs in a call"), cur().pos);
      if (cur().type == Token::Name && look().type == Token::Operator && look().text == QLatin1String("=")) {
        const QString key = next().text;
        next();
        e.kwargs.emplace_back(key, parseExpression(true));
      } else {
        if (!e.kwargs.empty()) fail(open, QStringLiteral("has a positional argument after keyword arguments"));
        e.args.push_back(parseExpression(true));
      }
      requireComma = true;
    }
    expectOp(")");
  }

  ExprPtr parseCall(ExprPtr node) {
    DepthGuard guard(*this);
    auto e = make(Expr::Call, cur().pos);
    e->a = std::move(node);
    parseCallArgs(*e);
    return e;
  }

  QString dottedName() {
    QString name = expectNameToken();
    while (isOp(".")) {
      next();
      name += QLatin1Char('.') + expectNameToken();
    }
    return name;
  }

  ExprPtr parseFilter(ExprPtr node, bool startInline) {
    while (isOp("|") || startInline) {
      DepthGuard guard(*this);
      if (!startInline) next();
      startInline = false;
      const qsizetype pos = cur().pos;
      const QString name = dottedName();
      auto e = make(Expr::Filter, pos);
      e->a = std::move(node);
      e->name = name;
      if (isOp("(")) parseCallArgs(*e);
      node = std::move(e);
    }
    return node;
  }

  ExprPtr parseTest(ExprPtr node) {
    DepthGuard guard(*this);
    const Token& is = next();
    const bool negated = skipName("not");
    const qsizetype pos = cur().pos;
    const QString name = dottedName();
    auto e = make(Expr::Test, pos);
    e->a = std::move(node);
    e->name = name;
    const Token& t = cur();
    if (isOp("(")) {
      parseCallArgs(*e);
    } else if ((t.type == Token::Name || t.type == Token::String || t.type == Token::Integer ||
                t.type == Token::Float || isOp("[") || isOp("{")) &&
               !isName("else") && !isName("or") && !isName("and")) {
      if (isName("is")) fail(t, QStringLiteral("cannot chain tests"));
      e->args.push_back(parsePostfix(parsePrimary()));
    }
    if (!negated) return e;
    auto n = make(Expr::Not, is.pos);
    n->a = std::move(e);
    return n;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
  int loopDepth_ = 0;
  std::vector<QStringList> stack_;  // end tags of the open blocks, innermost last
};

// Jinja refuses unknown filters and tests when it compiles a template, except inside {% if %} and inline
// `a if b else c`, where the check waits until the filter is actually called (Jinja 3.0+). Filters Jinja has
// but this interpreter lacks are treated the same way, so a template whose unsupported filter sits in a
// branch never taken (say, only with tools) still renders.
void checkNames(const Expr* e, bool soft) {
  if (!e) return;
  if (e->kind == Expr::Filter || e->kind == Expr::Test) {
    const bool filter = e->kind == Expr::Filter;
    const Builtin status = filter ? filterStatus(e->name) : testStatus(e->name);
    const QString construct = QStringLiteral("%1 '%2'").arg(filter ? QStringLiteral("filter") : QStringLiteral("test"), e->name);
    if (status == Builtin::Unsupported && !soft) unsupported(construct, e->pos);
    if (status == Builtin::Unknown && !soft)
      throw TemplateError(TemplateError::Syntax, construct,
                          QStringLiteral("is not a known %1").arg(filter ? QStringLiteral("filter") : QStringLiteral("test")),
                          e->pos);
  }
  if (e->kind == Expr::CondExpr) soft = true;
  for (const Expr* child : {e->a.get(), e->b.get(), e->c.get(), e->d.get()}) checkNames(child, soft);
  for (const ExprPtr& child : e->args) checkNames(child.get(), soft);
  for (const auto& [key, child] : e->kwargs) checkNames(child.get(), soft);
}

void checkNames(const Body& body, bool soft) {
  for (const StmtPtr& s : body) {
    switch (s->kind) {
      case Stmt::If:
        for (const ExprPtr& c : s->conds) checkNames(c.get(), true);
        for (const Body& b : s->bodies) checkNames(b, true);
        checkNames(s->elseBody, true);
        break;
      case Stmt::For:
        checkNames(s->expr.get(), soft);
        checkNames(s->cond.get(), false);
        checkNames(s->body, false);
        checkNames(s->elseBody, false);
        break;
      case Stmt::CallBlock:
        checkNames(s->expr.get(), soft);
        [[fallthrough]];
      case Stmt::Macro:
        for (const ExprPtr& d : s->defaults) checkNames(d.get(), false);
        checkNames(s->body, false);
        break;
      case Stmt::With:
        for (const ExprPtr& v : s->values) checkNames(v.get(), soft);
        checkNames(s->body, false);
        break;
      case Stmt::SetBlock:
      case Stmt::FilterBlock:
        checkNames(s->expr.get(), false);
        checkNames(s->body, false);
        break;
      case Stmt::Scope:
        checkNames(s->body, false);
        break;
      default:
        checkNames(s->expr.get(), soft);
    }
  }
}

}  // namespace

std::shared_ptr<const TemplateAst> parseTemplate(const QString& source) {
  auto ast = std::make_shared<TemplateAst>();
  ast->source = normalizeTemplateSource(source);
  Parser parser(tokenize(ast->source));
  ast->body = parser.parse();
  checkNames(ast->body, false);
  return ast;
}

}  // namespace distillery::jinja
