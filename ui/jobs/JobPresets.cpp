#include "jobs/JobPresets.h"

#include <QtCore/QCoreApplication>

namespace distillery::ui {

QList<JobPreset> jobPresets() { return {JobPreset::Lora, JobPreset::FullFt, JobPreset::ProgressiveKd}; }

QString jobPresetName(JobPreset p) {
  switch (p) {
    case JobPreset::Lora:
      return QCoreApplication::translate("JobPresets", "LoRA: r 16, α 32, dropout 0.1");
    case JobPreset::FullFt:
      return QCoreApplication::translate("JobPresets", "Full fine-tuning: lr 3e-5");
    case JobPreset::ProgressiveKd:
      return QCoreApplication::translate("JobPresets", "Progressive KD: τ 3.0 −0.8/stage, α 0.5 +0.15/stage, 3 stages");
  }
  return {};
}

void applyJobPreset(JobSpec& spec, JobPreset p) {
  switch (p) {
    case JobPreset::Lora:
      spec.kind = JobKind::Lora;
      spec.lora = LoraSpec{};  // the defaults are the seeds' r16/α32/dropout 0.1 on q_proj, v_proj
      spec.lora.r = 16;
      spec.lora.alpha = 32;
      spec.lora.dropout = 0.1;
      break;
    case JobPreset::FullFt:
      spec.kind = JobKind::FullFt;
      spec.train.lr = 3e-5;
      break;
    case JobPreset::ProgressiveKd:
      spec.kind = JobKind::Distill;
      spec.kd.loss = QStringLiteral("forward_kl");
      spec.kd.temperature = 3.0;
      spec.kd.alpha = 0.5;
      spec.kd.temperatureSchedule = ScheduleSpec{QStringLiteral("stages"), 3.0, 3.0, 3, -0.8};
      spec.kd.alphaSchedule = ScheduleSpec{QStringLiteral("stages"), 0.5, 0.5, 3, 0.15};
      break;
  }
}

}  // namespace distillery::ui
