// Human-evaluation studies in the store: rubric rating or blind pairwise A/B, their items, raters and ratings.
//
//   StudyStore studies(workspace.store());
//   const qint64 id = studies.create({.name = "chat v2", .kind = StudyKind::Pairwise, .seed = 7}, items);
//   RaterItem it = studies.raterItem(id, "ann", 0);            // what the rater sees: no model identity at all
//   studies.rate(it.itemId, "ann", {.choice = ScreenChoice::Left});   // saved now, one transaction
//   studies.reveal(id);                                          // explicit, recorded; names then show
//
// Blinding by construction: the rater-facing types (RaterItem, RaterRating) have no model field, and item order
// gives nothing away: positions are a seeded shuffle of the items, pairwise sides are swapped for exactly half of
// each model pair's items (seeded), and each rater may get an own seeded order. Choices are stored in model order
// (a | b | tie | both_bad, ratings.choice), so results never depend on the screen side.
//
// Every method works on the calling thread's connection (Store::connection), so the GUI thread and workers may
// use their own StudyStore on the same Store.
#pragma once
#include "eval/Rubric.h"
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

enum class StudyKind { Rubric, Pairwise };
QString studyKindName(StudyKind kind);                               // "rubric", "pairwise"
StudyKind parseStudyKind(const QString& text, const QString& where);  // UsageError(where) otherwise

// A pairwise verdict in model order, as stored.
enum class Choice { A, B, Tie, BothBad };
// The same verdict as the rater gave it, by screen side.
enum class ScreenChoice { Left, Right, Tie, BothBad };
QString choiceName(Choice c);              // "a", "b", "tie", "both_bad"
QString screenChoiceName(ScreenChoice c);  // "left", "right", "tie", "both_bad"
// "a|b|tie|both_bad" → Choice; FormatError(where, "choice", text) otherwise.
Choice parseChoice(const QString& text, const QString& where);
// "left|right|tie|both_bad" → ScreenChoice; FormatError(where, "choice", text) otherwise.
ScreenChoice parseScreenChoice(const QString& text, const QString& where);
// Screen side ↔ model order for an item shown swapped (model b on the left) or not.
Choice toModelOrder(ScreenChoice c, bool swapped);
ScreenChoice toScreen(Choice c, bool swapped);

// An item before it is stored.
struct StudyItemInput {
  QString prompt{};
  QString outputA{};         // rubric: the one output; pairwise: model a's output
  QString modelA{};          // the model that wrote outputA
  QString outputB{};         // pairwise: model b's output (empty for rubric)
  QString modelB{};          // pairwise: model b
  qint64 evaluationA = 0;    // evaluations.id outputA came from (0: not from a stored evaluation)
  qint64 evaluationB = 0;    // evaluations.id of outputB
  qint64 sampleIndex = -1;   // eval_samples.sample_index of both outputs (-1: none)
};

struct StudySpec {
  QString name{};                   // shown in lists; need not be unique
  StudyKind kind = StudyKind::Rubric;
  Rubric rubric = Rubric::seed();   // rubric studies: criteria, scale, weights (normalised when stored)
  std::optional<uint64_t> seed{};   // item order, left/right sides, per-rater orders (none: a random one, stored)
  bool shufflePerRater = false;     // each rater gets an own seeded item order
  QJsonObject source{};             // provenance, stored verbatim ({"file": ...} or {"evaluations": [...]})
};

struct StudyInfo {
  qint64 id = 0;
  QString name;
  StudyKind kind = StudyKind::Rubric;
  Rubric rubric;             // rubric studies only
  uint64_t seed = 0;
  bool shufflePerRater = false;
  bool revealed = false;
  QString revealedAt;        // ISO-8601 UTC, empty until revealed
  QString createdAt;
  int items = 0;
  int raters = 0;            // raters with at least one rating
  int ratings = 0;
  QJsonObject source;
  int modelCount = 0;        // distinct models
  QStringList models;        // their names, sorted; empty until the study is revealed
  QJsonObject toJson() const;
};

// One item in full, model identity included: for results and exports, never for the rater view.
struct StudyItem {
  qint64 id = 0;
  int position = 0;          // 1-based, the study's (seeded) order
  QString prompt, outputA, outputB, modelA, modelB;
  bool swapped = false;      // pairwise: b shown on the left
  qint64 evaluationA = 0, evaluationB = 0, sampleIndex = -1;
  QString left() const { return swapped ? outputB : outputA; }
  QString right() const { return swapped ? outputA : outputB; }
};

