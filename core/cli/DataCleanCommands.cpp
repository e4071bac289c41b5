// distillery-cli data clean | dedup | split | augment: the cleaning group of `data` subcommands (DataCli.h).
//
//   data clean IN OUT.jsonl [filters] [--report REPORT.json]       cleaning report (DataClean.h)
//   data dedup IN OUT.jsonl [--field text] [--threshold 0.9]        {"rows", "kept", "removed_exact", "removed_near"}
//   data split IN OUTDIR [--ratios 0.8,0.1,0.1] [--seed 0] [--stratify FIELD] [--threshold 0.9]
//   data augment IN OUT.jsonl [--delete R] [--swap R] [--insert R] [--copies N] [--seed S] [--field F]
//
// Each reads any RowReader format, shows progress on stderr, and with --workspace registers IN and what it wrote.
#include "cli/DataCli.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "data/Augment.h"
#include "data/DataClean.h"
#include "data/DataOp.h"
#include "data/DataSplit.h"
#include "store/Workspace.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <limits>
#include <optional>

namespace distillery::cli {

namespace {

QCommandLineOption valueOption(const QString& name, const QString& help, const QString& valueName,
                               const QString& fallback = {}) {
  return QCommandLineOption(name, help, valueName, fallback);
}

// The options every subcommand here shares: reading, the compared field, the workspace.
struct Common {
  QCommandLineOption field = valueOption(QStringLiteral("field"),
                                         QStringLiteral("Compare/augment this string field (default: the row's text by its schema)."),
                                         QStringLiteral("FIELD"));
  DataInputOptions input;
  QCommandLineOption workspace = dataWorkspaceOption();

  void add(QCommandLineParser& p) const {
    input.addTo(p);
    p.addOptions({field, workspace});
  }

  // The request every subcommand here starts from: reading settings (checked here, so errors name the flags),
  // the compared field, the workspace's store, progress on stderr.
  DataOpRequest request(const QCommandLineParser& p, Context& ctx, const QString& op, const QStringList& paths,
                        std::optional<Workspace>& ws) const {
    input.read(p);  // UsageError naming --format / --on-bad-row
    DataOpRequest r;
    r.settings.op = op;
    r.settings.input = paths[0];
    r.settings.output = paths[1];
    r.settings.format = p.value(input.format);
    r.settings.onBadRow = p.value(input.onBadRow);
    r.settings.field = p.value(field);
    r.fieldName = flagName;
    r.readProgress = progressPrinter(ctx, op);
    if (p.isSet(workspace)) {
      ws.emplace(Workspace::open(p.value(workspace)));
      r.store = &ws->store();
    }
    return r;
  }
};

// Dedup settings shared by clean, dedup and split.
struct DedupArgs {
  QCommandLineOption threshold = valueOption(QStringLiteral("threshold"),
                                             QStringLiteral("Jaccard similarity of near duplicates, in (0, 1) (default 0.9)."),
                                             QStringLiteral("J"));
  QCommandLineOption numPerm = valueOption(QStringLiteral("num-perm"), QStringLiteral("MinHash permutations (default 128)."),
                                           QStringLiteral("N"));
  QCommandLineOption shingle = valueOption(QStringLiteral("shingle"), QStringLiteral("Characters per shingle (default 5)."),
                                           QStringLiteral("N"));
  QCommandLineOption seed = valueOption(QStringLiteral("minhash-seed"), QStringLiteral("MinHash permutation seed (default 1)."),
                                        QStringLiteral("S"));
  QCommandLineOption casefold{QStringLiteral("casefold"), QStringLiteral("Compare texts case-folded.")};

