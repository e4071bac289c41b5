#include "compare/ComparePanel.h"
#include "compare/AbComparisonView.h"

#include "eval/EvalJobPicker.h"
#include "jobs/JobStore.h"
#include "plot/QCustomPlot.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

QTableView* tableFor(QAbstractItemModel* model, const QString& name, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setObjectName(name);
  view->setModel(model);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return view;
}

QGroupBox* box(const QString& title, QWidget* content, QWidget* parent) {
  auto* group = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(group);
  layout->addWidget(content);
  return group;
}

// Distinct, colour-blind friendly line colours (Okabe–Ito).
QColor runColour(int i) {
  static const QColor colours[] = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
                                   QColor(0xcc, 0x79, 0xa7), QColor(0x56, 0xb4, 0xe9), QColor(0xd5, 0x5e, 0x00)};
  return colours[i % 6];
}

}  // namespace

ComparePanel::ComparePanel(QWidget* parent)
    : WorkspacePanel(parent),
      runs_(new QListWidget(this)),
      evalJobs_(new QComboBox(this)),
      studies_(new QComboBox(this)),
      plot_(new QCustomPlot(this)),
      scores_(new EvalMetricsModel(this)),
      fidelity_(new FidelityModel(this)),
      human_(new HumanScoresModel(this)) {
  setObjectName(QStringLiteral("panel_compare"));
  runs_->setObjectName(QStringLiteral("compareRuns"));
  runs_->setToolTip(tr("Training runs whose loss curves are overlaid (solid: training loss, dashed: validation)."));
  evalJobs_->setObjectName(QStringLiteral("compareEval"));
  evalJobs_->setToolTip(tr("The evaluation job whose automatic scores and quantization fidelity are shown."));
  studies_->setObjectName(QStringLiteral("compareStudy"));
  studies_->setToolTip(tr("The rating study whose human scores are shown (model names stay hidden until it is revealed)."));
  plot_->setObjectName(QStringLiteral("compareCurves"));
  plot_->setMinimumHeight(200);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->legend->setVisible(true);
  QFont legendFont = plot_->legend->font();
  legendFont.setPointSizeF(legendFont.pointSizeF() * 0.8);
  plot_->legend->setFont(legendFont);
  // The legend sits under the plot (two entries a row) so it never hides the curves.
  auto* below = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(1, 0, below);
  below->setMargins(QMargins(5, 0, 5, 5));
  below->addElement(0, 0, plot_->legend);
  plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot_->legend->setWrap(2);
  plot_->plotLayout()->setRowStretchFactor(1, 0.001);
  plot_->xAxis->setLabel(tr("step"));
  plot_->yAxis->setLabel(tr("loss"));

  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  auto* runsLabel = new QLabel(tr("&Runs:"), side);
  runsLabel->setBuddy(runs_);
  auto* evalLabel = new QLabel(tr("&Evaluation job:"), side);
  evalLabel->setBuddy(evalJobs_);
  auto* studyLabel = new QLabel(tr("Rating &study:"), side);
  studyLabel->setBuddy(studies_);
  sideLayout->addWidget(runsLabel);
  sideLayout->addWidget(runs_, 1);
  sideLayout->addWidget(evalLabel);
  sideLayout->addWidget(evalJobs_);
  sideLayout->addWidget(studyLabel);
  sideLayout->addWidget(studies_);

  auto* grid = new QWidget(this);
  auto* gridLayout = new QGridLayout(grid);
  gridLayout->setContentsMargins(0, 0, 0, 0);
  gridLayout->addWidget(box(tr("Loss curves"), plot_, grid), 0, 0);
  gridLayout->addWidget(box(tr("Automatic scores"), tableFor(scores_, QStringLiteral("compareScores"), grid), grid), 0, 1);
  gridLayout->addWidget(box(tr("Quantization fidelity"), tableFor(fidelity_, QStringLiteral("compareFidelity"), grid), grid), 1, 0);
  gridLayout->addWidget(box(tr("Human scores"), tableFor(human_, QStringLiteral("compareHuman"), grid), grid), 1, 1);
  ab_ = new AbComparisonView(grid);
  gridLayout->addWidget(box(tr("Is B better? (per-sample scores of the evaluation job)"), ab_, grid), 2, 0);
  slices_ = new SliceCompareView(grid);
  gridLayout->addWidget(box(tr("Scores per slice"), slices_, grid), 2, 1);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(side);
  split->addWidget(grid);
  split->setStretchFactor(1, 4);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Compare").toHtmlEscaped()), this));
  layout->addWidget(split, 1);

  connect(runs_, &QListWidget::itemChanged, this, &ComparePanel::replotRuns);
  connect(evalJobs_, &QComboBox::currentIndexChanged, this, &ComparePanel::showEval);
  connect(studies_, &QComboBox::currentIndexChanged, this, &ComparePanel::showStudy);
}

