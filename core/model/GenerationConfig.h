// generation_config.json: the special token ids and sampling defaults a model was published with. Every field
// is optional (unset: the file does not say); a missing file is an empty config.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

struct GenerationConfig {
  std::optional<int64_t> bosTokenId;        // bos_token_id
  std::vector<int64_t> eosTokenIds;         // eos_token_id: an int or a list; any of them ends a sequence
  std::optional<int64_t> padTokenId;        // pad_token_id
  std::optional<bool> doSample;             // do_sample
  std::optional<double> temperature;        // temperature (> 0)
  std::optional<int64_t> topK;              // top_k (≥ 0; 0: off)
  std::optional<double> topP;               // top_p (0 < p ≤ 1)
  std::optional<double> repetitionPenalty;  // repetition_penalty (> 0)
  std::optional<int64_t> maxNewTokens;      // max_new_tokens (> 0)

  // dir/generation_config.json or any path; a file that does not exist gives an empty config. Throws
  // FormatError naming the file and field for bad JSON or a wrong-typed or out-of-range value.
  static GenerationConfig fromFile(const QString& path);
  static GenerationConfig fromJson(const QJsonObject& json, const QString& pathForErrors);
};

}  // namespace distillery
