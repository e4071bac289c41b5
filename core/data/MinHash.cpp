// MinHash signatures (universal hashing mod the Mersenne prime 2^61 − 1) and the LSH band index.
#include "data/MinHash.h"

#include "common/Error.h"
#include "data/SeededRandom.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace distillery {

namespace {

constexpr uint64_t kPrime = (uint64_t(1) << 61) - 1;   // Mersenne prime 2^61 − 1
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// x mod (2^61 − 1) for x < 2^64, by folding the bits above 61 (2^61 ≡ 1).
inline uint64_t modPrime(uint64_t x) {
  x = (x & kPrime) + (x >> 61);
  return x >= kPrime ? x - kPrime : x;
}

// (a·h + b) mod p for a, h, b < p: the 122-bit product's low 61 bits + its high bits + b stay below 2^63, and
// one fold plus a conditional subtraction brings that below p.
inline uint64_t permute(uint64_t a, uint64_t h, uint64_t b) {
  const unsigned __int128 prod = static_cast<unsigned __int128>(a) * h;
  const uint64_t x = (uint64_t(prod) & kPrime) + uint64_t(prod >> 61) + b;
  return modPrime(x);
}

// SplitMix64's finaliser: a bijective 64-bit mix.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline uint64_t hashUnits(const char16_t* s, int n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ uint64_t(n);
  for (int i = 0; i < n; ++i) h = (h ^ s[i]) * 0x100000001B3ULL + (h >> 29);
  return mix64(h);
}

}  // namespace

MinHasher::MinHasher(const MinHashOptions& options) : o_(options) {
  if (o_.numPerm < 1) throw UsageError({}, QStringLiteral("num_perm"), QString::number(o_.numPerm), QStringLiteral("must be >= 1"));
  if (o_.shingle < 1) throw UsageError({}, QStringLiteral("shingle"), QString::number(o_.shingle), QStringLiteral("must be >= 1"));
  std::mt19937_64 rng(o_.seed);
  a_.resize(size_t(o_.numPerm));
  b_.resize(size_t(o_.numPerm));
  for (int i = 0; i < o_.numPerm; ++i) {
    a_[size_t(i)] = 1 + uniformBelow(rng, kPrime - 1);
    b_[size_t(i)] = uniformBelow(rng, kPrime);
  }
}

void MinHasher::shingles(const QString& text, std::vector<uint64_t>& out) const {
  out.clear();
  const int n = int(text.size()), w = o_.shingle;
  if (n == 0) return;
  const char16_t* s = reinterpret_cast<const char16_t*>(text.utf16());
  if (n <= w) {
    out.push_back(hashUnits(s, n));
    return;
  }
  out.reserve(size_t(n - w + 1));
  for (int i = 0; i + w <= n; ++i) out.push_back(hashUnits(s + i, w));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void MinHasher::signature(const std::vector<uint64_t>& shingleSet, std::vector<uint64_t>& out) const {
  const size_t n = size_t(o_.numPerm), m = shingleSet.size();
  out.assign(n, kPrime);
  thread_local std::vector<uint64_t> reduced;
  reduced.resize(m);
  for (size_t j = 0; j < m; ++j) reduced[j] = modPrime(shingleSet[j]);
  const uint64_t* h = reduced.data();
  // Permutation outer, shingles inner: a, b and the running minimum stay in registers (the hot loop).
  // Four independent minima let the multiplications of neighbouring shingles overlap.
  for (size_t i = 0; i < n; ++i) {
    const uint64_t a = a_[i], b = b_[i];
    uint64_t m0 = kPrime, m1 = kPrime, m2 = kPrime, m3 = kPrime;
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
      m0 = std::min(m0, permute(a, h[j], b));
      m1 = std::min(m1, permute(a, h[j + 1], b));
      m2 = std::min(m2, permute(a, h[j + 2], b));
      m3 = std::min(m3, permute(a, h[j + 3], b));
    }
    for (; j < m; ++j) m0 = std::min(m0, permute(a, h[j], b));
    out[i] = std::min(std::min(m0, m1), std::min(m2, m3));
  }
}

std::vector<uint64_t> MinHasher::signature(const QString& text) const {
  std::vector<uint64_t> set, sig;
  shingles(text, set);
  signature(set, sig);
  return sig;
}

double estimatedJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.size() != b.size() || a.empty()) throw Error(QStringLiteral("estimatedJaccard: signatures of different lengths"));
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return double(equal) / double(a.size());
}

// ---- LSH parameters ---------------------------------------------------------------------------------------

