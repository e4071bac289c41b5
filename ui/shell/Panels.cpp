#include "shell/Panels.h"

#include <QtCore/QCoreApplication>

namespace distillery::ui {

static QString tr(const char* text) { return QCoreApplication::translate("Panels", text); }

QList<PanelInfo> panels() {
  return {
      {QStringLiteral("models"), tr(QT_TRANSLATE_NOOP("Panels", "Models")),
       tr(QT_TRANSLATE_NOOP("Panels", "Teacher and student checkpoints registered in this workspace."))},
      {QStringLiteral("data"), tr(QT_TRANSLATE_NOOP("Panels", "Data")),
       tr(QT_TRANSLATE_NOOP("Panels", "Datasets and the cleaned, split and generated sets derived from them."))},
      {QStringLiteral("jobs"), tr(QT_TRANSLATE_NOOP("Panels", "Jobs")),
       tr(QT_TRANSLATE_NOOP("Panels", "Distillation, LoRA, fine-tuning, quantization and evaluation jobs."))},
      {QStringLiteral("curves"), tr(QT_TRANSLATE_NOOP("Panels", "Curves")),
       tr(QT_TRANSLATE_NOOP("Panels", "Training and validation loss curves of the workspace's runs."))},
      {QStringLiteral("quantization"), tr(QT_TRANSLATE_NOOP("Panels", "Quantization")),
       tr(QT_TRANSLATE_NOOP("Panels", "Fidelity of quantized models against their float originals."))},
      {QStringLiteral("evaluation"), tr(QT_TRANSLATE_NOOP("Panels", "Evaluation")),
       tr(QT_TRANSLATE_NOOP("Panels", "Automatic metrics of each model, with per-sample outputs."))},
      {QStringLiteral("rating"), tr(QT_TRANSLATE_NOOP("Panels", "Human rating")),
       tr(QT_TRANSLATE_NOOP("Panels", "Rubric and blind pairwise rating studies and their agreement."))},
      {QStringLiteral("compare"), tr(QT_TRANSLATE_NOOP("Panels", "Compare")),
       tr(QT_TRANSLATE_NOOP("Panels", "Chosen runs side by side: curves, fidelity, metrics and human scores."))},
  };
}

}  // namespace distillery::ui
