#include "shell/Panels.h"

#include "curves/CurvePanel.h"
#include "data/DataPanel.h"
#include "jobs/JobsPanel.h"
#include "models/ModelsPanel.h"
#include "rating/RatingPanel.h"
#include "shell/PanelPage.h"

#include <QtCore/QCoreApplication>

namespace distillery::ui {

static QString translated(const char* text) { return QCoreApplication::translate("Panels", text); }

// A page that lists one workspace table (or, without one, says what is coming).
static auto tablePage(std::optional<StoreTable> table) {
  return [table](const PanelInfo& info, QWidget* parent) -> WorkspacePanel* { return new PanelPage(info, table, parent); };
}

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
  };
  const std::pair<const char*, std::optional<StoreTable>> tables[] = {
      {"models", StoreTable::Models}, {"data", StoreTable::Datasets}, {"jobs", StoreTable::Jobs}};
  for (PanelInfo& p : list) {
    p.create = tablePage(std::nullopt);
    for (const auto& [id, table] : tables)
      if (p.id == QLatin1String(id)) p.create = tablePage(table);
    if (p.id == QLatin1String("jobs"))
      p.create = [](const PanelInfo& info, QWidget* parent) -> WorkspacePanel* { return new JobsPanel(info, parent); };
    if (p.id == QLatin1String("data"))
      p.create = [](const PanelInfo& info, QWidget* parent) -> WorkspacePanel* { return new DataPanel(info, parent); };
    if (p.id == QLatin1String("models"))
      p.create = [](const PanelInfo& info, QWidget* parent) -> WorkspacePanel* { return new ModelsPanel(info, parent); };
    if (p.id == QLatin1String("curves"))
      p.create = [](const PanelInfo&, QWidget* parent) -> WorkspacePanel* { return new CurvePanel(parent); };
    if (p.id == QLatin1String("rating"))
      p.create = [](const PanelInfo&, QWidget* parent) -> WorkspacePanel* { return new RatingPanel(parent); };
  }
  return list;
}

}  // namespace distillery::ui
