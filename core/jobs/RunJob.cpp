#include "jobs/RunJob.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "data/TrainingData.h"
#include "jobs/DataJob.h"
#include "jobs/DistillTask.h"
#include "jobs/EvalJob.h"
#include "jobs/FullFtTask.h"
#include "jobs/LoraTask.h"
#include "jobs/QuantizeJob.h"
#include "jobs/TaskSupport.h"
#include "kd/Preflight.h"
#include "store/Store.h"
#include "tokenizer/Tokenizer.h"
#include "train/JsonlMetricsSink.h"
#include "train/StoreMetricsSink.h"

#include <torch/torch.h>

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

#include <cmath>
#include <memory>
#include <optional>

namespace distillery {

namespace {

std::unique_ptr<TrainTask> makeTask(const JobSpec& spec) {
  switch (spec.kind) {
    case JobKind::Lora:
      return std::make_unique<LoraTask>(spec);
    case JobKind::FullFt:
      return std::make_unique<FullFtTask>(spec);
    case JobKind::Distill:
      return std::make_unique<DistillTask>(spec);
    case JobKind::Sweep:
    case JobKind::Eval:
    case JobKind::Quantize:
    case JobKind::Data:
      break;
  }
  throw Error(QString(), QStringLiteral("kind"), jobKindName(spec.kind),
              spec.kind == JobKind::Sweep ? QStringLiteral("is run by the job runner as its trials, not by runJob")
                                          : QStringLiteral("trains nothing: runJob hands it to its own runner"));
}

QJsonValue numberOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }
QJsonValue textOrNull(const QString& s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); }

}  // namespace

