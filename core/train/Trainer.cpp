#include "train/Trainer.h"

#include "common/Error.h"
#include "runtime/Nvml.h"
#include "train/AdamW.h"
#include "train/Collective.h"
#include "train/Autocast.h"
#include "train/LrSchedule.h"
#include "train/OutOfMemory.h"
#include "train/RngState.h"
#include "train/TrainCheckpoint.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QThread>

#include <cmath>
#include <cstdio>
#include <memory>

namespace distillery {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON has no NaN/Inf: such values are written as null.
QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

QString errorText(const std::exception& e) {
  // c10::Error's what() carries a C++ backtrace; the job's error text wants the sentence.
  if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return QString::fromUtf8(c->what_without_backtrace());
  return QString::fromUtf8(e.what());
}

// Tokens whose loss counts in a batch: Batch::tokens, else counted from the labels.
int64_t countedTokens(const Batch& b) {
  if (b.tokens > 0) return b.tokens;
  if (b.labels.defined()) return (b.labels != -100).sum().item<int64_t>();
  return 0;
}

// Replaces `target` by `fresh` with renames, so a crash leaves one of them under its name (best/).
void swapFolder(const QString& fresh, const QString& target) {
  const QString old = target + QStringLiteral(".old");
  QDir(old).removeRecursively();
  if (QFileInfo::exists(target) && !QDir().rename(target, old))
    throw Error(target, {}, {}, QStringLiteral("cannot be moved aside to replace it"));
  if (!QDir().rename(fresh, target)) throw Error(target, {}, {}, QStringLiteral("cannot rename %1 to it").arg(fresh));
  QDir(old).removeRecursively();
}

}  // namespace

// ---------------------------------------------------------------------------------------------- metrics

QJsonObject StepMetrics::toJson() const {
  QJsonObject o{{QStringLiteral("step"), qint64(step)}, {QStringLiteral("loss"), number(loss)}};
  for (const auto& [name, value] : components)
    o[QStringLiteral("loss_") + QString::fromStdString(name)] = number(value);
  o[QStringLiteral("lr")] = number(lr);
  o[QStringLiteral("grad_norm")] = number(gradNorm);
  o[QStringLiteral("tokens_per_s")] = number(tokensPerSecond);
  if (gpuMemoryBytes >= 0) o[QStringLiteral("gpu_mem")] = gpuMemoryBytes;
  if (etaSeconds >= 0) o[QStringLiteral("eta_s")] = etaSeconds;
  o[QStringLiteral("epoch")] = number(epoch);
  o[QStringLiteral("wall_s")] = number(wallTime);
  o[QStringLiteral("tokens")] = qint64(tokensSeen);
  o[QStringLiteral("bad_steps")] = qint64(badSteps);
  if (skipped) o[QStringLiteral("skipped")] = 1;
  return o;
}

QJsonObject ValidationMetrics::toJson() const {
  QJsonObject o{{QStringLiteral("step"), qint64(step)}, {QStringLiteral("val_loss"), number(loss)}};
  for (const auto& [name, value] : components)
    o[QStringLiteral("val_loss_") + QString::fromStdString(name)] = number(value);
  o[QStringLiteral("val_tokens")] = qint64(tokens);
  o[QStringLiteral("wall_s")] = number(wallTime);
  return o;
}

void MultiMetricsSink::stepMetrics(const StepMetrics& m) {
  for (MetricsSink* s : sinks_)
    if (s) s->stepMetrics(m);
}
void MultiMetricsSink::validationMetrics(const ValidationMetrics& m) {
  for (MetricsSink* s : sinks_)
    if (s) s->validationMetrics(m);
}
void MultiMetricsSink::checkpointWritten(int64_t step, const QString& dir) {
  for (MetricsSink* s : sinks_)
    if (s) s->checkpointWritten(step, dir);
}
void MultiMetricsSink::message(const QString& text) {
  for (MetricsSink* s : sinks_)
    if (s) s->message(text);
}
void MultiMetricsSink::resumed(int64_t step) {
  for (MetricsSink* s : sinks_)
    if (s) s->resumed(step);
}
void MultiMetricsSink::finished() {
  for (MetricsSink* s : sinks_)
    if (s) s->finished();
}

