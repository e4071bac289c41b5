// distillery-cli data inspect|stats|convert|clean|dedup|split|augment|generate|redact|list ...
// The dispatcher and what every data subcommand shares: --workspace registration and progress lines.
#include "cli/DataCli.h"

#include "common/Error.h"
#include "store/DatasetRegistration.h"
#include "store/DatasetStore.h"
#include "store/Workspace.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>


namespace distillery::cli {

namespace {

const Subcommand kSubcommands[] = {
    {"inspect", "format, schema, rows, bad rows and a sample of a dataset file", dataInspect},
    {"stats", "token lengths, vocabulary coverage, perplexity; drift against another dataset", dataStats},
    {"convert", "any supported format (JSONL, JSON, CSV/TSV, text) → JSONL in a schema", dataConvert},
    {"clean", "length/script filters, Unicode normalisation, exact and near-duplicate removal", dataClean},
    {"dedup", "exact and MinHash-LSH near-duplicate removal, original order kept", dataDedup},
    {"split", "train/validation/test by ratio, stratified, no near-duplicates across splits", dataSplit},
    {"augment", "random word deletion/swap/insertion copies", dataAugment},
    {"generate", "a teacher answers a dataset's prompts (sequence-level KD), resumable", dataGenerate},
    {"redact", "mask, tag or drop e-mails, phones, IPs, cards, IBANs, Chinese IDs/mobiles, own patterns", dataRedact},
    {"list", "datasets registered in a workspace, with their parents", dataList},
};

const QString kUsage = QStringLiteral("distillery-cli data SUBCOMMAND [ARGS...]   (data SUBCOMMAND --help)");

}  // namespace

QCommandLineOption dataWorkspaceOption() {
  return QCommandLineOption(QStringLiteral("workspace"),
                            QStringLiteral("Register the input and output datasets in this workspace (folder or "
                                           "its workspace.sqlite)."),
                            QStringLiteral("PATH"));
}

std::function<bool(int64_t, int64_t)> progressPrinter(Context& ctx, const QString& label) {
  if (ctx.json) return [](int64_t, int64_t) { return true; };
  QElapsedTimer timer;
  timer.start();
  return [&ctx, label, timer, last = qint64(-1)](int64_t done, int64_t total) mutable {
    const bool end = total > 0 && done >= total;
    if (!end && last >= 0 && timer.elapsed() - last < 500) return true;
    last = timer.elapsed();
    const double mib = 1024.0 * 1024.0;
    if (total > 0)
      ctx.err << label << ": " << qRound(100.0 * double(done) / double(total)) << "% ("
              << QString::number(double(done) / mib, 'f', 1) << "/" << QString::number(double(total) / mib, 'f', 1)
              << " MiB)" << (end ? "\n" : "\r");
    else
      ctx.err << label << ": " << QString::number(double(done) / mib, 'f', 1) << " MiB\r";
    ctx.err.flush();
    return true;
  };
}

int64_t registerDataset(const QString& workspace, const QString& input, const QString& output,
                        const QString& schema, int64_t rows, const QJsonObject& settings, const QJsonObject& stats) {
  if (workspace.isEmpty()) return 0;
  return registerDatasetFile(Workspace::open(workspace).store(), input, output, schema, rows, settings, stats);
}

int dataList(Context& ctx) {
  QCommandLineParser p;
  const QCommandLineOption where = workspaceOption();
  const QCommandLineOption lineage(QStringLiteral("lineage"),
                                   QStringLiteral("Only this dataset and its parents, back to its source."),
                                   QStringLiteral("ID"));
  p.addOption(where);
  p.addOption(lineage);
  const QString usage = QStringLiteral("distillery-cli data list [--lineage ID] [--workspace PATH]");
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (!p.positionalArguments().isEmpty()) throw UsageError(QStringLiteral("unexpected arguments\nusage: ") + usage);
  const Workspace ws = Workspace::open(p.value(where));
  const DatasetStore datasets(ws.store());
  std::vector<DatasetRow> rows;
  if (p.isSet(lineage)) {
    bool ok = false;
    const qint64 id = p.value(lineage).toLongLong(&ok);
    if (!ok || id < 1)
      throw UsageError({}, QStringLiteral("--lineage"), p.value(lineage), QStringLiteral("must be a dataset id ≥ 1"));
    rows = datasets.lineage(id);
  } else {
    rows = datasets.list();
  }
  if (ctx.json) {
    QJsonArray list;
    for (const DatasetRow& r : rows) list.append(r.toJson());
    ctx.print({{QStringLiteral("workspace"), ws.root()}, {QStringLiteral("datasets"), list}});
    return 0;
  }
  if (rows.empty()) ctx.out << "no datasets in " << ws.root() << Qt::endl;
  for (const DatasetRow& r : rows) {
    ctx.out << r.id << "  " << r.name << "  " << (r.schema.isEmpty() ? QStringLiteral("?") : r.schema) << "  "
            << (r.rows < 0 ? QStringLiteral("?") : QString::number(r.rows)) << " rows";
    if (r.parentId) ctx.out << "  from #" << r.parentId << " (" << r.settings.value(QStringLiteral("operation")).toString() << ")";
    ctx.out << "\n    " << r.path << Qt::endl;
  }
  return 0;
}

Command dataCommand() {
  return {QStringLiteral("data"), QStringLiteral("inspect, clean, deduplicate, split, generate and measure datasets"),
          [](Context& ctx) { return runSubcommand(ctx, kSubcommands, kUsage); }};
}

}  // namespace distillery::cli
