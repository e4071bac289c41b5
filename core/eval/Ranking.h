// Model ranking from pairwise votes (blind A/B battles), with the Chatbot Arena conventions: online Elo and
// Bradley-Terry maximum likelihood on the Elo scale, and bootstrap confidence intervals over battles.
//
//   std::vector<Battle> b = {{"gpt", "student", Winner::A}, {"student", "gpt", Winner::Tie}, ...};  // in order
//   const std::map<QString, ModelRank> r = rankModels(b, {.bootstrapRounds = 1000, .seed = 42});
#pragma once
#include <QtCore/QString>

#include <cstdint>
#include <map>
#include <vector>

namespace distillery {

enum class Winner { A, B, Tie };

struct Battle {
  QString a, b;   // the two models (a ≠ b)
  Winner winner;  // A, B, or Tie (half a win each way)
};

// "a", "b" or "tie" (also Arena's "model_a", "model_b", "tie (bothbad)"); FormatError(where, "winner") otherwise.
Winner parseWinner(const QString& text, const QString& where);

struct RankOptions {
  double k = 4;                // Elo step per battle
  double scale = 400;          // rating difference that makes the odds base:1
  double base = 10;            // odds base
  double initial = 1000;       // Elo starting rating; Bradley-Terry ratings are centred on it
  double ridgeC = 1e6;         // Bradley-Terry: inverse L2 strength, sklearn LogisticRegression's C as Arena uses
                               // it (keeps a model that never won finite; negligible otherwise)
  int bootstrapRounds = 1000;  // resamples of the battles for the intervals (0: no intervals)
  uint64_t seed = 0;           // mt19937_64 seed of the resampling
  double confidence = 0.95;    // central percentile interval
};

// Online Elo in battle order (Arena's compute_online_elo): E_a = 1/(1 + base^((R_b − R_a)/scale)),
// R_a += K (S_a − E_a), R_b += K (1 − S_a − E_b), S_a = 1, 0 or ½.
std::map<QString, double> onlineElo(const std::vector<Battle>& battles, const RankOptions& options = {});

// Bradley-Terry maximum likelihood (Arena's compute_mle_elo: logistic regression on ±ln(base) indicators, every
// battle counted twice and a tie as one win each way, L2 penalty ‖β‖²/(2C)): P(a beats b) =
// 1/(1 + base^((R_b − R_a)/scale)), R = scale·β + initial. The penalty makes the optimum unique and Σβ = 0, so
// the ratings' mean is exactly `initial`. Fitted by Newton's method with a backtracking line search on the
// penalised negative log-likelihood from β = 0, each iterate re-centred to Σβ = 0, until the largest step is below
// 1e-10 (deterministic; 500 iterations at most).
std::map<QString, double> bradleyTerry(const std::vector<Battle>& battles, const RankOptions& options = {});

struct ModelRank {
  double elo = 0, eloLow = 0, eloHigh = 0;  // online Elo and its bootstrap interval
  double bt = 0, btLow = 0, btHigh = 0;     // Bradley-Terry and its bootstrap interval
  int64_t battles = 0;                      // battles the model took part in
};

// Both ratings on all battles, intervals from options.bootstrapRounds resamples of the battles with replacement
// (index i drawn uniformly with uniformBelow from core/data/SeededRandom.h, so the same seed gives the same
// intervals on every platform); percentiles interpolated linearly between order statistics as numpy.quantile
// does. A model absent from a resample is left out of that round's values. Throws Error for no battles.
std::map<QString, ModelRank> rankModels(const std::vector<Battle>& battles, const RankOptions& options = {});

// q-quantile (0..1) of sorted values, linear interpolation (numpy's default); values non-empty.
double quantileSorted(const std::vector<double>& sorted, double q);

}  // namespace distillery
