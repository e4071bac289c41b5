// MinHash signatures and LSH banding for near-duplicate detection (Broder 1997; the banding of Leskovec,
// Rajaraman & Ullman, "Mining of Massive Datasets" ch. 3, as the datasketch library does it).
//
// Shingles: every window of `shingle` consecutive UTF-16 code units of the (already normalised) text, hashed
// to 64 bits; a text shorter than the window is one shingle, an empty text has none. Character windows work
// for every script (CJK has no spaces to cut words at) and a changed word touches only ~shingle + its length
// windows, so 1–3% of changed words keep a ~200-word text's Jaccard similarity near 0.9–0.97.
//
// Signature: for each of numPerm permutations i, min over the shingle hashes h of (a_i·h + b_i) mod (2^61 − 1)
// (datasketch's universal hashing, a_i in [1, p), b_i in [0, p) drawn from mt19937_64(seed)). The share of equal
// slots of two signatures estimates their Jaccard similarity J with standard deviation sqrt(J(1 − J)/numPerm).
//
// LSH: the signature is cut into `bands` bands of `rows` slots; two texts become candidates when one band is
// equal, with probability 1 − (1 − J^rows)^bands.
#pragma once
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

struct MinHashOptions {
  int numPerm = 128;    // permutations = signature slots; the estimate's sd is sqrt(J(1 − J)/numPerm)
  int shingle = 5;      // UTF-16 code units per shingle window
  uint64_t seed = 1;    // draws the permutations; signatures compare only under the same seed and numPerm
};

class MinHasher {
 public:
  // Throws UsageError for numPerm < 1 or shingle < 1.
  explicit MinHasher(const MinHashOptions& options = {});

  // The 64-bit hashes of text's shingles, sorted and unique (the shingle set), into out (cleared first).
  void shingles(const QString& text, std::vector<uint64_t>& out) const;
  // Signature of a shingle set: out[numPerm], every slot (2^61 − 1) when the set is empty.
  void signature(const std::vector<uint64_t>& shingleSet, std::vector<uint64_t>& out) const;
  std::vector<uint64_t> signature(const QString& text) const;

  const MinHashOptions& options() const { return o_; }

 private:
  MinHashOptions o_;
  std::vector<uint64_t> a_, b_;  // [numPerm] permutation parameters
};

// Share of equal slots: the estimate of the Jaccard similarity. Both of the same length.
double estimatedJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

struct LshParams {
  int bands = 0;
  int rows = 0;   // slots per band; bands·rows ≤ numPerm (the rest of the slots only serve the estimate)
};

// datasketch's MinHashLSH._optimal_param: the (bands, rows) with bands·rows ≤ numPerm minimising
// fpWeight·∫₀ᵗ P(s) ds + fnWeight·∫ₜ¹ (1 − P(s)) ds, P(s) = 1 − (1 − s^rows)^bands, both integrals by the
// midpoint rule in steps of 0.001 as datasketch's _integration (so the choice matches it number for number).
LshParams optimalLshParams(double threshold, int numPerm, double fpWeight = 0.5, double fnWeight = 0.5);

// Banded buckets of signatures: who shares a band with whom. Ids are the caller's (0, 1, 2, ... in insert order).
// Memory: 8 bytes of bucket key + 4 of head per distinct band value, plus 4 bytes per (id, band) for the chains.
class LshIndex {
 public:
  LshIndex(int numPerm, const LshParams& params);

  // One 64-bit key per band (a hash of the band's slots and its index): keys[bands]. Thread-safe.
  void bandKeys(const std::vector<uint64_t>& signature, std::vector<uint64_t>& keys) const;
  // Ids inserted so far that share a band key with keys, ascending, each once (out cleared first).
  void candidates(const std::vector<uint64_t>& keys, std::vector<uint32_t>& out) const;
  // Files id under its band keys. Ids must increase from call to call (gaps allowed).
  void insert(const std::vector<uint64_t>& keys, uint32_t id);

  const LshParams& params() const { return p_; }

 private:
  LshParams p_;
  std::vector<uint32_t> next_;         // [id · bands + band]: the previous id in that bucket, or kNone
  std::vector<uint64_t> headKeys_;     // open addressing: bucket key per slot
  std::vector<uint32_t> heads_;        // newest id per slot, kNone = empty slot
  size_t used_ = 0;
  size_t slotOf(uint64_t key) const;
  void grow();
};

}  // namespace distillery
