#include "jobs/DistillSection.h"

#include "jobs/CollapsibleSection.h"
#include "jobs/FormFields.h"
#include "jobs/SchedulePreview.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>

#include <algorithm>

namespace distillery::ui {

DistillSection::DistillSection(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("pageKd"));
  auto* form = new QFormLayout(this);
  kdLoss_ = addChoiceField(form, QStringLiteral("kd.loss"), tr("&Loss:"),
                           {QStringLiteral("forward_kl"), QStringLiteral("reverse_kl"), QStringLiteral("jsd")},
                           tr("Divergence between teacher and student: forward_kl (Hinton), reverse_kl (MiniLLM) "
                              "or jsd (generalised JSD with β)."));
  jsdBeta_ = addNumberField(form, QStringLiteral("kd.jsd_beta"), tr("JSD &β:"), 0, 1, 0.1,
                            tr("β of the generalised JSD, in [0, 1]; 0.5 is the symmetric JSD."));
  temperature_ = addNumberField(form, QStringLiteral("kd.temperature"), tr("&Temperature τ:"), 0, 100, 0.5,
                                tr("Softmax temperature (> 0) when the τ schedule is constant; typical 1–4."));
  alpha_ = addNumberField(form, QStringLiteral("kd.alpha"), tr("&Alpha α:"), 0, 1, 0.05,
                          tr("Weight of the CE term in [0, 1] when the α schedule is constant; (1−α) weighs KD."));
  for (const auto& [prefix, title] : {std::pair{QStringLiteral("kd.temperature_schedule"), tr("τ schedule")},
                                      std::pair{QStringLiteral("kd.alpha_schedule"), tr("α schedule")}}) {
    auto* box = new QGroupBox(title, this);
    box->setObjectName(prefix);
    auto* f = new QFormLayout(box);
    addChoiceField(
        f, prefix + QStringLiteral(".kind"), tr("Kind:"),
        {QStringLiteral("constant"), QStringLiteral("linear"), QStringLiteral("cosine"), QStringLiteral("stages")},
        tr("constant: the value above; linear/cosine: from start to end; stages: the run cut into equal "
           "parts, part k uses start + per stage·k."));
    addNumberField(f, prefix + QStringLiteral(".start"), tr("Start:"), -100, 100, 0.1,
                   tr("Value at step 0 (and of the first stage)."));
    addNumberField(f, prefix + QStringLiteral(".end"), tr("End:"), -100, 100, 0.1,
                   tr("linear/cosine: value at the last step."));
    addIntField(f, prefix + QStringLiteral(".stages"), tr("Stages:"), 0, 1000,
                tr("stages: number of equal parts of the run; typical 2–5."));
    addNumberField(f, prefix + QStringLiteral(".per_stage"), tr("Per stage:"), -100, 100, 0.05,
                   tr("stages: added at each stage (τ: e.g. −0.8, α: e.g. +0.15)."));
    form->addRow(box);
  }
  preview_ = new SchedulePreview(this);
  form->addRow(preview_);
  featureWeight_ = addNumberField(form, QStringLiteral("kd.feature.weight"), tr("&Feature weight:"), 0, 1000, 0.05,
                                  tr("Weight of the hidden-state alignment loss (0: off); typical 0.01–1."));
  featureLoss_ = addChoiceField(form, QStringLiteral("kd.feature.loss"), tr("Feature l&oss:"),
                                {QStringLiteral("mse"), QStringLiteral("cosine")},
                                tr("How student and teacher hidden states are compared."));
  featureLayers_ = addTextField(form, QStringLiteral("kd.feature.layers"), tr("Feature la&yers:"),
                                tr("Comma-separated student hidden_states indices to align; empty: every layer, "
                                   "mapped uniformly onto the teacher's."));
  chunkTokens_ = addIntField(form, QStringLiteral("kd.chunk_tokens"), tr("&Chunk tokens:"), 0, 1 << 24,
                             tr("Tokens per chunk of the fused KD loss; lower it when memory runs out. Typical "
                                "256–4096."));
  teacherWeight_ = addNumberField(form, QStringLiteral("kd.teacher_weight"), tr("Main teacher &weight:"), 0, 1000, 0.1,
                                  tr("The main teacher's weight in the mix of soft targets (weights are normalised)."));
  teachers_ = new QTableWidget(0, 2, this);
  teachers_->setObjectName(QStringLiteral("kd.teachers"));
  teachers_->setHorizontalHeaderLabels({tr("Model folder"), tr("Weight")});
  teachers_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  teachers_->setToolTip(
      tr("Further teachers whose soft targets are mixed with the main teacher's (same "
         "tokenizer); weight > 0, typical 0.5–1."));
  teachers_->setMaximumHeight(140);
  auto* teachersLabel = new QLabel(tr("E&xtra teachers:"), this);
  teachersLabel->setBuddy(teachers_);
  form->addRow(teachersLabel,
             tableWithButtons(teachers_, this, [this] { appendRow(teachers_, QString(), QStringLiteral("1")); }));

