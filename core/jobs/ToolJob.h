// What the two tool kinds (quantize, data) share when run as jobs: runJob's counterpart of EvalJob for work that
// is neither training nor evaluation. runToolJob turns the job's TrainControl and sinks into a plain progress
// function for the body, catches everything at the job boundary and writes output/state.json.
//
//   TrainResult r = runToolJob(spec, ctx, [&](ToolProgress& p) {
//     for (i...) { work(i); if (!p.report(i + 1, n)) return ToolOutcome{.cancelled = true}; }
//     return ToolOutcome{.state = {{"rows", n}}};
//   });
//
// Progress reaches ctx.extraSink as StepMetrics (step = units done of totalSteps: tensors for quantize, bytes read
// or prompts answered for data; loss NaN; etaSeconds from the rate so far), so the runner's snapshot shows the job's
// percentage. report() also calls control.progress, waits while the job is paused and returns false once the job
// is cancelled. Nothing goes to the metrics table.
// state.json: jobStateJson's keys with steps / total_steps the units, plus the body's ToolOutcome::state keys.
#pragma once
#include "jobs/RunJob.h"

#include <QtCore/QJsonObject>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

struct ToolProgress {
  // Units done of total; false: stop now (cancelled). Waits while paused. Call from the job's thread only.
  std::function<bool(int64_t done, int64_t total)> report;
  std::atomic_bool* cancel = nullptr;           // the job's cancel flag, for code that polls it itself
  std::function<void(const QString&)> message;  // a line for the job's log
};

struct ToolOutcome {
  bool cancelled = false;  // the body stopped early (a Cancelled exception means the same)
  QJsonObject state;       // extra keys for state.json
};

TrainResult runToolJob(const JobSpec& spec, JobContext& ctx, const std::function<ToolOutcome(ToolProgress&)>& body);

}  // namespace distillery
