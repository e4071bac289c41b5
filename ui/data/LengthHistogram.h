// Bars of a dataset's token-length histogram (DataStats' equal-width bins, numpy.histogram's edges), drawn
// with QCustomPlot. Replots are queued, so setting data twice in one event-loop turn draws once.
#pragma once
#include <QtCore/QJsonObject>
#include <QtWidgets/QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;

namespace distillery::ui {

class LengthHistogram : public QWidget {
  Q_OBJECT
 public:
  explicit LengthHistogram(QWidget* parent = nullptr);
  // histogram: {"edges": [bins + 1], "counts": [bins]} (DatasetStats::toJson()'s tokens.histogram); anything
  // else clears the plot.
  void setHistogram(const QJsonObject& histogram, const QString& xLabel);
  void clear();
  int bars() const;                    // bins shown
  std::vector<double> counts() const;  // their heights
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_;
  QCPBars* bars_;
};

}  // namespace distillery::ui
