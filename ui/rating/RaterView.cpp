#include "rating/RaterView.h"

#include "common/Error.h"
#include "rating/CriterionScore.h"

#include <QtCore/QSettings>
#include <QtGui/QKeySequence>
#include <QtGui/QShortcut>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

const QString kAutoAdvanceKey = QStringLiteral("rating/autoAdvance");

QPlainTextEdit* readOnlyText(const QString& name, QWidget* parent) {
  auto* t = new QPlainTextEdit(parent);
  t->setObjectName(name);
  t->setReadOnly(true);
  // Click focus only: Tab runs through the scores and the comment, and arrow keys stay the rating keys.
  t->setFocusPolicy(Qt::ClickFocus);
  return t;
}

}  // namespace

RaterView::RaterView(QWidget* parent)
    : QWidget(parent),
      pages_(new QStackedWidget(this)),
      message_(new QLabel(this)),
      progress_(new QLabel(this)),
      progressBar_(new QProgressBar(this)),
      position_(new QLabel(this)),
      prompt_(readOnlyText(QStringLiteral("prompt"), this)),
      rubricBox_(new QWidget(this)),
      output_(readOnlyText(QStringLiteral("output"), this)),
      criteriaLayout_(new QGridLayout),
      pairBox_(new QWidget(this)),
      left_(readOnlyText(QStringLiteral("outputA"), this)),
      right_(readOnlyText(QStringLiteral("outputB"), this)),
      leftButton_(new QPushButton(tr("← A is better"), this)),
      rightButton_(new QPushButton(tr("B is better →"), this)),
      tieButton_(new QPushButton(tr("↓ Tie (T)"), this)),
      bothBadButton_(new QPushButton(tr("Both bad (B)"), this)),
      comment_(new QPlainTextEdit(this)),
      autoAdvance_(new QCheckBox(tr("Next item after a choice"), this)),
      status_(new QLabel(this)) {
  setObjectName(QStringLiteral("raterView"));
  setFocusPolicy(Qt::StrongFocus);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(pages_);

  message_->setObjectName(QStringLiteral("raterMessage"));
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  pages_->addWidget(message_);

  auto* itemPage = new QWidget(this);
  auto* itemLayout = new QVBoxLayout(itemPage);
  auto* top = new QHBoxLayout;
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setToolTip(tr("Items you have rated / items in the study."));
  position_->setObjectName(QStringLiteral("position"));
  progressBar_->setTextVisible(false);
  progressBar_->setMaximumHeight(10);
  top->addWidget(position_);
  top->addStretch(1);
  top->addWidget(progress_);
  itemLayout->addLayout(top);
  itemLayout->addWidget(progressBar_);
  auto* promptLabel = new QLabel(tr("Prompt"), itemPage);
  itemLayout->addWidget(promptLabel);
  prompt_->setMaximumHeight(120);
  itemLayout->addWidget(prompt_);

  // Rubric: the output, then one row per criterion.
  auto* rubricLayout = new QVBoxLayout(rubricBox_);
  rubricLayout->setContentsMargins(0, 0, 0, 0);
  rubricLayout->addWidget(new QLabel(tr("Output"), rubricBox_));
  rubricLayout->addWidget(output_, 1);
  rubricLayout->addLayout(criteriaLayout_);
  itemLayout->addWidget(rubricBox_, 1);

  // Pairwise: A and B side by side (screen order, no model names), then the four verdicts.
  auto* pairLayout = new QVBoxLayout(pairBox_);
  pairLayout->setContentsMargins(0, 0, 0, 0);
  auto* sides = new QSplitter(Qt::Horizontal, pairBox_);
  for (auto [text, title] : {std::pair{left_, tr("A")}, std::pair{right_, tr("B")}}) {
    auto* box = new QGroupBox(title, sides);
    auto* boxLayout = new QVBoxLayout(box);
    boxLayout->addWidget(text);
    sides->addWidget(box);
  }
  pairLayout->addWidget(sides, 1);
  auto* verdicts = new QHBoxLayout;
  const std::pair<QPushButton*, QString> verdictTips[] = {
      {leftButton_, tr("Output A (left) is better. Key: Left arrow.")},
      {rightButton_, tr("Output B (right) is better. Key: Right arrow.")},
      {tieButton_, tr("Both are about as good. Keys: Down arrow or T.")},
      {bothBadButton_, tr("Neither answer is acceptable. Key: B.")}};
  for (const auto& [button, tip] : verdictTips) {
    button->setCheckable(true);
    button->setToolTip(tip);
    verdicts->addWidget(button);
  }
  leftButton_->setObjectName(QStringLiteral("chooseA"));
  rightButton_->setObjectName(QStringLiteral("chooseB"));
  tieButton_->setObjectName(QStringLiteral("chooseTie"));
  bothBadButton_->setObjectName(QStringLiteral("chooseBothBad"));
  pairLayout->addLayout(verdicts);
  itemLayout->addWidget(pairBox_, 1);
  connect(leftButton_, &QPushButton::clicked, this, [this] { choose(ScreenChoice::Left); });
  connect(rightButton_, &QPushButton::clicked, this, [this] { choose(ScreenChoice::Right); });
  connect(tieButton_, &QPushButton::clicked, this, [this] { choose(ScreenChoice::Tie); });
  connect(bothBadButton_, &QPushButton::clicked, this, [this] { choose(ScreenChoice::BothBad); });

  auto* commentLabel = new QLabel(tr("&Comment (optional)"), itemPage);
  commentLabel->setBuddy(comment_);
  comment_->setObjectName(QStringLiteral("comment"));
  comment_->setMaximumHeight(70);
  comment_->setTabChangesFocus(true);
  comment_->setToolTip(tr("Free-text note saved with the rating (Ctrl+Enter saves and moves on)."));
  itemLayout->addWidget(commentLabel);
  itemLayout->addWidget(comment_);

  auto* actions = new QHBoxLayout;
  auto* prevButton = new QPushButton(tr("Previous"), itemPage);
  prevButton->setToolTip(tr("Back to the previous item (Page Up)."));
  auto* skipButton = new QPushButton(tr("Skip (S)"), itemPage);
  skipButton->setObjectName(QStringLiteral("skip"));
  skipButton->setToolTip(tr("Leave this item unrated and go to the next unrated one (S)."));
  auto* saveButton = new QPushButton(tr("Save and next"), itemPage);
  saveButton->setObjectName(QStringLiteral("saveAndNext"));
  saveButton->setToolTip(tr("Store the rating and go to the next unrated item (Ctrl+Enter)."));
  autoAdvance_->setToolTip(tr("Pairwise: go to the next item as soon as a verdict is given (on by default)."));
  autoAdvance_->setChecked(QSettings().value(kAutoAdvanceKey, true).toBool());
  for (QPushButton* b : {prevButton, skipButton, saveButton}) b->setFocusPolicy(Qt::TabFocus);
  actions->addWidget(prevButton);
  actions->addWidget(autoAdvance_);
  actions->addStretch(1);
  actions->addWidget(skipButton);
  actions->addWidget(saveButton);
  itemLayout->addLayout(actions);
  status_->setObjectName(QStringLiteral("raterStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  itemLayout->addWidget(status_);
  pages_->addWidget(itemPage);
  connect(prevButton, &QPushButton::clicked, this, &RaterView::previous);
  connect(skipButton, &QPushButton::clicked, this, &RaterView::skip);
  connect(saveButton, &QPushButton::clicked, this, &RaterView::saveAndNext);
  connect(autoAdvance_, &QCheckBox::toggled, this, [](bool on) { QSettings().setValue(kAutoAdvanceKey, on); });

  // Shortcuts live on this view (and its children): a text box's own typing wins over the one-letter keys, because
  // text edits accept the ShortcutOverride of printable keys.
  auto shortcut = [this](const QKeySequence& keys, auto slot) {
    auto* s = new QShortcut(keys, this);
    s->setContext(Qt::WidgetWithChildrenShortcut);
    connect(s, &QShortcut::activated, this, slot);
    return s;
  };
  pairShortcuts_ = {shortcut(QKeySequence(Qt::Key_Left), [this] { choose(ScreenChoice::Left); }),
                    shortcut(QKeySequence(Qt::Key_Right), [this] { choose(ScreenChoice::Right); }),
                    shortcut(QKeySequence(Qt::Key_Down), [this] { choose(ScreenChoice::Tie); }),
                    shortcut(QKeySequence(Qt::Key_T), [this] { choose(ScreenChoice::Tie); }),
                    shortcut(QKeySequence(Qt::Key_B), [this] { choose(ScreenChoice::BothBad); })};
  shortcut(QKeySequence(Qt::Key_S), [this] { skip(); });
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { saveAndNext(); });
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { saveAndNext(); });
  shortcut(QKeySequence(Qt::Key_PageUp), [this] { previous(); });
  shortcut(QKeySequence(Qt::Key_PageDown), [this] { next(); });
  rebuild();
}

