// The workspace's studies as a table (name, kind, items, raters, ratings, models), newest first. Model names come
// from StudyInfo, which carries them only once a study is revealed, so the list never unblinds a rater.
#pragma once
#include "store/StudyStore.h"

#include <QtCore/QAbstractTableModel>

#include <optional>
#include <vector>

namespace distillery::ui {

class StudyListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Kind, Items, Raters, Ratings, Models, ColumnCount };
  static constexpr int IdRole = Qt::UserRole + 1;  // the study id of a row (qint64)

  explicit StudyListModel(QObject* parent = nullptr);
  // The studies of this store (re-read now); nullopt empties the list (workspace closed).
  void setStore(std::optional<Store> store);
  // Re-reads the studies (after a create, a rating, a reveal, an import).
  void refresh();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const StudyInfo& study(int row) const { return studies_[size_t(row)]; }
  // The row of a study id, -1 when absent.
  int rowOf(qint64 studyId) const;

 private:
  std::optional<Store> store_;
  std::vector<StudyInfo> studies_;
};

}  // namespace distillery::ui
