// The Models panel's facts view: inspectModel()'s JSON (core/model/ModelFacts.h) as readable HTML, and the
// tokenizer check (does tokenizer.json load, does its vocabulary fit the config's vocab_size).
#pragma once
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace distillery::ui {

// The translation context of these texts: ModelFactsText::tr files them (for lupdate and at run time) under
// "distillery::ui::ModelFactsText", named like the panels' classes, not under the bare namespace.
class ModelFactsText {
  Q_DECLARE_TR_FUNCTIONS(distillery::ui::ModelFactsText)
};

struct TokenizerCheck {
  enum class State { Ok, Padded, Mismatch, Missing, Broken } state = State::Missing;
  QString text;  // one translated sentence saying what was found
};

// From facts["tokenizer"] and facts["vocab"]: Ok (sizes equal), Padded (config has more rows than the tokenizer
// uses: fine), Mismatch (the tokenizer has ids the model cannot embed), Missing (no tokenizer.json), Broken
// (it does not load; the error is in the text).
TokenizerCheck checkTokenizer(const QJsonObject& facts);

// A table of the facts: architecture, parameters, layers, heads, KV heads, head dim, hidden, vocab, dtype,
// checkpoint, tokenizer check, memory estimates.
QString modelFactsHtml(const QJsonObject& facts);

// "1.5 GiB", "12.3 MiB", "512 B".
QString bytesText(double bytes);

}  // namespace distillery::ui