QJsonObject jobStateJson(const JobSpec& spec, const TrainResult& r) {
  return {{"status", trainStatusName(r.status)},
          {"error", r.error},
          {"steps", qint64(r.steps)},
          {"total_steps", qint64(spec.train.maxSteps)},
          {"best_val_loss", numberOrNull(r.bestValLoss)},
          {"best_checkpoint", textOrNull(r.bestCheckpoint)},
          {"last_loss", numberOrNull(r.lastLoss)},
          {"last_checkpoint", textOrNull(r.lastCheckpoint)},
          {"kind", jobKindName(spec.kind)},
          {"name", spec.name},
          {"finished_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
}

TrainResult runJob(const JobSpec& spec, JobContext& ctx) {
  if (spec.kind == JobKind::Eval) return runEvalJob(spec, ctx);
  if (spec.kind == JobKind::Quantize) return runQuantizeJob(spec, ctx);
  if (spec.kind == JobKind::Data) return runDataJob(spec, ctx);
  TrainResult result;
  TrainControl ownControl;
  TrainControl& control = ctx.control ? *ctx.control : ownControl;
  try {
    if (spec.kind == JobKind::Sweep) makeTask(spec);  // throws the explanation
    if (!QDir().mkpath(spec.output))
      throw Error(spec.output, QStringLiteral("output"), QString(), QStringLiteral("cannot be created"));
    const QString metricsPath = QDir(spec.output).filePath(QStringLiteral("metrics.jsonl"));
    // A fresh run into a used folder starts a fresh log; a resumed one keeps it (the sink trims later steps).
    if (!ctx.resume) QFile::remove(metricsPath);

    // Data first: a bad line fails the job before any model is loaded.
    const torch::Device device = jobDevice(spec);
    const Tokenizer tokenizer = Tokenizer::fromDirectory(spec.student);
    const ExampleRenderer renderer(tokenizer, spec.student, spec.data.format, spec.data.responsesOnly);
    TrainingDataOptions o;
    o.seqLen = spec.train.seqLen;
    o.batchSize = spec.train.batchSize;
    o.seed = spec.train.seed;
    o.device = device;
    o.packing = spec.data.packing;
    o.bucketing = spec.data.bucketing;
    o.truncation = parseTruncation(spec.data.truncation, QStringLiteral("data.truncation"));
    o.fields = spec.data.fields;
    TrainingData train(spec.data.train, renderer, o);
    std::optional<TrainingData> validation;
    if (!spec.data.validation.isEmpty()) {
      TrainingDataOptions v = o;
      v.shuffle = false;
      validation.emplace(spec.data.validation, renderer, v);
    }

    // Distillation: every teacher must share the student's tokenizer before any model is loaded (logit KD over
    // different vocabularies compares unrelated tokens). A padded vocabulary is fine: KD runs on the shared ids.
    QStringList preflightNotes;
    if (spec.kind == JobKind::Distill) {
      QStringList teachers{spec.teacher};
      for (const TeacherSpec& t : spec.kd.extraTeachers) teachers << t.path;
      for (const QString& teacher : teachers) {
        const PreflightReport p = preflight(teacher, spec.student, QString::fromStdString(device.str()),
                                            {spec.train.batchSize, spec.train.seqLen});
        if (p.verdict == KdVerdict::Refused)
          throw Error(teacher, QStringLiteral("teacher"), QString(),
                      QStringLiteral("cannot teach %1 by logit KD: %2%3")
                          .arg(spec.student, p.reason,
                               p.offerSequenceKd ? QStringLiteral(" Use sequence-level KD instead: have the teacher "
                                                                  "answer the prompts and fine-tune the student on "
                                                                  "those answers (kind lora or full_ft).")
                                                 : QString()));
        if (p.verdict == KdVerdict::SharedIds || !p.warnings.isEmpty())
          preflightNotes
              << QStringLiteral("preflight %1: %2 %3").arg(teacher, p.reason, p.warnings.join(QLatin1Char(' ')));
      }
    }

    torch::manual_seed(spec.train.seed);
    const std::unique_ptr<TrainTask> task = makeTask(spec);

    JsonlMetricsSink jsonl(metricsPath);
    std::unique_ptr<StoreMetricsSink> store;
    if (ctx.store) store = std::make_unique<StoreMetricsSink>(*ctx.store, ctx.jobId);
    MultiMetricsSink sink({&jsonl, store.get(), ctx.extraSink});
    for (const QString& note : preflightNotes) sink.message(note);
    if (train.truncated() > 0)
      sink.message(QStringLiteral("%1 training examples are longer than seq_len %2 (truncation %3)")
                       .arg(train.truncated())
                       .arg(spec.train.seqLen)
                       .arg(spec.data.truncation));
    if (train.skipped() > 0)
      sink.message(QStringLiteral("%1 training examples left out: nothing to train on within seq_len %2%3")
                       .arg(train.skipped())
                       .arg(spec.train.seqLen)
                       .arg(spec.data.truncation == QLatin1String("drop") ? QStringLiteral(", or longer than it")
                                                                          : QString()));
    const QJsonObject dataStats = train.stats();
    sink.message(QStringLiteral("training data: %1 examples in %2 rows (%3), %4 batches per epoch, padding waste %5%")
                     .arg(dataStats.value("examples").toInteger())
                     .arg(dataStats.value("rows").toInteger())
                     .arg(dataStats.value("mode").toString())
                     .arg(dataStats.value("batches_per_epoch").toInteger())
                     .arg(dataStats.value("padding_waste_pct").toDouble(), 0, 'f', 1));

    TrainerOptions options = TrainerOptions::fromJob(spec);
    options.resume = ctx.resume;
    Trainer trainer(*task, train, validation ? &*validation : nullptr, options);
    result = trainer.run(control, sink);
  } catch (const std::exception& e) {
    result.status = TrainStatus::Failed;
    result.error = QString::fromUtf8(e.what());
  } catch (...) {
    result.status = TrainStatus::Failed;
    result.error = QStringLiteral("unknown error");
  }
  try {
    if (QDir(spec.output).exists())
      writeFileAtomically(QDir(spec.output).filePath(QStringLiteral("state.json")),
                          QJsonDocument(jobStateJson(spec, result)).toJson());
  } catch (const std::exception& e) {
    if (result.error.isEmpty()) result.error = QString::fromUtf8(e.what());
  }
  return result;
}

}  // namespace distillery
