// Online Elo, Bradley-Terry by penalised Newton, and bootstrap intervals; see Ranking.h for the conventions.
#include "eval/Ranking.h"

#include "common/Error.h"
#include "data/SeededRandom.h"

#include <QtCore/QHash>

#include <algorithm>
#include <cmath>

namespace distillery {

Winner parseWinner(const QString& text, const QString& where) {
  const QString t = text.trimmed().toLower();
  if (t == QLatin1String("a") || t == QLatin1String("model_a")) return Winner::A;
  if (t == QLatin1String("b") || t == QLatin1String("model_b")) return Winner::B;
  if (t == QLatin1String("tie") || t == QLatin1String("tie (bothbad)")) return Winner::Tie;
  throw FormatError(where, QStringLiteral("winner"), text, QStringLiteral("must be a, b or tie"));
}

std::map<QString, double> onlineElo(const std::vector<Battle>& battles, const RankOptions& o) {
  std::map<QString, double> rating;
  for (const Battle& b : battles) {
    double& ra = rating.try_emplace(b.a, o.initial).first->second;
    double& rb = rating.try_emplace(b.b, o.initial).first->second;
    const double ea = 1.0 / (1.0 + std::pow(o.base, (rb - ra) / o.scale));
    const double eb = 1.0 / (1.0 + std::pow(o.base, (ra - rb) / o.scale));
    const double sa = b.winner == Winner::A ? 1.0 : b.winner == Winner::B ? 0.0 : 0.5;
    ra += o.k * (sa - ea);
    rb += o.k * (1.0 - sa - eb);
  }
  return rating;
}

namespace {

// Solves H x = g in place (H [n, n] symmetric positive definite, row-major) by Cholesky; x returned in g.
void solveSpd(std::vector<double> h, std::vector<double>& g, int n) {
  for (int j = 0; j < n; ++j) {
    double d = h[size_t(j * n + j)];
    for (int k = 0; k < j; ++k) d -= h[size_t(j * n + k)] * h[size_t(j * n + k)];
    d = std::sqrt(std::max(d, 1e-300));
    h[size_t(j * n + j)] = d;
    for (int i = j + 1; i < n; ++i) {
      double s = h[size_t(i * n + j)];
      for (int k = 0; k < j; ++k) s -= h[size_t(i * n + k)] * h[size_t(j * n + k)];
      h[size_t(i * n + j)] = s / d;
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = g
    for (int k = 0; k < i; ++k) g[size_t(i)] -= h[size_t(i * n + k)] * g[size_t(k)];
    g[size_t(i)] /= h[size_t(i * n + i)];
  }
  for (int i = n - 1; i >= 0; --i) {  // Lᵀ x = y
    for (int k = i + 1; k < n; ++k) g[size_t(i)] -= h[size_t(k * n + i)] * g[size_t(k)];
    g[size_t(i)] /= h[size_t(i * n + i)];
  }
}

// log(1 + exp(x)) without overflow.
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

std::map<QString, double> bradleyTerry(const std::vector<Battle>& battles, const RankOptions& o) {
  QHash<QString, int> index;
  std::vector<QString> names;
  for (const Battle& b : battles)
    for (const QString& m : {b.a, b.b})
      if (!index.contains(m)) {
        index.insert(m, int(names.size()));
        names.push_back(m);
      }
  const int n = int(names.size());
  // Sample weights per ordered pair (i, j): rows where i won against j (Arena's duplicated battles: a win counts 2,
  // a tie 1 each way).
  std::map<std::pair<int, int>, double> wins;
  for (const Battle& b : battles) {
    const int a = index.value(b.a), c = index.value(b.b);
    if (b.winner != Winner::B) wins[{a, c}] += b.winner == Winner::A ? 2.0 : 1.0;
    if (b.winner != Winner::A) wins[{c, a}] += b.winner == Winner::B ? 2.0 : 1.0;
  }
  const double lnBase = std::log(o.base), ridge = 1.0 / o.ridgeC;
  // Penalised negative log-likelihood of β [n]: Σ w_ij softplus(−lnBase (β_i − β_j)) + ‖β‖²/(2C).
  auto objective = [&](const std::vector<double>& beta) {
    double f = 0;
    for (const auto& [ij, w] : wins) f += w * softplus(-lnBase * (beta[size_t(ij.first)] - beta[size_t(ij.second)]));
    for (double x : beta) f += 0.5 * ridge * x * x;
    return f;
  };
  std::vector<double> beta(size_t(n), 0.0);
  double f = objective(beta);
  for (int iteration = 0; iteration < 500; ++iteration) {
    std::vector<double> grad(size_t(n), 0.0), hess(size_t(n * n), 0.0);
    for (int i = 0; i < n; ++i) {
      grad[size_t(i)] = ridge * beta[size_t(i)];
      hess[size_t(i * n + i)] = ridge;
    }
    for (const auto& [ij, w] : wins) {
      const auto [i, j] = ij;
      const double p = 1.0 / (1.0 + std::exp(-lnBase * (beta[size_t(i)] - beta[size_t(j)])));  // P(i beats j)
      const double g = -w * lnBase * (1.0 - p), h = w * lnBase * lnBase * p * (1.0 - p);
      grad[size_t(i)] += g;
      grad[size_t(j)] -= g;
      hess[size_t(i * n + i)] += h;
      hess[size_t(j * n + j)] += h;
      hess[size_t(i * n + j)] -= h;
      hess[size_t(j * n + i)] -= h;
    }
    std::vector<double> step = grad;
    solveSpd(hess, step, n);
    double slope = 0, largest = 0;
    for (int i = 0; i < n; ++i) {
      slope += grad[size_t(i)] * step[size_t(i)];
      largest = std::max(largest, std::abs(step[size_t(i)]));
    }
    // Backtracking (Armijo) along −step: Newton's full step can overshoot far from the optimum. The iterate is
    // re-centred (Σβ = 0): the likelihood does not see a common shift and the penalty only shrinks, and the
    // ridge's curvature along that shift (1/C) is too small for the sufficient-decrease test in floating point.
    // Near the optimum a change within rounding of f is accepted.
    double t = 1.0;
    std::vector<double> next(static_cast<size_t>(n));
    for (;;) {
      double mean = 0;
      for (int i = 0; i < n; ++i) mean += (next[size_t(i)] = beta[size_t(i)] - t * step[size_t(i)]) / n;
      for (double& x : next) x -= mean;
      const double fn = objective(next);
      if (fn <= f - 1e-4 * t * slope + 1e-14 * std::abs(f) || t < 1e-12) {
        f = fn;
        break;
      }
      t *= 0.5;
    }
    beta = next;
    if (largest * t < 1e-10) break;
  }
  std::map<QString, double> out;
  for (int i = 0; i < n; ++i) out[names[size_t(i)]] = o.scale * beta[size_t(i)] + o.initial;
  return out;
}

double quantileSorted(const std::vector<double>& sorted, double q) {
  const double pos = q * double(sorted.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

std::map<QString, ModelRank> rankModels(const std::vector<Battle>& battles, const RankOptions& o) {
  if (battles.empty())
    throw Error({}, QStringLiteral("battles"), QStringLiteral("0"), QStringLiteral("nothing to rank"));
  std::map<QString, ModelRank> out;
  for (const auto& [m, r] : onlineElo(battles, o)) out[m].elo = r;
  for (const auto& [m, r] : bradleyTerry(battles, o)) out[m].bt = r;
  for (const Battle& b : battles) {
    out[b.a].battles += 1;
    out[b.b].battles += 1;
  }
  std::map<QString, std::vector<double>> eloSamples, btSamples;
  std::mt19937_64 rng(o.seed);
  std::vector<Battle> sample(battles.size());
  for (int round = 0; round < o.bootstrapRounds; ++round) {
    for (Battle& b : sample) b = battles[size_t(uniformBelow(rng, battles.size()))];
    for (const auto& [m, r] : onlineElo(sample, o)) eloSamples[m].push_back(r);
    for (const auto& [m, r] : bradleyTerry(sample, o)) btSamples[m].push_back(r);
  }
  const double lo = (1.0 - o.confidence) / 2, hi = 1.0 - lo;
  for (auto& [m, rank] : out) {
    // Without resamples (or a model never drawn) the interval is the point estimate.
    std::vector<double>& e = eloSamples[m];
    std::vector<double>& t = btSamples[m];
    std::sort(e.begin(), e.end());
    std::sort(t.begin(), t.end());
    rank.eloLow = e.empty() ? rank.elo : quantileSorted(e, lo);
    rank.eloHigh = e.empty() ? rank.elo : quantileSorted(e, hi);
    rank.btLow = t.empty() ? rank.bt : quantileSorted(t, lo);
    rank.btHigh = t.empty() ? rank.bt : quantileSorted(t, hi);
  }
  return out;
}

}  // namespace distillery
