// Builds the AST of a chat template from its tokens, following Jinja 3's grammar (operator precedence,
// tuples, `is` tests, filters, slices, call arguments). Tags and filters Jinja has but this interpreter
// does not implement are refused here, at load time, with TemplateError(Unsupported).
#pragma once
#include "chat/JinjaAst.h"

namespace distillery::jinja {

// source: the raw template text (normalised inside). Throws TemplateError.
std::shared_ptr<const TemplateAst> parseTemplate(const QString& source);

}  // namespace distillery::jinja
