#include "jobs/QuantizeJob.h"

#include "audit/AuditLog.h"
#include "eval/KldRun.h"
#include "jobs/TaskSupport.h"
#include "jobs/ToolJob.h"
#include "quant/QuantizeFolder.h"

#include <torch/torch.h>

namespace distillery {

namespace {

constexpr int64_t kPhase = 1000;  // with the fidelity check: per-mille, quantizing the first half, the check the second

}  // namespace

TrainResult runQuantizeJob(const JobSpec& spec, JobContext& ctx) {
  return runToolJob(spec, ctx, [&](ToolProgress& progress) {
    const bool check = !spec.data.test.isEmpty();
    QuantizeFolderRequest r;
    r.modelDir = spec.model;
    r.outDir = spec.output;
    r.settings = spec.quantize;
    r.device = jobDevice(spec);
    r.allowOtherFiles = true;  // the job's folder: its lock, an earlier run's state.json
    r.modelField = QStringLiteral("model");
    r.outField = QStringLiteral("output");
    r.schemeField = QStringLiteral("quantize.scheme");
    r.activationsField = QStringLiteral("quantize.activations");
    r.adapterField = QStringLiteral("quantize.adapter");
    r.cancel = progress.cancel;
    r.progress = [&](int64_t done, int64_t total) {
      return check ? progress.report(done * (kPhase / 2) / total, kPhase) : progress.report(done, total);
    };
    const QuantizeFolderResult result = quantizeFolder(r);
    ToolOutcome outcome;
    outcome.cancelled = result.stopped;
    outcome.state.insert(QStringLiteral("tensors"), qint64(result.tensors));
    if (result.stopped) return outcome;
    outcome.state.insert(QStringLiteral("summary"), result.summary);
    // A quantized model saved in a workspace is an audited action of its own (beside the job's status rows).
    if (ctx.store)
      recordAudit(*ctx.store, QStringLiteral("model.quantized"), QStringLiteral("model"), spec.output,
                  {{"source", spec.model}, {"scheme", spec.quantize.scheme}, {"adapter", spec.quantize.adapter},
                   {"job_id", ctx.jobId}});
    progress.message(
        QStringLiteral("quantized %1 tensors (%2) into %3").arg(result.tensors).arg(spec.quantize.scheme, spec.output));
    if (!check) return outcome;

    // The fidelity check of `distillery-cli kld`: the float model against what was just written.
    KldRequest k;
    k.baseDir = spec.model;
    k.otherDir = spec.output;
    k.data = spec.data.test;
    k.device = r.device;
    // eval's defaults mean "the kld command's defaults": min(512, max_position_embeddings), half of it.
    const EvalSpec defaults;
    k.seqLen = spec.eval.seqLen == defaults.seqLen && spec.eval.stride == defaults.stride ? 0 : spec.eval.seqLen;
    k.stride = k.seqLen == 0 ? 0 : spec.eval.stride;
    k.maxRows = spec.eval.maxSamples;
    k.seqLenField = QStringLiteral("eval.seq_len");
    k.strideField = QStringLiteral("eval.stride");
    k.progress = [&](int64_t done, int64_t total) {
      return progress.report(kPhase / 2 + done * (kPhase / 2) / std::max<int64_t>(1, total), kPhase);
    };
    const KldResult fidelity = runKld(k);
    outcome.cancelled = fidelity.cancelled;
    if (fidelity.cancelled) return outcome;
    outcome.state.insert(QStringLiteral("fidelity"), fidelity.json);
    const QJsonObject kld = fidelity.json.value(QStringLiteral("kld")).toObject();
    progress.message(QStringLiteral("fidelity on %1: mean KLD %2, same top-1 %3%, PPL ratio %4")
                         .arg(spec.data.test)
                         .arg(kld.value(QStringLiteral("mean")).toDouble(), 0, 'g', 4)
                         .arg(100.0 * fidelity.json.value(QStringLiteral("same_top1")).toDouble(), 0, 'f', 1)
                         .arg(fidelity.json.value(QStringLiteral("ppl_ratio")).toDouble(), 0, 'f', 4));
    return outcome;
  });
}

}  // namespace distillery
