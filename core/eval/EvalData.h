// The rows an evaluation job scores (data.test), read once, then tokenized for each model with that model's
// tokenizer and chat template (models of one job may tokenize differently).
//
//   std::vector<EvalRow> rows = readEvalRows(spec.data.test, options);   // FormatError("FILE:LINE", ...)
//   EvalInputs in = renderEvalInputs(rows, Tokenizer::fromDirectory(dir), dir, options);
//
// What a row gives each task (format = data.format, fields renamed by data.fields first):
//   perplexity, next_token_accuracy: the whole row as training with responses_only false renders it (text: BOS +
//     text + EOS; prompt_completion: BOS + prompt + completion + EOS; chats: the chat template), every token scored
//   generation: the prompt as training renders it — prompt_completion: BOS + the prompt text, no template; chats:
//     the prompt messages (everything before the last assistant message) through the chat template with the
//     generation prompt — and the reference answer: the completion / the last assistant message
//   multiple_choice: the row's choices (eval.choices_field, strings) and answer (eval.answer_field: 0-based index or
//     the right choice's text); the context is the prompt text (prompt_completion, choices joined with lm-eval's
//     " " delimiter) or the templated prompt (chats, no delimiter). A row with no reference of its own has the
//     right choice as its generation reference; prompt_completion rows then need no completion.
#pragma once
#include "data/DataSchema.h"
#include "eval/LmMetrics.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

class Tokenizer;

struct EvalDataOptions {
  QString format = "text";           // data.format: text | alpaca | sharegpt | messages | prompt_completion
  FieldMap fields;                   // data.fields: schema field → source field
  QStringList tasks;                 // eval.tasks: decides what each row must have
  int64_t maxSamples = 0;            // the first N rows only; 0: all
  QString choicesField = "choices";  // eval.choices_field
  QString answerField = "answer";    // eval.answer_field
  bool fidelity = false;             // a baseline is set: the whole rows are tokenized for the comparison
};

struct EvalRow {
  int64_t index = 0;    // 0-based position among the rows evaluated
  int64_t line = 0;     // 1-based line of the file where the row starts
  QString where;        // "FILE:LINE", for errors
  QJsonObject row;      // the source row with data.fields applied (the multiple-choice fields moved below)
  QJsonArray prompt;    // the prompt as messages (prompt_completion: one user message); empty for text
  QString input;        // the prompt as a person reads it (text data: the text itself)
  QString reference;    // the expected answer; empty when the row has none
  QStringList choices;  // multiple_choice: the candidate answers
  int gold = -1;        // multiple_choice: index of the right one
  // The row's scalar fields (strings up to 200 characters, numbers, booleans) minus the ones above: what results
  // can later be sliced by (group, domain, language).
  QJsonObject sliceFields() const;
};

// The prompt as a person reads it (EvalRow::input): one message's text; several as "role: text" paragraphs.
QString readablePrompt(const QJsonArray& prompt);

// Reads path row by row (a bad row fails with FormatError "FILE:LINE"), takes the first maxSamples rows and checks
// each has what the tasks need. Throws FormatError(path, "data.test", ...) when no row is left.
std::vector<EvalRow> readEvalRows(const QString& path, const EvalDataOptions& o);

// The rows tokenized for one model (only what the tasks need; the other vectors stay empty).
struct EvalInputs {
  std::vector<std::vector<int32_t>> texts;    // perplexity / next-token accuracy / fidelity: per row, all of it
  std::vector<std::vector<int64_t>> prompts;  // generation: per row, the prompt ids
  std::vector<ChoiceQuestion> questions;      // multiple choice: per row
};

// Throws FormatError naming the row for a row the model's template cannot render or an empty prompt.
EvalInputs renderEvalInputs(const std::vector<EvalRow>& rows, const Tokenizer& tokenizer, const QString& modelDir,
                            const QString& file, const EvalDataOptions& o);

}  // namespace distillery
