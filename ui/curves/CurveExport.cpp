#include "curves/CurveExport.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "curves/CurvePlot.h"

#include <QtCore/QBuffer>
#include <QtCore/QLocale>
#include <QtSvg/QSvgGenerator>

namespace distillery::ui {

static QString number(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

static QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
    return text;
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString curvesCsv(const CurvePlot& plot) {
  QString out = QStringLiteral("job_id,job,metric,step,wall_time,tokens,value,smoothed\n");
  for (const CurvePlot::ShownSeries& shown : plot.shownSeries()) {
    const CurveSeries& s = *shown.series;
    const QString prefix = QStringLiteral("%1,%2,%3,").arg(shown.jobId).arg(csvField(shown.jobLabel), csvField(s.name));
    for (size_t i = 0; i < s.raw.size(); ++i)
      out += prefix + QStringLiteral("%1,%2,%3,%4,%5\n")
                          .arg(number(s.step[i]), number(s.wallTime[i]), number(s.tokens[i]), number(s.raw[i]),
                               number(s.smoothed[i]));
  }
  return out;
}

void exportCurvesCsv(const CurvePlot& plot, const QString& path) { writeFileAtomically(path, curvesCsv(plot).toUtf8()); }

void exportCurvesPng(CurvePlot& plot, const QString& path) {
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  // toPixmap renders at the widget's size (also when it is not shown yet).
  if (!plot.toPixmap(std::max(plot.width(), 320), std::max(plot.height(), 240)).save(&buffer, "PNG"))
    throw Error(path, {}, {}, QStringLiteral("the plot could not be encoded as PNG"));
  writeFileAtomically(path, png);
}

void exportCurvesSvg(CurvePlot& plot, const QString& path) {
  const int w = std::max(plot.width(), 320), h = std::max(plot.height(), 240);
  QByteArray svg;
  QBuffer buffer(&svg);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator generator;
  generator.setOutputDevice(&buffer);
  generator.setSize(QSize(w, h));
  generator.setViewBox(QRect(0, 0, w, h));
  generator.setTitle(QStringLiteral("Distillery curves"));
  QCPPainter painter;
  if (!painter.begin(&generator)) throw Error(path, {}, {}, QStringLiteral("the SVG painter could not start"));
  plot.toPainter(&painter, w, h);
  painter.end();
  writeFileAtomically(path, svg);
}

}  // namespace distillery::ui
