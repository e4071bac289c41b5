// distillery-cli data generate IN OUT.jsonl --teacher DIR [sampling] [--batch N] [--limit N] [--workspace PATH]
#include "cli/DataCli.h"
#include "cli/Interrupt.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "data/DataOp.h"
#include "store/Workspace.h"

#include <QtCore/QFileInfo>

#include <atomic>
#include <optional>

namespace distillery::cli {

int dataGenerate(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli data generate IN OUT.jsonl --teacher MODEL_DIR [--format F] [--schema S] [--map SPEC] [--batch N] "
      "[--limit N] [--max-prompt-tokens N] [sampling options] [--device cpu|cuda] [--dtype f32|bf16] "
      "[--on-bad-row skip|fail] [--workspace PATH]");
  QCommandLineParser p;
  const QCommandLineOption teacher(QStringLiteral("teacher"), QStringLiteral("The teacher's model folder."), QStringLiteral("DIR"));
  const DataInputOptions input;
  const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Prompts per generation batch (default 8)."), QStringLiteral("N"));
  const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("Answer only the first N prompts."), QStringLiteral("N"));
  const QCommandLineOption maxPrompt(QStringLiteral("max-prompt-tokens"), QStringLiteral("Skip longer prompts (default 4096)."), QStringLiteral("N"));
  const QCommandLineOption device(QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE"));
  const QCommandLineOption dtype(QStringLiteral("dtype"), kDtypeHelp, QStringLiteral("DTYPE"));
  const SamplingOptions sampling;
  input.addTo(p);
  p.addOptions({teacher, schemaOption(QStringLiteral("Schema of IN's rows")), batch, limit, maxPrompt, device, dtype,
                dataWorkspaceOption()});
  sampling.addTo(p);
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Dataset with the prompts (any supported format)."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("JSONL to write: prompts with the teacher's answers."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = p.positionalArguments();
  if (args.size() != 2) throw UsageError(QStringLiteral("expected IN and OUT\nusage: ") + usage);
  if (!p.isSet(teacher)) throw UsageError(QStringLiteral("--teacher is required\nusage: ") + usage);
  if (QFileInfo(args[0]).absoluteFilePath() == QFileInfo(args[1]).absoluteFilePath())
    throw UsageError({}, QStringLiteral("OUT"), args[1], QStringLiteral("must differ from IN (the source is never modified)"));

  input.read(p);  // UsageError naming --format / --on-bad-row
  DataOpRequest r;
  DataOpSettings& st = r.settings;
  DataGenerateSettings& g = st.generate;
  st.op = QStringLiteral("generate");
  st.input = args[0];
  r.settings.output = args[1];
  r.teacher = p.value(teacher);
  st.format = p.value(input.format);
  st.onBadRow = p.value(input.onBadRow);
  st.map = input.fieldMap(p);
  GenerateOptions sampled;
  sampling.apply(p, sampled);
  g.greedy = sampled.greedy;
  g.temperature = sampled.temperature;
  g.topP = sampled.topP;
  g.topK = sampled.topK;
  g.repetitionPenalty = sampled.repetitionPenalty;
  g.maxNewTokens = sampled.maxNewTokens;
  g.seed = sampled.seed;
  g.schema = schemaValue(p);
  g.batch = wholeNumberOption(p, batch.names().constFirst(), g.batch, 1);
  g.limit = wholeNumberOption(p, limit.names().constFirst(), 0, 1);
  g.maxPromptTokens = wholeNumberOption(p, maxPrompt.names().constFirst(), g.maxPromptTokens, 1);
  r.device = parseDevice(p.value(device));
  g.dtype = parseDtype(p.value(dtype)) == torch::kBFloat16 ? QStringLiteral("bf16") : QStringLiteral("f32");
  r.fieldName = flagName;
  std::optional<Workspace> ws;
  if (p.isSet(QStringLiteral("workspace"))) {
    ws.emplace(Workspace::open(p.value(QStringLiteral("workspace"))));
    r.store = &ws->store();
  }

  std::atomic_bool cancel{false};
  r.cancel = &cancel;
  r.readProgress = progressPrinter(ctx, QStringLiteral("reading prompts"));
  r.progress = [&](int64_t done, int64_t total) {
    if (!ctx.json) {
      ctx.err << "generate: " << done << "/" << total << " prompts answered" << (done >= total ? "\n" : "\r");
      ctx.err.flush();
    }
    return true;
  };
  DataOpResult result;
  {
    const SigintCancels interrupt(cancel);  // Ctrl-C: stop after the current batch, keep OUT.partial
    result = runDataOp(r);
  }
  ctx.print(result.summary);
  if (result.complete) return 0;
  ctx.err << "distillery-cli: generation stopped; run the same command again to resume from " << args[1]
          << ".partial" << Qt::endl;
  return 1;
}

}  // namespace distillery::cli