  void add(QCommandLineParser& p, bool withSeed = true) const {
    p.addOptions({threshold, numPerm, shingle, casefold});
    if (withSeed) p.addOption(seed);
  }
  void apply(const QCommandLineParser& p, const QString& seedName, DataOpSettings& s) const {
    s.threshold = numberOption(p, threshold.names().constFirst(), s.threshold, 0.0, 1.0);   // 0 and 1: refused by Dedup
    s.numPerm = int(wholeNumberOption(p, numPerm.names().constFirst(), s.numPerm, 1, 4096));
    s.shingle = int(wholeNumberOption(p, shingle.names().constFirst(), s.shingle, 1, 1000));
    s.minhashSeed = uint64_t(wholeNumberOption(p, seedName, int64_t(s.minhashSeed), 0));
    s.casefold = p.isSet(casefold);
  }
};

QStringList twoPaths(const QCommandLineParser& p, const QString& what, const QString& usage) {
  const QStringList a = p.positionalArguments();
  if (a.size() != 2) throw UsageError(QStringLiteral("expected %1\nusage: ").arg(what) + usage);
  return a;
}

// Bad rows go to stderr (stdout keeps the result alone).
void reportBadRows(Context& ctx, const DataOpResult& r) {
  if (!r.badRows) return;
  ctx.err << "skipped " << r.badRows << " bad row(s)";
  for (const QString& note : r.badRowNotes) ctx.err << "\n  " << note;
  ctx.err << Qt::endl;
}

}  // namespace

int dataClean(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data clean IN OUT.jsonl [--min-chars N] [--max-chars N] [--min-tokens N] [--max-tokens N]\n"
      "    [--tokenizer DIR] [--keep-empty] [--unicode none|nfc|nfkc] [--keep-control] [--scripts han,latin,...]\n"
      "    [--min-script-share X] [--no-exact-dedup] [--near-dedup] [--threshold 0.9] [--casefold] [--field F]\n"
      "    [--report REPORT.json] [--workspace PATH]");
  QCommandLineParser p;
  Common common;
  DedupArgs dedupArgs;
  const QCommandLineOption minChars(QStringLiteral("min-chars"), QStringLiteral("Drop rows with fewer characters."), QStringLiteral("N"));
  const QCommandLineOption maxChars(QStringLiteral("max-chars"), QStringLiteral("Drop rows with more characters."), QStringLiteral("N"));
  const QCommandLineOption minTokens(QStringLiteral("min-tokens"), QStringLiteral("Drop rows with fewer tokens (needs --tokenizer)."), QStringLiteral("N"));
  const QCommandLineOption maxTokens(QStringLiteral("max-tokens"), QStringLiteral("Drop rows with more tokens (needs --tokenizer)."), QStringLiteral("N"));
  const QCommandLineOption tokenizer(QStringLiteral("tokenizer"), QStringLiteral("Model or tokenizer folder for the token filters."), QStringLiteral("DIR"));
  const QCommandLineOption keepEmpty(QStringLiteral("keep-empty"), QStringLiteral("Keep empty and whitespace-only rows."));
  const QCommandLineOption unicode(QStringLiteral("unicode"), QStringLiteral("Normalise text fields: none (default), nfc, nfkc."),
                                   QStringLiteral("FORM"), QStringLiteral("none"));
  const QCommandLineOption keepControl(QStringLiteral("keep-control"), QStringLiteral("Keep control characters (default: removed, \\n and \\t kept)."));
  const QCommandLineOption scripts(QStringLiteral("scripts"), QStringLiteral("Keep rows whose letters are mostly in these scripts (cjk, han, latin, cyrillic, ...)."),
                                   QStringLiteral("LIST"));
  const QCommandLineOption minShare(QStringLiteral("min-script-share"), QStringLiteral("Share of letters in --scripts to keep a row (default 0.5)."),
                                    QStringLiteral("X"));
  const QCommandLineOption noExact(QStringLiteral("no-exact-dedup"), QStringLiteral("Keep exact duplicates."));
  const QCommandLineOption near(QStringLiteral("near-dedup"), QStringLiteral("Drop near duplicates (MinHash LSH at --threshold)."));
  const QCommandLineOption reportPath(QStringLiteral("report"), QStringLiteral("Also write the report as JSON to this file."), QStringLiteral("FILE"));
  const QCommandLineOption examples(QStringLiteral("max-lines"), QStringLiteral("Line numbers listed per reason (default 20)."), QStringLiteral("N"));
  p.addOptions({minChars, maxChars, minTokens, maxTokens, tokenizer, keepEmpty, unicode, keepControl, scripts, minShare,
                noExact, near, reportPath, examples});
  common.add(p);
  dedupArgs.add(p);
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file (JSONL, JSON, CSV/TSV, text) or folder of text files."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("Cleaned JSONL."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList paths = twoPaths(p, QStringLiteral("IN and OUT"), usage);

