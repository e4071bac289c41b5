// distillery-cli study create|list|show|rate|reveal|results|compare|export|import [--workspace PATH]: human-evaluation
// studies in a workspace (core/store/StudyStore.h). Every subcommand prints JSON with --json.
#include "cli/DataCli.h"
#include "common/Error.h"
#include "eval/StudyResults.h"
#include "store/StudyExchange.h"
#include "store/StudySources.h"
#include "store/Workspace.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <optional>

namespace distillery::cli {

int studyCompare(Context& ctx);  // StudyCompareCommand.cpp

namespace {

const QString kUsage = QStringLiteral(
    "distillery-cli study create|list|show|rate|reveal|results|compare|export|import [ARGS...] [--workspace PATH]   "
    "(study SUBCOMMAND --help)");

// Parses the subcommand's options plus --workspace and the given positionals; false when --help was printed.
bool parse(QCommandLineParser& p, Context& ctx, const QString& usage, const QStringList& positionalNames) {
  p.addOption(workspaceOption());
  for (const QString& name : positionalNames) p.addPositionalArgument(name, name);
  if (!parseOrThrow(p, ctx, usage)) return false;
  positionals(p, int(positionalNames.size()), usage);
  return true;
}

StudyStore studiesOf(const QCommandLineParser& p) {
  return StudyStore(Workspace::open(p.value(QStringLiteral("workspace"))).store());
}

qint64 studyId(const QCommandLineParser& p) {
  bool ok = false;
  const QString text = p.positionalArguments().first();
  const qint64 id = text.toLongLong(&ok);
  if (!ok || id < 1)
    throw UsageError({}, QStringLiteral("ID"), text,
                     QStringLiteral("must be a study id (a whole number ≥ 1; `distillery-cli study list` shows them)"));
  return id;
}

QJsonArray progressJson(const std::vector<RaterProgress>& progress) {
  QJsonArray a;
  for (const RaterProgress& r : progress)
    a.append(QJsonObject{{QStringLiteral("rater"), r.rater}, {QStringLiteral("rated"), r.rated},
                         {QStringLiteral("total"), r.total}});
  return a;
}

QJsonObject raterItemJson(const RaterItem& it) {
  QJsonObject o{{QStringLiteral("item_id"), it.itemId}, {QStringLiteral("index"), it.index},
                {QStringLiteral("total"), it.total}, {QStringLiteral("prompt"), it.prompt}};
  if (!it.output.isNull()) o.insert(QStringLiteral("output"), it.output);
  if (!it.left.isNull()) {
    o.insert(QStringLiteral("left"), it.left);
    o.insert(QStringLiteral("right"), it.right);
  }
  return o;
}

int create(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli study create --name NAME --kind rubric|pairwise (--from FILE.jsonl | --evaluations ID,ID... | --job ID) "
      "[--criteria relevance=0.4,accuracy=0.3,readability=0.3] [--scale 0-3] [--models A,B] [--samples N] "
      "[--seed S] [--shuffle-per-rater] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("name"), QStringLiteral("Study name."), QStringLiteral("NAME")});
  p.addOption({QStringLiteral("kind"), QStringLiteral("rubric (score each output) or pairwise (blind A/B)."),
               QStringLiteral("KIND"), QStringLiteral("rubric")});
  p.addOption({QStringLiteral("from"), QStringLiteral("JSONL of {\"prompt\", \"outputs\": {\"model\": \"text\"}}."),
               QStringLiteral("FILE")});
  p.addOption({QStringLiteral("evaluations"), QStringLiteral("Stored evaluation ids, one per model."),
               QStringLiteral("IDS")});
  p.addOption({QStringLiteral("job"), QStringLiteral("The evaluations of this eval job (one per model)."),
               QStringLiteral("ID")});
  p.addOption({QStringLiteral("criteria"),
               QStringLiteral("Rubric criteria and weights (normalised to sum 1; default "
                              "relevance=0.4,accuracy=0.3,readability=0.3)."),
               QStringLiteral("SPEC")});
  p.addOption({QStringLiteral("scale"), QStringLiteral("Score range MIN-MAX (default 0-3)."), QStringLiteral("RANGE"),
               QStringLiteral("0-3")});
  p.addOption({QStringLiteral("models"), QStringLiteral("Only these models (comma-separated)."), QStringLiteral("LIST")});
  p.addOption({QStringLiteral("samples"), QStringLiteral("Evaluations: at most N samples, a seeded random choice."),
               QStringLiteral("N"), QStringLiteral("0")});
  p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of item order and sides (default: random, printed)."),
               QStringLiteral("S")});
  p.addOption({QStringLiteral("shuffle-per-rater"), QStringLiteral("Give each rater an own seeded item order.")});
  if (!parse(p, ctx, usage, {})) return 0;
  StudySpec spec;
  spec.name = p.value(QStringLiteral("name"));
  if (spec.name.trimmed().isEmpty()) throw UsageError(QStringLiteral("--name is required\nusage: ") + usage);
  spec.kind = parseStudyKind(p.value(QStringLiteral("kind")), QStringLiteral("--kind"));
  const QStringList scale = p.value(QStringLiteral("scale")).split(QLatin1Char('-'));
  bool okLo = false, okHi = false;
  const int lo = scale.value(0).toInt(&okLo), hi = scale.value(1).toInt(&okHi);
  if (scale.size() != 2 || !okLo || !okHi)
    throw UsageError({}, QStringLiteral("--scale"), p.value(QStringLiteral("scale")), QStringLiteral("must be MIN-MAX, e.g. 0-3"));
  spec.rubric = p.isSet(QStringLiteral("criteria"))
                    ? Rubric::fromSpec(p.value(QStringLiteral("criteria")), QStringLiteral("--criteria"), lo, hi)
                    : Rubric{Rubric::seed().criteria, lo, hi}.normalised(QStringLiteral("--scale"));
  if (p.isSet(QStringLiteral("seed"))) spec.seed = uint64_t(wholeNumberOption(p, QStringLiteral("seed"), 0, 0));
  spec.shufflePerRater = p.isSet(QStringLiteral("shuffle-per-rater"));
  ItemSourceOptions source;
  source.models = p.value(QStringLiteral("models")).split(QLatin1Char(','), Qt::SkipEmptyParts);
  source.maxSamples = int(wholeNumberOption(p, QStringLiteral("samples"), 0, 0, 1000000));
  source.seed = spec.seed.value_or(0);
  if (int(p.isSet(QStringLiteral("from"))) + int(p.isSet(QStringLiteral("evaluations"))) + int(p.isSet(QStringLiteral("job"))) != 1)
    throw UsageError(QStringLiteral("give exactly one of --from FILE.jsonl, --evaluations IDS and --job ID\nusage: ") + usage);
  const StudyStore studies = studiesOf(p);
  ItemSource items;
  if (p.isSet(QStringLiteral("from"))) {
    items = itemsFromJsonl(p.value(QStringLiteral("from")), spec.kind, source);
  } else if (p.isSet(QStringLiteral("job"))) {
    items = itemsFromEvaluations(
        studies.store(), evaluationsOfJob(studies.store(), wholeNumberOption(p, QStringLiteral("job"), 0, 1)), spec.kind,
        source);
  } else {
    std::vector<qint64> ids;
    for (const QString& t : p.value(QStringLiteral("evaluations")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      bool ok = false;
      ids.push_back(t.trimmed().toLongLong(&ok));
      if (!ok || ids.back() < 1)
        throw UsageError({}, QStringLiteral("--evaluations"), t, QStringLiteral("must be evaluation ids (whole numbers)"));
    }
    items = itemsFromEvaluations(studies.store(), ids, spec.kind, source);
  }
  spec.source = items.source;
  const qint64 id = studies.create(spec, items.items);
  QJsonObject out = studies.info(id).toJson();
  out.insert(QStringLiteral("prompts"), items.prompts);
  out.insert(QStringLiteral("skipped_prompts"), items.skippedPrompts);
  ctx.print(out);
  return 0;
}

int list(Context& ctx) {
  QCommandLineParser p;
  if (!parse(p, ctx, QStringLiteral("distillery-cli study list [--workspace PATH]"), {})) return 0;
  QJsonArray studies;
  for (const StudyInfo& s : studiesOf(p).list()) studies.append(s.toJson());
  ctx.print({{QStringLiteral("studies"), studies}});
  return 0;
}

int show(Context& ctx) {
  QCommandLineParser p;
  if (!parse(p, ctx, QStringLiteral("distillery-cli study show ID [--workspace PATH]"), {QStringLiteral("ID")})) return 0;
  const StudyStore studies = studiesOf(p);
  const qint64 id = studyId(p);
  QJsonObject out = studies.info(id).toJson();
  out.insert(QStringLiteral("progress"), progressJson(studies.progress(id)));
  ctx.print(out);
  return 0;
}

// Interactive rating: the rater's unrated items one by one from ctx.in. Rubric lines: the scores in criterion
// order ("2 3 1") then an optional comment; pairwise: l|left, r|right, t|tie, b|both_bad, then a comment. An empty
// line or "s" skips, "q" stops. Each rating is saved as it is entered.
int rateInteractively(Context& ctx, const StudyStore& studies, qint64 id, const QString& rater) {
  const StudyInfo s = studies.info(id);
  int rated = 0, skipped = 0;
  for (int index = studies.nextUnrated(id, rater); index >= 0; index = studies.nextUnrated(id, rater, index + 1)) {
    const RaterItem it = studies.raterItem(id, rater, index);
    if (ctx.json) {
      ctx.out << QJsonDocument(raterItemJson(it)).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
      ctx.out << "\n[" << index + 1 << "/" << it.total << "] " << it.prompt << "\n";
      if (s.kind == StudyKind::Rubric)
        ctx.out << "--- output ---\n" << it.output << "\n> scores (" << s.rubric.names().join(QLatin1Char(' '))
                << ", " << s.rubric.minScore << "-" << s.rubric.maxScore << ") [comment], s skip, q quit: ";
      else
        ctx.out << "--- left ---\n" << it.left << "\n--- right ---\n" << it.right
                << "\n> l(eft) r(ight) t(ie) b(oth bad) [comment], s skip, q quit: ";
      ctx.out.flush();
    }
    if (ctx.in.atEnd()) break;
    const QString line = ctx.in.readLine().trimmed();
    if (line == QLatin1String("q")) break;
    if (line.isEmpty() || line == QLatin1String("s")) {
      ++skipped;
      continue;
    }
    QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString where = QStringLiteral("item %1").arg(index + 1);
    RaterRating r;
    try {
      if (s.kind == StudyKind::Rubric) {
        const QStringList names = s.rubric.names();
        if (words.size() < names.size())
          throw FormatError(where, QStringLiteral("scores"), line, QStringLiteral("needs %1 scores").arg(names.size()));
        for (int c = 0; c < names.size(); ++c) r.scores.insert(names[c], Rubric::parseScore(words[c], where, names[c]));
        r.comment = words.mid(names.size()).join(QLatin1Char(' '));
      } else {
        static const QMap<QString, QString> shortcuts = {{QStringLiteral("l"), QStringLiteral("left")},
                                                         {QStringLiteral("r"), QStringLiteral("right")},
                                                         {QStringLiteral("t"), QStringLiteral("tie")},
                                                         {QStringLiteral("b"), QStringLiteral("both_bad")}};
        r.choice = parseScreenChoice(shortcuts.value(words[0], words[0]), where);
        r.comment = words.mid(1).join(QLatin1Char(' '));
      }
      studies.rate(it.itemId, rater, r);
      ++rated;
    } catch (const FormatError& e) {
      // A typo loses nothing: say what was wrong and offer the same item again.
      ctx.err << e.message() << Qt::endl;
      --index;
    }
  }
  const RaterProgress pr = studies.progress(id, rater);
  ctx.print({{QStringLiteral("rater"), rater}, {QStringLiteral("rated_now"), rated}, {QStringLiteral("skipped"), skipped},
             {QStringLiteral("rated"), pr.rated}, {QStringLiteral("total"), pr.total}});
  return 0;
}

int rate(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli study rate ID --rater NAME [--item POSITION (--scores c=N,... | --choice "
      "left|right|tie|both_bad) [--comment TEXT]] [--workspace PATH]   (no --item: rate interactively from stdin)");
  QCommandLineParser p;
  p.addOption({QStringLiteral("rater"), QStringLiteral("Who rates."), QStringLiteral("NAME")});
  p.addOption({QStringLiteral("item"), QStringLiteral("Item position (1..items) in the study's order."),
               QStringLiteral("POSITION")});
  p.addOption({QStringLiteral("scores"), QStringLiteral("Rubric scores: relevance=2,accuracy=3,readability=1."),
               QStringLiteral("SPEC")});
  p.addOption({QStringLiteral("choice"), QStringLiteral("Pairwise: left, right, tie or both_bad (screen sides)."),
               QStringLiteral("CHOICE")});
  p.addOption({QStringLiteral("comment"), QStringLiteral("Free-text comment."), QStringLiteral("TEXT")});
  if (!parse(p, ctx, usage, {QStringLiteral("ID")})) return 0;
  const QString rater = p.value(QStringLiteral("rater"));
  if (rater.trimmed().isEmpty()) throw UsageError(QStringLiteral("--rater is required\nusage: ") + usage);
  const StudyStore studies = studiesOf(p);
  const qint64 id = studyId(p);
  if (!p.isSet(QStringLiteral("item"))) return rateInteractively(ctx, studies, id, rater.trimmed());
  const int position = int(wholeNumberOption(p, QStringLiteral("item"), 1, 1, 1 << 30));
  const qint64 itemId = studies.itemAt(id, position);
  RaterRating r;
  if (p.isSet(QStringLiteral("scores")))
    r.scores = Rubric::parseScores(p.value(QStringLiteral("scores")), QStringLiteral("--scores"));
  if (p.isSet(QStringLiteral("choice")))
    r.choice = parseScreenChoice(p.value(QStringLiteral("choice")), QStringLiteral("--choice"));
  r.comment = p.value(QStringLiteral("comment"));
  studies.rate(itemId, rater, r);
  const RaterProgress pr = studies.progress(id, rater);
  ctx.print({{QStringLiteral("study"), id}, {QStringLiteral("item"), position}, {QStringLiteral("item_id"), itemId},
             {QStringLiteral("rater"), pr.rater}, {QStringLiteral("rated"), pr.rated}, {QStringLiteral("total"), pr.total}});
  return 0;
}

int reveal(Context& ctx) {
  QCommandLineParser p;
  if (!parse(p, ctx, QStringLiteral("distillery-cli study reveal ID [--workspace PATH]"), {QStringLiteral("ID")})) return 0;
  const StudyStore studies = studiesOf(p);
  const qint64 id = studyId(p);
  studies.reveal(id);
  ctx.print(studies.info(id).toJson());
  return 0;
}

int results(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli study results ID [--bootstrap N] [--seed S] [--level ordinal|interval|nominal|ratio] "
      "[--weights linear|quadratic] [--metrics bleu,...] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("bootstrap"), QStringLiteral("Bootstrap resamples for the 95% intervals (default 1000)."),
               QStringLiteral("N"), QStringLiteral("1000")});
  p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the resampling (default 0)."), QStringLiteral("S"),
               QStringLiteral("0")});
  p.addOption({QStringLiteral("level"), QStringLiteral("Krippendorff's alpha level for rubric scores (default ordinal)."),
               QStringLiteral("LEVEL"), QStringLiteral("ordinal")});
  p.addOption({QStringLiteral("weights"), QStringLiteral("Cohen's kappa weights for rubric scores (default none)."),
               QStringLiteral("W"), QStringLiteral("none")});
  p.addOption({QStringLiteral("metrics"),
               QStringLiteral("Correlate human scores with only these per-sample scores (default: every numeric one)."),
               QStringLiteral("LIST")});
  if (!parse(p, ctx, usage, {QStringLiteral("ID")})) return 0;
  StudyResultOptions o;
  o.metrics = p.value(QStringLiteral("metrics")).split(QLatin1Char(','), Qt::SkipEmptyParts);
  o.bootstrapRounds = int(wholeNumberOption(p, QStringLiteral("bootstrap"), 1000, 0, 1000000));
  o.seed = uint64_t(wholeNumberOption(p, QStringLiteral("seed"), 0, 0));
  o.level = parseMeasurementLevel(p.value(QStringLiteral("level")), QStringLiteral("--level"));
  o.weights = parseKappaWeights(p.value(QStringLiteral("weights")), QStringLiteral("--weights"));
  ctx.print(studyResults(studiesOf(p), studyId(p), o).toJson());
  return 0;
}

