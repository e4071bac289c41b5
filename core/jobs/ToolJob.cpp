#include "jobs/ToolJob.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "data/RowReader.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QThread>

#include <limits>

namespace distillery {

TrainResult runToolJob(const JobSpec& spec, JobContext& ctx, const std::function<ToolOutcome(ToolProgress&)>& body) {
  TrainResult result;
  TrainControl ownControl;
  TrainControl& control = ctx.control ? *ctx.control : ownControl;
  MetricsSink* sink = ctx.extraSink;
  int64_t total = 0;
  ToolOutcome outcome;
  QElapsedTimer timer;
  timer.start();
  ToolProgress progress;
  progress.cancel = &control.cancel;
  progress.message = [&](const QString& text) {
    if (sink) sink->message(text);
  };
  progress.report = [&](int64_t done, int64_t all) {
    total = all;
    result.steps = done;
    if (sink) {
      StepMetrics m;
      m.step = done;
      m.totalSteps = all;
      m.loss = m.lr = m.gradNorm = m.epoch = std::numeric_limits<double>::quiet_NaN();
      const double seconds = double(timer.elapsed()) / 1000.0;
      m.etaSeconds = done > 0 && seconds > 0 ? seconds / double(done) * double(all - done) : -1.0;
      m.wallTime = seconds;
      sink->stepMetrics(m);
    }
    if (control.progress && !control.progress(done, all)) control.cancel = true;
    while (control.pause && !control.cancel) QThread::msleep(50);
    return !control.cancel;
  };
  try {
    if (!QDir().mkpath(spec.output))
      throw Error(spec.output, QStringLiteral("output"), QString(), QStringLiteral("cannot be created"));
    outcome = body(progress);
    result.status = outcome.cancelled ? TrainStatus::Cancelled : TrainStatus::Finished;
  } catch (const Cancelled&) {
    result.status = TrainStatus::Cancelled;
  } catch (const std::exception& e) {
    result.status = TrainStatus::Failed;
    result.error = QString::fromUtf8(e.what());
  } catch (...) {
    result.status = TrainStatus::Failed;
    result.error = QStringLiteral("unknown error");
  }
  if (sink) sink->finished();
  try {
    if (QDir(spec.output).exists()) {
      QJsonObject state = jobStateJson(spec, result);
      state.insert(QStringLiteral("total_steps"), qint64(total));
      for (auto it = outcome.state.begin(); it != outcome.state.end(); ++it) state.insert(it.key(), it.value());
      writeFileAtomically(QDir(spec.output).filePath(QStringLiteral("state.json")), QJsonDocument(state).toJson());
    }
  } catch (const std::exception& e) {
    if (result.error.isEmpty()) result.error = QString::fromUtf8(e.what());
  }
  return result;
}

}  // namespace distillery
