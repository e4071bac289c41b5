#include "eval/LmMetrics.h"

#include "common/Error.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace distillery {

namespace {

// The window of o, or the model's max_position_embeddings when o leaves it 0.
int64_t windowOf(CausalLM& lm, const LmEvalOptions& o) {
  const int64_t w = o.window > 0 ? o.window : lm->config().maxPositions;
  if (w < 2)
    throw UsageError(QString(), QStringLiteral("window"), QString::number(o.window),
                     QStringLiteral("needs at least 2 tokens (and the model gives no max_position_embeddings)"));
  return w;
}

int64_t strideOf(const LmEvalOptions& o, int64_t window) { return o.stride > 0 ? o.stride : window; }

// Throws Error naming the sequence when a token id lies outside [0, vocab): the embedding would fail obscurely.
void checkIds(const std::vector<int32_t>& ids, int64_t vocab, const QString& what, size_t index) {
  for (int32_t id : ids)
    if (id < 0 || id >= vocab)
      throw Error(QString(), what + QStringLiteral("[%1]").arg(index), QString::number(id),
                  QStringLiteral("token id outside the model's vocabulary [0, %1)").arg(vocab));
}

// Right-padded rows (none empty) → (ids [B, L] int64, mask [B, L] int64: 1 token, 0 padding) on device.
std::pair<torch::Tensor, torch::Tensor> padRows(const std::vector<std::vector<int32_t>>& rows,
                                                const torch::Device& device) {
  std::vector<torch::Tensor> ids, ones;
  for (const auto& r : rows) {
    ids.push_back(torch::tensor(std::vector<int64_t>(r.begin(), r.end()), torch::kInt64));  // [len]
    ones.push_back(torch::ones({int64_t(r.size())}, torch::kInt64));
  }
  // Qualified: an unqualified call also finds at::pad_sequence by argument-dependent lookup.
  return {torch::nn::utils::rnn::pad_sequence(ids, /*batch_first=*/true).to(device),
          torch::nn::utils::rnn::pad_sequence(ones, /*batch_first=*/true).to(device)};
}

// One forward pass over right-padded rows: logits [B, L, V] (float32, on the model's device).
torch::Tensor forwardRows(CausalLM& lm, const std::vector<std::vector<int32_t>>& rows) {
  auto [ids, mask] = padRows(rows, lm->device());
  ForwardOptions forward;
  forward.attentionMask = mask;
  return lm->forward(ids, forward).logits;
}

// Every window of every text, in text order.
std::vector<TextWindow> allWindows(const std::vector<std::vector<int32_t>>& texts, int64_t window, int64_t stride) {
  std::vector<TextWindow> all;
  for (size_t t = 0; t < texts.size(); ++t) {
    const auto w = slidingWindows(int64_t(t), int64_t(texts[t].size()), window, stride);
    all.insert(all.end(), w.begin(), w.end());
  }
  return all;
}

}  // namespace

std::vector<TextWindow> slidingWindows(int64_t text, int64_t length, int64_t window, int64_t stride) {
  if (window < 2)
    throw UsageError(QString(), QStringLiteral("window"), QString::number(window), QStringLiteral("must be at least 2"));
  if (stride < 1 || stride > window)
    throw UsageError(QString(), QStringLiteral("stride"), QString::number(stride),
                     QStringLiteral("must lie in 1..window (%1)").arg(window));
  std::vector<TextWindow> out;
  if (length < 2) return out;
  // Hugging Face's loop: begin = 0, S, 2S, ...; score what the previous window did not (its end onwards), but
  // never a window's own first token (nothing before it in the window); stop once a window reaches the end.
  int64_t prevEnd = 0;
  for (int64_t begin = 0; begin < length; begin += stride) {
    const int64_t end = std::min(begin + window, length);
    const int64_t from = std::max(prevEnd, begin + 1);
    if (from < end) out.push_back({text, begin, end, from});
    prevEnd = end;
    if (end == length) break;
  }
  return out;
}

