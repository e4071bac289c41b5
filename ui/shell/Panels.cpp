#include "shell/Panels.h"

#include "audit/AuditPanel.h"
#include "compare/ComparePanel.h"
#include "curves/CurvePanel.h"
#include "data/DataPanel.h"
#include "eval/EvaluationPanel.h"
#include "jobs/JobsPanel.h"
#include "models/ModelsPanel.h"
#include "quant/QuantizationPanel.h"
#include "rating/RatingPanel.h"

#include <QtCore/QCoreApplication>

namespace distillery::ui {

static QString translated(const char* text) { return QCoreApplication::translate("Panels", text); }

QList<PanelInfo> panels() {
  QList<PanelInfo> list = {
      {QStringLiteral("models"), translated(QT_TRANSLATE_NOOP("Panels", "Models")),
       translated(QT_TRANSLATE_NOOP("Panels", "Teacher and student checkpoints registered in this workspace."))},
      {QStringLiteral("data"), translated(QT_TRANSLATE_NOOP("Panels", "Data")),
       translated(QT_TRANSLATE_NOOP("Panels", "Datasets and the cleaned, split and generated sets derived from them."))},
      {QStringLiteral("jobs"), translated(QT_TRANSLATE_NOOP("Panels", "Jobs")),
       translated(QT_TRANSLATE_NOOP("Panels", "Distillation, LoRA, fine-tuning, quantization and evaluation jobs."))},
      {QStringLiteral("curves"), translated(QT_TRANSLATE_NOOP("Panels", "Curves")),
       translated(QT_TRANSLATE_NOOP("Panels", "Training and validation loss curves of the workspace's runs."))},
      {QStringLiteral("quantization"), translated(QT_TRANSLATE_NOOP("Panels", "Quantization")),
       translated(QT_TRANSLATE_NOOP("Panels", "Fidelity of quantized models against their float originals."))},
      {QStringLiteral("evaluation"), translated(QT_TRANSLATE_NOOP("Panels", "Evaluation")),
       translated(QT_TRANSLATE_NOOP("Panels", "Automatic metrics of each model, with per-sample outputs."))},
      {QStringLiteral("rating"), translated(QT_TRANSLATE_NOOP("Panels", "Human rating")),
       translated(QT_TRANSLATE_NOOP("Panels", "Rubric and blind pairwise rating studies and their agreement."))},
      {QStringLiteral("compare"), translated(QT_TRANSLATE_NOOP("Panels", "Compare")),
       translated(QT_TRANSLATE_NOOP("Panels", "Chosen runs side by side: curves, fidelity, metrics and human scores."))},
      {QStringLiteral("audit"), translated(QT_TRANSLATE_NOOP("Panels", "Audit")),
       translated(QT_TRANSLATE_NOOP("Panels", "Every change to this workspace in a tamper-evident log, and where each model and dataset came from."))},
  };
  // Panel id → its page (panels that take the PanelInfo show its title and description themselves).
  using Make = WorkspacePanel* (*)(const PanelInfo&, QWidget*);
  const std::pair<const char*, Make> pages[] = {
      {"models", [](const PanelInfo& i, QWidget* p) -> WorkspacePanel* { return new ModelsPanel(i, p); }},
      {"data", [](const PanelInfo& i, QWidget* p) -> WorkspacePanel* { return new DataPanel(i, p); }},
      {"jobs", [](const PanelInfo& i, QWidget* p) -> WorkspacePanel* { return new JobsPanel(i, p); }},
      {"curves", [](const PanelInfo&, QWidget* p) -> WorkspacePanel* { return new CurvePanel(p); }},
      {"quantization", [](const PanelInfo&, QWidget* p) -> WorkspacePanel* { return new QuantizationPanel(p); }},
      {"evaluation", [](const PanelInfo&, QWidget* p) -> WorkspacePanel* { return new EvaluationPanel(p); }},
      {"rating", [](const PanelInfo&, QWidget* p) -> WorkspacePanel* { return new RatingPanel(p); }},
      {"compare", [](const PanelInfo&, QWidget* p) -> WorkspacePanel* { return new ComparePanel(p); }},
      {"audit", [](const PanelInfo& i, QWidget* p) -> WorkspacePanel* { return new AuditPanel(i, p); }},
  };
  for (PanelInfo& info : list)
    for (const auto& [id, make] : pages)
      if (info.id == QLatin1String(id)) info.create = make;
  return list;
}

}  // namespace distillery::ui