void RaterView::setStudy(std::optional<Store> store, const std::optional<StudyInfo>& study) {
  keepCommentIfChanged();
  store_ = std::move(store);
  study_ = store_ ? study : std::nullopt;
  item_.reset();
  rebuild();
}

void RaterView::setRater(const QString& rater) {
  if (rater.trimmed() == rater_) return;
  keepCommentIfChanged();
  rater_ = rater.trimmed();
  item_.reset();
  rebuild();
}

void RaterView::rebuild() {
  criteria_.clear();
  while (QLayoutItem* it = criteriaLayout_->takeAt(0)) {
    delete it->widget();  // never called from a criterion's own signal, so deleting now is safe
    delete it;
  }
  const bool pairwise = study_ && study_->kind == StudyKind::Pairwise;
  for (QShortcut* s : pairShortcuts_) s->setEnabled(pairwise);
  rubricBox_->setVisible(study_ && !pairwise);
  pairBox_->setVisible(pairwise);
  autoAdvance_->setVisible(pairwise);
  if (!store_ || !study_) return showMessage(tr("Choose a study in the list to rate it."));
  if (rater_.isEmpty()) return showMessage(tr("Enter your name as rater above to start rating."));
  if (!pairwise) {
    int row = 0;
    for (const Criterion& c : study_->rubric.criteria) {
      auto* score = new CriterionScore(c.name, study_->rubric.minScore, study_->rubric.maxScore, rubricBox_);
      // Alt+N jumps to criterion N (a mnemonic on its label); the digits themselves are scores.
      auto* label = new QLabel(row < 9 ? QStringLiteral("&%1 %2").arg(row + 1).arg(c.name) : c.name, rubricBox_);
      label->setBuddy(score);
      label->setToolTip(tr("Weight %1 of the total.").arg(c.weight, 0, 'f', 2));
      criteriaLayout_->addWidget(label, row, 0);
      criteriaLayout_->addWidget(score, row, 1);
      // A layout shows a new child of a visible parent only later (queued); focus needs it visible now.
      if (rubricBox_->isVisible()) {
        label->show();
        score->show();
      }
      connect(score, &CriterionScore::scoreChosen, this, [this](const QString& name, int value) {
        scores_.insert(name, value);
        if (complete()) saveCurrent(false);
      });
      criteria_.push_back(score);
      ++row;
    }
    // Tab order: criteria in display order, then the comment.
    for (size_t i = 1; i < criteria_.size(); ++i) setTabOrder(criteria_[i - 1], criteria_[i]);
    if (!criteria_.empty()) setTabOrder(criteria_.back(), comment_);
  }
  try {
    const int first = StudyStore(*store_).nextUnrated(study_->id, rater_);
    first < 0 ? showDone() : showIndex(first);
  } catch (const Error& e) {
    showMessage(e.message());
  }
}

