#include "compare/SliceCompareView.h"

#include <QtCore/QSignalBlocker>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

SliceCompareView::SliceCompareView(QWidget* parent)
    : QWidget(parent),
      fields_(new QComboBox(this)),
      metrics_(new QComboBox(this)),
      status_(new QLabel(this)),
      model_(new SliceCompareModel(this)) {
  fields_->setObjectName(QStringLiteral("compareSliceField"));
  fields_->setToolTip(tr("The dataset field the models' results are broken down by (group, domain, language…)."));
  metrics_->setObjectName(QStringLiteral("compareSliceMetric"));
  metrics_->setToolTip(
      tr("The metric compared per slice (accuracies 0–1, BLEU/chrF 0–100, perplexity lower is "
         "better)."));
  status_->setObjectName(QStringLiteral("compareSliceStatus"));
  status_->setWordWrap(true);
  auto* view = new QTableView(this);
  view->setObjectName(QStringLiteral("compareSlices"));
  view->setModel(model_);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view->setToolTip(
      tr("Each model's value per slice, its gap to its own overall value in brackets; each model's "
         "largest gap highlighted, small slices greyed."));
  auto* controls = new QHBoxLayout;
  auto* fieldLabel = new QLabel(tr("Slice b&y:"), this);
  fieldLabel->setBuddy(fields_);
  auto* metricLabel = new QLabel(tr("Me&tric:"), this);
  metricLabel->setBuddy(metrics_);
  controls->addWidget(fieldLabel);
  controls->addWidget(fields_, 1);
  controls->addWidget(metricLabel);
  controls->addWidget(metrics_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(status_);
  layout->addWidget(view, 1);
  connect(fields_, &QComboBox::currentIndexChanged, this, &SliceCompareView::recompute);
  connect(metrics_, &QComboBox::currentIndexChanged, this, &SliceCompareView::recompute);
}

void SliceCompareView::setEvaluations(const std::optional<Store>& store, const QList<EvaluationRow>& rows) {
  labels_.clear();
  samples_.clear();
  QStringList fields;
  for (const EvaluationRow& e : rows) {
    labels_ << e.modelLabel;
    samples_.push_back(store ? EvalStore(*store).samples(e.id) : std::vector<EvalSampleRow>{});
    for (const QString& f : sliceFieldNames(samples_.back()))
      if (!fields.contains(f)) fields << f;
  }
  fields.sort();
  const QString previous = fields_->currentText();
  {
    const QSignalBlocker block(fields_);
    fields_->clear();
    fields_->addItems(fields);
    const int i = fields_->findText(previous);
    fields_->setCurrentIndex(i >= 0 ? i : (fields.isEmpty() ? -1 : 0));
  }
  recompute();
}

void SliceCompareView::recompute() {
  const QString field = fields_->currentText();
  std::vector<SliceReport> reports;
  QStringList labels, metrics;
  status_->clear();
  if (!field.isEmpty()) {
    for (size_t i = 0; i < samples_.size(); ++i) {
      if (samples_[i].empty()) continue;
      try {
        SliceOptions o;
        o.source = labels_[qsizetype(i)];
        reports.push_back(computeSlices(samples_[i], field, o));
        labels << labels_[qsizetype(i)];
        for (const QString& m : reports.back().metrics)
          if (!metrics.contains(m)) metrics << m;
      } catch (const std::exception& e) {
        // A model whose rows lack the field (another dataset) is left out, and said so.
        status_->setText(status_->text() + QString::fromUtf8(e.what()) + QLatin1Char('\n'));
      }
    }
  }
  const QString metric = metrics_->currentText();
  {
    const QSignalBlocker block(metrics_);
    metrics_->clear();
    metrics_->addItems(metrics);
    const int i = metrics_->findText(metric);
    metrics_->setCurrentIndex(i >= 0 ? i : (metrics.isEmpty() ? -1 : 0));
  }
  if (reports.empty()) {
    model_->setReports({}, {}, {});
    if (status_->text().isEmpty() && !samples_.empty())
      status_->setText(tr("The evaluated rows have no fields to slice by."));
    return;
  }
  model_->setReports(labels, reports, metrics_->currentText());
}

}  // namespace distillery::ui
