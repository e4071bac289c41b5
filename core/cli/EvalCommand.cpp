// distillery-cli eval JOB.json [--workspace PATH]: runs an evaluation job (kind eval) headless in this process, or
// builds one from options: eval --model [LABEL=]DIR [--model ...] --data FILE [--tasks ...] ...
//
// Progress goes to stderr ("eval: 42% (17/40)  tok/s 120  ETA 0:12", rewritten in place, at most every 0.5 s;
// nothing with --json). With --workspace the job is registered in the workspace (jobs row with the job JSON,
// evaluations and eval_samples rows) as for a job the GUI runs; without it only the output folder is written
// (results.json, samples.jsonl, state.json). Ctrl-C cancels: the run stops after the current sample or batch and
// keeps what it finished. With --json prints {"status", "output", "job"?, "models": {label: metrics}, "error"?};
// without it a models × metrics table, then status and output.
// --fail-on-regression (with --workspace): every model is then checked against its task's baseline
// (EvalBaselineCommands.cpp, `eval baseline set`); each regression is printed on stderr naming task, metric,
// baseline and value, and the exit code is 3.
// Exit codes: 0 finished, 1 failed, 2 wrong usage, 3 regression, 130 cancelled.
// `eval baseline|check|compare ...` are subcommands (EvalBaselineCommands.cpp).
#include "checkpoint/JsonFile.h"
#include "cli/CliContext.h"
#include "cli/DataCli.h"
#include "cli/EvalCli.h"
#include "cli/Interrupt.h"
#include "common/Error.h"
#include "data/DataSchema.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/RunJob.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>

#include <cmath>

