// A float model folder → a quantized (or plain f16/bf16) model folder: what `distillery-cli quantize` and a job of
// kind quantize both run, so the two write the same tensors.
//
//   QuantizeFolderRequest r{.modelDir = src, .outDir = out, .settings = {.scheme = "int4-g32"}};
//   QuantizeFolderResult res = quantizeFolder(r);   // res.summary: what the CLI prints
//
// Steps: refuse a bad scheme/activations, OUT == MODEL, an occupied OUT (unless allowOtherFiles), a quantized
// source; load in float32; merge the adapter; quantize every decoder Linear (quant/QuantizeModel.h), reporting
// each tensor; save (model/ModelSaver.h: files written to temporaries and renamed, so a stop or an error before the
// save leaves OUT without model files).
#pragma once
#include "quant/QuantizeSettings.h"

#include <c10/core/Device.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

struct QuantizeFolderRequest {
  QString modelDir;            // float model folder (Hugging Face layout)
  QString outDir;              // new (or empty) folder; with allowOtherFiles an existing folder whose files are kept
  QuantizeSettings settings;
  c10::Device device = c10::kCPU;  // where the weights are quantized
  bool allowOtherFiles = false;    // the CLI's --force; a job's output folder (state.json beside the model)
  // The names errors give the inputs: the CLI's ("MODEL_DIR", "OUT_DIR", "--scheme", ...) or the job's keys.
  QString modelField = QStringLiteral("MODEL_DIR"), outField = QStringLiteral("OUT_DIR");
  QString schemeField = QStringLiteral("--scheme"), activationsField = QStringLiteral("--activations");
  QString adapterField = QStringLiteral("--adapter");
  const std::atomic_bool* cancel = nullptr;  // read after every tensor
  // After every tensor: (tensors done, tensors in all); false stops like cancel.
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct QuantizeFolderResult {
  bool stopped = false;  // cancel or progress stopped it before the save: OUT holds no new model files
  int64_t tensors = 0;   // tensors quantized (0 for a plain export)
  // {"out", "scheme", "activations", "adapter_merged", "tensors_quantized", "max_abs_error"?, "mean_abs_error"?,
  //  "bytes_on_disk_before", "bytes_on_disk_after", "memory_bytes_before", "memory_bytes_after", "seconds"}
  QJsonObject summary;
};

// Throws UsageError (bad settings, OUT == MODEL, an occupied OUT, a quantized source) naming the field, and the
// loader's and saver's errors.
QuantizeFolderResult quantizeFolder(const QuantizeFolderRequest& r);

}  // namespace distillery
