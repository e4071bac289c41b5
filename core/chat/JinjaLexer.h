// Splits a chat template into tokens exactly as Jinja 3's lexer does under transformers' settings
// (trim_blocks, lstrip_blocks, keep_trailing_newline off): template data with the whitespace control of
// `{%- -%}`, `{{- -}}`, `{#- -#}`, `{%+`, comments dropped, `{% raw %}` passed through, and inside tags the
// expression tokens (names, strings with Python escapes, numbers, operators).
#pragma once
#include <QtCore/QString>

#include <vector>

namespace distillery::jinja {

struct Token {
  enum Type { Data, VariableBegin, VariableEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, Eof };
  Type type = Eof;
  QString text;        // data, name, decoded string, operator, or the literal text of a number
  qint64 integer = 0;  // Integer
  double real = 0;     // Float
  qsizetype pos = 0;   // offset in the normalised source
};

// The source with newlines normalised to "\n" and one trailing newline dropped, as Jinja reads it.
QString normalizeTemplateSource(const QString& source);

// Tokenises a normalised source. Throws TemplateError(Syntax) on malformed tags.
std::vector<Token> tokenize(const QString& source);

}  // namespace distillery::jinja