  auto* advanced = new CollapsibleSection(tr("Advanced: teacher logits ca&che"), QStringLiteral("kdAdvanced"),
                                          tr("Runs the teacher once and reuses its top-k logits for every epoch and "
                                             "trial."),
                                          this);
  cacheTopK_ = addIntField(advanced->form(), QStringLiteral("kd.cache.top_k"), tr("Cache top-&k:"), 0, 1 << 20,
                           tr("Teacher logits kept per token in the cache (0: the teacher runs online every step); "
                              "typical 32–128."));
  cacheDir_ = addPathField(advanced->form(), QStringLiteral("kd.cache.dir"), tr("Cache fol&der:"), true,
                           tr("Folder the top-k cache is written to once and read back from; empty: under the "
                              "job's output."));
  form->addRow(advanced);
}

void DistillSection::fillSchedule(const QString& prefix, const ScheduleSpec& s) {
  findChild<QComboBox*>(prefix + QStringLiteral(".kind"))->setCurrentText(s.kind);
  findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".start"))->setValue(s.start);
  findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".end"))->setValue(s.end);
  findChild<QSpinBox*>(prefix + QStringLiteral(".stages"))->setValue(s.stages);
  findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".per_stage"))->setValue(s.perStage);
}

ScheduleSpec DistillSection::readSchedule(const QString& prefix) const {
  ScheduleSpec s;
  const QString kind = findChild<QComboBox*>(prefix + QStringLiteral(".kind"))->currentText();
  if (kind == QLatin1String("constant")) return s;  // the plain kd.temperature / kd.alpha then
  s.kind = kind;
  s.start = findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".start"))->value();
  s.end = findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".end"))->value();
  s.stages = findChild<QSpinBox*>(prefix + QStringLiteral(".stages"))->value();
  s.perStage = findChild<QDoubleSpinBox*>(prefix + QStringLiteral(".per_stage"))->value();
  return s;
}

void DistillSection::setKd(const KdSpec& kd) {
  kdLoss_->setCurrentText(kd.loss);
  jsdBeta_->setValue(kd.jsdBeta);
  temperature_->setValue(kd.temperature);
  alpha_->setValue(kd.alpha);
  fillSchedule(QStringLiteral("kd.temperature_schedule"), kd.temperatureSchedule);
  fillSchedule(QStringLiteral("kd.alpha_schedule"), kd.alphaSchedule);
  featureWeight_->setValue(kd.featureWeight);
  featureLoss_->setCurrentText(kd.featureLoss);
  QStringList layers;
  for (int l : kd.featureLayers) layers.append(QString::number(l));
  featureLayers_->setText(layers.join(QStringLiteral(", ")));
  chunkTokens_->setValue(int(std::min<int64_t>(kd.chunkTokens, 1 << 24)));
  teacherWeight_->setValue(kd.teacherWeight);
  cacheTopK_->setValue(int(std::min<int64_t>(kd.cacheTopK, 1 << 20)));
  cacheDir_->setText(kd.cacheDir);
  teachers_->setRowCount(0);
  for (const TeacherSpec& ts : kd.extraTeachers) appendRow(teachers_, ts.path, QString::number(ts.weight));
}

KdSpec DistillSection::kd(const KdSpec& base, QString* problemKey, QString* problemMessage) const {
  const auto fail = [&](const QString& key, const QString& message) {
    if (problemKey && problemKey->isEmpty()) {
      *problemKey = key;
      if (problemMessage) *problemMessage = message;
    }
  };
  KdSpec out = base;
  out.loss = kdLoss_->currentText();
  out.jsdBeta = jsdBeta_->value();
  out.temperature = temperature_->value();
  out.alpha = alpha_->value();
  out.temperatureSchedule = readSchedule(QStringLiteral("kd.temperature_schedule"));
  out.alphaSchedule = readSchedule(QStringLiteral("kd.alpha_schedule"));
  out.featureWeight = featureWeight_->value();
  out.featureLoss = featureLoss_->currentText();
  out.featureLayers.clear();
  for (const QString& item : splitList(featureLayers_->text())) {
    bool ok = false;
    const int layer = item.toInt(&ok);
    if (ok)
      out.featureLayers.push_back(layer);
    else
      fail(QStringLiteral("kd.feature.layers"), tr("\"%1\" is not a layer index").arg(item));
  }
  out.chunkTokens = chunkTokens_->value();
  out.teacherWeight = teacherWeight_->value();
  out.cacheTopK = cacheTopK_->value();
  out.cacheDir = cacheDir_->text().trimmed();
  out.extraTeachers.clear();
  for (int row = 0; row < teachers_->rowCount(); ++row) {
    TeacherSpec ts;
    ts.path = cell(teachers_, row, 0);
    bool ok = false;
    ts.weight = cell(teachers_, row, 1).toDouble(&ok);
    if (!ok) fail(QStringLiteral("kd.teachers"), tr("row %1: the weight is not a number").arg(row + 1));
    out.extraTeachers.push_back(ts);
  }
  return out;
}

}  // namespace distillery::ui
