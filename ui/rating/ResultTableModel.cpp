#include "rating/ResultTableModel.h"

namespace distillery::ui {

ResultTableModel::ResultTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ResultTableModel::setTable(const QStringList& columns, std::vector<QVariantList> rows, int decimals) {
  beginResetModel();
  columns_ = columns;
  rows_ = std::move(rows);
  decimals_ = decimals;
  endResetModel();
}

int ResultTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int ResultTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(columns_.size());
}

QVariant ResultTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const QVariant value = rows_[size_t(index.row())].value(index.column());
  const bool number =
      value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Int || value.typeId() == QMetaType::LongLong;
  switch (role) {
    case Qt::DisplayRole:
      if (!value.isValid()) return QStringLiteral("–");
      if (value.typeId() == QMetaType::Double) return QString::number(value.toDouble(), 'f', decimals_);
      return value.toString();
    case Qt::EditRole:
    case Qt::UserRole:
      return value;
    case Qt::TextAlignmentRole:
      return number ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default:
      return {};
  }
}

QVariant ResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < columns_.size())
    return columns_[section];
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace distillery::ui
