// `distillery-cli eval ...`: what the run (EvalCommand.cpp) and the baseline/check/compare subcommands
// (EvalBaselineCommands.cpp) share: the regression options and the check of a stored job against its baseline.
#pragma once
#include "cli/CliContext.h"
#include "eval/Regression.h"
#include "store/Store.h"

namespace distillery::cli {

constexpr int kRegression = 3;  // exit code of a run or check that found a regression

// eval baseline|check|compare, dispatched by ctx.args[1].
int evalSubcommand(Context& ctx);
bool isEvalSubcommand(const QString& word);

// --threshold, --latency-budget-ms and --task, added to p.
void addRegressionOptions(QCommandLineParser& p);
// The rule from those options; UsageError naming a bad value.
RegressionRule regressionRule(const QCommandLineParser& p);

// Checks every evaluation of job jobId against the baseline of task (--task, default: defaultEvalTask of the
// job); prints each finding on stderr (and a {"regressions": [...]} object with --json when printResult).
// Returns kRegression when any, 0 otherwise; throws Error when the task has no baseline.
int checkJobRegressions(Context& ctx, const Store& store, qint64 jobId, const QCommandLineParser& p,
                        QJsonObject* summary);

}  // namespace distillery::cli
