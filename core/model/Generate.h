// Text generation with a CausalLM: batched prompts (left-padded), a KV cache, greedy or sampled decoding with
// transformers' logit processing (repetition penalty → temperature → top-k → top-p → softmax → multinomial).
//
//   GenerateOptions o;  o.greedy = true;  o.maxNewTokens = 64;
//   useModelTokenIds(o, loaded.config, loaded.generation);
//   GenerateResult r = generate(loaded.model, {{1, 415, 2936}}, o);
#pragma once
#include "model/CausalLM.h"
#include "model/GenerationConfig.h"
#include "model/ModelConfig.h"

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace distillery {

struct GenerateOptions {
  bool greedy = false;                  // argmax (do_sample=False); temperature, top-k and top-p are unused
  double temperature = 0.7;             // > 0; divides the logits
  int64_t topK = 0;                     // keep the k most likely tokens; 0: off
  double topP = 0.9;                    // keep the most likely tokens up to this probability mass; 1: off
  double repetitionPenalty = 1.2;       // ids seen in the row (prompt included): s>0 → s/r, else s·r; 1: off.
                                        // Left padding is not counted (transformers counts the pad id too)
  int64_t maxNewTokens = 512;           // new tokens per row at most
  uint64_t seed = 0;                    // the sampler's generator (on the CPU, so devices draw alike)
  std::vector<int64_t> eosTokenIds;     // any of them ends a row (and is kept); empty: rows run to maxNewTokens
  std::optional<int64_t> padTokenId;    // fills left padding and finished rows; unset: eosTokenIds[0], else 0
  std::atomic_bool* cancel = nullptr;   // read before every step; true stops the run
  std::function<bool(int step, int total)> progress;  // after every step; false stops the run
};

// Fills o.eosTokenIds with every eos id of config.json and generation_config.json (when o has none) and
// o.padTokenId from generation_config.json, else config.json (when o has none).
void useModelTokenIds(GenerateOptions& o, const ModelConfig& config, const GenerationConfig& generation);

struct GenerateResult {
  torch::Tensor sequences;                       // [B, P + steps] int64 CPU, as transformers' generate(): the
                                                 // prompts left-padded to P, then the new tokens (pad once a row ended)
  std::vector<std::vector<int64_t>> newTokens;   // per row: its new ids, up to and including the eos that ended it
  std::vector<bool> finished;                    // per row: ended by an eos
  int steps = 0;                                 // decoding steps run
  bool stopped = false;                          // cancel or progress ended the run early
};

// prompts: one or more non-empty rows of ids in [0, vocab). Runs under NoGradGuard. Throws Error for empty
// prompts or bad options; c10::Error from the model for ids out of range.
GenerateResult generate(CausalLM& model, const std::vector<std::vector<int64_t>>& prompts, const GenerateOptions& o);

}  // namespace distillery
