// distillery-cli study compare ID A B [--bootstrap N] [--seed S] [--workspace PATH]: is B better than A in a pairwise
// study? Prints compareAB's JSON (BayesAB.h): B's wins, losses and ties against A, the Beta posterior's P(B better)
// and credible interval, the exact sign test, a bootstrap interval and a plain-language verdict. Model names are
// those `study results` shows ("model 1", ... until the study is revealed).
#include "cli/DataCli.h"
#include "common/Error.h"
#include "eval/AbSources.h"
#include "store/Workspace.h"

namespace distillery::cli {

int studyCompare(Context& ctx) {
  const QString usage =
      QStringLiteral("distillery-cli study compare ID A B [--bootstrap N] [--seed S] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  p.addOption({QStringLiteral("bootstrap"), QStringLiteral("Bootstrap resamples (default 10000)."), QStringLiteral("N")});
  p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the bootstrap (default 1)."), QStringLiteral("S")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList args = positionals(p, 3, usage);
  bool ok = false;
  const qint64 id = args[0].toLongLong(&ok);
  if (!ok || id < 1)
    throw UsageError({}, QStringLiteral("ID"), args[0],
                     QStringLiteral("must be a study id (a whole number ≥ 1; `distillery-cli study list` shows them)"));
  AbOptions o;
  o.bootstrapRounds = int(wholeNumberOption(p, QStringLiteral("bootstrap"), 10000, 0, 1000000));
  o.seed = uint64_t(wholeNumberOption(p, QStringLiteral("seed"), 1, 0));
  const StudyStore studies(Workspace::open(p.value(QStringLiteral("workspace"))).store());
  const StudyResults results = studyResults(studies, id, {.bootstrapRounds = 0});
  if (results.study.kind != StudyKind::Pairwise)
    throw Error({}, QStringLiteral("study"), args[0], QStringLiteral("is a rubric study; compare needs a pairwise one"));
  QJsonObject out = compareAB(studyPairCounts(results, args[1], args[2]), o).toJson(args[1], args[2]);
  out.insert(QStringLiteral("study"), id);
  ctx.print(out);
  return 0;
}

}  // namespace distillery::cli
