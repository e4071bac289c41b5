// Train/validation/test splits by ratio with a seed, stratified by a field when given, with no near-duplicate
// leakage: rows are first grouped into clusters (exact duplicates and MinHash-LSH near duplicates, Dedup.h,
// linked with union-find over ALL rows, so A~B and B~C put A, B, C in one cluster), and a whole cluster goes to
// one split.
//
// Assignment: the clusters of each stratum (all rows: one stratum), in order of their first row, are shuffled
// (Fisher–Yates driven by mt19937_64(seed), written out so every platform gives the same order; std::shuffle's
// use of the engine is unspecified) and laid end to end; a cluster goes to the split whose share of the stratum
// its first row's position falls in. The shares are the ratios times the stratum's rows, rounded by largest
// remainder (ties to the earlier split), so singleton clusters meet them exactly and a larger cluster can
// overshoot a boundary by less than its size. A cluster whose rows span strata is placed with the stratum of
// its first row. Rows are written in their original order within each split.
#pragma once
#include "data/Dedup.h"
#include "data/RowReader.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <array>
#include <cstdint>

namespace distillery {

struct SplitOptions {
  std::array<double, 3> ratios{0.8, 0.1, 0.1};  // train, validation, test; >= 0, summing to 1 (±1e-6)
  uint64_t seed = 0;                            // cluster shuffle
  QString stratify;                             // field whose value (string, number or bool) names the stratum
  QString field;                                // compared text; empty: rowText of the detected schema
  DedupOptions dedup;                           // clustering: threshold, MinHash settings (exact and near on)
  ReadOptions read;                             // format, bad-row policy, progress (called in both passes)
};

struct SplitReport {
  int64_t rows = 0;                   // good rows split
  int64_t badRows = 0;                // unreadable, no schema, missing field or stratum (skipped)
  int64_t clusters = 0;               // clusters of one or more rows
  int64_t clusteredRows = 0;          // rows in clusters of two or more
  std::array<int64_t, 3> counts{};    // rows per split
  QJsonObject strata;                 // stratify: {value: {"train", "validation", "test"}}
  QJsonObject issues;                 // the reader's report of the first pass

  // {"rows", "bad_rows", "clusters", "clustered_rows", "train", "validation", "test", "strata"?}
  QJsonObject toJson() const;
};

// The split names, in the ratios' order: "train", "validation", "test".
const std::array<QString, 3>& splitNames();

// "0.8,0.1,0.1" → ratios (UsageError naming where for a bad list).
std::array<double, 3> parseRatios(const QString& text, const QString& where);

// Splits in into outDir/{train,validation,test}.jsonl (a ratio of 0 writes no file; outDir is created). Two
// streaming passes over in (cluster, then write); memory per row ~0.4 KiB (signature + union-find).
SplitReport splitFile(const QString& in, const QString& outDir, const SplitOptions& options);

}  // namespace distillery
