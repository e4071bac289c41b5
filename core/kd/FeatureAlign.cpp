#include "kd/FeatureAlign.h"

#include "common/Error.h"

#include <torch/torch.h>

namespace distillery {

FeatureLoss featureLossFromName(const QString& name) {
  if (name == QLatin1String("mse")) return FeatureLoss::Mse;
  if (name == QLatin1String("cosine")) return FeatureLoss::Cosine;
  throw Error(QString(), QStringLiteral("kd.feature_loss"), name, QStringLiteral("must be mse or cosine"));
}

std::vector<int> uniformLayerMapping(int studentLayers, int teacherLayers) {
  if (studentLayers < 1 || teacherLayers < 1)
    throw Error(QString(), QStringLiteral("layers"),
                QString::number(studentLayers) + QLatin1Char('/') + QString::number(teacherLayers),
                QStringLiteral("student and teacher need at least one layer each"));
  std::vector<int> map;
  for (int i = 0; i <= studentLayers; ++i)  // round(i·Lt/Ls), halves up, in integers
    map.push_back(int((2 * int64_t(i) * teacherLayers + studentLayers) / (2 * int64_t(studentLayers))));
  return map;
}

FeatureAlignOptions defaultFeatureAlignOptions(int studentLayers, int teacherLayers, int64_t studentHidden,
                                               int64_t teacherHidden, FeatureLoss loss,
                                               const std::vector<int>& chosenStudentLayers) {
  const std::vector<int> map = uniformLayerMapping(studentLayers, teacherLayers);
  FeatureAlignOptions o;
  o.studentHidden = studentHidden;
  o.teacherHidden = teacherHidden;
  o.loss = loss;
  if (chosenStudentLayers.empty()) {
    for (int i = 1; i <= studentLayers; ++i) o.studentLayers.push_back(i);
  } else {
    o.studentLayers = chosenStudentLayers;
  }
  for (int i : o.studentLayers) {
    if (i < 0 || i > studentLayers)
      throw Error(QString(), QStringLiteral("kd.feature_layers"), QString::number(i),
                  QStringLiteral("must be a hidden_states index in [0, %1] (0 = embeddings)").arg(studentLayers));
    o.teacherLayers.push_back(map[size_t(i)]);
  }
  return o;
}

FeatureAlignImpl::FeatureAlignImpl(const FeatureAlignOptions& o) : options_(o) {
  if (o.studentLayers.empty() || o.studentLayers.size() != o.teacherLayers.size())
    throw Error(QString(), QStringLiteral("kd.feature_layers"), QString::number(o.studentLayers.size()),
                QStringLiteral("needs one teacher layer per student layer (%1 teacher layers given)")
                    .arg(o.teacherLayers.size()));
  if (o.studentHidden <= 0 || o.teacherHidden <= 0)
    throw Error(QString(), QStringLiteral("hidden_size"),
                QString::number(o.studentHidden) + QLatin1Char('/') + QString::number(o.teacherHidden),
                QStringLiteral("student and teacher widths must be positive"));
  if (o.studentHidden != o.teacherHidden) {
    proj = register_module("proj", torch::nn::ModuleList());
    for (size_t i = 0; i < o.studentLayers.size(); ++i)
      proj->push_back(torch::nn::Linear(torch::nn::LinearOptions(o.studentHidden, o.teacherHidden)));
  }
}

torch::Tensor FeatureAlignImpl::forward(const std::vector<torch::Tensor>& studentStates,
                                        const std::vector<torch::Tensor>& teacherStates, const torch::Tensor& mask) {
  const FeatureAlignOptions& o = options_;
  torch::Tensor total;
  for (size_t k = 0; k < o.studentLayers.size(); ++k) {
    const int si = o.studentLayers[k], ti = o.teacherLayers[k];
    TORCH_CHECK(si >= 0 && size_t(si) < studentStates.size(), "FeatureAlign: student layer ", si, " of ",
                studentStates.size(), " hidden states");
    TORCH_CHECK(ti >= 0 && size_t(ti) < teacherStates.size(), "FeatureAlign: teacher layer ", ti, " of ",
                teacherStates.size(), " hidden states");
    const torch::Tensor& sIn = studentStates[size_t(si)];
    const torch::Tensor& tIn = teacherStates[size_t(ti)];
    TORCH_CHECK(sIn.size(-1) == o.studentHidden && tIn.size(-1) == o.teacherHidden, "FeatureAlign: widths ",
                sIn.size(-1), "/", tIn.size(-1), ", expected ", o.studentHidden, "/", o.teacherHidden);
    TORCH_CHECK(sIn.numel() / o.studentHidden == tIn.numel() / o.teacherHidden, "FeatureAlign: student states ",
                sIn.sizes(), " and teacher states ", tIn.sizes(), " differ in tokens");
    const torch::ScalarType ct = sIn.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
    torch::Tensor s = sIn.reshape({-1, o.studentHidden});  // [N, H]
    torch::Tensor t = tIn.detach().reshape({-1, o.teacherHidden});
    if (mask.defined()) {
      const torch::Tensor rows = mask.reshape({-1}).to(s.device()).to(torch::kBool).nonzero().reshape({-1});
      TORCH_CHECK(mask.numel() == s.size(0), "FeatureAlign: mask ", mask.sizes(), " for ", s.size(0), " tokens");
      s = s.index_select(0, rows);
      t = t.index_select(0, rows);
    }
    if (s.size(0) == 0) return sIn.sum().to(ct) * 0;  // nothing counted: 0, still on the graph
    if (!proj.is_empty() && !proj->is_empty()) {
      auto linear = proj[k]->as<torch::nn::Linear>();
      s = linear->forward(s.to(linear->weight.scalar_type()));  // [n, Ht]
    }
    s = s.to(ct);
    t = t.to(ct);
    torch::Tensor l = o.loss == FeatureLoss::Mse ? (s - t).pow(2).mean()
                                                 : (1 - torch::cosine_similarity(s, t, /*dim=*/1, /*eps=*/1e-8)).mean();
    total = total.defined() ? total + l : l;
  }
  return total / double(o.studentLayers.size());
}

}  // namespace distillery
