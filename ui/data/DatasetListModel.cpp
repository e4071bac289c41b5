#include "data/DatasetListModel.h"

#include <QtCore/QDir>

namespace distillery::ui {

DatasetListModel::DatasetListModel(QObject* parent) : QAbstractTableModel(parent) {}

void DatasetListModel::setStore(std::optional<Store> store) {
  store_ = std::move(store);
  refresh();
}

void DatasetListModel::refresh() {
  beginResetModel();
  rows_ = store_ ? DatasetStore(*store_).list() : std::vector<DatasetRow>{};
  endResetModel();
}

int DatasetListModel::rowOfId(qint64 id) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == id) return int(i);
  return -1;
}

const DatasetRow* DatasetListModel::find(qint64 id) const {
  const int row = rowOfId(id);
  return row < 0 ? nullptr : &rows_[size_t(row)];
}

int DatasetListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int DatasetListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DatasetListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const DatasetRow& r = rows_[size_t(index.row())];
  if (role == kIdRole) return r.id;
  if (role == Qt::ToolTipRole) return QDir::toNativeSeparators(r.path);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Id:
      return r.id;
    case Name:
      return r.name;
    case Schema:
      return r.schema.isEmpty() ? QStringLiteral("?") : r.schema;
    case Rows:
      return r.rows < 0 ? QStringLiteral("?") : QString::number(r.rows);
    case DerivedFrom: {
      if (!r.parentId) return tr("source");
      const DatasetRow* parent = find(r.parentId);
      const QString op = r.settings.value(QStringLiteral("operation")).toString();
      const QString name = parent ? parent->name : QString();
      //: "#3 raw.jsonl (dedup)": the parent dataset's id, name and the operation that made this one
      return tr("#%1 %2 (%3)").arg(r.parentId).arg(name, op.isEmpty() ? tr("derived") : op);
    }
    case Path:
      return QDir::toNativeSeparators(r.path);
  }
  return {};
}

QVariant DatasetListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Id:
      return tr("ID");
    case Name:
      return tr("Name");
    case Schema:
      return tr("Schema");
    case Rows:
      return tr("Rows");
    case DerivedFrom:
      return tr("Derived from");
    case Path:
      return tr("Path");
  }
  return {};
}

}  // namespace distillery::ui
