// distillery-cli agreement RATINGS.csv | rank PAIRS.csv: the human-evaluation statistics on ratings collected
// anywhere (one CSV row per rating or per battle; JSONL with the same fields works too).
#include "cli/DataCli.h"
#include "common/Error.h"
#include "data/RowReader.h"
#include "eval/Agreement.h"
#include "eval/Ranking.h"

#include <QtCore/QJsonArray>

#include <cmath>

namespace distillery::cli {

namespace {

// Reads every row of path with the given columns as text, calling use(values, "FILE:LINE"). A malformed row, a
// missing column or an empty cell is a FormatError naming the line (nothing is skipped silently).
void readColumns(const QString& path, const QStringList& columns,
                 const std::function<void(const QStringList&, const QString&)>& use) {
  RowReader reader(path, {.onBadRow = BadRowPolicy::Fail});
  if (!reader.columns().isEmpty())
    for (const QString& c : columns)
      if (!reader.columns().contains(c))
        throw FormatError(path, QStringLiteral("columns"), reader.columns().join(QLatin1Char(',')),
                          QStringLiteral("has no column '%1' (needs %2)").arg(c, columns.join(QLatin1Char(','))));
  Row row;
  while (reader.next(row)) {
    const QString where = QStringLiteral("%1:%2").arg(path).arg(row.line);
    QStringList values;
    for (const QString& c : columns) {
      const QJsonValue v = row.fields.value(c);
      const QString text = v.isString()   ? v.toString()
                           : v.isDouble() ? QString::number(v.toDouble(), 'g', 17)
                                          : QString();
      if (text.trimmed().isEmpty())
        throw FormatError(where, c, text, v.isUndefined() ? QStringLiteral("is missing") : QStringLiteral("is empty"));
      values.append(text.trimmed());
    }
    use(values, where);
  }
  if (reader.rows() == 0)
    throw FormatError(path, QStringLiteral("rows"), QStringLiteral("0"), QStringLiteral("has no rows"));
}

// A number for JSON output; NaN (undefined statistic) becomes null.
QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

int agreement(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli agreement RATINGS.csv [--level nominal|ordinal|interval|ratio] [--weights linear|quadratic]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("level"),
               QStringLiteral("Krippendorff's alpha level: nominal (default), ordinal, interval, ratio."),
               QStringLiteral("LEVEL"), QStringLiteral("nominal")});
  p.addOption({QStringLiteral("weights"),
               QStringLiteral("Weighted Cohen's kappa for ordinal scores: linear or quadratic (default unweighted)."),
               QStringLiteral("W"), QStringLiteral("none")});
  p.addPositionalArgument(QStringLiteral("RATINGS.csv"),
                          QStringLiteral("Columns item,rater,score; one row per rating."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString path = positionals(p, 1, usage).first();
  AgreementOptions options;
  options.level = parseMeasurementLevel(p.value(QStringLiteral("level")), QStringLiteral("--level"));
  options.weights = parseKappaWeights(p.value(QStringLiteral("weights")), QStringLiteral("--weights"));
  std::vector<Rating> ratings;
  readColumns(path, {QStringLiteral("item"), QStringLiteral("rater"), QStringLiteral("score")},
              [&](const QStringList& v, const QString& where) {
                ratings.push_back({v[0], v[1], v[2], where});
              });
  AgreementResult r;
  try {
    r = computeAgreement(ratings, options);
  } catch (const Error& e) {
    if (!e.path().isEmpty()) throw;
    throw Error(path, e.field(), e.value(), e.detail());  // a whole-file problem: name the file
  }
  QJsonObject out{{"items", r.items},
                  {"raters", r.raters},
                  {"ratings", r.ratings},
                  {"level", levelName(options.level)},
                  {"krippendorff_alpha", number(r.krippendorffAlpha)},
                  {"pairable_items", r.pairableItems},
                  {"fleiss_kappa", r.fleissKappa ? number(*r.fleissKappa) : QJsonValue(QJsonValue::Null)},
                  {"fleiss_items", r.fleissItems}};
  if (!r.fleissSkipped.isEmpty()) out.insert("fleiss_skipped", r.fleissSkipped);
  if (r.cohenKappa) {
    out.insert("cohen_kappa", number(*r.cohenKappa));
    out.insert("cohen_items", r.cohenItems);
    out.insert("cohen_weights", p.value(QStringLiteral("weights")));
  }
  ctx.print(out);
  return 0;
}

int rank(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli rank PAIRS.csv [--bootstrap N] [--seed S]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("bootstrap"), QStringLiteral("Bootstrap resamples for the 95% intervals (default 1000)."),
               QStringLiteral("N"), QStringLiteral("1000")});
  p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the resampling (default 0)."), QStringLiteral("S"),
               QStringLiteral("0")});
  p.addPositionalArgument(QStringLiteral("PAIRS.csv"),
                          QStringLiteral("Columns model_a,model_b,winner (a, b or tie), in battle order."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString path = positionals(p, 1, usage).first();
  RankOptions options;
  options.bootstrapRounds = int(wholeNumberOption(p, QStringLiteral("bootstrap"), 1000, 0, 1000000));
  options.seed = uint64_t(wholeNumberOption(p, QStringLiteral("seed"), 0, 0));
  std::vector<Battle> battles;
  readColumns(path, {QStringLiteral("model_a"), QStringLiteral("model_b"), QStringLiteral("winner")},
              [&](const QStringList& v, const QString& where) {
                if (v[0] == v[1])
                  throw FormatError(where, QStringLiteral("model_b"), v[1],
                                    QStringLiteral("is the same model as model_a"));
                battles.push_back({v[0], v[1], parseWinner(v[2], where)});
              });
  QJsonObject models;
  for (const auto& [name, r] : rankModels(battles, options))
    models.insert(name, QJsonObject{{"elo", r.elo},
                                    {"elo_ci", QJsonArray{r.eloLow, r.eloHigh}},
                                    {"bt", r.bt},
                                    {"bt_ci", QJsonArray{r.btLow, r.btHigh}},
                                    {"battles", qint64(r.battles)}});
  ctx.print(QJsonObject{{"models", models},
                        {"battles", qint64(battles.size())},
                        {"bootstrap", options.bootstrapRounds},
                        {"seed", QString::number(options.seed)}});
  return 0;
}

}  // namespace

Command agreementCommand() {
  return {QStringLiteral("agreement"), QStringLiteral("Rater agreement: Cohen's/Fleiss' kappa, Krippendorff's alpha"),
          agreement};
}

Command rankCommand() {
  return {QStringLiteral("rank"), QStringLiteral("Rank models from A/B votes: Elo, Bradley-Terry, bootstrap CIs"),
          rank};
}

}  // namespace distillery::cli
