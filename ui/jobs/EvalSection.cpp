#include "jobs/EvalSection.h"

#include "common/Error.h"
#include "jobs/FormFields.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <limits>

namespace distillery::ui {
namespace {

constexpr int kMaxInt = std::numeric_limits<int>::max();
// The task and metric names core accepts (core/train/JobSpec.cpp), in the order the README lists them.
const QStringList kTasks = {QStringLiteral("perplexity"), QStringLiteral("next_token_accuracy"),
                            QStringLiteral("multiple_choice"), QStringLiteral("generation")};
const QStringList kMetrics = {QStringLiteral("exact_match"), QStringLiteral("token_f1"), QStringLiteral("bleu"),
                              QStringLiteral("chrf"), QStringLiteral("rouge")};

}  // namespace

EvalSection::EvalSection(QWidget* parent) : QWidget(parent), workspaceMenu_(new QMenu(this)) {
  setObjectName(QStringLiteral("pageEval"));
  auto* form = new QFormLayout(this);

  models_ = new QTableWidget(0, 3, this);
  models_->setObjectName(QStringLiteral("models"));
  models_->setHorizontalHeaderLabels({tr("Label"), tr("Model folder"), tr("LoRA adapter (optional)")});
  models_->horizontalHeader()->setSectionResizeMode(Path, QHeaderView::Stretch);
  models_->setSelectionBehavior(QAbstractItemView::SelectRows);
  models_->setToolTip(
      tr("The models every task is run on: a unique label (results are stored under it), a model folder (full "
         "precision or written by quantize) and optionally a LoRA adapter folder applied on top. Usually 2–5."));
  models_->setMaximumHeight(180);
  auto* fromWorkspace = new QPushButton(tr("From wor&kspace"), this);
  fromWorkspace->setObjectName(QStringLiteral("addWorkspaceModel"));
  fromWorkspace->setToolTip(tr("Adds one of the models registered in the workspace (Models panel)."));
  fromWorkspace->setMenu(workspaceMenu_);
  connect(workspaceMenu_, &QMenu::aboutToShow, this, [this] { workspaceMenu(); });
  auto* folder = new QPushButton(tr("Add &folder…"), this);
  folder->setToolTip(tr("Adds a model folder (Hugging Face layout, or one written by quantize)."));
  connect(folder, &QPushButton::clicked, this, &EvalSection::addFolder);
  auto* adapter = new QPushButton(tr("A&dapter…"), this);
  adapter->setToolTip(tr("Sets the LoRA adapter folder of the selected model."));
  connect(adapter, &QPushButton::clicked, this, &EvalSection::pickAdapter);
  auto* remove = new QPushButton(tr("Remo&ve"), this);
  remove->setToolTip(tr("Removes the selected model from the evaluation."));
  connect(remove, &QPushButton::clicked, this, [this] {
    if (models_->currentRow() >= 0) models_->removeRow(models_->currentRow());
  });
  auto* buttons = new QHBoxLayout;
  for (QPushButton* b : {fromWorkspace, folder, adapter, remove}) buttons->addWidget(b);
  buttons->addStretch(1);
  auto* modelsBox = new QWidget(this);
  auto* modelsLayout = new QVBoxLayout(modelsBox);
  modelsLayout->setContentsMargins(0, 0, 0, 0);
  modelsLayout->addWidget(models_);
  modelsLayout->addLayout(buttons);
  auto* modelsLabel = new QLabel(tr("&Models:"), this);
  modelsLabel->setBuddy(models_);
  form->addRow(modelsLabel, modelsBox);
  connect(models_, &QTableWidget::itemChanged, this, &EvalSection::refreshBaselines);
  connect(models_->model(), &QAbstractItemModel::rowsRemoved, this, &EvalSection::refreshBaselines);

  tasks_ = checkList(QStringLiteral("eval.tasks"), kTasks,
                     tr("What is measured: perplexity and next-token accuracy over sliding windows, multiple-choice "
                        "accuracy, generation scored by the metrics below (generation and multiple choice need a "
                        "format with prompts)."));
  auto* tasksLabel = new QLabel(tr("T&asks:"), this);
  tasksLabel->setBuddy(tasks_);
  form->addRow(tasksLabel, tasks_);
  metrics_ = checkList(QStringLiteral("eval.metrics"), kMetrics,
                       tr("Scores of the generated answers: exact_match and token_f1 (SQuAD), bleu (sacreBLEU 13a), "
                          "chrf, rouge (ROUGE-1/2/L F). Usually all five."));
  auto* metricsLabel = new QLabel(tr("M&etrics:"), this);
  metricsLabel->setBuddy(metrics_);
  form->addRow(metricsLabel, metrics_);

  maxNewTokens_ = addIntField(form, QStringLiteral("eval.max_new_tokens"), tr("Max &new tokens:"), 0, 1 << 20,
                              tr("Generation: new tokens per answer at most (greedy), ≥ 1; typical 32–256."));
  maxSamples_ = addIntField(form, QStringLiteral("eval.max_samples"), tr("Max sam&ples:"), 0, kMaxInt,
                            tr("Scores only the first N rows of the test set (0: all); typical 100–1000 for a quick "
                               "look."));
  seqLen_ = addIntField(form, QStringLiteral("eval.seq_len"), tr("Window &length:"), 0, 1 << 20,
                        tr("Perplexity/accuracy: tokens per window, ≥ 2; typical 256–2048."));
  stride_ = addIntField(form, QStringLiteral("eval.stride"), tr("Window st&ride:"), 0, 1 << 20,
                        tr("Perplexity/accuracy: tokens the window moves by, 1..window length; typical half the "
                           "window."));
  choicesField_ = addTextField(form, QStringLiteral("eval.choices_field"), tr("&Choices field:"),
                               tr("Multiple choice: the row field holding the candidate answers (a list of strings); "
                                  "usually choices."));
  answerField_ = addTextField(form, QStringLiteral("eval.answer_field"), tr("Ans&wer field:"),
                              tr("Multiple choice: the row field with the right answer (its 0-based index or its "
                                 "text); usually answer."));
  baseline_ = addChoiceField(form, QStringLiteral("eval.baseline"), tr("&Baseline:"), {},
                             tr("The reference model (one of the labels) others are compared with: KLD, same top-1, "
                                "accuracy drop. None: no comparison."));
  baseline_->addItem(tr("(none)"), QString());
  maxAccuracyDrop_ = addNumberField(form, QStringLiteral("eval.max_accuracy_drop"), tr("Max accurac&y drop:"), 0, 1,
                                    0.005,
                                    tr("Pass rule against the baseline: accuracy may fall by at most this (absolute, "
                                       "0–1); typical 0.02."));
  dtype_ = addChoiceField(form, QStringLiteral("eval.dtype"), tr("D&type:"),
                          {QStringLiteral("auto"), QStringLiteral("float32"), QStringLiteral("bfloat16")},
                          tr("auto: float32 on the CPU, bfloat16 on CUDA."));
  setEval({}, EvalSpec{});
}

QListWidget* EvalSection::checkList(const QString& key, const QStringList& items, const QString& tooltip) {
  auto* list = new QListWidget(this);
  list->setObjectName(key);
  list->setToolTip(tooltip);
  for (const QString& name : items) {
    auto* item = new QListWidgetItem(name, list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  list->setMaximumHeight(list->sizeHintForRow(0) * int(items.size() + 1) + 2 * list->frameWidth());
  return list;
}

QStringList EvalSection::checked(const QListWidget* list) {
  QStringList out;
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked) out.append(list->item(i)->text());
  return out;
}

void EvalSection::setChecked(QListWidget* list, const QStringList& names) {
  for (int i = 0; i < list->count(); ++i)
    list->item(i)->setCheckState(names.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

void EvalSection::setWorkspace(const Workspace* ws) { ws_ = ws; }

void EvalSection::setEval(const std::vector<EvalModelSpec>& models, const EvalSpec& e) {
  models_->setRowCount(0);
  for (const EvalModelSpec& m : models) {
    const int row = models_->rowCount();
    models_->insertRow(row);
    models_->setItem(row, Label, new QTableWidgetItem(m.label));
    models_->setItem(row, Path, new QTableWidgetItem(m.path));
    models_->setItem(row, Adapter, new QTableWidgetItem(m.adapter));
  }
  refreshBaselines();
  setChecked(tasks_, e.tasks);
  setChecked(metrics_, e.metrics);
  maxNewTokens_->setValue(int(std::min<int64_t>(e.maxNewTokens, 1 << 20)));
  maxSamples_->setValue(int(std::min<int64_t>(e.maxSamples, kMaxInt)));
  seqLen_->setValue(int(std::min<int64_t>(e.seqLen, 1 << 20)));
  stride_->setValue(int(std::min<int64_t>(e.stride, 1 << 20)));
  choicesField_->setText(e.choicesField);
  answerField_->setText(e.answerField);
  // A baseline that is not a label stays shown, so validation names it.
  if (baseline_->findData(e.baseline) < 0) baseline_->addItem(e.baseline, e.baseline);
  baseline_->setCurrentIndex(baseline_->findData(e.baseline));
  maxAccuracyDrop_->setValue(e.maxAccuracyDrop);
  dtype_->setCurrentText(e.dtype);
}

std::vector<EvalModelSpec> EvalSection::models() const {
  std::vector<EvalModelSpec> out;
  for (int row = 0; row < models_->rowCount(); ++row)
    out.push_back({cell(models_, row, Label), cell(models_, row, Path), cell(models_, row, Adapter)});
  return out;
}

EvalSpec EvalSection::eval() const {
  EvalSpec e;
  e.tasks = checked(tasks_);
  e.metrics = checked(metrics_);
  e.maxNewTokens = maxNewTokens_->value();
  e.maxSamples = maxSamples_->value();
  e.seqLen = seqLen_->value();
  e.stride = stride_->value();
  e.choicesField = choicesField_->text().trimmed();
  e.answerField = answerField_->text().trimmed();
  e.baseline = baseline_->currentData().toString();
  e.maxAccuracyDrop = maxAccuracyDrop_->value();
  e.dtype = dtype_->currentText();
  return e;
}

QStringList EvalSection::labels() const {
  QStringList out;
  for (int row = 0; row < models_->rowCount(); ++row) out.append(cell(models_, row, Label));
  return out;
}

void EvalSection::addModel(QString label, const QString& path, const QString& adapter) {
  const QStringList taken = labels();
  if (label.trimmed().isEmpty()) label = QFileInfo(QDir::cleanPath(path)).fileName();
  const QString stem = label.trimmed();
  label = stem;
  for (int n = 2; taken.contains(label); ++n) label = stem + QStringLiteral("-%1").arg(n);
  const int row = models_->rowCount();
  models_->insertRow(row);
  models_->setItem(row, Label, new QTableWidgetItem(label));
  models_->setItem(row, Path, new QTableWidgetItem(path));
  models_->setItem(row, Adapter, new QTableWidgetItem(adapter));
  models_->setCurrentCell(row, Label);
}

QMenu* EvalSection::workspaceMenu() {
  workspaceMenu_->clear();
  std::vector<ModelRow> rows;
  QString problem;
  if (!ws_) {
    problem = tr("No workspace is open.");
  } else {
    try {
      rows = ModelStore(ws_->store()).list();
    } catch (const Error& e) {
      problem = e.message();
    }
    if (rows.empty() && problem.isEmpty()) problem = tr("No models registered (add them in the Models panel).");
  }
  if (!problem.isEmpty()) {
    workspaceMenu_->addAction(problem)->setEnabled(false);
    return workspaceMenu_;
  }
  for (const ModelRow& row : rows) {
    const QString architecture = row.architecture.isEmpty() ? tr("unknown") : row.architecture;
    QAction* action = workspaceMenu_->addAction(tr("%1 (%2, %3)").arg(row.name, roleName(row.role), architecture));
    action->setToolTip(row.path);
    const QString name = row.name, path = row.path;
    connect(action, &QAction::triggered, this, [this, name, path] { addModel(name, path); });
  }
  return workspaceMenu_;
}

void EvalSection::refreshBaselines() {
  const QString current = baseline_->currentData().toString();
  const QSignalBlocker block(baseline_);
  baseline_->clear();
  baseline_->addItem(tr("(none)"), QString());
  for (const QString& label : labels())
    if (!label.isEmpty() && baseline_->findData(label) < 0) baseline_->addItem(label, label);
  if (baseline_->findData(current) < 0) baseline_->addItem(current, current);  // renamed away: validation says so
  baseline_->setCurrentIndex(baseline_->findData(current));
  // Signals stay blocked: the table edit that led here already makes the form re-validate.
}

void EvalSection::addFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"));
  if (!dir.isEmpty()) addModel(QString(), dir);
}

void EvalSection::pickAdapter() {
  const int row = models_->currentRow();
  if (row < 0) return;
  const QString dir = QFileDialog::getExistingDirectory(this, tr("LoRA adapter folder"), cell(models_, row, Path));
  if (!dir.isEmpty()) models_->setItem(row, Adapter, new QTableWidgetItem(dir));
}

}  // namespace distillery::ui
