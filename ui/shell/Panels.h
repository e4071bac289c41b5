// The workbench's panels, in sidebar order, each with the function that builds its page. The ids stay stable
// because settings and tests refer to them.
#pragma once
#include <QtCore/QList>
#include <QtCore/QString>

#include <functional>

class QWidget;

namespace distillery::ui {

class WorkspacePanel;

struct PanelInfo {
  QString id;           // stable: "models", "data", "jobs", "curves", "quantization", "evaluation", "rating", "compare"
  QString title;        // translated
  QString description;  // translated; what the panel is for
  std::function<WorkspacePanel*(const PanelInfo&, QWidget* parent)> create{};  // builds the page
};

QList<PanelInfo> panels();

}  // namespace distillery::ui
