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
#include "cli/CliContext.h"
#include "cli/DataCli.h"
#include "cli/Interrupt.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "eval/KldRun.h"

#include <QtCore/QJsonObject>

#include <atomic>

namespace distillery::cli {

namespace {

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
  KldRequest r;
  r.baseDir = dirs[0];
  r.otherDir = dirs[1];
  r.data = data;
  r.device = parseDevice(p.value(QStringLiteral("device")));
  r.otherType = parseDtype(p.value(QStringLiteral("dtype")));
  r.baseType = parseDtype(p.value(QStringLiteral("base-dtype")));
  r.maxRows = wholeNumberOption(p, QStringLiteral("max-rows"), 0, 1);
  r.batchSize = wholeNumberOption(p, QStringLiteral("batch-size"), 4, 1, 4096);
  // 0: the default; the upper bounds (max_position_embeddings, seq-len) are checked by runKld with these names.
  r.seqLen = wholeNumberOption(p, QStringLiteral("seq-len"), 0, 1);
  r.stride = wholeNumberOption(p, QStringLiteral("stride"), 0, 1);

  std::atomic_bool cancel{false};
  SigintCancels guard(cancel);
  // One line a batch (each a forward pass of both models); stderr stays for errors only with --json.
  r.progress = [&](int64_t done, int64_t total) {
    if (!ctx.json) {
      ctx.err << "kld: " << done << "/" << total << " windows" << (done == total ? "\n" : "\r");
      ctx.err.flush();
    }
    return !cancel.load();
  };
  const KldResult result = runKld(r);
  if (result.cancelled) throw Error(QStringLiteral("kld: cancelled"));
  const QJsonObject& out = result.json;
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