TrainerOptions TrainerOptions::fromJob(const JobSpec& spec) {
  TrainerOptions o;
  o.train = spec.train;
  o.outputDir = spec.output;
  o.device = spec.device;
  return o;
}

QString trainStatusName(TrainStatus s) {
  switch (s) {
    case TrainStatus::Finished:
      return QStringLiteral("finished");
    case TrainStatus::Cancelled:
      return QStringLiteral("cancelled");
    case TrainStatus::EarlyStopped:
      return QStringLiteral("early_stopped");
    case TrainStatus::Failed:
      return QStringLiteral("failed");
  }
  return QStringLiteral("failed");
}

// ---------------------------------------------------------------------------------------------- the loop

// One run's state and steps. Everything a checkpoint restores lives here.
struct Trainer::State {
  State(Trainer& t, TrainControl& c, MetricsSink& s)
      : task(t.task_),
        train(t.train_),
        validation(t.validation_),
        o(t.options_),
        spec(t.options_.train),
        control(c),
        sink(s) {}

  TrainTask& task;
  BatchSource& train;
  BatchSource* validation;
  const TrainerOptions& o;
  const TrainSpec& spec;
  TrainControl& control;
  MetricsSink& sink;

  c10::Device device{c10::kCPU};
  bool autocast = false;
  QString root;  // checkpoints
  LrSchedule schedule;
  std::vector<NamedTensor> params;
  std::unique_ptr<AdamW> optimizer;

  // Restored by a checkpoint.
  int64_t step = 0;          // optimizer steps done
  int64_t microBatches = 0;  // micro-batches consumed (epochs)
  int64_t tokensSeen = 0;
  double wallBefore = 0;  // seconds run by earlier sessions
  double bestVal = kNaN;
  int64_t bestStep = -1;
  int64_t evalsAbove = 0;  // evaluations in a row above best·(1 + threshold)
  int64_t badInRow = 0, badTotal = 0;

  // This session.
  QElapsedTimer clock;
  double pausedSeconds = 0;
  int64_t sessionStartStep = 0, sessionTokens = 0;
  int64_t lastSavedStep = -1;
  QString lastCheckpoint;
  double lastLoss = kNaN;
  bool earlyStop = false;
  QString failure;
  // The data position and RNG before the current step's batches were drawn: what a checkpoint written after a
  // step abandoned by cancel must record.
  QJsonObject positionAtStepStart, rngAtStepStart;
  QElapsedTimer gpuMemClock;
  double gpuMem = -1;
  bool stopAgreed = false;  // data-parallel: some rank asked to cancel, all stop after this step

  // Several ranks train together (see TrainerOptions::collective).
  bool parallel() const { return o.collective && o.collective->worldSize() > 1; }
  // This process writes checkpoints, best/ and the output (rank 0, or a single-process run).
  bool writer() const { return !o.collective || o.collective->rank() == 0; }
  bool cancelled() const { return parallel() ? stopAgreed : control.cancel.load(); }

  double wall() const { return wallBefore + double(clock.nsecsElapsed()) / 1e9; }
  double activeSeconds() const { return double(clock.nsecsElapsed()) / 1e9 - pausedSeconds; }

  void setUp();
  bool resume();
  void applyCheckpoint(const LoadedCheckpoint& c);
  bool waitWhilePaused();
  bool trainStep();  // false: cancelled in the middle (nothing applied)
  double clipGradients();
  void logStep(double loss, const std::map<std::string, double>& components, double lr, double norm, bool skipped);
  void validate();
  void saveBest();
  void checkpoint(const QJsonObject& position, const QJsonObject& rng);
  double gpuMemory();
  // Data parallel.
  void syncStart();
  int64_t sumTokens(int64_t local);
  void sumStepNumbers(double& loss, std::map<std::string, double>& components, bool& finite);
  void sumGradients();
};

