#include "train/AdamW.h"

#include "common/Error.h"
#include "torch/TorchCompat.h"

#include <torch/torch.h>

#include <cmath>
#include <tuple>

namespace distillery {

AdamW::AdamW(std::vector<NamedTensor> params, std::vector<bool> noDecay, const AdamWOptions& options)
    : params_(std::move(params)), noDecay_(std::move(noDecay)), slots_(params_.size()), options_(options) {
  TORCH_CHECK(noDecay_.size() == params_.size(), "AdamW: one noDecay flag per parameter expected, got ",
              noDecay_.size(), " for ", params_.size(), " parameters");
  for (const auto& [name, p] : params_)
    TORCH_CHECK(p.defined() && p.is_floating_point(), "AdamW: parameter ", name, " must be a floating tensor");
}

void AdamW::zeroGrad() {
  for (auto& [name, p] : params_) p.mutable_grad().reset();
}

void AdamW::step(double lr) {
  torch::NoGradGuard noGrad;
  // Parameters sharing (step, decay, device, dtype) are updated by one set of _foreach_ calls.
  std::map<std::tuple<int64_t, bool, std::string, int>, std::vector<size_t>> groups;
  for (size_t i = 0; i < params_.size(); ++i) {
    const at::Tensor& p = params_[i].second;
    if (!p.grad().defined()) continue;
    Slot& s = slots_[i];
    if (!s.expAvg.defined()) {
      s.expAvg = torch::zeros_like(p, at::MemoryFormat::Preserve);
      s.expAvgSq = torch::zeros_like(p, at::MemoryFormat::Preserve);
    }
    ++s.step;
    groups[{s.step, bool(noDecay_[i]), p.device().str(), int(p.scalar_type())}].push_back(i);
  }
  for (const auto& [key, members] : groups) {
    const int64_t t = std::get<0>(key);
    const bool decay = !std::get<1>(key) && options_.weightDecay != 0.0;
    std::vector<at::Tensor> ps, gs, ms, vs;
    for (size_t i : members) {
      ps.push_back(params_[i].second);
      gs.push_back(params_[i].second.grad());
      ms.push_back(slots_[i].expAvg);
      vs.push_back(slots_[i].expAvgSq);
    }
    const double b1 = options_.beta1, b2 = options_.beta2;
#if DISTILLERY_HAS_FUSED_ADAMW
    if (options_.fused && ps.front().is_cuda()) {
      // The fused kernel reads the (already incremented) step from a float tensor per parameter.
      std::vector<at::Tensor> steps;
      for (size_t k = 0; k < ps.size(); ++k)
        steps.push_back(torch::full({}, double(t), ps[k].options().dtype(torch::kFloat32)));
      at::_fused_adamw_(ps, gs, ms, vs, at::TensorList(), steps, lr, b1, b2, decay ? options_.weightDecay : 0.0,
                        options_.eps,
                        /*amsgrad=*/false, /*maximize=*/false);
      continue;
    }
#endif
    if (decay) at::_foreach_mul_(ps, 1.0 - lr * options_.weightDecay);
    at::_foreach_mul_(ms, b1);
    at::_foreach_add_(ms, gs, 1.0 - b1);
    at::_foreach_mul_(vs, b2);
    at::_foreach_addcmul_(vs, gs, gs, 1.0 - b2);
    const double bias1 = 1.0 - std::pow(b1, double(t));
    const double bias2Sqrt = std::sqrt(1.0 - std::pow(b2, double(t)));
    std::vector<at::Tensor> denom = at::_foreach_sqrt(vs);
    at::_foreach_div_(denom, bias2Sqrt);
    at::_foreach_add_(denom, options_.eps);
    at::_foreach_addcdiv_(ps, ms, denom, -lr / bias1);
  }
}

std::vector<NamedTensor> AdamW::state() const {
  std::vector<NamedTensor> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Slot& s = slots_[i];
    if (!s.expAvg.defined()) continue;
    const std::string& name = params_[i].first;
    out.emplace_back(name + ".exp_avg", s.expAvg.detach().to(torch::kCPU).contiguous());
    out.emplace_back(name + ".exp_avg_sq", s.expAvgSq.detach().to(torch::kCPU).contiguous());
    out.emplace_back(name + ".step", torch::full({1}, s.step, torch::kInt64));
  }
  return out;
}

void AdamW::loadState(const std::map<std::string, at::Tensor>& state, const QString& source) {
  torch::NoGradGuard noGrad;
  const auto shapeText = [](const at::Tensor& t) -> QString {
    QStringList dims;
    for (int64_t d : t.sizes()) dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
  };
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& [name, p] = params_[i];
    const auto m = state.find(name + ".exp_avg"), v = state.find(name + ".exp_avg_sq"), t = state.find(name + ".step");
    Slot& s = slots_[i];
    if (m == state.end() && v == state.end() && t == state.end()) {
      s = Slot{};
      continue;
    }
    for (const auto& [it, key] :
         {std::pair{m, name + ".exp_avg"}, std::pair{v, name + ".exp_avg_sq"}, std::pair{t, name + ".step"}})
      if (it == state.end())
        throw FormatError(source, QString::fromStdString(key), QString(),
                          QStringLiteral("missing from the optimizer state"));
    for (const auto& it : {m, v})
      if (!it->second.sizes().equals(p.sizes()))
        throw FormatError(source, QString::fromStdString(it->first), shapeText(it->second),
                          QStringLiteral("shape differs from the parameter's %1").arg(shapeText(p)));
    if (t->second.numel() != 1 || t->second.item<int64_t>() < 1)
      throw FormatError(source, QString::fromStdString(t->first), shapeText(t->second),
                        QStringLiteral("expected one step count >= 1"));
    s.expAvg = m->second.to(p.device(), p.scalar_type()).contiguous();
    s.expAvgSq = v->second.to(p.device(), p.scalar_type()).contiguous();
    s.step = t->second.item<int64_t>();
  }
}

int64_t AdamW::stepCount(const std::string& name) const {
  for (size_t i = 0; i < params_.size(); ++i)
    if (params_[i].first == name) return slots_[i].step;
  return 0;
}

}  // namespace distillery
