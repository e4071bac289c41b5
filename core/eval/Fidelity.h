// How far a quantized (or otherwise changed) model's next-token distributions drift from its base model's, as
// llama.cpp's `perplexity --kl-divergence` reports it (tools/perplexity/perplexity.cpp): per token
// KL(base ‖ other) from log-softmax of both logits, whether both pick the same top-1 token, Δp = p_other(correct)
// − p_base(correct), the perplexity of both and their ratio; then means, RMS Δp and percentiles over all tokens.
//
//   FidelityAccumulator acc;
//   for (each window) acc.add(baseLogits, otherLogits, targets);   // [T, V], [T, V], [T]
//   FidelitySummary s = acc.summary();                             // s.kld.mean, s.sameTop1, s.pplRatio ...
#pragma once
#include <ATen/core/Tensor.h>
#include <QtCore/QJsonObject>

#include <cstdint>
#include <vector>

namespace distillery {

// Order statistics of one per-token quantity. Percentiles interpolate linearly between the two nearest ranks
// of the sorted values (position fraction·(n−1)), as llama.cpp's percentile() does (numpy's default "linear").
struct Distribution {
  double mean = 0;
  double stddevOfMean = 0;  // standard error of the mean, sqrt(var/(n−1)) as llama.cpp prints after "±"
  double min = 0;
  double p1 = 0;
  double p5 = 0;
  double p10 = 0;
  double p25 = 0;
  double median = 0;
  double p75 = 0;
  double p90 = 0;
  double p95 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

// The percentile of values at fraction in [0, 1] (fraction 0 → min, 1 → max), linear interpolation between
// ranks floor(f·(n−1)) and the next one. values need not be sorted; empty → 0.
double percentile(std::vector<double> values, double fraction);
// mean, standard error and every percentile of Distribution over values (all zero when empty).
Distribution describe(const std::vector<double>& values);

struct FidelitySummary {
  int64_t tokens = 0;      // scored tokens
  double pplBase = 0;      // exp(mean NLL of the targets) under the base model
  double pplOther = 0;     // same under the other model
  double pplRatio = 0;     // pplOther / pplBase (llama.cpp's "Mean PPL(Q)/PPL(base)")
  double lnPplRatio = 0;   // ln(pplOther / pplBase) = mean NLL_other − mean NLL_base
  Distribution kld;        // per-token KL(base ‖ other) in nats, ≥ 0
  double sameTop1 = 0;     // fraction of tokens (0–1) where argmax of both logits is the same token
  Distribution deltaP;     // per-token p_other(target) − p_base(target), as a probability (−1..1, not %)
  double rmsDeltaP = 0;    // sqrt(mean Δp²)
};

// As `distillery-cli kld` and eval jobs print it: {"mean", "stderr", "min", "p1", ..., "median", ..., "p999",
// "max"}.
QJsonObject distributionJson(const Distribution& d);
// {"ppl_base", "ppl_other", "ppl_ratio", "ln_ppl_ratio", "kld": distribution, "same_top1" (0–1),
// "delta_p": distribution + "rms", "tokens"}: the kld output plus the full percentile lists.
QJsonObject fidelityJson(const FidelitySummary& s);

// Collects per-token figures window by window; summary() at any time. Per-token values are kept (two doubles a
// token) so that the percentiles are exact.
class FidelityAccumulator {
 public:
  // baseLogits, otherLogits: [T, V] (any floating dtype or device; computed in float64 on baseLogits' device,
  // a few rows at a time), the logits at T positions; targets: [T] integer, the token each position should predict (in [0, V)). Throws Error when
  // shapes disagree or a target is out of range.
  void add(const at::Tensor& baseLogits, const at::Tensor& otherLogits, const at::Tensor& targets);
  int64_t tokens() const { return int64_t(kld_.size()); }
  FidelitySummary summary() const;

 private:
  std::vector<double> kld_;     // per token KL(base ‖ other)
  std::vector<double> deltaP_;  // per token p_other(target) − p_base(target)
  double nllBase_ = 0;          // sum of −log p_base(target)
  double nllOther_ = 0;         // sum of −log p_other(target)
  int64_t sameTop1_ = 0;        // tokens with the same argmax
};

// The pass rule "accuracy drop < 2%". Accuracies are fractions 0–1.
enum class DropMode {
  Absolute,  // drop = base − other (percentage points: 0.02 = 2 points)
  Relative,  // drop = (base − other) / base (0.02 = 2% of the base accuracy); base 0 → drop 0
};
struct AccuracyCheck {
  double base = 0;       // accuracy of the base model, 0–1
  double other = 0;      // accuracy of the other model, 0–1
  double drop = 0;       // as mode says; negative when other is better
  double threshold = 0;  // the limit drop must stay below
  bool pass = false;     // drop < threshold
};
// Default: absolute drop of 2 points (0.02), strict "<" as the issue writes it.
AccuracyCheck checkAccuracyDrop(double base, double other, double threshold = 0.02,
                                DropMode mode = DropMode::Absolute);

}  // namespace distillery
