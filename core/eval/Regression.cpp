#include "eval/Regression.h"

#include "common/Error.h"

namespace distillery {

const QStringList& accuracyMetrics() {
  static const QStringList kMetrics{QStringLiteral("mc_accuracy"), QStringLiteral("mc_accuracy_norm"),
                                    QStringLiteral("exact_match"), QStringLiteral("token_f1"),
                                    QStringLiteral("next_token_accuracy"), QStringLiteral("bleu"),
                                    QStringLiteral("chrf"), QStringLiteral("rouge1"), QStringLiteral("rouge2"),
                                    QStringLiteral("rougeL")};
  return kMetrics;
}

QString RegressionFinding::message() const {
  if (metric == latencyMetric())
    return QStringLiteral("task %1: model %2 %3 %4 ms exceeds the budget %5 ms")
        .arg(task, model, metric, QString::number(value, 'f', 1), QString::number(baseline, 'f', 1));
  return QStringLiteral("task %1: model %2 %3 %4 is %5% below the baseline %6")
      .arg(task, model, metric, QString::number(value, 'f', 4), QString::number(100 * relativeDrop, 'f', 1),
           QString::number(baseline, 'f', 4));
}

QJsonObject RegressionFinding::toJson() const {
  return {{QStringLiteral("task"), task},     {QStringLiteral("model"), model},
          {QStringLiteral("metric"), metric}, {QStringLiteral("baseline"), baseline},
          {QStringLiteral("value"), value},   {QStringLiteral("relative_drop"), relativeDrop},
          {QStringLiteral("message"), message()}};
}

std::vector<RegressionFinding> findRegressions(const QString& task, const QString& model, const QJsonObject& baseline,
                                               const QJsonObject& metrics, const RegressionRule& rule) {
  if (!(rule.threshold >= 0 && rule.threshold < 1))
    throw Error({}, QStringLiteral("threshold"), QString::number(rule.threshold), QStringLiteral("must be in [0, 1)"));
  if (rule.latencyBudgetMs && !(*rule.latencyBudgetMs > 0))
    throw Error({}, QStringLiteral("latency budget"), QString::number(*rule.latencyBudgetMs),
                QStringLiteral("must be > 0 ms"));
  std::vector<RegressionFinding> found;
  for (const QString& m : accuracyMetrics()) {
    const QJsonValue base = baseline.value(m), now = metrics.value(m);
    if (!base.isDouble() || !now.isDouble() || !(base.toDouble() > 0)) continue;  // a zero baseline cannot drop
    const double drop = (base.toDouble() - now.toDouble()) / base.toDouble();
    if (drop > rule.threshold) found.push_back({task, model, m, base.toDouble(), now.toDouble(), drop});
  }
  if (rule.latencyBudgetMs) {
    const QJsonValue latency = metrics.value(latencyMetric());
    if (latency.isDouble() && latency.toDouble() > *rule.latencyBudgetMs)
      found.push_back({task, model, latencyMetric(), *rule.latencyBudgetMs, latency.toDouble(),
                       (latency.toDouble() - *rule.latencyBudgetMs) / *rule.latencyBudgetMs});
  }
  return found;
}

}  // namespace distillery
