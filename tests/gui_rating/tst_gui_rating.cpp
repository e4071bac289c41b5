// The Human rating panel offscreen: studies created from a JSONL file through the dialog, rated with the keyboard
// (rubric digits, pairwise arrows and letters, skip, Ctrl+Enter), each rating read back from the store; sides
// mapped to the right model; two raters; blinding of every text under the panel until the reveal; results tables
// and the study list through QAbstractItemModelTester; a bad import stores nothing; the results settings (bootstrap
// rounds, confidence, Elo K and initial rating) give the numbers core's studyResults gives with them; deleting a
// study removes it and its ratings.
#include "Fixtures.h"
#include "eval/EvalStore.h"
#include "jobs/JobStore.h"
#include "plot/QCustomPlot.h"
#include "rating/CreateStudyDialog.h"
#include "rating/RaterView.h"
#include "rating/RatingPanel.h"
#include "rating/ResultTableModel.h"
#include "rating/ResultsView.h"
#include "rating/StudyListModel.h"
#include "shell/Panels.h"
#include "eval/StudyResults.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"

#include <QtSql/QSqlQuery>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QSpinBox>

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextEdit>

#include <memory>

using namespace distillery;
using namespace distillery::ui;

namespace {

const QStringList kModels = {QStringLiteral("alpha-model"), QStringLiteral("beta-model")};

QString answersFile() { return testDataDir() + QStringLiteral("/gui_rating/answers.jsonl"); }

qint64 createStudy(const Workspace& ws, const QString& name, bool pairwise) {
  CreateStudyDialog dialog(ws.store());
  dialog.setName(name);
  dialog.setPairwise(pairwise);
  dialog.setJsonlFile(answersFile());
  dialog.setSeed(7);
  dialog.accept();
  if (dialog.result() != QDialog::Accepted) qWarning("%s", qPrintable(dialog.errorText()));
  return dialog.createdStudy();
}

// Every text a person can read under root: labels, text boxes, buttons, tab titles, table cells and headers, the
// plot's tick labels.
QStringList visibleTexts(QWidget* root) {
  QStringList texts;
  for (QLabel* l : root->findChildren<QLabel*>()) texts << l->text() << l->toolTip();
  for (QPlainTextEdit* t : root->findChildren<QPlainTextEdit*>()) texts << t->toPlainText();
  for (QTextEdit* t : root->findChildren<QTextEdit*>()) texts << t->toPlainText();
  for (QLineEdit* t : root->findChildren<QLineEdit*>()) texts << t->text();
  for (QAbstractButton* b : root->findChildren<QAbstractButton*>()) texts << b->text() << b->toolTip();
  for (QTabWidget* tabs : root->findChildren<QTabWidget*>())
    for (int i = 0; i < tabs->count(); ++i) texts << tabs->tabText(i);
  for (QTableView* view : root->findChildren<QTableView*>()) {
    const QAbstractItemModel* m = view->model();
    if (!m) continue;
    for (int c = 0; c < m->columnCount(); ++c) texts << m->headerData(c, Qt::Horizontal).toString();
    for (int r = 0; r < m->rowCount(); ++r)
      for (int c = 0; c < m->columnCount(); ++c)
        for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) texts << m->index(r, c).data(role).toString();
  }
  for (QCustomPlot* plot : root->findChildren<QCustomPlot*>())
    if (auto ticker = plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>())
      for (const QString& t : ticker->ticks()) texts << t;
  return texts;
}

QString modelNameIn(const QStringList& texts) {
  for (const QString& t : texts)
    for (const QString& m : kModels)
      if (t.contains(m)) return t;
  return {};
}

std::optional<StoredRating> ratingOf(const StudyStore& studies, qint64 study, qint64 item, const QString& rater) {
  for (const StoredRating& r : studies.ratings(study))
    if (r.itemId == item && r.rater == rater) return r;
  return std::nullopt;
}

StudyItem itemById(const StudyStore& studies, qint64 study, qint64 item) {
  for (const StudyItem& it : studies.items(study))
    if (it.id == item) return it;
  return {};
}

