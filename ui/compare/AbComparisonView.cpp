#include "compare/AbComparisonView.h"

#include "common/Error.h"
#include "eval/AbSources.h"
#include "eval/EvalStore.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>

#include <cmath>
#include <set>

namespace distillery::ui {

AbComparisonView::AbComparisonView(QWidget* parent)
    : QWidget(parent),
      a_(new QComboBox(this)),
      b_(new QComboBox(this)),
      metric_(new QComboBox(this)),
      lowerIsBetter_(new QCheckBox(tr("&Lower is better"), this)),
      run_(new QPushButton(tr("&Is B better?"), this)),
      verdict_(new QLabel(this)),
      numbers_(new QLabel(this)) {
  a_->setObjectName(QStringLiteral("abModelA"));
  a_->setToolTip(tr("Model A, the reference of the comparison."));
  b_->setObjectName(QStringLiteral("abModelB"));
  b_->setToolTip(tr("Model B: the comparison says how likely B beats A."));
  metric_->setObjectName(QStringLiteral("abMetric"));
  metric_->setToolTip(tr("The per-sample score compared: B wins a sample when its score is better, ties are left out "
                         "of the win rate."));
  lowerIsBetter_->setToolTip(tr("Check for scores where lower wins (perplexity, latency)."));
  run_->setObjectName(QStringLiteral("abCompare"));
  run_->setToolTip(tr("Computes P(B beats A) from a Beta(1, 1) prior, the 95 % credible interval, the exact sign "
                      "test and a bootstrap interval."));
  verdict_->setObjectName(QStringLiteral("abVerdict"));
  verdict_->setWordWrap(true);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  numbers_->setObjectName(QStringLiteral("abNumbers"));
  numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  const std::pair<QString, QWidget*> rows[] = {{tr("Model &A:"), a_}, {tr("Model &B:"), b_}, {tr("&Score:"), metric_}};
  int r = 0;
  for (const auto& [text, w] : rows) {
    auto* label = new QLabel(text, this);
    label->setBuddy(w);
    grid->addWidget(label, r, 0);
    grid->addWidget(w, r++, 1);
  }
  grid->addWidget(lowerIsBetter_, r, 0);
  grid->addWidget(run_, r++, 1);
  grid->addWidget(verdict_, r++, 0, 1, 2);
  grid->addWidget(numbers_, r, 0, 1, 2);
  connect(run_, &QPushButton::clicked, this, [this] { compare(); });
  showJob(0);
}

void AbComparisonView::setStore(const Store* store) {
  if (store) store_ = *store;
  else store_.reset();
}

void AbComparisonView::showJob(qint64 jobId) {
  jobId_ = jobId;
  a_->clear();
  b_->clear();
  metric_->clear();
  verdict_->clear();
  numbers_->clear();
  if (store_ && jobId > 0) {
    const EvalStore evals(*store_);
    std::set<QString> scores;
    for (const EvaluationRow& e : evals.evaluations(jobId)) {
      a_->addItem(e.modelLabel);
      b_->addItem(e.modelLabel);
      for (const EvalSampleRow& s : evals.samples(e.id, 0, 50))  // the keys, from the first samples
        for (auto it = s.scores.begin(); it != s.scores.end(); ++it)
          if (it->isDouble() && it.key() != QLatin1String("line")) scores.insert(it.key());
    }
    for (const QString& s : scores) metric_->addItem(s);
    if (b_->count() > 1) b_->setCurrentIndex(1);
    const int exact = metric_->findText(QStringLiteral("exact_match"));
    if (exact >= 0) metric_->setCurrentIndex(exact);
  }
  run_->setEnabled(a_->count() > 1 && metric_->count() > 0);
}

bool AbComparisonView::compare() {
  if (!store_ || jobId_ <= 0 || a_->currentText().isEmpty() || metric_->currentText().isEmpty()) return false;
  try {
    const AbCounts counts = evaluationPairCounts(EvalStore(*store_), jobId_, a_->currentText(), b_->currentText(),
                                                 metric_->currentText(), lowerIsBetter_->isChecked());
    showComparison(compareAB(counts), a_->currentText(), b_->currentText());
    return true;
  } catch (const Error& e) {
    verdict_->setText(e.message());
    numbers_->clear();
    return false;
  }
}

void AbComparisonView::showComparison(const AbComparison& c, const QString& a, const QString& b) {
  verdict_->setText(c.verdict(a, b));
  auto num = [](double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 3); };
  numbers_->setText(tr("B wins %1, A wins %2, ties %3 · P(B better) %4 · credible interval %5–%6 · sign test p %7 · "
                       "bootstrap interval %8–%9")
                        .arg(c.counts.bWins)
                        .arg(c.counts.aWins)
                        .arg(c.counts.ties)
                        .arg(num(c.probBBetter), num(c.credibleLow), num(c.credibleHigh), num(c.signTestP),
                             num(c.bootstrapLow), num(c.bootstrapHigh)));
}

QString AbComparisonView::verdictText() const { return verdict_->text(); }

}  // namespace distillery::ui
