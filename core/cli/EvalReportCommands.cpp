#include "cli/EvalReportCli.h"

#include "cli/DataCli.h"
#include "common/Error.h"
#include "eval/EvalStore.h"
#include "eval/RobustnessReport.h"
#include "eval/Slices.h"
#include "store/Workspace.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>

#include <cmath>

namespace distillery::cli {

namespace {

struct JobEvaluations {
  qint64 jobId = 0;
  Workspace workspace;
  QList<EvaluationRow> rows;  // the models asked for
};

// JOB_ID, --workspace and --model of both subcommands; Error when the job has no (such) evaluations.
JobEvaluations openJob(const QCommandLineParser& p, const QString& usage) {
  const QString idText = positionals(p, 1, usage).at(0);
  bool ok = false;
  const qint64 jobId = idText.toLongLong(&ok);
  if (!ok || jobId <= 0)
    throw UsageError({}, QStringLiteral("JOB_ID"), idText,
                     QStringLiteral("must be a job id (a positive whole number)"));
  JobEvaluations j{jobId, Workspace::open(p.value(QStringLiteral("workspace"))), {}};
  const QList<EvaluationRow> all = EvalStore(j.workspace.store()).evaluations(jobId);
  if (all.isEmpty())
    throw Error(j.workspace.store().path(), QStringLiteral("job"), idText,
                QStringLiteral("has no evaluation results (not an eval job, or it has not run)"));
  const QString model = p.value(QStringLiteral("model"));
  QStringList labels;
  for (const EvaluationRow& e : all) {
    labels << e.modelLabel;
    if (model.isEmpty() || e.modelLabel == model) j.rows.append(e);
  }
  if (j.rows.isEmpty())
    throw UsageError({}, QStringLiteral("--model"), model,
                     QStringLiteral("is not a model of job %1 (models: %2)").arg(jobId).arg(labels.join(", ")));
  return j;
}

void addJobOptions(QCommandLineParser& p) {
  p.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("The evaluation job (distillery-cli jobs list)."));
  p.addOption(workspaceOption());
  p.addOption({QStringLiteral("model"), QStringLiteral("Only this model label (default: every model of the job)."),
               QStringLiteral("LABEL")});
}

QString number(double v, int decimals = 4) { return QString::number(v, 'f', decimals); }

void printSlices(Context& ctx, const QString& label, const SliceReport& r) {
  ctx.out << label << ": " << r.field << " (" << r.samples << " samples, " << r.slices.size() << " slices)\n";
  int width = 9;
  for (const Slice& s : r.slices) width = std::max(width, int(s.value.size()));
  QString header =
      QStringLiteral("slice").leftJustified(width) + QStringLiteral("  ") + QStringLiteral("n").rightJustified(5);
  for (const QString& m : r.metrics) header += QStringLiteral("  ") + m.rightJustified(std::max(16, int(m.size())));
  ctx.out << header << '\n';
  QString overall = QStringLiteral("(overall)").leftJustified(width) + QStringLiteral("  ") +
                    QString::number(r.samples).rightJustified(5);
  for (const QString& m : r.metrics)
    overall += QStringLiteral("  ") + number(r.overall.value(m)).rightJustified(std::max(16, int(m.size())));
  ctx.out << overall << '\n';
  for (int i = 0; i < int(r.slices.size()); ++i) {
    const Slice& s = r.slices[size_t(i)];
    QString line = s.value.leftJustified(width) + QStringLiteral("  ") + QString::number(s.count).rightJustified(5);
    for (const QString& m : r.metrics) {
      QString cell = QStringLiteral("-");
      if (s.metrics.contains(m)) {
        const double gap = s.gaps.value(m);
        cell = QStringLiteral("%1 (%2%3)").arg(number(s.metrics.value(m)), gap >= 0 ? "+" : "", number(gap));
        if (r.largestGap.value(m, -1) == i) cell += QLatin1Char('*');
      }
      line += QStringLiteral("  ") + cell.rightJustified(std::max(16, int(m.size())));
    }
    if (s.small) line += QStringLiteral("  small (< %1)").arg(r.minSize);
    ctx.out << line << '\n';
  }
  ctx.out << "* largest gap of the metric (among slices of at least " << r.minSize << " samples)\n";
}

}  // namespace