double TokenStats::perplexity() const { return tokens > 0 ? std::exp(nll / double(tokens)) : 0.0; }
double TokenStats::accuracy() const { return tokens > 0 ? double(correct) / double(tokens) : 0.0; }
TokenStats& TokenStats::operator+=(const TokenStats& o) {
  nll += o.nll;
  tokens += o.tokens;
  correct += o.correct;
  return *this;
}

WindowLogits windowLogits(CausalLM& lm, const std::vector<std::vector<int32_t>>& texts,
                          const std::vector<TextWindow>& windows) {
  WindowLogits out;
  if (windows.empty()) return out;
  torch::NoGradGuard noGrad;
  std::vector<std::vector<int32_t>> rows;
  for (const TextWindow& w : windows) {
    const auto& t = texts.at(size_t(w.text));
    TORCH_CHECK(0 <= w.begin && w.begin < w.scoreFrom && w.scoreFrom <= w.end && w.end <= int64_t(t.size()),
                "window [", w.begin, ", ", w.end, ") scoring from ", w.scoreFrom, " does not fit text ", w.text,
                " of ", t.size(), " tokens");
    rows.emplace_back(t.begin() + w.begin, t.begin() + w.end);
  }
  const torch::Tensor logits = forwardRows(lm, rows);  // [B, L, V]
  for (size_t i = 0; i < windows.size(); ++i) {
    const TextWindow& w = windows[i];
    // Position p predicts token p + 1: the scored tokens [scoreFrom, end) come from positions scoreFrom−1 .. end−2.
    const int64_t from = w.scoreFrom - 1 - w.begin, to = w.end - 1 - w.begin;
    out.logits.push_back(logits[int64_t(i)].slice(0, from, to));                                  // [T, V]
    const auto& t = texts[size_t(w.text)];
    std::vector<int64_t> target(t.begin() + w.scoreFrom, t.begin() + w.end);
    out.targets.push_back(torch::tensor(target, torch::kInt64));                                  // [T]
  }
  return out;
}

LmScores scoreTexts(CausalLM& lm, const std::vector<std::vector<int32_t>>& texts, const LmEvalOptions& o) {
  const int64_t window = windowOf(lm, o);
  const int64_t vocab = lm->config().vocabSize;
  for (size_t t = 0; t < texts.size(); ++t) checkIds(texts[t], vocab, QStringLiteral("text"), t);
  const std::vector<TextWindow> windows = allWindows(texts, window, strideOf(o, window));
  LmScores scores;
  scores.texts.resize(texts.size());
  const int64_t batch = std::max<int64_t>(1, o.batchSize), total = int64_t(windows.size());
  torch::NoGradGuard noGrad;
  for (int64_t start = 0; start < total; start += batch) {
    const std::vector<TextWindow> part(windows.begin() + start, windows.begin() + std::min(total, start + batch));
    const WindowLogits wl = windowLogits(lm, texts, part);
    for (size_t i = 0; i < part.size(); ++i) {
      const torch::Tensor logits = wl.logits[i].to(torch::kFloat64);                   // [T, V]
      const torch::Tensor target = wl.targets[i].to(logits.device());                  // [T]
      const torch::Tensor logp = torch::log_softmax(logits, -1);
      TokenStats s;
      s.nll = -logp.gather(-1, target.unsqueeze(-1)).sum().item<double>();
      s.tokens = target.size(0);
      s.correct = (logits.argmax(-1) == target).sum().item<int64_t>();
      scores.texts[size_t(part[i].text)] += s;
      scores.total += s;
    }
    if (o.progress && !o.progress(std::min(total, start + batch), total)) {
      scores.cancelled = true;
      break;
    }
  }
  return scores;
}

