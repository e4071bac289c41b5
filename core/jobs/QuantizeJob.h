// A quantization (kind quantize) run as a job: quantizeFolder (quant/QuantizeFolder.h), the code of
// `distillery-cli quantize`, from spec.model into spec.output with spec.quantize, on spec.device.
//
//   TrainResult r = runQuantizeJob(spec, ctx);   // never throws; r.status finished | cancelled | failed
//
// Progress: tensors quantized of the decoder Linears (a plain f16/bf16 export reports none). Cancel is read after
// every tensor; a cancelled job saves nothing (output/ holds state.json only, or the files an earlier run left).
// output/ may already hold other files (an earlier run, the job's lock): they are kept, model files replaced.
// With data.test, the fidelity check of `distillery-cli kld` (eval/KldRun.h) follows: the float model against the
// folder just written, on data.test's {"text"} rows, windows eval.seq_len / eval.stride (both at their defaults:
// the kld command's, min(512, max_position_embeddings) and half of it), eval.max_samples rows (0: all). Progress is
// then per-mille: quantizing the first half, the check's windows the second. A cancel during the check leaves the
// quantized model written (status cancelled, no "fidelity").
// state.json: ToolJob's keys plus "tensors", "summary" (what `quantize` prints: scheme, tensors_quantized, errors,
// bytes) and "fidelity" (what `kld` prints: kld, same_top1, ppl_ratio, delta_p, ...).
#pragma once
#include "jobs/RunJob.h"

namespace distillery {

TrainResult runQuantizeJob(const JobSpec& spec, JobContext& ctx);

}  // namespace distillery
