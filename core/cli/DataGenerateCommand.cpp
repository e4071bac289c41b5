// distillery-cli data generate IN OUT.jsonl --teacher DIR [sampling] [--batch N] [--limit N] [--workspace PATH]
#include "cli/DataCli.h"
#include "cli/Interrupt.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "data/TeacherData.h"

#include <QtCore/QFileInfo>

#include <atomic>

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

  TeacherDataOptions o;
  sampling.apply(p, o.generation);
  o.schema = schemaValue(p);
  o.fields = input.fieldMap(p);
  o.read = input.read(p);
  o.batchSize = wholeNumberOption(p, batch.names().constFirst(), o.batchSize, 1);
  o.limit = wholeNumberOption(p, limit.names().constFirst(), 0, 1);
  o.maxPromptTokens = wholeNumberOption(p, maxPrompt.names().constFirst(), o.maxPromptTokens, 1);
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
