#include "eval/Rubric.h"

#include "common/Error.h"

#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <cmath>

namespace distillery {

const QStringList& reservedColumnNames() {
  static const QStringList names = {
      QStringLiteral("item_id"), QStringLiteral("position"), QStringLiteral("rater"),   QStringLiteral("comment"),
      QStringLiteral("choice"),  QStringLiteral("winner"),   QStringLiteral("total"),   QStringLiteral("scores"),
      QStringLiteral("prompt"),  QStringLiteral("output"),   QStringLiteral("left"),    QStringLiteral("right"),
      QStringLiteral("model"),   QStringLiteral("model_a"),  QStringLiteral("model_b"), QStringLiteral("output_a"),
      QStringLiteral("output_b"), QStringLiteral("swapped"), QStringLiteral("created_at"),
      QStringLiteral("updated_at")};
  return names;
}

Rubric Rubric::seed() {
  return Rubric{{{QStringLiteral("relevance"), 0.4}, {QStringLiteral("accuracy"), 0.3},
                 {QStringLiteral("readability"), 0.3}},
                0,
                3};
}

Rubric Rubric::normalised(const QString& where) const {
  if (criteria.empty())
    throw FormatError(where, QStringLiteral("criteria"), QString(), QStringLiteral("lists no criterion"));
  if (minScore >= maxScore)
    throw FormatError(where, QStringLiteral("max"), maxScore,
                      QStringLiteral("must be greater than min (%1)").arg(minScore));
  // Unicode letters and digits, so criteria can be named in any language; no separators of the --scores syntax.
  static const QRegularExpression valid(QStringLiteral("^[\\w-]+$"), QRegularExpression::UseUnicodePropertiesOption);
  QSet<QString> seen;
  double sum = 0;
  for (const Criterion& c : criteria) {
    if (!valid.match(c.name).hasMatch())
      throw FormatError(where, QStringLiteral("criteria"), c.name,
                        QStringLiteral("is not a valid criterion name (letters, digits, '_' or '-')"));
    if (reservedColumnNames().contains(c.name))
      throw FormatError(where, QStringLiteral("criteria"), c.name,
                        QStringLiteral("is reserved for a column of the exports; choose another name"));
    if (seen.contains(c.name))
      throw FormatError(where, QStringLiteral("criteria"), c.name, QStringLiteral("is listed twice"));
    seen.insert(c.name);
    if (!std::isfinite(c.weight) || c.weight < 0)
      throw FormatError(where, c.name, c.weight, QStringLiteral("weight must be a finite number ≥ 0"));
    sum += c.weight;
  }
  if (!(sum > 0))
    throw FormatError(where, QStringLiteral("weights"), sum, QStringLiteral("sum to 0; give at least one a weight > 0"));
  Rubric r = *this;
  if (std::abs(sum - 1.0) > 1e-9)
    for (Criterion& c : r.criteria) c.weight /= sum;
  return r;
}

Rubric Rubric::fromJson(const QJsonObject& json, const QString& where) {
  Rubric r;
  r.minScore = json.value(QStringLiteral("min")).toInt(0);
  r.maxScore = json.value(QStringLiteral("max")).toInt(3);
  const QJsonValue list = json.value(QStringLiteral("criteria"));
  if (!list.isArray())
    throw FormatError(where, QStringLiteral("criteria"), QString(), QStringLiteral("must be an array of {name, weight}"));
  for (const QJsonValue& v : list.toArray()) {
    const QJsonObject o = v.toObject();
    if (!o.value(QStringLiteral("weight")).isDouble())
      throw FormatError(where, QStringLiteral("weight"), o.value(QStringLiteral("name")).toString(),
                        QStringLiteral("criterion has no numeric weight"));
    r.criteria.push_back({o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("weight")).toDouble()});
  }
  return r.normalised(where);
}

Rubric Rubric::fromSpec(const QString& spec, const QString& where, int minScore, int maxScore) {
  Rubric r;
  r.minScore = minScore;
  r.maxScore = maxScore;
  for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const qsizetype eq = part.indexOf(QLatin1Char('='));
    Criterion c{part.left(eq).trimmed(), 1.0};
    if (eq >= 0) {
      bool ok = false;
      c.weight = part.mid(eq + 1).trimmed().toDouble(&ok);
      if (!ok)
        throw FormatError(where, c.name, part.mid(eq + 1).trimmed(), QStringLiteral("weight is not a number"));
    }
    r.criteria.push_back(c);
  }
  return r.normalised(where);
}

QJsonObject Rubric::toJson() const {
  QJsonArray list;
  for (const Criterion& c : criteria)
    list.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("weight"), c.weight}});
  return {{QStringLiteral("criteria"), list}, {QStringLiteral("min"), minScore}, {QStringLiteral("max"), maxScore}};
}

QStringList Rubric::names() const {
  QStringList n;
  for (const Criterion& c : criteria) n.append(c.name);
  return n;
}

void Rubric::check(const RubricScores& scores, const QString& where) const {
  for (const Criterion& c : criteria)
    if (!scores.contains(c.name))
      throw FormatError(where, c.name, QString(),
                        QStringLiteral("is missing (the rubric needs %1)").arg(names().join(QLatin1Char(','))));
  for (auto it = scores.begin(); it != scores.end(); ++it) {
    if (!names().contains(it.key()))
      throw FormatError(where, it.key(), it.value(),
                        QStringLiteral("is not a criterion of this rubric (%1)").arg(names().join(QLatin1Char(','))));
    if (it.value() < minScore || it.value() > maxScore)
      throw FormatError(where, it.key(), it.value(),
                        QStringLiteral("is out of range %1–%2").arg(minScore).arg(maxScore));
  }
}

double Rubric::total(const RubricScores& scores) const {
  check(scores, {});
  double t = 0;
  for (const Criterion& c : criteria) t += c.weight * scores.value(c.name);
  return t;
}

int Rubric::parseScore(const QString& text, const QString& where, const QString& name) {
  bool ok = false;
  const double v = text.trimmed().toDouble(&ok);
  if (!ok || !std::isfinite(v) || v != std::floor(v) || std::abs(v) > 1e9)
    throw FormatError(where, name, text, QStringLiteral("is not a whole-number score"));
  return int(v);
}

RubricScores Rubric::parseScores(const QString& spec, const QString& where) {
  RubricScores scores;
  for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const qsizetype eq = part.indexOf(QLatin1Char('='));
    if (eq <= 0)
      throw FormatError(where, QStringLiteral("scores"), part, QStringLiteral("must be criterion=score"));
    const QString name = part.left(eq).trimmed();
    if (scores.contains(name))
      throw FormatError(where, name, part, QStringLiteral("is scored twice"));
    scores.insert(name, parseScore(part.mid(eq + 1), where, name));
  }
  if (scores.isEmpty())
    throw FormatError(where, QStringLiteral("scores"), spec, QStringLiteral("holds no criterion=score"));
  return scores;
}

}  // namespace distillery
