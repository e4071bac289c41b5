#include "rating/CreateStudyDialog.h"

#include "common/Error.h"
#include "eval/EvalStore.h"
#include "jobs/JobStore.h"
#include "store/StudySources.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <limits>

namespace distillery::ui {

CreateStudyDialog::CreateStudyDialog(const Store& store, QWidget* parent)
    : QDialog(parent),
      store_(store),
      name_(new QLineEdit(this)),
      kind_(new QComboBox(this)),
      fromFile_(new QRadioButton(tr("&JSONL file"), this)),
      file_(new QLineEdit(this)),
      fromJob_(new QRadioButton(tr("&Evaluation job"), this)),
      job_(new QComboBox(this)),
      models_(new QLineEdit(this)),
      samples_(new QSpinBox(this)),
      fixedSeed_(new QCheckBox(tr("Fi&xed seed"), this)),
      seed_(new QSpinBox(this)),
      shufflePerRater_(new QCheckBox(tr("Own item order for each rater"), this)),
      criteria_(new QTableWidget(0, 2, this)),
      minScore_(new QSpinBox(this)),
      maxScore_(new QSpinBox(this)),
      rubricBox_(new QGroupBox(tr("Rubric"), this)),
      error_(new QLabel(this)) {
  setWindowTitle(tr("New rating study"));
  setObjectName(QStringLiteral("createStudyDialog"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  name_->setObjectName(QStringLiteral("studyName"));
  name_->setToolTip(tr("Shown in the study list. Avoid model names here: raters see it."));
  form->addRow(tr("&Name:"), name_);
  kind_->setObjectName(QStringLiteral("studyKind"));
  kind_->addItem(tr("Rubric: score each output"), int(StudyKind::Rubric));
  kind_->addItem(tr("Pairwise: blind A/B between two outputs"), int(StudyKind::Pairwise));
  kind_->setToolTip(
      tr("Rubric: each output scored per criterion. Pairwise: two models' outputs side by side, sides "
         "shuffled, the rater picks the better one."));
  form->addRow(tr("&Kind:"), kind_);

  auto* fileRow = new QHBoxLayout;
  file_->setObjectName(QStringLiteral("sourceFile"));
  file_->setToolTip(tr("JSONL with one {\"prompt\": ..., \"outputs\": {\"model\": \"text\", ...}} per line."));
  auto* browse = new QPushButton(tr("&Browse…"), this);
  browse->setToolTip(tr("Choose the JSONL file of prompts and outputs."));
  fileRow->addWidget(file_, 1);
  fileRow->addWidget(browse);
  fromFile_->setChecked(true);
  fromFile_->setToolTip(tr("Items from a file of prompts with several models' outputs."));
  form->addRow(fromFile_, fileRow);
  job_->setObjectName(QStringLiteral("sourceJob"));
  job_->setToolTip(
      tr("The outputs an evaluation job stored, one evaluation per model; keeps the link to the "
         "per-sample metrics for the correlation."));
  fromJob_->setToolTip(job_->toolTip());
  for (const JobRow& j : JobStore(store_).list()) {
    if (j.kind != QLatin1String("eval")) continue;
    QStringList labels;
    for (const EvaluationRow& e : EvalStore(store_).evaluations(j.id)) labels << e.modelLabel;
    if (labels.isEmpty()) continue;
    job_->addItem(tr("#%1 %2 (%3)").arg(j.id).arg(j.name, labels.join(QStringLiteral(", "))), j.id);
  }
  form->addRow(fromJob_, job_);
  models_->setObjectName(QStringLiteral("sourceModels"));
  models_->setPlaceholderText(tr("all"));
  models_->setToolTip(tr("Only these models, comma-separated (JSONL output keys or evaluation labels); empty: all."));
  form->addRow(tr("&Models:"), models_);
  samples_->setRange(0, 1000000);
  samples_->setSpecialValueText(tr("all"));
  samples_->setToolTip(
      tr("Evaluation jobs: at most this many samples, a seeded random choice (0: all; typical "
         "30–200 for one sitting)."));
  form->addRow(tr("&Samples:"), samples_);
  auto* seedRow = new QHBoxLayout;
  seed_->setRange(0, std::numeric_limits<int>::max());
  seed_->setEnabled(false);
  seed_->setToolTip(
      tr("Seed of the item order and the A/B sides (any whole number); the same seed gives the same "
         "study."));
  fixedSeed_->setToolTip(tr("Off: a random seed, stored with the study."));
  seedRow->addWidget(fixedSeed_);
  seedRow->addWidget(seed_, 1);
  form->addRow(tr("Seed:"), seedRow);
  shufflePerRater_->setToolTip(tr("Each rater gets an own seeded order, so order effects average out."));
  form->addRow(QString(), shufflePerRater_);
  layout->addLayout(form);

  auto* rubricLayout = new QVBoxLayout(rubricBox_);
  criteria_->setObjectName(QStringLiteral("criteria"));
  criteria_->setHorizontalHeaderLabels({tr("Criterion"), tr("Weight")});
  criteria_->horizontalHeader()->setStretchLastSection(true);
  criteria_->verticalHeader()->hide();
  criteria_->setToolTip(
      tr("Criteria and weights (any non-negative numbers; divided by their sum). Default: relevance "
         "0.4, accuracy 0.3, readability 0.3."));
  for (const Criterion& c : Rubric::seed().criteria) addCriterion(c.name, c.weight);
  rubricLayout->addWidget(criteria_);
  auto* rubricButtons = new QHBoxLayout;
  auto* add = new QPushButton(tr("&Add criterion"), rubricBox_);
  add->setToolTip(tr("A new row; name it (letters, digits, _ or -) and give it a weight."));
  auto* remove = new QPushButton(tr("&Remove criterion"), rubricBox_);
  remove->setToolTip(tr("Removes the selected criterion."));
  minScore_->setRange(0, 9);
  minScore_->setValue(0);
  minScore_->setToolTip(tr("Lowest score (typical 0 or 1)."));
  maxScore_->setRange(1, 9);
  maxScore_->setValue(3);
  maxScore_->setToolTip(tr("Highest score (typical 3 or 5); raters type the digits."));
  rubricButtons->addWidget(add);
  rubricButtons->addWidget(remove);
  rubricButtons->addStretch(1);
  auto* minLabel = new QLabel(tr("Scale from"), rubricBox_);
  minLabel->setBuddy(minScore_);
  rubricButtons->addWidget(minLabel);
  rubricButtons->addWidget(minScore_);
  rubricButtons->addWidget(new QLabel(tr("to"), rubricBox_));
  rubricButtons->addWidget(maxScore_);
  rubricLayout->addLayout(rubricButtons);
  layout->addWidget(rubricBox_);

  error_->setObjectName(QStringLiteral("createError"));
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::accepted, this, &CreateStudyDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &CreateStudyDialog::reject);
  connect(browse, &QPushButton::clicked, this, &CreateStudyDialog::browse);
  connect(add, &QPushButton::clicked, this, [this] { addCriterion(QString(), 1.0); });
  connect(remove, &QPushButton::clicked, this, [this] {
    if (criteria_->currentRow() >= 0) criteria_->removeRow(criteria_->currentRow());
  });
  connect(kind_, &QComboBox::currentIndexChanged, this, &CreateStudyDialog::updateEnabled);
  connect(fromFile_, &QRadioButton::toggled, this, &CreateStudyDialog::updateEnabled);
  connect(fixedSeed_, &QCheckBox::toggled, seed_, &QSpinBox::setEnabled);
  updateEnabled();
}

void CreateStudyDialog::addCriterion(const QString& name, double weight) {
  const int row = criteria_->rowCount();
  criteria_->insertRow(row);
  criteria_->setItem(row, 0, new QTableWidgetItem(name));
  criteria_->setItem(row, 1, new QTableWidgetItem(QString::number(weight)));
}

void CreateStudyDialog::updateEnabled() {
  rubricBox_->setVisible(StudyKind(kind_->currentData().toInt()) == StudyKind::Rubric);
  file_->setEnabled(fromFile_->isChecked());
  job_->setEnabled(!fromFile_->isChecked());
  samples_->setEnabled(!fromFile_->isChecked());
  fromJob_->setEnabled(job_->count() > 0);
  if (job_->count() == 0) fromJob_->setToolTip(tr("No evaluation job with stored outputs in this workspace."));
}

void CreateStudyDialog::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Prompts and outputs"), file_->text(),
                                                    tr("JSON lines (*.jsonl *.json);;All files (*)"));
  if (!path.isEmpty()) file_->setText(path);
}

