#include "kd/KdLoss.h"

#include "common/Error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace distillery {

namespace {

using torch::indexing::Slice;

void checkOptions(const KdLossOptions& o) {
  auto bad = [](const char* field, double v, const char* why) {
    return Error(QString(), QString::fromLatin1(field), QString::number(v), QString::fromLatin1(why));
  };
  if (!(o.temperature > 0) || !std::isfinite(o.temperature)) throw bad("temperature", o.temperature, "must be > 0");
  if (!(o.alpha >= 0 && o.alpha <= 1)) throw bad("alpha", o.alpha, "must be in [0, 1]");
  if (!(o.jsdBeta >= 0 && o.jsdBeta <= 1)) throw bad("jsd_beta", o.jsdBeta, "must be in [0, 1]");
  if (o.chunkTokens <= 0) throw bad("chunk_tokens", double(o.chunkTokens), "must be > 0");
}

// float64 stays float64 (tests), everything else is computed in float32.
torch::ScalarType computeType(const torch::Tensor& t) {
  return t.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

// The counted rows (label != -100) as an index vector [n].
torch::Tensor countedRows(const torch::Tensor& labels) { return (labels != -100).nonzero().reshape({-1}); }

void checkLabels(const torch::Tensor& labels, int64_t vocab) {
  const torch::Tensor counted = labels.masked_select(labels != -100);
  if (counted.numel() == 0) return;
  const int64_t lo = counted.min().item<int64_t>(), hi = counted.max().item<int64_t>();
  TORCH_CHECK(lo >= 0 && hi < vocab, "KD loss: labels must be -100 or in [0, ", vocab, "), got ", lo < 0 ? lo : hi);
}

// Σ_v exp(logA)·(logA − logB) per row, with 0·log 0 = 0 where logA is −inf (ids outside a cached top-k).
torch::Tensor klRows(const torch::Tensor& logA, const torch::Tensor& logB) {
  const torch::Tensor terms = logA.exp() * (logA - logB);
  return torch::where(torch::isinf(logA), torch::zeros_like(terms), terms).sum(1);
}

// log m = log(β·p + (1−β)·q), elementwise, from log p and log q.
torch::Tensor logMixture(const torch::Tensor& logp, const torch::Tensor& logq, double beta) {
  return torch::logsumexp(torch::stack({logp + std::log(beta), logq + std::log1p(-beta)}), 0);
}

// D per row [c] and, when wanted, dD/ds [c, Vs] where s = student logits / τ, from log p (teacher, fixed) and
// log q = log_softmax(s). Derivation: for any D = Σ q·g-type term, dD/ds_i = q_i·(g_i − Σ_j q_j·g_j) with
// g = ∂D/∂q. Forward KL: g = −p/q → q − p. Reverse KL: g = log q − log p + 1. JSD(β): g = (1−β)(log q − log m)
// (the terms through m cancel).
std::pair<torch::Tensor, torch::Tensor> divergenceRows(const torch::Tensor& logp, const torch::Tensor& logq,
                                                       const KdLossOptions& o, bool wantGrad) {
  Divergence d = o.divergence;
  const double beta = o.jsdBeta;
  if (d == Divergence::Jsd && beta == 0) d = Divergence::ForwardKl;  // TRL: β = 0 is forward KL
  if (d == Divergence::Jsd && beta == 1) d = Divergence::ReverseKl;  // TRL: β = 1 is reverse KL
  torch::Tensor rows, grad;
  switch (d) {
    case Divergence::ForwardKl:
      rows = klRows(logp, logq);
      if (wantGrad) grad = logq.exp() - logp.exp();
      break;
    case Divergence::ReverseKl: {
      const torch::Tensor q = logq.exp(), r = logq - logp;
      rows = (q * r).sum(1);
      if (wantGrad) grad = q * (r - rows.unsqueeze(1));
      break;
    }
    case Divergence::Jsd: {
      const torch::Tensor logm = logMixture(logp, logq, beta);
      const torch::Tensor q = logq.exp(), r = logq - logm;
      const torch::Tensor qr = (q * r).sum(1);
      rows = beta * klRows(logp, logm) + (1 - beta) * qr;
      if (wantGrad) grad = (1 - beta) * q * (r - qr.unsqueeze(1));
      break;
    }
  }
  return {rows, grad};
}

// Normalised ensemble weights; teachers with weight 0 drop out (−inf log weight).
std::vector<double> normalisedMix(const std::vector<double>& mix) {
  double sum = 0;
  for (double w : mix) {
    if (!(w >= 0) || !std::isfinite(w))
      throw Error(QString(), QStringLiteral("teacher weight"), QString::number(w), QStringLiteral("must be >= 0"));
    sum += w;
  }
  if (!(sum > 0))
    throw Error(QString(), QStringLiteral("teacher weight"), QString::number(sum),
                QStringLiteral("the teachers' weights must not all be 0"));
  std::vector<double> out;
  for (double w : mix) out.push_back(w / sum);
  return out;
}

// log Σ_t w_t·p_t from each teacher's log-probabilities [c, Vs].
torch::Tensor mixLogProbs(const std::vector<torch::Tensor>& logps, const std::vector<double>& w) {
  if (logps.size() == 1) return logps[0];
  std::vector<torch::Tensor> parts;
  for (size_t t = 0; t < logps.size(); ++t)
    if (w[t] > 0) parts.push_back(logps[t] + std::log(w[t]));
  if (parts.size() == 1) return parts[0];
  return torch::logsumexp(torch::stack(parts), 0);
}

// Attaches the gradients computed in chunkedKdLoss's forward to its result: backward only scales them.
struct FusedKdFunction : public torch::autograd::Function<FusedKdFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& hidden,
                               const torch::Tensor& weight, const torch::Tensor& gradHidden,
                               const torch::Tensor& gradWeight, double total) {
    ctx->save_for_backward({gradHidden, gradWeight});
    ctx->saved_data["hiddenType"] = int64_t(hidden.scalar_type());
    ctx->saved_data["weightType"] = int64_t(weight.scalar_type());
    return torch::scalar_tensor(total, gradHidden.options());
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list gradOut) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& g = gradOut[0];
    const auto ht = torch::ScalarType(ctx->saved_data["hiddenType"].toInt());
    const auto wt = torch::ScalarType(ctx->saved_data["weightType"].toInt());
    torch::Tensor gh, gw;
    if (saved[0].numel() > 0) gh = (saved[0] * g.to(saved[0].scalar_type())).to(ht);
    if (saved[1].numel() > 0) gw = (saved[1] * g.to(saved[1].scalar_type())).to(wt);
    return {gh, gw, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

Divergence divergenceFromName(const QString& name) {
  if (name == QLatin1String("forward_kl")) return Divergence::ForwardKl;
  if (name == QLatin1String("reverse_kl")) return Divergence::ReverseKl;
  if (name == QLatin1String("jsd")) return Divergence::Jsd;
  throw Error(QString(), QStringLiteral("kd.loss"), name, QStringLiteral("must be forward_kl, reverse_kl or jsd"));
}

QString divergenceName(Divergence d) {
  switch (d) {
    case Divergence::ForwardKl:
      return QStringLiteral("forward_kl");
    case Divergence::ReverseKl:
      return QStringLiteral("reverse_kl");
    case Divergence::Jsd:
      return QStringLiteral("jsd");
  }
  return {};
}

KdLossResult kdLoss(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits, const torch::Tensor& labels,
                    const KdLossOptions& o) {
  return kdLoss(studentLogits, std::vector<torch::Tensor>{teacherLogits}, {1.0}, labels, o);
}

KdLossResult kdLoss(const torch::Tensor& studentLogits, const std::vector<torch::Tensor>& teachers,
                    const std::vector<double>& mix, const torch::Tensor& labels, const KdLossOptions& o) {
  checkOptions(o);
  TORCH_CHECK(studentLogits.dim() >= 2, "kdLoss: student logits must be [N, V], got ", studentLogits.sizes());
  const int64_t vocab = studentLogits.size(-1);
  const torch::Tensor s = studentLogits.reshape({-1, vocab}).to(computeType(studentLogits));
  const torch::Tensor y = labels.reshape({-1});
  TORCH_CHECK(y.size(0) == s.size(0), "kdLoss: ", y.size(0), " labels for ", s.size(0), " rows");
  TORCH_CHECK(!teachers.empty() && teachers.size() == mix.size(), "kdLoss: one weight per teacher");
  checkLabels(y, vocab);
  const std::vector<double> w = normalisedMix(mix);
  int64_t shared = vocab;
  for (const torch::Tensor& t : teachers) {
    TORCH_CHECK(t.numel() / t.size(-1) == s.size(0), "kdLoss: teacher logits ", t.sizes(), " for ", s.size(0),
                " student rows");
    shared = std::min(shared, t.size(-1));
  }

  const torch::Tensor rows = countedRows(y);
  const int64_t n = rows.numel();
  KdLossResult r;
  r.tokens = n;
  if (n == 0) {
    r.total = s.sum() * 0;
    return r;
  }
  const torch::Tensor sr = s.index_select(0, rows), yr = y.index_select(0, rows);
  const torch::Tensor ce = torch::nn::functional::cross_entropy(
                               sr, yr, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                           double(n);

  const double tau = o.temperature;
  std::vector<torch::Tensor> logps;
  for (const torch::Tensor& t : teachers) {
    const torch::Tensor tr = t.reshape({-1, t.size(-1)}).index_select(0, rows).narrow(1, 0, shared);
    logps.push_back(torch::log_softmax(tr.to(s.scalar_type()) / tau, 1));
  }
  const torch::Tensor logp = mixLogProbs(logps, w);
  const torch::Tensor logq = torch::log_softmax(sr.narrow(1, 0, shared) / tau, 1);
  // Plain autograd ops: this is the reference the chunked loss's hand-written gradients are tested against.
  torch::Tensor d;
  Divergence div = o.divergence;
  const double beta = o.jsdBeta;
  if (div == Divergence::Jsd && beta == 0) div = Divergence::ForwardKl;
  if (div == Divergence::Jsd && beta == 1) div = Divergence::ReverseKl;
  if (div == Divergence::ForwardKl) {
    d = torch::kl_div(logq, logp, at::Reduction::Sum, /*log_target=*/true);
  } else if (div == Divergence::ReverseKl) {
    d = torch::kl_div(logp, logq, at::Reduction::Sum, /*log_target=*/true);
  } else {
    const torch::Tensor logm = logMixture(logp, logq, beta);
    d = beta * torch::kl_div(logm, logp, at::Reduction::Sum, true) +
        (1 - beta) * torch::kl_div(logm, logq, at::Reduction::Sum, true);
  }
  const torch::Tensor kd = d * (tau * tau / double(n));
  r.total = o.alpha * ce + (1 - o.alpha) * kd;
  r.ce = ce.item<double>();
  r.kd = kd.item<double>();
  return r;
}

KdLossResult chunkedKdLoss(const torch::Tensor& studentHidden, const torch::Tensor& studentWeight,
                           const std::vector<TeacherTargets>& teachers, const torch::Tensor& labels,
                           const KdLossOptions& o) {
  checkOptions(o);
  TORCH_CHECK(studentWeight.dim() == 2, "chunkedKdLoss: student weight must be [V, H], got ", studentWeight.sizes());
  const int64_t vocab = studentWeight.size(0), width = studentWeight.size(1);
  TORCH_CHECK(studentHidden.size(-1) == width, "chunkedKdLoss: student hidden ", studentHidden.sizes(),
              " does not match the output weight ", studentWeight.sizes());
  const torch::Tensor h = studentHidden.reshape({-1, width});
  const torch::Tensor y = labels.reshape({-1}).to(h.device());
  const int64_t total = h.size(0);
  TORCH_CHECK(y.size(0) == total, "chunkedKdLoss: ", y.size(0), " labels for ", total, " rows");
  checkLabels(y, vocab);

  const bool kdOn = o.alpha < 1;
  TORCH_CHECK(!kdOn || !teachers.empty(), "chunkedKdLoss: no teacher for a KD weight 1 - alpha = ", 1 - o.alpha);
  std::vector<double> mixIn;
  int64_t shared = vocab;
  for (const TeacherTargets& t : teachers) {
    mixIn.push_back(t.mix);
    if (t.topkValues.defined()) {
      TORCH_CHECK(t.topkIndices.defined() && t.topkValues.sizes() == t.topkIndices.sizes(),
                  "chunkedKdLoss: cached top-k values ", t.topkValues.sizes(), " and indices must match");
      TORCH_CHECK(t.topkValues.numel() / t.topkValues.size(-1) == total, "chunkedKdLoss: cached top-k ",
                  t.topkValues.sizes(), " for ", total, " student rows");
      const int64_t tv = t.vocab > 0 ? t.vocab : vocab;
      shared = std::min(shared, tv);
      if (kdOn && t.topkValues.size(-1) < shared &&
          (o.divergence == Divergence::ReverseKl || (o.divergence == Divergence::Jsd && o.jsdBeta == 1)))
        throw Error(QString(), QStringLiteral("kd.loss"), divergenceName(o.divergence),
                    QStringLiteral("needs the teacher's full distribution; a cached top-%1 of %2 ids gives "
                                   "it zeros (use forward_kl or jsd, or no cache)")
                        .arg(t.topkValues.size(-1))
                        .arg(tv));
    } else {
      TORCH_CHECK(t.hidden.defined() && t.weight.defined() && t.weight.dim() == 2,
                  "chunkedKdLoss: a teacher needs hidden states and an output weight, or cached top-k logits");
      TORCH_CHECK(t.hidden.size(-1) == t.weight.size(1), "chunkedKdLoss: teacher hidden ", t.hidden.sizes(),
                  " does not match its output weight ", t.weight.sizes());
      TORCH_CHECK(t.hidden.numel() / t.hidden.size(-1) == total, "chunkedKdLoss: teacher hidden ", t.hidden.sizes(),
                  " for ", total, " student rows");
      shared = std::min(shared, t.weight.size(0));
    }
  }
  const std::vector<double> w = kdOn ? normalisedMix(mixIn) : std::vector<double>(teachers.size(), 0.0);

  const torch::ScalarType ct = computeType(studentHidden);
  const bool gradOn = torch::GradMode::is_enabled();
  const bool needH = gradOn && studentHidden.requires_grad();
  const bool needW = gradOn && studentWeight.requires_grad();
  const torch::Tensor rows = countedRows(y);
  const int64_t n = rows.numel();
  KdLossResult r;
  r.tokens = n;
  if (n == 0) {
    r.total = torch::zeros({}, h.options().dtype(ct));
    if (needH) r.total = r.total + studentHidden.sum().to(ct) * 0;
    if (needW) r.total = r.total + studentWeight.sum().to(ct) * 0;
    return r;
  }

  // Only the first `shared` rows of each teacher projection are ever used; teachers run without autograd.
  torch::NoGradGuard noGrad;
  const torch::Tensor wf = studentWeight.detach().to(ct);  // [V, H]
  std::vector<torch::Tensor> teacherH, teacherW, topV, topI;
  for (const TeacherTargets& t : teachers) {
    if (t.topkValues.defined()) {
      teacherH.emplace_back();
      teacherW.emplace_back();
      topV.push_back(t.topkValues.reshape({total, -1}));
      topI.push_back(t.topkIndices.reshape({total, -1}).to(torch::kInt64));
    } else {
      teacherH.push_back(t.hidden.reshape({total, -1}));
      teacherW.push_back(t.weight.detach().narrow(0, 0, shared).to(ct));  // [Vs, Ht]
      topV.emplace_back();
      topI.emplace_back();
    }
  }

  torch::Tensor gradH = needH ? torch::zeros({total, width}, h.options().dtype(ct)) : torch::Tensor();
  torch::Tensor gradW = needW ? torch::zeros({vocab, width}, wf.options()) : torch::Tensor();
  torch::Tensor ceSum = torch::zeros({}, h.options().dtype(torch::kFloat64));
  torch::Tensor dSum = torch::zeros({}, h.options().dtype(torch::kFloat64));
  const double tau = o.temperature;
  const double ceScale = o.alpha / double(n);
  // d(τ²·D)/dz = τ²·(1/τ)·dD/ds, and the mean over n tokens.
  const double kdScale = (1 - o.alpha) * tau / double(n);

  for (int64_t start = 0; start < n; start += o.chunkTokens) {
    const torch::Tensor idx = rows.slice(0, start, std::min(n, start + o.chunkTokens));  // [c]
    const torch::Tensor hc = h.detach().index_select(0, idx).to(ct);                     // [c, H]
    const torch::Tensor yc = y.index_select(0, idx).unsqueeze(1);                        // [c, 1]
    const torch::Tensor z = torch::matmul(hc, wf.t());                                   // [c, V]
    const torch::Tensor lse = z.logsumexp(1, /*keepdim=*/true);                          // [c, 1]
    ceSum += (lse - z.gather(1, yc)).sum().to(torch::kFloat64);

    torch::Tensor dGrad;
    if (kdOn) {
      std::vector<torch::Tensor> logps;
      for (size_t t = 0; t < teachers.size(); ++t) {
        if (w[t] == 0) {
          logps.push_back(torch::zeros({1}, z.options()));  // skipped by mixLogProbs
          continue;
        }
        if (topV[t].defined()) {
          // Cached: the teacher's logits outside its top-k are −inf, i.e. p renormalised over the k ids.
          const int64_t tv = teachers[t].vocab > 0 ? teachers[t].vocab : vocab;
          torch::Tensor dense = torch::full({idx.size(0), tv}, -std::numeric_limits<double>::infinity(), z.options());
          dense.scatter_(1, topI[t].index_select(0, idx), topV[t].index_select(0, idx).to(ct) / tau);
          logps.push_back(torch::log_softmax(dense.narrow(1, 0, shared), 1));
        } else {
          const torch::Tensor zt = torch::matmul(teacherH[t].index_select(0, idx).to(ct), teacherW[t].t());
          logps.push_back(torch::log_softmax(zt / tau, 1));  // [c, Vs]
        }
      }
      const torch::Tensor logp = mixLogProbs(logps, w);
      const torch::Tensor logq = torch::log_softmax(z.narrow(1, 0, shared) / tau, 1);
      auto [d, g] = divergenceRows(logp, logq, o, needH || needW);
      dSum += d.sum().to(torch::kFloat64);
      dGrad = g;
    }

    if (needH || needW) {
      // dLoss/dz [c, V]: α/n·(softmax(z) − onehot(y)) + (1−α)·τ/n·dD/ds on the shared ids.
      torch::Tensor gz = (z - lse).exp_();
      gz.scatter_add_(1, yc, torch::full_like(yc, -1, gz.options()));
      gz.mul_(ceScale);
      if (dGrad.defined()) gz.narrow(1, 0, shared).add_(dGrad, kdScale);
      if (needH) gradH.index_copy_(0, idx, torch::matmul(gz, wf));  // [c, H]
      if (needW) gradW.addmm_(gz.t(), hc);                          // [V, H]
    }
  }

  const double ce = ceSum.item<double>() / double(n);
  const double kd = dSum.item<double>() * tau * tau / double(n);
  const double value = o.alpha * ce + (1 - o.alpha) * kd;
  r.ce = ce;
  r.kd = kd;
  if (needH || needW) {
    torch::AutoGradMode enable(true);
    // Autograd records every tensor argument, so an absent gradient travels as an empty placeholder.
    const torch::Tensor none = torch::empty({0}, h.options().dtype(ct));
    r.total = FusedKdFunction::apply(studentHidden, studentWeight, needH ? gradH.view(studentHidden.sizes()) : none,
                                     needW ? gradW : none, value);
  } else {
    r.total = torch::scalar_tensor(value, h.options().dtype(ct));
  }
  return r;
}

}  // namespace distillery
