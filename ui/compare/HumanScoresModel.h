// A study's per-model human scores as one table, for the Compare panel: pairwise studies give Elo and
// Bradley-Terry with their bootstrap intervals and the win/tie/loss tallies, rubric studies the weighted total with
// its interval. Before the study is revealed the models carry the blinded labels StudyResults gives them.
#pragma once
#include "eval/StudyResults.h"

#include <QtCore/QAbstractTableModel>

namespace distillery::ui {

class HumanScoresModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void setResults(const StudyResults& results);
  void clear();
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    QString model;
    QStringList cells;  // after the model column
  };
  QStringList headers_;
  std::vector<Row> rows_;
};

}  // namespace distillery::ui
