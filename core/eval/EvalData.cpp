#include "eval/EvalData.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "data/Example.h"
#include "data/RowReader.h"
#include "tokenizer/Tokenizer.h"

#include <cmath>
#include <optional>

namespace distillery {

namespace {

const QString kPromptCompletion = QStringLiteral("prompt_completion");

bool needs(const EvalDataOptions& o, const char* task) { return o.tasks.contains(QLatin1String(task)); }

QString contentOf(const QJsonValue& message) { return message.toObject().value(QStringLiteral("content")).toString(); }

}  // namespace

// One user message: its text; more: "role: text" paragraphs, so a multi-turn prompt still reads as a dialogue.
QString readablePrompt(const QJsonArray& prompt) {
  if (prompt.size() == 1) return contentOf(prompt[0]);
  QStringList parts;
  for (const QJsonValue& m : prompt)
    parts << m.toObject().value(QStringLiteral("role")).toString() + QStringLiteral(": ") + contentOf(m);
  return parts.join(QStringLiteral("\n\n"));
}

namespace {

QString stringField(const QJsonObject& row, const QString& field, const QString& where, bool required) {
  const QJsonValue v = row.value(field);
  if (v.isUndefined() || v.isNull()) {
    if (required) throw FormatError(where, field, QString(), QStringLiteral("is missing"));
    return {};
  }
  if (!v.isString()) throw FormatError(where, field, jsonText(v), QStringLiteral("must be a string"));
  return v.toString();
}

void readChoices(EvalRow& r, const EvalDataOptions& o) {
  const QJsonValue choices = r.row.value(o.choicesField);
  if (!choices.isArray() || choices.toArray().isEmpty())
    throw FormatError(r.where, o.choicesField, jsonText(choices),
                      QStringLiteral("must be a non-empty list of answer texts (multiple_choice)"));
  for (const QJsonValue& c : choices.toArray()) {
    if (!c.isString() || c.toString().isEmpty())
      throw FormatError(r.where, o.choicesField, jsonText(choices), QStringLiteral("must hold non-empty strings only"));
    r.choices << c.toString();
  }
  const QJsonValue answer = r.row.value(o.answerField);
  if (answer.isDouble()) {
    const double d = answer.toDouble();
    if (d == std::floor(d) && d >= 0 && d < double(r.choices.size())) r.gold = int(d);
  } else if (answer.isString()) {
    r.gold = int(r.choices.indexOf(answer.toString()));
  }
  if (r.gold < 0)
    throw FormatError(r.where, o.answerField, jsonText(answer),
                      QStringLiteral("must be the index (0..%1) or the text of one of the %2 choices")
                          .arg(r.choices.size() - 1)
                          .arg(o.choicesField));
}

EvalRow readRow(const QJsonObject& source, const QString& where, const EvalDataOptions& o) {
  EvalRow r;
  r.where = where;
  r.row = applyFieldMap(source, o.fields);
  if (o.format == QLatin1String("text")) {
    r.input = rowText(r.row, o.format, where);
    return r;
  }
  const bool choice = needs(o, "multiple_choice");
  if (choice) readChoices(r, o);
  if (o.format == kPromptCompletion) {
    // Read field by field: a multiple-choice row may come without a completion.
    const QString prompt = stringField(r.row, QStringLiteral("prompt"), where, true);
    r.prompt =
        QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), prompt}}};
    r.reference = stringField(r.row, QStringLiteral("completion"), where, !choice);
  } else {
    r.prompt = promptMessages(r.row, o.format, where);
    const QJsonArray all = rowMessages(r.row, o.format, where);
    if (all.last().toObject().value(QStringLiteral("role")).toString() == QLatin1String("assistant"))
      r.reference = contentOf(all.last());
  }
  r.input = readablePrompt(r.prompt);
  if (r.reference.isEmpty() && choice) r.reference = r.choices[r.gold];
  if (r.reference.isEmpty() && needs(o, "generation"))
    throw FormatError(where, o.format == kPromptCompletion ? QStringLiteral("completion") : QStringLiteral("messages"),
                      QString(), QStringLiteral("has no reference answer to score the generation against"));
  return r;
}

}  // namespace

QJsonObject EvalRow::sliceFields() const {
  static const QStringList content = {"text",          "instruction", "input",  "output",
                                      "conversations", "messages",    "prompt", "completion"};
  QJsonObject out;
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (content.contains(it.key())) continue;
    const QJsonValue v = it.value();
    if ((v.isString() && v.toString().size() <= 200) || v.isDouble() || v.isBool()) out.insert(it.key(), v);
  }
  return out;
}

std::vector<EvalRow> readEvalRows(const QString& path, const EvalDataOptions& o) {
  std::vector<EvalRow> rows;
  RowReader reader(path, {.onBadRow = BadRowPolicy::Fail});
  Row row;
  while ((o.maxSamples <= 0 || int64_t(rows.size()) < o.maxSamples) && reader.next(row)) {
    EvalRow r = readRow(row.fields, QStringLiteral("%1:%2").arg(row.source).arg(row.line), o);
    r.index = int64_t(rows.size());
    r.line = row.line;
    // The slice fields exclude the multiple-choice fields, which are content too.
    r.row.remove(o.choicesField);
    r.row.remove(o.answerField);
    rows.push_back(std::move(r));
  }
  if (rows.empty())
    throw FormatError(path, QStringLiteral("data.test"), QString(), QStringLiteral("has no rows to evaluate"));
  return rows;
}

EvalInputs renderEvalInputs(const std::vector<EvalRow>& rows, const Tokenizer& tokenizer, const QString& modelDir,
                            const QString& file, const EvalDataOptions& o) {
  EvalInputs in;
  const bool chat = o.format != QLatin1String("text") && o.format != kPromptCompletion;
  std::optional<ChatTemplate> templ;
  if (chat && (needs(o, "generation") || needs(o, "multiple_choice"))) templ = modelChatTemplate(tokenizer, modelDir);
  const auto promptText = [&](const EvalRow& r) {
    return templ ? templ->render(r.prompt, true) : contentOf(r.prompt[0]);
  };

  if (needs(o, "perplexity") || needs(o, "next_token_accuracy") || o.fidelity) {
    const ExampleRenderer renderer(tokenizer, modelDir, o.format, /*responsesOnly=*/false);
    for (const EvalRow& r : rows) in.texts.push_back(renderer.render(r.row, file, r.line).ids);
  }
  if (needs(o, "generation")) {
    for (const EvalRow& r : rows) {
      // As training renders the prompt: BOS with a plain prompt; the template carries its own special tokens.
      const std::vector<int32_t> ids = tokenizer.encode(promptText(r), !templ);
      if (ids.empty())
        throw FormatError(r.where, QStringLiteral("prompt"), QString(), QStringLiteral("is empty: nothing to answer"));
      in.prompts.emplace_back(ids.begin(), ids.end());
    }
  }
  if (needs(o, "multiple_choice")) {
    for (const EvalRow& r : rows) {
      ChoiceQuestion q;
      q.context = promptText(r);
      q.choices = r.choices;
      q.gold = r.gold;
      if (templ) q.delimiter.clear();  // the answer starts right after the assistant turn's header
      in.questions.push_back(std::move(q));
    }
  }
  return in;
}

}  // namespace distillery
