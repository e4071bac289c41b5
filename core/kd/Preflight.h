// The checks before a knowledge-distillation job starts: can the student learn from the teacher's logits at all
// (same tokenizer?), does the run fit the device's free memory, does the device support the dtype.
//
//   PreflightReport r = preflight(teacherDir, studentDir, "cuda:0");
//   if (r.verdict == KdVerdict::Refused) ... r.reason, r.offerSequenceKd
//
// Logit KD compares distributions over token ids, so both models must mean the same string by each id:
//  - same tokenizer, same vocab_size            → LogitKd over the whole vocabulary
//  - same tokenizer, padded vocab_size (Qwen2.5: 151936 vs 152064, rows past the tokenizer never used)
//                                               → SharedIds: KD over ids [0, sharedVocab), reported
//  - different tokenizers                       → Refused, with the reason (how many of the first ids map to
//                                                 different strings, an example); sequence-level KD (train the
//                                                 student on teacher-generated answers) is offered instead
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>

namespace distillery {

enum class KdVerdict {
  LogitKd,    // same tokenizer and vocabulary: logit KD over every id
  SharedIds,  // same tokenizer, vocab_size padded differently: logit KD over the shared ids
  Refused,    // different tokenizers: logit KD is meaningless
};
QString verdictName(KdVerdict v);  // "logit_kd", "shared_ids", "refused"

struct TokenizerComparison {
  bool same = false;          // vocab, merges, added tokens, normalizer and pre-tokenizer all identical
  int64_t teacherTokens = 0;  // tokenizer ids: highest id + 1 (added tokens included)
  int64_t studentTokens = 0;
  int64_t comparedIds = 0;   // ids compared: [0, min(teacherTokens, studentTokens))
  int64_t differingIds = 0;  // of those, the ids whose strings differ
  int64_t exampleId = -1;    // the first differing id (-1: none)
  QString exampleTeacher;    // its string in the teacher's tokenizer ("" when absent there)
  QString exampleStudent;    // and in the student's
  QString difference;        // the first difference found, in words; empty when same
};

struct MemoryCheck {
  int64_t teacherBytes = 0;     // teacher weights in the run's dtype + one layer's activations (no gradients)
  int64_t studentBytes = 0;     // student: float32 weights, gradients, AdamW m and v (16 bytes per parameter)
  int64_t activationBytes = 0;  // the student's activations kept for backward, plus chunked logits
  int64_t totalBytes = 0;       // the sum
  int64_t freeBytes = -1;       // the device's free memory (CPU: MemAvailable; CUDA: NVML); -1 when unknown
  bool fits = true;             // totalBytes <= freeBytes (true when unknown)
};

struct PreflightOptions {
  int64_t batch = 4;       // --batch: sequences per step, for the memory estimate
  int64_t sequence = 512;  // --seq: tokens per sequence
};

struct PreflightReport {
  QString teacherDir;
  QString studentDir;
  QString device;  // "cpu" or "cuda:N"
  KdVerdict verdict = KdVerdict::Refused;
  QString reason;                // one or two sentences explaining the verdict
  bool offerSequenceKd = false;  // refused: sequence-level KD is possible (the teacher can generate answers)
  int64_t teacherVocab = 0;      // config.json vocab_size (rows of the logits)
  int64_t studentVocab = 0;
  int64_t sharedVocab = 0;  // ids logit KD runs over; 0 when refused
  TokenizerComparison tokenizers;
  MemoryCheck memory;
  QString dtype;               // the run's dtype: "bfloat16" on a GPU that supports it, else "float32"
  bool bf16Supported = false;  // the device computes in bfloat16 (CUDA compute capability >= 8.0; CPU: yes,
                               // but slowly, so CPU runs use float32)
  QStringList warnings;        // memory over the free amount, no bf16, ...

  bool ok() const { return verdict != KdVerdict::Refused && memory.fits; }
  QJsonObject toJson() const;
};

// Reads both folders' config.json and tokenizer.json (tokenizer files are compared as JSON: model vocab and merges,
// added tokens, normalizer, pre-tokenizer) and the device's memory. Throws FormatError for unreadable config or
// tokenizer files and UsageError naming --device for a device string other than cpu / cuda[:N]; a folder without
// tokenizer.json gives Refused (the ids cannot be checked).
PreflightReport preflight(const QString& teacherDir, const QString& studentDir, const QString& device,
                          const PreflightOptions& options = {});

// Compares two tokenizer.json files (exposed for tests and the GUI).
TokenizerComparison compareTokenizers(const QString& teacherTokenizerJson, const QString& studentTokenizerJson);

// Free memory in bytes on "cpu" (/proc/meminfo MemAvailable) or "cuda:N" (NVML, else torch); -1 when unknown.
int64_t freeDeviceMemory(const QString& device);

}  // namespace distillery
