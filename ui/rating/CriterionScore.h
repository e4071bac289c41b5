// One rubric criterion's score as a row of buttons (min..max) that takes keyboard focus itself: a digit key sets
// the score and moves on to the next criterion, Up/Down move between criteria, Left/Right step the score.
#pragma once
#include <QtWidgets/QWidget>

#include <optional>

class QButtonGroup;

namespace distillery::ui {

class CriterionScore : public QWidget {
  Q_OBJECT
 public:
  CriterionScore(const QString& criterion, int minScore, int maxScore, QWidget* parent = nullptr);
  const QString& criterion() const { return criterion_; }
  std::optional<int> value() const { return value_; }
  // Shows a score (nullopt: none chosen) without emitting scoreChosen.
  void setValue(std::optional<int> value);

 Q_SIGNALS:
  void scoreChosen(const QString& criterion, int score);

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;

 private:
  void choose(int score);
  void moveToNeighbour(bool forward);
  void updateFrame();
  QString criterion_;
  int min_, max_;
  std::optional<int> value_;
  QButtonGroup* buttons_;
};

}  // namespace distillery::ui