void Trainer::State::setUp() {
  if (spec.maxSteps < 1)
    throw Error({}, QStringLiteral("train.max_steps"), QString::number(spec.maxSteps),
                QStringLiteral("must be at least 1"));
  if (spec.gradAccum < 1)
    throw Error({}, QStringLiteral("train.grad_accum"), QString::number(spec.gradAccum),
                QStringLiteral("must be at least 1"));
  schedule = {LrSchedule::parseKind(spec.scheduler), spec.lr, spec.warmupSteps, spec.maxSteps};
  device = task.device();
  autocast = autocastEnabled(spec.dtype, device);
  params = task.trainableParameters();
  if (params.empty()) throw Error(QStringLiteral("the job has no trainable parameters"));
  std::vector<bool> noDecay;
  for (const auto& [name, p] : params) noDecay.push_back(task.noWeightDecay(name));
  optimizer =
      std::make_unique<AdamW>(params, noDecay, AdamWOptions{spec.beta1, spec.beta2, spec.eps, spec.weightDecay});
  if (o.outputDir.isEmpty()) throw Error({}, QStringLiteral("output"), {}, QStringLiteral("no output folder given"));
  root = o.checkpointDir.isEmpty() ? o.outputDir + QStringLiteral("/checkpoints") : o.checkpointDir;
  if (!QDir().mkpath(o.outputDir)) throw Error(o.outputDir, {}, {}, QStringLiteral("cannot create the output folder"));
  if (!QDir().mkpath(root)) throw Error(root, {}, {}, QStringLiteral("cannot create the checkpoint folder"));
  // What a crash left half-written: ignored on the way in, removed here.
  if (const int n = removeTempCheckpoints(root))
    sink.message(QStringLiteral("Removed %1 incomplete checkpoint folder(s) in %2").arg(n).arg(root));
  QDir(o.outputDir + QStringLiteral("/.best-tmp")).removeRecursively();
}

bool Trainer::State::resume() {
  const QList<CheckpointEntry> all = listCheckpoints(root);
  if (all.isEmpty()) {
    sink.message(QStringLiteral("No checkpoint in %1: starting from step 0").arg(root));
    return false;
  }
  QStringList failures;
  for (const CheckpointEntry& e : all) {
    try {
      applyCheckpoint(readCheckpoint(e.dir));
      sink.message(QStringLiteral("Resumed from %1 at step %2").arg(e.dir).arg(step));
      sink.resumed(step);
      return true;
    } catch (const Error& err) {
      // A checkpoint that does not load (damaged disk, files edited) is skipped for the one before it.
      failures << err.message();
      sink.message(
          QStringLiteral("Checkpoint %1 cannot be loaded (%2); trying an older one").arg(e.dir, err.message()));
    }
  }
  throw Error(root, {}, {},
              QStringLiteral("no checkpoint could be loaded: %1").arg(failures.join(QStringLiteral("; "))));
}

void Trainer::State::applyCheckpoint(const LoadedCheckpoint& c) {
  const QString statePath = c.dir + QStringLiteral("/state.json");
  const QJsonObject& st = c.state;
  // Validate and load everything that can fail before touching the task's parameters and the data position.
  loadParameters(params, c.trainable, c.dir + QStringLiteral("/trainable.safetensors"));
  optimizer->loadState(c.optimizer, c.dir + QStringLiteral("/optimizer.safetensors"));
  restoreRngState(st.value(QStringLiteral("rng")).toObject(), statePath);
  train.restore(st.value(QStringLiteral("position")).toObject());
  task.restoreExtraState(st.value(QStringLiteral("extra")).toObject());
  step = c.step;
  microBatches = st.value(QStringLiteral("micro_batches")).toInteger();
  tokensSeen = st.value(QStringLiteral("tokens_seen")).toInteger();
  wallBefore = st.value(QStringLiteral("wall_time")).toDouble();
  const QJsonValue best = st.value(QStringLiteral("best_val_loss"));
  bestVal = best.isDouble() ? best.toDouble() : kNaN;
  bestStep = st.value(QStringLiteral("best_step")).toInteger(-1);
  evalsAbove = st.value(QStringLiteral("evals_above_best")).toInteger();
  badInRow = st.value(QStringLiteral("bad_steps_in_row")).toInteger();
  badTotal = st.value(QStringLiteral("bad_steps")).toInteger();
  lastSavedStep = step;
  lastCheckpoint = c.dir;
  const int64_t savedTotal =
      st.value(QStringLiteral("lr_schedule")).toObject().value(QStringLiteral("total_steps")).toInteger();
  if (savedTotal != spec.maxSteps)
    sink.message(QStringLiteral("train.max_steps changed from %1 to %2 since the checkpoint: the learning-rate "
                                "schedule follows the new value")
                     .arg(savedTotal)
                     .arg(spec.maxSteps));
}

