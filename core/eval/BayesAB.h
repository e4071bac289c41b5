// Is B better than A? Pairwise outcomes (a human study's verdicts, or per-sample automatic scores of two models)
// compared two ways side by side:
//   - Bayesian: B's win rate p among decisive comparisons (ties left out) has a Beta(1 + wins, 1 + losses)
//     posterior under a uniform Beta(1, 1) prior; P(B beats A) = P(p > 0.5); an equal-tailed credible interval from
//     the Beta quantiles;
//   - frequentist: the exact two-sided sign test of p = 0.5 and a percentile bootstrap interval of the win rate
//     (all items, ties included, resampled with replacement; resamples without a decisive item are skipped).
//
//   const AbComparison c = compareAB({.bWins = 25, .aWins = 14, .ties = 5}, {.seed = 1});
//   c.verdict("A", "B") → "B is better than A with probability 96% (95% CI of B's win rate 0.48–0.77); sign test
//                          p = 0.11 (25 wins, 14 losses, 5 ties)"
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

// B's record against A.
struct AbCounts {
  int64_t bWins = 0, aWins = 0, ties = 0;
};

struct AbOptions {
  double level = 0.95;          // credible and bootstrap interval mass, in (0, 1)
  int bootstrapRounds = 10000;  // 0: no bootstrap interval
  uint64_t seed = 1;
};

struct AbComparison {
  AbCounts counts;
  double level = 0.95;
  double posteriorMean = 0.5;     // (1 + bWins) / (2 + bWins + aWins)
  double probBBetter = 0.5;       // P(p > 0.5)
  double credibleLow = 0, credibleHigh = 1;
  double signTestP = 1;           // exact two-sided, p0 = 0.5
  double observedRate = 0;        // bWins / (bWins + aWins), NaN without decisive items
  double bootstrapLow = 0, bootstrapHigh = 0;  // NaN without decisive items or rounds
  // "B is better than A with probability 97% (95% CI of B's win rate 0.55–0.78); sign test p = 0.01 (...)".
  QString verdict(const QString& a, const QString& b) const;
  QJsonObject toJson(const QString& a, const QString& b) const;
};

AbComparison compareAB(const AbCounts& counts, const AbOptions& options = {});

// Per-sample scores of two models on the same samples (pairs with a NaN on either side are skipped): B wins a
// sample when its score is higher by more than epsilon (lower when lowerIsBetter), ties within epsilon.
AbCounts countPairs(const std::vector<double>& scoresA, const std::vector<double>& scoresB, bool lowerIsBetter = false,
                    double epsilon = 1e-12);

// The regularized incomplete beta function I_x(a, b) (continued fraction, relative accuracy ~1e-14) and its
// inverse in x (bisection to 1e-15), for a, b > 0.
double incompleteBetaRegularized(double a, double b, double x);
double betaQuantile(double a, double b, double q);
// Exact two-sided sign test of k successes in n trials against 1/2: min(1, 2·P(X ≤ min(k, n−k))).
double signTestPValue(int64_t k, int64_t n);

}  // namespace distillery
