#include "model/GenerationConfig.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/JsonFields.h"

#include <QtCore/QFileInfo>

namespace distillery {

GenerationConfig GenerationConfig::fromFile(const QString& path) {
  if (!QFileInfo::exists(path)) return {};
  return fromJson(readJsonObject(path), path);
}

GenerationConfig GenerationConfig::fromJson(const QJsonObject& json, const QString& path) {
  const JsonFields in(json, path);
  GenerationConfig g;
  g.bosTokenId = in.optionalTokenId(QStringLiteral("bos_token_id"));
  g.eosTokenIds = in.tokenIds(QStringLiteral("eos_token_id"));
  g.padTokenId = in.optionalTokenId(QStringLiteral("pad_token_id"));
  g.doSample = in.optionalBool(QStringLiteral("do_sample"));
  g.temperature = in.optionalNumber(QStringLiteral("temperature"));
  if (g.temperature && !(*g.temperature > 0))
    throw FormatError(path, QStringLiteral("temperature"), *g.temperature, QStringLiteral("must be positive"));
  g.topK = in.optionalInt(QStringLiteral("top_k"));
  if (g.topK && *g.topK < 0)
    throw FormatError(path, QStringLiteral("top_k"), *g.topK, QStringLiteral("must be 0 (off) or more"));
  g.topP = in.optionalNumber(QStringLiteral("top_p"));
  if (g.topP && !(*g.topP > 0 && *g.topP <= 1))
    throw FormatError(path, QStringLiteral("top_p"), *g.topP, QStringLiteral("must be in (0, 1]"));
  g.repetitionPenalty = in.optionalNumber(QStringLiteral("repetition_penalty"));
  if (g.repetitionPenalty && !(*g.repetitionPenalty > 0))
    throw FormatError(path, QStringLiteral("repetition_penalty"), *g.repetitionPenalty,
                      QStringLiteral("must be positive"));
  g.maxNewTokens = in.optionalPositiveInt(QStringLiteral("max_new_tokens"));
  return g;
}

}  // namespace distillery