bool Trainer::State::waitWhilePaused() {
  if (control.pause.load() && !control.cancel.load()) {
    QElapsedTimer paused;
    paused.start();
    while (control.pause.load() && !control.cancel.load()) QThread::msleep(50);
    pausedSeconds += double(paused.nsecsElapsed()) / 1e9;
  }
  return !control.cancel.load();
}

double Trainer::State::clipGradients() {
  // torch.nn.utils.clip_grad_norm_: the L2 norm of all gradients' L2 norms, then one scale when above the max.
  std::vector<at::Tensor> grads;
  for (const auto& [name, p] : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0.0;
  torch::NoGradGuard noGrad;
  // The per-tensor norms are combined in float64, so the clip factor does not depend on float32 rounding of the
  // total (gradient accumulation in float64 then matches one big batch to the last bits).
  std::vector<at::Tensor> norms;
  for (const at::Tensor& g : grads) norms.push_back(g.detach().norm().to(grads.front().device(), torch::kFloat64));
  const at::Tensor total = torch::stack(norms).norm();
  const double norm = total.item<double>();
  if (spec.maxGradNorm > 0 && std::isfinite(norm)) {
    const double coef = spec.maxGradNorm / (norm + 1e-6);
    if (coef < 1.0) at::_foreach_mul_(grads, coef);
  }
  return norm;
}

bool Trainer::State::trainStep() {
  const double lr = schedule.lr(step);
  // Draw the step's micro-batches first: each micro-batch's loss is a mean over its own tokens, and weighting it
  // by its share of the step's tokens makes the accumulated gradient that of one batch of all of them.
  std::vector<Batch> batches;
  batches.reserve(size_t(spec.gradAccum));
  std::vector<int64_t> tokens;
  int64_t stepTokens = 0;
  for (int64_t i = 0; i < spec.gradAccum; ++i) {
    batches.push_back(train.next());
    tokens.push_back(countedTokens(batches.back()));
    stepTokens += tokens.back();
  }
  // Data parallel: each rank weights its micro-batches by their share of the tokens of the whole global step, so
  // the summed gradient is that of one process with all ranks' rows (the losses are token means).
  if (parallel()) stepTokens = sumTokens(stepTokens);

  double loss = 0;
  std::map<std::string, double> components;
  bool finite = true;
  optimizer->zeroGrad();
  for (size_t i = 0; i < batches.size(); ++i) {
    // Data parallel: a step is never abandoned half-way (the other ranks wait in its sums); cancel is agreed on
    // in sumStepNumbers and takes effect after the step.
    if (!parallel() && control.cancel.load()) {
      optimizer->zeroGrad();
      return false;
    }
    if (parallel() && tokens[i] == 0) continue;  // an empty share of the epoch's short last batch adds nothing
    const double w = stepTokens > 0 ? double(tokens[i]) / double(stepTokens) : 1.0 / double(batches.size());
    LossParts parts;
    {
      AutocastGuard guard(autocast);
      parts = task.loss(batches[i], step, spec.maxSteps);
    }
    TORCH_CHECK(parts.total.defined() && parts.total.numel() == 1, "TrainTask::loss must return a scalar total");
    const double value = parts.total.item<double>();
    loss += w * value;
    for (const auto& [name, c] : parts.components) components[name] += w * c;
    if (!std::isfinite(value)) {
      finite = false;  // no backward through a NaN; the rest of the step's batches are skipped with it
      break;
    }
    (parts.total * w).backward();
  }

  if (parallel()) {
    sumStepNumbers(loss, components, finite);
    if (finite) sumGradients();  // before clipping: the norm is that of the global batch's gradient
  }
  double norm = kNaN;
  if (finite) {
    norm = clipGradients();
    finite = std::isfinite(norm);
  }
  bool skipped = false;
  if (finite) {
    optimizer->step(lr);
    badInRow = 0;
  } else {
    skipped = true;
    ++badInRow;
    ++badTotal;
    const QString what =
        std::isfinite(loss) ? QStringLiteral("gradient norm is %1").arg(norm) : QStringLiteral("loss is %1").arg(loss);
    if (badInRow >= std::max<int64_t>(1, spec.maxBadSteps))
      failure = QStringLiteral(
                    "Training diverged: the %1 at step %2, %3 bad step(s) in a row (train.max_bad_steps %4). "
                    "Try a lower train.lr or check the data.")
                    .arg(what)
                    .arg(step + 1)
                    .arg(badInRow)
                    .arg(spec.maxBadSteps);
    else
      sink.message(QStringLiteral("Step %1 skipped: the %2 (%3 in a row, %4 in all)")
                       .arg(step + 1)
                       .arg(what)
                       .arg(badInRow)
                       .arg(badTotal));
  }
  optimizer->zeroGrad();
  ++step;
  microBatches += spec.gradAccum;
  tokensSeen += stepTokens;
  sessionTokens += stepTokens;
  lastLoss = loss;
  if (spec.logEvery <= 1 || step % spec.logEvery == 0 || step == spec.maxSteps || skipped)
    logStep(loss, components, lr, norm, skipped);
  return true;
}

// ---------------------------------------------------------------------------------------------- data parallel

void Trainer::State::syncStart() {
  // Every rank resumed (or not) on its own; they must stand at the same step, then hold rank 0's weights exactly
  // (a fresh model is built from the same seed on every rank, but the broadcast makes sure).
  at::Tensor rootStepTensor = torch::tensor({step}, torch::TensorOptions().dtype(torch::kLong)).to(device);
  o.collective->broadcast(rootStepTensor, 0);
  const int64_t rootStep = rootStepTensor.item<int64_t>();
  if (rootStep != step)
    throw Error(root, QStringLiteral("step"), QString::number(step),
                QStringLiteral("rank %1 resumed at another step than rank 0 (%2): every rank must see the same "
                               "checkpoints folder")
                    .arg(o.collective->rank())
                    .arg(rootStep));
  torch::NoGradGuard noGrad;
  std::vector<at::Tensor> flat;
  for (const auto& [name, p] : params) flat.push_back(p.detach().reshape({-1}).to(torch::kFloat64));
  if (flat.empty()) return;
  at::Tensor all = torch::cat(flat);
  o.collective->broadcast(all, 0);
  int64_t offset = 0;
  for (const auto& [name, p] : params) {
    const int64_t n = p.numel();
    p.detach().copy_(all.narrow(0, offset, n).view(p.sizes()));
    offset += n;
  }
}

int64_t Trainer::State::sumTokens(int64_t local) {
  at::Tensor t = torch::tensor({local}, torch::TensorOptions().dtype(torch::kLong)).to(device);
  o.collective->allReduceSum(t);
  return t.item<int64_t>();
}

void Trainer::State::sumStepNumbers(double& loss, std::map<std::string, double>& components, bool& finite) {
  // One sum for the step's loss, its components, the finite flag and the cancel request: every rank then skips,
  // stops or logs alike. Components go in name order into fixed slots (a rank with an empty share has none).
  constexpr size_t kSlots = 8;
  TORCH_CHECK(components.size() <= kSlots, "data-parallel training logs at most ", kSlots, " loss components, got ",
              components.size());
  std::vector<double> v(3 + kSlots, 0.0);
  v[0] = loss;
  v[1] = finite ? 0 : 1;
  v[2] = control.cancel.load() ? 1 : 0;
  size_t slot = 3;
  for (const auto& [name, c] : components) v[slot++] = c;
  at::Tensor t = torch::tensor(v, torch::TensorOptions().dtype(torch::kFloat64)).to(device);
  o.collective->allReduceSum(t);
  const at::Tensor h = t.cpu();
  const double* r = h.data_ptr<double>();
  loss = r[0];
  finite = r[1] < 0.5 && std::isfinite(loss);  // r[1]: ranks whose loss was not finite
  if (r[2] > 0) stopAgreed = true;
  slot = 3;
  for (auto& [name, c] : components) c = r[slot++];
}

void Trainer::State::sumGradients() {
  // All gradients in one flat buffer, so the step costs one all-reduce, not one per tensor. A parameter without a
  // gradient on every rank stays without one (AdamW leaves it alone, as in one process): the buffer's tail says
  // which ranks had one. Summed in float32 (float64 when a parameter is), whatever the parameters' dtype.
  torch::NoGradGuard noGrad;
  torch::ScalarType dtype = torch::kFloat32;
  for (const auto& [name, p] : params)
    if (p.scalar_type() == torch::kFloat64) dtype = torch::kFloat64;
  std::vector<at::Tensor> parts;
  std::vector<double> present;
  for (const auto& [name, p] : params) {
    const at::Tensor g = p.grad();
    parts.push_back(g.defined() ? g.detach().reshape({-1}).to(dtype)
                                : torch::zeros({p.numel()}, torch::TensorOptions().dtype(dtype).device(device)));
    present.push_back(g.defined() ? 1.0 : 0.0);
  }
  if (parts.empty()) return;
  parts.push_back(torch::tensor(present, torch::TensorOptions().dtype(dtype)).to(device));
  at::Tensor all = torch::cat(parts);
  o.collective->allReduceSum(all);
  const at::Tensor flags =
      all.narrow(0, all.numel() - int64_t(params.size()), int64_t(params.size())).to(torch::kCPU, torch::kFloat64);
  const double* has = flags.data_ptr<double>();
  int64_t offset = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor p = params[i].second;
    const int64_t n = p.numel();
    if (has[i] > 0) {
      const at::Tensor summed = all.narrow(0, offset, n).view(p.sizes()).to(p.scalar_type());
      if (p.grad().defined())
        p.mutable_grad().copy_(summed);
      else
        p.mutable_grad() = summed.clone();
    }
    offset += n;
  }
}

