// A Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna's TPESampler does it per parameter): after
// a few random start-up trials, the observed trials are split at the γ-quantile of the objective into good and
// bad; each parameter gets two Parzen densities l(x) (good) and g(x) (bad) — Gaussian kernels in the parameter's
// (log) space, or smoothed counts for a list of values — candidates are drawn from l and the one maximising
// Σ log l(x) − log g(x) is suggested.
//
// Deterministic: a suggestion depends only on the seed and the history given, never on earlier calls, so a
// sweep resumed after a crash suggests the same trials again. Random numbers come from our own SplitMix64 /
// Box–Muller (std:: distributions differ between standard libraries).
//
//   TpeSampler tpe(spec.sweep.params, seed);
//   SweepPoint x = tpe.suggest(history);     // history: (point, objective) of finished trials; NaN = failed
#pragma once
#include "jobs/SweepSpace.h"
#include "train/JobSpec.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace distillery {

struct TpeOptions {
  int startupTrials = 5;     // random trials before the densities are used
  double gamma = 0.25;       // fraction of trials counted as good (at least one)
  int candidates = 24;       // points drawn from l(x) per suggestion
  double priorWeight = 1.0;  // weight of the prior (a wide kernel at the range's middle / uniform counts)
};

using TpeObservation = std::pair<SweepPoint, double>;  // a trial's point and its objective (minimised)

class TpeSampler {
 public:
  // Throws Error naming the parameter for an empty list of values, min ≥ max, or a log range with min ≤ 0.
  TpeSampler(std::vector<SweepParam> params, uint64_t seed, TpeOptions options = {});

  // The next point to try given the finished trials; random while fewer than startupTrials are finite.
  // Non-finite objectives (failed trials) count as the worst.
  SweepPoint suggest(const std::vector<TpeObservation>& history) const;
  // A point drawn uniformly (in log space for log parameters, over the values for lists).
  SweepPoint randomPoint(uint64_t stream) const;

  const std::vector<SweepParam>& params() const { return params_; }

 private:
  std::vector<SweepParam> params_;
  uint64_t seed_;
  TpeOptions o_;
};

}  // namespace distillery
