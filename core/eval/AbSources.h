// Where the win/loss/tie counts of an A/B comparison (BayesAB.h) come from: a pairwise human study's head-to-head
// tally, or two models' per-sample scores in one evaluation job.
#pragma once
#include "eval/BayesAB.h"
#include "eval/EvalStore.h"
#include "eval/StudyResults.h"

namespace distillery {

// B's record against A in a pairwise study: every rating of an item that showed both counts once; "tie" and
// "both bad" are ties. Throws Error naming the models the study has when a or b is not one of them.
AbCounts studyPairCounts(const StudyResults& results, const QString& a, const QString& b);

// B's record against A on the samples both models answered in job jobId (matched by sample index), by the
// per-sample score `metric` (higher is better unless lowerIsBetter). Throws Error naming the job and the labels or
// the metrics there are when a label or the metric is missing.
AbCounts evaluationPairCounts(const EvalStore& evals, qint64 jobId, const QString& a, const QString& b,
                              const QString& metric, bool lowerIsBetter = false);

}  // namespace distillery
