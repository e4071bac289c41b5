// Draws from mt19937_64 that give the same numbers on every platform: the engine's sequence is fixed by the
// standard, std::uniform_int_distribution's and std::shuffle's use of it is not. Used wherever a data step
// promises "same seed, same output" (MinHash permutations, splits, augmentation).
#pragma once
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace distillery {

// Uniform in [0, n), n >= 1, by rejection (no modulo bias).
inline uint64_t uniformBelow(std::mt19937_64& rng, uint64_t n) {
  const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % n;
  uint64_t x;
  do x = rng(); while (x >= limit);
  return x % n;
}

// Uniform in [0, 1) with 53 random bits.
inline double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

// Fisher–Yates with the draws above: the same permutation for the same seed on every platform.
template <typename T>
void shuffleInPlace(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[size_t(uniformBelow(rng, i))]);
}

}  // namespace distillery