void RaterView::showMessage(const QString& text) {
  item_.reset();
  message_->setText(text);
  pages_->setCurrentWidget(message_);
}

void RaterView::showIndex(int index) {
  try {
    item_ = StudyStore(*store_).raterItem(study_->id, rater_, index);
  } catch (const Error& e) {
    return showMessage(e.message());
  }
  const std::optional<RaterRating>& saved = item_->rating;
  scores_ = saved ? saved->scores : RubricScores{};
  choice_ = saved ? saved->choice : std::nullopt;
  savedComment_ = saved ? saved->comment : QString();
  prompt_->setPlainText(item_->prompt);
  output_->setPlainText(item_->output);
  left_->setPlainText(item_->left);
  right_->setPlainText(item_->right);
  comment_->setPlainText(savedComment_);
  for (CriterionScore* c : criteria_)
    c->setValue(scores_.contains(c->criterion()) ? std::optional<int>(scores_.value(c->criterion())) : std::nullopt);
  updateChoiceButtons();
  position_->setText(tr("Item %1 of %2").arg(index + 1).arg(item_->total));
  setStatus(saved ? tr("Already rated; changes are saved as you make them.") : QString());
  updateProgress();
  pages_->setCurrentIndex(1);
  if (!criteria_.empty())
    criteria_.front()->setFocus(Qt::OtherFocusReason);
  else
    setFocus(Qt::OtherFocusReason);
}

