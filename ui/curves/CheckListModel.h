// A list of checkable items keyed by a value (a job id, a metric name): the Curves panel's run and metric
// pickers. setItems() keeps the check state of keys it already had, so a refresh never loses the user's choice.
#pragma once
#include <QtCore/QAbstractListModel>
#include <QtCore/QList>
#include <QtCore/QVariant>

namespace distillery::ui {

struct CheckItem {
  QVariant key;     // what the item stands for
  QString label;    // shown
  QString toolTip;  // optional
  bool checked = false;
};

class CheckListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  static constexpr int KeyRole = Qt::UserRole;
  using QAbstractListModel::QAbstractListModel;

  // Replaces the items; an item whose key was already listed keeps its check state (the new item's `checked`
  // applies to new keys only). Rows are updated in place when the keys are the same, else the model is reset.
  void setItems(const QList<CheckItem>& items);
  const QList<CheckItem>& items() const { return items_; }
  QVariantList checkedKeys() const;
  void setChecked(const QVariant& key, bool checked);
  bool isChecked(const QVariant& key) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

 Q_SIGNALS:
  // The user (or setChecked) changed which items are checked.
  void checkedChanged();

 private:
  qsizetype indexOf(const QVariant& key) const;
  QList<CheckItem> items_;
};

}  // namespace distillery::ui
