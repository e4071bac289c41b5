// Robustness perturbations of a prompt (eval.perturbations): simple, seeded character edits that a careful reader
// would still understand, so a model's accuracy under them shows how brittle it is to noisy input.
//
//   QString p = perturbText(prompt, {.kind = "typos", .rate = 0.05}, rowSeed(1234, rowIndex));
//
// The text is walked code point by code point with one SplitMix64 generator (state = the row seed); every draw
// below happens in this order, so tests/data/eval_slices/perturb_reference.py reproduces the output exactly:
//   typos       each letter: u < rate → op = next % 3: 0 swap with the next code point when that is a letter
//               (both emitted, the pair consumed; no letter next: kept), 1 drop it, 2 duplicate it
//   casing      each letter: u < rate → mode upper: upper-cased, lower: lower-cased, random: its case swapped
//   whitespace  each ' ': u < rate → op = next % 3: 0 dropped (missing space), 1 doubled, 2 a tab instead
//   noise       each non-whitespace code point: u < rate → a printable ASCII character 0x21 + next % 94 (the next
//               one, cyclically, when that equals the original)
// where u = (next >> 11) / 2^53. Letters and case follow QChar (Unicode categories; one code point stays one).
#pragma once
#include "train/JobSpec.h"

#include <QtCore/QString>

#include <cstdint>

namespace distillery {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, and identical in any language with 64-bit unsigned arithmetic.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}
  uint64_t next();
  double uniform();  // [0, 1): the top 53 bits of next()
 private:
  uint64_t state_;
};

// The generator state of one row: seed and row index mixed (distinct rows get unrelated streams).
uint64_t rowSeed(int64_t seed, int64_t rowIndex);

// text perturbed as the header describes; an unknown kind or mode throws Error naming it.
QString perturbText(const QString& text, const PerturbationSpec& p, uint64_t state);

// "typos 0.05", "casing upper 1", ...: how results name a perturbation.
QString perturbationName(const PerturbationSpec& p);

}  // namespace distillery