int exportCommand(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli study export ID OUT.csv|OUT.jsonl|OUT.json [--what items|ratings] [--workspace PATH]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("what"), QStringLiteral("items (blinded until revealed, default) or ratings."),
               QStringLiteral("WHAT"), QStringLiteral("items")});
  if (!parse(p, ctx, usage, {QStringLiteral("ID"), QStringLiteral("OUT")})) return 0;
  const QString what = p.value(QStringLiteral("what"));
  if (what != QLatin1String("items") && what != QLatin1String("ratings"))
    throw UsageError({}, QStringLiteral("--what"), what, QStringLiteral("must be items or ratings"));
  const StudyStore studies = studiesOf(p);
  const qint64 id = studyId(p);
  const StudyExport kind = what == QLatin1String("items") ? StudyExport::Items : StudyExport::Ratings;
  const QString out = p.positionalArguments().at(1);
  exportStudy(studies, id, kind, out);
  ctx.print({{QStringLiteral("study"), id}, {QStringLiteral("what"), what}, {QStringLiteral("path"), out},
             {QStringLiteral("rows"), qint64(exportTable(studies, id, kind).rows.size())},
             {QStringLiteral("blinded"), !studies.info(id).revealed}});
  return 0;
}

int importCommand(Context& ctx) {
  QCommandLineParser p;
  if (!parse(p, ctx, QStringLiteral("distillery-cli study import ID RATINGS.csv|.jsonl|.json [--workspace PATH]"),
             {QStringLiteral("ID"), QStringLiteral("FILE")}))
    return 0;
  const StudyStore studies = studiesOf(p);
  const qint64 id = studyId(p);
  const SaveReport r = importRatings(studies, id, p.positionalArguments().at(1));
  ctx.print({{QStringLiteral("study"), id}, {QStringLiteral("inserted"), r.inserted},
             {QStringLiteral("updated"), r.updated}, {QStringLiteral("unchanged"), r.unchanged},
             {QStringLiteral("progress"), progressJson(studies.progress(id))}});
  return 0;
}

const Subcommand kSubcommands[] = {
    {"create", "a rubric or blind pairwise study from a JSONL file or stored evaluations", create},
    {"list", "studies in the workspace", list},
    {"show", "a study and each rater's progress", show},
    {"rate", "save a rating (--item ...) or rate interactively from stdin", rate},
    {"reveal", "show the model names from now on (recorded)", reveal},
    {"results", "model scores, agreement, Elo/Bradley-Terry, correlation with metrics", results},
    {"compare", "Bayesian and sign-test A/B of two models in a pairwise study", studyCompare},
    {"export", "items (blinded until revealed) or ratings as CSV/JSONL/JSON", exportCommand},
    {"import", "ratings from CSV/JSONL/JSON, checked, all or nothing", importCommand},
};

}  // namespace

Command studyCommand() {
  return {QStringLiteral("study"),
          QStringLiteral("human evaluation studies: create, rate, reveal, results, import, export"),
          [](Context& ctx) { return runSubcommand(ctx, kSubcommands, kUsage); }};
}

}  // namespace distillery::cli
