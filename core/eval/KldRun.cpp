#include "eval/KldRun.h"

#include "checkpoint/Checkpoint.h"
#include "common/Error.h"
#include "data/RowReader.h"
#include "eval/Fidelity.h"
#include "eval/LmMetrics.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <QtCore/QFileInfo>

#include <algorithm>

namespace distillery {

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

// value in [lo, hi], else UsageError naming field (the CLI's wording for its whole-number flags).
int64_t checkedWhole(int64_t value, int64_t lo, int64_t hi, const QString& field) {
  if (value < lo || value > hi)
    throw UsageError(QString(), field, QString::number(value),
                     QStringLiteral("must be a whole number in [%1, %2]").arg(lo).arg(hi));
  return value;
}

}  // namespace

KldResult runKld(const KldRequest& r) {
  // Same vocabulary before anything heavy is loaded.
  const ModelConfig baseConfig = ModelConfig::fromFile(r.baseDir + QStringLiteral("/config.json"));
  const ModelConfig otherConfig = ModelConfig::fromFile(r.otherDir + QStringLiteral("/config.json"));
  if (baseConfig.vocabSize != otherConfig.vocabSize)
    throw FormatError(otherConfig.path, QStringLiteral("vocab_size"), otherConfig.vocabSize,
                      QStringLiteral("differs from %1's %2: the two models must share a vocabulary and tokenizer")
                          .arg(baseConfig.path)
                          .arg(baseConfig.vocabSize));
  const int64_t maxPositions = baseConfig.maxPositions > 0 ? baseConfig.maxPositions : 512;
  const int64_t seqLen =
      r.seqLen == 0 ? std::min<int64_t>(512, maxPositions) : checkedWhole(r.seqLen, 2, maxPositions, r.seqLenField);
  const int64_t stride =
      r.stride == 0 ? std::max<int64_t>(1, seqLen / 2) : checkedWhole(r.stride, 1, seqLen, r.strideField);

  const Tokenizer baseTok = Tokenizer::fromDirectory(r.baseDir);
  Tokenizer otherTok;
  if (QFileInfo::exists(r.otherDir + QStringLiteral("/tokenizer.json"))) {
    otherTok = Tokenizer::fromDirectory(r.otherDir);
    if (otherTok.vocabSize() != baseTok.vocabSize())
      throw FormatError(r.otherDir + QStringLiteral("/tokenizer.json"), QStringLiteral("vocabulary"),
                        otherTok.vocabSize(),
                        QStringLiteral("tokens, %1/tokenizer.json has %2: the two models must share a tokenizer")
                            .arg(r.baseDir)
                            .arg(baseTok.vocabSize()));
  }
  const std::vector<std::vector<int32_t>> texts =
      readTexts(r.data, r.maxRows, baseTok, otherTok, r.baseDir, r.otherDir);

  LoadedModel base = loadModel(r.baseDir, r.baseType, r.device);
  LoadedModel other = loadModel(r.otherDir, r.otherType, r.device);

  LmEvalOptions o;
  o.window = seqLen;
  o.stride = stride;
  o.batchSize = r.batchSize;
  o.progress = r.progress;
  const FidelityRun run = compareModels(base.model, other.model, texts, o);
  KldResult result;
  if (run.cancelled) {
    result.cancelled = true;
    return result;
  }
  const FidelitySummary& s = run.summary;
  if (s.tokens == 0)
    throw FormatError(r.data, QStringLiteral("text"), QString(),
                      QStringLiteral("no row has 2 tokens or more: nothing to score"));
  result.json = fidelityJson(s);
  result.json.insert(QStringLiteral("rows"), double(texts.size()));
  result.json.insert(QStringLiteral("seq_len"), double(seqLen));
  result.json.insert(QStringLiteral("stride"), double(stride));
  result.json.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("base"), checkpointBytes(r.baseDir)},
                                                         {QStringLiteral("other"), checkpointBytes(r.otherDir)}});
  return result;
}

}  // namespace distillery