double Trainer::State::gpuMemory() {
  if (!device.is_cuda()) return -1;
  // NVML's device-wide figure, polled at most twice a second.
  if (gpuMemClock.isValid() && gpuMemClock.elapsed() < 500) return gpuMem;
  gpuMemClock.start();
  const int index = device.has_index() ? device.index() : 0;
  const QList<GpuInfo> gpus = nvmlGpus();
  gpuMem = index < gpus.size() ? double(gpus[index].memoryUsed) : -1;
  return gpuMem;
}

void Trainer::State::logStep(double loss, const std::map<std::string, double>& components, double lr, double norm,
                             bool skipped) {
  StepMetrics m;
  m.step = step;
  m.totalSteps = spec.maxSteps;
  m.loss = loss;
  m.components = components;
  m.lr = lr;
  m.gradNorm = norm;
  const double active = activeSeconds();
  m.tokensPerSecond = active > 0 ? double(sessionTokens) / active : 0;
  m.gpuMemoryBytes = gpuMemory();
  const int64_t done = step - sessionStartStep;
  m.etaSeconds = done > 0 ? active / double(done) * double(spec.maxSteps - step) : -1;
  const int64_t perEpoch = train.batchesPerEpoch();
  m.epoch = perEpoch > 0 ? double(microBatches) / double(perEpoch) : 0;
  m.wallTime = wall();
  m.tokensSeen = tokensSeen;
  m.badSteps = badTotal;
  m.skipped = skipped;
  sink.stepMetrics(m);
}

