#include "data/LazyRowModel.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QScopedValueRollback>

namespace distillery::ui {

namespace {
constexpr int kCellChars = 300;  // a cell shows this much of a long text; the tooltip more
constexpr int kTipChars = 4000;
}  // namespace

QString cellText(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::String:
      return v.toString();
    case QJsonValue::Bool:
      return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
      const double d = v.toDouble();
      return d == double(qint64(d)) && qAbs(d) < 9e15 ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    case QJsonValue::Array:
      return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
      return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default:
      return {};
  }
}

LazyRowModel::LazyRowModel(QObject* parent, int chunkRows) : QAbstractTableModel(parent), chunk_(qMax(1, chunkRows)) {}
LazyRowModel::~LazyRowModel() = default;

bool LazyRowModel::open(const QString& path) {
  fetching_ = true;  // views (and QAbstractItemModelTester) ask for more inside the reset; the first chunk comes next
  beginResetModel();
  clear();
  path_ = path;
  try {
    reader_ = std::make_unique<RowReader>(path);  // bad rows skipped and counted, never thrown
    columns_ = reader_->columns();
    atEnd_ = false;
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
  }
  endResetModel();
  fetching_ = false;
  if (reader_) fetchMore({});
  return error_.isEmpty();
}

void LazyRowModel::close() {
  beginResetModel();
  clear();
  endResetModel();
}

void LazyRowModel::clear() {
  reader_.reset();
  rows_.clear();
  lines_.clear();
  columns_.clear();
  error_.clear();
  path_.clear();
  atEnd_ = true;
}

QJsonObject LazyRowModel::report() const { return reader_ ? reader_->report() : QJsonObject(); }

int LazyRowModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int LazyRowModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(columns_.size()); }

QVariant LazyRowModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::EditRole) return {};
  const QJsonValue v = rows_[size_t(index.row())].value(columns_[index.column()]);
  QString text = cellText(v);
  const int limit = role == Qt::ToolTipRole ? kTipChars : kCellChars;
  if (text.size() > limit) text = text.left(limit) + QChar(0x2026);
  if (role == Qt::DisplayRole) text.replace(QLatin1Char('\n'), QChar(0x21B5));  // one line per row
  return text;
}

QVariant LazyRowModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Horizontal) return section >= 0 && section < columns_.size() ? columns_[section] : QVariant();
  if (section < 0 || size_t(section) >= lines_.size()) return {};
  return lines_[size_t(section)];  // the row's line in the file, so a bad-row report can be matched up
}

bool LazyRowModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && reader_ && !atEnd_ && !fetching_;
}

void LazyRowModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  // Views ask for more from inside rowsInserted; one chunk per call keeps the growth what the caller asked for.
  const QScopedValueRollback guard(fetching_, true);
  std::vector<QJsonObject> rows;
  std::vector<qint64> lines;
  try {
    Row row;
    while (int(rows.size()) < chunk_) {
      if (!reader_->next(row)) {
        atEnd_ = true;
        break;
      }
      rows.push_back(row.fields);
      lines.push_back(row.line);
    }
  } catch (const std::exception& e) {  // an I/O error mid-file: keep what was read, say why it stopped
    error_ = QString::fromUtf8(e.what());
    atEnd_ = true;
  }
  QStringList added;
  for (const QJsonObject& r : rows)
    for (auto it = r.begin(); it != r.end(); ++it)
      if (!columns_.contains(it.key()) && !added.contains(it.key())) added << it.key();
  if (!added.isEmpty()) {
    beginInsertColumns({}, int(columns_.size()), int(columns_.size() + added.size()) - 1);
    columns_ += added;
    endInsertColumns();
  }
  if (rows.empty()) return;
  beginInsertRows({}, int(rows_.size()), int(rows_.size() + rows.size()) - 1);
  rows_.insert(rows_.end(), rows.begin(), rows.end());
  lines_.insert(lines_.end(), lines.begin(), lines.end());
  endInsertRows();
}

}  // namespace distillery::ui
