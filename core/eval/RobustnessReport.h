// The robustness results an evaluation stores (metrics "robustness", core/eval/EvalRun.h) as flat rows: one per
// model × perturbation × metric, for the command line's table and the Evaluation panel's.
#pragma once
#include "eval/EvalStore.h"

#include <QtCore/QList>
#include <QtCore/QString>

#include <vector>

namespace distillery {

struct RobustnessRow {
  QString model;         // the evaluation's model label
  QString perturbation;  // its name: "typos 0.05"
  QString metric;        // mc_accuracy | exact_match | token_f1
  double clean = 0;      // with the prompts as written
  double perturbed = 0;  // with the prompts perturbed
  double change = 0;     // perturbed − clean
  double relative = 0;   // change / clean; NaN when clean is 0
};

// The rows of every evaluation in order (none for evaluations without robustness results).
std::vector<RobustnessRow> robustnessRows(const QList<EvaluationRow>& evaluations);

}  // namespace distillery
