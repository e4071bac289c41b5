// distillery-cli quantize MODEL_DIR OUT_DIR --scheme int8|int4-g32|int4-g64|int4-g128|f16|bf16 [--activations int8]
// [--adapter DIR] [--device D] [--force]: a quantized model folder (the layout of quant/QuantConfig.h) that
// logits, generate and eval load like any other, or with f16/bf16 a plain export (after merging --adapter: the
// "merged FP16 export").
#include "audit/Provenance.h"
#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "cli/CliContext.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "lora/Lora.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>

namespace distillery::cli {

namespace {

// Bytes of the folder's safetensors files.
qint64 weightFileBytes(const QString& dir) {
  qint64 n = 0;
  for (const QString& file : CheckpointReader(dir).files()) n += QFileInfo(file).size();
  return n;
}

// Bytes the model's weights take in memory once loaded: parameters in dtype, quantized buffers as they are.
qint64 memoryBytes(CausalLM& model, torch::ScalarType dtype) {
  qint64 n = 0;
  for (const auto& p : model->parameters()) n += p.numel() * qint64(c10::elementSize(dtype));
  for (const auto& [name, linear] : quantizableLinears(model, QuantConfig{}))
    if (linear->isQuantized()) n += quantizedBytes(linear->quantized());
  return n;
}

// The dtype a source folder's float tensors keep: its config's torch_dtype when one of ours, else float32.
torch::ScalarType sourceDtype(const ModelConfig& c) {
  if (c.dtype == QLatin1String("bfloat16")) return torch::kBFloat16;
  if (c.dtype == QLatin1String("float16")) return torch::kFloat16;
  return torch::kFloat32;
}

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
  const QString modelDir = p.positionalArguments().at(0), outDir = p.positionalArguments().at(1);
  const QString schemeText = p.value(scheme);
  const bool plainExport = schemeText == QLatin1String("f16") || schemeText == QLatin1String("bf16");
  QuantConfig quant;
  if (!plainExport) {
    try {
      quant.scheme = QuantScheme::parse(schemeText, {}, QStringLiteral("--scheme"));
    } catch (const FormatError& e) {
      throw UsageError({}, QStringLiteral("--scheme"), schemeText, e.detail() + QStringLiteral(", f16, bf16"));
    }
  }
  const QString activationText = p.value(activations);
  if (!activationText.isEmpty() && activationText != QLatin1String("none") && activationText != QLatin1String("int8"))
    throw UsageError({}, QStringLiteral("--activations"), activationText, QStringLiteral("must be none or int8"));
  quant.scheme.int8Activations = activationText == QLatin1String("int8");
  if (plainExport && quant.scheme.int8Activations)
    throw UsageError({}, QStringLiteral("--activations"), activationText,
                     QStringLiteral("applies to the int8/int4 schemes, not to a plain %1 export").arg(schemeText));
  const torch::Device dev = parseDevice(p.value(device));

  // Refuse before reading anything big: the source is never written, an occupied OUT_DIR only with --force.
  const QString source = QDir::cleanPath(QFileInfo(modelDir).absoluteFilePath());
  const QString target = QDir::cleanPath(QFileInfo(outDir).absoluteFilePath());
  if (source == target)
    throw UsageError({}, QStringLiteral("OUT_DIR"), outDir, QStringLiteral("is MODEL_DIR; choose another folder"));
  const QFileInfo targetInfo(target);
  if (targetInfo.exists() && !p.isSet(force) &&
      !(targetInfo.isDir() && QDir(target).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)))
    throw UsageError({}, QStringLiteral("OUT_DIR"), outDir,
                     QStringLiteral("exists and is not empty; nothing was written (choose a new folder, or pass "
                                    "--force to write into it)"));

  QElapsedTimer timer;
  timer.start();
  LoadedModel m = loadModel(modelDir, torch::kFloat32, dev);
  if (m.quant)
    throw UsageError({}, QStringLiteral("MODEL_DIR"), modelDir,
                     QStringLiteral("is already quantized (%1); quantize the float model").arg(m.quant->scheme.name()));
  if (p.isSet(adapter)) {
    loadAdapter(m.model, p.value(adapter));
    mergeLora(m.model);
  }
  const torch::ScalarType floatDtype = plainExport ? (schemeText == QLatin1String("f16") ? torch::kFloat16
                                                                                          : torch::kBFloat16)
                                                   : sourceDtype(m.config);
  const qint64 memoryBefore = memoryBytes(m.model, sourceDtype(m.config));
  QJsonObject config = readJsonObject(m.config.path);
  QJsonObject out{{QStringLiteral("out"), QDir::cleanPath(outDir)},
                  {QStringLiteral("scheme"), plainExport ? schemeText : quant.scheme.name()},
                  {QStringLiteral("activations"), quant.scheme.int8Activations ? QStringLiteral("int8")
                                                                               : QStringLiteral("none")},
                  {QStringLiteral("adapter_merged"), p.isSet(adapter) ? QJsonValue(p.value(adapter)) : QJsonValue()}};
  if (!plainExport) {
    const QuantReport report = quantizeModel(m.model, quant);
    config.insert(QStringLiteral("quantization_config"), quant.toJson());
    out.insert(QStringLiteral("tensors_quantized"), qint64(report.tensors.size()));
    out.insert(QStringLiteral("max_abs_error"), report.maxAbsError);
    out.insert(QStringLiteral("mean_abs_error"), report.meanAbsError);
  } else {
    out.insert(QStringLiteral("tensors_quantized"), 0);
  }
  SaveOptions save;
  save.dtype = floatDtype;
  save.allowOtherFiles = p.isSet(force);
  saveModel(m.model, config, outDir, modelDir, save);
  writeProvenance(outDir, quantizeProvenance(modelDir, p.isSet(adapter) ? p.value(adapter) : QString(), out));

  out.insert(QStringLiteral("bytes_on_disk_before"), weightFileBytes(modelDir));
  out.insert(QStringLiteral("bytes_on_disk_after"), weightFileBytes(outDir));
  out.insert(QStringLiteral("memory_bytes_before"), memoryBefore);
  out.insert(QStringLiteral("memory_bytes_after"), memoryBytes(m.model, floatDtype));
  out.insert(QStringLiteral("seconds"), double(timer.elapsed()) / 1000.0);
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
