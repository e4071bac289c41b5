// Inter-rater agreement on human ratings: Cohen's κ (two raters, optionally weighted for ordinal scores),
// Fleiss' κ (a fixed number of ratings per item) and Krippendorff's α (any number of raters, missing ratings,
// nominal/ordinal/interval/ratio levels).
//
//   std::vector<Rating> r = {{"q1", "ann", "2", "ratings.csv:2"}, ...};   // a missing cell is simply absent
//   const AgreementResult a = computeAgreement(r, {.level = MeasurementLevel::Ordinal});
//
// Scores are text: nominal scores are categories compared as text, unless every score is a number (then "1" and
// "1.0" are the same category). The ordinal, interval and ratio levels and the weighted κ need numbers.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

struct Rating {
  QString item;   // what was rated (a prompt, an answer)
  QString rater;  // who rated it
  QString score;  // the rating, a category or a number
  QString where;  // "FILE:LINE" for error messages (may be empty)
};

enum class MeasurementLevel { Nominal, Ordinal, Interval, Ratio };
enum class KappaWeights { None, Linear, Quadratic };

QString levelName(MeasurementLevel level);                                          // "nominal", ...
MeasurementLevel parseMeasurementLevel(const QString& name, const QString& where);  // UsageError when unknown
KappaWeights parseKappaWeights(const QString& name, const QString& where);          // "none", "linear", "quadratic"

// The ratings checked and indexed: every (item, rater) once (a second rating of the same cell is a FormatError
// naming its line), scores parsed as numbers when the level or weights need them (FormatError naming the line
// and the value otherwise). Items and raters are in order of first appearance.
class RatingTable {
 public:
  RatingTable(const std::vector<Rating>& ratings, bool needNumbers);

  int items() const { return int(units_.size()); }
  int raters() const { return int(raterNames_.size()); }
  int64_t ratings() const { return ratings_; }
  const QStringList& raterNames() const { return raterNames_; }
  const QStringList& itemNames() const { return itemNames_; }
  // Distinct scores sorted (numerically when all are numbers, else as text); values()[c] is category c's number
  // (its index when not numeric).
  int categories() const { return int(categoryNames_.size()); }
  const QStringList& categoryNames() const { return categoryNames_; }
  const std::vector<double>& values() const { return values_; }
  bool numeric() const { return numeric_; }
  // unit(i): (rater index, category index) of item i's ratings, in input order.
  const std::vector<std::pair<int, int>>& unit(int item) const { return units_[size_t(item)]; }

 private:
  std::vector<std::vector<std::pair<int, int>>> units_;
  QStringList itemNames_, raterNames_, categoryNames_;
  std::vector<double> values_;
  bool numeric_ = false;
  int64_t ratings_ = 0;
};

// Cohen's κ between the table's two raters over the items both rated: (p_o − p_e)/(1 − p_e), or with weights
// 1 − Σ w·o / Σ w·e where w = |i−j| (linear) or (i−j)² (quadratic) on the categories' ranks (as
// sklearn.metrics.cohen_kappa_score). Throws UsageError unless there are exactly two raters, Error when no item
// is rated by both. `items` (optional) receives the number of items used.
double cohenKappa(const RatingTable& t, KappaWeights weights = KappaWeights::None, int* items = nullptr);

// Fleiss' κ over the items with at least 2 ratings (categories as nominal). Every such item must have the same
// number of ratings: an item with a different count is an Error naming it and both counts (Fleiss' formula has
// no missing data; use Krippendorff's α). Error when no item has 2 ratings.
double fleissKappa(const RatingTable& t, int* items = nullptr);

// Krippendorff's α from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
// α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over pairable values (items with fewer than 2 ratings are
// dropped). δ²: nominal 0/1; ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)²; interval (c − k)²; ratio
// ((c − k)/(c + k))². Error when no item has 2 ratings; 1 when every pairable value is the same (no variation).
// `pairable` (optional) receives the number of items used.
double krippendorffAlpha(const RatingTable& t, MeasurementLevel level, int* pairable = nullptr);

struct AgreementOptions {
  MeasurementLevel level = MeasurementLevel::Nominal;  // Krippendorff's α level
  KappaWeights weights = KappaWeights::None;           // Cohen's κ weights (None: unweighted)
};

struct AgreementResult {
  std::optional<double> cohenKappa;   // only with exactly two raters
  std::optional<double> fleissKappa;  // only when every item with ≥ 2 ratings has the same count
  QString fleissSkipped;              // why Fleiss' κ was not computed (empty when it was)
  double krippendorffAlpha = 0;
  int items = 0, raters = 0, ratings = 0;
  int cohenItems = 0, fleissItems = 0, pairableItems = 0;  // items each statistic used
};

// All three statistics. Throws UsageError for fewer than 2 raters, Error/FormatError as the functions above.
AgreementResult computeAgreement(const std::vector<Rating>& ratings, const AgreementOptions& options = {});

}  // namespace distillery
