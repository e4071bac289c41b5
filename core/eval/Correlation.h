// Rank correlation between human scores and automatic metrics (or any two paired series): Spearman's ρ and
// Kendall's τ-b, both with ties, as scipy.stats.spearmanr and kendalltau (its default variant "b") compute them.
//
//   const double rho = spearman(humanTotals, bleuScores);     // Pearson correlation of the average ranks
//   const double tau = kendallTauB(humanTotals, bleuScores);
#pragma once
#include <vector>

namespace distillery {

// 1-based ranks, tied values sharing the mean of the ranks they span ([10, 20, 20] → [1, 2.5, 2.5]).
std::vector<double> averageRanks(const std::vector<double>& values);

// Both throw Error when the series differ in length, hold fewer than 2 pairs or a value that is not finite.
// A series whose values are all equal has no ranking: the result is NaN (as scipy), not an error.
double spearman(const std::vector<double>& x, const std::vector<double>& y);
// τ-b = (concordant − discordant) / sqrt((n0 − ties_x)(n0 − ties_y)), n0 = n(n − 1)/2; O(n²), meant for the
// hundreds of items a human study holds.
double kendallTauB(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace distillery
