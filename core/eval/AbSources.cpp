#include "eval/AbSources.h"

#include "common/Error.h"

#include <QtCore/QStringList>

#include <cmath>
#include <map>
#include <set>

namespace distillery {

AbCounts studyPairCounts(const StudyResults& results, const QString& a, const QString& b) {
  QStringList models;
  for (const PairTally& t : results.tallies) models << t.model;
  for (const QString& m : {a, b})
    if (!models.contains(m))
      throw Error({}, QStringLiteral("model"), m,
                  QStringLiteral("is not a model of study %1 (models: %2)").arg(results.study.id).arg(models.join(u", ")));
  if (a == b) throw Error({}, QStringLiteral("model"), b, QStringLiteral("is compared with itself"));
  AbCounts c;
  for (const PairTally& t : results.headToHead) {
    if (t.model == a && t.opponent == b) c = {t.losses, t.wins, t.ties + t.bothBad};
    else if (t.model == b && t.opponent == a) c = {t.wins, t.losses, t.ties + t.bothBad};
  }
  return c;
}

AbCounts evaluationPairCounts(const EvalStore& evals, qint64 jobId, const QString& a, const QString& b,
                              const QString& metric, bool lowerIsBetter) {
  const QList<EvaluationRow> rows = evals.evaluations(jobId);
  QStringList labels;
  for (const EvaluationRow& e : rows) labels << e.modelLabel;
  auto idOf = [&](const QString& label) {
    for (const EvaluationRow& e : rows)
      if (e.modelLabel == label) return e.id;
    throw Error({}, QStringLiteral("model"), label,
                QStringLiteral("is not a model of job %1 (models: %2)").arg(jobId).arg(labels.join(u", ")));
  };
  const qint64 idA = idOf(a), idB = idOf(b);
  if (idA == idB) throw Error({}, QStringLiteral("model"), b, QStringLiteral("is compared with itself"));
  std::map<qint64, double> scoresA;
  std::set<QString> seen;
  for (const EvalSampleRow& s : evals.samples(idA)) {
    for (auto it = s.scores.begin(); it != s.scores.end(); ++it)
      if (it->isDouble() && it.key() != QLatin1String("line")) seen.insert(it.key());
    const QJsonValue v = s.scores.value(metric);
    if (v.isDouble()) scoresA[s.index] = v.toDouble();
  }
  std::vector<double> va, vb;
  for (const EvalSampleRow& s : evals.samples(idB)) {
    const QJsonValue v = s.scores.value(metric);
    const auto it = scoresA.find(s.index);
    if (!v.isDouble() || it == scoresA.end()) continue;
    va.push_back(it->second);
    vb.push_back(v.toDouble());
  }
  if (va.empty()) {
    QStringList known(seen.begin(), seen.end());
    throw Error({}, QStringLiteral("metric"), metric,
                QStringLiteral("is not a per-sample score both models of job %1 have (scores: %2)")
                    .arg(jobId)
                    .arg(known.join(u", ")));
  }
  return countPairs(va, vb, lowerIsBetter);
}

}  // namespace distillery
