// Language-model metrics over token ids: perplexity (token-weighted, sliding window for long texts), next-token
// accuracy, multiple-choice accuracy by log-likelihood as lm-evaluation-harness computes it, and the fidelity
// report of one model against another (core/eval/Fidelity.h) over the same windows.
//
//   LmScores s = scoreTexts(lm, texts, {.window = 1024, .stride = 512});   // s.total.perplexity()
//   ChoiceScores c = scoreChoices(lm, tokenizer, questions, {});            // c.acc, c.accNorm
//   FidelitySummary f = compareModels(base, quantized, texts, {.window = 512});
//
// Sliding window (Hugging Face's "perplexity of fixed-length models", stride method): windows of at most W tokens
// start at 0, S, 2S, ... ; the first window scores its tokens 1..W−1 (token 0 has nothing to be predicted from),
// each later window [b, min(b+W, n)) scores only the tokens after the previous window's end, so every token but a
// text's first is scored exactly once, with all the tokens of its window before it as context (at least W−S of
// them after the first window). The last window ends at the text's end. A text no longer than W is one window:
// the plain perplexity. S = W gives disjoint windows (cheapest); as in Hugging Face's loop a window's own first
// token is then not scored (it has nothing before it in its window), so n − ceil(n/W) tokens count, not n − 1.
#pragma once
#include "eval/Fidelity.h"
#include "model/CausalLM.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace distillery {

class Tokenizer;

struct LmEvalOptions {
  int64_t window = 0;     // most tokens in one forward pass (W); 0 = the model's max_position_embeddings
  int64_t stride = 0;     // advance between windows (S, 1..W); 0 = W (disjoint windows)
  int64_t batchSize = 8;  // windows (or choice requests) per forward pass, right-padded and attention-masked
  std::function<bool(int64_t done, int64_t total)> progress = {};  // after each batch (done/total windows or
                                                                   // requests); false stops: result.cancelled
};

// One window of one text: positions [begin, end) go through the model; the tokens at [scoreFrom, end) are scored
// (each predicted from the position before it), begin < scoreFrom ≤ end.
struct TextWindow {
  int64_t text = 0;       // index into the texts
  int64_t begin = 0;      // first token fed
  int64_t end = 0;        // one past the last token fed
  int64_t scoreFrom = 0;  // first scored token
};
// The windows of a text of `length` tokens (none when length < 2), as described at the top. Throws UsageError
// unless 1 ≤ stride ≤ window and window ≥ 2.
std::vector<TextWindow> slidingWindows(int64_t text, int64_t length, int64_t window, int64_t stride);

// Token-weighted counts; merge by adding.
struct TokenStats {
  double nll = 0;       // sum of −log p(token | context) in nats
  int64_t tokens = 0;   // scored tokens
  int64_t correct = 0;  // scored tokens that were the argmax of their logits (next-token accuracy)
  double perplexity() const;  // exp(nll / tokens); 0 when no token
  double accuracy() const;    // correct / tokens; 0 when no token
  TokenStats& operator+=(const TokenStats& o);
};

struct LmScores {
  TokenStats total;              // over the whole set: perplexity and accuracy are token-weighted
  std::vector<TokenStats> texts; // per text, in input order (all zero for a text of fewer than 2 tokens)
  bool cancelled = false;        // progress returned false; figures cover the windows done until then
};

// Perplexity and next-token accuracy of token sequences (ids < vocab; a text's first token is never scored, so
// prepend BOS when the model expects it). The model's device is used; no gradients.
LmScores scoreTexts(CausalLM& lm, const std::vector<std::vector<int32_t>>& texts, const LmEvalOptions& o = {});

// The logits at the scored positions of each window of one batch: logits[i] is [T_i, V] float32 on the CPU,
// targets[i] [T_i] int64 (T_i = end − scoreFrom), for windows[i]. One forward pass, rows right-padded.
struct WindowLogits {
  std::vector<at::Tensor> logits;
  std::vector<at::Tensor> targets;
};
WindowLogits windowLogits(CausalLM& lm, const std::vector<std::vector<int32_t>>& texts,
                          const std::vector<TextWindow>& windows);

// Both models over the same windows (sizes from o; both see exactly the same tokens), per-token statistics of
// `other` against `base` (FidelityAccumulator). The models must share the vocabulary size; each runs on its own
// device. cancelled is set when progress returned false.
struct FidelityRun {
  FidelitySummary summary;
  bool cancelled = false;
};
FidelityRun compareModels(CausalLM& base, CausalLM& other, const std::vector<std::vector<int32_t>>& texts,
                          const LmEvalOptions& o = {});

// ---- multiple choice (lm-evaluation-harness "multiple_choice" output type) ----

// A context and continuation as token ids, as lm-eval's HFLM._encode_pair: trailing whitespace of the context
// moves to the continuation, then context = encode(context), continuation = encode(context + continuation)
// [len(context):] (so a token merging across the boundary belongs to the continuation, as there). No special
// tokens (lm-eval's default for causal models), except that an empty context becomes [BOS or EOS] (lm-eval's
// prefix token) and the continuation encode(continuation). Throws Error when the continuation is empty.
std::pair<std::vector<int32_t>, std::vector<int32_t>> encodePair(const Tokenizer& tok, const QString& context,
                                                                 const QString& continuation);

struct ChoiceQuestion {
  QString context;                  // the prompt, e.g. "Question: ...\nAnswer:"
  QStringList choices;              // the answers as shown, e.g. "Paris"
  int gold = 0;                     // index of the right answer
  QString delimiter = QStringLiteral(" ");  // lm-eval's target_delimiter: continuation = delimiter + choice
};

struct ChoiceResult {
  std::vector<double> logLikelihoods;  // per choice: sum of log p(continuation token | everything before it)
  std::vector<bool> greedy;            // per choice: every continuation token was the argmax (lm-eval is_greedy)
  int predicted = 0;                   // argmax of logLikelihoods (first on ties, as numpy)
  int predictedNorm = 0;               // argmax of logLikelihood / characters of the choice (acc_norm)
};

struct ChoiceScores {
  std::vector<ChoiceResult> questions;  // in input order
  double acc = 0;       // fraction of questions with predicted == gold
  double accNorm = 0;   // fraction with predictedNorm == gold. lm-eval divides by len(choice) — the choice's
                        // length in characters (Python code points, the delimiter excluded), not bytes; same
                        // here (equal to bytes for ASCII)
  bool cancelled = false;
};

// Log-likelihood of each (context ids, continuation ids) request: the sum over continuation tokens, and whether
// all of them were greedy. When context + continuation exceeds the window, the left is cut as lm-eval does
// (the last window + 1 tokens kept, minus the final one). Batched by o.batchSize.
struct LoglikelihoodResult {
  std::vector<double> logLikelihood;
  std::vector<bool> greedy;
  bool cancelled = false;
};
LoglikelihoodResult logLikelihoods(CausalLM& lm,
                                   const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>>& requests,
                                   const LmEvalOptions& o = {});

// Every question's choices scored; throws Error (naming the question index) for gold out of range or no choices.
ChoiceScores scoreChoices(CausalLM& lm, const Tokenizer& tok, const std::vector<ChoiceQuestion>& questions,
                          const LmEvalOptions& o = {});

}  // namespace distillery
