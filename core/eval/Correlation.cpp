#include "eval/Correlation.h"

#include "common/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace distillery {

namespace {

void checkPairs(const std::vector<double>& x, const std::vector<double>& y, const char* what) {
  const QString name = QString::fromLatin1(what);
  if (x.size() != y.size())
    throw Error({}, name, QStringLiteral("%1 and %2 values").arg(x.size()).arg(y.size()),
                QStringLiteral("needs two series of the same length"));
  if (x.size() < 2) throw Error({}, name, QString::number(x.size()), QStringLiteral("needs at least 2 pairs"));
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw Error({}, name, QStringLiteral("pair %1").arg(i + 1), QStringLiteral("is not a finite number"));
}

}  // namespace

std::vector<double> averageRanks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double mean = 0.5 * double(i + j) + 1.0;  // ranks i+1 .. j+1
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = mean;
    i = j + 1;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  checkPairs(x, y, "spearman");
  const std::vector<double> rx = averageRanks(x), ry = averageRanks(y);
  const double n = double(rx.size());
  const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n, my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < rx.size(); ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  if (sxx == 0 || syy == 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

double kendallTauB(const std::vector<double>& x, const std::vector<double>& y) {
  checkPairs(x, y, "kendall");
  int64_t concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;  // ties: pairs tied in x (in y), joint ties included
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0) ++tiesX;
      if (dy == 0) ++tiesY;
      if (dx == 0 || dy == 0) continue;
      ((dx > 0) == (dy > 0) ? concordant : discordant) += 1;
    }
  const int64_t n0 = int64_t(x.size()) * int64_t(x.size() - 1) / 2;
  if (tiesX == n0 || tiesY == n0) return std::numeric_limits<double>::quiet_NaN();
  return double(concordant - discordant) / std::sqrt(double(n0 - tiesX) * double(n0 - tiesY));
}

}  // namespace distillery
