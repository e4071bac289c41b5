#include "eval/SliceModels.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtGui/QBrush>
#include <QtGui/QColor>
#include <QtGui/QFont>

#include <cmath>
#include <limits>

namespace distillery::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const QColor kLargestGap(0xff, 0xd6, 0xa5);  // the amber of the samples table's misses
const QColor kDrop(0xb0, 0x20, 0x20);

QString overallTitle() { return QCoreApplication::translate("SliceModels", "(overall)"); }

QString cell(const QString& metric, double value, double gap, bool hasGap) {
  if (!std::isfinite(value)) return QStringLiteral("—");
  QString text = formatSliceValue(metric, value);
  if (hasGap) text += QStringLiteral(" (%1)").arg(formatSliceValue(metric, gap, true));
  return text;
}

}  // namespace

QString formatSliceValue(const QString& metric, double v, bool sign) {
  const bool wide =
      metric == QLatin1String("bleu") || metric == QLatin1String("chrf") || metric == QLatin1String("perplexity");
  QString text = QString::number(v, 'f', wide ? 2 : 3);
  if (sign && v >= 0) text.prepend(QLatin1Char('+'));
  return text;
}

// ---- SliceTableModel ----

void SliceTableModel::setReport(const SliceReport& report) {
  beginResetModel();
  report_ = report;
  endResetModel();
}

void SliceTableModel::clear() { setReport({}); }

int SliceTableModel::largestGapRow(const QString& metric) const {
  return report_.largestGap.contains(metric) ? report_.largestGap.value(metric) + 1 : -1;
}

int SliceTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || report_.field.isEmpty() ? 0 : int(report_.slices.size()) + 1;
}

int SliceTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 2 + int(report_.metrics.size());
}

QVariant SliceTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const int row = index.row(), col = index.column();
  const Slice* s = row > 0 ? &report_.slices[size_t(row - 1)] : nullptr;
  const QString metric = col >= 2 ? report_.metrics[col - 2] : QString();
  const double value = col < 2 ? kNaN : (s ? s->metrics.value(metric, kNaN) : report_.overall.value(metric, kNaN));
  switch (role) {
    case Qt::DisplayRole:
      if (col == 0) return s ? s->value : overallTitle();
      if (col == 1) return qlonglong(s ? s->count : report_.samples);
      return cell(metric, value, s ? s->gaps.value(metric) : 0, s && s->gaps.contains(metric));
    case Qt::UserRole:
      if (col == 1) return qlonglong(s ? s->count : report_.samples);
      return col >= 2 ? QVariant(value) : QVariant();
    case Qt::UserRole + 1:
      return col >= 2 && s && s->gaps.contains(metric) ? QVariant(s->gaps.value(metric)) : QVariant();
    case Qt::BackgroundRole:
      if (col >= 2 && row == largestGapRow(metric)) return QBrush(kLargestGap);
      return {};
    case Qt::ForegroundRole:
      if (s && s->small) return QBrush(Qt::gray);
      return {};
    case Qt::FontRole:
      if (!s) {
        QFont bold;
        bold.setBold(true);
        return bold;
      }
      return {};
    case Qt::TextAlignmentRole:
      return col == 0 ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
      if (s && s->small)
        return tr("Only %n sample(s): fewer than %1, too few to judge this slice.", "", int(s->count))
            .arg(report_.minSize);
      if (col >= 2 && row == largestGapRow(metric))
        return tr("The largest gap of %1 to the overall value among the slices of at least %2 samples.")
            .arg(metric)
            .arg(report_.minSize);
      return {};
    default:
      return {};
  }
}

QVariant SliceTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role == Qt::DisplayRole) {
    if (section == 0) return report_.field.isEmpty() ? tr("Slice") : report_.field;
    if (section == 1) return tr("Samples");
    return report_.metrics[section - 2];
  }
  if (role == Qt::ToolTipRole && section >= 2)
    return tr("Value over the slice, and in brackets its gap to the overall value.");
  return {};
}

// ---- SliceCompareModel ----

