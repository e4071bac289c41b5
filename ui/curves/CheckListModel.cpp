#include "curves/CheckListModel.h"

namespace distillery::ui {

qsizetype CheckListModel::indexOf(const QVariant& key) const {
  for (qsizetype i = 0; i < items_.size(); ++i)
    if (items_[i].key == key) return i;
  return -1;
}

void CheckListModel::setItems(const QList<CheckItem>& items) {
  QList<CheckItem> next = items;
  bool sameKeys = next.size() == items_.size();
  for (qsizetype i = 0; i < next.size(); ++i) {
    if (const qsizetype old = indexOf(next[i].key); old >= 0) next[i].checked = items_[old].checked;
    if (sameKeys && next[i].key != items_[i].key) sameKeys = false;
  }
  if (sameKeys) {
    items_ = next;
    if (!items_.isEmpty()) Q_EMIT dataChanged(index(0), index(int(items_.size()) - 1));
    return;
  }
  beginResetModel();
  items_ = next;
  endResetModel();
}

QVariantList CheckListModel::checkedKeys() const {
  QVariantList keys;
  for (const CheckItem& item : items_)
    if (item.checked) keys << item.key;
  return keys;
}

void CheckListModel::setChecked(const QVariant& key, bool checked) {
  const qsizetype i = indexOf(key);
  if (i >= 0) setData(index(int(i)), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

bool CheckListModel::isChecked(const QVariant& key) const {
  const qsizetype i = indexOf(key);
  return i >= 0 && items_[i].checked;
}

int CheckListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(items_.size()); }

QVariant CheckListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const CheckItem& item = items_[index.row()];
  switch (role) {
    case Qt::DisplayRole:
      return item.label;
    case Qt::ToolTipRole:
      return item.toolTip.isEmpty() ? QVariant() : QVariant(item.toolTip);
    case Qt::CheckStateRole:
      return item.checked ? Qt::Checked : Qt::Unchecked;
    case KeyRole:
      return item.key;
    default:
      return {};
  }
}

bool CheckListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return false;
  const bool checked = value.toInt() == Qt::Checked;
  if (items_[index.row()].checked == checked) return true;
  items_[index.row()].checked = checked;
  Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
  Q_EMIT checkedChanged();
  return true;
}

Qt::ItemFlags CheckListModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

}  // namespace distillery::ui
