// A data preparation operation (kind data) run as a job: runDataOp (data/DataOp.h), the code of `distillery-cli data
// clean|dedup|split|generate`, on spec.dataOp. With ctx.store (a workspace's job) the input and what was written are
// registered in its datasets table with their lineage, as the CLI does with --workspace.
//
//   TrainResult r = runDataJob(spec, ctx);   // never throws; r.status finished | cancelled | failed
//
// The product: data_op.output, or by default dataJobOutput(spec). Progress: bytes of the input read (clean, dedup;
// split reads twice, so its units are 2 × the file's bytes) or prompts answered (generate). Cancel is read every
// ~1 MiB of input (clean, dedup, split: nothing is written, the output file appears only complete, by rename) or
// every decoding step (generate: OUT.partial is kept, a re-run resumes from it; OUT itself is not written).
// state.json: ToolJob's keys plus "op", "outputs" (files written), "rows", "bad_rows", "dataset_ids" (with a store)
// and "report" (what the CLI prints).
#pragma once
#include "jobs/RunJob.h"

namespace distillery {

TrainResult runDataJob(const JobSpec& spec, JobContext& ctx);

// Where the job writes its product: data_op.output when given, else output/<op>.jsonl (split: output/ itself).
QString dataJobOutput(const JobSpec& spec);

}  // namespace distillery