void Trainer::State::validate() {
  ValidationMetrics v;
  v.step = step;
  double weightSum = 0, sum = 0;
  std::map<std::string, double> comps;
  for (const Batch& b : validation->all()) {
    torch::NoGradGuard noGrad;
    AutocastGuard guard(autocast);
    const LossParts parts = task.evaluate(b);
    const int64_t n = parts.tokens > 0 ? parts.tokens : countedTokens(b);
    const double w = n > 0 ? double(n) : 1.0;
    sum += w * parts.total.item<double>();
    for (const auto& [name, c] : parts.components) comps[name] += w * c;
    weightSum += w;
    v.tokens += n;
  }
  if (weightSum == 0) return;  // an empty validation set: nothing to report
  v.loss = sum / weightSum;
  for (auto& [name, c] : comps) v.components[name] = c / weightSum;
  v.wallTime = wall();
  if (std::isnan(bestVal) || v.loss < bestVal) {
    bestVal = v.loss;
    bestStep = step;
    evalsAbove = 0;
    v.best = true;
  } else if (v.loss > bestVal * (1.0 + spec.earlyStopThreshold)) {
    ++evalsAbove;
    if (spec.patience > 0 && evalsAbove >= spec.patience) earlyStop = true;
  } else {
    evalsAbove = 0;
  }
  sink.validationMetrics(v);
  if (v.best) saveBest();
  if (earlyStop)
    sink.message(QStringLiteral("Early stop at step %1: validation loss %2 above the best %3 (step %4) by more than "
                                "%5% for %6 evaluations in a row")
                     .arg(step)
                     .arg(v.loss)
                     .arg(bestVal)
                     .arg(bestStep)
                     .arg(spec.earlyStopThreshold * 100)
                     .arg(evalsAbove));
}

