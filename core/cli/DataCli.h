// `distillery-cli data SUBCOMMAND ...`: what the subcommands share. DataCommand.cpp dispatches; each group of
// subcommands lives in its own file (DataInspectCommands.cpp, DataCleanCommands.cpp, DataGenerateCommand.cpp).
#pragma once
#include "cli/CliContext.h"
#include "data/DataSchema.h"
#include "data/RowReader.h"

#include <QtCore/QCommandLineOption>
#include <QtCore/QJsonObject>

#include <cstdint>
#include <functional>
#include <limits>

namespace distillery::cli {

// Subcommands. ctx.args[0] is "data SUB"; the rest are the subcommand's arguments.
int dataInspect(Context& ctx);   // data inspect FILE
int dataStats(Context& ctx);     // data stats FILE [--tokenizer DIR] [--against FILE] ...
int dataConvert(Context& ctx);   // data convert IN OUT.jsonl [--map ...]
int dataClean(Context& ctx);     // data clean IN OUT.jsonl [filters]
int dataDedup(Context& ctx);     // data dedup IN OUT.jsonl [--field text] [--threshold 0.9]
int dataSplit(Context& ctx);     // data split IN OUTDIR [--ratios 0.8,0.1,0.1] [--seed N] [--stratify FIELD]
int dataAugment(Context& ctx);   // data augment IN OUT.jsonl [--delete R] [--swap R] [--insert R]
int dataGenerate(Context& ctx);  // data generate IN OUT.jsonl --teacher DIR [generation settings]
int dataList(Context& ctx);      // data list [--workspace PATH]: registered datasets with their parents

// --format, --map, --on-bad-row: how every data subcommand reads its input.
struct DataInputOptions {
  QCommandLineOption format{QStringLiteral("format"),
                            QStringLiteral("auto (by extension, default), jsonl, json, csv, tsv, text, text_files."),
                            QStringLiteral("FORMAT"), QStringLiteral("auto")};
  QCommandLineOption map{QStringLiteral("map"),
                         QStringLiteral("Rename source fields to schema fields: prompt=question,completion=answer "
                                        "(or a JSON object)."),
                         QStringLiteral("SPEC")};
  QCommandLineOption onBadRow{QStringLiteral("on-bad-row"),
                              QStringLiteral("skip (count them, default) or fail (stop at the first)."),
                              QStringLiteral("POLICY"), QStringLiteral("skip")};

  void addTo(QCommandLineParser& p) const;
  // Format and bad-row policy (no progress); throws UsageError for a bad value.
  ReadOptions read(const QCommandLineParser& p) const;
  FieldMap fieldMap(const QCommandLineParser& p) const;
};

// --schema S, one of dataSchemas(); `what` starts its help text.
QCommandLineOption schemaOption(const QString& what);
// The --schema given (empty when none); throws UsageError for an unknown schema.
QString schemaValue(const QCommandLineParser& p);

// The value of --name as a whole number in [lo, hi] (fallback when not given); UsageError naming it otherwise.
int64_t wholeNumberOption(const QCommandLineParser& p, const QString& name, int64_t fallback, int64_t lo,
                          int64_t hi = std::numeric_limits<int64_t>::max());
// The value of --name as a number in [lo, hi] (fallback when not given); UsageError naming it otherwise.
double numberOption(const QCommandLineParser& p, const QString& name, double fallback, double lo, double hi);
// Exactly n positional arguments, else UsageError with the usage line.
QStringList positionals(const QCommandLineParser& p, int n, const QString& usage);

// The flag a DataOpSettings key is given by: "min_chars" → "--min-chars" (DataOpRequest::fieldName).
QString flagName(const QString& snakeKey);

// --workspace PATH: when given, a data command registers what it read and wrote in that workspace's store.
QCommandLineOption dataWorkspaceOption();

// Prints "label: 42% (done/total MiB)" to ctx.err at most every 0.5 s (nothing with --json, which keeps stderr
// for errors only); use as RowReader's ReadOptions::progress. Always returns true.
std::function<bool(int64_t, int64_t)> progressPrinter(Context& ctx, const QString& label);

// With a workspace path (else does nothing, returns 0): registers `input` (once, by path and content hash) and
// `output` as derived from it with the settings used and its statistics; returns the output's dataset id.
// input may be empty for a dataset with no parent. Throws StoreError.
int64_t registerDataset(const QString& workspace, const QString& input, const QString& output,
                        const QString& schema, int64_t rows, const QJsonObject& settings,
                        const QJsonObject& stats);

}  // namespace distillery::cli