  std::optional<Workspace> ws;
  DataOpRequest r = common.request(p, ctx, QStringLiteral("clean"), paths, ws);
  DataOpSettings& s = r.settings;
  s.unicode = p.value(unicode);
  parseUnicodeForm(s.unicode, QStringLiteral("--unicode"));
  s.keepControl = p.isSet(keepControl);
  s.keepEmpty = p.isSet(keepEmpty);
  s.minChars = wholeNumberOption(p, minChars.names().constFirst(), 0, 0);
  s.maxChars = wholeNumberOption(p, maxChars.names().constFirst(), 0, 0);
  s.minTokens = wholeNumberOption(p, minTokens.names().constFirst(), 0, 0);
  s.maxTokens = wholeNumberOption(p, maxTokens.names().constFirst(), 0, 0);
  s.tokenizer = p.value(tokenizer);
  if (p.isSet(scripts)) {
    parseScripts(p.value(scripts), QStringLiteral("--scripts"));
    for (const QString& name : p.value(scripts).split(QLatin1Char(','), Qt::SkipEmptyParts)) s.scripts << name.trimmed();
  }
  s.minScriptShare = numberOption(p, minShare.names().constFirst(), s.minScriptShare, 0.0, 1.0);
  s.maxLines = int(wholeNumberOption(p, examples.names().constFirst(), s.maxLines, 0, 1000000));
  dedupArgs.apply(p, dedupArgs.seed.names().constFirst(), s);
  s.exactDedup = !p.isSet(noExact);
  s.nearDedup = p.isSet(near);

  const DataOpResult result = runDataOp(r);
  if (p.isSet(reportPath))
    writeFileAtomically(p.value(reportPath), QJsonDocument(result.report).toJson(QJsonDocument::Indented));
  ctx.print(result.summary);
  return 0;
}

int dataDedup(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data dedup IN.jsonl OUT.jsonl [--field text] [--threshold 0.9] [--num-perm 128] [--shingle 5]\n"
      "    [--seed 1] [--casefold] [--on-bad-row skip|fail] [--workspace PATH]");
  QCommandLineParser p;
  Common common;
  DedupArgs dedupArgs;
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("MinHash permutation seed (default 1)."), QStringLiteral("S"));
  common.add(p);
  dedupArgs.add(p, false);
  p.addOption(seed);
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL of the kept rows, in their original order."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList paths = twoPaths(p, QStringLiteral("IN and OUT"), usage);

  std::optional<Workspace> ws;
  DataOpRequest r = common.request(p, ctx, QStringLiteral("dedup"), paths, ws);
  dedupArgs.apply(p, seed.names().constFirst(), r.settings);
  const DataOpResult result = runDataOp(r);
  reportBadRows(ctx, result);
  ctx.print(result.summary);
  return 0;
}

