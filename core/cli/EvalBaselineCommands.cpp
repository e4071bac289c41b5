// distillery-cli eval baseline set|show|list|remove, eval check, eval compare: regression baselines and A/B tests on
// stored evaluation jobs.
//
//   eval baseline set JOB_ID [--task T] [--model LABEL]   the job's model's metrics become task T's baseline
//   eval baseline show [TASK] / list / remove TASK
//   eval check JOB_ID [--task T] [--threshold 0.05] [--latency-budget-ms X]   exit 3 when a model regressed
//   eval compare JOB_ID A B --metric M [--lower-is-better]   Bayesian and sign-test comparison of per-sample scores
#include "cli/DataCli.h"
#include "cli/EvalCli.h"
#include "common/Error.h"
#include "eval/AbSources.h"
#include "eval/BaselineStore.h"
#include "eval/EvalStore.h"
#include "jobs/JobStore.h"
#include "store/Workspace.h"

#include <QtCore/QJsonArray>

namespace distillery::cli {

namespace {

qint64 jobIdArgument(const QString& text) {
  bool ok = false;
  const qint64 id = text.toLongLong(&ok);
  if (!ok || id < 1)
    throw UsageError({}, QStringLiteral("JOB_ID"), text,
                     QStringLiteral("must be a job id (a whole number ≥ 1; `distillery-cli jobs list` shows them)"));
  return id;
}

QString taskOf(const QCommandLineParser& p, const Store& store, qint64 jobId) {
  if (p.isSet(QStringLiteral("task"))) return p.value(QStringLiteral("task"));
  return defaultEvalTask(JobStore(store).job(jobId).config, jobId);
}

int baselineSet(Context& ctx) {
  const QString usage =
      QStringLiteral("distillery-cli eval baseline set JOB_ID [--task T] [--model LABEL] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  p.addOption({QStringLiteral("task"),
               QStringLiteral("Task name (default: the evaluated dataset's file name without extension)."),
               QStringLiteral("T")});
  p.addOption({QStringLiteral("model"), QStringLiteral("The model's label in the job (needed when it has several)."),
               QStringLiteral("LABEL")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 1, usage);
  const qint64 jobId = jobIdArgument(args[0]);
  const Workspace ws = Workspace::open(p.value(QStringLiteral("workspace")));
  const Baseline b = BaselineStore(ws.store()).setFromJob(taskOf(p, ws.store(), jobId), jobId,
                                                          p.value(QStringLiteral("model")));
  ctx.print(b.toJson());
  return 0;
}

int baselineShow(Context& ctx, bool list) {
  const QString usage = list ? QStringLiteral("distillery-cli eval baseline list [--workspace PATH]")
                             : QStringLiteral("distillery-cli eval baseline show TASK [--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, list ? 0 : 1, usage);
  const BaselineStore baselines(Workspace::open(p.value(QStringLiteral("workspace"))).store());
  if (!list) {
    const std::optional<Baseline> b = baselines.find(args[0]);
    if (!b) throw Error({}, QStringLiteral("task"), args[0], QStringLiteral("has no baseline"));
    ctx.print(b->toJson());
    return 0;
  }
  QJsonArray all;
  for (const Baseline& b : baselines.list()) all.append(b.toJson());
  ctx.print({{QStringLiteral("baselines"), all}});
  return 0;
}

int baselineRemove(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli eval baseline remove TASK [--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 1, usage);
  if (!BaselineStore(Workspace::open(p.value(QStringLiteral("workspace"))).store()).remove(args[0]))
    throw Error({}, QStringLiteral("task"), args[0], QStringLiteral("has no baseline"));
  ctx.print({{QStringLiteral("removed"), args[0]}});
  return 0;
}

const Subcommand kBaselineSubcommands[] = {
    {"set", "a job's evaluation becomes its task's baseline", baselineSet},
    {"show", "one task's baseline", [](Context& c) { return baselineShow(c, false); }},
    {"list", "every task's baseline", [](Context& c) { return baselineShow(c, true); }},
    {"remove", "forget a task's baseline", baselineRemove},
};

int baseline(Context& ctx) {
  return runSubcommand(ctx, kBaselineSubcommands,
                       QStringLiteral("distillery-cli eval baseline set|show|list|remove [ARGS...]"));
}

int check(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli eval check JOB_ID [--task T] [--threshold 0.05] [--latency-budget-ms X] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  addRegressionOptions(p);
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 1, usage);
  const qint64 jobId = jobIdArgument(args[0]);
  regressionRule(p);  // a bad value is refused before the workspace is opened
  const Workspace ws = Workspace::open(p.value(QStringLiteral("workspace")));
  QJsonObject summary{{QStringLiteral("job"), jobId}};
  const int code = checkJobRegressions(ctx, ws.store(), jobId, p, &summary);
  ctx.print(summary);
  return code;
}

int compare(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli eval compare JOB_ID A B --metric M [--lower-is-better] [--bootstrap N] [--seed S] "
      "[--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  p.addOption({QStringLiteral("metric"), QStringLiteral("The per-sample score compared (e.g. exact_match, token_f1)."),
               QStringLiteral("M")});
  p.addOption({QStringLiteral("lower-is-better"), QStringLiteral("A lower score wins (perplexity, latency).")});
  p.addOption({QStringLiteral("bootstrap"), QStringLiteral("Bootstrap resamples (default 10000)."), QStringLiteral("N")});
  p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the bootstrap (default 1)."), QStringLiteral("S")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 3, usage);
  const qint64 jobId = jobIdArgument(args[0]);
  if (!p.isSet(QStringLiteral("metric"))) throw UsageError(QStringLiteral("--metric M is missing\nusage: ") + usage);
  AbOptions o;
  o.bootstrapRounds = int(wholeNumberOption(p, QStringLiteral("bootstrap"), 10000, 0, 1000000));
  o.seed = uint64_t(wholeNumberOption(p, QStringLiteral("seed"), 1, 0));
  const Workspace ws = Workspace::open(p.value(QStringLiteral("workspace")));
  const AbCounts counts = evaluationPairCounts(EvalStore(ws.store()), jobId, args[1], args[2],
                                               p.value(QStringLiteral("metric")), p.isSet(QStringLiteral("lower-is-better")));
  QJsonObject out = compareAB(counts, o).toJson(args[1], args[2]);
  out.insert(QStringLiteral("job"), jobId);
  out.insert(QStringLiteral("metric"), p.value(QStringLiteral("metric")));
  ctx.print(out);
  return 0;
}

