// distillery-cli quantize MODEL_DIR OUT_DIR --scheme int8|int4-g32|int4-g64|int4-g128|f16|bf16 [--activations int8]
// [--adapter DIR] [--device D] [--force]: a quantized model folder (the layout of quant/QuantConfig.h) that
// logits, generate and eval load like any other, or with f16/bf16 a plain export (after merging --adapter: the
// "merged FP16 export").
#include "cli/CliContext.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "quant/QuantizeFolder.h"

#include <torch/types.h>

namespace distillery::cli {

namespace {

int quantize(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli quantize MODEL_DIR OUT_DIR --scheme int8|int4-g32|int4-g64|int4-g128|f16|bf16 "
      "[--activations int8] [--adapter DIR] [--device DEVICE] [--force]");
  QCommandLineParser p;
  const QCommandLineOption scheme(
      QStringLiteral("scheme"),
      QStringLiteral("int8 (per output channel), int4-g32/g64/g128 (group-wise), or f16/bf16: a plain export."),
      QStringLiteral("SCHEME"));
  const QCommandLineOption activations(
      QStringLiteral("activations"),
      QStringLiteral("int8: also fake-quantize each token's Linear input (W8A8, simulated); none (default)."),
      QStringLiteral("A"));
  const QCommandLineOption adapter(QStringLiteral("adapter"),
                                   QStringLiteral("PEFT LoRA adapter folder merged into the model first."),
                                   QStringLiteral("DIR"));
  const QCommandLineOption device(QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE"));
  const QCommandLineOption force(
      QStringLiteral("force"), QStringLiteral("Write into an existing non-empty OUT_DIR (its other files are kept)."));
  p.addOptions({scheme, activations, adapter, device, force});
  p.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder (float)."));
  p.addPositionalArgument(QStringLiteral("OUT_DIR"), QStringLiteral("New (or empty) folder for the result."));
  p.setApplicationDescription(QStringLiteral(
      "Quantizes every decoder Linear (q/k/v/o, gate/up/down); embeddings, norms and lm_head stay float."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 2)
    throw UsageError(QStringLiteral("`quantize` takes MODEL_DIR and OUT_DIR\nusage: ") + usage);
  if (!p.isSet(scheme)) throw UsageError(QStringLiteral("--scheme is required\nusage: ") + usage);
  QuantizeFolderRequest r;
  r.modelDir = p.positionalArguments().at(0);
  r.outDir = p.positionalArguments().at(1);
  r.settings.scheme = p.value(scheme);
  const QString activationText = p.value(activations);
  if (!activationText.isEmpty()) r.settings.activations = activationText;
  r.settings.adapter = p.value(adapter);
  r.device = parseDevice(p.value(device));
  r.allowOtherFiles = p.isSet(force);
  const QJsonObject out = quantizeFolder(r).summary;
  ctx.print(out);
  return 0;
}

}  // namespace

Command quantizeCommand() {
  return {QStringLiteral("quantize"),
          QStringLiteral("MODEL_DIR OUT_DIR --scheme int8|int4-g32|int4-g64|int4-g128|f16|bf16: a quantized (or "
                         "merged float) model folder"),
          quantize};
}

}  // namespace distillery::cli