namespace distillery::cli {

namespace {

constexpr int kCancelled = 130;  // 128 + SIGINT, as `train` exits

QString minutes(double seconds) {
  if (!(seconds >= 0)) return QStringLiteral("?");
  const qint64 s = qint64(std::llround(seconds));
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// The job's progress and messages on stderr, quiet with --json.
class EvalProgressLine : public MetricsSink {
 public:
  explicit EvalProgressLine(Context& ctx) : ctx_(ctx) { timer_.start(); }
  void stepMetrics(const StepMetrics& m) override {
    if (ctx_.json) return;
    const bool end = m.totalSteps > 0 && m.step >= m.totalSteps;
    if (end ? endShown_ : last_ >= 0 && timer_.elapsed() - last_ < 500) return;
    endShown_ = end;
    last_ = timer_.elapsed();
    ctx_.err << QStringLiteral("eval: %1% (%2/%3)  tok/s %4  ETA %5")
                    .arg(m.totalSteps > 0 ? qRound(100.0 * double(m.step) / double(m.totalSteps)) : 0)
                    .arg(m.step)
                    .arg(m.totalSteps)
                    .arg(m.tokensPerSecond, 0, 'f', 0)
                    .arg(minutes(m.etaSeconds))
             << (end ? "\n" : "\r");
    open_ = !end;
    ctx_.err.flush();
  }
  void message(const QString& text) override {
    if (ctx_.json) return;
    if (open_) ctx_.err << '\n';
    open_ = false;
    ctx_.err << text << Qt::endl;
  }
  void finished() override {
    if (open_) ctx_.err << Qt::endl;
    open_ = false;
  }

 private:
  Context& ctx_;
  QElapsedTimer timer_;
  qint64 last_ = -1;
  bool open_ = false;      // a \r line is on screen without its newline
  bool endShown_ = false;  // the 100% line is printed once
};

// "LABEL=VALUE" (or "VALUE", labelled by its folder name) as {label, value}.
std::pair<QString, QString> labelled(const QString& text, const QString& option) {
  const qsizetype eq = text.indexOf(QLatin1Char('='));
  const QString label = eq > 0 ? text.left(eq) : QFileInfo(QDir::cleanPath(text)).fileName();
  const QString value = eq > 0 ? text.mid(eq + 1) : text;
  if (label.isEmpty() || value.isEmpty())
    throw UsageError(QString(), option, text, QStringLiteral("must be [LABEL=]DIR"));
  return {label, QFileInfo(value).absoluteFilePath()};
}

QJsonArray listOption(const QCommandLineParser& p, const QString& name) {
  QJsonArray out;
  for (const QString& part : p.value(name).split(QLatin1Char(','), Qt::SkipEmptyParts)) out.append(part.trimmed());
  return out;
}

// The quick form's options as a job JSON object (checked by JobSpec like a file).
QJsonObject quickJob(const QCommandLineParser& p) {
  QJsonArray models;
  QStringList labels;
  for (const QString& m : p.values(QStringLiteral("model"))) {
    const auto [label, dir] = labelled(m, QStringLiteral("--model"));
    models.append(QJsonObject{{"label", label}, {"path", dir}});
    labels << label;
  }
  for (const QString& a : p.values(QStringLiteral("adapter"))) {
    const auto [label, dir] = labelled(a, QStringLiteral("--adapter"));
    const qsizetype i = labels.indexOf(label);
    if (i < 0)
      throw UsageError(QString(), QStringLiteral("--adapter"), a,
                       QStringLiteral("names no --model label (labels: %1)").arg(labels.join(QStringLiteral(", "))));
    QJsonObject m = models[i].toObject();
    m.insert("adapter", dir);
    models[i] = m;
  }
  QJsonObject data{{"test", QFileInfo(p.value(QStringLiteral("data"))).absoluteFilePath()}};
  if (p.isSet(QStringLiteral("format"))) data.insert("format", p.value(QStringLiteral("format")));
  if (p.isSet(QStringLiteral("map"))) {
    QJsonObject fields;
    const FieldMap map = parseFieldMap(p.value(QStringLiteral("map")), QStringLiteral("--map"));
    for (auto it = map.begin(); it != map.end(); ++it) fields.insert(it.key(), it.value());
    data.insert("fields", fields);
  }
  QJsonObject eval;
  if (p.isSet(QStringLiteral("tasks"))) eval.insert("tasks", listOption(p, QStringLiteral("tasks")));
  if (p.isSet(QStringLiteral("metrics"))) eval.insert("metrics", listOption(p, QStringLiteral("metrics")));
  for (const auto& [option, key] : {std::pair{"max-samples", "max_samples"},
                                    {"max-new-tokens", "max_new_tokens"},
                                    {"seq-len", "seq_len"},
                                    {"stride", "stride"}})
    if (p.isSet(QLatin1String(option)))
      eval.insert(QLatin1String(key), double(wholeNumberOption(p, QLatin1String(option), 0, 0)));
  if (p.isSet(QStringLiteral("baseline"))) eval.insert("baseline", p.value(QStringLiteral("baseline")));
  if (p.isSet(QStringLiteral("max-accuracy-drop")))
    eval.insert("max_accuracy_drop", numberOption(p, QStringLiteral("max-accuracy-drop"), 0.02, 0, 1));
  if (p.isSet(QStringLiteral("dtype"))) eval.insert("dtype", p.value(QStringLiteral("dtype")));
  QString output = p.value(QStringLiteral("output"));
  if (output.isEmpty()) {
    QTemporaryDir dir(QDir::temp().filePath(QStringLiteral("distillery-eval-XXXXXX")));
    dir.setAutoRemove(false);  // the results are the product: kept, and named in the output
    if (!dir.isValid()) throw Error(QDir::tempPath(), QString(), QString(), QStringLiteral("cannot create a folder"));
    output = dir.path();
  }
  return {{"kind", "eval"},
          {"models", models},
          {"data", data},
          {"eval", eval},
          {"device", p.value(QStringLiteral("device"))},
          {"output", QFileInfo(output).absoluteFilePath()}};
}

// The aggregate numbers of each model as a table for people (fidelity and paths stay in the JSON).
void printTable(Context& ctx, const QJsonObject& models, const QJsonArray& order) {
  static const QStringList columns = {
      "perplexity", "next_token_accuracy", "mc_accuracy",  "exact_match", "token_f1", "bleu", "chrf",
      "rougeL",     "first_token_ms",      "ms_per_token", "tokens_per_s"};
  QStringList shown;
  for (const QString& c : columns)
    for (const QJsonValue& label : order)
      if (models.value(label.toString()).toObject().value(c).isDouble() && !shown.contains(c)) shown << c;
  int width = 5;
  for (const QJsonValue& label : order) width = std::max(width, int(label.toString().size()));
  QString header = QStringLiteral("model").leftJustified(width);
  for (const QString& c : shown) header += QStringLiteral("  ") + c;
  ctx.out << header << '\n';
  for (const QJsonValue& label : order) {
    const QJsonObject m = models.value(label.toString()).toObject();
    QString line = label.toString().leftJustified(width);
    for (const QString& c : shown) {
      const QJsonValue v = m.value(c);
      line +=
          QStringLiteral("  ") +
          (v.isDouble() ? QString::number(v.toDouble(), 'f', 4) : QStringLiteral("-")).rightJustified(int(c.size()));
    }
    const QJsonObject f = m.value(QStringLiteral("fidelity")).toObject();
    if (f.contains(QStringLiteral("pass")))
      line += QStringLiteral("  vs %1: %2")
                  .arg(f.value(QStringLiteral("baseline")).toString(),
                       f.value(QStringLiteral("pass")).toBool() ? QStringLiteral("pass") : QStringLiteral("FAIL"));
    ctx.out << line << '\n';
  }
  ctx.out.flush();
}

int evalMain(Context& ctx) {
  if (isEvalSubcommand(ctx.args.value(1))) return evalSubcommand(ctx);
  const QString usage = QStringLiteral(
      "distillery-cli eval JOB.json [--workspace PATH] [--fail-on-regression [--threshold 0.05]\n"
      "         [--latency-budget-ms X] [--task T]]\n"
      "       distillery-cli eval baseline|check|compare ...   (eval SUBCOMMAND --help)\n"
      "       distillery-cli eval --model [LABEL=]DIR [--model ...] [--adapter LABEL=DIR] --data FILE [--format F]\n"
      "         [--map SPEC] [--tasks T,...] [--metrics M,...] [--max-samples N] [--max-new-tokens N] [--seq-len N]\n"
      "         [--stride N] [--baseline LABEL] [--max-accuracy-drop X] [--device D] [--dtype auto|float32|bfloat16]\n"
      "         [--output DIR] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("workspace"), QStringLiteral("Register the job and its results in this workspace."),
               QStringLiteral("PATH")});
  p.addOption({QStringLiteral("model"),
               QStringLiteral("A model folder to evaluate, labelled LABEL (default: the folder name); repeatable."),
               QStringLiteral("[LABEL=]DIR")});
  p.addOption({QStringLiteral("adapter"), QStringLiteral("A PEFT LoRA adapter for the model labelled LABEL."),
               QStringLiteral("LABEL=DIR")});
  p.addOption(
      {QStringLiteral("data"), QStringLiteral("The dataset to evaluate on (data.test)."), QStringLiteral("FILE")});
  p.addOption({QStringLiteral("format"),
               QStringLiteral("text, alpaca, sharegpt, messages or prompt_completion (default text)."),
               QStringLiteral("F")});
  p.addOption({QStringLiteral("map"), QStringLiteral("Field map, e.g. prompt=question,completion=answer."),
               QStringLiteral("SPEC")});
  p.addOption({QStringLiteral("tasks"),
               QStringLiteral("perplexity, next_token_accuracy, multiple_choice, generation (comma-separated)."),
               QStringLiteral("T,...")});
  p.addOption({QStringLiteral("metrics"),
               QStringLiteral("Generation scores: exact_match, token_f1, bleu, chrf, rouge (default all)."),
               QStringLiteral("M,...")});
  p.addOption(
      {QStringLiteral("max-samples"), QStringLiteral("Evaluate the first N rows only (0: all)."), QStringLiteral("N")});
  p.addOption(
      {QStringLiteral("max-new-tokens"), QStringLiteral("New tokens per answer (default 128)."), QStringLiteral("N")});
  p.addOption(
      {QStringLiteral("seq-len"), QStringLiteral("Perplexity window in tokens (default 512)."), QStringLiteral("N")});
  p.addOption(
      {QStringLiteral("stride"), QStringLiteral("Perplexity window step (default seq-len / 2)."), QStringLiteral("N")});
  p.addOption({QStringLiteral("baseline"),
               QStringLiteral("Label of the reference model: the others get KL divergence and accuracy drop."),
               QStringLiteral("LABEL")});
  p.addOption({QStringLiteral("max-accuracy-drop"),
               QStringLiteral("Pass rule: accuracy may fall at most this much vs the baseline (default 0.02)."),
               QStringLiteral("X")});
  p.addOption({QStringLiteral("device"), QStringLiteral("cpu (default), cuda or cuda:N."), QStringLiteral("D"),
               QStringLiteral("cpu")});
  p.addOption({QStringLiteral("dtype"), QStringLiteral("auto (default), float32 or bfloat16."), QStringLiteral("T")});
  p.addOption({QStringLiteral("output"),
               QStringLiteral("Folder for results.json and samples.jsonl (default: a new folder under the temp dir)."),
               QStringLiteral("DIR")});
  p.addOption({QStringLiteral("fail-on-regression"),
               QStringLiteral("After the run, compare each model with its task's baseline; exit 3 on a regression "
                              "(needs --workspace).")});
  addRegressionOptions(p);
  p.addPositionalArgument(QStringLiteral("JOB.json"), QStringLiteral("An evaluation job (kind eval)."), "[JOB.json]");
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const bool failOnRegression = p.isSet(QStringLiteral("fail-on-regression"));
  if (failOnRegression && !p.isSet(QStringLiteral("workspace")))
    throw UsageError(QString(), QStringLiteral("--fail-on-regression"), QString(),
                     QStringLiteral("needs --workspace: the baselines are stored there"));
  regressionRule(p);  // bad --threshold / --latency-budget-ms are refused before the run

  JobSpec spec;
  QJsonObject config;
  if (p.positionalArguments().size() == 1) {
    for (const char* o : {"model", "adapter", "data", "format", "map", "tasks", "metrics", "max-samples",
                          "max-new-tokens", "seq-len", "stride", "baseline", "max-accuracy-drop", "dtype", "output"})
      if (p.isSet(QLatin1String(o)))
        throw UsageError(QString(), QStringLiteral("--") + QLatin1String(o), p.value(QLatin1String(o)),
                         QStringLiteral("is for the form without a job file; set it in the job JSON"));
    const QString path = p.positionalArguments().first();
    spec = JobSpec::fromFile(path);
    config = readJsonObject(path);
  } else if (p.positionalArguments().isEmpty() && p.isSet(QStringLiteral("model"))) {
    if (!p.isSet(QStringLiteral("data"))) throw UsageError(QStringLiteral("--data FILE is missing\nusage: ") + usage);
    config = quickJob(p);
    spec = JobSpec::fromJson(config, QStringLiteral("command line"));
  } else {
    throw UsageError(QStringLiteral("expected one JOB.json, or --model and --data\nusage: ") + usage);
  }
  if (spec.kind != JobKind::Eval)
    throw UsageError(QString(), QStringLiteral("kind"), jobKindName(spec.kind),
                     QStringLiteral("is a training job: run it with distillery-cli train"));

  const QDateTime started = QDateTime::currentDateTimeUtc().addSecs(-1);  // results.json older than this is stale
  TrainControl control;
  const SigintCancels interrupt(control.cancel);
  EvalProgressLine progress(ctx);
  QString status, error;
  int code = 1;
  qint64 jobId = 0;
  if (p.isSet(QStringLiteral("workspace"))) {
    const Workspace ws = Workspace::open(p.value(QStringLiteral("workspace")));
    jobId = JobStore(ws.store()).create(spec, config);
    const JobOutcome out = executeJob(ws.store(), jobId, spec, false, control, &progress, defaultJobFunction());
    status = jobStatusName(out.status);
    error = out.error;
    code = out.status == JobStatus::Succeeded ? 0 : out.status == JobStatus::Cancelled ? kCancelled : 1;
  } else {
    JobContext jc;
    jc.control = &control;
    jc.extraSink = &progress;
    const TrainResult r = runJob(spec, jc);
    status = trainStatusName(r.status);
    error = r.error;
    code = r.status == TrainStatus::Finished ? 0 : r.status == TrainStatus::Cancelled ? kCancelled : 1;
  }
  progress.finished();

  QJsonObject summary{{"status", status}, {"output", spec.output}};
  if (failOnRegression && code == 0)
    code = checkJobRegressions(ctx, Workspace::open(p.value(QStringLiteral("workspace"))).store(), jobId, p, &summary);
  if (jobId) summary.insert("job", jobId);
  const QString resultsPath = QDir(spec.output).filePath(QStringLiteral("results.json"));
  if (QFileInfo(resultsPath).isFile() && QFileInfo(resultsPath).lastModified().toUTC() >= started) {
    const QJsonObject results = readJsonObject(resultsPath);
    if (ctx.json)
      summary.insert("models", results.value(QStringLiteral("models")));
    else
      printTable(ctx, results.value(QStringLiteral("models")).toObject(),
                 results.value(QStringLiteral("models_order")).toArray());
  }
  if (!error.isEmpty()) summary.insert("error", error);
  ctx.print(summary);
  if (code == 1 && !error.isEmpty()) ctx.err << "distillery-cli: " << error << Qt::endl;
  return code;
}

}  // namespace

Command evalCommand() {
  return {QStringLiteral("eval"),
          QStringLiteral("JOB.json: evaluate several models on a dataset (perplexity, accuracy, generation scores, "
                         "latency)"),
          evalMain};
}

}  // namespace distillery::cli
