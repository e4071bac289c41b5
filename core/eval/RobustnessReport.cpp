#include "eval/RobustnessReport.h"

#include <QtCore/QJsonArray>

#include <limits>

namespace distillery {

std::vector<RobustnessRow> robustnessRows(const QList<EvaluationRow>& evaluations) {
  std::vector<RobustnessRow> rows;
  for (const EvaluationRow& e : evaluations) {
    for (const QJsonValue& v : e.metrics.value(QStringLiteral("robustness")).toArray()) {
      const QJsonObject r = v.toObject();
      const QJsonObject clean = r.value(QStringLiteral("clean")).toObject();
      const QJsonObject perturbed = r.value(QStringLiteral("perturbed")).toObject();
      const QJsonObject change = r.value(QStringLiteral("change")).toObject();
      const QJsonObject relative = r.value(QStringLiteral("relative_change")).toObject();
      for (auto it = change.begin(); it != change.end(); ++it) {
        const QJsonValue rel = relative.value(it.key());
        rows.push_back({e.modelLabel, r.value(QStringLiteral("name")).toString(), it.key(),
                        clean.value(it.key()).toDouble(), perturbed.value(it.key()).toDouble(), it.value().toDouble(),
                        rel.isDouble() ? rel.toDouble() : std::numeric_limits<double>::quiet_NaN()});
      }
    }
  }
  return rows;
}

}  // namespace distillery
