#include "eval/EvaluationPanel.h"

#include "eval/EvalJobPicker.h"
#include "eval/RegressionBar.h"
#include "store/Workspace.h"

#include <QtCore/QRegularExpression>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextBrowser>
#include <QtWidgets/QVBoxLayout>

#include <set>

namespace distillery::ui {

QString markDifferences(const QString& output, const QString& reference) {
  const bool spaced = output.contains(QLatin1Char(' ')) || reference.contains(QLatin1Char(' '));
  QStringList pieces, known;
  if (spaced) {
    static const QRegularExpression ws(QStringLiteral("(\\s+)"));
    pieces = output.split(QLatin1Char(' '));
    known = reference.split(ws, Qt::SkipEmptyParts);
  } else {
    for (const QChar c : output) pieces << QString(c);
    for (const QChar c : reference) known << QString(c);
  }
  const std::set<QString> ref(known.begin(), known.end());
  QStringList out;
  for (const QString& p : pieces) {
    const QString e = p.toHtmlEscaped();
    out << (p.trimmed().isEmpty() || ref.count(p.trimmed()) ? e : QStringLiteral("<mark>%1</mark>").arg(e));
  }
  return out.join(spaced ? QStringLiteral(" ") : QString());
}

EvaluationPanel::EvaluationPanel(QWidget* parent)
    : WorkspacePanel(parent),
      jobs_(new QComboBox(this)),
      metrics_(new EvalMetricsModel(this)),
      samples_(new EvalSamplesModel(this)),
      filter_(new EvalSamplesFilter(this)),
      metricsView_(new QTableView(this)),
      samplesView_(new QTableView(this)),
      search_(new QLineEdit(this)),
      disagree_(new QCheckBox(tr("Only where the models disagree"), this)),
      detail_(new QTextBrowser(this)),
      slices_(new SliceView(this)) {
  setObjectName(QStringLiteral("panel_evaluation"));
  jobs_->setObjectName(QStringLiteral("evalJob"));
  jobs_->setToolTip(tr("The evaluation job whose results are shown (distillery-cli eval or an Evaluation job)."));
  metricsView_->setObjectName(QStringLiteral("metricsTable"));
  metricsView_->setModel(metrics_);
  metricsView_->verticalHeader()->hide();
  metricsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  metricsView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  filter_->setSourceModel(samples_);
  samplesView_->setObjectName(QStringLiteral("samplesTable"));
  samplesView_->setModel(filter_);
  samplesView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  samplesView_->setSelectionMode(QAbstractItemView::SingleSelection);
  samplesView_->setWordWrap(true);
  samplesView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  search_->setObjectName(QStringLiteral("sampleSearch"));
  search_->setPlaceholderText(tr("Filter samples…"));
  search_->setClearButtonEnabled(true);
  search_->setToolTip(tr("Shows only samples whose input, reference or any output contains this text."));
  disagree_->setObjectName(QStringLiteral("onlyDisagreements"));
  disagree_->setToolTip(tr("Shows only samples where not all models gave the same answer."));
  detail_->setObjectName(QStringLiteral("sampleDetail"));
  detail_->setToolTip(tr("The selected sample: each model's answer, words that are not in the reference marked."));

  auto* top = new QHBoxLayout;
  auto* jobLabel = new QLabel(tr("&Evaluation job:"), this);
  jobLabel->setBuddy(jobs_);
  top->addWidget(jobLabel);
  top->addWidget(jobs_, 1);
  auto* filters = new QHBoxLayout;
  filters->addWidget(search_, 1);
  filters->addWidget(disagree_);
  auto* lower = new QWidget(this);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  lowerLayout->addLayout(filters);
  auto* split = new QSplitter(Qt::Horizontal, lower);
  split->addWidget(samplesView_);
  split->addWidget(detail_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  lowerLayout->addWidget(split, 1);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  vertical->addWidget(metricsView_);
  vertical->addWidget(lower);
  vertical->addWidget(slices_);
  vertical->setStretchFactor(1, 3);
  vertical->setStretchFactor(2, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Evaluation").toHtmlEscaped()), this));
  layout->addLayout(top);
  regression_ = new RegressionBar(this);
  layout->addWidget(regression_);
  layout->addWidget(vertical, 1);

  connect(jobs_, &QComboBox::currentIndexChanged, this, [this] { showJob(selectedJob(jobs_)); });
  connect(search_, &QLineEdit::textChanged, filter_, &EvalSamplesFilter::setText);
  connect(disagree_, &QCheckBox::toggled, filter_, &EvalSamplesFilter::setOnlyDisagreements);
  connect(samplesView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EvaluationPanel::showDetail);
}

void EvaluationPanel::setWorkspace(const Workspace* ws, JobRunner*) {
  if (ws) store_ = ws->store();
  else store_.reset();
  regression_->setStore(store_ ? &*store_ : nullptr);
  fillEvalJobs(jobs_, store_ ? &*store_ : nullptr);
  showJob(selectedJob(jobs_));
}

void EvaluationPanel::showJob(qint64 jobId) {
  QList<EvaluationRow> rows;
  std::vector<std::vector<EvalSampleRow>> samples;
  QStringList labels;
  if (store_ && jobId > 0) {
    const EvalStore evals(*store_);
    rows = evals.evaluations(jobId);
    for (const EvaluationRow& e : rows) {
      labels << e.modelLabel;
      samples.push_back(evals.samples(e.id, 0, 5000));  // a table of more rows is not read by anyone
    }
  }
  metrics_->setEvaluations(rows);
  samples_->setSamples(labels, samples);
  regression_->showJob(jobId);
  slices_->setEvaluations(store_, rows);
  detail_->clear();
}

QString EvaluationPanel::detailHtml(int row) const {
  if (row < 0 || row >= samples_->rowCount()) return {};
  const QString input = samples_->index(row, 0).data().toString();
  const QString reference = samples_->index(row, 1).data().toString();
  QString html = QStringLiteral("<style>mark{background:#ffd6a5}</style><p><b>%1</b><br/>%2</p><p><b>%3</b><br/>%4</p>")
                     .arg(tr("Input").toHtmlEscaped(), input.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br/>")),
                          tr("Reference").toHtmlEscaped(), reference.toHtmlEscaped());
  for (int m = 0; m < samples_->labels().size(); ++m) {
    const EvalSampleRow* s = samples_->sample(row, m);
    html += QStringLiteral("<p><b>%1</b><br/>%2</p>")
                .arg(samples_->labels()[m].toHtmlEscaped(),
                     s ? markDifferences(s->output, reference) : tr("(no answer)").toHtmlEscaped());
  }
  return html;
}

void EvaluationPanel::showDetail() {
  const QModelIndex current = samplesView_->currentIndex();
  detail_->setHtml(current.isValid() ? detailHtml(filter_->mapToSource(current).row()) : QString());
}

}  // namespace distillery::ui
