#include "curves/CurveSettings.h"

#include <QtCore/QSettings>

#include <algorithm>

namespace distillery::ui {

CurveSettings CurveSettings::load() {
  QSettings s;
  CurveSettings c;
  c.smoothing = std::clamp(s.value(QStringLiteral("curves/smoothing"), c.smoothing).toDouble(), 0.0, 0.99);
  c.showRaw = s.value(QStringLiteral("curves/showRaw"), c.showRaw).toBool();
  c.logY = s.value(QStringLiteral("curves/logY"), c.logY).toBool();
  c.xAxis = CurveAxis(std::clamp(s.value(QStringLiteral("curves/xAxis"), int(c.xAxis)).toInt(), 0, 2));
  c.metrics = s.value(QStringLiteral("curves/metrics"), c.metrics).toStringList();
  return c;
}

void CurveSettings::save() const {
  QSettings s;
  s.setValue(QStringLiteral("curves/smoothing"), smoothing);
  s.setValue(QStringLiteral("curves/showRaw"), showRaw);
  s.setValue(QStringLiteral("curves/logY"), logY);
  s.setValue(QStringLiteral("curves/xAxis"), int(xAxis));
  s.setValue(QStringLiteral("curves/metrics"), metrics);
}

}  // namespace distillery::ui
