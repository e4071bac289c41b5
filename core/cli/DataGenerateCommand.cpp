// distillery-cli data generate IN OUT.jsonl --teacher DIR [sampling] [--batch N] [--limit N] [--workspace PATH]
#include "cli/DataCli.h"
#include "cli/Interrupt.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "data/TeacherData.h"

#include <QtCore/QFileInfo>

#include <atomic>

namespace distillery::cli {

namespace {

int64_t wholeNumber(const QCommandLineParser& p, const QCommandLineOption& o, int64_t fallback, int64_t least) {
  if (!p.isSet(o)) return fallback;
  bool ok = false;
  const qlonglong v = p.value(o).toLongLong(&ok);
  if (!ok || v < least)
    throw UsageError({}, QLatin1String("--") + o.names().first(), p.value(o),
                     QStringLiteral("must be a whole number ≥ %1").arg(least));
  return v;
}

}  // namespace

int dataGenerate(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data generate IN OUT.jsonl --teacher MODEL_DIR [--schema S] [--map F=G,...] [--batch N] "
      "[--limit N] [--max-prompt-tokens N] [sampling options] [--device cpu|cuda] [--dtype f32|bf16] "
      "[--on-bad-row skip|fail] [--workspace PATH]");
  QCommandLineParser p;
  const QCommandLineOption teacher(QStringLiteral("teacher"), QStringLiteral("The teacher's model folder."), QStringLiteral("DIR"));
  const QCommandLineOption schema(QStringLiteral("schema"), QStringLiteral("Schema of IN's rows (default: detected per row)."), QStringLiteral("S"));
  const QCommandLineOption map(QStringLiteral("map"), QStringLiteral("Field map, schema field=source field, comma-separated."), QStringLiteral("MAP"));
  const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Prompts per generation batch (default 8)."), QStringLiteral("N"));
  const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("Answer only the first N prompts."), QStringLiteral("N"));
  const QCommandLineOption maxPrompt(QStringLiteral("max-prompt-tokens"), QStringLiteral("Skip longer prompts (default 4096)."), QStringLiteral("N"));
  const QCommandLineOption badRow(QStringLiteral("on-bad-row"), QStringLiteral("skip (default) or fail."), QStringLiteral("POLICY"));
  const QCommandLineOption device(QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE"));
  const QCommandLineOption dtype(QStringLiteral("dtype"), kDtypeHelp, QStringLiteral("DTYPE"));
  const SamplingOptions sampling;
  p.addOptions({teacher, schema, map, batch, limit, maxPrompt, badRow, device, dtype, dataWorkspaceOption()});
  sampling.addTo(p);
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset with the prompts (any supported format)."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL to write: prompts with the teacher's answers."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = p.positionalArguments();
  if (args.size() != 2) throw UsageError(QStringLiteral("expected IN and OUT\nusage: ") + usage);
  if (!p.isSet(teacher)) throw UsageError(QStringLiteral("--teacher is required\nusage: ") + usage);
  if (QFileInfo(args[0]).absoluteFilePath() == QFileInfo(args[1]).absoluteFilePath())
    throw UsageError({}, QStringLiteral("OUT"), args[1], QStringLiteral("must differ from IN (the source is never modified)"));

  TeacherDataOptions o;
  sampling.apply(p, o.generation);
  if (p.isSet(schema)) {
    if (!dataSchemas().contains(p.value(schema)))
      throw UsageError({}, QStringLiteral("--schema"), p.value(schema),
                       QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
    o.schema = p.value(schema);
  }
  if (p.isSet(map)) o.fields = parseFieldMap(p.value(map), QStringLiteral("--map"));
  o.batchSize = wholeNumber(p, batch, o.batchSize, 1);
  o.limit = wholeNumber(p, limit, 0, 1);
  o.maxPromptTokens = wholeNumber(p, maxPrompt, o.maxPromptTokens, 1);
  if (p.isSet(badRow)) {
    if (p.value(badRow) != QLatin1String("skip") && p.value(badRow) != QLatin1String("fail"))
      throw UsageError({}, QStringLiteral("--on-bad-row"), p.value(badRow), QStringLiteral("must be skip or fail"));
    o.read.onBadRow = p.value(badRow) == QLatin1String("fail") ? BadRowPolicy::Fail : BadRowPolicy::Skip;
  }
  const torch::Device dev = parseDevice(p.value(device));
  const torch::ScalarType type = parseDtype(p.value(dtype));

  LoadedModel model = loadModel(p.value(teacher), type, dev);
  const Tokenizer tokenizer = Tokenizer::fromDirectory(p.value(teacher));
  std::atomic_bool cancel{false};
  o.cancel = &cancel;
  o.read.progress = progressPrinter(ctx, QStringLiteral("reading prompts"));
  o.progress = [&](int64_t done, int64_t total) {
    if (!ctx.json) {
      ctx.err << "generate: " << done << "/" << total << " prompts answered" << (done >= total ? "\n" : "\r");
      ctx.err.flush();
    }
    return true;
  };
  TeacherDataResult r;
  {
    const SigintCancels interrupt(cancel);  // Ctrl-C: stop after the current batch, keep OUT.partial
    r = generateTeacherData(model, tokenizer, args[0], args[1], o);
  }

  QJsonObject result = r.toJson();
  result.insert(QStringLiteral("output"), r.complete ? args[1] : args[1] + QStringLiteral(".partial"));
  if (r.complete) {
    const int64_t id = registerDataset(p.value(QStringLiteral("workspace")), args[0], args[1],
                                       QStringLiteral("messages"), r.resumed + r.generated, r.provenance, r.toJson());
    if (id) result.insert(QStringLiteral("dataset_id"), qint64(id));
  }
  ctx.print(result);
  if (r.complete) return 0;
  ctx.err << "distillery-cli: generation stopped; run the same command again to resume from " << args[1]
          << ".partial" << Qt::endl;
  return 1;
}

}  // namespace distillery::cli
