#include "jobs/QuantizeJob.h"

#include "jobs/TaskSupport.h"
#include "jobs/ToolJob.h"
#include "quant/QuantizeFolder.h"

#include <torch/torch.h>

namespace distillery {

TrainResult runQuantizeJob(const JobSpec& spec, JobContext& ctx) {
  return runToolJob(spec, ctx, [&](ToolProgress& progress) {
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
    r.progress = progress.report;
    const QuantizeFolderResult result = quantizeFolder(r);
    ToolOutcome outcome;
    outcome.cancelled = result.stopped;
    outcome.state.insert(QStringLiteral("tensors"), qint64(result.tensors));
    if (!result.stopped) {
      outcome.state.insert(QStringLiteral("summary"), result.summary);
      progress.message(QStringLiteral("quantized %1 tensors (%2) into %3")
                           .arg(result.tensors)
                           .arg(spec.quantize.scheme, spec.output));
    }
    return outcome;
  });
}

}  // namespace distillery