FidelityRun compareModels(CausalLM& base, CausalLM& other, const std::vector<std::vector<int32_t>>& texts,
                          const LmEvalOptions& o) {
  const int64_t vocab = base->config().vocabSize;
  if (other->config().vocabSize != vocab)
    throw Error(QString(), QStringLiteral("vocab_size"), QString::number(other->config().vocabSize),
                QStringLiteral("the compared model's vocabulary differs from the base model's (%1)").arg(vocab));
  for (size_t t = 0; t < texts.size(); ++t) checkIds(texts[t], vocab, QStringLiteral("text"), t);
  const int64_t window = windowOf(base, o);
  const std::vector<TextWindow> windows = allWindows(texts, window, strideOf(o, window));
  FidelityAccumulator acc;
  FidelityRun run;
  const int64_t batch = std::max<int64_t>(1, o.batchSize), total = int64_t(windows.size());
  for (int64_t start = 0; start < total; start += batch) {
    const std::vector<TextWindow> part(windows.begin() + start, windows.begin() + std::min(total, start + batch));
    const WindowLogits a = windowLogits(base, texts, part);
    const WindowLogits b = windowLogits(other, texts, part);
    for (size_t i = 0; i < part.size(); ++i) acc.add(a.logits[i], b.logits[i], a.targets[i]);
    if (o.progress && !o.progress(std::min(total, start + batch), total)) {
      run.cancelled = true;
      break;
    }
  }
  run.summary = acc.summary();
  return run;
}

std::pair<std::vector<int32_t>, std::vector<int32_t>> encodePair(const Tokenizer& tok, const QString& context,
                                                                 const QString& continuation) {
  std::pair<std::vector<int32_t>, std::vector<int32_t>> out;
  if (context.isEmpty()) {
    // lm-eval's prefix_token_id: BOS, else EOS.
    const std::optional<int32_t> prefix = tok.bosId() ? tok.bosId() : tok.eosId();
    if (!prefix)
      throw Error(QString(), QStringLiteral("context"), QString(),
                  QStringLiteral("an empty context needs a BOS or EOS token to condition on; the tokenizer has none"));
    out.first = {*prefix};
    out.second = tok.encode(continuation);
  } else {
    // HFLM._encode_pair: trailing whitespace of the context belongs to the continuation.
    qsizetype keep = context.size();
    while (keep > 0 && context.at(keep - 1).isSpace()) --keep;
    const QString ctx = context.left(keep);
    const QString cont = context.mid(keep) + continuation;
    const std::vector<int32_t> whole = tok.encode(ctx + cont);
    out.first = tok.encode(ctx);
    if (whole.size() > out.first.size()) out.second.assign(whole.begin() + qsizetype(out.first.size()), whole.end());
  }
  if (out.second.empty())
    throw Error(QString(), QStringLiteral("continuation"), continuation,
                QStringLiteral("encodes to no token of its own after the context"));
  return out;
}

LoglikelihoodResult logLikelihoods(CausalLM& lm,
                                   const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>>& requests,
                                   const LmEvalOptions& o) {
  const int64_t window = windowOf(lm, o);
  const int64_t vocab = lm->config().vocabSize;
  LoglikelihoodResult out;
  // lm-eval: inp = (context + continuation)[−(window + 1):][:−1]; the continuation's tokens are predicted by the
  // last len(continuation) positions of inp.
  std::vector<std::vector<int32_t>> rows;
  for (size_t r = 0; r < requests.size(); ++r) {
    const auto& [ctx, cont] = requests[r];
    checkIds(ctx, vocab, QStringLiteral("context"), r);
    checkIds(cont, vocab, QStringLiteral("continuation"), r);
    if (cont.empty() || int64_t(cont.size()) > window || ctx.empty())
      throw Error(QString(), QStringLiteral("request[%1]").arg(r), QString::number(cont.size()),
                  QStringLiteral("needs a non-empty context and 1..%1 continuation tokens").arg(window));
    std::vector<int32_t> whole = ctx;
    whole.insert(whole.end(), cont.begin(), cont.end());
    const size_t from = whole.size() > size_t(window) + 1 ? whole.size() - size_t(window) - 1 : 0;
    rows.emplace_back(whole.begin() + qsizetype(from), whole.end() - 1);
  }
  const int64_t batch = std::max<int64_t>(1, o.batchSize), total = int64_t(rows.size());
  torch::NoGradGuard noGrad;
  for (int64_t start = 0; start < total; start += batch) {
    const int64_t stop = std::min(total, start + batch);
    const std::vector<std::vector<int32_t>> part(rows.begin() + start, rows.begin() + stop);
    const torch::Tensor logits = forwardRows(lm, part);  // [B, L, V]
    for (int64_t i = start; i < stop; ++i) {
      const auto& cont = requests[size_t(i)].second;
      const int64_t len = int64_t(rows[size_t(i)].size()), n = int64_t(cont.size());
      const torch::Tensor l = logits[i - start].slice(0, len - n, len).to(torch::kFloat64);  // [n, V]
      const torch::Tensor target = torch::tensor(std::vector<int64_t>(cont.begin(), cont.end()), torch::kInt64)
                                       .to(l.device());                                     // [n]
      out.logLikelihood.push_back(torch::log_softmax(l, -1).gather(-1, target.unsqueeze(-1)).sum().item<double>());
      out.greedy.push_back((l.argmax(-1) == target).all().item<bool>());
    }
    if (o.progress && !o.progress(stop, total)) {
      out.cancelled = true;
      break;
    }
  }
  return out;
}

