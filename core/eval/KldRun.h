// How far one model's next-token distributions drift from a base model's on a set of {"text"} rows: what
// `distillery-cli kld` prints and a quantize job's fidelity check (core/jobs/QuantizeJob.h) records.
//
//   KldRequest r{.baseDir = float, .otherDir = quantized, .data = "held_out.jsonl"};
//   KldResult res = runKld(r);   // res.json: fidelityJson + rows, seq_len, stride, size
//
// Chunking (as the CLI's header explains): each row is encoded with BASE's tokenizer (special tokens added) and
// scored on its own with Hugging Face's sliding window (eval/LmMetrics.h) of seqLen tokens advancing by stride.
#pragma once
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <functional>

namespace distillery {

struct KldRequest {
  QString baseDir;    // the reference model folder
  QString otherDir;   // the model compared with it (quantized, fine-tuned)
  QString data;       // rows with a "text" field (JSONL, CSV, JSON array)
  int64_t seqLen = 0;   // tokens per window, 2..max_position_embeddings; 0: min(512, max_position_embeddings)
  int64_t stride = 0;   // tokens between window starts, 1..seqLen; 0: seqLen / 2
  int64_t batchSize = 4;  // windows per forward pass
  int64_t maxRows = 0;    // score only the first N rows; 0: all
  c10::Device device = c10::kCPU;
  c10::ScalarType baseType = c10::kFloat, otherType = c10::kFloat;
  // The names errors give the settings: the CLI's flags, or a job's keys.
  QString seqLenField = QStringLiteral("--seq-len"), strideField = QStringLiteral("--stride");
  // After each batch: windows done of all; false stops (result.cancelled).
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct KldResult {
  bool cancelled = false;
  // fidelityJson (eval/Fidelity.h) plus "rows", "seq_len", "stride", "size": {"base", "other"} (checkpoint bytes)
  QJsonObject json;
};

// Throws FormatError for models that do not share a vocabulary or tokenizer, a row without text, no rows, or no
// row with 2 tokens; UsageError naming seqLenField / strideField for a value out of range.
KldResult runKld(const KldRequest& r);

}  // namespace distillery