void RaterView::showDone() {
  RaterProgress p;
  try {
    p = StudyStore(*store_).progress(study_->id, rater_);
  } catch (const Error& e) {
    return showMessage(e.message());
  }
  showMessage(p.rated == p.total ? tr("All %1 items rated. Thank you!").arg(p.total)
                                 : tr("No unrated item left after the skipped ones: %1 / %2 rated. Page Up goes back.")
                                       .arg(p.rated)
                                       .arg(p.total));
  setFocus(Qt::OtherFocusReason);
}

bool RaterView::complete() const {
  if (!study_) return false;
  if (study_->kind == StudyKind::Pairwise) return choice_.has_value();
  for (const Criterion& c : study_->rubric.criteria)
    if (!scores_.contains(c.name)) return false;
  return true;
}

RaterRating RaterView::ratingShown() const {
  RaterRating r;
  if (study_->kind == StudyKind::Rubric)
    r.scores = scores_;
  else
    r.choice = choice_;
  r.comment = comment_->toPlainText().trimmed();
  return r;
}

bool RaterView::saveCurrent(bool reportIncomplete) {
  if (!item_) return false;
  if (!complete()) {
    if (reportIncomplete) {
      QStringList missing;
      for (const Criterion& c : study_->rubric.criteria)
        if (!scores_.contains(c.name)) missing << c.name;
      setStatus(study_->kind == StudyKind::Pairwise
                    ? tr("Choose A, B, tie or both bad first.")
                    : tr("Score every criterion first (missing: %1).").arg(missing.join(QStringLiteral(", "))),
                true);
    }
    return false;
  }
  try {
    const RaterRating r = ratingShown();
    StudyStore(*store_).rate(item_->itemId, rater_, r);
    item_->rating = r;
    savedComment_ = r.comment;
  } catch (const Error& e) {
    setStatus(tr("Not saved: %1").arg(e.message()), true);
    return false;
  }
  setStatus(tr("Saved."));
  updateProgress();
  Q_EMIT ratingSaved();
  return true;
}

void RaterView::keepCommentIfChanged() {
  if (item_ && store_ && study_ && complete() && comment_->toPlainText().trimmed() != savedComment_) saveCurrent(false);
}

void RaterView::choose(ScreenChoice choice) {
  if (!item_ || study_->kind != StudyKind::Pairwise) return;
  choice_ = choice;
  updateChoiceButtons();
  if (saveCurrent(true) && autoAdvance_->isChecked()) moveOn();
}

void RaterView::skip() {
  if (!item_) return;
  keepCommentIfChanged();
  moveOn();
}

void RaterView::saveAndNext() {
  if (!item_) return;
  if (saveCurrent(true)) moveOn();
}

void RaterView::previous() {
  if (!store_ || !study_ || rater_.isEmpty()) return;
  keepCommentIfChanged();
  if (item_ && item_->index > 0)
    showIndex(item_->index - 1);
  else if (!item_ && study_->items > 0)
    showIndex(study_->items - 1);  // from the done page: the last item
}

void RaterView::next() {
  if (!item_) return;
  keepCommentIfChanged();
  if (item_->index + 1 < item_->total) showIndex(item_->index + 1);
}

void RaterView::moveOn() {
  const StudyStore studies(*store_);
  const int current = item_->index;
  int n = -1;
  try {
    n = studies.nextUnrated(study_->id, rater_, current + 1);
    if (n < 0) n = studies.nextUnrated(study_->id, rater_, 0);  // wrap around to items skipped earlier
  } catch (const Error& e) {
    return setStatus(e.message(), true);  // e.g. the database busy: stay on this item, nothing is lost
  }
  if (n < 0 || n == current) return showDone();
  showIndex(n);
}

void RaterView::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void RaterView::updateProgress() {
  if (!store_ || !study_) return;
  RaterProgress p;
  try {
    p = StudyStore(*store_).progress(study_->id, rater_);
  } catch (const Error& e) {
    return setStatus(e.message(), true);
  }
  progress_->setText(QStringLiteral("%1 / %2").arg(p.rated).arg(p.total));
  progressBar_->setRange(0, std::max(1, p.total));
  progressBar_->setValue(p.rated);
}

void RaterView::updateChoiceButtons() {
  leftButton_->setChecked(choice_ == ScreenChoice::Left);
  rightButton_->setChecked(choice_ == ScreenChoice::Right);
  tieButton_->setChecked(choice_ == ScreenChoice::Tie);
  bothBadButton_->setChecked(choice_ == ScreenChoice::BothBad);
}

QString RaterView::progressText() const { return progress_->text(); }

QString RaterView::statusText() const {
  return pages_->currentWidget() == message_ ? message_->text() : status_->text();
}

}  // namespace distillery::ui
