// distillery-cli tokenize TOKENIZER_DIR [--decode]: one JSON value per stdin line → one compact JSON line.
// Encoding: a JSON string → its ids, no special tokens added. Decoding: an array of ids → the text, special
// tokens kept. Blank lines are skipped; a bad line stops the run (exit 1) after the lines before it.
#include "cli/CliContext.h"
#include "common/Error.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace distillery::cli {

namespace {

// Parses one line holding a single JSON value (QJsonDocument only takes objects and arrays at the top).
QJsonValue parseValue(const QString& line, bool* ok) {
  QJsonParseError err{};
  const QJsonDocument doc =
      QJsonDocument::fromJson(QByteArray("[") + line.toUtf8() + QByteArray("]"), &err);
  *ok = err.error == QJsonParseError::NoError && doc.array().size() == 1;
  return *ok ? doc.array().at(0) : QJsonValue();
}

QString compact(const QJsonArray& a) { return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact)); }

int tokenize(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli tokenize TOKENIZER_DIR [--decode]");
  QCommandLineParser p;
  const QCommandLineOption decode(QStringLiteral("decode"),
                                  QStringLiteral("Read JSON arrays of ids and write the decoded texts."));
  p.addOption(decode);
  p.addPositionalArgument(QStringLiteral("TOKENIZER_DIR"), QStringLiteral("Folder with tokenizer.json."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 1)
    throw UsageError(QStringLiteral("`tokenize` takes one TOKENIZER_DIR\nusage: ") + usage);
  const Tokenizer tok = Tokenizer::fromDirectory(p.positionalArguments().first());
  const bool decoding = p.isSet(decode);

  for (qint64 lineNo = 1; !ctx.in.atEnd(); ++lineNo) {
    const QString line = ctx.in.readLine();
    if (line.trimmed().isEmpty()) continue;
    bool ok = false;
    const QJsonValue v = parseValue(line, &ok);
    const QString where = QStringLiteral("line %1").arg(lineNo);
    if (!decoding) {
      if (!ok || !v.isString()) throw FormatError(QStringLiteral("stdin"), where, QString(), QStringLiteral("must be a JSON string"));
      QJsonArray ids;
      for (int32_t id : tok.encode(v.toString())) ids.append(id);
      ctx.out << compact(ids) << '\n';
    } else {
      std::vector<int32_t> ids;
      bool idsOk = ok && v.isArray();
      for (const QJsonValue& x : v.toArray()) {
        const double d = x.toDouble(-1);
        if (!x.isDouble() || d < 0 || d > 2147483647.0 || d != double(qint64(d))) idsOk = false;
        else ids.push_back(int32_t(d));
      }
      if (!idsOk)
        throw FormatError(QStringLiteral("stdin"), where, QString(), QStringLiteral("must be a JSON array of token ids"));
      const QString json = compact(QJsonArray{tok.decode(ids)});
      ctx.out << QStringView(json).mid(1, json.size() - 2) << '\n';
    }
    ctx.out.flush();
  }
  return 0;
}

}  // namespace

Command tokenizeCommand() {
  return {QStringLiteral("tokenize"), QStringLiteral("encode JSON-string lines to ids (or --decode id arrays) with a tokenizer"),
          tokenize};
}

}  // namespace distillery::cli