// With DISTILLERY_SCREENSHOTS=DIR set, saves the widget as DIR/name (for the README); otherwise does nothing.
void screenshot(QWidget* w, const QString& name) {
  const QString dir = qEnvironmentVariable("DISTILLERY_SCREENSHOTS");
  if (!dir.isEmpty()) w->grab().save(dir + QLatin1Char('/') + name);
}

bool waitForResults(ResultsView* view) {
  if (!view->busy()) return true;
  QSignalSpy spy(view, &ResultsView::computed);
  return spy.wait(20000);
}

}  // namespace

class TestGuiRating : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::optional<Workspace> ws_;
  qint64 rubric_ = 0, pairwise_ = 0;
  std::unique_ptr<RatingPanel> panel_;

  // The panel shown and active, so the view's shortcuts see the keys.
  RatingPanel* openPanel() {
    panel_ = std::make_unique<RatingPanel>();
    panel_->setDialogsEnabled(false);
    panel_->resize(1100, 750);
    panel_->setWorkspace(&*ws_, nullptr);
    panel_->show();
    panel_->activateWindow();
    if (!QTest::qWaitForWindowActive(panel_.get())) qWarning("panel window not active");
    return panel_.get();
  }

  // Keys go to the widget that has focus, as they would from a keyboard.
  static void key(Qt::Key k, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QWidget* target = QApplication::focusWidget();
    QVERIFY(target);
    QTest::keyClick(target, k, mods);
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("DistilleryRatingTest"));
    QSettings().clear();
    QVERIFY(dir_.isValid());
    ws_ = Workspace::init(dir_.filePath(QStringLiteral("ws")), QStringLiteral("Rating test"));
    rubric_ = createStudy(*ws_, QStringLiteral("answers scored"), false);
    pairwise_ = createStudy(*ws_, QStringLiteral("answers compared"), true);
    QVERIFY(rubric_ > 0);
    QVERIFY(pairwise_ > 0);
    const StudyStore studies(ws_->store());
    QCOMPARE(studies.info(rubric_).items, 8);    // 4 prompts × 2 models
    QCOMPARE(studies.info(pairwise_).items, 4);  // 4 prompts × 1 pair
    QCOMPARE(studies.info(rubric_).rubric.criteria.size(), size_t(3));
    QCOMPARE(studies.info(rubric_).rubric.criteria[0].weight, 0.4);
  }

  void panelIsTheRatingPage() {
    for (const PanelInfo& info : panels()) {
      if (info.id != QLatin1String("rating")) continue;
      std::unique_ptr<WorkspacePanel> page(info.create(info, nullptr));
      QVERIFY(qobject_cast<RatingPanel*>(page.get()));
      return;
    }
    QFAIL("no rating panel");
  }

  void createDialogReportsBadInput() {
    CreateStudyDialog dialog(ws_->store());
    dialog.setName(QStringLiteral("nothing"));
    dialog.setJsonlFile(dir_.filePath(QStringLiteral("missing.jsonl")));
    dialog.accept();
    QCOMPARE(dialog.createdStudy(), 0);
    QVERIFY2(dialog.errorText().contains(QStringLiteral("missing.jsonl")), qPrintable(dialog.errorText()));
    QCOMPARE(StudyStore(ws_->store()).list().size(), size_t(2));
  }

  void studyListPassesTheModelTester() {
    StudyListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStore(ws_->store());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, StudyListModel::Name).data().toString(),
             QStringLiteral("answers compared"));  // newest first
    QCOMPARE(model.index(0, StudyListModel::Items).data().toInt(), 4);
    QCOMPARE(model.index(1, StudyListModel::Kind).data().toString(), QStringLiteral("rubric"));
    QCOMPARE(model.index(1, StudyListModel::Models).data().toString(), QStringLiteral("2 model(s), hidden"));
    model.refresh();
    model.setStore(std::nullopt);
    QCOMPARE(model.rowCount(), 0);
  }

  void raterNameIsRemembered() {
    RatingPanel* panel = openPanel();
    panel->setRater(QStringLiteral("ann"));
    QCOMPARE(QSettings().value(QStringLiteral("rating/rater")).toString(), QStringLiteral("ann"));
    RatingPanel again;
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("raterName"))->text(), QStringLiteral("ann"));
  }

  void rubricWithTheKeyboard() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(rubric_);
    QCOMPARE(panel->currentStudy(), rubric_);
    panel->setRater(QStringLiteral("ann"));
    RaterView* view = panel->raterView();
    QCOMPARE(view->currentIndex(), 0);
    QCOMPARE(view->progressText(), QStringLiteral("0 / 8"));
    const qint64 first = view->currentItemId();
    const StudyStore studies(ws_->store());
    // 2 on relevance, 3 on accuracy (each digit moves on to the next criterion), Up back to accuracy, Left steps it
    // to 2, Down to readability, 1.
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("score_relevance"));
    key(Qt::Key_2);
    key(Qt::Key_3);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("score_readability"));
    QVERIFY(!ratingOf(studies, rubric_, first, QStringLiteral("ann")));  // incomplete: nothing stored yet
    key(Qt::Key_Up);
    key(Qt::Key_Left);
    key(Qt::Key_Down);
    key(Qt::Key_1);
    std::optional<StoredRating> saved = ratingOf(studies, rubric_, first, QStringLiteral("ann"));
    QVERIFY(saved);  // stored the moment every criterion had a score
    const RubricScores expected = {
        {QStringLiteral("relevance"), 2}, {QStringLiteral("accuracy"), 2}, {QStringLiteral("readability"), 1}};
    QCOMPARE(saved->scores, expected);
    // Alt+1 jumps back to the first criterion (its label's mnemonic).
    key(Qt::Key_1, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("score_relevance"));
    // A comment (its letters are typed, not taken as the S/T/B keys), then Ctrl+Enter: saved and on to the next.
    view->findChild<QPlainTextEdit*>(QStringLiteral("comment"))->setFocus();
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("best, but terse"));
    QCOMPARE(view->currentIndex(), 0);
    key(Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(ratingOf(studies, rubric_, first, QStringLiteral("ann"))->comment, QStringLiteral("best, but terse"));
    QCOMPARE(view->currentIndex(), 1);
    QCOMPARE(view->progressText(), QStringLiteral("1 / 8"));
    screenshot(panel, QStringLiteral("rating-rubric.png"));
    // Ctrl+Enter on an incomplete item stores nothing and says what is missing.
    const qint64 second = view->currentItemId();
    key(Qt::Key_3);
    key(Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(view->currentIndex(), 1);
    QVERIFY2(view->statusText().contains(QStringLiteral("accuracy, readability")), qPrintable(view->statusText()));
    QVERIFY(!ratingOf(studies, rubric_, second, QStringLiteral("ann")));
    // Skip: nothing stored, on to the next item.
    key(Qt::Key_S);
    QCOMPARE(view->currentIndex(), 2);
    QVERIFY(!ratingOf(studies, rubric_, second, QStringLiteral("ann")));
    QCOMPARE(studies.progress(rubric_, QStringLiteral("ann")).rated, 1);
    // The list's counts follow.
    const int row = panel->studies()->rowOf(rubric_);
    QCOMPARE(panel->studies()->index(row, StudyListModel::Ratings).data().toInt(), 1);
    QCOMPARE(panel->currentStudy(), rubric_);
  }

  void pairwiseSidesMapToModels() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    const StudyStore studies(ws_->store());
    RaterView* view = panel->raterView();
    // ann: Left, Right, T, B on the four items in her order.
    panel->setRater(QStringLiteral("ann"));
    const std::pair<Qt::Key, ScreenChoice> keys[] = {{Qt::Key_Left, ScreenChoice::Left},
                                                     {Qt::Key_Right, ScreenChoice::Right},
                                                     {Qt::Key_T, ScreenChoice::Tie},
                                                     {Qt::Key_B, ScreenChoice::BothBad}};
    for (const auto& [k, screen] : keys) {
      const qint64 item = view->currentItemId();
      const bool swapped = itemById(studies, pairwise_, item).swapped;
      key(k);
      const std::optional<StoredRating> r = ratingOf(studies, pairwise_, item, QStringLiteral("ann"));
      QVERIFY(r && r->choice);
      QCOMPARE(*r->choice, toModelOrder(screen, swapped));
    }
    QCOMPARE(view->statusText(), QStringLiteral("All 4 items rated. Thank you!"));
    // bob: Left on every item is model a where a is on the left and model b where the sides are swapped.
    panel->setRater(QStringLiteral("bob"));
    int swappedSeen = 0;
    screenshot(panel, QStringLiteral("rating-pairwise.png"));
    for (int i = 0; i < 4; ++i) {
      const qint64 item = view->currentItemId();
      const StudyItem it = itemById(studies, pairwise_, item);
      swappedSeen += it.swapped;
      QCOMPARE(view->findChild<QPlainTextEdit*>(QStringLiteral("outputA"))->toPlainText(), it.left());
      key(Qt::Key_Left);
      const std::optional<StoredRating> r = ratingOf(studies, pairwise_, item, QStringLiteral("bob"));
      QVERIFY(r && r->choice);
      QCOMPARE(*r->choice, it.swapped ? Choice::B : Choice::A);
    }
    QCOMPARE(swappedSeen, 2);  // half of the pair's items shown swapped
    // Down is a tie too; going back with Page Up and changing a verdict replaces it.
    key(Qt::Key_PageUp);
    const qint64 last = view->currentItemId();
    key(Qt::Key_Down);
    QCOMPARE(*ratingOf(studies, pairwise_, last, QStringLiteral("bob"))->choice, Choice::Tie);
    // Both raters' ratings are stored.
    QCOMPARE(studies.ratings(pairwise_).size(), size_t(8));
    QCOMPARE(studies.progress(pairwise_).size(), size_t(2));
    // A third rater skips: nothing stored, the next item comes.
    panel->setRater(QStringLiteral("cy"));
    QCOMPARE(view->currentIndex(), 0);
    key(Qt::Key_S);
    QCOMPARE(view->currentIndex(), 1);
    QCOMPARE(view->progressText(), QStringLiteral("0 / 4"));
    QCOMPARE(studies.ratings(pairwise_).size(), size_t(8));
  }

  void blindUntilRevealed() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    panel->setRater(QStringLiteral("ann"));
    // Every results table checked by the model tester while it is filled.
    ResultsView* results = panel->resultsView();
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel* m :
         std::initializer_list<QAbstractItemModel*>{results->modelsTable(), results->headToHeadTable(),
                                                    results->agreementTable(), results->correlationTable()})
      testers.push_back(
          std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    panel->raterView()->previous();  // an item on screen (ann has rated all)
    QVERIFY(panel->raterView()->currentItemId() > 0);
    panel->showResults();
    QVERIFY(waitForResults(results));
    QVERIFY2(results->modelsTable()->rowCount() == 2, qPrintable(results->summaryText()));
    QVERIFY(results->modelsTable()->index(0, 0).data().toString().startsWith(QStringLiteral("model ")));
    QCOMPARE(results->agreementTable()->index(0, 0).data().toString(), QStringLiteral("choice"));
    QString leak = modelNameIn(visibleTexts(panel));
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
    // Rubric study too, rater view and results.
    panel->selectStudy(rubric_);
    QVERIFY(waitForResults(results));
    QCOMPARE(results->modelsTable()->rowCount(), 1);  // only the model of ann's one rated item has a score
    QCOMPARE(results->modelsTable()->index(0, 1).data(Qt::UserRole).toInt(), 1);
    panel->showRater();
    leak = modelNameIn(visibleTexts(panel));
    QVERIFY2(leak.isEmpty(), qPrintable(leak));

    // Reveal: names in the results and the list.
    panel->showResults();
    QVERIFY(waitForResults(results));
    QVERIFY(panel->reveal());
    QVERIFY(waitForResults(results));
    QCOMPARE(panel->studies()->index(panel->studies()->rowOf(rubric_), StudyListModel::Models).data().toString(),
             kModels.join(QStringLiteral(", ")));
    // ann's one rubric rating (2, 2, 1 → 0.4·2 + 0.3·2 + 0.3·1 = 1.7) is its model's mean total.
    const StudyStore studies(ws_->store());
    const StoredRating only = studies.ratings(rubric_).front();
    const QString model = itemById(studies, rubric_, only.itemId).modelA;
    QVERIFY(kModels.contains(model));
    QCOMPARE(results->modelsTable()->rowCount(), 1);
    QCOMPARE(results->modelsTable()->index(0, 0).data().toString(), model);
    QCOMPARE(results->modelsTable()->index(0, 3).data(Qt::UserRole).toDouble(), 1.7);
    QCOMPARE(results->modelsTable()->index(0, 3).data().toString(), QStringLiteral("1.70"));
    // The rater view itself never shows names, even after the reveal.
    panel->showRater();
    QVERIFY(modelNameIn(visibleTexts(panel->raterView())).isEmpty());
  }

  void pairwiseResultsAfterReveal() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    panel->showResults();
    QVERIFY(waitForResults(panel->resultsView()));
    QVERIFY(panel->reveal());
    QVERIFY(waitForResults(panel->resultsView()));
    ResultTableModel* t = panel->resultsView()->modelsTable();
    QCOMPARE(t->rowCount(), 2);
    // Wins + ties + losses + both bad = 8 verdicts for each model; Elo inside its interval.
    for (int r = 0; r < 2; ++r) {
      int sum = 0;
      for (int c = 1; c <= 4; ++c) sum += t->index(r, c).data(Qt::UserRole).toInt();
      QCOMPARE(sum, 8);
      const double elo = t->index(r, 5).data(Qt::UserRole).toDouble();
      QVERIFY(t->index(r, 6).data(Qt::UserRole).toDouble() <= elo + 1e-9);
      QVERIFY(elo <= t->index(r, 7).data(Qt::UserRole).toDouble() + 1e-9);
    }
    QCOMPARE(panel->resultsView()->headToHeadTable()->rowCount(), 1);
    panel->resultsView()->plot()->replot();
    screenshot(panel, QStringLiteral("rating-results.png"));
    screenshot(panel->resultsView()->plot(), QStringLiteral("rating-plot.png"));
    QVERIFY(!modelNameIn(visibleTexts(panel->resultsView())).isEmpty());
  }

  // The settings row: the intervals and ratings shown are core's studyResults with the chosen options.
  void resultSettingsGiveCoreNumbers() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    panel->showResults();
    ResultsView* results = panel->resultsView();
    QVERIFY(waitForResults(results));
    QVERIFY(results->eloKBox()->isEnabled());
    QVERIFY(!results->levelBox()->isEnabled());  // the pairwise choice is nominal: no level to choose
    const StudyStore studies(ws_->store());
    const auto rankAt95 = studyResults(studies, pairwise_, results->options()).ranks;
    QSignalSpy computed(results, &ResultsView::computed);
    results->roundsBox()->setValue(300);
    results->confidenceBox()->setValue(80);
    results->eloKBox()->setValue(16);
    results->eloInitialBox()->setValue(1500);
    QVERIFY(computed.wait(20000));  // one computation after the last change
    QVERIFY(waitForResults(results));
    const StudyResultOptions o = results->options();
    QCOMPARE(o.bootstrapRounds, 300);
    QCOMPARE(o.confidence, 0.8);
    QCOMPARE(o.eloK, 16.0);
    QCOMPARE(o.eloInitial, 1500.0);
    QCOMPARE(o.seed, uint64_t(1));
    StudyResultOptions direct;
    direct.bootstrapRounds = 300;
    direct.seed = 1;
    direct.confidence = 0.8;
    direct.eloK = 16;
    direct.eloInitial = 1500;
    const std::map<QString, ModelRank> ranks = studyResults(studies, pairwise_, direct).ranks;
    // And that is Ranking's rankModels on the study's battles with K 16 and initial rating 1500 (both bad is a tie).
    std::vector<Battle> battles;
    for (const StoredRating& r : studies.ratings(pairwise_)) {
      const StudyItem item = itemById(studies, pairwise_, r.itemId);
      battles.push_back({item.modelA, item.modelB,
                         *r.choice == Choice::A   ? Winner::A
                         : *r.choice == Choice::B ? Winner::B
                                                  : Winner::Tie});
    }
    RankOptions rank;
    rank.k = 16;
    rank.initial = 1500;
    rank.bootstrapRounds = 300;
    rank.seed = 1;
    rank.confidence = 0.8;
    const std::map<QString, ModelRank> ranked = rankModels(battles, rank);
    QCOMPARE(ranked.size(), ranks.size());
    for (const auto& [model, k] : ranked) {
      QCOMPARE(ranks.at(model).elo, k.elo);
      QCOMPARE(ranks.at(model).eloLow, k.eloLow);
      QCOMPARE(ranks.at(model).btHigh, k.btHigh);
    }
    ResultTableModel* t = results->modelsTable();
    QCOMPARE(t->rowCount(), 2);
    for (int r = 0; r < t->rowCount(); ++r) {
      const QString model = t->index(r, 0).data().toString();
      QVERIFY2(ranks.count(model), qPrintable(model));
      const ModelRank& k = ranks.at(model);
      QCOMPARE(t->index(r, 5).data(Qt::UserRole).toDouble(), k.elo);
      QCOMPARE(t->index(r, 6).data(Qt::UserRole).toDouble(), k.eloLow);
      QCOMPARE(t->index(r, 7).data(Qt::UserRole).toDouble(), k.eloHigh);
      QCOMPARE(t->index(r, 8).data(Qt::UserRole).toDouble(), k.bt);
      QCOMPARE(t->index(r, 9).data(Qt::UserRole).toDouble(), k.btLow);
      QCOMPARE(t->index(r, 10).data(Qt::UserRole).toDouble(), k.btHigh);
      // The settings did change the numbers: ratings around 1500 now, the 80% interval inside the 95% one's width.
      const ModelRank& before = rankAt95.at(model);
      QVERIFY(std::abs(k.bt - before.bt - 500) < 1e-6);  // Bradley-Terry is centred on the initial rating
      QVERIFY(k.btHigh - k.btLow <= before.btHigh - before.btLow + 1e-9);
      QVERIFY(k.elo != before.elo);
    }
    // Remembered for the next panel; a rubric study enables the agreement choices instead of Elo's.
    ResultsView again;
    QCOMPARE(again.options().bootstrapRounds, 300);
    QCOMPARE(again.options().confidence, 0.8);
    QCOMPARE(again.options().eloInitial, 1500.0);
    panel->selectStudy(rubric_);
    QVERIFY(waitForResults(results));
    QVERIFY(results->levelBox()->isEnabled() && results->weightsBox()->isEnabled());
    QVERIFY(!results->eloKBox()->isEnabled());
    results->levelBox()->setCurrentIndex(results->levelBox()->findData(int(MeasurementLevel::Interval)));
    QCOMPARE(results->options().level, MeasurementLevel::Interval);
    QVERIFY(computed.wait(20000));
    QVERIFY(waitForResults(results));
    // Back to the defaults for the tests after this one.
    results->roundsBox()->setValue(1000);
    results->confidenceBox()->setValue(95);
    results->eloKBox()->setValue(4);
    results->eloInitialBox()->setValue(1000);
    results->levelBox()->setCurrentIndex(results->levelBox()->findData(int(MeasurementLevel::Ordinal)));
    QVERIFY(computed.wait(20000));
    QVERIFY(waitForResults(results));
  }

  void importOfBadCsvStoresNothing() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    const StudyStore studies(ws_->store());
    const size_t before = studies.ratings(pairwise_).size();
    QVERIFY(!panel->importFrom(testDataDir() + QStringLiteral("/gui_rating/bad_ratings.csv")));
    const QString message = panel->messageText();
    QVERIFY2(message.contains(QStringLiteral("bad_ratings.csv:3")) && message.contains(QStringLiteral("sideways")),
             qPrintable(message));
    QVERIFY(panel->findChild<QLabel*>(QStringLiteral("ratingMessage"))->isVisible());
    QCOMPARE(studies.ratings(pairwise_).size(), before);
    QVERIFY(!ratingOf(studies, pairwise_, studies.itemAt(pairwise_, 1), QStringLiteral("eve")));
  }

  void exportThenImportChangesNothing() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(pairwise_);
    const QString path = dir_.filePath(QStringLiteral("ratings.csv"));
    QVERIFY(panel->exportTo(path, StudyExport::Ratings));
    QVERIFY(QFileInfo::exists(path));
    const size_t before = StudyStore(ws_->store()).ratings(pairwise_).size();
    QVERIFY2(panel->importFrom(path), qPrintable(panel->messageText()));
    QVERIFY2(panel->messageText().contains(QStringLiteral("0 new, 0 updated, %1 unchanged").arg(before)),
             qPrintable(panel->messageText()));
    QVERIFY(!panel->exportTo(dir_.filePath(QStringLiteral("ratings.xlsx")), StudyExport::Ratings));
    QVERIFY2(panel->messageText().contains(QStringLiteral("ratings.xlsx")), qPrintable(panel->messageText()));
  }

  // A rubric study from an evaluation job's stored outputs: human totals equal to each sample's "bleu" give a rank
  // correlation of exactly 1.
  void evalJobStudyCorrelatesWithMetrics() {
    ws_->store().exec(
        QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) "
                       "VALUES ('eval', 'side by side', '{}', 'succeeded', 'now')"));
    qint64 job = 0;
    for (const JobRow& j : JobStore(ws_->store()).list())
      if (j.kind == QLatin1String("eval")) job = j.id;
    const EvalStore evals(ws_->store());
    std::map<qint64, std::vector<double>> bleu;  // evaluation id → bleu of samples 0..3
    for (const auto& [label, values] : {std::pair{QStringLiteral("gamma-model"), std::vector<double>{0, 1, 2, 3}},
                                        std::pair{QStringLiteral("delta-model"), std::vector<double>{3, 2, 1, 0}}}) {
      const qint64 e = evals.addEvaluation(job, label, 0);
      for (int i = 0; i < 4; ++i)
        evals.addSample(e, {.index = i,
                            .input = QStringLiteral("question %1").arg(i),
                            .output = label + QStringLiteral(" says %1").arg(i),
                            .reference = QStringLiteral("r"),
                            .scores = {{QStringLiteral("bleu"), values[size_t(i)]}}});
      bleu[e] = values;
    }
    CreateStudyDialog dialog(ws_->store());
    dialog.setName(QStringLiteral("from the eval job"));
    dialog.setEvaluationJob(job);
    dialog.setSeed(3);
    dialog.accept();
    QVERIFY2(dialog.createdStudy() > 0, qPrintable(dialog.errorText()));
    const qint64 study = dialog.createdStudy();

    RatingPanel* panel = openPanel();
    panel->selectStudy(study);
    panel->setRater(QStringLiteral("ann"));
    const StudyStore studies(ws_->store());
    RaterView* view = panel->raterView();
    for (int n = 0; n < 8; ++n) {
      const StudyItem it = itemById(studies, study, view->currentItemId());
      const int score = int(bleu.at(it.evaluationA).at(size_t(it.sampleIndex)));
      for (int c = 0; c < 3; ++c) key(Qt::Key(Qt::Key_0 + score));
      key(Qt::Key_Return, Qt::ControlModifier);
    }
    QCOMPARE(studies.progress(study, QStringLiteral("ann")).rated, 8);
    panel->showResults();
    QVERIFY(waitForResults(panel->resultsView()));
    ResultTableModel* correlation = panel->resultsView()->correlationTable();
    QCOMPARE(correlation->rowCount(), 1);
    QCOMPARE(correlation->index(0, 0).data().toString(), QStringLiteral("bleu"));
    QCOMPARE(correlation->index(0, 1).data(Qt::UserRole).toInt(), 8);
    QCOMPARE(correlation->index(0, 2).data(Qt::UserRole).toDouble(), 1.0);
    QCOMPARE(correlation->index(0, 3).data(Qt::UserRole).toDouble(), 1.0);
    // Both models' means: gamma and delta each have totals {0, 1, 2, 3} → 1.5.
    ResultTableModel* models = panel->resultsView()->modelsTable();
    QCOMPARE(models->rowCount(), 2);
    for (int r = 0; r < 2; ++r) QCOMPARE(models->index(r, 3).data(Qt::UserRole).toDouble(), 1.5);
  }

  // Delete: gone from the store (items and ratings by the foreign keys' cascade) and from the list.
  void deleteStudyRemovesItAndItsRatings() {
    RatingPanel* panel = openPanel();
    QAbstractItemModelTester tester(panel->studies(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const StudyStore studies(ws_->store());
    const size_t studiesBefore = studies.list().size();
    const int rowsBefore = panel->studies()->rowCount();
    QVERIFY(!studies.ratings(pairwise_).empty());
    const auto count = [&](const QString& sql) {
      QSqlQuery q(ws_->store().connection());
      if (!q.exec(sql.contains(QLatin1String("%1")) ? sql.arg(pairwise_) : sql) || !q.next()) return qint64(-1);
      return q.value(0).toLongLong();
    };
    const QString ratingsSql = QStringLiteral(
        "SELECT count(*) FROM ratings WHERE item_id IN (SELECT id FROM study_items WHERE study_id = %1)");
    QVERIFY(count(ratingsSql) > 0);
    const qint64 otherRatings = count(QStringLiteral("SELECT count(*) FROM ratings")) - count(ratingsSql);
    panel->selectStudy(pairwise_);
    QCOMPARE(panel->currentStudy(), pairwise_);
    QVERIFY(panel->findChild<QAbstractButton*>(QStringLiteral("deleteStudy"))->isEnabled());
    QVERIFY2(panel->removeStudy(), qPrintable(panel->messageText()));
    QVERIFY2(panel->messageText().contains(QStringLiteral("answers compared")), qPrintable(panel->messageText()));
    QCOMPARE(studies.list().size(), studiesBefore - 1);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM studies WHERE id = %1")), qint64(0));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM study_items WHERE study_id = %1")), qint64(0));
    QCOMPARE(count(ratingsSql), qint64(0));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM ratings")), otherRatings);  // other studies keep theirs
    QCOMPARE(panel->studies()->rowCount(), rowsBefore - 1);
    QCOMPARE(panel->studies()->rowOf(pairwise_), -1);
    QCOMPARE(panel->currentStudy(), 0);
    QVERIFY(!panel->removeStudy());  // nothing chosen: nothing to delete
    QCOMPARE(studies.list().size(), studiesBefore - 1);
  }

  void closingTheWorkspaceDropsEverything() {
    RatingPanel* panel = openPanel();
    panel->selectStudy(rubric_);
    panel->setWorkspace(nullptr, nullptr);
    QCOMPARE(panel->studies()->rowCount(), 0);
    QCOMPARE(panel->currentStudy(), 0);
    QCOMPARE(panel->raterView()->currentItemId(), 0);
  }

  void cleanupTestCase() {
    panel_.reset();
    ws_->store().closeThisThread();
  }
};

QTEST_MAIN(TestGuiRating)
#include "tst_gui_rating.moc"
