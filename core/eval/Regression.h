// Regression alerts: a new evaluation compared with its task's baseline (BaselineStore.h). A metric where higher
// is better (accuracies, overlap scores) regresses when it falls more than `threshold` below the baseline,
// relative to it: (baseline − value) / baseline > threshold (default 5%). Latency regresses when the p99 time to
// the first token exceeds a budget in milliseconds. Torch-free, so the GUI shows the same findings.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>
#include <vector>

namespace distillery {

struct RegressionRule {
  double threshold = 0.05;                // relative drop allowed, in [0, 1)
  std::optional<double> latencyBudgetMs;  // p99 first-token latency budget; none: not checked
};

// The metrics checked, higher is better: mc_accuracy, mc_accuracy_norm, exact_match, token_f1, next_token_accuracy,
// bleu, chrf, rouge1, rouge2, rougeL (those present in both baseline and new metrics).
const QStringList& accuracyMetrics();
// The latency metric the budget applies to.
inline QString latencyMetric() { return QStringLiteral("first_token_ms_p99"); }

struct RegressionFinding {
  QString task, model, metric;
  double baseline = 0;  // baseline value (the budget, for latency)
  double value = 0;
  double relativeDrop = 0;  // (baseline − value) / baseline; for latency (value − budget) / budget
  // "task qa: model student exact_match 0.6000 is 10.0% below the baseline 0.6667"; for latency
  // "task qa: model student first_token_ms_p99 412.0 ms exceeds the budget 300.0 ms"
  QString message() const;
  QJsonObject toJson() const;
};

// Every regression of one model's metrics against the baseline metrics; empty when none. Throws Error for a
// threshold outside [0, 1) or a budget ≤ 0.
std::vector<RegressionFinding> findRegressions(const QString& task, const QString& model, const QJsonObject& baseline,
                                               const QJsonObject& metrics, const RegressionRule& rule = {});

}  // namespace distillery
