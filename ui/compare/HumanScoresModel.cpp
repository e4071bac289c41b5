#include "compare/HumanScoresModel.h"

#include <algorithm>

namespace distillery::ui {

namespace {

QString interval(double value, double low, double high) {
  return QStringLiteral("%1 [%2, %3]").arg(value, 0, 'f', 1).arg(low, 0, 'f', 1).arg(high, 0, 'f', 1);
}

}  // namespace

void HumanScoresModel::clear() {
  beginResetModel();
  headers_.clear();
  rows_.clear();
  endResetModel();
}

void HumanScoresModel::setResults(const StudyResults& r) {
  beginResetModel();
  rows_.clear();
  if (r.study.kind == StudyKind::Pairwise) {
    headers_ = {tr("Model"), tr("Elo [95% CI]"), tr("Bradley-Terry [95% CI]"), tr("Wins"), tr("Ties"), tr("Losses"),
                tr("Both bad")};
    for (const auto& [model, rank] : r.ranks) {
      Row row{model, {interval(rank.elo, rank.eloLow, rank.eloHigh), interval(rank.bt, rank.btLow, rank.btHigh)}};
      const auto t = std::find_if(r.tallies.begin(), r.tallies.end(), [&](const PairTally& p) { return p.model == model; });
      for (int v : {t == r.tallies.end() ? 0 : t->wins, t == r.tallies.end() ? 0 : t->ties,
                    t == r.tallies.end() ? 0 : t->losses, t == r.tallies.end() ? 0 : t->bothBad})
        row.cells << QString::number(v);
      rows_.push_back(row);
    }
    // Best Bradley-Terry first.
    std::sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) { return r.ranks.at(a.model).bt > r.ranks.at(b.model).bt; });
  } else {
    headers_ = {tr("Model"), tr("Weighted total [95% CI]"), tr("Items"), tr("Ratings")};
    for (const ModelRubricScore& s : r.rubric)
      rows_.push_back({s.model,
                       {QStringLiteral("%1 [%2, %3]").arg(s.total.mean, 0, 'f', 2).arg(s.total.low, 0, 'f', 2).arg(s.total.high, 0, 'f', 2),
                        QString::number(s.items), QString::number(s.ratings)}});
  }
  endResetModel();
}

int HumanScoresModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int HumanScoresModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(headers_.size()); }

QVariant HumanScoresModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount() || role != Qt::DisplayRole) return {};
  const Row& row = rows_[size_t(index.row())];
  if (index.column() == 0) return row.model;
  return row.cells.value(index.column() - 1);
}

QVariant HumanScoresModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= headers_.size()) return {};
  return headers_[section];
}

}  // namespace distillery::ui
