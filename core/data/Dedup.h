// Streaming duplicate detection with keep-first semantics: a text is an exact duplicate when its dedup form
// (TextClean.h dedupForm) hashes like an earlier kept text's, a near duplicate when its MinHash signature
// (MinHash.h) matches an earlier kept text's at the Jaccard threshold. Deterministic for given options.
//
//   Deduplicator dedup(options);
//   for each row:  DedupHit hit = dedup.check(text, line);   // kind None: new, remembered as kept
//
// Pipelines may call prepare() (const, thread-safe: the hashing and the signature, ~all the work) on many rows in
// parallel and then insert() them one by one in file order: the result is the same as check() in that order.
//
// Near-duplicate decision: LSH candidates (kept texts sharing a band) are confirmed by the estimated Jaccard
// of the full signatures, est ≥ threshold − confirmSigmas·sqrt(threshold(1 − threshold)/numPerm): a pair is
// dropped unless its estimate lies significantly below the threshold. With confirmSigmas 0 (est ≥ threshold)
// a pair sitting exactly at the threshold would be missed half the time, as the estimate's noise is symmetric;
// with the default 2 it is caught ~97.7% of the time, and pairs at J ≤ threshold − 4σ (0.79 for 0.9, 128
// permutations) are almost never dropped. The bands are chosen (optimalLshParams) for that confirmation bar,
// weighing a missed pair 9× a spurious candidate: a candidate only costs one signature comparison.
//
// Memory per kept row: 2 bytes per permutation (the low 16 bits of each slot: "b-bit MinHash", Li & König 2010;
// two different slots agree on 16 bits with probability 2^-16, a bias below 2e-5 in the estimate), 8 bytes of line,
// 4 per band in the LSH chains, and ~50 bytes in the exact-hash table: ~330 bytes at 128 permutations.
#pragma once
#include "data/MinHash.h"
#include "data/TextClean.h"

#include <QtCore/QHash>
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

struct DedupOptions {
  bool exact = true;              // drop texts whose dedup form equals an earlier kept one's
  bool near = true;               // drop texts whose estimated Jaccard with an earlier kept one reaches the bar
  bool casefold = false;          // compare case-folded texts (both exact and near)
  double threshold = 0.9;         // Jaccard similarity of the shingle sets that makes a near duplicate, in (0, 1)
  double confirmSigmas = 2.0;     // the confirmation bar sits this many estimate sds below threshold (0: at it)
  double fpWeight = 0.1;          // LSH band choice: weight of candidates below the bar
  double fnWeight = 0.9;          //                  weight of pairs above the bar missed
  MinHashOptions minhash;         // shingle width, permutations, seed
};

struct DedupHit {
  enum Kind { None, Exact, Near };
  Kind kind = None;
  int64_t of = 0;                 // the line of the kept row it duplicates (Exact, Near)
  double jaccard = 0;             // Near: the estimated Jaccard with that row
};

class Deduplicator {
 public:
  // Throws UsageError for a threshold outside (0, 1) or bad MinHash options.
  explicit Deduplicator(const DedupOptions& options = {});

  // What insert() needs of one text, computed without touching the kept set.
  struct Prepared {
    TextHash key;                   // textHash(dedupForm(text))
    bool hasShingles = false;       // an empty dedup form has none and is never a near duplicate
    std::vector<uint64_t> signature;  // [numPerm]
    std::vector<uint64_t> bandKeys;   // [bands]
  };
  void prepare(const QString& text, Prepared& out) const;   // thread-safe

  // Decides against the kept rows and, when the text is new, keeps it. Rows must come in file order.
  DedupHit insert(const Prepared& p, int64_t line);
  DedupHit check(const QString& text, int64_t line);

  // Clustering (splits): every remembered row p duplicates into links (their lines; cleared first), then p is
  // remembered too, duplicate or not. An exact duplicate links to the first row with its text only (that row
  // holds its links). Union-find over the links groups near-duplicate clusters.
  void link(const Prepared& p, int64_t line, std::vector<int64_t>& links);

  double confirmBar() const { return bar_; }
  const LshParams& lshParams() const { return lsh_.params(); }
  const DedupOptions& options() const { return o_; }
  int64_t kept() const { return int64_t(lines_.size()); }

 private:
  DedupOptions o_;
  MinHasher hasher_;
  double bar_ = 0;
  LshIndex lsh_;
  QHash<TextHash, uint32_t> exact_;      // key → id of the first kept row with it
  std::vector<int64_t> lines_;           // id (remembered rows in order) → line
  std::vector<uint16_t> sigs_;           // near: [id · numPerm + slot], low 16 bits (zeros without shingles)
  std::vector<uint32_t> candidates_;     // scratch
  Prepared scratch_;

  double estimate(const Prepared& p, uint32_t id) const;
  void remember(const Prepared& p, int64_t line);
};

}  // namespace distillery
