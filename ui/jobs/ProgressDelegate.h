// Draws a job's progress (JobTableModel::ProgressRole, 0..1) as a progress bar with its percentage.
#pragma once
#include <QtWidgets/QStyledItemDelegate>

namespace distillery::ui {

class ProgressDelegate : public QStyledItemDelegate {
  Q_OBJECT
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace distillery::ui
