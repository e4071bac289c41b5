// One data preparation operation (clean | dedup | split | generate) as a plain value: `distillery-cli data clean
// |dedup|split|generate` fill it from their flags, a job of kind data holds it as its "data_op" section, and
// runDataOp (data/DataOp.h) runs it, so the command and the job write the same files and register the same
// lineage. Field names follow the CLI flags (--min-chars → minChars, JSON "min_chars"). Kept free of torch.
#pragma once
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <array>
#include <cstdint>

namespace distillery {

// Sampling of a teacher's answers (op generate): GenerateOptions' fields, with the CLI's defaults.
struct DataGenerateSettings {
  QString schema;                 // the input rows' schema (data/DataSchema.h); empty: detected row by row
  int64_t batch = 8;              // prompts per generation batch
  int64_t limit = 0;              // answer only the first N prompts; 0: all
  int64_t maxPromptTokens = 4096;  // longer prompts are skipped
  int64_t maxNewTokens = 512;     // new tokens per answer at most
  bool greedy = false;            // argmax decoding (temperature and top_p unused)
  double temperature = 0.7;       // > 0
  double topP = 0.9;              // (0, 1]
  int64_t topK = 0;               // 0: off
  double repetitionPenalty = 1.2;  // > 0; 1: off (the CLI's default with --greedy)
  uint64_t seed = 0;              // the sampler's seed
  QString dtype = QStringLiteral("f32");  // f32 | bf16: the teacher's weights
  bool operator==(const DataGenerateSettings&) const = default;
};

struct DataOpSettings {
  QString op = QStringLiteral("clean");  // clean | dedup | split | generate
  QString input;                          // the dataset file read (never written)
  QString output;                         // clean, dedup, generate: the JSONL written; split: the folder of
                                          // train/validation/test.jsonl (a job: empty = inside its output folder)

  // Reading (every op): --format, --map, --on-bad-row.
  QString format = QStringLiteral("auto");  // auto | jsonl | json | csv | tsv | text | text_files
  QMap<QString, QString> map;               // schema field → source field
  QString onBadRow = QStringLiteral("skip");  // skip | fail

  // The compared text (clean, dedup, split): this string field; empty: the row's text by its schema.
  QString field;

  // Duplicates (clean, dedup, split): MinHash-LSH settings of data/Dedup.h.
  double threshold = 0.9;    // Jaccard similarity of near duplicates, in (0, 1)
  int numPerm = 128;         // MinHash permutations
  int shingle = 5;           // characters per shingle
  uint64_t minhashSeed = 1;  // MinHash permutation seed (`data dedup --seed`, `clean/split --minhash-seed`)
  bool casefold = false;     // compare texts case-folded

  // clean only.
  bool exactDedup = true;    // drop exact duplicates (--no-exact-dedup: false)
  bool nearDedup = false;    // drop near duplicates (--near-dedup)
  int64_t minChars = 0, maxChars = 0;    // code points of the compared text; 0: no limit
  int64_t minTokens = 0, maxTokens = 0;  // tokens of it (need tokenizer); 0: no limit
  QString tokenizer;         // model or tokenizer folder for the token filters
  bool keepEmpty = false;    // keep empty and whitespace-only rows
  QString unicode = QStringLiteral("none");  // none | nfc | nfkc
  bool keepControl = false;  // keep control characters
  QStringList scripts;       // keep rows whose letters are mostly in these scripts (han, latin, ...); empty: all
  double minScriptShare = 0.5;  // share of letters in scripts to keep a row, in [0, 1]
  int maxLines = 20;         // line numbers listed per reason in the report

  // split only.
  std::array<double, 3> ratios{0.8, 0.1, 0.1};  // train, validation, test; ≥ 0, summing to 1
  uint64_t seed = 0;                            // cluster shuffle seed
  QString stratify;                             // split each value of this field by the ratios

  // generate only (the teacher is the job's "teacher" / the CLI's --teacher).
  DataGenerateSettings generate;

  bool operator==(const DataOpSettings&) const = default;

  static QStringList ops();  // "clean", "dedup", "split", "generate"
};

}  // namespace distillery