int dataSplit(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data split IN OUTDIR [--ratios 0.8,0.1,0.1] [--seed 0] [--stratify FIELD] [--threshold 0.9]\n"
      "    [--field F] [--workspace PATH]");
  QCommandLineParser p;
  Common common;
  DedupArgs dedupArgs;
  const QCommandLineOption ratios(QStringLiteral("ratios"), QStringLiteral("train,validation,test shares summing to 1 (default 0.8,0.1,0.1)."),
                                  QStringLiteral("R"), QStringLiteral("0.8,0.1,0.1"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Shuffle seed (default 0)."), QStringLiteral("S"));
  const QCommandLineOption stratify(QStringLiteral("stratify"), QStringLiteral("Split each value of this field by the ratios."), QStringLiteral("FIELD"));
  common.add(p);
  dedupArgs.add(p);
  p.addOptions({ratios, seed, stratify});
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file."));
  p.addPositionalArgument(QStringLiteral("OUTDIR"), QStringLiteral("Folder for train.jsonl, validation.jsonl, test.jsonl."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList paths = twoPaths(p, QStringLiteral("IN and OUTDIR"), usage);

  std::optional<Workspace> ws;
  DataOpRequest r = common.request(p, ctx, QStringLiteral("split"), paths, ws);
  DataOpSettings& s = r.settings;
  s.ratios = parseRatios(p.value(ratios), QStringLiteral("--ratios"));
  s.seed = uint64_t(wholeNumberOption(p, seed.names().constFirst(), 0, 0));
  s.stratify = p.value(stratify);
  dedupArgs.apply(p, dedupArgs.seed.names().constFirst(), s);
  const DataOpResult result = runDataOp(r);
  if (result.badRows) ctx.err << "skipped " << result.badRows << " bad row(s)" << Qt::endl;
  ctx.print(result.summary);
  return 0;
}

int dataAugment(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data augment IN OUT.jsonl [--delete R] [--swap R] [--insert R] [--copies N] [--seed S] [--field F]\n"
      "    [--only-copies] [--workspace PATH]");
  QCommandLineParser p;
  Common common;
  const QCommandLineOption del(QStringLiteral("delete"), QStringLiteral("Probability of deleting each word (default 0.1)."), QStringLiteral("R"));
  const QCommandLineOption swap(QStringLiteral("swap"), QStringLiteral("Swaps per word (default 0.1)."), QStringLiteral("R"));
  const QCommandLineOption insert(QStringLiteral("insert"), QStringLiteral("Insertions of a word of the same text, per word (default 0.1)."), QStringLiteral("R"));
  const QCommandLineOption copies(QStringLiteral("copies"), QStringLiteral("Augmented copies per row (default 1)."), QStringLiteral("N"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default 0)."), QStringLiteral("S"));
  const QCommandLineOption onlyCopies(QStringLiteral("only-copies"), QStringLiteral("Write the copies without the source rows."));
  common.add(p);
  p.addOptions({del, swap, insert, copies, seed, onlyCopies});
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset file."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL: each source row, then its copies."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList paths = twoPaths(p, QStringLiteral("IN and OUT"), usage);

  AugmentOptions o;
  o.deleteRate = numberOption(p, del.names().constFirst(), o.deleteRate, 0.0, 0.999999);
  o.swapRate = numberOption(p, swap.names().constFirst(), o.swapRate, 0.0, 1.0);
  o.insertRate = numberOption(p, insert.names().constFirst(), o.insertRate, 0.0, 1.0);
  o.copies = int(wholeNumberOption(p, copies.names().constFirst(), o.copies, 1, 1000));
  o.seed = uint64_t(wholeNumberOption(p, seed.names().constFirst(), 0, 0));
  o.field = p.value(common.field);
  o.keepOriginals = !p.isSet(onlyCopies);
  o.read = common.input.read(p);
  o.read.progress = progressPrinter(ctx, QStringLiteral("augment"));
  const AugmentReport r = augmentFile(paths[0], paths[1], o);
  const QJsonObject settings{{QStringLiteral("operation"), QStringLiteral("augment")},
                             {QStringLiteral("delete"), o.deleteRate}, {QStringLiteral("swap"), o.swapRate},
                             {QStringLiteral("insert"), o.insertRate}, {QStringLiteral("copies"), o.copies},
                             {QStringLiteral("seed"), QString::number(o.seed)}, {QStringLiteral("field"), o.field},
                             {QStringLiteral("only_copies"), !o.keepOriginals}};
  registerDataset(p.value(common.workspace), paths[0], paths[1], QString(), r.written, settings, r.toJson());
  if (r.badRows) ctx.err << "skipped " << r.badRows << " bad row(s)" << Qt::endl;
  ctx.print(r.toJson());
  return 0;
}

}  // namespace distillery::cli
