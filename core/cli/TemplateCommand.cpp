// distillery-cli template TOKENIZER_DIR [--add-generation-prompt] [--context JSON]: renders the tokenizer's
// chat template for the JSON array of messages ([{"role": ..., "content": ...}, ...]) read from stdin and
// prints the text exactly as rendered: no newline is added, so `| xxd` shows the template's own bytes.
// With --json it prints {"text": ...} on one line instead. Message and context objects keep their key order
// (as Python's json.loads does), which matters for templates that print tools with `tojson`.
#include "chat/ChatTemplate.h"
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

namespace {

int templateMain(Context& ctx) {
  const QString usage =
      QStringLiteral("distillery-cli template TOKENIZER_DIR [--add-generation-prompt] [--context JSON] < messages.json");
  QCommandLineParser p;
  const QCommandLineOption generation(QStringLiteral("add-generation-prompt"),
                                      QStringLiteral("End with the header that starts the assistant's reply."));
  const QCommandLineOption context(QStringLiteral("context"),
                                   QStringLiteral("Extra template variables as a JSON object, e.g. "
                                                  "'{\"enable_thinking\": false}' or '{\"tools\": [...]}'."),
                                   QStringLiteral("JSON"));
  p.addOption(generation);
  p.addOption(context);
  p.addPositionalArgument(QStringLiteral("TOKENIZER_DIR"),
                          QStringLiteral("Folder with tokenizer_config.json (or the file itself)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 1)
    throw UsageError(QStringLiteral("`template` takes one TOKENIZER_DIR\nusage: ") + usage);

  const ChatTemplate chat = ChatTemplate::fromTokenizerConfig(p.positionalArguments().first());
  const QByteArray messages = ctx.in.readAll().toUtf8();
  if (messages.trimmed().isEmpty())
    throw UsageError(QStringLiteral("expected a JSON array of messages on stdin\nusage: ") + usage);
  const QString text = chat.renderJson(messages, p.isSet(generation), p.value(context).toUtf8());
  if (ctx.json) ctx.print(QJsonObject{{QStringLiteral("text"), text}});
  else ctx.out << text;
  ctx.out.flush();
  return 0;
}

}  // namespace

Command templateCommand() {
  return {QStringLiteral("template"),
          QStringLiteral("render a tokenizer's chat template for JSON messages on stdin, as transformers does"),
          templateMain};
}

}  // namespace distillery::cli
