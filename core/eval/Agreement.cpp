// Cohen's κ, Fleiss' κ and Krippendorff's α; see Agreement.h for the formulas and their sources.
#include "eval/Agreement.h"

#include "common/Error.h"

#include <QtCore/QHash>

#include <algorithm>
#include <cmath>
#include <map>

namespace distillery {

namespace {

// "FILE:LINE" of a rating, or the item and rater when it has none.
QString whereOf(const Rating& r) {
  return r.where.isEmpty() ? QStringLiteral("item %1, rater %2").arg(r.item, r.rater) : r.where;
}

}  // namespace

QString levelName(MeasurementLevel level) {
  switch (level) {
    case MeasurementLevel::Nominal:
      return QStringLiteral("nominal");
    case MeasurementLevel::Ordinal:
      return QStringLiteral("ordinal");
    case MeasurementLevel::Interval:
      return QStringLiteral("interval");
    case MeasurementLevel::Ratio:
      return QStringLiteral("ratio");
  }
  return {};
}

MeasurementLevel parseMeasurementLevel(const QString& name, const QString& where) {
  for (MeasurementLevel l :
       {MeasurementLevel::Nominal, MeasurementLevel::Ordinal, MeasurementLevel::Interval, MeasurementLevel::Ratio})
    if (levelName(l) == name) return l;
  throw UsageError({}, where, name, QStringLiteral("must be nominal, ordinal, interval or ratio"));
}

KappaWeights parseKappaWeights(const QString& name, const QString& where) {
  if (name == QLatin1String("none")) return KappaWeights::None;
  if (name == QLatin1String("linear")) return KappaWeights::Linear;
  if (name == QLatin1String("quadratic")) return KappaWeights::Quadratic;
  throw UsageError({}, where, name, QStringLiteral("must be none, linear or quadratic"));
}

RatingTable::RatingTable(const std::vector<Rating>& ratings, bool needNumbers) {
  // Numbers when every score is one (always required when needNumbers).
  numeric_ = !ratings.empty();
  for (const Rating& r : ratings) {
    bool ok = false;
    const double v = r.score.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v)) {
      if (needNumbers)
        throw FormatError(whereOf(r), QStringLiteral("score"), r.score,
                          r.score.trimmed().isEmpty()
                              ? QStringLiteral("is empty (leave the row out for a missing rating)")
                              : QStringLiteral("is not a number (this level needs numbers)"));
      numeric_ = false;
    }
  }
  // Categories: distinct scores, sorted.
  std::map<double, int> byValue;
  std::map<QString, int> byText;
  for (const Rating& r : ratings) {
    if (numeric_)
      byValue.emplace(r.score.trimmed().toDouble(), 0);
    else
      byText.emplace(r.score, 0);
  }
  int c = 0;
  for (auto& [v, index] : byValue) {
    index = c++;
    values_.push_back(v);
    categoryNames_.append(QString::number(v, 'g', 17));
  }
  for (auto& [s, index] : byText) {
    index = c;
    values_.push_back(c++);
    categoryNames_.append(s);
  }
  QHash<QString, int> itemIndex, raterIndex;
  QHash<QPair<int, int>, QString> seen;  // (item, rater) → where it was rated first
  for (const Rating& r : ratings) {
    if (!itemIndex.contains(r.item)) {
      itemIndex.insert(r.item, int(itemNames_.size()));
      itemNames_.append(r.item);
      units_.emplace_back();
    }
    if (!raterIndex.contains(r.rater)) {
      raterIndex.insert(r.rater, int(raterNames_.size()));
      raterNames_.append(r.rater);
    }
    const int item = itemIndex.value(r.item), rater = raterIndex.value(r.rater);
    const auto cell = qMakePair(item, rater);
    if (seen.contains(cell))
      throw FormatError(whereOf(r), QStringLiteral("rater"), r.rater,
                        QStringLiteral("rated item %1 a second time (first at %2)").arg(r.item, seen.value(cell)));
    seen.insert(cell, whereOf(r));
    const int category = numeric_ ? byValue.at(r.score.trimmed().toDouble()) : byText.at(r.score);
    units_[size_t(item)].emplace_back(rater, category);
    ++ratings_;
  }
}

