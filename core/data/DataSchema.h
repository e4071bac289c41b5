// What a row means: the schemas chat datasets come in, how to tell them apart, and a field mapping for
// anything else. Rows are JSON objects as RowReader gives them.
//
//   text               {"text"}                                   raw text, every token trained on
//   alpaca             {"instruction", "input"?, "output"}
//   sharegpt           {"conversations": [{"from": "system"|"human"|"gpt", "value"}]}
//   messages           {"messages": [{"role": "system"|"user"|"assistant", "content"}]}   (OpenAI)
//   prompt_completion  {"prompt", "completion"}
//
// A FieldMap renames source fields to the schema's before anything else looks at the row, e.g. for a CSV with
// columns "question,answer": {"prompt": "question", "completion": "answer"} (schema prompt_completion).
#pragma once
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace distillery {

// The schema names above, in that order.
const QStringList& dataSchemas();

// The schema a row follows by its fields (messages, then conversations, then instruction+output, then
// prompt+completion, then text); empty when none fits.
QString detectSchema(const QJsonObject& row);

// schema field → source field. Parsed from "prompt=question,completion=answer" or a JSON object.
using FieldMap = QMap<QString, QString>;
FieldMap parseFieldMap(const QString& spec, const QString& where);  // UsageError naming where and the bad part

// The row with mapped fields renamed (source fields not in the map are kept as they are).
QJsonObject applyFieldMap(const QJsonObject& row, const FieldMap& map);

// The row as a conversation [{"role": "system"|"user"|"assistant", "content"}] (alpaca: user = instruction
// [+ "\n\n" + input], assistant = output; prompt_completion: user = prompt, assistant = completion; text: one
// assistant message). Throws FormatError(where, field, value, why) for a missing or wrong-typed field.
QJsonArray rowMessages(const QJsonObject& row, const QString& schema, const QString& where);

// All the row's text joined with "\n" in reading order (roles and field names left out): what cleaning
// filters, dedup compares and statistics count. Throws like rowMessages.
QString rowText(const QJsonObject& row, const QString& schema, const QString& where);

// The prompt part for generation: the conversation up to (not including) its last assistant message, or the
// whole conversation when it does not end with one. Throws like rowMessages, and when nothing is left.
QJsonArray promptMessages(const QJsonObject& row, const QString& schema, const QString& where);

}  // namespace distillery
