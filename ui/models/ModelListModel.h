// The workspace's registered models as a table: name, role, family, parameters, vocabulary, path. A plain list
// read from ModelStore (on the UI thread's connection) and re-read by refresh() after an edit.
#pragma once
#include "store/ModelStore.h"

#include <QtCore/QAbstractTableModel>

#include <optional>
#include <vector>

namespace distillery::ui {

class ModelListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Role, Family, Parameters, Vocabulary, Path, ColumnCount };
  static constexpr int kIdRole = Qt::UserRole + 1;  // the row's models.id

  explicit ModelListModel(QObject* parent = nullptr);
  // store: nullptr empties the list (the workspace closed).
  void setStore(std::optional<Store> store);
  void refresh();
  const std::vector<ModelRow>& rows() const { return rows_; }
  int rowOfId(qint64 id) const;  // -1 when absent

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::optional<Store> store_;
  std::vector<ModelRow> rows_;
};

// "1.2B", "494M", "1.1M", "12,345" for smaller counts; "?" when unknown (< 0).
QString parameterText(qint64 params);
QString roleText(ModelRole role);  // translated "teacher", "student", "other"

}  // namespace distillery::ui
