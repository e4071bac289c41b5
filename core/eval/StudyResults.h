// A study's results: per-model rubric means with intervals, rater agreement, pairwise win/tie/loss tallies with Elo
// and Bradley-Terry ratings, and the rank correlation of human scores with the automatic per-sample scores. The
// statistics are those of Agreement.h, Ranking.h and Correlation.h, called on the study's stored ratings.
//
//   const StudyResults r = studyResults(StudyStore(ws.store()), id, {.bootstrapRounds = 1000, .seed = 1});
//   r.toJson();   // what `distillery-cli study results ID` prints
//
// Before the study is revealed, model names are replaced by "model 1", "model 2", ... (numbered in a seeded
// order), so reading results does not unblind raters.
#pragma once
#include "eval/Agreement.h"
#include "eval/Ranking.h"
#include "store/StudyStore.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <map>
#include <optional>
#include <vector>

namespace distillery {

struct StudyResultOptions {
  int bootstrapRounds = 1000;                          // resamples for the intervals (0: none, low = high = mean)
  uint64_t seed = 0;                                   // seed of every resampling
  double confidence = 0.95;                            // central percentile interval
  double eloK = RankOptions{}.k;                       // pairwise: Elo step per battle (RankOptions::k)
  double eloInitial = RankOptions{}.initial;           // pairwise: Elo start; Bradley-Terry centre (RankOptions)
  MeasurementLevel level = MeasurementLevel::Ordinal;  // Krippendorff's α level for rubric scores (choices: nominal)
  KappaWeights weights = KappaWeights::None;           // Cohen's κ weights for rubric scores
  QStringList metrics{};  // scores_json keys to correlate with (empty: every numeric key but "line", the sample's
                          // line in its source file, which eval jobs store beside the scores)
};

// A mean with its standard error and bootstrap interval.
struct Estimate {
  double mean = 0, se = 0, low = 0, high = 0;
};

// Rubric: an item's score is the mean over its raters; a model's mean is over its rated items (each item once), its
// SE the items' standard deviation / √n, its interval from resampling the items with replacement.
struct ModelRubricScore {
  QString model;
  int items = 0;                           // items of the model with at least one rating
  int ratings = 0;
  Estimate total;                          // weighted total on the rubric's scale
  std::map<QString, Estimate> criteria;    // per criterion
};

// Agreement on one target: "total" or a criterion (rubric), "choice" (pairwise).
struct AgreementEntry {
  QString target;
  std::optional<AgreementResult> result;
  QString skipped;                         // why not computed (fewer than 2 raters, no shared item, ...)
};

// Pairwise verdicts of one model against all others (or of a against b in headToHead).
struct PairTally {
  QString model, opponent;                 // opponent empty in the per-model table
  int wins = 0, losses = 0, ties = 0, bothBad = 0;
};

// Spearman/Kendall between per-item human scores and one automatic metric of the items' samples. Rubric: the item's
// mean total vs the metric; pairwise: the mean preference for a (a 1, b 0, tie or both bad ½) vs metric(a) −
// metric(b).
struct CorrelationEntry {
  QString metric;                          // a numeric key of eval_samples.scores_json
  int n = 0;                               // items with both values
  std::optional<double> spearman, kendall; // absent when n < 2 or a series is constant
};

struct StudyResults {
  StudyInfo study;
  std::vector<RaterProgress> progress;
  std::vector<ModelRubricScore> rubric;     // rubric studies, best mean first
  std::vector<AgreementEntry> agreement;
  std::vector<PairTally> tallies;           // pairwise: per model
  std::vector<PairTally> headToHead;        // pairwise: per model pair (model < opponent by name)
  std::map<QString, ModelRank> ranks;       // pairwise: Elo and Bradley-Terry (both_bad counted as a tie)
  std::vector<CorrelationEntry> correlation;
  QJsonObject toJson() const;
};

// The computation on given values (the store-free core, what the tests check against direct calls).
// `scores` maps (evaluation_id, sample_index) to that sample's scores_json.
StudyResults computeStudyResults(const StudyInfo& study, const std::vector<StudyItem>& items,
                                 const std::vector<StoredRating>& ratings,
                                 const std::map<std::pair<qint64, qint64>, QJsonObject>& scores,
                                 const StudyResultOptions& options = {});

// Reads the study, its items, ratings and the items' sample scores, then computeStudyResults.
StudyResults studyResults(const StudyStore& studies, qint64 studyId, const StudyResultOptions& options = {});

}  // namespace distillery
