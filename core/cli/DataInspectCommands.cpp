// distillery-cli data inspect | stats | convert: what a dataset file holds, its statistics (and drift against
// another), and any supported input rewritten as JSONL in one schema.
#include "cli/DataCli.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "data/DataSchema.h"
#include "data/DataStats.h"
#include "data/RowReader.h"

#include <QtCore/QJsonArray>

#include <optional>

namespace distillery::cli {

namespace {

// The row with only its schema's fields (what `convert` writes).
QJsonObject schemaFields(const QJsonObject& row, const QString& schema) {
  static const QMap<QString, QStringList> fields = {{"text", {"text"}},
                                                    {"alpaca", {"instruction", "input", "output"}},
                                                    {"sharegpt", {"conversations"}},
                                                    {"messages", {"messages"}},
                                                    {"prompt_completion", {"prompt", "completion"}}};
  QJsonObject out;
  for (const QString& f : fields.value(schema))
    if (row.contains(f)) out.insert(f, row.value(f));
  return out;
}

}  // namespace

int dataInspect(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data inspect FILE [--format F] [--map SPEC] [--on-bad-row skip|fail] [--sample N]");
  QCommandLineParser p;
  const DataInputOptions in;
  in.addTo(p);
  p.addOption({QStringLiteral("sample"), QStringLiteral("Rows to show after mapping (default 3)."),
               QStringLiteral("N"), QStringLiteral("3")});
  p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Dataset file (or a folder of .txt/.md files)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString path = positionals(p, 1, usage).first();
  const int64_t sampleRows = wholeNumberOption(p, QStringLiteral("sample"), 3, 0);
  const FieldMap map = in.fieldMap(p);
  RowReader reader(path, in.read(p));
  QMap<QString, int64_t> schemas;
  QJsonArray sample;
  Row row;
  while (reader.next(row)) {
    const QJsonObject fields = applyFieldMap(row.fields, map);
    const QString schema = detectSchema(fields);
    schemas[schema.isEmpty() ? QStringLiteral("unknown") : schema] += 1;
    if (sample.size() < sampleRows) sample.append(QJsonObject{{"line", qint64(row.line)}, {"row", fields}});
  }
  QString majority;
  QJsonObject counts;
  for (auto it = schemas.begin(); it != schemas.end(); ++it) {
    counts.insert(it.key(), qint64(it.value()));
    if (majority.isEmpty() || it.value() > schemas.value(majority)) majority = it.key();
  }
  QJsonObject out = reader.report();
  if (!reader.columns().isEmpty()) out.insert("columns", QJsonArray::fromStringList(reader.columns()));
  out.insert("schema", majority);
  out.insert("schemas", counts);
  out.insert("mixed", schemas.size() > 1);
  out.insert("sample", sample);
  ctx.print(out);
  return 0;
}

int dataStats(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data stats FILE [--tokenizer DIR] [--model DIR] [--against FILE2] [--threshold Z] [--bins N] "
      "[--schema S] [--map SPEC] [--format F] [--on-bad-row skip|fail] [--device cpu|cuda] [--max-length N] "
      "[--workspace PATH]");
  QCommandLineParser p;
  const DataInputOptions in;
  in.addTo(p);
  const QCommandLineOption where = dataWorkspaceOption();
  p.addOptions({
      {QStringLiteral("tokenizer"), QStringLiteral("Model folder whose tokenizer counts tokens."),
       QStringLiteral("DIR")},
      {QStringLiteral("model"), QStringLiteral("Model folder: per-row perplexity under it (and its tokenizer)."),
       QStringLiteral("DIR")},
      {QStringLiteral("against"), QStringLiteral("A second dataset: drift of its features against FILE's."),
       QStringLiteral("FILE2")},
      {QStringLiteral("threshold"), QStringLiteral("Drift is flagged where |z| exceeds this (default 3.0)."),
       QStringLiteral("Z"), QStringLiteral("3.0")},
      {QStringLiteral("bins"), QStringLiteral("Equal-width token-length histogram bins (default 20)."),
       QStringLiteral("N")},
      {QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE")},
      {QStringLiteral("max-length"), QStringLiteral("Perplexity: tokens per row at most (default 512)."),
       QStringLiteral("N")},
      schemaOption(QStringLiteral("The rows' schema")),
      where,
  });
  p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Dataset file."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString path = positionals(p, 1, usage).first();
  bool ok = false;
  const double threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
  if (!ok || !(threshold > 0))
    throw UsageError(QString(), QStringLiteral("--threshold"), p.value(QStringLiteral("threshold")),
                     QStringLiteral("must be a number > 0"));
  StatsOptions o;
  o.read = in.read(p);
  o.map = in.fieldMap(p);
  o.schema = schemaValue(p);
  o.tokenizerDir = p.value(QStringLiteral("tokenizer"));
  o.modelDir = p.value(QStringLiteral("model"));
  o.bins = int(wholeNumberOption(p, QStringLiteral("bins"), o.bins, 1));
  o.maxLength = wholeNumberOption(p, QStringLiteral("max-length"), o.maxLength, 2);
  if (!o.modelDir.isEmpty()) o.device = parseDevice(p.value(QStringLiteral("device")));
  o.read.progress = progressPrinter(ctx, path);
  const DatasetStats stats = datasetStats(path, o);
  QJsonObject statsJson = stats.toJson();
  const QJsonObject settings{{"operation", "stats"},
                             {"tokenizer", o.tokenizerDir},
                             {"model", o.modelDir},
                             {"map", p.value(in.map)}};
  registerDataset(p.value(where), QString(), path, statsJson.value("schema").toString(), stats.rows, settings,
                  statsJson);
  const QString against = p.value(QStringLiteral("against"));
  if (against.isEmpty()) {
    ctx.print(statsJson);
    return 0;
  }
  o.read.progress = progressPrinter(ctx, against);
  const DatasetStats other = datasetStats(against, o);
  const QJsonObject otherJson = other.toJson();
  registerDataset(p.value(where), QString(), against, otherJson.value("schema").toString(), other.rows, settings,
                  otherJson);
  ctx.print(QJsonObject{{"a", statsJson}, {"b", otherJson}, {"drift", drift(stats, other, threshold).toJson()}});
  return 0;
}

int dataConvert(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data convert IN OUT.jsonl [--format F] [--map SPEC] [--schema S] [--on-bad-row skip|fail] "
      "[--workspace PATH]");
  QCommandLineParser p;
  const DataInputOptions in;
  in.addTo(p);
  const QCommandLineOption where = dataWorkspaceOption();
  p.addOptions({schemaOption(QStringLiteral("The output's schema; rows that do not fit it are bad rows")), where});
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file (or a folder of .txt/.md files)."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL file to write."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 2, usage);
  const FieldMap map = in.fieldMap(p);
  ReadOptions read = in.read(p);
  read.progress = progressPrinter(ctx, args[0]);
  QString schema = schemaValue(p);
  RowReader reader(args[0], read);
  RowWriter writer(args[1]);
  int64_t misfits = 0;
  QJsonArray issues;  // rows that do not fit the schema
  Row row;
  while (reader.next(row)) {
    const QJsonObject fields = applyFieldMap(row.fields, map);
    if (schema.isEmpty()) schema = detectSchema(fields);  // the first row that fits one decides
    const QString at = QStringLiteral("%1:%2").arg(row.source).arg(row.line);
    try {
      if (schema.isEmpty()) throw FormatError(at, QString(), QString(), QStringLiteral("fits no schema (use --map)"));
      rowMessages(fields, schema, at);  // validates: throws for a missing or wrong-typed field
    } catch (const FormatError& e) {
      if (read.onBadRow == BadRowPolicy::Fail) throw;
      const QString reason = e.field().isEmpty() ? e.detail() : e.field() + QLatin1Char(' ') + e.detail();
      if (++misfits + reader.badRows() <= RowReader::kMaxIssues)
        issues.append(QJsonObject{{"line", qint64(row.line)}, {"reason", reason}});
      continue;
    }
    writer.write(schemaFields(fields, schema));
  }
  writer.commit();
  // The reader's own issues (bad JSON, cells...) come first, then rows that did not fit the schema.
  QJsonArray all = reader.report().value("issues").toArray();
  for (const QJsonValue& i : issues) all.append(i);
  const QJsonObject out{{"input", args[0]},
                        {"output", args[1]},
                        {"format", formatName(reader.format())},
                        {"rows", qint64(reader.rows() + reader.badRows())},
                        {"written", qint64(writer.rows())},
                        {"bad_rows", qint64(reader.badRows() + misfits)},
                        {"schema", schema},
                        {"issues", all}};
  registerDataset(p.value(where), args[0], args[1], schema, writer.rows(),
                  QJsonObject{{"operation", "convert"},
                              {"format", formatName(reader.format())},
                              {"map", p.value(in.map)},
                              {"schema", schema},
                              {"on_bad_row", p.value(in.onBadRow)}},
                  QJsonObject{{"rows", qint64(writer.rows())}, {"bad_rows", qint64(reader.badRows() + misfits)}});
  ctx.print(out);
  return 0;
}

}  // namespace distillery::cli
