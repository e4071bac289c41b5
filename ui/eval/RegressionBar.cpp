#include "eval/RegressionBar.h"

#include "common/Error.h"
#include "eval/BaselineStore.h"
#include "eval/EvalStore.h"
#include "eval/Regression.h"
#include "jobs/JobStore.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

RegressionBar::RegressionBar(QWidget* parent)
    : QWidget(parent),
      model_(new QComboBox(this)),
      set_(new QPushButton(tr("Set as &baseline"), this)),
      threshold_(new QDoubleSpinBox(this)),
      budget_(new QDoubleSpinBox(this)),
      badge_(new QLabel(this)) {
  model_->setObjectName(QStringLiteral("baselineModel"));
  model_->setToolTip(tr("The model of this job whose metrics become the task's baseline."));
  set_->setObjectName(QStringLiteral("setBaseline"));
  set_->setToolTip(tr("Makes the chosen model's metrics the baseline of this job's task (the evaluated dataset); "
                      "later evaluations of the task are compared with it."));
  threshold_->setObjectName(QStringLiteral("regressionThreshold"));
  threshold_->setRange(0, 99);
  threshold_->setDecimals(1);
  threshold_->setSuffix(QStringLiteral(" %"));
  threshold_->setValue(5);
  threshold_->setToolTip(tr("A metric more than this far below the baseline, relative to it, is a regression "
                            "(typical 1–10 %, default 5 %)."));
  budget_->setObjectName(QStringLiteral("latencyBudget"));
  budget_->setRange(0, 1e6);
  budget_->setDecimals(0);
  budget_->setSuffix(tr(" ms"));
  budget_->setSpecialValueText(tr("no budget"));
  budget_->setToolTip(tr("Flags a model whose p99 time to the first token exceeds this many milliseconds (0: not "
                         "checked; typical 100–2000 ms)."));
  badge_->setObjectName(QStringLiteral("regressionBadge"));
  badge_->setWordWrap(true);
  badge_->setTextFormat(Qt::RichText);
  badge_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(0, 0, 0, 0);
  auto* modelLabel = new QLabel(tr("Baseline &model:"), this);
  modelLabel->setBuddy(model_);
  auto* thresholdLabel = new QLabel(tr("Regression &threshold:"), this);
  thresholdLabel->setBuddy(threshold_);
  auto* budgetLabel = new QLabel(tr("p99 &latency budget:"), this);
  budgetLabel->setBuddy(budget_);
  controls->addWidget(modelLabel);
  controls->addWidget(model_);
  controls->addWidget(set_);
  controls->addSpacing(12);
  controls->addWidget(thresholdLabel);
  controls->addWidget(threshold_);
  controls->addWidget(budgetLabel);
  controls->addWidget(budget_);
  controls->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(badge_);

  connect(set_, &QPushButton::clicked, this, &RegressionBar::setBaseline);
  connect(threshold_, &QDoubleSpinBox::valueChanged, this, &RegressionBar::check);
  connect(budget_, &QDoubleSpinBox::valueChanged, this, &RegressionBar::check);
  showJob(0);
}

void RegressionBar::setStore(const Store* store) {
  if (store) store_ = *store;
  else store_.reset();
}

void RegressionBar::showJob(qint64 jobId) {
  jobId_ = jobId;
  task_.clear();
  model_->clear();
  if (store_ && jobId > 0) {
    if (const std::optional<JobRow> job = JobStore(*store_).find(jobId)) task_ = defaultEvalTask(job->config, jobId);
    for (const EvaluationRow& e : EvalStore(*store_).evaluations(jobId)) model_->addItem(e.modelLabel);
  }
  set_->setEnabled(model_->count() > 0);
  check();
}

QString RegressionBar::badgeText() const { return badge_->text(); }

void RegressionBar::check() {
  flagged_ = false;
  badge_->setStyleSheet(QString());
  if (!store_ || jobId_ <= 0 || model_->count() == 0) {
    badge_->clear();
    return;
  }
  const std::optional<Baseline> base = BaselineStore(*store_).find(task_);
  if (!base) {
    badge_->setText(tr("No baseline for task %1 yet: set one to be warned of regressions.").arg(task_));
    return;
  }
  RegressionRule rule;
  rule.threshold = threshold_->value() / 100.0;
  if (budget_->value() > 0) rule.latencyBudgetMs = budget_->value();
  QStringList lines;
  for (const EvaluationRow& e : EvalStore(*store_).evaluations(jobId_))
    for (const RegressionFinding& f : findRegressions(task_, e.modelLabel, base->metrics, e.metrics, rule))
      lines << f.message().toHtmlEscaped();
  const QString source = tr("baseline: model %1 of job %2").arg(base->modelLabel).arg(base->jobId);
  if (lines.isEmpty()) {
    badge_->setStyleSheet(QStringLiteral("QLabel { color: #1b5e20; }"));
    badge_->setText(tr("No regression against the baseline of task %1 (%2).").arg(task_, source).toHtmlEscaped());
    return;
  }
  flagged_ = true;
  badge_->setStyleSheet(QStringLiteral("QLabel { background: #c62828; color: white; padding: 4px; border-radius: 3px; }"));
  badge_->setText(QStringLiteral("<b>%1</b> (%2)<br/>%3")
                      .arg(tr("Regression").toHtmlEscaped(), source.toHtmlEscaped(), lines.join(QStringLiteral("<br/>"))));
}

void RegressionBar::setBaseline() {
  if (!store_ || jobId_ <= 0 || model_->currentText().isEmpty()) return;
  try {
    BaselineStore(*store_).setFromJob(task_, jobId_, model_->currentText());
  } catch (const Error& e) {
    badge_->setText(e.message().toHtmlEscaped());
    return;
  }
  check();
  Q_EMIT baselineSet(task_);
}

}  // namespace distillery::ui
