// Exports of the Curves panel: the plot as PNG or SVG (what is on screen, at the widget's size) and the drawn
// series as CSV. Each throws Error naming the file when it cannot be written; a failed write leaves no partial file.
#pragma once
#include <QtCore/QString>

namespace distillery::ui {

class CurvePlot;

// Long format, one row per point of each drawn series, in legend order:
//   job_id,job,metric,step,wall_time,tokens,value,smoothed
// Numbers in their shortest exact form; job names quoted when they hold a comma, quote or line break.
QString curvesCsv(const CurvePlot& plot);
void exportCurvesCsv(const CurvePlot& plot, const QString& path);
void exportCurvesPng(CurvePlot& plot, const QString& path);
void exportCurvesSvg(CurvePlot& plot, const QString& path);

}  // namespace distillery::ui