namespace {

// datasketch's _integration: midpoint rule, step 0.001, x advanced by repeated addition (kept as is: the
// floating-point walk decides the last step, and the choice must match datasketch's).
template <typename F>
double integrate(F f, double lo, double hi) {
  const double step = 0.001;
  double area = 0.0;
  for (double x = lo; x < hi; x += step) area += f(x + 0.5 * step) * step;
  return area;
}

}  // namespace

LshParams optimalLshParams(double threshold, int numPerm, double fpWeight, double fnWeight) {
  if (!(threshold > 0.0 && threshold < 1.0))
    throw UsageError({}, QStringLiteral("threshold"), QString::number(threshold), QStringLiteral("must be in (0, 1)"));
  if (numPerm < 1) throw UsageError({}, QStringLiteral("num_perm"), QString::number(numPerm), QStringLiteral("must be >= 1"));
  LshParams best{1, 1};
  double bestError = std::numeric_limits<double>::infinity();
  for (int b = 1; b <= numPerm; ++b) {
    for (int r = 1; r <= numPerm / b; ++r) {
      const double bands = b, rows = r;
      // Written as datasketch writes them (1 − (1 − x) is not always x in floating point).
      const double fp = integrate([&](double s) { return 1.0 - std::pow(1.0 - std::pow(s, rows), bands); }, 0.0, threshold);
      const double fn = integrate([&](double s) { return 1.0 - (1.0 - std::pow(1.0 - std::pow(s, rows), bands)); }, threshold, 1.0);
      const double error = fp * fpWeight + fn * fnWeight;
      if (error < bestError) {
        bestError = error;
        best = {b, r};
      }
    }
  }
  return best;
}

// ---- LSH index ----------------------------------------------------------------------------------------------

LshIndex::LshIndex(int numPerm, const LshParams& params) : p_(params) {
  if (p_.bands < 1 || p_.rows < 1 || int64_t(p_.bands) * p_.rows > numPerm)
    throw UsageError({}, QStringLiteral("lsh"), QStringLiteral("%1x%2").arg(p_.bands).arg(p_.rows),
                     QStringLiteral("bands x rows must be >= 1 and <= num_perm (%1)").arg(numPerm));
  headKeys_.assign(1024, 0);
  heads_.assign(1024, kNone);
}

void LshIndex::bandKeys(const std::vector<uint64_t>& signature, std::vector<uint64_t>& keys) const {
  keys.resize(size_t(p_.bands));
  for (int band = 0; band < p_.bands; ++band) {
    uint64_t h = mix64(uint64_t(band) + 0x51ED270B2C5E6D39ULL);
    const uint64_t* slot = signature.data() + size_t(band) * size_t(p_.rows);
    for (int r = 0; r < p_.rows; ++r) h = mix64(h ^ slot[r]) + uint64_t(r);
    keys[size_t(band)] = h;
  }
}

size_t LshIndex::slotOf(uint64_t key) const {
  const size_t mask = heads_.size() - 1;
  size_t i = size_t(mix64(key)) & mask;
  while (heads_[i] != kNone && headKeys_[i] != key) i = (i + 1) & mask;
  return i;
}

void LshIndex::grow() {
  std::vector<uint64_t> oldKeys(headKeys_.size() * 2, 0);
  std::vector<uint32_t> oldHeads(heads_.size() * 2, kNone);
  oldKeys.swap(headKeys_);
  oldHeads.swap(heads_);
  for (size_t i = 0; i < oldHeads.size(); ++i) {
    if (oldHeads[i] == kNone) continue;
    const size_t s = slotOf(oldKeys[i]);
    headKeys_[s] = oldKeys[i];
    heads_[s] = oldHeads[i];
  }
}

void LshIndex::candidates(const std::vector<uint64_t>& keys, std::vector<uint32_t>& out) const {
  out.clear();
  const size_t bands = size_t(p_.bands);
  for (size_t band = 0; band < bands; ++band) {
    // Keys carry their band's index, so a slot's chain holds one band's ids (two bands' keys colliding on 64
    // bits would only add candidates, which the caller's signature check rejects).
    for (uint32_t id = heads_[slotOf(keys[band])]; id != kNone; id = next_[size_t(id) * bands + band])
      out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void LshIndex::insert(const std::vector<uint64_t>& keys, uint32_t id) {
  const size_t bands = size_t(p_.bands);
  if (next_.size() > size_t(id) * bands) throw Error(QStringLiteral("LshIndex::insert: ids must increase"));
  next_.resize((size_t(id) + 1) * bands, kNone);
  for (size_t band = 0; band < bands; ++band) {
    if ((used_ + 1) * 2 > heads_.size()) grow();
    const size_t s = slotOf(keys[band]);
    if (heads_[s] == kNone) {
      ++used_;
      headKeys_[s] = keys[band];
    }
    next_[size_t(id) * bands + band] = heads_[s];
    heads_[s] = id;
  }
}

}  // namespace distillery
