#include "quant/QuantizeFolder.h"

#include "checkpoint/Checkpoint.h"
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "lora/Lora.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>

namespace distillery {

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

}  // namespace

QStringList QuantizeSettings::schemes() { return QuantScheme::names() << QStringLiteral("f16") << QStringLiteral("bf16"); }

QuantizeFolderResult quantizeFolder(const QuantizeFolderRequest& r) {
  const QuantizeSettings& s = r.settings;
  const bool plainExport = s.plainExport();
  QuantConfig quant;
  if (!plainExport) {
    try {
      quant.scheme = QuantScheme::parse(s.scheme, {}, r.schemeField);
    } catch (const FormatError& e) {
      throw UsageError({}, r.schemeField, s.scheme, e.detail() + QStringLiteral(", f16, bf16"));
    }
  }
  if (s.activations != QLatin1String("none") && s.activations != QLatin1String("int8"))
    throw UsageError({}, r.activationsField, s.activations, QStringLiteral("must be none or int8"));
  quant.scheme.int8Activations = s.activations == QLatin1String("int8");
  if (plainExport && quant.scheme.int8Activations)
    throw UsageError({}, r.activationsField, s.activations,
                     QStringLiteral("applies to the int8/int4 schemes, not to a plain %1 export").arg(s.scheme));

  // Refuse before reading anything big: the source is never written, an occupied OUT only when allowed.
  const QString source = QDir::cleanPath(QFileInfo(r.modelDir).absoluteFilePath());
  const QString target = QDir::cleanPath(QFileInfo(r.outDir).absoluteFilePath());
  if (source == target)
    throw UsageError({}, r.outField, r.outDir,
                     QStringLiteral("is %1; choose another folder").arg(r.modelField));
  const QFileInfo targetInfo(target);
  if (targetInfo.exists() && !r.allowOtherFiles &&
      !(targetInfo.isDir() && QDir(target).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)))
    throw UsageError({}, r.outField, r.outDir,
                     QStringLiteral("exists and is not empty; nothing was written (choose a new folder, or pass "
                                    "--force to write into it)"));

  QElapsedTimer timer;
  timer.start();
  LoadedModel m = loadModel(r.modelDir, torch::kFloat32, r.device);
  if (m.quant)
    throw UsageError({}, r.modelField, r.modelDir,
                     QStringLiteral("is already quantized (%1); quantize the float model").arg(m.quant->scheme.name()));
  if (!s.adapter.isEmpty()) {
    loadAdapter(m.model, s.adapter);
    mergeLora(m.model);
  }
  const torch::ScalarType floatDtype = plainExport ? (s.scheme == QLatin1String("f16") ? torch::kFloat16
                                                                                        : torch::kBFloat16)
                                                   : sourceDtype(m.config);
  const qint64 memoryBefore = memoryBytes(m.model, sourceDtype(m.config));
  QJsonObject config = readJsonObject(m.config.path);
  QuantizeFolderResult result;
  QJsonObject& out = result.summary;
  out = QJsonObject{{QStringLiteral("out"), QDir::cleanPath(r.outDir)},
                    {QStringLiteral("scheme"), plainExport ? s.scheme : quant.scheme.name()},
                    {QStringLiteral("activations"), quant.scheme.int8Activations ? QStringLiteral("int8")
                                                                                 : QStringLiteral("none")},
                    {QStringLiteral("adapter_merged"), s.adapter.isEmpty() ? QJsonValue() : QJsonValue(s.adapter)}};
  if (!plainExport) {
    const QuantReport report = quantizeModel(m.model, quant, [&](int64_t done, int64_t total) {
      if (r.cancel && r.cancel->load()) return false;
      return !r.progress || r.progress(done, total);
    });
    result.tensors = int64_t(report.tensors.size());
    if (report.stopped) {
      result.stopped = true;
      return result;
    }
    config.insert(QStringLiteral("quantization_config"), quant.toJson());
    out.insert(QStringLiteral("tensors_quantized"), qint64(report.tensors.size()));
    out.insert(QStringLiteral("max_abs_error"), report.maxAbsError);
    out.insert(QStringLiteral("mean_abs_error"), report.meanAbsError);
  } else {
    out.insert(QStringLiteral("tensors_quantized"), 0);
  }
  if (r.cancel && r.cancel->load()) {
    result.stopped = true;
    return result;
  }
  SaveOptions save;
  save.dtype = floatDtype;
  save.allowOtherFiles = r.allowOtherFiles;
  saveModel(m.model, config, r.outDir, r.modelDir, save);

  out.insert(QStringLiteral("bytes_on_disk_before"), weightFileBytes(r.modelDir));
  out.insert(QStringLiteral("bytes_on_disk_after"), weightFileBytes(r.outDir));
  out.insert(QStringLiteral("memory_bytes_before"), memoryBefore);
  out.insert(QStringLiteral("memory_bytes_after"), memoryBytes(m.model, floatDtype));
  out.insert(QStringLiteral("seconds"), double(timer.elapsed()) / 1000.0);
  return result;
}

}  // namespace distillery
