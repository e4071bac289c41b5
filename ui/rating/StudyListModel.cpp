#include "rating/StudyListModel.h"

namespace distillery::ui {

StudyListModel::StudyListModel(QObject* parent) : QAbstractTableModel(parent) {}

void StudyListModel::setStore(std::optional<Store> store) {
  store_ = std::move(store);
  refresh();
}

void StudyListModel::refresh() {
  // Read first: a store error then leaves the model as it was instead of half reset.
  std::vector<StudyInfo> studies = store_ ? StudyStore(*store_).list() : std::vector<StudyInfo>{};
  beginResetModel();
  studies_ = std::move(studies);
  endResetModel();
}

int StudyListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(studies_.size()); }

int StudyListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

int StudyListModel::rowOf(qint64 studyId) const {
  for (size_t i = 0; i < studies_.size(); ++i)
    if (studies_[i].id == studyId) return int(i);
  return -1;
}

QVariant StudyListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const StudyInfo& s = studies_[size_t(index.row())];
  if (role == IdRole) return s.id;
  if (role == Qt::TextAlignmentRole && index.column() >= Items && index.column() <= Ratings)
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && index.column() == Models && !s.revealed)
    return tr("Model names stay hidden until the study is revealed.");
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Name:
      return s.name;
    case Kind:
      return s.kind == StudyKind::Rubric ? tr("rubric") : tr("pairwise");
    case Items:
      return s.items;
    case Raters:
      return s.raters;
    case Ratings:
      return s.ratings;
    case Models:
      return s.revealed ? s.models.join(QStringLiteral(", ")) : tr("%n model(s), hidden", nullptr, s.modelCount);
    default:
      return {};
  }
}

QVariant StudyListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
    return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case Name:
      return tr("Study");
    case Kind:
      return tr("Kind");
    case Items:
      return tr("Items");
    case Raters:
      return tr("Raters");
    case Ratings:
      return tr("Ratings");
    case Models:
      return tr("Models");
    default:
      return {};
  }
}

}  // namespace distillery::ui
