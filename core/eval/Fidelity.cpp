// llama.cpp's KL-divergence statistics (tools/perplexity/perplexity.cpp, kl_divergence()) over tensors. Where
// llama.cpp stores the base model's log-probabilities quantized to 16 bits (and so drops KL terms with
// log p_base ≤ −16), the exact float64 log-softmax is used here; everything else follows its definitions.
#include "eval/Fidelity.h"

#include "common/Error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace distillery {

namespace {

// sorted: ascending, not empty. llama.cpp: p = fraction·(n−1), then (1−w)·v[floor p] + w·v[floor p + 1].
double sortedPercentile(const std::vector<double>& sorted, double fraction) {
  if (fraction <= 0) return sorted.front();
  if (fraction >= 1) return sorted.back();
  const double p = fraction * double(sorted.size() - 1);
  const size_t ip = size_t(p);
  const double w = p - double(ip);
  return (1 - w) * sorted[ip] + w * sorted[std::min(ip + 1, sorted.size() - 1)];
}

QString shapeOf(const at::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();  // "[3, 4]"
  return QString::fromStdString(os.str());
}

}  // namespace

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return sortedPercentile(values, fraction);
}

Distribution describe(const std::vector<double>& values) {
  Distribution d;
  if (values.empty()) return d;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  double sum = 0, sum2 = 0;
  for (double v : sorted) {
    sum += v;
    sum2 += v * v;
  }
  d.mean = sum / double(n);
  // llama.cpp's mean_and_uncertainty: the standard error only from 11 values on.
  const double var = sum2 / double(n) - d.mean * d.mean;
  d.stddevOfMean = var > 0 && n > 10 ? std::sqrt(var / double(n - 1)) : 0.0;
  auto at = [&sorted](double f) { return sortedPercentile(sorted, f); };
  d.min = sorted.front();
  d.p1 = at(0.01);
  d.p5 = at(0.05);
  d.p10 = at(0.10);
  d.p25 = at(0.25);
  // llama.cpp's median: the middle value, or the mean of the two middle ones (= the 0.5 percentile).
  d.median = n % 2 == 0 ? 0.5 * (sorted[n / 2] + sorted[n / 2 - 1]) : sorted[n / 2];
  d.p75 = at(0.75);
  d.p90 = at(0.90);
  d.p95 = at(0.95);
  d.p99 = at(0.99);
  d.p999 = at(0.999);
  d.max = sorted.back();
  return d;
}

