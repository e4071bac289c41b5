// A read-only table of computed values (one per results table: rubric means, tallies, ranks, agreement,
// correlation). Numbers stay numbers in Qt::EditRole/UserRole so a proxy can sort them; DisplayRole shows them
// formatted.
#pragma once
#include <QtCore/QAbstractTableModel>
#include <QtCore/QStringList>
#include <QtCore/QVariant>

#include <vector>

namespace distillery::ui {

class ResultTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit ResultTableModel(QObject* parent = nullptr);
  // Replaces everything; each row has one value per column (a double is shown with `decimals`, text as is, an
  // invalid QVariant as "–").
  void setTable(const QStringList& columns, std::vector<QVariantList> rows, int decimals = 3);
  void clear() { setTable({}, {}); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QStringList columns_;
  std::vector<QVariantList> rows_;
  int decimals_ = 3;
};

}  // namespace distillery::ui
