#include "model/Generate.h"

#include "common/Error.h"
#include "model/KvCache.h"
#include "model/Sampling.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

namespace distillery {

void useModelTokenIds(GenerateOptions& o, const ModelConfig& config, const GenerationConfig& generation) {
  if (o.eosTokenIds.empty()) {
    for (const auto* ids : {&generation.eosTokenIds, &config.eosTokenIds})
      for (int64_t id : *ids)
        if (std::find(o.eosTokenIds.begin(), o.eosTokenIds.end(), id) == o.eosTokenIds.end()) o.eosTokenIds.push_back(id);
  }
  if (!o.padTokenId) o.padTokenId = generation.padTokenId ? generation.padTokenId : config.padTokenId;
}

namespace {

void validate(const std::vector<std::vector<int64_t>>& prompts, const GenerateOptions& o, int64_t vocab) {
  if (prompts.empty()) throw Error(QStringLiteral("generate needs at least one prompt"));
  for (size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw Error({}, QStringLiteral("prompt %1").arg(i), {}, QStringLiteral("is empty"));
    for (int64_t id : prompts[i])
      if (id < 0 || id >= vocab)
        throw Error({}, QStringLiteral("prompt %1").arg(i), QString::number(id),
                    QStringLiteral("is not a token id of this model (vocabulary %1)").arg(vocab));
  }
  if (o.maxNewTokens < 0)
    throw Error({}, QStringLiteral("max_new_tokens"), QString::number(o.maxNewTokens), QStringLiteral("must be 0 or more"));
  if (!(o.repetitionPenalty > 0))
    throw Error({}, QStringLiteral("repetition_penalty"), QString::number(o.repetitionPenalty), QStringLiteral("must be positive"));
  if (!o.greedy && !(o.temperature > 0))
    throw Error({}, QStringLiteral("temperature"), QString::number(o.temperature), QStringLiteral("must be positive"));
  if (!o.greedy && !(o.topP > 0 && o.topP <= 1))
    throw Error({}, QStringLiteral("top_p"), QString::number(o.topP), QStringLiteral("must be in (0, 1]"));
  if (o.topK < 0) throw Error({}, QStringLiteral("top_k"), QString::number(o.topK), QStringLiteral("must be 0 (off) or more"));
}

}  // namespace

GenerateResult generate(CausalLM& model, const std::vector<std::vector<int64_t>>& prompts, const GenerateOptions& o) {
  const int64_t vocab = model->config().vocabSize;
  validate(prompts, o, vocab);
  torch::NoGradGuard noGrad;
  const torch::Device device = model->device();
  const int64_t batch = static_cast<int64_t>(prompts.size());
  int64_t longest = 0;
  for (const auto& p : prompts) longest = std::max<int64_t>(longest, static_cast<int64_t>(p.size()));
  const int64_t pad = o.padTokenId.value_or(o.eosTokenIds.empty() ? 0 : o.eosTokenIds.front());

  // Left-padded prompts, their mask, and the ids each row has seen (for the repetition penalty).
  torch::Tensor ids = torch::full({batch, longest}, pad, torch::kInt64);
  torch::Tensor mask = torch::zeros({batch, longest}, torch::kInt64);
  torch::Tensor seen = torch::zeros({batch, vocab}, torch::kBool);
  {
    auto idsA = ids.accessor<int64_t, 2>();
    auto maskA = mask.accessor<int64_t, 2>();
    auto seenA = seen.accessor<bool, 2>();
    for (int64_t b = 0; b < batch; ++b) {
      const auto& p = prompts[static_cast<size_t>(b)];
      const int64_t offset = longest - static_cast<int64_t>(p.size());
      for (size_t i = 0; i < p.size(); ++i) {
        idsA[b][offset + static_cast<int64_t>(i)] = p[i];
        maskA[b][offset + static_cast<int64_t>(i)] = 1;
        seenA[b][p[i]] = true;
      }
    }
  }
  mask = mask.to(device);
  seen = seen.to(device);
  const torch::Tensor eos = torch::tensor(o.eosTokenIds, torch::kInt64).to(device);

  GenerateResult r;
  r.newTokens.resize(static_cast<size_t>(batch));
  r.finished.assign(static_cast<size_t>(batch), false);
  std::vector<torch::Tensor> columns;
  KvCache cache(longest + o.maxNewTokens);
  torch::Tensor finished = torch::zeros({batch}, torch::TensorOptions().dtype(torch::kBool).device(device));
  at::Generator sampler = at::detail::createCPUGenerator(o.seed);
  torch::Tensor input = ids.to(device);

  for (int64_t step = 0; step < o.maxNewTokens; ++step) {
    if (o.cancel && o.cancel->load()) {
      r.stopped = true;
      break;
    }
    ForwardOptions f;
    f.attentionMask = mask;
    f.cache = &cache;
    f.lastPositions = 1;
    torch::Tensor scores = model->forward(input, f).logits.select(1, 0);  // [B, vocab] float32
    scores = applyRepetitionPenalty(scores, seen, o.repetitionPenalty);
    torch::Tensor next;
    if (o.greedy) {
      next = scores.argmax(-1);
    } else {
      scores = applyTopP(applyTopK(applyTemperature(scores, o.temperature), o.topK), o.topP);
      const torch::Tensor probs = torch::softmax(scores, -1).to(torch::kCPU);
      next = torch::multinomial(probs, 1, /*replacement=*/false, sampler).squeeze(1).to(device);
    }
    next = torch::where(finished, torch::full_like(next, pad), next);
    seen.scatter_(1, next.unsqueeze(1), true);
    if (eos.numel() > 0) finished = finished.logical_or(torch::isin(next, eos));

    const torch::Tensor chosen = next.to(torch::kCPU);
    const torch::Tensor done = finished.to(torch::kCPU);
    for (int64_t b = 0; b < batch; ++b) {
      if (r.finished[static_cast<size_t>(b)]) continue;
      r.newTokens[static_cast<size_t>(b)].push_back(chosen[b].item<int64_t>());
      r.finished[static_cast<size_t>(b)] = done[b].item<bool>();
    }
    columns.push_back(chosen.unsqueeze(1));
    mask = torch::cat({mask, torch::ones({batch, 1}, mask.options())}, 1);
    input = next.unsqueeze(1);
    ++r.steps;
    if (o.progress && !o.progress(static_cast<int>(step + 1), static_cast<int>(o.maxNewTokens))) {
      r.stopped = true;
      break;
    }
    if (done.all().item<bool>()) break;
  }
  columns.insert(columns.begin(), ids);
  r.sequences = torch::cat(columns, 1);
  return r;
}

}  // namespace distillery
