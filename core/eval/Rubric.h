// A rating rubric: named criteria scored on a whole-number scale (0–3 by default), each with a weight; a rating's
// weighted total is Σ weight·score on the same scale (weights sum to 1). The seed rubric is relevance 0.4,
// accuracy 0.3, readability 0.3.
//
//   Rubric r = Rubric::fromSpec("relevance=2,accuracy=1,readability=1", "--criteria");  // weights 0.5/0.25/0.25
//   r.check(scores, "ratings.csv:4");       // every criterion present, whole numbers within the scale
//   double t = r.total(scores);             // {relevance 2, accuracy 3, readability 1} → 2.0 under 0.5/0.25/0.25
//
// Weights are normalised: any non-negative weights with a positive sum are divided by their sum, so "2,1,1" and
// "0.5,0.25,0.25" are the same rubric (weights already summing to 1 within 1e-9 are kept exactly as given).
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

struct Criterion {
  QString name;       // letters, digits, '_' or '-'; not one of the reserved column names (rater, comment, ...)
  double weight = 0;  // share of the total, normalised to sum 1 over the criteria
};

// A rater's scores by criterion name.
using RubricScores = QMap<QString, int>;

struct Rubric {
  std::vector<Criterion> criteria;  // in display order
  int minScore = 0;                 // lowest score of every criterion
  int maxScore = 3;                 // highest score

  // relevance 0.4, accuracy 0.3, readability 0.3 on 0–3.
  static Rubric seed();
  // {"criteria": [{"name", "weight"}...], "min": 0, "max": 3}; validated as normalised() does. `where` names the
  // source in errors.
  static Rubric fromJson(const QJsonObject& json, const QString& where);
  // "name=weight,name=weight" or "name,name" (equal weights) on the given scale; validated and normalised.
  static Rubric fromSpec(const QString& spec, const QString& where, int minScore = 0, int maxScore = 3);
  QJsonObject toJson() const;

  // This rubric checked and with weights dividing by their sum. FormatError(where, field, value) for: no criteria,
  // an empty, badly formed, reserved or repeated name, a weight that is negative or not finite, weights summing to
  // 0, min ≥ max.
  Rubric normalised(const QString& where) const;

  QStringList names() const;
  // FormatError(where, criterion, value) for a missing criterion, an unknown one, or a score outside
  // [minScore, maxScore].
  void check(const RubricScores& scores, const QString& where) const;
  // Σ weight·score over the criteria; check() first (a missing criterion counts as throwing).
  double total(const RubricScores& scores) const;
  // "relevance=2,accuracy=3" → scores; FormatError(where, "scores", spec) when malformed (check() is separate).
  static RubricScores parseScores(const QString& spec, const QString& where);
  // One score given as text ("2", "2.0") or a JSON number: a whole number, else FormatError(where, name, text).
  static int parseScore(const QString& text, const QString& where, const QString& name);
};

// Column names an export uses beside the criteria, which criteria may therefore not take.
const QStringList& reservedColumnNames();

}  // namespace distillery
