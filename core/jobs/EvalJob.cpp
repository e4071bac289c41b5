#include "jobs/EvalJob.h"

#include "eval/EvalRun.h"
#include "jobs/TaskSupport.h"
#include "jobs/ToolJob.h"

#include <torch/torch.h>

#include <QtCore/QDir>

#include <cmath>
#include <limits>

namespace distillery {

namespace {

torch::ScalarType evalDtype(const JobSpec& spec, const torch::Device& device) {
  if (spec.eval.dtype == QLatin1String("float32")) return torch::kFloat32;
  if (spec.eval.dtype == QLatin1String("bfloat16")) return torch::kBFloat16;
  return device.is_cpu() ? torch::kFloat32 : torch::kBFloat16;
}

StepMetrics stepOf(const EvalProgress& p) {
  StepMetrics m;
  m.step = p.done;
  m.totalSteps = p.total;
  m.loss = std::numeric_limits<double>::quiet_NaN();
  m.lr = m.gradNorm = m.epoch = std::numeric_limits<double>::quiet_NaN();
  m.tokensPerSecond = p.seconds > 0 ? double(p.tokens) / p.seconds : 0.0;
  m.etaSeconds = p.done > 0 && p.seconds > 0 ? p.seconds / double(p.done) * double(p.total - p.done) : -1.0;
  m.wallTime = p.seconds;
  m.tokensSeen = p.tokens;
  return m;
}

}  // namespace

TrainResult runEvalJob(const JobSpec& spec, JobContext& ctx) {
  TrainResult result;
  TrainControl ownControl;
  TrainControl& control = ctx.control ? *ctx.control : ownControl;
  MetricsSink* sink = ctx.extraSink;
  EvalOutcome outcome;
  int64_t total = 0;
  try {
    EvalRunOptions o;
    o.device = jobDevice(spec);
    o.dtype = evalDtype(spec, o.device);
    o.cancel = &control.cancel;
    o.pause = &control.pause;
    o.store = ctx.store;
    o.jobId = ctx.jobId;
    o.progress = [&](const EvalProgress& p) {
      total = p.total;
      result.steps = p.done;
      if (sink) sink->stepMetrics(stepOf(p));
      if (control.progress && !control.progress(p.done, p.total)) control.cancel = true;
    };
    o.message = [&](const QString& text) {
      if (sink) sink->message(text);
    };
    outcome = runEvaluation(spec, o);
    result.status = outcome.cancelled ? TrainStatus::Cancelled : TrainStatus::Finished;
    result.steps = outcome.progress.done;
    total = outcome.progress.total;
  } catch (const std::exception& e) {
    result.status = TrainStatus::Failed;
    result.error = QString::fromUtf8(e.what());
  } catch (...) {
    result.status = TrainStatus::Failed;
    result.error = QStringLiteral("unknown error");
  }
  if (sink) sink->finished();
  writeToolJobState(spec, result, total,
                    {{QStringLiteral("samples"), qint64(outcome.samples)},
                     {QStringLiteral("results"), QDir(spec.output).filePath(QStringLiteral("results.json"))}});
  return result;
}

}  // namespace distillery