void Trainer::State::saveBest() {
  if (!writer()) return;
  const QString tmp = o.outputDir + QStringLiteral("/.best-tmp");
  try {
    QDir(tmp).removeRecursively();
    if (!QDir().mkpath(tmp)) throw Error(tmp, {}, {}, QStringLiteral("cannot be created"));
    task.saveArtifacts(tmp);
    swapFolder(tmp, o.outputDir + QStringLiteral("/best"));
  } catch (const std::exception& e) {
    QDir(tmp).removeRecursively();
    if (o.failOnCheckpointError) throw;
    sink.message(QStringLiteral("The best model at step %1 could not be saved: %2").arg(step).arg(errorText(e)));
  }
}

void Trainer::State::checkpoint(const QJsonObject& position, const QJsonObject& rng) {
  if (!writer()) {
    // Data parallel: rank 0 writes the checkpoint every rank resumes from.
    lastSavedStep = step;
    return;
  }
  CheckpointContent c;
  for (const auto& [name, p] : params) c.trainable.emplace_back(name, p.detach());
  c.optimizer = optimizer->state();
  QJsonObject& st = c.state;
  st[QStringLiteral("position")] = position;
  st[QStringLiteral("rng")] = rng;
  st[QStringLiteral("micro_batches")] = qint64(microBatches);
  st[QStringLiteral("tokens_seen")] = qint64(tokensSeen);
  st[QStringLiteral("wall_time")] = wall();
  st[QStringLiteral("best_val_loss")] = number(bestVal);
  st[QStringLiteral("best_step")] = qint64(bestStep);
  st[QStringLiteral("evals_above_best")] = qint64(evalsAbove);
  st[QStringLiteral("bad_steps_in_row")] = qint64(badInRow);
  st[QStringLiteral("bad_steps")] = qint64(badTotal);
  st[QStringLiteral("extra")] = task.extraState();
  // The schedule is a function of the step; these say which one, for a reader and the resume check.
  st[QStringLiteral("lr_schedule")] = QJsonObject{{QStringLiteral("kind"), spec.scheduler},
                                                  {QStringLiteral("peak_lr"), spec.lr},
                                                  {QStringLiteral("warmup_steps"), qint64(spec.warmupSteps)},
                                                  {QStringLiteral("total_steps"), qint64(spec.maxSteps)},
                                                  {QStringLiteral("next_lr"), schedule.lr(step)}};
  try {
    const QString dir = writeCheckpoint(root, step, c, o.beforeCheckpointCommit);
    lastSavedStep = step;
    lastCheckpoint = dir;
    pruneCheckpoints(root, std::max(1, o.keepCheckpoints), bestStep);
    sink.checkpointWritten(step, dir);
  } catch (const std::exception& e) {
    // The temp folder is gone and the previous checkpoint untouched (writeCheckpoint's contract).
    if (o.failOnCheckpointError) throw;
    sink.message(QStringLiteral("Checkpoint at step %1 failed, training goes on; the last good checkpoint is %2: %3")
                     .arg(step)
                     .arg(lastCheckpoint.isEmpty() ? QStringLiteral("none") : lastCheckpoint, errorText(e)));
  }
}

