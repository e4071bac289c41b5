// EDA-style text augmentation (Wei & Zou 2019, "EDA: Easy Data Augmentation"): random insertion, swap and
// deletion of words, seeded, N augmented copies per row, each marked with where it came from.
//
// What is augmented: the prompt side of a row (TextFields.h TextSide::Prompts: instruction and input, prompt,
// user / human turns; the text of a text row), or the one --field given. Replies are never touched: a model
// fine-tuned on corrupted replies learns to write corrupted text, while noisy prompts teach it to read past noise.
//
// Words are maximal runs of non-whitespace; the whitespace between them stays where it was (newlines survive).
// Per text, with n its words, in this order:
//   insert  floor(insertRate·n) times (at least once when the rate is > 0) a word drawn from the same text is
//           put before a randomly chosen word (EDA inserts a synonym; we have no thesaurus)
//   swap    floor(swapRate·n) times (at least once when > 0) two distinct random positions exchange words
//   delete  each word is dropped with probability deleteRate; a text keeps at least one word
// Randomness: mt19937_64 seeded from (seed, line, copy), so a row's copies do not depend on the others.
#pragma once
#include "data/RowReader.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <random>

namespace distillery {

struct AugmentOptions {
  double deleteRate = 0.1;     // probability of dropping each word, in [0, 1)
  double swapRate = 0.1;       // swaps per word, in [0, 1]
  double insertRate = 0.1;     // insertions per word, in [0, 1]
  int copies = 1;              // augmented copies per row, >= 1
  uint64_t seed = 0;
  QString field;               // augment this string field only; empty: the prompt side of the schema
  bool keepOriginals = true;   // write each source row, then its copies
  ReadOptions read;            // format, bad-row policy, progress
};

struct AugmentCounts {
  int64_t words = 0;      // words before augmenting
  int64_t inserted = 0;
  int64_t swapped = 0;    // swaps done
  int64_t deleted = 0;
};

// One text augmented with the options' rates, drawing from rng; adds to *counts.
QString augmentText(const QString& text, const AugmentOptions& options, std::mt19937_64& rng, AugmentCounts* counts);

struct AugmentReport {
  int64_t rows = 0;        // good rows read
  int64_t badRows = 0;     // unreadable or without a known schema / the field (skipped)
  int64_t unchanged = 0;   // rows with no words to augment: written without copies
  int64_t copies = 0;      // augmented rows written
  int64_t written = 0;     // all rows written
  AugmentCounts counts;    // over all copies
  QJsonObject toJson() const;   // {"rows", "bad_rows", "unchanged", "copies", "written", "words", "inserted", "swapped", "deleted"}
};

// in → out (JSONL, atomically). A copy is the row with its augmented fields replaced, plus "augmented_from"
// (the source row's line) and "augmentation" {"copy", "seed", "insert", "swap", "delete" (the rates),
// "inserted", "swapped", "deleted" (what was done)}. Throws UsageError for bad options, FormatError (Fail policy).
AugmentReport augmentFile(const QString& in, const QString& out, const AugmentOptions& options);

}  // namespace distillery
