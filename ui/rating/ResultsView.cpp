#include "rating/ResultsView.h"

#include "plot/QCustomPlot.h"
#include "rating/ResultTableModel.h"

#include <QtCore/QSettings>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <memory>

namespace distillery::ui {

namespace {

QTableView* tableOn(ResultTableModel* model, const QString& name, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setObjectName(name);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return view;
}

QVariant optionalNumber(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(); }

const QString kSettings = QStringLiteral("rating/results/");

QLabel* buddyLabel(const QString& text, QWidget* buddy, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setBuddy(buddy);
  return label;
}

}  // namespace

ResultsView::ResultsView(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel(this)),
      rounds_(new QSpinBox(this)),
      confidence_(new QDoubleSpinBox(this)),
      eloK_(new QDoubleSpinBox(this)),
      eloInitial_(new QDoubleSpinBox(this)),
      level_(new QComboBox(this)),
      weights_(new QComboBox(this)),
      recompute_(new QTimer(this)),
      models_(new ResultTableModel(this)),
      headToHead_(new ResultTableModel(this)),
      agreement_(new ResultTableModel(this)),
      correlation_(new ResultTableModel(this)),
      plot_(new QCustomPlot(this)) {
  setObjectName(QStringLiteral("resultsView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  summary_->setObjectName(QStringLiteral("resultsSummary"));
  summary_->setWordWrap(true);
  top->addWidget(summary_, 1);
  const QSettings settings;
  const StudyResultOptions defaults;
  rounds_->setObjectName(QStringLiteral("bootstrapRounds"));
  rounds_->setRange(0, 100000);
  rounds_->setSingleStep(500);
  rounds_->setValue(settings.value(kSettings + QStringLiteral("bootstrap"), defaults.bootstrapRounds).toInt());
  rounds_->setToolTip(
      tr("Resamples for the intervals (typical 1000; 0 computes no intervals; more is slower but steadier)."));
  confidence_->setObjectName(QStringLiteral("confidenceLevel"));
  confidence_->setRange(50, 99.9);
  confidence_->setDecimals(1);
  confidence_->setSingleStep(5);
  confidence_->setSuffix(QStringLiteral(" %"));
  confidence_->setValue(settings.value(kSettings + QStringLiteral("confidence"), defaults.confidence).toDouble() * 100);
  confidence_->setToolTip(tr("Confidence level of the intervals: the central percentile range of the bootstrap "
                             "values (typical 95%; 90% narrower, 99% wider)."));
  eloK_->setObjectName(QStringLiteral("eloK"));
  eloK_->setRange(0.1, 64);
  eloK_->setDecimals(1);
  eloK_->setValue(settings.value(kSettings + QStringLiteral("elo_k"), defaults.eloK).toDouble());
  eloK_->setToolTip(tr("Elo K-factor: how far one battle moves the ratings (pairwise studies; Chatbot Arena uses 4; "
                       "16–32 for few battles, where ratings must move quickly)."));
  eloInitial_->setObjectName(QStringLiteral("eloInitial"));
  eloInitial_->setRange(0, 5000);
  eloInitial_->setDecimals(0);
  eloInitial_->setSingleStep(100);
  eloInitial_->setValue(settings.value(kSettings + QStringLiteral("elo_initial"), defaults.eloInitial).toDouble());
  eloInitial_->setToolTip(tr("Elo starting rating; the Bradley-Terry ratings are centred on it (pairwise studies; "
                             "typical 1000, or 1500 as in chess)."));
  level_->setObjectName(QStringLiteral("agreementLevel"));
  level_->addItem(tr("ordinal"), int(MeasurementLevel::Ordinal));
  level_->addItem(tr("interval"), int(MeasurementLevel::Interval));
  level_->addItem(tr("nominal"), int(MeasurementLevel::Nominal));
  level_->addItem(tr("ratio"), int(MeasurementLevel::Ratio));
  level_->setCurrentIndex(std::max(0, level_->findData(settings.value(kSettings + QStringLiteral("level"),
                                                                      int(defaults.level)).toInt())));
  level_->setToolTip(tr("Krippendorff's α level for rubric scores: ordinal (scores ranked, the usual choice for "
                        "0–3 scales), interval (differences count), nominal (any disagreement counts the same), "
                        "ratio."));
  weights_->setObjectName(QStringLiteral("kappaWeights"));
  weights_->addItem(tr("unweighted"), int(KappaWeights::None));
  weights_->addItem(tr("linear"), int(KappaWeights::Linear));
  weights_->addItem(tr("quadratic"), int(KappaWeights::Quadratic));
  weights_->setCurrentIndex(std::max(0, weights_->findData(settings.value(kSettings + QStringLiteral("weights"),
                                                                          int(defaults.weights)).toInt())));
  weights_->setToolTip(tr("Cohen's κ weights for rubric scores (two raters): unweighted counts exact agreement "
                          "only; linear or quadratic give partial credit to near scores (quadratic is common)."));
  auto* recompute = new QPushButton(tr("&Recompute"), this);
  recompute->setToolTip(tr("Compute the results again from the ratings stored now."));
  top->addWidget(recompute);
  layout->addLayout(top);
  auto* settingsRow = new QHBoxLayout;
  settingsRow->addWidget(buddyLabel(tr("&Bootstrap rounds:"), rounds_, this));
  settingsRow->addWidget(rounds_);
  settingsRow->addWidget(buddyLabel(tr("C&onfidence:"), confidence_, this));
  settingsRow->addWidget(confidence_);
  settingsRow->addSpacing(12);
  settingsRow->addWidget(buddyLabel(tr("Elo &K:"), eloK_, this));
  settingsRow->addWidget(eloK_);
  settingsRow->addWidget(buddyLabel(tr("&Initial rating:"), eloInitial_, this));
  settingsRow->addWidget(eloInitial_);
  settingsRow->addSpacing(12);
  settingsRow->addWidget(buddyLabel(tr("&α level:"), level_, this));
  settingsRow->addWidget(level_);
  settingsRow->addWidget(buddyLabel(tr("κ &weights:"), weights_, this));
  settingsRow->addWidget(weights_);
  settingsRow->addStretch(1);
  layout->addLayout(settingsRow);
  setTabOrder(rounds_, confidence_);
  setTabOrder(confidence_, eloK_);
  setTabOrder(eloK_, eloInitial_);
  setTabOrder(eloInitial_, level_);
  setTabOrder(level_, weights_);
  setTabOrder(weights_, recompute);
  connect(recompute, &QPushButton::clicked, this, &ResultsView::refresh);
  recompute_->setSingleShot(true);
  recompute_->setInterval(400);
  connect(recompute_, &QTimer::timeout, this, &ResultsView::refresh);
  for (QSpinBox* box : {rounds_}) connect(box, &QSpinBox::valueChanged, this, &ResultsView::settingChanged);
  for (QDoubleSpinBox* box : {confidence_, eloK_, eloInitial_})
    connect(box, &QDoubleSpinBox::valueChanged, this, &ResultsView::settingChanged);
  for (QComboBox* box : {level_, weights_})
    connect(box, &QComboBox::currentIndexChanged, this, &ResultsView::settingChanged);

  auto* tabs = new QTabWidget(this);
  auto* scores = new QSplitter(Qt::Vertical, tabs);
  scores->addWidget(tableOn(models_, QStringLiteral("modelsTable"), scores));
  plot_->setObjectName(QStringLiteral("intervalPlot"));
  plot_->setMinimumHeight(220);
  plot_->setToolTip(tr("Each model's score with its bootstrap interval."));
  scores->addWidget(plot_);
  scores->setStretchFactor(0, 1);
  scores->setStretchFactor(1, 1);
  tabs->addTab(scores, tr("Models"));
  tabs->addTab(tableOn(headToHead_, QStringLiteral("headToHeadTable"), tabs), tr("Head to head"));
  tabs->addTab(tableOn(agreement_, QStringLiteral("agreementTable"), tabs), tr("Agreement"));
  tabs->addTab(tableOn(correlation_, QStringLiteral("correlationTable"), tabs), tr("Correlation with metrics"));
  layout->addWidget(tabs, 1);

  auto* graph = plot_->addGraph();
  graph->setLineStyle(QCPGraph::lsNone);
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 8));
  auto* bars = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
  bars->setDataPlottable(graph);
  bars->setErrorType(QCPErrorBars::etValueError);
  clearTables();
}

ResultsView::~ResultsView() {
  // A worker still computing posts to this object; wait for it so nothing outlives the view (results are quick).
  for (const QPointer<QThread>& t : threads_)
    if (t) t->wait();
}

void ResultsView::setStudy(std::optional<Store> store, const std::optional<StudyInfo>& study) {
  store_ = std::move(store);
  study_ = store_ ? study : std::nullopt;
  updateSettingsEnabled();
  refresh();
}

StudyResultOptions ResultsView::options() const {
  StudyResultOptions o;
  o.bootstrapRounds = rounds_->value();
  o.seed = 1;
  o.confidence = confidence_->value() / 100.0;
  o.eloK = eloK_->value();
  o.eloInitial = eloInitial_->value();
  o.level = MeasurementLevel(level_->currentData().toInt());
  o.weights = KappaWeights(weights_->currentData().toInt());
  return o;
}

void ResultsView::settingChanged() {
  const StudyResultOptions o = options();
  QSettings settings;
  settings.setValue(kSettings + QStringLiteral("bootstrap"), o.bootstrapRounds);
  settings.setValue(kSettings + QStringLiteral("confidence"), o.confidence);
  settings.setValue(kSettings + QStringLiteral("elo_k"), o.eloK);
  settings.setValue(kSettings + QStringLiteral("elo_initial"), o.eloInitial);
  settings.setValue(kSettings + QStringLiteral("level"), int(o.level));
  settings.setValue(kSettings + QStringLiteral("weights"), int(o.weights));
  if (store_ && study_) recompute_->start();  // restarted by each change: one computation after the last
}

// Elo settings only mean something for pairwise studies, the agreement level and weights for rubric scores (the
// pairwise choice is nominal).
void ResultsView::updateSettingsEnabled() {
  const bool pairwise = study_ && study_->kind == StudyKind::Pairwise;
  const bool rubric = study_ && study_->kind == StudyKind::Rubric;
  eloK_->setEnabled(pairwise);
  eloInitial_->setEnabled(pairwise);
  level_->setEnabled(rubric);
  weights_->setEnabled(rubric);
}

void ResultsView::refresh() {
  const quint64 generation = ++generation_;
  recompute_->stop();
  clearTables();
  if (!store_ || !study_) {
    busy_ = false;
    summary_->setText(tr("Choose a study in the list to see its results."));
    Q_EMIT computed();
    return;
  }
  busy_ = true;
  summary_->setText(tr("Computing…"));
  const StudyResultOptions options = this->options();
  // The worker uses its own connection (Store::connection is per thread, closed when the thread ends) and reports
  // back through a queued call; nothing in it touches a widget.
  QThread* thread = QThread::create([this, store = *store_, id = study_->id, options, generation] {
    auto results = std::make_shared<std::optional<StudyResults>>();
    QString error;
    try {
      *results = studyResults(StudyStore(store), id, options);
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [this, results, error, generation] {
          if (generation != generation_) return;  // a newer request (or another study) replaced this one
          busy_ = false;
          if (*results)
            showResults(**results);
          else
            showError(error);
          Q_EMIT computed();
        },
        Qt::QueuedConnection);
  });
  connect(thread, &QThread::finished, thread, &QObject::deleteLater);
  std::erase_if(threads_, [](const QPointer<QThread>& t) { return t.isNull(); });
  threads_.emplace_back(thread);
  thread->start();
}

QString ResultsView::summaryText() const { return summary_->text(); }

void ResultsView::clearTables() {
  for (ResultTableModel* m : {models_, headToHead_, agreement_, correlation_}) m->clear();
  plotIntervals({}, {}, {}, {}, {});
}

void ResultsView::showError(const QString& message) {
  summary_->setText(tr("Results could not be computed: %1").arg(message));
}

void ResultsView::showResults(const StudyResults& r) {
  QStringList raters;
  for (const RaterProgress& p : r.progress) raters << QStringLiteral("%1 %2/%3").arg(p.rater).arg(p.rated).arg(p.total);
  summary_->setText((r.study.revealed ? tr("Revealed %1.").arg(r.study.revealedAt)
                                      : tr("Blinded: models are numbered until the study is revealed.")) +
                    QLatin1Char(' ') + tr("%n rating(s)", nullptr, r.study.ratings) + QStringLiteral(" — ") +
                    (raters.isEmpty() ? tr("no rater yet") : tr("raters: %1").arg(raters.join(QStringLiteral(", ")))));

  QStringList names;
  std::vector<double> value, low, high;
  if (r.study.kind == StudyKind::Rubric) {
    QStringList columns = {tr("Model"), tr("Items"), tr("Ratings"), tr("Total"), tr("Low"), tr("High"), tr("SE")};
    const QStringList criteria = r.study.rubric.names();
    for (const QString& c : criteria) columns << c;
    std::vector<QVariantList> rows;
    for (const ModelRubricScore& m : r.rubric) {
      QVariantList row = {m.model, m.items, m.ratings, m.total.mean, m.total.low, m.total.high, m.total.se};
      for (const QString& c : criteria) {
        const auto it = m.criteria.find(c);
        row << (it == m.criteria.end() ? QVariant() : QVariant(it->second.mean));
      }
      rows.push_back(row);
      names << m.model;
      value.push_back(m.total.mean);
      low.push_back(m.total.low);
      high.push_back(m.total.high);
    }
    models_->setTable(columns, std::move(rows), 2);
    plotIntervals(names, value, low, high,
                  tr("Weighted total (%1–%2)").arg(r.study.rubric.minScore).arg(r.study.rubric.maxScore));
  } else {
    std::vector<QVariantList> rows;
    for (const PairTally& t : r.tallies) {
      QVariantList row = {t.model, t.wins, t.ties, t.losses, t.bothBad};
      const auto rank = r.ranks.find(t.model);
      if (rank != r.ranks.end()) {
        const ModelRank& k = rank->second;
        row << k.elo << k.eloLow << k.eloHigh << k.bt << k.btLow << k.btHigh << qint64(k.battles);
        names << t.model;
        value.push_back(k.bt);
        low.push_back(k.btLow);
        high.push_back(k.btHigh);
      }
      rows.push_back(row);
    }
    models_->setTable({tr("Model"), tr("Wins"), tr("Ties"), tr("Losses"), tr("Both bad"), tr("Elo"), tr("Elo low"),
                       tr("Elo high"), tr("BT"), tr("BT low"), tr("BT high"), tr("Battles")},
                      std::move(rows), 1);
    plotIntervals(names, value, low, high, tr("Bradley-Terry (Elo scale)"));
    std::vector<QVariantList> pairs;
    for (const PairTally& t : r.headToHead) pairs.push_back({t.model, t.opponent, t.wins, t.ties, t.losses, t.bothBad});
    headToHead_->setTable({tr("Model"), tr("Opponent"), tr("Wins"), tr("Ties"), tr("Losses"), tr("Both bad")},
                          std::move(pairs));
  }

  std::vector<QVariantList> agreement;
  for (const AgreementEntry& e : r.agreement) {
    if (!e.result) {
      agreement.push_back({e.target, QVariant(), QVariant(), QVariant(), QVariant(), QVariant(), e.skipped});
      continue;
    }
    const AgreementResult& a = *e.result;
    agreement.push_back({e.target, optionalNumber(a.cohenKappa), optionalNumber(a.fleissKappa), a.krippendorffAlpha,
                         a.items, a.raters, a.fleissSkipped});
  }
  agreement_->setTable(
      {tr("Target"), tr("Cohen κ"), tr("Fleiss κ"), tr("Krippendorff α"), tr("Items"), tr("Raters"), tr("Note")},
      std::move(agreement));

  std::vector<QVariantList> correlation;
  for (const CorrelationEntry& c : r.correlation)
    correlation.push_back({c.metric, c.n, optionalNumber(c.spearman), optionalNumber(c.kendall)});
  correlation_->setTable({tr("Metric"), tr("Items"), tr("Spearman ρ"), tr("Kendall τ")}, std::move(correlation));
}

void ResultsView::plotIntervals(const QStringList& names, const std::vector<double>& value,
                                const std::vector<double>& low, const std::vector<double>& high,
                                const QString& axisLabel) {
  QVector<double> x, y, minus, plus;
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (qsizetype i = 0; i < names.size(); ++i) {
    x << double(i + 1);
    y << value[size_t(i)];
    minus << std::max(0.0, value[size_t(i)] - low[size_t(i)]);
    plus << std::max(0.0, high[size_t(i)] - value[size_t(i)]);
    ticker->addTick(double(i + 1), names[i]);
  }
  plot_->graph(0)->setData(x, y);
  if (auto* bars = qobject_cast<QCPErrorBars*>(plot_->plottable(1))) bars->setData(minus, plus);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(0.5, std::max<double>(1, double(names.size())) + 0.5);
  plot_->yAxis->setLabel(axisLabel);
  if (!names.isEmpty()) {
    double lo = *std::min_element(low.begin(), low.end()), hi = *std::max_element(high.begin(), high.end());
    const double margin = std::max(1e-6, (hi - lo) * 0.1);
    plot_->yAxis->setRange(lo - margin, hi + margin);
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace distillery::ui