void SliceCompareModel::setReports(const QStringList& labels, const std::vector<SliceReport>& reports,
                                   const QString& metric) {
  beginResetModel();
  labels_ = labels;
  reports_ = reports;
  metric_ = metric;
  values_.clear();
  for (const SliceReport& r : reports_)
    for (const Slice& s : r.slices)
      if (!values_.contains(s.value)) values_ << s.value;
  // "(missing)" stays last however the models' slices interleave.
  if (values_.removeAll(kMissingSlice) > 0) values_ << kMissingSlice;
  endResetModel();
}

int SliceCompareModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || reports_.empty() ? 0 : int(values_.size()) + 1;
}

int SliceCompareModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 1 + int(labels_.size());
}

QVariant SliceCompareModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const int row = index.row(), col = index.column();
  if (col == 0) {
    if (role == Qt::DisplayRole) return row == 0 ? overallTitle() : values_[row - 1];
    return {};
  }
  const SliceReport& r = reports_[size_t(col - 1)];
  const Slice* s = nullptr;
  int at = -1;
  if (row > 0)
    for (int i = 0; i < int(r.slices.size()); ++i)
      if (r.slices[size_t(i)].value == values_[row - 1]) {
        s = &r.slices[size_t(i)];
        at = i;
      }
  const double value = row == 0 ? r.overall.value(metric_, kNaN) : (s ? s->metrics.value(metric_, kNaN) : kNaN);
  switch (role) {
    case Qt::DisplayRole:
      return cell(metric_, value, s ? s->gaps.value(metric_) : 0, s && s->gaps.contains(metric_));
    case Qt::UserRole:
      return value;
    case Qt::BackgroundRole:
      if (s && r.largestGap.contains(metric_) && r.largestGap.value(metric_) == at) return QBrush(kLargestGap);
      return {};
    case Qt::ForegroundRole:
      if (s && s->small) return QBrush(Qt::gray);
      return {};
    case Qt::TextAlignmentRole:
      return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
      if (s)
        return s->small ? tr("%n sample(s), a small slice", "", int(s->count)) : tr("%n sample(s)", "", int(s->count));
      return {};
    default:
      return {};
  }
}

QVariant SliceCompareModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount()) return {};
  return section == 0 ? (reports_.empty() ? tr("Slice") : reports_.front().field) : labels_[section - 1];
}

// ---- RobustnessModel ----

void RobustnessModel::setEvaluations(const QList<EvaluationRow>& rows) {
  beginResetModel();
  rows_ = robustnessRows(rows);
  endResetModel();
}

int RobustnessModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int RobustnessModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 7; }

QVariant RobustnessModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const RobustnessRow& r = rows_[size_t(index.row())];
  const int col = index.column();
  const double numbers[] = {r.clean, r.perturbed, r.change, r.relative};
  switch (role) {
    case Qt::DisplayRole:
      if (col == 0) return r.model;
      if (col == 1) return r.perturbation;
      if (col == 2) return r.metric;
      if (col == 6)
        return std::isfinite(r.relative)
                   ? QStringLiteral("%1%2%").arg(r.relative >= 0 ? "+" : "").arg(100 * r.relative, 0, 'f', 1)
                   : QStringLiteral("—");
      return formatSliceValue(r.metric, numbers[col - 3], col == 5);
    case Qt::UserRole:
      return col >= 3 ? QVariant(numbers[col - 3]) : QVariant();
    case Qt::ForegroundRole:
      if (col >= 5 && r.change < 0) return QBrush(kDrop);
      return {};
    case Qt::TextAlignmentRole:
      return col >= 3 ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
      return {};
  }
}

QVariant RobustnessModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || section < 0 || section >= 7) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case 0:
        return tr("Model");
      case 1:
        return tr("Perturbation");
      case 2:
        return tr("Metric");
      case 3:
        return tr("Clean");
      case 4:
        return tr("Perturbed");
      case 5:
        return tr("Change");
      default:
        return tr("Relative");
    }
  }
  if (role == Qt::ToolTipRole && section >= 5)
    return tr("Perturbed minus clean (absolute), and that change as a share of the clean value.");
  return {};
}

}  // namespace distillery::ui
