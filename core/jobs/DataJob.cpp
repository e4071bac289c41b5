#include "jobs/DataJob.h"

#include "data/DataOp.h"
#include "jobs/TaskSupport.h"
#include "jobs/ToolJob.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QJsonArray>

namespace distillery {

QString dataJobOutput(const JobSpec& spec) {
  if (!spec.dataOp.output.isEmpty()) return spec.dataOp.output;
  if (spec.dataOp.op == QLatin1String("split")) return spec.output;
  return QDir(spec.output).filePath(spec.dataOp.op + QStringLiteral(".jsonl"));
}

TrainResult runDataJob(const JobSpec& spec, JobContext& ctx) {
  return runToolJob(spec, ctx, [&](ToolProgress& progress) {
    DataOpRequest r;
    r.settings = spec.dataOp;
    r.settings.output = dataJobOutput(spec);
    r.teacher = spec.teacher;
    const bool generate = spec.dataOp.op == QLatin1String("generate");
    if (generate) r.device = jobDevice(spec);
    r.store = ctx.store;
    r.fieldName = [](const QString& key) {
      QString field = key;
      if (key != QLatin1String("teacher")) field.prepend(QStringLiteral("data_op."));
      return field;
    };
    r.cancel = progress.cancel;
    if (generate) {
      r.progress = progress.report;
    } else {
      // split reads the input twice (cluster, then write): the second pass continues after the first. Each pass
      // reports its end (done == total), so a report after that one belongs to the second pass.
      const bool twoPasses = spec.dataOp.op == QLatin1String("split");
      r.readProgress = [&progress, twoPasses, pass = 0, ended = false](int64_t done, int64_t total) mutable {
        if (!twoPasses) return progress.report(done, total);
        if (ended) pass = 1;
        ended = done >= total;
        return progress.report(int64_t(pass) * total + done, 2 * total);
      };
    }
    const DataOpResult result = runDataOp(r);
    ToolOutcome outcome;
    outcome.cancelled = !result.complete;
    QJsonArray ids;
    for (qint64 id : result.datasetIds) ids.append(id);
    outcome.state = {{QStringLiteral("op"), spec.dataOp.op},
                     {QStringLiteral("outputs"), QJsonArray::fromStringList(result.outputs)},
                     {QStringLiteral("rows"), qint64(result.rows)},
                     {QStringLiteral("bad_rows"), qint64(result.badRows)},
                     {QStringLiteral("dataset_ids"), ids},
                     {QStringLiteral("report"), result.summary}};
    if (result.badRows)
      progress.message(QStringLiteral("skipped %1 bad row(s) of %2").arg(result.badRows).arg(spec.dataOp.input));
    if (result.complete)
      progress.message(QStringLiteral("%1: %2 rows written to %3")
                           .arg(spec.dataOp.op)
                           .arg(result.rows)
                           .arg(result.outputs.join(QStringLiteral(", "))));
    return outcome;
  });
}

}  // namespace distillery