const Subcommand kSubcommands[] = {
    {"baseline", "set, show, list or remove a task's regression baseline", baseline},
    {"check", "compare a stored evaluation job with its task's baseline (exit 3 on a regression)", check},
    {"compare", "Bayesian and sign-test A/B of two models' per-sample scores in a job", compare},
};

}  // namespace

bool isEvalSubcommand(const QString& word) {
  for (const Subcommand& s : kSubcommands)
    if (word == QLatin1String(s.name)) return true;
  return false;
}

int evalSubcommand(Context& ctx) {
  return runSubcommand(ctx, kSubcommands, QStringLiteral("distillery-cli eval baseline|check|compare [ARGS...]"));
}

void addRegressionOptions(QCommandLineParser& p) {
  p.addOption({QStringLiteral("threshold"),
               QStringLiteral("Relative drop below the baseline that counts as a regression (default 0.05 = 5%)."),
               QStringLiteral("X")});
  p.addOption({QStringLiteral("latency-budget-ms"),
               QStringLiteral("Flag a model whose p99 first-token latency exceeds this many ms (default: unchecked)."),
               QStringLiteral("MS")});
  p.addOption({QStringLiteral("task"),
               QStringLiteral("Baseline task (default: the evaluated dataset's file name without extension)."),
               QStringLiteral("T")});
}

RegressionRule regressionRule(const QCommandLineParser& p) {
  RegressionRule r;
  r.threshold = numberOption(p, QStringLiteral("threshold"), 0.05, 0, 0.999999);
  if (p.isSet(QStringLiteral("latency-budget-ms")))
    r.latencyBudgetMs = numberOption(p, QStringLiteral("latency-budget-ms"), 0, 1e-9, 1e12);
  return r;
}

int checkJobRegressions(Context& ctx, const Store& store, qint64 jobId, const QCommandLineParser& p,
                        QJsonObject* summary) {
  const RegressionRule rule = regressionRule(p);
  const QString task = taskOf(p, store, jobId);
  const std::optional<Baseline> base = BaselineStore(store).find(task);
  if (!base)
    throw Error({}, QStringLiteral("task"), task,
                QStringLiteral("has no baseline: set one with `distillery-cli eval baseline set JOB_ID --task %1`")
                    .arg(task));
  QJsonArray found;
  for (const EvaluationRow& e : EvalStore(store).evaluations(jobId))
    for (const RegressionFinding& f : findRegressions(task, e.modelLabel, base->metrics, e.metrics, rule)) {
      ctx.err << "regression: " << f.message() << Qt::endl;
      found.append(f.toJson());
    }
  if (summary) {
    summary->insert(QStringLiteral("task"), task);
    summary->insert(QStringLiteral("baseline_job"), base->jobId);
    summary->insert(QStringLiteral("baseline_model"), base->modelLabel);
    summary->insert(QStringLiteral("regressions"), found);
  }
  return found.isEmpty() ? 0 : kRegression;
}

}  // namespace distillery::cli
