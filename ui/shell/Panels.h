// The workbench's panels, in sidebar order. Later work replaces a panel's page with its real widget;
// the ids stay stable because settings and tests refer to them.
#pragma once
#include <QtCore/QList>
#include <QtCore/QString>

namespace distillery::ui {

struct PanelInfo {
  QString id;           // stable: "models", "data", "jobs", "curves", "quantization", "evaluation", "rating", "compare"
  QString title;        // translated
  QString description;  // translated; what the panel is for
};

QList<PanelInfo> panels();

}  // namespace distillery::ui
