#include "eval/SliceView.h"

#include <QtCore/QSignalBlocker>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

QTableView* table(QAbstractItemModel* model, const QString& name, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setObjectName(name);
  view->setModel(model);
  view->verticalHeader()->hide();
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return view;
}

}  // namespace

SliceView::SliceView(QWidget* parent)
    : QWidget(parent),
      models_(new QComboBox(this)),
      fields_(new QComboBox(this)),
      minSize_(new QSpinBox(this)),
      status_(new QLabel(this)),
      slices_(new SliceTableModel(this)),
      robustness_(new RobustnessModel(this)) {
  models_->setObjectName(QStringLiteral("sliceModel"));
  models_->setToolTip(tr("The model whose results are broken down by slice."));
  fields_->setObjectName(QStringLiteral("sliceField"));
  fields_->setToolTip(
      tr("The dataset field the results are broken down by (group, domain, language…): one row "
         "per value; rows without it form the “(missing)” slice."));
  minSize_->setObjectName(QStringLiteral("sliceMinSize"));
  minSize_->setRange(1, 1000000);
  minSize_->setValue(10);
  minSize_->setToolTip(
      tr("Slices with fewer samples are greyed as too small to judge and are not candidates for "
         "the largest gap. Typically 10–30."));
  status_->setObjectName(QStringLiteral("sliceStatus"));
  status_->setWordWrap(true);
  sliceTable_ = table(slices_, QStringLiteral("sliceTable"), this);
  sliceTable_->setToolTip(
      tr("Each metric over the slice, its gap to the overall value in brackets; the largest gap "
         "of each metric is highlighted."));
  robustnessTable_ = table(robustness_, QStringLiteral("robustnessTable"), this);
  robustnessTable_->setToolTip(
      tr("Accuracy with the prompts perturbed (eval.perturbations) against the clean "
         "prompts; drops in red."));

  auto* controls = new QHBoxLayout;
  auto* modelLabel = new QLabel(tr("&Model:"), this);
  modelLabel->setBuddy(models_);
  auto* fieldLabel = new QLabel(tr("Slice &by:"), this);
  fieldLabel->setBuddy(fields_);
  auto* minLabel = new QLabel(tr("Small &below:"), this);
  minLabel->setBuddy(minSize_);
  controls->addWidget(modelLabel);
  controls->addWidget(models_, 1);
  controls->addWidget(fieldLabel);
  controls->addWidget(fields_, 1);
  controls->addWidget(minLabel);
  controls->addWidget(minSize_);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(sliceTable_);
  split->addWidget(robustnessTable_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(status_);
  layout->addWidget(split, 1);
  setTabOrder(models_, fields_);
  setTabOrder(fields_, minSize_);
  setTabOrder(minSize_, sliceTable_);
  setTabOrder(sliceTable_, robustnessTable_);

  connect(models_, &QComboBox::currentIndexChanged, this, &SliceView::loadModel);
  connect(fields_, &QComboBox::currentIndexChanged, this, &SliceView::recompute);
  connect(minSize_, &QSpinBox::valueChanged, this, &SliceView::recompute);
}

void SliceView::setEvaluations(const std::optional<Store>& store, const QList<EvaluationRow>& rows) {
  store_ = store;
  rows_ = rows;
  robustness_->setEvaluations(rows);
  robustnessTable_->setVisible(robustness_->rowCount() > 0);
  {
    const QSignalBlocker block(models_);
    models_->clear();
    for (const EvaluationRow& e : rows) models_->addItem(e.modelLabel, e.id);
  }
  // The job's own settings, when it sliced: its field and small-slice size.
  for (const EvaluationRow& e : rows) {
    const QJsonObject slices = e.metrics.value(QStringLiteral("slices")).toObject();
    if (slices.isEmpty()) continue;
    const QSignalBlocker block(minSize_);
    minSize_->setValue(int(slices.begin()->toObject().value(QStringLiteral("min_size")).toInteger(10)));
    break;
  }
  loadModel();
}

void SliceView::loadModel() {
  samples_.clear();
  const int at = models_->currentIndex();
  if (store_ && at >= 0 && at < rows_.size()) samples_ = EvalStore(*store_).samples(rows_[at].id);
  const QString previous = fields_->currentText();
  QString preferred = previous;
  if (preferred.isEmpty() && at >= 0 && at < rows_.size()) {
    const QJsonObject slices = rows_[at].metrics.value(QStringLiteral("slices")).toObject();
    if (!slices.isEmpty()) preferred = slices.begin().key();
  }
  {
    const QSignalBlocker block(fields_);
    fields_->clear();
    fields_->addItems(sliceFieldNames(samples_));
    const int i = fields_->findText(preferred);
    fields_->setCurrentIndex(i >= 0 ? i : (fields_->count() > 0 ? 0 : -1));
  }
  recompute();
}

void SliceView::recompute() {
  const QString field = fields_->currentText();
  if (samples_.empty() || field.isEmpty()) {
    slices_->clear();
    status_->setText(rows_.isEmpty() ? QString()
                     : samples_.empty()
                         ? tr("This model has no stored samples to break down.")
                         : tr("The evaluated rows have no fields to slice by (add e.g. a \"group\" field to the "
                              "dataset rows)."));
    return;
  }
  try {
    SliceOptions o;
    o.minSize = minSize_->value();
    o.source = models_->currentText();
    const SliceReport r = computeSlices(samples_, field, o);
    slices_->setReport(r);
    QStringList gaps;
    for (const QString& m : r.metrics)
      if (r.largestGap.contains(m)) {
        const Slice& s = r.slices[size_t(r.largestGap.value(m))];
        gaps << tr("%1: %2 (%3)").arg(m, s.value, formatSliceValue(m, s.gaps.value(m), true));
      }
    status_->setText(gaps.isEmpty() ? QString() : tr("Largest gaps — %1").arg(gaps.join(QStringLiteral("; "))));
  } catch (const std::exception& e) {
    slices_->clear();
    status_->setText(QString::fromUtf8(e.what()));
  }
}

QString SliceView::statusText() const { return status_->text(); }

}  // namespace distillery::ui
