#include "train/ToolJobSpecs.h"

#include "data/DataSchema.h"
#include "data/TextClean.h"

#include <QtCore/QJsonArray>

#include <cmath>

namespace distillery::jobspec {

namespace {

const QStringList kQuantizeKeys = {"scheme", "activations", "adapter"};

// data_op keys by the ops that read them (the CLI flags' snake_case names).
const QStringList kCommonKeys = {"op", "input", "output", "format", "on_bad_row"};
const QStringList kCompareKeys = {"field", "threshold", "num_perm", "shingle", "minhash_seed", "casefold"};
const QStringList kCleanKeys = {"exact_dedup", "near_dedup", "min_chars",  "max_chars", "min_tokens",
                                "max_tokens",  "tokenizer",  "keep_empty", "unicode",   "keep_control",
                                "scripts",     "min_script_share", "max_lines"};
const QStringList kSplitKeys = {"ratios", "seed", "stratify"};
const QStringList kGenerateKeys = {"map",   "schema",      "batch", "limit", "max_prompt_tokens", "max_new_tokens",
                                   "greedy", "temperature", "top_p", "top_k", "repetition_penalty", "seed", "dtype"};
const QStringList kFormats = {"auto", "jsonl", "json", "csv", "tsv", "text", "text_files"};

QStringList keysOf(const QString& op) {
  if (op == QLatin1String("clean")) return kCommonKeys + kCompareKeys + kCleanKeys;
  if (op == QLatin1String("dedup")) return kCommonKeys + kCompareKeys;
  if (op == QLatin1String("split")) return kCommonKeys + kCompareKeys + kSplitKeys;
  return kCommonKeys + kGenerateKeys;
}

// The op(s) a key belongs to, for the refusal of a key given to another op.
QString opsOf(const QString& key) {
  QStringList ops;
  for (const QString& op : DataOpSettings::ops())
    if (keysOf(op).contains(key)) ops << op;
  return ops.join(QStringLiteral(", "));
}

void wholeIn(const Fields& f, const QString& k, int64_t v, int64_t lo, int64_t hi) {
  if (f.has(k) && (v < lo || v > hi)) f.fail(k, QStringLiteral("must be between %1 and %2").arg(lo).arg(hi));
}

}  // namespace

QuantizeSettings readQuantize(const Fields& top) {
  QuantizeSettings s;
  top.require("quantize");
  const Fields f(top.object("quantize"), top.source(), top.key("quantize."), kQuantizeKeys);
  f.require("scheme");
  s.scheme = f.choice("scheme", s.scheme, QuantizeSettings::schemes());
  s.activations = f.choice("activations", s.activations, {"none", "int8"});
  if (s.plainExport() && s.activations != QLatin1String("none"))
    f.fail("activations", QStringLiteral("applies to the int8/int4 schemes, not to a plain %1 export").arg(s.scheme));
  s.adapter = f.nonEmptyString("adapter", s.adapter);
  return s;
}

QJsonObject quantizeJson(const QuantizeSettings& s) {
  QJsonObject o{{"scheme", s.scheme}, {"activations", s.activations}};
  if (!s.adapter.isEmpty()) o.insert("adapter", s.adapter);
  return o;
}

DataOpSettings readDataOp(const Fields& top) {
  DataOpSettings s;
  top.require("data_op");
  const QJsonObject json = top.object("data_op");
  const QString prefix = top.key("data_op.");
  // The op first: it decides which keys are known.
  {
    const Fields opOnly(QJsonObject{{"op", json.value("op")}}, top.source(), prefix, {"op"});
    opOnly.require("op");
    s.op = opOnly.choice("op", s.op, DataOpSettings::ops());
  }
  const QStringList known = keysOf(s.op);
  for (auto it = json.begin(); it != json.end(); ++it)
    if (!known.contains(it.key()) && !opsOf(it.key()).isEmpty())
      throw FormatError(top.source(), prefix + it.key(), jsonText(it.value()),
                        QStringLiteral("is not used by op %1 (it is for op %2)").arg(s.op, opsOf(it.key())));
  const Fields f(json, top.source(), prefix, known);

  f.require("input");
  s.input = f.nonEmptyString("input", s.input);
  s.output = f.nonEmptyString("output", s.output);
  s.format = f.choice("format", s.format, kFormats);
  s.onBadRow = f.choice("on_bad_row", s.onBadRow, {"skip", "fail"});

  // Compared text and duplicates (clean, dedup, split).
  s.field = f.nonEmptyString("field", s.field);
  s.threshold = f.number("threshold", s.threshold);
  if (f.has("threshold") && !(s.threshold > 0 && s.threshold < 1))
    f.fail("threshold", QStringLiteral("must be between 0 and 1 (both excluded)"));
  s.numPerm = int(f.integer("num_perm", s.numPerm));
  wholeIn(f, "num_perm", s.numPerm, 1, 4096);
  s.shingle = int(f.integer("shingle", s.shingle));
  wholeIn(f, "shingle", s.shingle, 1, 1000);
  s.minhashSeed = uint64_t(f.integer("minhash_seed", int64_t(s.minhashSeed)));
  f.atLeast("minhash_seed", double(s.minhashSeed), 0);
  s.casefold = f.boolean("casefold", s.casefold);

  // clean.
  s.exactDedup = f.boolean("exact_dedup", s.exactDedup);
  s.nearDedup = f.boolean("near_dedup", s.nearDedup);
  for (const char* k : {"min_chars", "max_chars", "min_tokens", "max_tokens"}) f.atLeast(k, f.number(k, 0), 0);
  s.minChars = f.integer("min_chars", s.minChars);
  s.maxChars = f.integer("max_chars", s.maxChars);
  s.minTokens = f.integer("min_tokens", s.minTokens);
  s.maxTokens = f.integer("max_tokens", s.maxTokens);
  if (s.maxChars > 0 && s.minChars > s.maxChars)
    f.fail("min_chars", QStringLiteral("is above max_chars (%1)").arg(s.maxChars));
  if (s.maxTokens > 0 && s.minTokens > s.maxTokens)
    f.fail("min_tokens", QStringLiteral("is above max_tokens (%1)").arg(s.maxTokens));
  s.tokenizer = f.nonEmptyString("tokenizer", s.tokenizer);
  if ((s.minTokens > 0 || s.maxTokens > 0) && s.tokenizer.isEmpty())
    throw FormatError(top.source(), prefix + QStringLiteral("tokenizer"), QString(),
                      QStringLiteral("is needed by min_tokens / max_tokens (a model or tokenizer folder)"));
  s.keepEmpty = f.boolean("keep_empty", s.keepEmpty);
  s.unicode = f.choice("unicode", s.unicode, {"none", "nfc", "nfkc"});
  s.keepControl = f.boolean("keep_control", s.keepControl);
  s.scripts = f.strings("scripts", s.scripts);
  if (!s.scripts.isEmpty()) {
    try {
      parseScripts(s.scripts.join(QLatin1Char(',')), f.key("scripts"));
    } catch (const Error& e) {
      f.fail("scripts", e.detail());
    }
  }
  s.minScriptShare = f.number("min_script_share", s.minScriptShare);
  f.unit("min_script_share", s.minScriptShare);
  s.maxLines = int(f.integer("max_lines", s.maxLines));
  wholeIn(f, "max_lines", s.maxLines, 0, 1000000);

  // split.
  if (f.has("ratios")) {
    const QJsonArray ratios = f.array("ratios");
    double sum = 0;
    if (ratios.size() != 3) f.fail("ratios", QStringLiteral("must list 3 numbers: train, validation, test"));
    for (qsizetype k = 0; k < 3; ++k) {
      if (!ratios[k].isDouble() || !(ratios[k].toDouble() >= 0))
        f.fail("ratios", QStringLiteral("must list 3 numbers ≥ 0: train, validation, test"));
      s.ratios[size_t(k)] = ratios[k].toDouble();
      sum += s.ratios[size_t(k)];
    }
    if (std::fabs(sum - 1.0) > 1e-6) f.fail("ratios", QStringLiteral("must sum to 1 (they sum to %1)").arg(sum));
  }
  s.stratify = f.nonEmptyString("stratify", s.stratify);

  // generate (split's "seed" is the shuffle seed, generate's the sampler's).
  DataGenerateSettings& g = s.generate;
  const uint64_t seed = uint64_t(f.integer("seed", 0));
  f.atLeast("seed", double(f.integer("seed", 0)), 0);
  if (s.op == QLatin1String("generate"))
    g.seed = seed;
  else
    s.seed = seed;
  const QJsonObject map = f.object("map");
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it.value().isString() || it.value().toString().isEmpty())
      throw FormatError(top.source(), f.key("map.") + it.key(), jsonText(it.value()),
                        QStringLiteral("must be the name of a field of the source rows"));
    s.map.insert(it.key(), it.value().toString());
  }
  g.schema = f.string("schema", g.schema);
  if (f.has("schema") && !dataSchemas().contains(g.schema))
    f.fail("schema", QStringLiteral("must be one of: %1").arg(dataSchemas().join(QStringLiteral(", "))));
  g.batch = f.integer("batch", g.batch);
  f.atLeast("batch", double(g.batch), 1);
  g.limit = f.integer("limit", g.limit);
  f.atLeast("limit", double(g.limit), 0);
  g.maxPromptTokens = f.integer("max_prompt_tokens", g.maxPromptTokens);
  f.atLeast("max_prompt_tokens", double(g.maxPromptTokens), 1);
  g.maxNewTokens = f.integer("max_new_tokens", g.maxNewTokens);
  f.atLeast("max_new_tokens", double(g.maxNewTokens), 1);
  g.greedy = f.boolean("greedy", g.greedy);  // temperature and top_p are kept (a form toggles greedy) but unused
  g.temperature = f.number("temperature", g.temperature);
  f.positive("temperature", g.temperature);
  g.topP = f.number("top_p", g.topP);
  if (f.has("top_p") && !(g.topP > 0 && g.topP <= 1)) f.fail("top_p", QStringLiteral("must be in (0, 1]"));
  g.topK = f.integer("top_k", g.topK);
  f.atLeast("top_k", double(g.topK), 0);
  g.repetitionPenalty = f.number("repetition_penalty", g.greedy ? 1.0 : g.repetitionPenalty);
  f.positive("repetition_penalty", g.repetitionPenalty);
  g.dtype = f.choice("dtype", g.dtype, {"f32", "bf16"});
  return s;
}

