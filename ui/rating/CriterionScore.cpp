#include "rating/CriterionScore.h"

#include <QtGui/QKeyEvent>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QToolButton>

#include <algorithm>

namespace distillery::ui {

CriterionScore::CriterionScore(const QString& criterion, int minScore, int maxScore, QWidget* parent)
    : QWidget(parent), criterion_(criterion), min_(minScore), max_(maxScore), buttons_(new QButtonGroup(this)) {
  setObjectName(QStringLiteral("score_") + criterion);
  setFocusPolicy(Qt::StrongFocus);  // the row, not its buttons, holds focus, so digits land here
  setAutoFillBackground(true);
  setToolTip(tr("Score for %1 (%2–%3): type the digit, or click. Up/Down move between criteria, Left/Right step "
                "the score.")
                 .arg(criterion)
                 .arg(minScore)
                 .arg(maxScore));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  for (int s = minScore; s <= maxScore; ++s) {
    auto* b = new QToolButton(this);
    b->setText(QString::number(s));
    b->setCheckable(true);
    b->setFocusPolicy(Qt::NoFocus);
    b->setMinimumWidth(32);
    buttons_->addButton(b, s);
    layout->addWidget(b);
  }
  layout->addStretch(1);
  buttons_->setExclusive(true);
  connect(buttons_, &QButtonGroup::idClicked, this, [this](int id) {
    setFocus(Qt::MouseFocusReason);
    choose(id);
  });
}

void CriterionScore::setValue(std::optional<int> value) {
  value_ = value;
  // An exclusive group cannot show "none checked" unless exclusivity is off while unchecking.
  buttons_->setExclusive(false);
  for (QAbstractButton* b : buttons_->buttons()) b->setChecked(value && buttons_->id(b) == *value);
  buttons_->setExclusive(true);
}

void CriterionScore::choose(int score) {
  setValue(score);
  Q_EMIT scoreChosen(criterion_, score);
}

void CriterionScore::keyPressEvent(QKeyEvent* event) {
  const int key = event->key();
  if (event->modifiers() & ~Qt::KeypadModifier) return QWidget::keyPressEvent(event);
  if (key >= Qt::Key_0 && key <= Qt::Key_9 && key - Qt::Key_0 >= min_ && key - Qt::Key_0 <= max_) {
    choose(key - Qt::Key_0);
    moveToNeighbour(true);
  } else if (key == Qt::Key_Down || key == Qt::Key_Up) {
    moveToNeighbour(key == Qt::Key_Down);
  } else if (key == Qt::Key_Left || key == Qt::Key_Right) {
    const int step = key == Qt::Key_Left ? -1 : 1;
    choose(std::clamp(value_.value_or(key == Qt::Key_Left ? max_ + 1 : min_ - 1) + step, min_, max_));
  } else {
    QWidget::keyPressEvent(event);  // unhandled: the rater view's shortcuts and Tab still work
  }
}

void CriterionScore::moveToNeighbour(bool forward) {
  // The next widget that takes Tab focus, if it is a criterion; the last criterion keeps focus so a digit typed
  // one time too many never lands in the comment box.
  for (QWidget* w = forward ? nextInFocusChain() : previousInFocusChain(); w && w != this;
       w = forward ? w->nextInFocusChain() : w->previousInFocusChain()) {
    if (!(w->focusPolicy() & Qt::TabFocus) || !w->isVisibleTo(window()) || !w->isEnabled()) continue;
    if (auto* score = qobject_cast<CriterionScore*>(w)) score->setFocus(Qt::TabFocusReason);
    return;
  }
}

void CriterionScore::focusInEvent(QFocusEvent* event) {
  QWidget::focusInEvent(event);
  updateFrame();
}

void CriterionScore::focusOutEvent(QFocusEvent* event) {
  QWidget::focusOutEvent(event);
  updateFrame();
}

void CriterionScore::updateFrame() {
  // The focused criterion is highlighted so the rater sees where the next digit goes.
  setBackgroundRole(hasFocus() ? QPalette::Highlight : QPalette::Window);
}

}  // namespace distillery::ui
