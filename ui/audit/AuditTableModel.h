// The audit trail as a table: id, time, user, action, object, parameters, filtered as AuditFilter says. Lazy:
// rows are read a page at a time as the view scrolls (canFetchMore/fetchMore), so a long log opens at once.
#pragma once
#include "audit/AuditLog.h"

#include <QtCore/QAbstractTableModel>

#include <optional>
#include <vector>

namespace distillery::ui {

class AuditTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Time, User, Action, Object, Params, ColumnCount };
  static constexpr int kIdRole = Qt::UserRole + 1;  // the row's audit.id
  static constexpr int kPageSize = 256;

  explicit AuditTableModel(QObject* parent = nullptr);
  // nullopt empties the table. Both re-read from the first page; a store error empties it and is returned by
  // lastError() (never thrown out of a slot).
  void setStore(std::optional<Store> store);
  void setFilter(const AuditFilter& filter);
  void refresh();
  const AuditFilter& filter() const { return filter_; }
  qint64 totalRows() const { return total_; }  // rows matching the filter, loaded or not
  const QString& lastError() const { return error_; }
  // The row showing audit id `id`, fetching further pages until it is loaded; -1 when the filter hides it.
  int rowOfId(qint64 id);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 private:
  std::optional<Store> store_;
  AuditFilter filter_;
  std::vector<AuditEntry> rows_;
  qint64 total_ = 0;
  QString error_;
};

}  // namespace distillery::ui
