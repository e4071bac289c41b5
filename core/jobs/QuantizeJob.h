// A quantization (kind quantize) run as a job: quantizeFolder (quant/QuantizeFolder.h), the code of
// `distillery-cli quantize`, from spec.model into spec.output with spec.quantize, on spec.device.
//
//   TrainResult r = runQuantizeJob(spec, ctx);   // never throws; r.status finished | cancelled | failed
//
// Progress: tensors quantized of the decoder Linears (a plain f16/bf16 export reports none). Cancel is read after
// every tensor; a cancelled job saves nothing (output/ holds state.json only, or the files an earlier run left).
// output/ may already hold other files (an earlier run, the job's lock): they are kept, model files replaced.
// state.json: ToolJob's keys plus "summary" (what `quantize` prints: scheme, tensors_quantized, errors, bytes).
#pragma once
#include "jobs/RunJob.h"

namespace distillery {

TrainResult runQuantizeJob(const JobSpec& spec, JobContext& ctx);

}  // namespace distillery