void ComparePanel::setWorkspace(const Workspace* ws, JobRunner*) {
  if (ws) store_ = ws->store();
  else store_.reset();
  ab_->setStore(store_ ? &*store_ : nullptr);
  fillRuns();
  fillEvalJobs(evalJobs_, store_ ? &*store_ : nullptr);
  showEval();
  fillStudies();
  showStudy();
}

void ComparePanel::fillRuns() {
  QSet<qint64> checked;
  for (int i = 0; i < runs_->count(); ++i)
    if (runs_->item(i)->checkState() == Qt::Checked) checked << runs_->item(i)->data(Qt::UserRole).toLongLong();
  const bool first = runs_->count() == 0;
  const QSignalBlocker block(runs_);
  runs_->clear();
  if (store_)
    for (const JobRow& j : JobStore(*store_).list()) {
      if (j.kind == QLatin1String("eval") || j.kind == QLatin1String("sweep")) continue;
      auto* item = new QListWidgetItem(QStringLiteral("#%1 %2").arg(j.id).arg(j.name), runs_);
      item->setData(Qt::UserRole, j.id);
      item->setToolTip(QStringLiteral("%1 · %2").arg(j.kind, jobStatusName(j.status)));
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      // At first every run is shown; later the user's choice is kept.
      item->setCheckState(first || checked.contains(j.id) ? Qt::Checked : Qt::Unchecked);
    }
  replotRuns();
}

void ComparePanel::replotRuns() {
  plot_->clearGraphs();
  if (store_) {
    const JobStore jobs(*store_);
    int colour = 0;
    for (int i = 0; i < runs_->count(); ++i) {
      const QListWidgetItem* item = runs_->item(i);
      if (item->checkState() != Qt::Checked) continue;
      const qint64 id = item->data(Qt::UserRole).toLongLong();
      const QColor c = runColour(colour++);
      for (const char* name : {"loss", "val_loss"}) {
        const std::vector<MetricPoint> points = jobs.metric(id, QString::fromLatin1(name));
        if (points.empty()) continue;
        QCPGraph* g = plot_->addGraph();
        QPen pen(c, 1.6);
        if (QLatin1String(name) == QLatin1String("val_loss")) pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        g->setName(QStringLiteral("#%1 %2").arg(id).arg(QLatin1String(name)));  // the run list names #id
        for (const MetricPoint& p : points) g->addData(double(p.step), p.value);
      }
    }
  }
  plot_->rescaleAxes();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ComparePanel::fillStudies() {
  const qint64 keep = studies_->currentIndex() >= 0 ? studies_->currentData().toLongLong() : 0;
  const QSignalBlocker block(studies_);
  studies_->clear();
  if (store_)
    for (const StudyInfo& s : StudyStore(*store_).list())
      studies_->addItem(QStringLiteral("#%1 %2 (%3)").arg(s.id).arg(s.name, studyKindName(s.kind)), s.id);
  int at = studies_->findData(keep);
  if (at < 0 && store_)  // at first, the newest study that has ratings (an unrated one has no scores to show)
    for (const StudyInfo& s : StudyStore(*store_).list())
      if (s.ratings > 0) {
        at = studies_->findData(s.id);
        break;
      }
  studies_->setCurrentIndex(at >= 0 ? at : (studies_->count() ? 0 : -1));
}

void ComparePanel::showEval() {
  const qint64 job = selectedJob(evalJobs_);
  const QList<EvaluationRow> rows = store_ && job > 0 ? EvalStore(*store_).evaluations(job) : QList<EvaluationRow>{};
  scores_->setEvaluations(rows);
  fidelity_->setEvaluations(rows);
  ab_->showJob(job);
  slices_->setEvaluations(store_, rows);
}

void ComparePanel::showStudy() {
  if (!store_ || studies_->currentIndex() < 0) {
    human_->clear();
    return;
  }
  StudyResultOptions o;
  o.bootstrapRounds = 200;  // enough for a dashboard; the Human rating panel computes the full intervals
  try {
    human_->setResults(studyResults(StudyStore(*store_), studies_->currentData().toLongLong(), o));
  } catch (const std::exception&) {
    human_->clear();  // a study without ratings has no results yet
  }
}

}  // namespace distillery::ui
