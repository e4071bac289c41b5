#include "eval/BayesAB.h"

#include "common/Error.h"

#include <QtCore/QJsonValue>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace distillery {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Lentz's continued fraction for I_x(a, b) (Numerical Recipes 6.4), valid for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-16) break;
  }
  return h;
}

QString percent(double p) {
  // 99.9999% would read as "100%": say "> 99.9%" rather than a certainty the data do not give.
  if (p > 0.999) return QStringLiteral("> 99.9%");
  return QString::number(100 * p, 'f', 0) + QLatin1Char('%');
}

QString pValue(double p) {
  if (p < 0.001) return QStringLiteral("< 0.001");
  return QString::number(p, 'g', 2);
}

QJsonValue number(double v) { return std::isnan(v) ? QJsonValue() : QJsonValue(v); }

}  // namespace

double incompleteBetaRegularized(double a, double b, double x) {
  if (!(a > 0) || !(b > 0)) throw Error({}, QStringLiteral("beta"), QStringLiteral("a=%1 b=%2").arg(a).arg(b),
                                        QStringLiteral("shape parameters must be > 0"));
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
  return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;  // symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
}

double betaQuantile(double a, double b, double q) {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  double lo = 0, hi = 1;
  // I_x is monotone in x; 60 halvings reach below 1e-15.
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (incompleteBetaRegularized(a, b, mid) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double signTestPValue(int64_t k, int64_t n) {
  if (n <= 0) return 1;
  const int64_t m = std::min(k, n - k);
  // P(X ≤ m) for X ~ Bin(n, 1/2), summed in log space so large n does not overflow.
  double tail = 0;
  for (int64_t j = 0; j <= m; ++j)
    tail += std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(j) + 1) - std::lgamma(double(n - j) + 1) -
                     double(n) * std::log(2.0));
  return std::min(1.0, 2 * tail);
}

AbCounts countPairs(const std::vector<double>& scoresA, const std::vector<double>& scoresB, bool lowerIsBetter,
                    double epsilon) {
  AbCounts c;
  const size_t n = std::min(scoresA.size(), scoresB.size());
  for (size_t i = 0; i < n; ++i) {
    const double a = scoresA[i], b = scoresB[i];
    if (std::isnan(a) || std::isnan(b)) continue;
    const double diff = lowerIsBetter ? a - b : b - a;
    if (diff > epsilon) ++c.bWins;
    else if (diff < -epsilon) ++c.aWins;
    else ++c.ties;
  }
  return c;
}

AbComparison compareAB(const AbCounts& counts, const AbOptions& options) {
  if (counts.bWins < 0 || counts.aWins < 0 || counts.ties < 0)
    throw Error({}, QStringLiteral("counts"),
                QStringLiteral("%1/%2/%3").arg(counts.bWins).arg(counts.aWins).arg(counts.ties),
                QStringLiteral("wins, losses and ties must be ≥ 0"));
  if (!(options.level > 0 && options.level < 1))
    throw Error({}, QStringLiteral("level"), QString::number(options.level), QStringLiteral("must be in (0, 1)"));
  AbComparison r;
  r.counts = counts;
  r.level = options.level;
  const double a = 1.0 + double(counts.bWins), b = 1.0 + double(counts.aWins);
  const double tail = (1 - options.level) / 2;
  r.posteriorMean = a / (a + b);
  r.probBBetter = 1 - incompleteBetaRegularized(a, b, 0.5);
  r.credibleLow = betaQuantile(a, b, tail);
  r.credibleHigh = betaQuantile(a, b, 1 - tail);
  const int64_t decisive = counts.bWins + counts.aWins;
  r.signTestP = signTestPValue(counts.bWins, decisive);
  r.observedRate = decisive ? double(counts.bWins) / double(decisive) : kNaN;
  r.bootstrapLow = r.bootstrapHigh = kNaN;
  if (decisive > 0 && options.bootstrapRounds > 0) {
    // Resampling N items is drawing (W, L, T) from a multinomial: W ~ Bin(N, w/N), then L ~ Bin(N − W, l/(l + t)).
    const int64_t n = decisive + counts.ties;
    std::mt19937_64 rng(options.seed);
    std::vector<double> rates;
    rates.reserve(size_t(options.bootstrapRounds));
    for (int i = 0; i < options.bootstrapRounds; ++i) {
      std::binomial_distribution<int64_t> wins(n, double(counts.bWins) / double(n));
      const int64_t w = wins(rng);
      const int64_t rest = counts.aWins + counts.ties;
      int64_t l = 0;
      if (rest > 0 && n - w > 0) l = std::binomial_distribution<int64_t>(n - w, double(counts.aWins) / double(rest))(rng);
      if (w + l > 0) rates.push_back(double(w) / double(w + l));
    }
    if (!rates.empty()) {
      std::sort(rates.begin(), rates.end());
      // The smallest value whose empirical CDF reaches q.
      auto quantile = [&](double q) {
        const size_t k = size_t(std::max(0.0, std::ceil(q * double(rates.size())) - 1));
        return rates[std::min(k, rates.size() - 1)];
      };
      r.bootstrapLow = quantile(tail);
      r.bootstrapHigh = quantile(1 - tail);
    }
  }
  return r;
}

QString AbComparison::verdict(const QString& a, const QString& b) const {
  const QString record = QStringLiteral("%1 wins, %2 losses, %3 ties").arg(counts.bWins).arg(counts.aWins).arg(counts.ties);
  if (counts.bWins + counts.aWins == 0)
    return QStringLiteral("No decisive comparison between %1 and %2 (%3): nothing to tell them apart.").arg(a, b, record);
  const bool bAhead = probBBetter >= 0.5;
  return QStringLiteral("%1 is better than %2 with probability %3 (%4% CI of %5's win rate %6–%7); sign test p = %8 (%9)")
      .arg(bAhead ? b : a, bAhead ? a : b, percent(bAhead ? probBBetter : 1 - probBBetter))
      .arg(qRound(100 * level))
      .arg(b, QString::number(credibleLow, 'f', 2), QString::number(credibleHigh, 'f', 2), pValue(signTestP), record);
}

QJsonObject AbComparison::toJson(const QString& a, const QString& b) const {
  return {{QStringLiteral("a"), a},
          {QStringLiteral("b"), b},
          {QStringLiteral("b_wins"), qint64(counts.bWins)},
          {QStringLiteral("a_wins"), qint64(counts.aWins)},
          {QStringLiteral("ties"), qint64(counts.ties)},
          {QStringLiteral("level"), level},
          {QStringLiteral("posterior_mean"), posteriorMean},
          {QStringLiteral("p_b_better"), probBBetter},
          {QStringLiteral("credible_low"), credibleLow},
          {QStringLiteral("credible_high"), credibleHigh},
          {QStringLiteral("observed_win_rate"), number(observedRate)},
          {QStringLiteral("sign_test_p"), signTestP},
          {QStringLiteral("bootstrap_low"), number(bootstrapLow)},
          {QStringLiteral("bootstrap_high"), number(bootstrapHigh)},
          {QStringLiteral("verdict"), verdict(a, b)}};
}

}  // namespace distillery