QString CreateStudyDialog::errorText() const { return error_->text(); }
void CreateStudyDialog::setName(const QString& name) { name_->setText(name); }
void CreateStudyDialog::setPairwise(bool pairwise) { kind_->setCurrentIndex(pairwise ? 1 : 0); }
void CreateStudyDialog::setJsonlFile(const QString& path) {
  fromFile_->setChecked(true);
  file_->setText(path);
}
void CreateStudyDialog::setEvaluationJob(qint64 jobId) {
  const int i = job_->findData(jobId);
  if (i < 0) return;
  job_->setCurrentIndex(i);
  fromJob_->setChecked(true);
}
void CreateStudyDialog::setSeed(quint64 seed) {
  fixedSeed_->setChecked(true);
  seed_->setValue(int(seed));
}

void CreateStudyDialog::accept() {
  error_->clear();
  try {
    StudySpec spec;
    spec.name = name_->text().trimmed();
    if (spec.name.isEmpty()) throw FormatError({}, tr("name"), QString(), tr("give the study a name"));
    spec.kind = StudyKind(kind_->currentData().toInt());
    if (spec.kind == StudyKind::Rubric) {
      Rubric rubric;
      rubric.minScore = minScore_->value();
      rubric.maxScore = maxScore_->value();
      for (int row = 0; row < criteria_->rowCount(); ++row) {
        const QString name = criteria_->item(row, 0) ? criteria_->item(row, 0)->text().trimmed() : QString();
        const QString weightText = criteria_->item(row, 1) ? criteria_->item(row, 1)->text().trimmed() : QString();
        bool ok = false;
        const double weight = weightText.toDouble(&ok);
        if (!ok) throw FormatError(tr("criterion %1").arg(row + 1), tr("weight"), weightText, tr("must be a number"));
        rubric.criteria.push_back({name, weight});
      }
      spec.rubric = rubric.normalised(tr("rubric"));
    }
    if (fixedSeed_->isChecked()) spec.seed = uint64_t(seed_->value());
    spec.shufflePerRater = shufflePerRater_->isChecked();
    ItemSourceOptions options;
    options.models = models_->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& m : options.models) m = m.trimmed();
    options.maxSamples = samples_->value();
    options.seed = spec.seed.value_or(0);
    ItemSource source;
    if (fromFile_->isChecked()) {
      if (file_->text().trimmed().isEmpty()) throw FormatError({}, tr("file"), QString(), tr("choose a JSONL file"));
      source = itemsFromJsonl(file_->text().trimmed(), spec.kind, options);
    } else {
      if (job_->currentIndex() < 0) throw FormatError({}, tr("job"), QString(), tr("choose an evaluation job"));
      source =
          itemsFromEvaluations(store_, evaluationsOfJob(store_, job_->currentData().toLongLong()), spec.kind, options);
    }
    spec.source = source.source;
    created_ = StudyStore(store_).create(spec, source.items);
  } catch (const Error& e) {
    error_->setText(e.message());
    return;
  }
  QDialog::accept();
}

}  // namespace distillery::ui
