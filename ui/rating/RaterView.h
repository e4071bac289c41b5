// What a rater works in: the prompt and the output (rubric) or outputs A and B side by side (pairwise), scored
// from the keyboard, each rating saved the moment it is complete (StudyStore::rate, one short transaction).
//
// Keys: rubric 0–3 on the focused criterion (Tab, Up/Down move between criteria, Alt+N jumps to criterion N);
// pairwise Left = A better, Right = B better, Down or T = tie, B = both bad; both S = skip, Ctrl+Enter = save
// and next, Page Up/Down = previous/next item.
//
// Blinding: everything shown comes from RaterItem, which has no model field; this view never reads StudyItem.
#pragma once
#include "store/StudyStore.h"

#include <QtWidgets/QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QShortcut;
class QStackedWidget;
class QVBoxLayout;
class QGridLayout;

namespace distillery::ui {

class CriterionScore;

class RaterView : public QWidget {
  Q_OBJECT
 public:
  explicit RaterView(QWidget* parent = nullptr);

  // The study to rate (nullopt store: none) and who rates; starts at the rater's first unrated item.
  void setStudy(std::optional<Store> store, const std::optional<StudyInfo>& study);
  void setRater(const QString& rater);

  // The item on screen (0 when none) and its place in the rater's order (-1 when none).
  qint64 currentItemId() const { return item_ ? item_->itemId : 0; }
  int currentIndex() const { return item_ ? item_->index : -1; }
  QString progressText() const;
  QString statusText() const;

 public Q_SLOTS:
  void choose(distillery::ScreenChoice choice);  // pairwise: saves, then the next item when auto-advance is on
  void skip();                                   // stores nothing, moves on to the next unrated item
  void saveAndNext();
  void previous();
  void next();

 Q_SIGNALS:
  void ratingSaved();  // a rating of this study was stored (the study list's counts changed)

 private:
  void rebuild();             // criteria rows and page for the study's kind
  void showIndex(int index);  // loads item `index` of the rater's order
  void showDone();
  void showMessage(const QString& text);
  void moveOn();                            // the next unrated item after the current one, or the done page
  bool saveCurrent(bool reportIncomplete);  // true when the item's rating is stored as shown
  bool complete() const;
  void keepCommentIfChanged();  // before leaving an item: a changed comment on a complete rating is saved
  void setStatus(const QString& text, bool error = false);
  void updateProgress();
  void updateChoiceButtons();
  RaterRating ratingShown() const;

  std::optional<Store> store_;
  std::optional<StudyInfo> study_;
  QString rater_;
  std::optional<RaterItem> item_;
  RubricScores scores_;
  std::optional<ScreenChoice> choice_;
  QString savedComment_;  // the comment as stored for the item on screen

  QStackedWidget* pages_;
  QLabel* message_;
  QLabel* progress_;
  QProgressBar* progressBar_;
  QLabel* position_;
  QPlainTextEdit* prompt_;
  QWidget* rubricBox_;
  QPlainTextEdit* output_;
  QGridLayout* criteriaLayout_;
  std::vector<CriterionScore*> criteria_;
  QWidget* pairBox_;
  QPlainTextEdit* left_;
  QPlainTextEdit* right_;
  QPushButton* leftButton_;
  QPushButton* rightButton_;
  QPushButton* tieButton_;
  QPushButton* bothBadButton_;
  QPlainTextEdit* comment_;
  QCheckBox* autoAdvance_;
  QLabel* status_;
  std::vector<QShortcut*> pairShortcuts_;
};

}  // namespace distillery::ui
