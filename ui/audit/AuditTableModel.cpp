#include "audit/AuditTableModel.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>

namespace distillery::ui {

AuditTableModel::AuditTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AuditTableModel::setStore(std::optional<Store> store) {
  store_ = std::move(store);
  refresh();
}

void AuditTableModel::setFilter(const AuditFilter& filter) {
  filter_ = filter;
  refresh();
}

void AuditTableModel::refresh() {
  beginResetModel();
  rows_.clear();
  total_ = 0;
  error_.clear();
  if (store_) {
    try {
      total_ = AuditLog(*store_).count(filter_);
      AuditFilter first = filter_;
      first.offset = 0;
      first.limit = kPageSize;
      rows_ = AuditLog(*store_).list(first);
    } catch (const std::exception& e) {
      rows_.clear();
      total_ = 0;
      error_ = QString::fromUtf8(e.what());
    }
  }
  endResetModel();
}

bool AuditTableModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && store_ && qint64(rows_.size()) < total_;
}

void AuditTableModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  AuditFilter page = filter_;
  page.offset = qint64(rows_.size());
  page.limit = kPageSize;
  std::vector<AuditEntry> more;
  try {
    more = AuditLog(*store_).list(page);
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
    total_ = qint64(rows_.size());  // stop fetching; what is shown stays
    return;
  }
  if (more.empty()) {
    total_ = qint64(rows_.size());  // rows vanished meanwhile (another process); nothing more to fetch
    return;
  }
  beginInsertRows({}, int(rows_.size()), int(rows_.size() + more.size()) - 1);
  rows_.insert(rows_.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  endInsertRows();
}

int AuditTableModel::rowOfId(qint64 id) {
  for (;;) {
    for (size_t i = 0; i < rows_.size(); ++i)
      if (rows_[i].id == id) return int(i);
    if (!rows_.empty() && rows_.back().id > id) return -1;  // rows are in id order
    if (!canFetchMore({})) return -1;
    const size_t before = rows_.size();
    fetchMore({});
    if (rows_.size() == before) return -1;
  }
}

int AuditTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int AuditTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AuditTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const AuditEntry& e = rows_[size_t(index.row())];
  if (role == kIdRole) return e.id;
  if (role == Qt::ToolTipRole) {
    if (index.column() == Params) return e.params;
    //: tooltip of an audit row: its SHA-256 and the previous row's
    return tr("hash %1\nprevious %2").arg(e.hash, e.prevHash);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Id:
      return e.id;
    case Time: {
      // Shown in local time; stored and filtered in UTC.
      const QDateTime t = QDateTime::fromString(e.time, Qt::ISODateWithMs);
      return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : e.time;
    }
    case User:
      return e.user;
    case Action:
      return e.action;
    case Object:
      return QString(e.objectKind + QLatin1Char(' ') + e.objectId);
    case Params:
      return e.params == QLatin1String("{}") ? QString() : e.params;
  }
  return {};
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Id:
      return tr("ID");
    case Time:
      return tr("Time");
    case User:
      return tr("User");
    case Action:
      return tr("Action");
    case Object:
      return tr("Object");
    case Params:
      return tr("Parameters");
  }
  return {};
}

}  // namespace distillery::ui
