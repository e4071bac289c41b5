// Packing: short examples share one row of seqLen tokens instead of each filling a row with padding. The
// examples of a row stay independent: each gets its own segment id (1..n in the row, 0 for padding), so the
// attention mask keeps every query inside its example (core/model/AttentionMask.h), position ids restart at 0
// for each example, and no label crosses an example boundary (the last token of an example predicts nothing).
// A packed row thus gives each example the logits it would have alone.
//
//   std::vector<PackedRow> rows = packRows(lengths, 512);           // example indices per row
//   Batch b = collateRows({{&e1, &e2, &e3}, {&e4}}, 512, padId, Padding::Right, /*packed=*/true);
//
// Which examples share a row: best-fit decreasing (examples longest first, each into the fullest row that
// still has room, else a new row). It depends on the lengths only, not on a seed, so a job packs its data the
// same way every epoch and on resume; the seed then shuffles the rows (TrainingData).
#pragma once
#include "data/Example.h"
#include "train/TrainTask.h"

#include <cstdint>
#include <vector>

namespace distillery {

enum class Padding {
  Right,  // tokens first, padding after (training default)
  Left,   // padding first, as batched generation does
};

// The examples of one row, by index, in the order their tokens sit in the row.
using PackedRow = std::vector<size_t>;

// Packs examples of these token counts (each taken as min(length, seqLen): longer examples are cut and fill a
// row alone) into rows of at most seqLen tokens. Every index appears in exactly one row. Ties are broken by
// index, so the result is deterministic. O(n log n).
std::vector<PackedRow> packRows(const std::vector<int64_t>& lengths, int64_t seqLen);

// Rows of one or more examples → one batch on the CPU, padded to its longest row; rows must not be empty. Each
// example is cut to seqLen; a row's cut examples must fit in seqLen together. labels[s] = ids[s + 1] of the same
// example when that token is counted, else -100. packed: segmentIds are set and position ids restart at 0 per
// example; false (one example per row): segmentIds stay undefined, position ids count the row's tokens. Padding
// positions get the position of the token before them (right padding) or 0 (left), as cumsum(mask) − 1 does.
Batch collateRows(const std::vector<std::vector<const Example*>>& rows, int64_t seqLen, int32_t padId, Padding padding,
                  bool packed);

}  // namespace distillery
