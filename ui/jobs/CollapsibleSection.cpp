#include "jobs/CollapsibleSection.h"

#include <QtWidgets/QFormLayout>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

CollapsibleSection::CollapsibleSection(const QString& title, const QString& objectName, const QString& tooltip,
                                       QWidget* parent)
    : QWidget(parent), button_(new QToolButton(this)), body_(new QWidget(this)), form_(new QFormLayout(body_)) {
  button_->setObjectName(objectName);
  button_->setText(title);
  button_->setToolTip(tooltip);
  button_->setCheckable(true);
  button_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  button_->setAutoRaise(true);
  button_->setFocusPolicy(Qt::StrongFocus);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(button_);
  layout->addWidget(body_);
  connect(button_, &QToolButton::toggled, this, &CollapsibleSection::setExpanded);
  setExpanded(false);
}

bool CollapsibleSection::isExpanded() const { return button_->isChecked(); }

void CollapsibleSection::setExpanded(bool expanded) {
  button_->setChecked(expanded);
  button_->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
  body_->setVisible(expanded);
}

}  // namespace distillery::ui
