// distillery-cli score bleu|chrf|rouge --hyp HYP --ref REF [--ref REF2 ...]: corpus and per-line scores equal to
// sacreBLEU 2.x's command line (BLEU, chrF/chrF++) and rouge-score (ROUGE-N/L/Lsum). `score slices` and
// `score robustness` (EvalReportCommands.cpp) report on a stored evaluation job. A file holds one segment per
// line, or, when its name ends in .jsonl, one JSON string per line (a segment may then contain newlines).
#include "cli/DataCli.h"
#include "cli/EvalReportCli.h"
#include "common/Error.h"
#include "eval/Bleu.h"
#include "eval/Chrf.h"
#include "eval/Rouge.h"
#include "eval/ScoringText.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace distillery::cli {

namespace {

// The segments of path. Plain text: lines (a final newline ends the last one, CRLF accepted). .jsonl: each line a
// JSON string, anything else a FormatError naming FILE:LINE.
QStringList readSegments(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    throw Error(path, QString(), QString(), QStringLiteral("cannot be read: %1").arg(f.errorString()));
  const QByteArray bytes = f.readAll();
  QList<QByteArray> lines = bytes.split('\n');
  if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
  const bool jsonl = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive);
  QStringList segments;
  segments.reserve(lines.size());
  for (qsizetype i = 0; i < lines.size(); ++i) {
    QByteArray line = lines[i];
    if (line.endsWith('\r')) line.chop(1);
    if (!jsonl) {
      segments.append(QString::fromUtf8(line));
      continue;
    }
    // A top-level JSON scalar: parse it as the only element of an array.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + line + "]", &error);
    const QJsonValue v = doc.isArray() && doc.array().size() == 1 ? doc.array().at(0) : QJsonValue();
    if (error.error != QJsonParseError::NoError || !v.isString())
      throw FormatError(QStringLiteral("%1:%2").arg(path).arg(i + 1), QStringLiteral("segment"),
                        QString::fromUtf8(line.left(60)), QStringLiteral("is not a JSON string"));
    segments.append(v.toString());
  }
  return segments;
}

// sacreBLEU's command line reads every segment with line.rstrip().
QStringList rstripped(QStringList segments) {
  for (QString& s : segments) s = scoring::fromText(scoring::rstrip(scoring::toText(s)));
  return segments;
}

struct Inputs {
  QStringList hyps;
  QList<QStringList> refs;
};

// --hyp and every --ref, with the same number of segments (else a FormatError naming both files and counts).
Inputs readInputs(const QCommandLineParser& p, const QString& usage) {
  const QString hypPath = p.value(QStringLiteral("hyp"));
  const QStringList refPaths = p.values(QStringLiteral("ref"));
  if (hypPath.isEmpty()) throw UsageError(QStringLiteral("--hyp is required\nusage: ") + usage);
  if (refPaths.isEmpty()) throw UsageError(QStringLiteral("--ref is required\nusage: ") + usage);
  if (!p.positionalArguments().isEmpty())
    throw UsageError({}, QStringLiteral("arguments"), p.positionalArguments().join(QLatin1Char(' ')),
                     QStringLiteral("are not expected\nusage: ") + usage);
  Inputs in;
  in.hyps = readSegments(hypPath);
  if (in.hyps.isEmpty()) throw FormatError(hypPath, QStringLiteral("segments"), 0, QStringLiteral("has no segments"));
  for (const QString& refPath : refPaths) {
    in.refs.append(readSegments(refPath));
    if (in.refs.last().size() != in.hyps.size())
      throw FormatError(refPath, QStringLiteral("segments"), in.refs.last().size(),
                        QStringLiteral("differs from %1's %2 segments").arg(hypPath).arg(in.hyps.size()));
  }
  return in;
}

// An Error from the scorer without a path (an option or a segment) names the files it concerns.
template <typename Fn>
auto scoreOrExplain(const QStringList& refPaths, Fn fn) {
  try {
    return fn();
  } catch (const Error& e) {
    if (!e.path().isEmpty() || e.field() != QLatin1String("refs")) throw;
    throw FormatError(refPaths.join(QLatin1Char(',')), QStringLiteral("segments"), e.value(), e.detail());
  }
}

void addInputOptions(QCommandLineParser& p) {
  p.addOption({QStringLiteral("hyp"), QStringLiteral("Hypotheses: one segment per line (.jsonl: a JSON string per line)."),
               QStringLiteral("HYP")});
  p.addOption({QStringLiteral("ref"), QStringLiteral("References, the same number of segments; repeat for several "
                                                     "reference streams (an empty line: no reference there)."),
               QStringLiteral("REF")});
}

QJsonArray numbers(const std::vector<double>& v) {
  QJsonArray a;
  for (double x : v) a.append(x);
  return a;
}

