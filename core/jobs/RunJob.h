// One job, start to end, in the calling thread: the glue between a JobSpec and the Trainer.
//
//   JobContext ctx{.jobId = id, .store = &store, .control = &control, .extraSink = &snapshot, .resume = false};
//   TrainResult r = runJob(spec, ctx);     // never throws; r.status / r.error say how it ended
//
// An evaluation (kind eval) goes to runEvalJob (core/jobs/EvalJob.h), a quantization to runQuantizeJob
// (core/jobs/QuantizeJob.h), a data operation to runDataJob (core/jobs/DataJob.h). For training kinds it builds:
// the task for spec.kind (LoraTask, FullFtTask, DistillTask), the training data (and validation data when
// data.validation is set) rendered with the student's tokenizer and chat template, and the Trainer with these sinks:
// output/metrics.jsonl, the store's metrics table when ctx.store is given (job ctx.jobId), and ctx.extraSink. When
// the run ends it writes output/state.json:
//   {"status": "finished" | "cancelled" | "early_stopped" | "failed", "error": "...", "steps": N,
//    "best_val_loss": x | null, "best_checkpoint": DIR | null, "last_loss": x | null, "kind": ..., "name": ...,
//    "finished_at": ISO-8601}
// and the product: the PEFT adapter (lora) or the full HF model (full_ft, distill) in output/ itself.
// The job's status in the jobs table is the caller's (the runner's executeJob, the CLI).
#pragma once
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QtGlobal>

namespace distillery {

class Store;

struct JobContext {
  qint64 jobId = 0;                  // row in the jobs table (metrics are written under it when store is given)
  const Store* store = nullptr;      // the workspace's store (this thread's connection is used); may be null
  TrainControl* control = nullptr;   // cancel / pause flags; null: a private one nobody flips
  MetricsSink* extraSink = nullptr;  // also receives every metric (the runner's snapshot, the CLI's progress)
  bool resume = false;               // continue from the newest checkpoint under output/checkpoints
};

// Builds and runs the job. Exceptions (bad data, a model that does not load, a failed save) are caught here
// and come back as status failed with their text in error; output/state.json is still written when the output
// folder can be.
TrainResult runJob(const JobSpec& spec, JobContext& ctx);

// output/state.json's object for a result (what runJob writes).
QJsonObject jobStateJson(const JobSpec& spec, const TrainResult& r);

}  // namespace distillery
