#include "data/DataOp.h"

#include "common/Error.h"
#include "data/DataClean.h"
#include "data/DataSplit.h"
#include "data/TeacherData.h"
#include "model/ModelLoader.h"
#include "store/DatasetRegistration.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <QtCore/QJsonArray>

namespace distillery {

namespace {

ReadOptions readOptions(const DataOpRequest& r) {
  const DataOpSettings& s = r.settings;
  ReadOptions o;
  o.format = parseSourceFormat(s.format, r.fieldName(QStringLiteral("format")));
  if (s.onBadRow != QLatin1String("skip") && s.onBadRow != QLatin1String("fail"))
    throw UsageError(QString(), r.fieldName(QStringLiteral("on_bad_row")), s.onBadRow,
                     QStringLiteral("must be skip or fail"));
  o.onBadRow = s.onBadRow == QLatin1String("fail") ? BadRowPolicy::Fail : BadRowPolicy::Skip;
  o.progress = [&r](int64_t done, int64_t total) {
    if (r.cancel && r.cancel->load()) return false;
    return !r.readProgress || r.readProgress(done, total);
  };
  return o;
}

// Dedup settings shared by clean, dedup and split; exact/near as each operation wants them.
DedupOptions dedupOptions(const DataOpSettings& s, bool exact, bool near) {
  DedupOptions d;
  d.threshold = s.threshold;
  d.minhash.numPerm = s.numPerm;
  d.minhash.shingle = s.shingle;
  d.minhash.seed = s.minhashSeed;
  d.casefold = s.casefold;
  d.exact = exact;
  d.near = near;
  return d;
}

// The lineage settings the datasets table keeps for the dedup part (the CLI's since the first release).
QJsonObject dedupSettings(const DedupOptions& d) {
  return {{QStringLiteral("threshold"), d.threshold}, {QStringLiteral("num_perm"), d.minhash.numPerm},
          {QStringLiteral("shingle"), d.minhash.shingle}, {QStringLiteral("minhash_seed"), QString::number(d.minhash.seed)},
          {QStringLiteral("casefold"), d.casefold}, {QStringLiteral("exact"), d.exact}, {QStringLiteral("near"), d.near}};
}

// settings gain "operation" (the op) unless they name one: `data list` and the Data panel show it as the lineage.
void registerOutput(const DataOpRequest& r, DataOpResult& res, const QString& output, const QString& schema,
                    int64_t rows, QJsonObject settings, const QJsonObject& stats) {
  res.outputs << output;
  if (!r.store) return;
  if (!settings.contains(QStringLiteral("operation"))) settings.insert(QStringLiteral("operation"), r.settings.op);
  res.datasetIds << registerDatasetFile(*r.store, r.settings.input, output, schema, rows, settings, stats);
}

void noteBadRows(DataOpResult& res, const CleanReport& report) {
  const size_t bad = size_t(RemoveReason::BadRow);
  res.badRows = report.removed[bad];
  for (const RemovedRow& row : report.examples[bad])
    res.badRowNotes << QStringLiteral("line %1: %2").arg(row.line).arg(row.why);
}

DataOpResult runClean(const DataOpRequest& r) {
  const DataOpSettings& s = r.settings;
  CleanOptions o;
  o.field = s.field;
  o.read = readOptions(r);
  o.unicode = parseUnicodeForm(s.unicode, r.fieldName(QStringLiteral("unicode")));
  o.stripControls = !s.keepControl;
  o.dropEmpty = !s.keepEmpty;
  o.minChars = s.minChars;
  o.maxChars = s.maxChars;
  o.minTokens = s.minTokens;
  o.maxTokens = s.maxTokens;
  if (!s.tokenizer.isEmpty())
    o.tokenizer = Tokenizer::fromDirectory(s.tokenizer);
  else if (o.minTokens || o.maxTokens)
    throw UsageError({}, r.fieldName(QStringLiteral("tokenizer")), {},
                     QStringLiteral("is needed by %1/%2")
                         .arg(r.fieldName(QStringLiteral("min_tokens")), r.fieldName(QStringLiteral("max_tokens"))));
  if (!s.scripts.isEmpty())
    o.scripts = parseScripts(s.scripts.join(QLatin1Char(',')), r.fieldName(QStringLiteral("scripts")));
  o.minScriptShare = s.minScriptShare;
  o.maxExamples = s.maxLines;
  o.dedup = dedupOptions(s, s.exactDedup, s.nearDedup);

  const CleanReport report = cleanFile(s.input, r.settings.output, o);
  DataOpResult res;
  res.report = report.toJson();
  res.rows = report.kept;
  noteBadRows(res, report);
  QJsonObject settings = dedupSettings(o.dedup);
  settings.insert(QStringLiteral("field"), o.field);
  settings.insert(QStringLiteral("unicode"), s.unicode.toLower());
  settings.insert(QStringLiteral("strip_control"), o.stripControls);
  settings.insert(QStringLiteral("drop_empty"), o.dropEmpty);
  settings.insert(QStringLiteral("min_chars"), qint64(o.minChars));
  settings.insert(QStringLiteral("max_chars"), qint64(o.maxChars));
  settings.insert(QStringLiteral("min_tokens"), qint64(o.minTokens));
  settings.insert(QStringLiteral("max_tokens"), qint64(o.maxTokens));
  settings.insert(QStringLiteral("tokenizer"), s.tokenizer);
  settings.insert(QStringLiteral("scripts"), s.scripts.join(QLatin1Char(',')));
  settings.insert(QStringLiteral("min_script_share"), o.minScriptShare);
  registerOutput(r, res, r.settings.output, report.schema, report.kept, settings, res.report);
  res.summary = res.report;
  res.summary.remove(QStringLiteral("seconds"));
  return res;
}

DataOpResult runDedup(const DataOpRequest& r) {
  const DataOpSettings& s = r.settings;
  CleanOptions o;
  o.field = s.field;
  o.read = readOptions(r);
  o.stripControls = false;  // rows are written verbatim
  o.dropEmpty = false;
  o.dedup = dedupOptions(s, true, true);
  const CleanReport report = cleanFile(s.input, r.settings.output, o);
  DataOpResult res;
  res.rows = report.kept;
  noteBadRows(res, report);
  res.summary = {{QStringLiteral("rows"), qint64(report.rows - res.badRows)},
                 {QStringLiteral("kept"), qint64(report.kept)},
                 {QStringLiteral("removed_exact"), qint64(report.removedOf(RemoveReason::ExactDuplicate))},
                 {QStringLiteral("removed_near"), qint64(report.removedOf(RemoveReason::NearDuplicate))}};
  QJsonObject settings = dedupSettings(o.dedup);
  settings.insert(QStringLiteral("field"), o.field);
  res.report = report.toJson();
  QJsonObject stats = res.report;
  stats.remove(QStringLiteral("seconds"));
  registerOutput(r, res, r.settings.output, report.schema, report.kept, settings, stats);
  return res;
}

DataOpResult runSplit(const DataOpRequest& r) {
  const DataOpSettings& s = r.settings;
  SplitOptions o;
  o.ratios = s.ratios;
  o.seed = s.seed;
  o.stratify = s.stratify;
  o.field = s.field;
  o.read = readOptions(r);
  o.dedup = dedupOptions(s, true, true);
  const SplitReport report = splitFile(s.input, r.settings.output, o);
  DataOpResult res;
  res.report = res.summary = report.toJson();
  res.badRows = report.badRows;
  QJsonObject settings = dedupSettings(o.dedup);
  settings.insert(QStringLiteral("ratios"), QJsonArray{o.ratios[0], o.ratios[1], o.ratios[2]});
  settings.insert(QStringLiteral("seed"), QString::number(o.seed));
  settings.insert(QStringLiteral("stratify"), o.stratify);
  settings.insert(QStringLiteral("field"), o.field);
  for (size_t k = 0; k < 3; ++k) {
    if (o.ratios[k] <= 0) continue;
    QJsonObject one = settings;
    one.insert(QStringLiteral("split"), splitNames()[k]);
    res.rows += report.counts[k];
    registerOutput(r, res, r.settings.output + QLatin1Char('/') + splitNames()[k] + QStringLiteral(".jsonl"), QString(),
                   report.counts[k], one, res.report);
  }
  return res;
}

DataOpResult runGenerate(const DataOpRequest& r) {
  const DataOpSettings& s = r.settings;
  const DataGenerateSettings& g = s.generate;
  if (r.teacher.isEmpty())
    throw UsageError({}, r.fieldName(QStringLiteral("teacher")), {}, QStringLiteral("is required by op generate"));
  if (g.dtype != QLatin1String("f32") && g.dtype != QLatin1String("bf16"))
    throw UsageError({}, r.fieldName(QStringLiteral("dtype")), g.dtype, QStringLiteral("must be f32 or bf16"));
  if (!g.schema.isEmpty() && !dataSchemas().contains(g.schema))
    throw UsageError({}, r.fieldName(QStringLiteral("schema")), g.schema,
                     QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
  TeacherDataOptions o;
  o.generation.greedy = g.greedy;
  o.generation.temperature = g.temperature;
  o.generation.topP = g.topP;
  o.generation.topK = g.topK;
  o.generation.repetitionPenalty = g.repetitionPenalty;
  o.generation.maxNewTokens = g.maxNewTokens;
  o.generation.seed = g.seed;
  o.schema = g.schema;
  o.fields = s.map;
  o.read = readOptions(r);
  o.batchSize = g.batch;
  o.limit = g.limit;
  o.maxPromptTokens = g.maxPromptTokens;
  o.cancel = r.cancel;
  o.progress = r.progress;

  LoadedModel model = loadModel(r.teacher, g.dtype == QLatin1String("bf16") ? torch::kBFloat16 : torch::kFloat32,
                                r.device);
  const Tokenizer tokenizer = Tokenizer::fromDirectory(r.teacher);
  const TeacherDataResult t = generateTeacherData(model, tokenizer, s.input, r.settings.output, o);
  DataOpResult res;
  res.complete = t.complete;
  res.badRows = t.badRows;
  res.report = res.summary = t.toJson();
  res.summary.insert(QStringLiteral("output"), t.complete ? r.settings.output : r.settings.output + QStringLiteral(".partial"));
  if (t.complete) {
    res.rows = t.resumed + t.generated;
    registerOutput(r, res, r.settings.output, QStringLiteral("messages"), res.rows, t.provenance, res.report);
    if (!res.datasetIds.isEmpty()) res.summary.insert(QStringLiteral("dataset_id"), res.datasetIds.first());
  }
  return res;
}

}  // namespace

QStringList DataOpSettings::ops() {
  return {QStringLiteral("clean"), QStringLiteral("dedup"), QStringLiteral("split"), QStringLiteral("generate")};
}

DataOpResult runDataOp(const DataOpRequest& r) {
  const QString& op = r.settings.op;
  if (op == QLatin1String("clean")) return runClean(r);
  if (op == QLatin1String("dedup")) return runDedup(r);
  if (op == QLatin1String("split")) return runSplit(r);
  if (op == QLatin1String("generate")) return runGenerate(r);
  throw UsageError({}, r.fieldName(QStringLiteral("op")), op,
                   QStringLiteral("must be one of: ") + DataOpSettings::ops().join(QStringLiteral(", ")));
}

}  // namespace distillery