// A rating as the rater enters and sees it (screen sides).
struct RaterRating {
  RubricScores scores{};                 // rubric: every criterion
  std::optional<ScreenChoice> choice{};  // pairwise
  QString comment{};                     // free text, may be empty
};

// What a rater is shown: deliberately without any model field.
struct RaterItem {
  qint64 itemId = 0;
  int index = 0;                         // 0-based place in this rater's order
  int total = 0;                         // items in the study
  QString prompt;
  QString output;                        // rubric
  QString left, right;                   // pairwise, in screen order
  std::optional<RaterRating> rating;     // this rater's saved rating, if any
};

// A stored rating (model order), for results and exports.
struct StoredRating {
  qint64 itemId = 0;
  QString rater;
  RubricScores scores;                   // rubric
  std::optional<Choice> choice;          // pairwise
  QString comment;
  QString createdAt, updatedAt;
};

struct RaterProgress {
  QString rater;
  int rated = 0, total = 0;
};

// One rating to save, as an import or a rater gives it; `where` names it in errors ("FILE:LINE", "--item").
struct RatingUpdate {
  qint64 itemId = 0;
  QString rater;
  RubricScores scores;
  std::optional<Choice> choice;          // model order
  QString comment;
  QString where;
};

struct SaveReport {
  int inserted = 0, updated = 0, unchanged = 0;
};

class StudyStore {
 public:
  explicit StudyStore(Store store) : store_(std::move(store)) {}

  // Stores the study and its items in one transaction and returns its id. Items are put in a seeded random order
  // (positions 1..n); pairwise items get sides swapped for half of each model pair's items. FormatError for an
  // empty name, no items, an item without prompt or output, a pairwise item without two different models, a bad
  // rubric. Items are taken as given (model names may repeat across items).
  qint64 create(const StudySpec& spec, const std::vector<StudyItemInput>& items) const;
  std::vector<StudyInfo> list() const;                  // newest first
  StudyInfo info(qint64 studyId) const;                 // StoreError naming the id when there is none
  void remove(qint64 studyId) const;                    // with its items and ratings

  // Rater side. The rater's order: positions, or a seeded shuffle of them per rater (shufflePerRater).
  std::vector<qint64> raterOrder(qint64 studyId, const QString& rater) const;
  // The item at `index` of the rater's order; UsageError for an index out of range.
  RaterItem raterItem(qint64 studyId, const QString& rater, int index) const;
  // First index ≥ from in the rater's order not rated yet; -1 when none is left.
  int nextUnrated(qint64 studyId, const QString& rater, int from = 0) const;
  // Saves (or replaces) the rater's rating of an item in one transaction: rubric scores checked against the
  // study's rubric, a pairwise choice mapped from the screen side with the item's stored swap. The rater is
  // created on first use. FormatError/UsageError naming the field for bad input (nothing saved then).
  void rate(qint64 itemId, const QString& rater, const RaterRating& rating) const;
  // Removes the rater's rating of the item (skipping stores nothing, so this is only to take a rating back).
  void unrate(qint64 itemId, const QString& rater) const;
  RaterProgress progress(qint64 studyId, const QString& rater) const;
  std::vector<RaterProgress> progress(qint64 studyId) const;  // every rater who rated anything, by name

  // Shows model identities from now on; records the time. A second reveal changes nothing.
  void reveal(qint64 studyId) const;

  // Experimenter side.
  std::vector<StudyItem> items(qint64 studyId) const;   // by position
  std::vector<StoredRating> ratings(qint64 studyId) const;  // in the order they were first entered
  // Item id from its 1-based position; UsageError naming the position when out of range.
  qint64 itemAt(qint64 studyId, int position) const;
  // Checks every update (item of this study, rater name, scores/choice) before writing any, then writes all in
  // one transaction: a rating identical to the stored one is left untouched, so saving twice is idempotent.
  // Two updates of the same (item, rater) is a FormatError naming both.
  SaveReport save(qint64 studyId, const std::vector<RatingUpdate>& updates) const;

  const Store& store() const { return store_; }

 private:
  Store store_;
};

}  // namespace distillery
