// distillery-cli data redact IN OUT.jsonl [--field F] [--mode mask|tag|drop] [--pattern NAME=REGEX]... [--workspace W]
//
// Writes OUT.jsonl atomically (rows in input order, fields other than the redacted ones untouched) and prints
// {"rows", "bad_rows", "written", "rows_changed", "rows_dropped", "counts": {TYPE: n}}. Without --field every string
// value of a row is redacted, nested ones (chat messages) included. A bad --pattern or --mode is refused before
// anything is read or written.
#include "cli/DataCli.h"
#include "common/Error.h"
#include "data/Redact.h"

#include <QtCore/QJsonArray>

namespace distillery::cli {

int dataRedact(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data redact IN.jsonl OUT.jsonl [--field text] [--mode mask|tag|drop] [--pattern NAME=REGEX]...\n"
      "    [--on-bad-row skip|fail] [--workspace PATH]");
  QCommandLineParser p;
  DataInputOptions input;
  const QCommandLineOption field(QStringLiteral("field"),
                                 QStringLiteral("Redact only this field (default: every string value of a row)."),
                                 QStringLiteral("FIELD"));
  const QCommandLineOption mode(QStringLiteral("mode"),
                                QStringLiteral("mask (letters/digits → *, default), tag ([EMAIL], ...) or drop the row."),
                                QStringLiteral("MODE"), QStringLiteral("mask"));
  const QCommandLineOption pattern(QStringLiteral("pattern"),
                                   QStringLiteral("A user pattern NAME=REGEX (repeatable); its tag is [NAME]."),
                                   QStringLiteral("NAME=REGEX"));
  const QCommandLineOption workspace = dataWorkspaceOption();
  input.addTo(p);
  p.addOptions({field, mode, pattern, workspace});
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL of the redacted rows, in their original order."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList paths = positionals(p, 2, usage);

  RedactFileOptions o;
  o.redact.mode = parseRedactMode(p.value(mode), QStringLiteral("--mode"));
  for (const QString& spec : p.values(pattern)) {
    PiiPattern pat = parsePiiPattern(spec);
    for (const PiiPattern& other : o.redact.patterns)
      if (other.name == pat.name)
        throw UsageError({}, QStringLiteral("--pattern"), spec, QStringLiteral("name \"%1\" is given twice").arg(pat.name));
    o.redact.patterns.append(pat);
  }
  o.field = p.value(field);
  o.read = input.read(p);
  o.read.progress = progressPrinter(ctx, QStringLiteral("redact"));
  const RedactReport r = redactFile(paths[0], paths[1], o);
  if (r.badRows) ctx.err << "skipped " << r.badRows << " bad row(s)" << Qt::endl;

  QJsonObject settings{{QStringLiteral("operation"), QStringLiteral("redact")},
                       {QStringLiteral("mode"), redactModeName(o.redact.mode)},
                       {QStringLiteral("field"), o.field}};
  QJsonArray patterns;
  for (const PiiPattern& pat : o.redact.patterns) patterns.append(QString(pat.name + QLatin1Char('=') + pat.regex.pattern()));
  settings.insert(QStringLiteral("patterns"), patterns);
  const QJsonObject report = r.toJson();
  registerDataset(p.value(workspace), paths[0], paths[1], QString(), r.written, settings, report);
  ctx.print(report);
  return 0;
}

}  // namespace distillery::cli
