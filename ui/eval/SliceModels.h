// Qt models of the slice (fairness) and robustness results of an evaluation job (core/eval/Slices.h, the
// "robustness" metrics of core/eval/EvalRun.h), for the Evaluation and Compare panels.
#pragma once
#include "eval/EvalStore.h"
#include "eval/RobustnessReport.h"
#include "eval/Slices.h"

#include <QtCore/QAbstractTableModel>

#include <vector>

namespace distillery::ui {

// One model's slices. Rows: "(overall)", then the slices; columns: slice, samples, then each metric as
// "value (gap)". The cell of each metric's largest gap is highlighted, small slices are greyed; Qt::UserRole gives
// the value (the gap with Qt::UserRole + 1), NaN where the slice has no value.
class SliceTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void setReport(const SliceReport& report);
  void clear();
  const SliceReport& report() const { return report_; }
  // The row of the largest gap of metric (−1: none).
  int largestGapRow(const QString& metric) const;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  SliceReport report_;
};

// One metric per slice of each chosen model, side by side. Rows: "(overall)", then the slices of any model (the
// first model's order, then the slices only later models have); columns: slice, then one per model "value (gap)",
// its largest gap highlighted. Qt::UserRole gives the value.
class SliceCompareModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  // reports: one per label, all of the same field.
  void setReports(const QStringList& labels, const std::vector<SliceReport>& reports, const QString& metric);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  QStringList labels_;
  std::vector<SliceReport> reports_;
  QString metric_;
  QStringList values_;  // row 1.. : slice values
};

// Rows: one per model × perturbation × metric of the jobs' "robustness" results; columns: model, perturbation,
// metric, clean, perturbed, change, relative change. A drop is shown red; Qt::UserRole gives the numbers.
class RobustnessModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void setEvaluations(const QList<EvaluationRow>& rows);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  std::vector<RobustnessRow> rows_;
};

// "0.750", "+0.150" (or "12.4" for BLEU/chrF/perplexity): how the slice views write a metric and a gap.
QString formatSliceValue(const QString& metric, double v, bool sign = false);

}  // namespace distillery::ui
