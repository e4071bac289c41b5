// The workspace's datasets as a table with their lineage: name, schema, rows, what each was derived from (parent
// and operation), path. A plain list read from DatasetStore (newest first), re-read by refresh().
#pragma once
#include "store/DatasetStore.h"

#include <QtCore/QAbstractTableModel>

#include <optional>
#include <vector>

namespace distillery::ui {

class DatasetListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Name, Schema, Rows, DerivedFrom, Path, ColumnCount };
  static constexpr int kIdRole = Qt::UserRole + 1;  // the row's datasets.id

  explicit DatasetListModel(QObject* parent = nullptr);
  void setStore(std::optional<Store> store);  // nullopt empties the list
  void refresh();
  const std::vector<DatasetRow>& rows() const { return rows_; }
  int rowOfId(qint64 id) const;  // -1 when absent
  const DatasetRow* find(qint64 id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::optional<Store> store_;
  std::vector<DatasetRow> rows_;
};

}  // namespace distillery::ui
