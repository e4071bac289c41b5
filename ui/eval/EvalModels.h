// Qt models over an evaluation job's stored results (core/eval/EvalStore.h), for the Evaluation, Quantization
// and Compare panels: models × metrics, per-sample outputs side by side, and the fidelity of each model against
// the job's baseline.
#pragma once
#include "eval/EvalStore.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QSortFilterProxyModel>

#include <map>
#include <vector>

namespace distillery::ui {

// One metric column: the key in metrics_json and how it is shown.
struct MetricColumn {
  QString key;    // "exact_match", "fidelity.kld.mean", ... (dots walk into objects)
  const char* title = "";  // header, translated at display (QT_TRANSLATE_NOOP context "EvalModels")
  int decimals = 3;
  bool percent = false;  // a 0–1 fraction shown as %
  bool bytes = false;    // shown in MiB
};

// The value at a dotted key of o (NaN when absent or not a number).
double metricValue(const QJsonObject& o, const QString& dottedKey);
// "12.5%", "3.412", "1.8 MiB" or "—".
QString formatMetric(double v, const MetricColumn& c);

// Rows: the job's models (evaluations); columns: the metrics any of them has, in a fixed order.
class EvalMetricsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void setEvaluations(const QList<EvaluationRow>& rows);
  const QList<EvaluationRow>& evaluations() const { return rows_; }
  const std::vector<MetricColumn>& columns() const { return columns_; }
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  QList<EvaluationRow> rows_;
  std::vector<MetricColumn> columns_;  // column 0 is the model label
};

// Rows: sample indices any model answered; columns: input, reference, then each model's output. A model's cell is
// green when it equals the reference (after trimming), amber when not; Qt::UserRole gives the sample's scores.
class EvalSamplesModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  // samples: per evaluation (same order as labels), each sorted by index.
  void setSamples(const QStringList& labels, const std::vector<std::vector<EvalSampleRow>>& samples);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
  // Whether the models' outputs for the row are not all the same.
  bool disagree(int row) const;
  const QStringList& labels() const { return labels_; }
  // The sample at row for model m (nullptr when that model has none).
  const EvalSampleRow* sample(int row, int model) const;

 private:
  QStringList labels_;
  std::vector<qint64> indices_;                                   // row → sample index
  std::vector<std::map<qint64, EvalSampleRow>> byModel_;          // model → index → sample
};

// Filters EvalSamplesModel rows by text (input, reference or any output) and, optionally, to rows where the
// models disagree.
class EvalSamplesFilter : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setText(const QString& text);
  void setOnlyDisagreements(bool on);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString text_;
  bool onlyDisagreements_ = false;
};

// One row per model that has a fidelity block (compared with the job's baseline): its quantization scheme (from the
// model folder's config.json, "float" when none), KLD statistics, same top-1, Δp, perplexity ratio, sizes, accuracy
// drop and the pass rule.
class FidelityModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void setEvaluations(const QList<EvaluationRow>& rows);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
  static const std::vector<MetricColumn>& columns();  // after the label and scheme columns
  const EvaluationRow& row(int r) const { return rows_[size_t(r)]; }
  QString scheme(int r) const { return schemes_[size_t(r)]; }

 private:
  std::vector<EvaluationRow> rows_;
  std::vector<QString> schemes_;
};

// The quantization scheme of a model folder: config.json's quantization_config.scheme, or "float".
QString schemeOfModelFolder(const QString& dir);

}  // namespace distillery::ui
