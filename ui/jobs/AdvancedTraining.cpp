#include "jobs/AdvancedTraining.h"

#include "jobs/FormFields.h"

#include <QtWidgets/QSpinBox>

#include <algorithm>
#include <limits>

namespace distillery::ui {
namespace {
constexpr int kMaxInt = std::numeric_limits<int>::max();
}

AdvancedTraining::AdvancedTraining(QWidget* parent)
    : CollapsibleSection(tr("Advanced: optimi&zer and stopping"), QStringLiteral("trainAdvanced"),
                         tr("Optimizer, clipping and stopping settings most runs leave at their defaults."),
                         parent) {
  QFormLayout* f = form();
  weightDecay_ = addNumberField(f, QStringLiteral("train.weight_decay"), tr("Weig&ht decay:"), 0, 10, 0.01,
                                tr("AdamW decoupled weight decay (not on norms and biases), ≥ 0; typical 0–0.1."));
  beta1_ = addNumberField(f, QStringLiteral("train.beta1"), tr("Adam β&1:"), 0, 1, 0.01,
                          tr("AdamW first-moment decay, in [0, 1); typical 0.9."));
  beta2_ = addNumberField(f, QStringLiteral("train.beta2"), tr("Adam β&2:"), 0, 1, 0.001,
                          tr("AdamW second-moment decay, in [0, 1); typical 0.95–0.999."));
  eps_ = addNumberField(f, QStringLiteral("train.eps"), tr("Adam e&psilon (ε):"), 0, 1, 1e-8,
                        tr("AdamW denominator term, > 0; typical 1e-8 (1e-6 for bf16)."));
  eps_->setDecimals(30);  // keeps values such as 1e-12 exact (NumberSpinBox shows them as 1e-12)
  maxGradNorm_ = addNumberField(f, QStringLiteral("train.max_grad_norm"), tr("Max gradient &norm:"), 0, 1e6, 0.1,
                                tr("Clips the global gradient norm to this (0: off); typical 0.5–1."));
  earlyStop_ = addNumberField(f, QStringLiteral("train.early_stop_threshold"), tr("Early-stop th&reshold:"), 0, 100,
                              0.01,
                              tr("Early stopping: an evaluation counts as worse when validation loss > best·(1 + "
                                 "this), ≥ 0; typical 0–0.1. Needs a validation set."));
  patience_ = addIntField(f, QStringLiteral("train.patience"), tr("Pat&ience:"), 0, kMaxInt,
                          tr("Early stopping: worse evaluations in a row before the run stops (0: off); "
                             "typical 2–5."));
  maxBadSteps_ = addIntField(f, QStringLiteral("train.max_bad_steps"), tr("Ma&x bad steps:"), 0, kMaxInt,
                             tr("Steps in a row with a NaN/Inf loss (skipped) before the job fails, ≥ 1; "
                                "typical 3–10."));
}

void AdvancedTraining::setTrain(const TrainSpec& t) {
  weightDecay_->setValue(t.weightDecay);
  beta1_->setValue(t.beta1);
  beta2_->setValue(t.beta2);
  eps_->setValue(t.eps);
  maxGradNorm_->setValue(t.maxGradNorm);
  earlyStop_->setValue(t.earlyStopThreshold);
  patience_->setValue(int(std::min<int64_t>(t.patience, kMaxInt)));
  maxBadSteps_->setValue(int(std::min<int64_t>(t.maxBadSteps, kMaxInt)));
}

void AdvancedTraining::read(TrainSpec& t) const {
  t.weightDecay = weightDecay_->value();
  t.beta1 = beta1_->value();
  t.beta2 = beta2_->value();
  t.eps = eps_->value();
  t.maxGradNorm = maxGradNorm_->value();
  t.earlyStopThreshold = earlyStop_->value();
  t.patience = patience_->value();
  t.maxBadSteps = maxBadSteps_->value();
}

}  // namespace distillery::ui
