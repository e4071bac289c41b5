// An evaluation job (kind eval) run as a job: runJob's counterpart of the training glue. It turns the job's
// TrainControl (cancel, pause, progress) and sinks into the evaluation's options (core/eval/EvalRun.h), and writes
// output/state.json like every job.
//
//   JobContext ctx{.jobId = id, .store = &store, .control = &control, .extraSink = &snapshot};
//   TrainResult r = runEvalJob(spec, ctx);   // never throws; r.status finished | cancelled | failed
//
// Progress reaches ctx.extraSink as StepMetrics: step = units done of totalSteps (a unit is one dataset row through
// one task of one model), tokensPerSecond = tokens scored or generated per second, etaSeconds, wallTime; loss is
// NaN (nothing is trained). Nothing goes to the metrics table: the results are the evaluations rows.
// state.json: jobStateJson's keys with total_steps = units in all, plus "samples" (sample rows written) and
// "results" (output/results.json). A job run again (or resumed) evaluates from the start and replaces its rows.
#pragma once
#include "jobs/RunJob.h"

namespace distillery {

TrainResult runEvalJob(const JobSpec& spec, JobContext& ctx);

}  // namespace distillery
