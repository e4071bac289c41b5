// distillery-cli kld BASE_DIR OTHER_DIR --data FILE.jsonl: how far OTHER (a quantized or fine-tuned copy) drifts
// from BASE on a text set, as llama.cpp's `perplexity --kl-divergence` reports it (core/eval/Fidelity.h).
//
// Chunking: each row {"text": ...} is encoded with BASE's tokenizer (special tokens added, so BOS where the
// model expects it) and scored on its own with Hugging Face's sliding window (core/eval/LmMetrics.h): windows
// of --seq-len tokens advancing by --stride (default seq-len/2). llama.cpp instead cuts one long token stream
// into n_ctx chunks and scores only the second half of each, so every scored token has at least n_ctx/2 tokens
// of context but half the text is never scored. We score every token of every row once; with the default
// stride every token after a row's first window still has at least seq-len/2 tokens of context, as in
// llama.cpp, and rows shorter than the window are scored whole (their first tokens with little context).
#include "checkpoint/Checkpoint.h"
#include "cli/CliContext.h"
#include "cli/DataCli.h"
#include "cli/Interrupt.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "data/RowReader.h"
#include "eval/LmMetrics.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <atomic>

namespace distillery::cli {

namespace {

// Bytes of the checkpoint files a model folder loads (its safetensors); null when they cannot be listed.
QJsonValue checkpointBytes(const QString& dir) {
  try {
    qint64 bytes = 0;
    for (const QString& file : CheckpointReader(dir).files()) bytes += QFileInfo(file).size();
    return QJsonValue(double(bytes));
  } catch (const Error&) {
    return QJsonValue(QJsonValue::Null);
  }
}

// Every row's "text" encoded with base (and, when the other folder has a tokenizer, checked to encode the same
// with it). FormatError naming FILE:LINE for a row without text or with a differing encoding; FILE for no rows.
std::vector<std::vector<int32_t>> readTexts(const QString& path, int64_t maxRows, const Tokenizer& base,
                                            const Tokenizer& other, const QString& baseDir, const QString& otherDir) {
  RowReader reader(path, {.onBadRow = BadRowPolicy::Fail});
  std::vector<std::vector<int32_t>> texts;
  Row row;
  while ((maxRows == 0 || int64_t(texts.size()) < maxRows) && reader.next(row)) {
    const QString where = QStringLiteral("%1:%2").arg(path).arg(row.line);
    const QJsonValue v = row.fields.value(QStringLiteral("text"));
    if (!v.isString() || v.toString().isEmpty())
      throw FormatError(where, QStringLiteral("text"), v.isString() ? v.toString() : QString(),
                        v.isUndefined() ? QStringLiteral("is missing (each row needs {\"text\": ...})")
                                        : QStringLiteral("must be a non-empty string"));
    std::vector<int32_t> ids = base.encode(v.toString(), /*addSpecialTokens=*/true);
    if (!other.isNull() && other.encode(v.toString(), true) != ids)
      throw FormatError(where, QStringLiteral("text"), QString(),
                        QStringLiteral("encodes differently with %1's tokenizer and %2's: the models must share "
                                       "a tokenizer")
                            .arg(baseDir, otherDir));
    texts.push_back(std::move(ids));
  }
  if (texts.empty())
    throw FormatError(path, QStringLiteral("rows"), QStringLiteral("0"), QStringLiteral("has no rows to score"));
  return texts;
}

int kld(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli kld BASE_DIR OTHER_DIR --data FILE.jsonl [--seq-len N] [--stride N] [--batch-size N] "
      "[--max-rows N] [--device cpu|cuda] [--dtype f32|bf16] [--base-dtype f32|bf16]");
  QCommandLineParser p;
  p.addOption({QStringLiteral("data"), QStringLiteral("JSONL (or CSV, JSON array) rows with a \"text\" field."),
               QStringLiteral("FILE")});
  p.addOption({QStringLiteral("seq-len"),
               QStringLiteral("Tokens per window (default 512, at most the model's max_position_embeddings)."),
               QStringLiteral("N")});
  p.addOption({QStringLiteral("stride"),
               QStringLiteral("Tokens between window starts, 1..seq-len (default seq-len/2: every token after a "
                              "row's first window has at least that much context)."),
               QStringLiteral("N")});
  p.addOption({QStringLiteral("batch-size"), QStringLiteral("Windows per forward pass (default 4)."),
               QStringLiteral("N")});
  p.addOption({QStringLiteral("max-rows"), QStringLiteral("Score only the first N rows (default all)."),
               QStringLiteral("N")});
  p.addOption({QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE")});
  p.addOption({QStringLiteral("dtype"), kDtypeHelp + QStringLiteral(" For OTHER_DIR."), QStringLiteral("DTYPE")});
  p.addOption({QStringLiteral("base-dtype"), kDtypeHelp + QStringLiteral(" For BASE_DIR (default f32)."),
               QStringLiteral("DTYPE")});
  p.addPositionalArgument(QStringLiteral("BASE_DIR"), QStringLiteral("The reference model folder."));
  p.addPositionalArgument(QStringLiteral("OTHER_DIR"), QStringLiteral("The model compared with it (e.g. quantized)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QStringList dirs = positionals(p, 2, usage);
  const QString data = p.value(QStringLiteral("data"));
  if (data.isEmpty()) throw UsageError(QStringLiteral("--data FILE.jsonl is required\nusage: ") + usage);
  const torch::Device device = parseDevice(p.value(QStringLiteral("device")));
  const torch::ScalarType otherType = parseDtype(p.value(QStringLiteral("dtype")));
  const torch::ScalarType baseType = parseDtype(p.value(QStringLiteral("base-dtype")));
  const int64_t maxRows = wholeNumberOption(p, QStringLiteral("max-rows"), 0, 1);
  const int64_t batch = wholeNumberOption(p, QStringLiteral("batch-size"), 4, 1, 4096);

  // Same vocabulary before anything heavy is loaded.
  const ModelConfig baseConfig = ModelConfig::fromFile(dirs[0] + QStringLiteral("/config.json"));
  const ModelConfig otherConfig = ModelConfig::fromFile(dirs[1] + QStringLiteral("/config.json"));
  if (baseConfig.vocabSize != otherConfig.vocabSize)
    throw FormatError(otherConfig.path, QStringLiteral("vocab_size"), otherConfig.vocabSize,
                      QStringLiteral("differs from %1's %2: the two models must share a vocabulary and tokenizer")
                          .arg(baseConfig.path)
                          .arg(baseConfig.vocabSize));
  const int64_t maxPositions = baseConfig.maxPositions > 0 ? baseConfig.maxPositions : 512;
  const int64_t seqLen = wholeNumberOption(p, QStringLiteral("seq-len"), std::min<int64_t>(512, maxPositions), 2,
                                           maxPositions);
  const int64_t stride = wholeNumberOption(p, QStringLiteral("stride"), std::max<int64_t>(1, seqLen / 2), 1, seqLen);

  const Tokenizer baseTok = Tokenizer::fromDirectory(dirs[0]);
  Tokenizer otherTok;
  if (QFileInfo::exists(dirs[1] + QStringLiteral("/tokenizer.json"))) {
    otherTok = Tokenizer::fromDirectory(dirs[1]);
    if (otherTok.vocabSize() != baseTok.vocabSize())
      throw FormatError(dirs[1] + QStringLiteral("/tokenizer.json"), QStringLiteral("vocabulary"),
                        otherTok.vocabSize(),
                        QStringLiteral("tokens, %1/tokenizer.json has %2: the two models must share a tokenizer")
                            .arg(dirs[0])
                            .arg(baseTok.vocabSize()));
  }
  const std::vector<std::vector<int32_t>> texts = readTexts(data, maxRows, baseTok, otherTok, dirs[0], dirs[1]);

  LoadedModel base = loadModel(dirs[0], baseType, device);
  LoadedModel other = loadModel(dirs[1], otherType, device);

  std::atomic_bool cancel{false};
  SigintCancels guard(cancel);
  LmEvalOptions o;
  o.window = seqLen;
  o.stride = stride;
  o.batchSize = batch;
  // One line a batch (each a forward pass of both models); stderr stays for errors only with --json.
  o.progress = [&](int64_t done, int64_t total) {
    if (!ctx.json) {
      ctx.err << "kld: " << done << "/" << total << " windows" << (done == total ? "\n" : "\r");
      ctx.err.flush();
    }
    return !cancel.load();
  };
  const FidelityRun run = compareModels(base.model, other.model, texts, o);
  if (run.cancelled) throw Error(QStringLiteral("kld: cancelled"));
  const FidelitySummary& s = run.summary;
  if (s.tokens == 0)
    throw FormatError(data, QStringLiteral("text"), QString(),
                      QStringLiteral("no row has 2 tokens or more: nothing to score"));

  QJsonObject out = fidelityJson(s);
  out.insert(QStringLiteral("rows"), double(texts.size()));
  out.insert(QStringLiteral("seq_len"), double(seqLen));
  out.insert(QStringLiteral("stride"), double(stride));
  out.insert(QStringLiteral("size"), QJsonObject{{"base", checkpointBytes(dirs[0])}, {"other", checkpointBytes(dirs[1])}});
  ctx.print(out);
  return 0;
}

}  // namespace

Command kldCommand() {
  return {QStringLiteral("kld"),
          QStringLiteral("BASE_DIR OTHER_DIR --data FILE.jsonl: KL divergence, perplexity ratio, same top-1 "
                         "(llama.cpp statistics)"),
          kld};
}

}  // namespace distillery::cli