double cohenKappa(const RatingTable& t, KappaWeights weights, int* items) {
  if (t.raters() != 2)
    throw UsageError({}, QStringLiteral("raters"), QString::number(t.raters()),
                     QStringLiteral("Cohen's kappa needs exactly two raters"));
  if (weights != KappaWeights::None && !t.numeric())
    throw Error({}, QStringLiteral("score"), t.categoryNames().value(0),
                QStringLiteral("weighted kappa needs numeric (ordinal) scores"));
  // Pairs (rater 0's category, rater 1's category) of the items both rated.
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < t.items(); ++i) {
    int a = -1, b = -1;
    for (const auto& [rater, category] : t.unit(i)) (rater == 0 ? a : b) = category;
    if (a >= 0 && b >= 0) pairs.emplace_back(a, b);
  }
  if (items) *items = int(pairs.size());
  if (pairs.empty())
    throw Error({}, QStringLiteral("items"), QStringLiteral("0"),
                QStringLiteral("no item is rated by both %1 and %2").arg(t.raterNames()[0], t.raterNames()[1]));
  // Ranks over the categories these pairs use (sklearn's labels), so weights do not depend on other items.
  std::vector<int> rank(size_t(t.categories()), -1);
  for (const auto& [a, b] : pairs) rank[size_t(a)] = rank[size_t(b)] = 0;
  int k = 0;
  for (int& r : rank)
    if (r == 0) r = k++;
  // observed [k, k] and the margins' outer product as expected counts.
  std::vector<double> observed(size_t(k * k), 0.0), rowSum(size_t(k), 0.0), colSum(size_t(k), 0.0);
  for (const auto& [a, b] : pairs) {
    const int i = rank[size_t(a)], j = rank[size_t(b)];
    observed[size_t(i * k + j)] += 1;
    rowSum[size_t(i)] += 1;
    colSum[size_t(j)] += 1;
  }
  const double n = double(pairs.size());
  double disagreeObserved = 0, disagreeExpected = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const double d = std::abs(i - j);
      const double w = weights == KappaWeights::None     ? (i == j ? 0.0 : 1.0)
                       : weights == KappaWeights::Linear ? d
                                                         : d * d;
      disagreeObserved += w * observed[size_t(i * k + j)];
      disagreeExpected += w * rowSum[size_t(i)] * colSum[size_t(j)] / n;
    }
  // Both raters always gave one and the same category: perfect agreement, κ undefined (sklearn gives nan).
  if (disagreeExpected == 0) return disagreeObserved == 0 ? 1.0 : 0.0;
  return 1.0 - disagreeObserved / disagreeExpected;
}

double fleissKappa(const RatingTable& t, int* items) {
  const int k = t.categories();
  std::vector<double> totals(size_t(k), 0.0);  // ratings per category over the used items
  int used = 0, perItem = 0;
  QString firstItem;
  double sumAgreement = 0;  // Σ_i P_i
  for (int i = 0; i < t.items(); ++i) {
    const auto& unit = t.unit(i);
    const int m = int(unit.size());
    if (m < 2) continue;
    if (perItem == 0) {
      perItem = m;
      firstItem = t.itemNames()[i];
    } else if (m != perItem) {
      throw Error({}, QStringLiteral("item"), t.itemNames()[i],
                  QStringLiteral("has %1 ratings but item %2 has %3: Fleiss' kappa needs the same number of ratings "
                                 "per item (Krippendorff's alpha allows missing ratings)")
                      .arg(m)
                      .arg(firstItem)
                      .arg(perItem));
    }
    std::vector<double> counts(size_t(k), 0.0);
    for (const auto& rc : unit) counts[size_t(rc.second)] += 1;
    double pairsAgreeing = 0;
    for (int c = 0; c < k; ++c) {
      pairsAgreeing += counts[size_t(c)] * (counts[size_t(c)] - 1);
      totals[size_t(c)] += counts[size_t(c)];
    }
    sumAgreement += pairsAgreeing / (double(m) * (m - 1));
    ++used;
  }
  if (items) *items = used;
  if (used == 0)
    throw Error({}, QStringLiteral("items"), QStringLiteral("0"), QStringLiteral("no item has 2 or more ratings"));
  const double pBar = sumAgreement / used;
  double pExpected = 0;
  for (double c : totals) pExpected += (c / (double(used) * perItem)) * (c / (double(used) * perItem));
  if (pExpected >= 1.0) return 1.0;  // one category only: perfect (and degenerate) agreement
  return (pBar - pExpected) / (1.0 - pExpected);
}