void FidelityAccumulator::add(const at::Tensor& baseLogits, const at::Tensor& otherLogits,
                              const at::Tensor& targets) {
  if (baseLogits.dim() != 2 || otherLogits.sizes() != baseLogits.sizes() || targets.dim() != 1 ||
      targets.size(0) != baseLogits.size(0))
    throw Error(QStringLiteral("fidelity: logits must be [T, V] of the same shape with targets [T]; got base %1, "
                               "other %2, targets %3")
                    .arg(shapeOf(baseLogits), shapeOf(otherLogits), shapeOf(targets)));
  const int64_t t = baseLogits.size(0);
  if (t == 0) return;
  const int64_t vocab = baseLogits.size(1);
  torch::NoGradGuard noGrad;
  const torch::Device device = baseLogits.device();
  const torch::Tensor target = targets.to(device, torch::kInt64);
  const int64_t lo = target.min().item<int64_t>(), hi = target.max().item<int64_t>();
  if (lo < 0 || hi >= vocab)
    throw Error(QStringLiteral("fidelity: target token %1 outside the vocabulary [0, %2)")
                    .arg(lo < 0 ? lo : hi)
                    .arg(vocab));
  // Rows in chunks so that the float64 temporaries ([rows, V] each) stay small for large vocabularies.
  const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 24) / std::max<int64_t>(1, vocab));
  for (int64_t from = 0; from < t; from += chunk) {
    const int64_t to = std::min(t, from + chunk);
    const torch::Tensor base = baseLogits.slice(0, from, to);
    const torch::Tensor other = otherLogits.slice(0, from, to).to(device);
    // [rows, V] float64 log-probabilities of both models, on the base logits' device.
    const torch::Tensor lpBase = torch::log_softmax(base.to(torch::kFloat64), -1);
    const torch::Tensor lpOther = torch::log_softmax(other.to(torch::kFloat64), -1);
    // KL(base ‖ other) = Σ_v p_base·(log p_base − log p_other); a zero p_base term is 0 (not 0·∞).
    const torch::Tensor pBase = lpBase.exp();
    const torch::Tensor terms = torch::where(pBase > 0, pBase * (lpBase - lpOther), torch::zeros_like(pBase));
    const torch::Tensor kl = terms.sum(-1).cpu().contiguous();                                      // [rows]
    const torch::Tensor idx = target.slice(0, from, to).unsqueeze(-1);
    const torch::Tensor lpTargetBase = lpBase.gather(-1, idx).squeeze(-1);                          // [rows]
    const torch::Tensor lpTargetOther = lpOther.gather(-1, idx).squeeze(-1);                        // [rows]
    const torch::Tensor dp = (lpTargetOther.exp() - lpTargetBase.exp()).cpu().contiguous();         // [rows]
    // argmax returns the first maximal index, as llama.cpp's scans do.
    sameTop1_ += (base.argmax(-1) == other.argmax(-1)).sum().item<int64_t>();
    nllBase_ -= lpTargetBase.sum().item<double>();
    nllOther_ -= lpTargetOther.sum().item<double>();
    const double* k = kl.data_ptr<double>();
    const double* d = dp.data_ptr<double>();
    kld_.insert(kld_.end(), k, k + (to - from));
    deltaP_.insert(deltaP_.end(), d, d + (to - from));
  }
}

FidelitySummary FidelityAccumulator::summary() const {
  FidelitySummary s;
  s.tokens = tokens();
  if (s.tokens == 0) return s;
  const double n = double(s.tokens);
  s.pplBase = std::exp(nllBase_ / n);
  s.pplOther = std::exp(nllOther_ / n);
  s.lnPplRatio = nllOther_ / n - nllBase_ / n;
  s.pplRatio = std::exp(s.lnPplRatio);  // llama.cpp: exp(mean ln(PPL(Q)) − mean ln(PPL(base)))
  s.kld = describe(kld_);
  s.sameTop1 = double(sameTop1_) / n;
  s.deltaP = describe(deltaP_);
  double sq = 0;
  for (double v : deltaP_) sq += v * v;
  s.rmsDeltaP = std::sqrt(sq / n);
  return s;
}

AccuracyCheck checkAccuracyDrop(double base, double other, double threshold, DropMode mode) {
  AccuracyCheck c;
  c.base = base;
  c.other = other;
  c.threshold = threshold;
  c.drop = base - other;
  if (mode == DropMode::Relative) c.drop = base > 0 ? c.drop / base : 0.0;
  c.pass = c.drop < threshold;
  return c;
}

QJsonObject distributionJson(const Distribution& d) {
  return {{"mean", d.mean},   {"stderr", d.stddevOfMean}, {"min", d.min}, {"p1", d.p1},   {"p5", d.p5},
          {"p10", d.p10},     {"p25", d.p25},             {"median", d.median},           {"p75", d.p75},
          {"p90", d.p90},     {"p95", d.p95},             {"p99", d.p99}, {"p999", d.p999}, {"max", d.max}};
}

QJsonObject fidelityJson(const FidelitySummary& s) {
  QJsonObject deltaP = distributionJson(s.deltaP);
  deltaP.insert(QStringLiteral("rms"), s.rmsDeltaP);
  return {{"ppl_base", s.pplBase},
          {"ppl_other", s.pplOther},
          {"ppl_ratio", s.pplRatio},
          {"ln_ppl_ratio", s.lnPplRatio},
          {"kld", distributionJson(s.kld)},
          {"same_top1", s.sameTop1},
          {"delta_p", deltaP},
          {"tokens", qint64(s.tokens)}};
}

}  // namespace distillery