// ---------------------------------------------------------------------------------------------- Trainer

Trainer::Trainer(TrainTask& task, BatchSource& train, BatchSource* validation, const TrainerOptions& options)
    : task_(task), train_(train), validation_(validation), options_(options) {}

Trainer::~Trainer() = default;

TrainResult Trainer::run(TrainControl& control, MetricsSink& sink) {
  State s(*this, control, sink);
  s.clock.start();
  TrainStatus status = TrainStatus::Finished;
  QString error;
  try {
    s.setUp();
    const bool resumed = options_.resume && s.resume();
    if (!resumed) {
      torch::manual_seed(options_.train.seed);  // CPU and, when present, CUDA generators
      sink.resumed(0);
    }
    if (s.parallel()) s.syncStart();
    s.sessionStartStep = s.step;
    bool abandoned = false;  // cancelled inside a step: the data position and RNG are those before it
    while (s.step < options_.train.maxSteps) {
      if (!s.parallel() && !s.waitWhilePaused()) {
        status = TrainStatus::Cancelled;
        break;
      }
      s.positionAtStepStart = s.train.position();
      s.rngAtStepStart = saveRngState(s.device);
      if (!s.trainStep()) {
        status = TrainStatus::Cancelled;
        abandoned = true;
        break;
      }
      if (!s.failure.isEmpty()) break;
      if (control.progress && !control.progress(s.step, options_.train.maxSteps)) control.cancel = true;
      const bool last = s.step == options_.train.maxSteps;
      const int64_t evalEvery = options_.train.evalEvery;
      if (s.validation && evalEvery > 0 && (s.step % evalEvery == 0 || last)) s.validate();
      if (options_.train.saveEvery > 0 && s.step % options_.train.saveEvery == 0 && !last)
        s.checkpoint(s.train.position(), saveRngState(s.device));
      if (s.earlyStop) {
        status = TrainStatus::EarlyStopped;
        break;
      }
      if (s.cancelled()) {
        status = TrainStatus::Cancelled;
        break;
      }
    }
    if (!s.failure.isEmpty()) {
      status = TrainStatus::Failed;
      error = s.failure;
    } else {
      // The last state is always checkpointed (also with save_every 0), so a cancelled or finished job resumes.
      if (s.step > 0 && s.lastSavedStep != s.step)
        s.checkpoint(abandoned ? s.positionAtStepStart : s.train.position(),
                     abandoned ? s.rngAtStepStart : saveRngState(s.device));
      if (status != TrainStatus::Cancelled && options_.saveFinal && s.writer())
        s.task.saveArtifacts(options_.outputDir);
    }
  } catch (const std::exception& e) {
    status = TrainStatus::Failed;
    error = isOutOfMemory(e) ? outOfMemoryMessage(options_.device, s.step + 1, options_.train.batchSize,
                                                  options_.train.seqLen, options_.train.gradAccum)
                             : errorText(e);
    if (s.optimizer) s.optimizer->zeroGrad();  // give the memory back: the process and other jobs go on
  } catch (...) {
    status = TrainStatus::Failed;
    error = QStringLiteral("unknown exception in the training loop");
  }
  if (status == TrainStatus::Failed) sink.message(error);
  try {
    sink.finished();
  } catch (const std::exception& e) {
    if (status != TrainStatus::Failed) {
      status = TrainStatus::Failed;
      error = QStringLiteral("metrics could not be written: %1").arg(errorText(e));
    }
  }

  TrainResult r;
  r.status = status;
  r.error = error;
  r.steps = s.step;
  r.bestValLoss = s.bestVal;
  if (s.bestStep >= 0 && QFileInfo::exists(options_.outputDir + QStringLiteral("/best")))
    r.bestCheckpoint = options_.outputDir + QStringLiteral("/best");
  r.lastLoss = s.lastLoss;
  r.lastCheckpoint = s.lastCheckpoint;
  return r;
}

}  // namespace distillery
