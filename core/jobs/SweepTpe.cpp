#include "jobs/SweepTpe.h"

#include "common/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace distillery {

namespace {

constexpr double kPi = 3.14159265358979323846;

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// SplitMix64 with uniform and normal draws that give the same numbers on every platform.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : state_(seed) {
    uint64_t s = stream ^ 0xD1B54A32D192ED03ULL;
    state_ ^= splitmix(s);
  }
  double uniform() { return double(splitmix(state_) >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() {                                                        // Box–Muller
    const double u1 = 1.0 - uniform();                                     // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }
  size_t index(size_t n) { return std::min(n - 1, size_t(uniform() * double(n))); }

 private:
  uint64_t state_;
};

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// A parameter's search interval in the space the kernels live in (log for log parameters). Integer parameters
// on a linear scale widen by half a unit each side so the end values are as likely as the others after rounding.
struct Axis {
  const SweepParam* p;
  double lo, hi;

  double toInternal(double x) const { return p->log ? std::log(x) : x; }
  double toValue(double y) const {
    double x = p->log ? std::exp(y) : y;
    if (isIntegerParam(*p)) x = std::round(x);
    return std::clamp(x, p->min, p->max);
  }
};

Axis axisOf(const SweepParam& p) {
  Axis a{&p, p.min, p.max};
  if (p.log) {
    a.lo = std::log(p.min);
    a.hi = std::log(p.max);
  } else if (isIntegerParam(p)) {
    a.lo = p.min - 0.5;
    a.hi = p.max + 0.5;
  }
  return a;
}

// A mixture of Gaussians truncated to [lo, hi]: one kernel per observation plus a wide prior kernel at the middle.
// Bandwidths as Optuna's Parzen estimator: the larger distance to a neighbour, clipped to [range/min(100, n+1), range].
class Parzen {
 public:
  Parzen(const std::vector<double>& observations, double lo, double hi, double priorWeight) : lo_(lo), hi_(hi) {
    const double range = hi - lo;
    std::vector<double> mus = observations;
    mus.push_back(0.5 * (lo + hi));
    std::vector<double> weights(observations.size(), 1.0);
    weights.push_back(priorWeight);
    std::vector<size_t> order(mus.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return mus[a] < mus[b]; });
    std::vector<double> sigmas(mus.size());
    for (size_t k = 0; k < order.size(); ++k) {
      const double left = k == 0 ? lo : mus[order[k - 1]];
      const double right = k + 1 == order.size() ? hi : mus[order[k + 1]];
      sigmas[order[k]] = std::max(mus[order[k]] - left, right - mus[order[k]]);
    }
    sigmas.back() = range;  // the prior
    const double minSigma = range / std::min(100.0, double(mus.size()));
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    for (size_t i = 0; i < mus.size(); ++i) {
      Kernel k;
      k.mu = mus[i];
      k.sigma = std::clamp(sigmas[i], minSigma, range);
      k.weight = weights[i] / total;
      k.mass = normalCdf((hi - k.mu) / k.sigma) - normalCdf((lo - k.mu) / k.sigma);
      kernels_.push_back(k);
    }
  }

  double logDensity(double x) const {
    double p = 0;
    for (const Kernel& k : kernels_) {
      const double z = (x - k.mu) / k.sigma;
      p += k.weight * std::exp(-0.5 * z * z) / (k.sigma * std::sqrt(2.0 * kPi) * std::max(k.mass, 1e-300));
    }
    return std::log(std::max(p, 1e-300));
  }

  double sample(Rng& rng) const {
    double u = rng.uniform();
    size_t i = 0;
    while (i + 1 < kernels_.size() && u >= kernels_[i].weight) u -= kernels_[i++].weight;
    const Kernel& k = kernels_[i];
    for (int attempt = 0; attempt < 100; ++attempt) {
      const double y = k.mu + k.sigma * rng.normal();
      if (y >= lo_ && y <= hi_) return y;
    }
    return std::clamp(k.mu, lo_, hi_);
  }

 private:
  struct Kernel {
    double mu, sigma, weight, mass;  // mass: the part of the Gaussian inside [lo, hi], to renormalise
  };
  double lo_, hi_;
  std::vector<Kernel> kernels_;
};

// Smoothed frequencies of the indices of a list of values: (count + prior/K) / (n + prior).
class Categorical {
 public:
  Categorical(const std::vector<size_t>& observations, size_t k, double priorWeight) : p_(k, priorWeight / double(k)) {
    for (size_t i : observations) p_[i] += 1.0;
    const double total = double(observations.size()) + priorWeight;
    for (double& v : p_) v /= total;
  }
  double logDensity(size_t i) const { return std::log(p_[i]); }
  size_t sample(Rng& rng) const {
    double u = rng.uniform();
    size_t i = 0;
    while (i + 1 < p_.size() && u >= p_[i]) u -= p_[i++];
    return i;
  }

 private:
  std::vector<double> p_;
};

size_t nearestIndex(const std::vector<double>& values, double x) {
  size_t best = 0;
  for (size_t i = 1; i < values.size(); ++i)
    if (std::fabs(values[i] - x) < std::fabs(values[best] - x)) best = i;
  return best;
}

}  // namespace

