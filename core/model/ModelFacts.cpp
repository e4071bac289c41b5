#include "model/ModelFacts.h"

#include "checkpoint/Checkpoint.h"
#include "common/Error.h"
#include "model/MemoryEstimate.h"
#include "model/ModelConfig.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>

namespace distillery {

namespace {

// JSON has no 64-bit integer type of its own; QJsonValue takes qint64, which is not int64_t's type everywhere.
QJsonValue integer(int64_t v) { return QJsonValue(static_cast<qint64>(v)); }

QJsonArray toJson(const std::vector<int64_t>& v) {
  QJsonArray a;
  for (int64_t x : v) a.append(static_cast<qint64>(x));
  return a;
}

QJsonObject toJson(const InferenceMemory& m) {
  return {{QStringLiteral("context"), integer(m.context)},
          {QStringLiteral("batch"), integer(m.batch)},
          {QStringLiteral("weights_bytes"), integer(m.weightsBytes)},
          {QStringLiteral("kv_cache_bytes"), integer(m.kvCacheBytes)},
          {QStringLiteral("workspace_bytes"), integer(m.workspaceBytes)},
          {QStringLiteral("total_bytes"), integer(m.totalBytes)},
          {QStringLiteral("total_gib"), m.totalBytes / double(1 << 30)}};
}

QJsonObject toJson(const LoraTrainingMemory& m) {
  return {{QStringLiteral("rank"), integer(m.rank)},
          {QStringLiteral("sequence"), integer(m.sequence)},
          {QStringLiteral("batch"), integer(m.batch)},
          {QStringLiteral("weights_bytes"), integer(m.weightsBytes)},
          {QStringLiteral("adapter_parameters"), integer(m.adapterParameters)},
          {QStringLiteral("adapter_bytes"), integer(m.adapterBytes)},
          {QStringLiteral("activation_bytes"), integer(m.activationBytes)},
          {QStringLiteral("total_bytes"), integer(m.totalBytes)},
          {QStringLiteral("total_gib"), m.totalBytes / double(1 << 30)}};
}

}  // namespace

QJsonObject inspectModel(const QString& dir) {
  const ModelConfig c = ModelConfig::fromFile(QDir(dir).filePath(QStringLiteral("config.json")));

  QJsonObject out{
      {QStringLiteral("dir"), QDir::cleanPath(dir)},
      {QStringLiteral("architecture"), c.architecture},
      {QStringLiteral("model_type"), c.modelType},
      {QStringLiteral("parameters"), integer(parameterCount(c))},
      {QStringLiteral("layers"), integer(c.layers)},
      {QStringLiteral("heads"), integer(c.heads)},
      {QStringLiteral("kv_heads"), integer(c.kvHeads)},
      {QStringLiteral("head_dim"), integer(c.headDim)},
      {QStringLiteral("hidden"), integer(c.hidden)},
      {QStringLiteral("intermediate"), integer(c.intermediate)},
      {QStringLiteral("vocab"), integer(c.vocabSize)},
      {QStringLiteral("dtype"), c.dtype.isEmpty() ? QJsonValue() : QJsonValue(c.dtype)},
      {QStringLiteral("tied"), c.tieWordEmbeddings},
      {QStringLiteral("rope_theta"), c.ropeTheta},
      {QStringLiteral("rope_scaling"),
       c.ropeScaling.type == RopeScaling::Type::Llama3 ? QStringLiteral("llama3") : QStringLiteral("default")},
      {QStringLiteral("max_positions"), integer(c.maxPositions)},
      {QStringLiteral("sliding_window"), c.slidingWindow > 0 ? integer(c.slidingWindow) : QJsonValue()},
      {QStringLiteral("eos_token_ids"), toJson(c.eosTokenIds)},
  };

  QJsonObject checkpoint;
  try {
    const CheckpointReader ckpt(dir);
    int64_t bytes = 0;
    for (const QString& name : ckpt.names()) bytes += ckpt.info(name).bytes();
    QJsonArray files;
    for (const QString& f : ckpt.files()) files.append(QFileInfo(f).fileName());
    checkpoint = {{QStringLiteral("files"), files},
                  {QStringLiteral("tensors"), integer(ckpt.names().size())},
                  {QStringLiteral("bytes"), integer(bytes)}};
    checkCheckpoint(ckpt, c);
    checkpoint.insert(QStringLiteral("matches_config"), true);
  } catch (const Error& e) {
    checkpoint.insert(QStringLiteral("matches_config"), false);
    checkpoint.insert(QStringLiteral("error"), e.message());
  }
  out.insert(QStringLiteral("checkpoint"), checkpoint);

  QJsonObject tokenizer;
  if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("tokenizer.json")))) {
    tokenizer = {{QStringLiteral("present"), false}};
  } else {
    try {
      tokenizer = Tokenizer::fromDirectory(dir).summary();
      tokenizer.insert(QStringLiteral("present"), true);
    } catch (const Error& e) {
      tokenizer = {{QStringLiteral("present"), true}, {QStringLiteral("error"), e.message()}};
    }
  }
  out.insert(QStringLiteral("tokenizer"), tokenizer);
  out.insert(QStringLiteral("memory"),
             QJsonObject{{QStringLiteral("inference_bf16"), toJson(estimateInference(c))},
                         {QStringLiteral("lora_training_bf16"), toJson(estimateLoraTraining(c))}});
  return out;
}

}  // namespace distillery
