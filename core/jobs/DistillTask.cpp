#include "jobs/DistillTask.h"

#include "common/Error.h"
#include "jobs/TaskSupport.h"
#include "kd/KdLoss.h"
#include "kd/Schedule.h"
#include "model/ModelLoader.h"
#include "quant/QuantizeModel.h"

#include <torch/torch.h>

namespace distillery {

DistillTask::DistillTask(const JobSpec& spec) : spec_(spec) {
  const torch::Device device = jobDevice(spec);
  student_ = loadCausalLM(spec.student, trainableDtype(spec), device);
  trainable_ = selectTrainable(student_, spec.train.trainable);
  setFakeQuant(student_, qatScheme(spec.train.qat));  // QAT: the student's decoder Linears fake-quantize (STE)

  teachers_.push_back(loadCausalLM(spec.teacher, frozenDtype(spec), device));
  mix_.push_back(spec.kd.teacherWeight);
  for (const TeacherSpec& t : spec.kd.extraTeachers) {
    teachers_.push_back(loadCausalLM(t.path, frozenDtype(spec), device));
    mix_.push_back(t.weight);
  }
  for (CausalLM& t : teachers_) t->eval();

  if (spec.kd.cacheTopK > 0) {
    if (teachers_.size() > 1)
      throw Error(QString(), QStringLiteral("kd.cache.top_k"), QString::number(spec.kd.cacheTopK),
                  QStringLiteral("caches one teacher's logits; drop kd.teachers or set top_k to 0"));
    const QString dir = spec.kd.cacheDir.isEmpty() ? spec.output + QStringLiteral("/teacher_cache") : spec.kd.cacheDir;
    cache_.emplace(dir, TeacherCacheKey{spec.teacher, spec.kd.cacheTopK, fileSha256(spec.data.train)});
  }

  if (spec.kd.featureWeight > 0) {
    const ModelConfig& s = student_->config();
    const ModelConfig& t = teachers_.front()->config();
    for (int l : spec.kd.featureLayers)
      if (l > s.layers)
        throw Error(QString(), QStringLiteral("kd.feature.layers"), QString::number(l),
                    QStringLiteral("is not a hidden_states index of the student (0 .. %1)").arg(s.layers));
    torch::manual_seed(spec.train.seed);  // the projections' init
    align_ = FeatureAlign(defaultFeatureAlignOptions(int(s.layers), int(t.layers), s.hidden, t.hidden,
                                                     featureLossFromName(spec.kd.featureLoss), spec.kd.featureLayers));
    align_->to(device, trainableDtype(spec));
    for (const auto& p : align_->named_parameters()) {
      p.value().set_requires_grad(true);
      trainable_.emplace_back("feature_align." + p.key(), p.value());
    }
  }
}

LossParts DistillTask::compute(const Batch& batch, int64_t step, int64_t totalSteps) {
  const KdLossOptions o = kdOptionsAtStep(spec_.kd, step, totalSteps);
  const bool features = !align_.is_empty();
  ForwardOptions fo = forwardOptions(batch);
  fo.hiddenStates = features;

  const torch::Tensor rows = countedPositions(batch.labels);  // [N]
  const torch::Tensor labels = batch.labels.reshape({-1}).index_select(0, rows);
  const DecoderOutput s = student_->model->forward(batch.inputIds, fo, student_->attentionPath());
  const torch::Tensor hidden = s.last.reshape({-1, s.last.size(-1)}).index_select(0, rows);  // [N, H]

  std::vector<TeacherTargets> targets;
  std::vector<torch::Tensor> teacherStates;
  {
    torch::NoGradGuard noGrad;
    if (cache_) {
      const QString key = TeacherCache::batchKey(batch.inputIds, batch.attentionMask, batch.segmentIds);
      if (!cache_->contains(key) || features) {
        ForwardOptions to = forwardOptions(batch);
        to.hiddenStates = features;
        const CausalLMOutput t = teachers_.front()->forward(batch.inputIds, to);
        if (!cache_->contains(key)) cache_->store(key, t.logits);
        teacherStates = t.hiddenStates;
      }
      const TeacherTopK top = cache_->load(key);
      TeacherTargets tt;
      tt.topkValues = top.values.reshape({-1, top.values.size(-1)}).to(hidden.device()).index_select(0, rows);
      tt.topkIndices = top.indices.reshape({-1, top.indices.size(-1)}).to(hidden.device()).index_select(0, rows);
      tt.vocab = top.vocab;
      targets.push_back(tt);
    } else {
      for (size_t i = 0; i < teachers_.size(); ++i) {
        ForwardOptions to = forwardOptions(batch);
        to.hiddenStates = features && i == 0;
        const DecoderOutput t = teachers_[i]->model->forward(batch.inputIds, to, teachers_[i]->attentionPath());
        TeacherTargets tt;
        tt.hidden = t.last.reshape({-1, t.last.size(-1)}).index_select(0, rows);  // [N, Ht]
        tt.weight = teachers_[i]->outputWeight();                                 // [Vt, Ht]
        tt.mix = mix_[i];
        targets.push_back(tt);
        if (i == 0) teacherStates = t.hiddenStates;
      }
    }
  }

  const KdLossResult kd = chunkedKdLoss(hidden, student_->outputWeight(), targets, labels, o);
  LossParts out;
  out.total = kd.total;
  out.tokens = kd.tokens;
  out.components["ce"] = kd.ce;
  out.components["kd"] = kd.kd;
  if (features) {
    const torch::Tensor f = align_->forward(s.hiddenStates, teacherStates, batch.attentionMask);
    out.total = out.total + spec_.kd.featureWeight * f;
    out.components["feature"] = f.detach().item<double>();
  }
  return out;
}

LossParts DistillTask::loss(const Batch& batch, int64_t step, int64_t totalSteps) {
  lastStep_ = step;
  lastTotal_ = totalSteps;
  student_->train();
  if (align_) align_->train();
  return compute(batch, step, totalSteps);
}

LossParts DistillTask::evaluate(const Batch& batch) {
  student_->eval();
  if (align_) align_->eval();
  torch::NoGradGuard noGrad;
  return compute(batch, lastStep_, lastTotal_);
}

void DistillTask::saveArtifacts(const QString& dir) { saveFullModel(student_, spec_.student, dir); }

torch::Device DistillTask::device() const { return student_->device(); }

}  // namespace distillery
