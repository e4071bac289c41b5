// What the chat-template interpreter throws internally; ChatTemplate turns it into distillery::FormatError
// with the template's path and a line:column.
#pragma once
#include <QtCore/QString>

#include <exception>

namespace distillery::jinja {

struct TemplateError : std::exception {
  enum Kind {
    Syntax,       // malformed template text
    Unsupported,  // valid Jinja that this interpreter does not implement
    Runtime,      // a Python-level error while rendering (undefined attribute, bad operand types, ...)
    Raised,       // the template called raise_exception(message)
  };
  TemplateError(Kind k, const QString& construct, const QString& message, qsizetype pos = -1)
      : kind(k), construct(construct), message(message), pos(pos) {}
  const char* what() const noexcept override { return "chat template error"; }

  Kind kind;
  QString construct;  // the offending piece of syntax or name, e.g. "{% include %}", "|groupby"
  QString message;
  qsizetype pos;      // offset in the (newline-normalised) template source, -1 when unknown
};

// Shorthands for the Python errors templates can hit while rendering.
[[noreturn]] inline void runtimeError(const QString& message, const QString& construct = {}) {
  throw TemplateError(TemplateError::Runtime, construct, message);
}
[[noreturn]] inline void unsupported(const QString& construct, qsizetype pos = -1) {
  throw TemplateError(TemplateError::Unsupported, construct, QStringLiteral("is not supported"), pos);
}

}  // namespace distillery::jinja
