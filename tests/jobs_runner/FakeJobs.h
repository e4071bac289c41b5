// Fake jobs for the runner tests: they behave like the Trainer towards the runner (cancel checked before every
// step, pause waits with cancel still honoured, StepMetrics to the extra sink) but train nothing, so the queue is
// tested deterministically. What a fake does comes from its JobSpec:
//   name "throw ..."   throws distillery::Error with the rest of the name as its message
//   name "fail ..."    returns status failed with the rest of the name as error
//   name "fail-fresh"  fails unless ctx.resume (a crash that a resume gets past)
//   name "gate ..."    waits before its first step until the test opens the gate (or the job is cancelled)
//   train.max_steps    steps to run; train.seq_len: microseconds per step
//   sweep trials: bestValLoss = (log10(lr) + 4.5)² + batch_size / 1000 (from the trial's spec)
#pragma once
#include "common/Error.h"
#include "jobs/RunJob.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

struct FakeEvent {
  qint64 id;
  bool start;  // start or end
  QString device;
};

class FakeJobs {
 public:
  // What the job function of a runner under test calls.
  distillery::TrainResult run(const distillery::JobSpec& spec, distillery::JobContext& ctx) {
    using namespace distillery;
    log(ctx.jobId, true, spec.device);
    struct EndLog {
      FakeJobs* f;
      qint64 id;
      QString device;
      ~EndLog() { f->log(id, false, device); }
    } endLog{this, ctx.jobId, spec.device};
    {
      std::lock_guard lock(mutex_);
      resumeFlags_[ctx.jobId].append(ctx.resume);
    }
    TrainResult r;
    if (spec.name.startsWith(QLatin1String("throw ")))
      throw Error(QStringLiteral("/data/train.jsonl"), QStringLiteral("line 3"), QString(), spec.name.mid(6));
    if (spec.name.startsWith(QLatin1String("fail ")) || (spec.name == QLatin1String("fail-fresh") && !ctx.resume)) {
      r.status = TrainStatus::Failed;
      r.error =
          spec.name.startsWith(QLatin1String("fail ")) ? spec.name.mid(5) : QStringLiteral("crashed before resume");
      return r;
    }
    if (spec.name.startsWith(QLatin1String("gate"))) {
      std::unique_lock lock(mutex_);
      waitingAtGate_ = ctx.jobId;
      // Polls cancel (nobody notifies the condition variable when the runner sets it).
      while (!gateOpen_ && !ctx.control->cancel.load()) gateCv_.wait_for(lock, std::chrono::milliseconds(2));
      waitingAtGate_ = 0;
    }
    const int64_t total = spec.train.maxSteps;
    const auto stepTime = std::chrono::microseconds(spec.train.seqLen);
    int64_t step = 0;
    for (; step < total; ++step) {
      while (ctx.control->pause.load() && !ctx.control->cancel.load()) {
        inPause = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      inPause = false;
      if (ctx.control->cancel.load()) break;
      std::this_thread::sleep_for(stepTime);
      currentStep = step + 1;
      StepMetrics m;
      m.step = step + 1;
      m.totalSteps = total;
      m.loss = 1.0 / double(step + 1);
      m.tokensPerSecond = 1000;
      m.etaSeconds = double(total - step - 1) * 1e-6 * double(spec.train.seqLen);
      if (ctx.extraSink) ctx.extraSink->stepMetrics(m);
    }
    r.steps = step;
    r.lastLoss = step ? 1.0 / double(step) : NAN;
    if (step < total) {
      r.status = TrainStatus::Cancelled;
      return r;
    }
    r.status = TrainStatus::Finished;
    r.bestValLoss = std::pow(std::log10(spec.train.lr) + 4.5, 2) + double(spec.train.batchSize) / 1000.0;
    r.bestCheckpoint = spec.output + QStringLiteral("/best");
    return r;
  }

  distillery::JobFunction function() {
    return [this](const distillery::JobSpec& s, distillery::JobContext& c) { return run(s, c); };
  }

  void openGate() {
    {
      std::lock_guard lock(mutex_);
      gateOpen_ = true;
    }
    gateCv_.notify_all();
  }
  qint64 waitingAtGate() {
    std::lock_guard lock(mutex_);
    return waitingAtGate_;
  }
  QList<FakeEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  QList<bool> resumeFlags(qint64 id) {
    std::lock_guard lock(mutex_);
    return resumeFlags_.value(id);
  }
  // How many jobs of `device` ever ran at once.
  int maxConcurrent(const QString& device) {
    int now = 0, most = 0;
    for (const FakeEvent& e : events()) {
      if (e.device != device) continue;
      now += e.start ? 1 : -1;
      most = std::max(most, now);
    }
    return most;
  }

  std::atomic_bool inPause{false};
  std::atomic<int64_t> currentStep{0};

 private:
  void log(qint64 id, bool start, const QString& device) {
    std::lock_guard lock(mutex_);
    events_.append({id, start, device == QLatin1String("cuda") ? QStringLiteral("cuda:0") : device});
  }
  std::mutex mutex_;
  std::condition_variable gateCv_;
  bool gateOpen_ = false;
  qint64 waitingAtGate_ = 0;
  QList<FakeEvent> events_;
  QMap<qint64, QList<bool>> resumeFlags_;
};