ChoiceScores scoreChoices(CausalLM& lm, const Tokenizer& tok, const std::vector<ChoiceQuestion>& questions,
                          const LmEvalOptions& o) {
  std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> requests;
  for (size_t q = 0; q < questions.size(); ++q) {
    const ChoiceQuestion& question = questions[q];
    const QString where = QStringLiteral("question[%1]").arg(q);
    if (question.choices.isEmpty())
      throw Error(QString(), where, QString(), QStringLiteral("has no choices"));
    if (question.gold < 0 || question.gold >= question.choices.size())
      throw Error(QString(), where + QStringLiteral(".gold"), QString::number(question.gold),
                  QStringLiteral("must index one of its %1 choices").arg(question.choices.size()));
    for (const QString& choice : question.choices) {
      if (choice.isEmpty())
        throw Error(QString(), where, QString(), QStringLiteral("has an empty choice (acc_norm divides by its length)"));
      requests.push_back(encodePair(tok, question.context, question.delimiter + choice));
    }
  }
  const LoglikelihoodResult ll = logLikelihoods(lm, requests, o);
  ChoiceScores scores;
  scores.cancelled = ll.cancelled;
  size_t r = 0;
  int64_t right = 0, rightNorm = 0;
  for (const ChoiceQuestion& question : questions) {
    const size_t n = size_t(question.choices.size());
    if (r + n > ll.logLikelihood.size()) break;  // cancelled before this question was scored
    ChoiceResult result;
    result.logLikelihoods.assign(ll.logLikelihood.begin() + qsizetype(r), ll.logLikelihood.begin() + qsizetype(r + n));
    result.greedy.assign(ll.greedy.begin() + qsizetype(r), ll.greedy.begin() + qsizetype(r + n));
    r += n;
    // numpy argmax: the first maximum. acc_norm divides by len(choice) in Python characters (code points).
    double best = 0, bestNorm = 0;
    for (size_t c = 0; c < n; ++c) {
      const double v = result.logLikelihoods[c];
      const double norm = v / double(question.choices[qsizetype(c)].toUcs4().size());
      if (c == 0 || v > best) {
        best = v;
        result.predicted = int(c);
      }
      if (c == 0 || norm > bestNorm) {
        bestNorm = norm;
        result.predictedNorm = int(c);
      }
    }
    right += result.predicted == question.gold;
    rightNorm += result.predictedNorm == question.gold;
    scores.questions.push_back(std::move(result));
  }
  if (!scores.questions.empty()) {
    scores.acc = double(right) / double(scores.questions.size());
    scores.accNorm = double(rightNorm) / double(scores.questions.size());
  }
  return scores;
}

}  // namespace distillery