TpeSampler::TpeSampler(std::vector<SweepParam> params, uint64_t seed, TpeOptions options)
    : params_(std::move(params)), seed_(seed), o_(options) {
  if (params_.empty()) throw Error({}, QStringLiteral("sweep.params"), QString(), QStringLiteral("is empty"));
  for (const SweepParam& p : params_) {
    if (!p.values.empty()) continue;
    if (!(p.min < p.max))
      throw Error({}, QStringLiteral("sweep.params"), p.key,
                  QStringLiteral("needs min < max, got min %1, max %2").arg(p.min).arg(p.max));
    if (p.log && !(p.min > 0))
      throw Error({}, QStringLiteral("sweep.params"), p.key,
                  QStringLiteral("has a log scale and needs min > 0, got %1").arg(p.min));
  }
  o_.gamma = std::clamp(o_.gamma, 1e-6, 1.0);
  o_.candidates = std::max(1, o_.candidates);
  o_.priorWeight = std::max(1e-6, o_.priorWeight);
}

SweepPoint TpeSampler::randomPoint(uint64_t stream) const {
  Rng rng(seed_, stream);
  SweepPoint x(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    const SweepParam& p = params_[i];
    if (!p.values.empty()) {
      x[i] = p.values[rng.index(p.values.size())];
    } else {
      const Axis a = axisOf(p);
      x[i] = a.toValue(a.lo + (a.hi - a.lo) * rng.uniform());
    }
  }
  return x;
}

SweepPoint TpeSampler::suggest(const std::vector<TpeObservation>& history) const {
  const uint64_t stream = history.size();
  const auto finite =
      std::count_if(history.begin(), history.end(), [](const TpeObservation& o) { return std::isfinite(o.second); });
  if (finite < std::max(1, o_.startupTrials)) return randomPoint(stream);

  // Good: the best ⌈γ·n⌉ trials (failed ones sort last, so they are always bad).
  std::vector<size_t> order(history.size());
  std::iota(order.begin(), order.end(), 0);
  const auto key = [&](size_t i) {
    const double v = history[i].second;
    return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  const size_t nGood = std::clamp<size_t>(size_t(std::ceil(o_.gamma * double(finite))), 1, size_t(finite));

  Rng rng(seed_, stream + 0x5851F42D4C957F2DULL);
  std::vector<SweepPoint> candidates(size_t(o_.candidates), SweepPoint(params_.size()));
  std::vector<double> score(candidates.size(), 0.0);
  for (size_t j = 0; j < params_.size(); ++j) {
    const SweepParam& p = params_[j];
    if (!p.values.empty()) {
      std::vector<size_t> good, bad;
      for (size_t r = 0; r < order.size(); ++r)
        (r < nGood ? good : bad).push_back(nearestIndex(p.values, history[order[r]].first[j]));
      const Categorical l(good, p.values.size(), o_.priorWeight), g(bad, p.values.size(), o_.priorWeight);
      for (size_t c = 0; c < candidates.size(); ++c) {
        const size_t i = l.sample(rng);
        candidates[c][j] = p.values[i];
        score[c] += l.logDensity(i) - g.logDensity(i);
      }
    } else {
      const Axis a = axisOf(p);
      std::vector<double> good, bad;
      for (size_t r = 0; r < order.size(); ++r)
        (r < nGood ? good : bad).push_back(std::clamp(a.toInternal(history[order[r]].first[j]), a.lo, a.hi));
      const Parzen l(good, a.lo, a.hi, o_.priorWeight), g(bad, a.lo, a.hi, o_.priorWeight);
      for (size_t c = 0; c < candidates.size(); ++c) {
        const double x = a.toValue(l.sample(rng));
        const double y = std::clamp(a.toInternal(x), a.lo, a.hi);  // score where the rounded value lies
        candidates[c][j] = x;
        score[c] += l.logDensity(y) - g.logDensity(y);
      }
    }
  }
  const size_t best = size_t(std::max_element(score.begin(), score.end()) - score.begin());
  return candidates[best];
}

}  // namespace distillery