QJsonArray numbers(const std::vector<int64_t>& v) {
  QJsonArray a;
  for (int64_t x : v) a.append(qint64(x));
  return a;
}

int scoreBleu(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli score bleu --hyp HYP --ref REF [--ref REF2 ...] [--tokenize 13a|zh|intl|char|none] "
      "[--smooth exp|floor|add-k|none] [--smooth-value V] [--lowercase] [--max-ngram-order N] [--effective-order]");
  QCommandLineParser p;
  addInputOptions(p);
  p.addOption({QStringLiteral("tokenize"), QStringLiteral("13a (default), zh, intl, char or none."),
               QStringLiteral("TOK"), QStringLiteral("13a")});
  p.addOption({{QStringLiteral("smooth"), QStringLiteral("smooth-method")},
               QStringLiteral("exp (default), floor, add-k or none."), QStringLiteral("METHOD"), QStringLiteral("exp")});
  p.addOption({QStringLiteral("smooth-value"), QStringLiteral("floor: 0.1, add-k: 1 by default."), QStringLiteral("V")});
  p.addOption({QStringLiteral("lowercase"), QStringLiteral("Case-insensitive BLEU.")});
  p.addOption({QStringLiteral("max-ngram-order"), QStringLiteral("Highest n-gram order (default 4)."),
               QStringLiteral("N"), QStringLiteral("4")});
  p.addOption({QStringLiteral("effective-order"),
               QStringLiteral("Corpus BLEU over the orders that have n-grams (lines always use it).")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  BleuOptions o;
  o.tokenize = p.value(QStringLiteral("tokenize"));
  o.smooth = p.value(QStringLiteral("smooth"));
  if (p.isSet(QStringLiteral("smooth-value")))
    o.smoothValue = numberOption(p, QStringLiteral("smooth-value"), 0, 0, 1e9);
  o.lowercase = p.isSet(QStringLiteral("lowercase"));
  o.maxNgramOrder = int(wholeNumberOption(p, QStringLiteral("max-ngram-order"), 4, 1, 100));
  try {
    checkBleuOptions(o);  // an unknown --tokenize or --smooth is refused before any file is read
  } catch (const Error& e) {
    throw UsageError({}, QStringLiteral("--") + e.field(), e.value(), e.detail());
  }
  o.effectiveOrder = p.isSet(QStringLiteral("effective-order"));
  const Inputs in = readInputs(p, usage);
  const QStringList hyps = rstripped(in.hyps);
  QList<QStringList> refs;
  for (const QStringList& r : in.refs) refs.append(rstripped(r));
  const BleuResult r = scoreOrExplain(p.values(QStringLiteral("ref")), [&] { return bleu(hyps, refs, o); });
  QJsonArray lines;
  for (const BleuScore& s : r.lines) lines.append(s.score);
  ctx.print(QJsonObject{{"bleu", r.corpus.score},
                        {"precisions", numbers(r.corpus.precisions)},
                        {"bp", r.corpus.brevityPenalty},
                        {"hyp_len", qint64(r.corpus.hypLength)},
                        {"ref_len", qint64(r.corpus.refLength)},
                        {"counts", numbers(r.corpus.counts)},
                        {"totals", numbers(r.corpus.totals)},
                        {"signature", r.signature},
                        {"lines", lines}});
  return 0;
}

int scoreChrf(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli score chrf --hyp HYP --ref REF [--ref REF2 ...] [--char-order 6] [--word-order 0|2] "
      "[--beta 2] [--eps-smoothing] [--whitespace] [--lowercase]");
  QCommandLineParser p;
  addInputOptions(p);
  p.addOption({{QStringLiteral("char-order"), QStringLiteral("chrf-char-order")},
               QStringLiteral("Character n-gram order (default 6)."), QStringLiteral("N"), QStringLiteral("6")});
  p.addOption({{QStringLiteral("word-order"), QStringLiteral("chrf-word-order")},
               QStringLiteral("Word n-gram order (default 0; 2 is chrF++)."), QStringLiteral("N"), QStringLiteral("0")});
  p.addOption({{QStringLiteral("beta"), QStringLiteral("chrf-beta")},
               QStringLiteral("Recall weighs beta times precision (default 2)."), QStringLiteral("B"), QStringLiteral("2")});
  p.addOption({{QStringLiteral("eps-smoothing"), QStringLiteral("chrf-eps-smoothing")},
               QStringLiteral("chrF++.py/NLTK/Moses epsilon smoothing instead of the effective-order average.")});
  p.addOption({{QStringLiteral("whitespace"), QStringLiteral("chrf-whitespace")},
               QStringLiteral("Keep whitespace in character n-grams.")});
  p.addOption({{QStringLiteral("lowercase"), QStringLiteral("chrf-lowercase")}, QStringLiteral("Case-insensitive chrF.")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  ChrfOptions o;
  o.charOrder = int(wholeNumberOption(p, QStringLiteral("char-order"), 6, 0, 100));
  o.wordOrder = int(wholeNumberOption(p, QStringLiteral("word-order"), 0, 0, 100));
  if (o.charOrder + o.wordOrder == 0)
    throw UsageError({}, QStringLiteral("--char-order"), QStringLiteral("0"),
                     QStringLiteral("needs --word-order above 0 when it is 0"));
  o.beta = numberOption(p, QStringLiteral("beta"), 2, 0, 1e6);
  o.epsSmoothing = p.isSet(QStringLiteral("eps-smoothing"));
  o.whitespace = p.isSet(QStringLiteral("whitespace"));
  o.lowercase = p.isSet(QStringLiteral("lowercase"));
  const Inputs in = readInputs(p, usage);
  const QStringList hyps = rstripped(in.hyps);
  QList<QStringList> refs;
  for (const QStringList& r : in.refs) refs.append(rstripped(r));
  const ChrfResult r = scoreOrExplain(p.values(QStringLiteral("ref")), [&] { return chrf(hyps, refs, o); });
  ctx.print(QJsonObject{{"chrf", r.score}, {"signature", r.signature}, {"lines", numbers(r.lines)}});
  return 0;
}

QJsonObject toJson(const RougeF& s) {
  return QJsonObject{{"precision", s.precision}, {"recall", s.recall}, {"fmeasure", s.fmeasure}};
}

int scoreRouge(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli score rouge --hyp HYP --ref REF [--ref REF2 ...] [--types rouge1,rouge2,rougeL,rougeLsum] "
      "[--stemmer] [--char]");
  QCommandLineParser p;
  addInputOptions(p);
  p.addOption({QStringLiteral("types"),
               QStringLiteral("Comma-separated: rouge1 … rouge9, rougeL, rougeLsum (default rouge1,rouge2,rougeL)."),
               QStringLiteral("LIST"), QStringLiteral("rouge1,rouge2,rougeL")});
  p.addOption({{QStringLiteral("stemmer"), QStringLiteral("use-stemmer")},
               QStringLiteral("Porter-stem tokens longer than 3 characters (rouge-score's use_stemmer).")});
  p.addOption({QStringLiteral("char"),
               QStringLiteral("Every non-whitespace character is a token (Chinese and other unsegmented text).")});
  if (!parseOrThrow(p, ctx, usage)) return 0;
  RougeOptions o;
  o.types = p.value(QStringLiteral("types")).split(QLatin1Char(','), Qt::SkipEmptyParts);
  for (QString& t : o.types) t = t.trimmed();
  o.stemmer = p.isSet(QStringLiteral("stemmer"));
  o.charLevel = p.isSet(QStringLiteral("char"));
  try {
    rougeScore(QString(), QString(), o);  // rejects an unknown type before any file is read
  } catch (const Error& e) {
    throw UsageError({}, QStringLiteral("--types"), e.value(), e.detail());
  }
  const Inputs in = readInputs(p, usage);
  const RougeResult r = scoreOrExplain(p.values(QStringLiteral("ref")), [&] { return rouge(in.hyps, in.refs, o); });
  QJsonObject out;
  for (const QString& type : o.types) out.insert(type, toJson(r.mean.value(type)));
  QJsonArray lines;
  for (const RougeScores& line : r.lines) {
    QJsonObject l;
    for (const QString& type : o.types) l.insert(type, toJson(line.value(type)));
    lines.append(l);
  }
  out.insert(QStringLiteral("lines"), lines);
  ctx.print(out);
  return 0;
}

const Subcommand kSubcommands[] = {
    {"bleu", "sacreBLEU 2.x BLEU: corpus, per line, signature", scoreBleu},
    {"chrf", "sacreBLEU 2.x chrF / chrF++ (--word-order 2)", scoreChrf},
    {"rouge", "rouge-score ROUGE-N/L/Lsum (P, R, F), optional stemmer, --char for Chinese", scoreRouge},
    {"slices", "an evaluation job's metrics per value of a row field (JOB_ID --by FIELD), gaps", scoreSlices},
    {"robustness", "an evaluation job's accuracy under its eval.perturbations vs the clean prompts", scoreRobustness},
};

const QString kUsage = QStringLiteral(
    "distillery-cli score bleu|chrf|rouge --hyp HYP --ref REF ... | slices JOB_ID --by FIELD | robustness JOB_ID   "
    "(score bleu --help)");

}  // namespace

Command scoreCommand() {
  return {QStringLiteral("score"),
          QStringLiteral("bleu|chrf|rouge --hyp HYP --ref REF: sacreBLEU / rouge-score compatible scores; "
                         "slices|robustness JOB_ID: an evaluation job by slice, under perturbations"),
          [](Context& ctx) { return runSubcommand(ctx, kSubcommands, kUsage); }};
}

}  // namespace distillery::cli
