// Teacher-generated data (sequence-level KD): the teacher answers the prompts of a dataset and the answers become
// a new dataset in the messages schema, with the provenance that made it.
//
//   LoadedModel teacher = loadModel(dir, torch::kBFloat16, torch::kCUDA);
//   TeacherDataResult r = generateTeacherData(teacher, Tokenizer::fromDirectory(dir), "prompts.jsonl",
//                                             "answers.jsonl", {});
//
// Each input row's prompt (promptMessages: the conversation before its last assistant reply) is rendered with the
// teacher's chat template (add_generation_prompt) and answered with GenerateOptions (defaults temperature 0.7,
// top-p 0.9, 512 new tokens, repetition penalty 1.2). Output rows, in input order:
//   {"messages": [...prompt, {"role": "assistant", "content": reply}], "source_line": N, "finished": true|false}
// finished false: the reply hit max_new_tokens before an end-of-sequence token.
//
// Resumable: answers are appended batch by batch to OUT.partial (flushed after every batch) beside
// OUT.partial.json, the settings they were made with. A run that finds both with the same settings keeps the
// answers there (a half-written last line from a crash is cut off) and goes on after them; different settings are
// refused with the field that differs. Batch k is sampled with seed + k·batch_size, so a resumed run writes
// exactly what an uninterrupted one would. When every prompt is answered OUT.partial is renamed to OUT and
// OUT.provenance.json written (teacher, its config hash, source file and hash, settings, counts).
#pragma once
#include "data/DataSchema.h"
#include "data/RowReader.h"
#include "model/Generate.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

struct TeacherDataOptions {
  QString schema;                   // the input rows' schema; empty: detected row by row
  FieldMap fields;                  // schema field → source field, applied to every row first
  GenerateOptions generation;       // sampling settings; eos/pad ids come from the teacher when left empty
  int64_t batchSize = 8;            // prompts per generate() call (left-padded, one KV cache)
  int64_t limit = 0;                // take the first N prompts of the input only; 0: all
  int64_t maxPromptTokens = 4096;   // longer prompts are skipped (counted), they would crowd out the answer
  ReadOptions read;                 // input format and bad-row policy (its progress: reading the input)
  std::atomic_bool* cancel = nullptr;  // checked between batches and by generate() every step
  // After every batch: prompts answered so far (resumed ones included) and prompts in all; false stops (the
  // partial file stays for a later run).
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct TeacherDataResult {
  int64_t prompts = 0;     // prompts to answer (after limit and skips)
  int64_t resumed = 0;     // answers kept from an earlier run
  int64_t generated = 0;   // answers made by this run
  int64_t unfinished = 0;  // answers (of all written) cut at max_new_tokens
  int64_t skipped = 0;     // rows with nothing to prompt with, or prompts over maxPromptTokens
  int64_t badRows = 0;     // rows the reader or the schema refused (BadRowPolicy::Skip)
  bool complete = false;   // every prompt answered, OUT written
  QJsonObject provenance;  // what OUT.provenance.json holds (settings, sources, counts)
  QJsonObject toJson() const;
};

// Throws FormatError for unreadable input (Fail policy) or a partial file from other settings, Error when OUT
// cannot be written. The input file is only read.
TeacherDataResult generateTeacherData(LoadedModel& teacher, const Tokenizer& tokenizer, const QString& inPath,
                                      const QString& outPath, const TeacherDataOptions& o);

}  // namespace distillery
