// The generation task of an evaluation: one prompt answered greedily with its latency measured, and the answer
// scored against the reference, per sample and over the corpus.
//
//   TimedAnswer a = generateTimed(lm, tokenizer, promptIds, options);    // a.text, a.firstTokenMs ...
//   QJsonObject s = sampleGenerationScores(a.text, reference, {"exact_match", "bleu"});
//   QJsonObject c = corpusGenerationScores(outputs, references, {"exact_match", "bleu"});
//
// Scales follow the reference tools: exact_match and token_f1 (SQuAD) 0–1, bleu and chrf (sacreBLEU, default
// settings: 13a, exp smoothing; chrF char order 6) 0–100, rouge1/rouge2/rougeL (rouge-score F-measure) 0–1.
// Sentence BLEU per sample follows sacreBLEU's sentence_score; the corpus BLEU / chrF are corpus statistics, not
// means of the per-sample values; exact match, F1 and ROUGE over the corpus are means.
#pragma once
#include "model/CausalLM.h"
#include "model/Generate.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

class Tokenizer;

struct TimedAnswer {
  QString text;             // the new tokens decoded (special tokens and the final EOS left out)
  int64_t newTokens = 0;    // tokens generated, the EOS that ended the answer included
  bool finished = false;    // ended by an EOS (false: cut at max_new_tokens)
  bool stopped = false;     // cancelled before the end
  double firstTokenMs = 0;  // prompt processing + the first token (time to first token)
  double totalMs = 0;       // the whole answer
  // Decoding time per token after the first: (total − first) / (newTokens − 1); NaN with fewer than 2 tokens.
  double msPerToken() const;
};

// One prompt (batch of one, so the latency is the sample's own). o.progress is used for the timing and replaced.
TimedAnswer generateTimed(CausalLM& lm, const Tokenizer& tokenizer, const std::vector<int64_t>& prompt,
                          GenerateOptions o);

// {"exact_match", "token_f1", "bleu", "chrf", "rouge1", "rouge2", "rougeL"}: those of `metrics` (names of
// eval.metrics; "rouge" gives the three ROUGE keys).
QJsonObject sampleGenerationScores(const QString& output, const QString& reference, const QStringList& metrics);
QJsonObject corpusGenerationScores(const QStringList& outputs, const QStringList& references,
                                   const QStringList& metrics);

// Latency over the answers: {"first_token_ms" (mean), "first_token_ms_p50", "first_token_ms_p99", "ms_per_token"
// (decode time / decoded tokens over all answers), "ms_per_token_p99" (per answer), "tokens_per_s" (new tokens /
// generation time), "new_tokens", "generation_s"}.
QJsonObject latencySummary(const std::vector<TimedAnswer>& answers);

}  // namespace distillery
