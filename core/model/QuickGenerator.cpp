#include "model/QuickGenerator.h"

#include "common/Error.h"
#include "model/Generate.h"
#include "model/KvCache.h"
#include "model/ModelLoader.h"
#include "model/Sampling.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <optional>

namespace distillery {

struct QuickGenerator::Impl {
  std::optional<LoadedModel> model;
  std::optional<Tokenizer> tokenizer;
};

QuickGenerator::QuickGenerator() : d_(std::make_unique<Impl>()) {}
QuickGenerator::~QuickGenerator() = default;

void QuickGenerator::load(const QString& dir) {
  LoadedModel m = loadModel(dir, torch::kFloat32, torch::kCPU);
  std::optional<Tokenizer> t;
  if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("tokenizer.json")))) t = Tokenizer::fromDirectory(dir);
  d_->model = std::move(m);
  d_->tokenizer = std::move(t);
}

bool QuickGenerator::isLoaded() const { return d_->model.has_value(); }
QString QuickGenerator::dir() const { return d_->model ? d_->model->dir : QString(); }
bool QuickGenerator::hasTokenizer() const { return d_->tokenizer.has_value(); }
int64_t QuickGenerator::vocabSize() const { return d_->model ? d_->model->config.vocabSize : 0; }

std::vector<int64_t> QuickGenerator::encode(const QString& prompt) const {
  if (!d_->tokenizer)
    throw Error(dir(), QStringLiteral("tokenizer.json"), {}, QStringLiteral("is missing: give token ids"));
  std::vector<int64_t> ids;
  for (int32_t id : d_->tokenizer->encode(prompt, /*addSpecialTokens=*/true)) ids.push_back(id);
  if (ids.empty()) throw Error({}, QStringLiteral("prompt"), prompt, QStringLiteral("encodes to no tokens"));
  return ids;
}

QuickOutput QuickGenerator::run(const std::vector<int64_t>& promptIds, const QuickSettings& s,
                                const std::atomic_bool* cancel,
                                const std::function<void(const std::vector<int64_t>&, const QString&)>& onToken) const {
  if (!d_->model) throw Error(QStringLiteral("no model is loaded"));
  LoadedModel& m = *d_->model;  // forward() is not const; run() only reads the weights
  // generate()'s own checks and eos/pad ids, so both decode under the same rules.
  GenerateOptions o;
  o.greedy = s.greedy;
  o.temperature = s.temperature;
  o.topP = s.topP;
  o.topK = s.topK;
  o.repetitionPenalty = s.repetitionPenalty;
  o.maxNewTokens = s.maxNewTokens;
  useModelTokenIds(o, m.config, m.generation);
  if (s.maxNewTokens < 1 || s.maxNewTokens > 4096)
    throw Error({}, QStringLiteral("max_new_tokens"), QString::number(s.maxNewTokens),
                QStringLiteral("must be 1 to 4096"));
  if (!(s.repetitionPenalty > 0))
    throw Error({}, QStringLiteral("repetition_penalty"), QString::number(s.repetitionPenalty),
                QStringLiteral("must be positive"));
  if (!s.greedy && !(s.temperature > 0))
    throw Error({}, QStringLiteral("temperature"), QString::number(s.temperature), QStringLiteral("must be positive"));
  if (!s.greedy && !(s.topP > 0 && s.topP <= 1))
    throw Error({}, QStringLiteral("top_p"), QString::number(s.topP), QStringLiteral("must be in (0, 1]"));
  if (promptIds.empty()) throw Error({}, QStringLiteral("prompt"), {}, QStringLiteral("is empty"));
  const int64_t vocab = m.config.vocabSize;
  for (int64_t id : promptIds)
    if (id < 0 || id >= vocab)
      throw Error({}, QStringLiteral("prompt"), QString::number(id),
                  QStringLiteral("is not a token id of this model (vocabulary %1)").arg(vocab));

  torch::NoGradGuard noGrad;
  QuickOutput out;
  out.promptIds = promptIds;
  const int64_t length = static_cast<int64_t>(promptIds.size());
  torch::Tensor input = torch::tensor(promptIds, torch::kInt64).unsqueeze(0);
  torch::Tensor mask = torch::ones({1, length}, torch::kInt64);
  torch::Tensor seen = torch::zeros({1, vocab}, torch::kBool);
  seen.index_put_({0, input[0]}, true);
  KvCache cache(length + s.maxNewTokens);
  at::Generator sampler = at::detail::createCPUGenerator(s.seed);
  for (int64_t step = 0; step < s.maxNewTokens; ++step) {
    if (cancel && cancel->load()) {
      out.stopped = true;
      break;
    }
    ForwardOptions f;
    f.attentionMask = mask;
    f.cache = &cache;
    f.lastPositions = 1;
    torch::Tensor scores = m.model->forward(input, f).logits.select(1, 0);  // [1, vocab]
    scores = applyRepetitionPenalty(scores, seen, s.repetitionPenalty);
    int64_t next = 0;
    if (s.greedy) {
      next = scores.argmax(-1).item<int64_t>();
    } else {
      scores = applyTopP(applyTopK(applyTemperature(scores, s.temperature), s.topK), s.topP);
      next = torch::multinomial(torch::softmax(scores, -1), 1, false, sampler).item<int64_t>();
    }
    out.newIds.push_back(next);
    seen.index_put_({0, next}, true);
    if (d_->tokenizer) {
      const std::vector<int32_t> ids32(out.newIds.begin(), out.newIds.end());
      out.completion = d_->tokenizer->decode(ids32, /*skipSpecialTokens=*/true);
    }
    if (onToken) onToken(out.newIds, out.completion);
    if (std::find(o.eosTokenIds.begin(), o.eosTokenIds.end(), next) != o.eosTokenIds.end()) {
      out.finished = true;
      break;
    }
    input = torch::full({1, 1}, next, torch::kInt64);
    mask = torch::cat({mask, torch::ones({1, 1}, torch::kInt64)}, 1);
  }
  return out;
}

}  // namespace distillery
