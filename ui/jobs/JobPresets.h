// The starting points the job form offers (the seeds' defaults). A preset changes the kind and the values it is
// about and leaves everything else (paths, data, device) as the user set it.
#pragma once
#include "train/JobSpec.h"

#include <QtCore/QList>
#include <QtCore/QString>

namespace distillery::ui {

enum class JobPreset {
  Lora,           // kind lora, r 16, alpha 32, dropout 0.1, q_proj + v_proj
  FullFt,         // kind full_ft, lr 3e-5
  ProgressiveKd,  // kind distill, forward KL, τ = 3.0 − 0.8·k and α = 0.5 + 0.15·k over 3 stages
};

QList<JobPreset> jobPresets();
QString jobPresetName(JobPreset p);  // translated, with its values
void applyJobPreset(JobSpec& spec, JobPreset p);

}  // namespace distillery::ui