QJsonObject dataOpJson(const DataOpSettings& s) {
  QJsonObject o{{"op", s.op}, {"input", s.input}, {"format", s.format}, {"on_bad_row", s.onBadRow}};
  if (!s.output.isEmpty()) o.insert("output", s.output);
  const bool generate = s.op == QLatin1String("generate");
  if (!generate) {
    if (!s.field.isEmpty()) o.insert("field", s.field);
    o.insert("threshold", s.threshold);
    o.insert("num_perm", s.numPerm);
    o.insert("shingle", s.shingle);
    o.insert("minhash_seed", qint64(s.minhashSeed));
    o.insert("casefold", s.casefold);
  }
  if (s.op == QLatin1String("clean")) {
    o.insert("exact_dedup", s.exactDedup);
    o.insert("near_dedup", s.nearDedup);
    o.insert("min_chars", qint64(s.minChars));
    o.insert("max_chars", qint64(s.maxChars));
    o.insert("min_tokens", qint64(s.minTokens));
    o.insert("max_tokens", qint64(s.maxTokens));
    if (!s.tokenizer.isEmpty()) o.insert("tokenizer", s.tokenizer);
    o.insert("keep_empty", s.keepEmpty);
    o.insert("unicode", s.unicode);
    o.insert("keep_control", s.keepControl);
    o.insert("scripts", QJsonArray::fromStringList(s.scripts));
    o.insert("min_script_share", s.minScriptShare);
    o.insert("max_lines", s.maxLines);
  }
  if (s.op == QLatin1String("split")) {
    o.insert("ratios", QJsonArray{s.ratios[0], s.ratios[1], s.ratios[2]});
    o.insert("seed", qint64(s.seed));
    if (!s.stratify.isEmpty()) o.insert("stratify", s.stratify);
  }
  if (generate) {
    const DataGenerateSettings& g = s.generate;
    QJsonObject map;
    for (auto it = s.map.begin(); it != s.map.end(); ++it) map.insert(it.key(), it.value());
    if (!map.isEmpty()) o.insert("map", map);
    if (!g.schema.isEmpty()) o.insert("schema", g.schema);
    o.insert("batch", qint64(g.batch));
    o.insert("limit", qint64(g.limit));
    o.insert("max_prompt_tokens", qint64(g.maxPromptTokens));
    o.insert("max_new_tokens", qint64(g.maxNewTokens));
    o.insert("greedy", g.greedy);
    o.insert("temperature", g.temperature);
    o.insert("top_p", g.topP);
    o.insert("top_k", qint64(g.topK));
    o.insert("repetition_penalty", g.repetitionPenalty);
    o.insert("seed", qint64(g.seed));
    o.insert("dtype", g.dtype);
  }
  return o;
}

}  // namespace distillery::jobspec
