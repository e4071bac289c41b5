#include "models/ModelListModel.h"

#include <QtCore/QDir>
#include <QtCore/QLocale>

namespace distillery::ui {

QString parameterText(qint64 params) {
  if (params < 0) return QStringLiteral("?");
  if (params >= 1'000'000'000) return QStringLiteral("%1B").arg(double(params) / 1e9, 0, 'f', 1);
  if (params >= 1'000'000) return QStringLiteral("%1M").arg(double(params) / 1e6, 0, 'f', 1);
  return QLocale::c().toString(params);
}

QString roleText(ModelRole role) {
  switch (role) {
    case ModelRole::Teacher:
      return ModelListModel::tr("teacher");
    case ModelRole::Student:
      return ModelListModel::tr("student");
    case ModelRole::Other:
      return ModelListModel::tr("other");
  }
  return {};
}

ModelListModel::ModelListModel(QObject* parent) : QAbstractTableModel(parent) {}

void ModelListModel::setStore(std::optional<Store> store) {
  store_ = std::move(store);
  refresh();
}

void ModelListModel::refresh() {
  beginResetModel();
  rows_ = store_ ? ModelStore(*store_).list() : std::vector<ModelRow>{};
  endResetModel();
}

int ModelListModel::rowOfId(qint64 id) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == id) return int(i);
  return -1;
}

int ModelListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int ModelListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ModelRow& r = rows_[size_t(index.row())];
  if (role == kIdRole) return r.id;
  if (role == Qt::ToolTipRole) return QDir::toNativeSeparators(r.path);
  if (role == Qt::TextAlignmentRole && (index.column() == Parameters || index.column() == Vocabulary))
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Name:
      return r.name;
    case Role:
      return roleText(r.role);
    case Family: {
      const QString type = r.config.value(QStringLiteral("model_type")).toString();
      return type.isEmpty() ? r.architecture : QStringLiteral("%1 (%2)").arg(type, r.architecture);
    }
    case Parameters:
      return parameterText(r.params);
    case Vocabulary:
      return r.vocabSize < 0 ? QStringLiteral("?") : QString::number(r.vocabSize);
    case Path:
      return QDir::toNativeSeparators(r.path);
  }
  return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Name:
      return tr("Name");
    case Role:
      return tr("Role");
    case Family:
      return tr("Family");
    case Parameters:
      return tr("Parameters");
    case Vocabulary:
      return tr("Vocabulary");
    case Path:
      return tr("Path");
  }
  return {};
}

}  // namespace distillery::ui