double krippendorffAlpha(const RatingTable& t, MeasurementLevel level, int* pairable) {
  if (level != MeasurementLevel::Nominal && !t.numeric())
    throw Error({}, QStringLiteral("score"), t.categoryNames().value(0),
                QStringLiteral("the %1 level needs numeric scores").arg(levelName(level)));
  const int k = t.categories();
  // Coincidence matrix o[c, k]: each ordered pair of values within a unit counts 1/(m_u − 1).
  std::vector<double> o(size_t(k * k), 0.0);
  int used = 0;
  for (int i = 0; i < t.items(); ++i) {
    const auto& unit = t.unit(i);
    const double m = double(unit.size());
    if (m < 2) continue;
    ++used;
    for (size_t a = 0; a < unit.size(); ++a)
      for (size_t b = 0; b < unit.size(); ++b)
        if (a != b) o[size_t(unit[a].second * k + unit[b].second)] += 1.0 / (m - 1);
  }
  if (pairable) *pairable = used;
  if (used == 0)
    throw Error({}, QStringLiteral("items"), QStringLiteral("0"),
                QStringLiteral("no item has 2 or more ratings: nothing is pairable"));
  std::vector<double> nc(size_t(k), 0.0);  // n_c: pairable values of category c
  double n = 0;
  for (int c = 0; c < k; ++c) {
    for (int j = 0; j < k; ++j) nc[size_t(c)] += o[size_t(c * k + j)];
    n += nc[size_t(c)];
  }
  const std::vector<double>& v = t.values();
  auto delta2 = [&](int c, int j) -> double {
    if (c == j) return 0.0;
    switch (level) {
      case MeasurementLevel::Nominal:
        return 1.0;
      case MeasurementLevel::Ordinal: {
        const int lo = std::min(c, j), hi = std::max(c, j);  // categories are sorted by value
        double s = 0;
        for (int g = lo; g <= hi; ++g) s += nc[size_t(g)];
        s -= (nc[size_t(lo)] + nc[size_t(hi)]) / 2;
        return s * s;
      }
      case MeasurementLevel::Interval:
        return (v[size_t(c)] - v[size_t(j)]) * (v[size_t(c)] - v[size_t(j)]);
      case MeasurementLevel::Ratio: {
        const double sum = v[size_t(c)] + v[size_t(j)];
        const double d = sum == 0 ? 0.0 : (v[size_t(c)] - v[size_t(j)]) / sum;
        return d * d;
      }
    }
    return 0.0;
  };
  double observed = 0, expected = 0;
  for (int c = 0; c < k; ++c)
    for (int j = 0; j < k; ++j) {
      const double d = delta2(c, j);
      observed += o[size_t(c * k + j)] * d;
      expected += nc[size_t(c)] * nc[size_t(j)] * d;
    }
  if (expected == 0) return 1.0;  // every pairable value the same: no variation to disagree on
  return 1.0 - (n - 1) * observed / expected;
}

AgreementResult computeAgreement(const std::vector<Rating>& ratings, const AgreementOptions& options) {
  const RatingTable t(ratings, options.level != MeasurementLevel::Nominal || options.weights != KappaWeights::None);
  if (t.raters() < 2)
    throw UsageError({}, QStringLiteral("raters"), QString::number(t.raters()),
                     QStringLiteral("agreement needs ratings from at least two raters"));
  AgreementResult r;
  r.items = t.items();
  r.raters = t.raters();
  r.ratings = int(t.ratings());
  r.krippendorffAlpha = krippendorffAlpha(t, options.level, &r.pairableItems);
  if (t.raters() == 2) r.cohenKappa = cohenKappa(t, options.weights, &r.cohenItems);
  try {
    r.fleissKappa = fleissKappa(t, &r.fleissItems);
  } catch (const Error& e) {
    r.fleissSkipped = e.message();  // unequal ratings per item: reported, α still covers the data
  }
  return r;
}

}  // namespace distillery