int scoreSlices(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli score slices JOB_ID --by FIELD [--min-size N] [--model LABEL] [--workspace PATH] [--json]");
  QCommandLineParser p;
  addJobOptions(p);
  p.addOption({QStringLiteral("by"), QStringLiteral("The row field to break the results down by (group, domain, ...)."),
               QStringLiteral("FIELD")});
  p.addOption({QStringLiteral("min-size"), QStringLiteral("Slices with fewer samples are flagged small (default 10)."),
               QStringLiteral("N"), QStringLiteral("10")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString field = p.value(QStringLiteral("by"));
  if (field.isEmpty()) throw UsageError(QStringLiteral("--by is required\nusage: ") + usage);
  const int64_t minSize = wholeNumberOption(p, QStringLiteral("min-size"), 10, 1);
  const JobEvaluations j = openJob(p, usage);
  const EvalStore evals(j.workspace.store());
  QJsonObject models;
  QJsonArray order;
  for (const EvaluationRow& e : j.rows) {
    const SliceOptions o{minSize, QStringLiteral("job %1, model %2").arg(j.jobId).arg(e.modelLabel),
                         QStringLiteral("--by")};
    const SliceReport r = computeSlices(evals.samples(e.id), field, o);
    if (ctx.json) {
      models.insert(e.modelLabel, r.toJson());
      order.append(e.modelLabel);
    } else {
      printSlices(ctx, e.modelLabel, r);
    }
  }
  if (ctx.json) ctx.print({{"job", j.jobId}, {"field", field}, {"models", models}, {"models_order", order}});
  ctx.out.flush();
  return 0;
}

int scoreRobustness(Context& ctx) {
  const QString usage =
      QStringLiteral("distillery-cli score robustness JOB_ID [--model LABEL] [--workspace PATH] [--json]");
  QCommandLineParser p;
  addJobOptions(p);
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const JobEvaluations j = openJob(p, usage);
  QJsonObject models;
  QJsonArray order;
  bool any = false;
  for (const EvaluationRow& e : j.rows) {
    const QJsonArray list = e.metrics.value(QStringLiteral("robustness")).toArray();
    any = any || !list.isEmpty();
    models.insert(e.modelLabel, list);
    order.append(e.modelLabel);
  }
  if (any && !ctx.json) {
    const auto line = [&](const QStringList& cells) {
      static const int widths[] = {-12, -20, -19, 7, 9, 8, 9};
      QStringList padded;
      for (int i = 0; i < cells.size(); ++i)
        padded << (widths[i] < 0 ? cells[i].leftJustified(-widths[i]) : cells[i].rightJustified(widths[i]));
      ctx.out << padded.join(QStringLiteral("  ")) << '\n';
    };
    line({"model", "perturbation", "metric", "clean", "perturbed", "change", "relative"});
    for (const RobustnessRow& r : robustnessRows(j.rows))
      line({r.model, r.perturbation, r.metric, number(r.clean), number(r.perturbed), number(r.change),
            std::isfinite(r.relative) ? number(100 * r.relative, 1) + QLatin1Char('%') : QStringLiteral("-")});
  }
  if (!any)
    throw Error(j.workspace.store().path(), QStringLiteral("job"), QString::number(j.jobId),
                QStringLiteral("has no robustness results (its eval.perturbations was empty)"));
  if (ctx.json) ctx.print({{"job", j.jobId}, {"models", models}, {"models_order", order}});
  ctx.out.flush();
  return 0;
}

}  // namespace distillery::cli
