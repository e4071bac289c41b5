#include "jobs/JobForm.h"

#include "checkpoint/LinearModules.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "jobs/AdvancedTraining.h"
#include "jobs/CollapsibleSection.h"
#include "jobs/DistillSection.h"
#include "jobs/EvalSection.h"
#include "jobs/FormFields.h"
#include "jobs/QuantizeSection.h"
#include "jobs/SchedulePreview.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <limits>

namespace distillery::ui {
namespace {

constexpr int kMaxInt = std::numeric_limits<int>::max();
const QString kAllLinear = QStringLiteral("all-linear");
// Columns of the sweep parameters table: a row has grid values, or a min..max range for TPE.
enum SweepColumn { SweepKey, SweepValues, SweepMin, SweepMax, SweepLog, SweepInteger, SweepColumns };

QTableWidgetItem* checkItem(bool on) {
  auto* item = new QTableWidgetItem;
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
  item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
  return item;
}

bool isChecked(const QTableWidget* table, int row, int column) {
  const QTableWidgetItem* item = table->item(row, column);
  return item && item->checkState() == Qt::Checked;
}

// Adds `page` as a scrollable tab; returns the tab's widget (the scroll area).
QWidget* addScrollTab(QTabWidget* tabs, QWidget* page, const QString& title) {
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(page);
  tabs->addTab(scroll, title);
  return scroll;
}

// A scrollable tab page holding one form layout.
QFormLayout* addPage(QTabWidget* tabs, const QString& title, const QString& objectName) {
  auto* page = new QWidget;
  page->setObjectName(objectName);
  auto* form = new QFormLayout(page);
  addScrollTab(tabs, page, title);
  return form;
}

}  // namespace

JobForm::JobForm(QWidget* parent) : QWidget(parent), tabs_(new QTabWidget(this)), updateTimer_(new QTimer(this)) {
  setObjectName(QStringLiteral("jobForm"));
  tabs_->setObjectName(QStringLiteral("jobSections"));

  // Job: what is trained from what, where the result goes.
  QFormLayout* job = addPage(tabs_, tr("&Job"), QStringLiteral("pageJob"));
  kind_ = addChoiceField(job, QStringLiteral("kind"), tr("&Kind:"), {},
                         tr("What the job does: distillation from a teacher, LoRA adapters, all (or some) weights "
                            "of the student, an evaluation of several models on a test set, or the quantization of "
                            "a model folder."));
  kind_->addItem(tr("Distillation"), QStringLiteral("distill"));
  kind_->addItem(tr("LoRA"), QStringLiteral("lora"));
  kind_->addItem(tr("Full fine-tuning"), QStringLiteral("full_ft"));
  kind_->addItem(tr("Evaluation"), QStringLiteral("eval"));
  kind_->addItem(tr("Quantization"), QStringLiteral("quantize"));
  kind_->setCurrentIndex(1);
  name_ = addTextField(job, QStringLiteral("name"), tr("&Name:"),
                       tr("Shown in the queue; empty: the kind and the student folder's name."));
  student_ = addPathField(job, QStringLiteral("student"), tr("&Student:"), true,
                          tr("Model folder (Hugging Face layout) that is trained."));
  teacher_ = addPathField(job, QStringLiteral("teacher"), tr("&Teacher:"), true,
                          tr("Distillation only: the model folder whose soft targets the student learns."));
  output_ = addPathField(job, QStringLiteral("output"), tr("&Output:"), true,
                         tr("Folder for the trained model or adapter, metrics.jsonl, state.json and checkpoints "
                            "(an evaluation: its results and per-sample outputs; a quantization: the quantized "
                            "model)."));
  device_ = addChoiceField(job, QStringLiteral("device"), tr("&Device:"), {QStringLiteral("cpu")},
                           tr("Where the job runs: cpu, or cuda:N for a GPU the runtime reports. One job per GPU "
                              "at a time."));

  // Data.
  QFormLayout* data = addPage(tabs_, tr("&Data"), QStringLiteral("pageData"));
  dataPage_ = tabs_->widget(tabs_->count() - 1);
  train_ = addPathField(data, QStringLiteral("data.train"), tr("T&raining set:"), false,
                        tr("Dataset file: JSONL, JSON array, CSV/TSV or text."));
  validation_ = addPathField(data, QStringLiteral("data.validation"), tr("&Validation set:"), false,
                             tr("Optional dataset file for validation loss, early stopping and the best checkpoint."));
  test_ = addPathField(data, QStringLiteral("data.test"), tr("T&est set:"), false,
                       tr("Evaluation only: the dataset file the models are scored on (same formats)."));
  format_ = addChoiceField(data, QStringLiteral("data.format"), tr("&Format:"),
                           {QStringLiteral("text"), QStringLiteral("alpaca"), QStringLiteral("sharegpt"),
                            QStringLiteral("messages"), QStringLiteral("prompt_completion")},
                           tr("Row schema: text {text}, alpaca {instruction, input, output}, sharegpt, messages, "
                              "prompt_completion {prompt, completion}."));
  truncation_ = addChoiceField(data, QStringLiteral("data.truncation"), tr("Tr&uncation:"),
                               {QStringLiteral("right"), QStringLiteral("left"), QStringLiteral("drop")},
                               tr("An example longer than seq_len: right keeps its start, left keeps its end (the "
                                  "reply), drop leaves it out."));
  responsesOnly_ = addCheckField(data, QStringLiteral("data.responses_only"), tr("Loss on &responses only"),
                                 tr("Loss on the assistant replies only (ignored for text). Usually on."));
  packing_ = addCheckField(data, QStringLiteral("data.packing"), tr("&Packing"),
                           tr("Several examples per row of seq_len tokens, attention kept inside each. Speeds up "
                              "short examples."));
  bucketing_ = addCheckField(data, QStringLiteral("data.bucketing"), tr("&Bucketing"),
                             tr("Batches of rows of similar length: less padding."));
  auto* dataAdvanced = new CollapsibleSection(tr("Advanced: field &names"), QStringLiteral("dataAdvanced"),
                                              tr("For datasets whose columns are named differently from the "
                                                 "format's fields."),
                                              data->parentWidget());
  dataFields_ = new QTableWidget(0, 2, dataAdvanced);
  dataFields_->setObjectName(QStringLiteral("data.fields"));
  dataFields_->setHorizontalHeaderLabels({tr("Schema field"), tr("Source field")});
  dataFields_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  dataFields_->setToolTip(tr("Reads a format's field from a differently named column, e.g. prompt ← question. "
                             "Schema fields: text, instruction, input, output, messages, conversations, prompt, "
                             "completion. Usually empty."));
  dataFields_->setMaximumHeight(140);
  auto* fieldsLabel = new QLabel(tr("Field &map:"), dataAdvanced);
  fieldsLabel->setBuddy(dataFields_);
  dataAdvanced->form()->addRow(fieldsLabel, tableWithButtons(dataFields_, dataAdvanced, [this] {
                                 appendRow(dataFields_, QStringLiteral("prompt"), QString());
                               }));
  data->addRow(dataAdvanced);

  // Training.
  QFormLayout* training = addPage(tabs_, tr("&Training"), QStringLiteral("pageTrain"));
  trainPage_ = tabs_->widget(tabs_->count() - 1);
  maxSteps_ = addIntField(training, QStringLiteral("train.max_steps"), tr("Max &steps:"), 0, kMaxInt,
                          tr("Optimizer steps to run; typical 100–10000."));
  batchSize_ = addIntField(training, QStringLiteral("train.batch_size"), tr("&Batch size:"), 0, 65536,
                           tr("Sequences per micro-batch; typical 1–64 (lower it when memory runs out)."));
  gradAccum_ = addIntField(training, QStringLiteral("train.grad_accum"), tr("&Gradient accumulation:"), 0, 65536,
                           tr("Micro-batches per optimizer step; typical 1–16. Effective batch = batch × this."));
  seqLen_ = addIntField(training, QStringLiteral("train.seq_len"), tr("Se&quence length:"), 0, 1 << 20,
                        tr("Tokens per sequence; longer rows are cut. Typical 128–4096."));
  lr_ = addNumberField(training, QStringLiteral("train.lr"), tr("&Learning rate:"), 0, 10, 1e-5,
                       tr("Peak learning rate; typical 1e-5–3e-5 (full fine-tuning), 1e-4–1e-3 (LoRA)."));
  warmup_ = addIntField(training, QStringLiteral("train.warmup_steps"), tr("&Warmup steps:"), 0, kMaxInt,
                        tr("Linear warmup from 0; typical 1–10% of max steps."));
  scheduler_ = addChoiceField(training, QStringLiteral("train.scheduler"), tr("S&cheduler:"),
                              {QStringLiteral("cosine"), QStringLiteral("linear"), QStringLiteral("constant")},
                              tr("Learning-rate decay after warmup: cosine (usual), linear or constant."));
  seed_ = addIntField(training, QStringLiteral("train.seed"), tr("S&eed:"), 0, kMaxInt,
                      tr("Seeds data order, initialisation and dropout; same seed, same run."));
  evalEvery_ = addIntField(training, QStringLiteral("train.eval_every"), tr("E&valuate every:"), 0, kMaxInt,
                           tr("Validation every N steps (0: off); typical 10–500."));
  saveEvery_ = addIntField(training, QStringLiteral("train.save_every"), tr("Sa&ve every:"), 0, kMaxInt,
                           tr("Checkpoint every N steps (0: only at the end); typical 50–1000."));
  logEvery_ = addIntField(training, QStringLiteral("train.log_every"), tr("L&og every:"), 0, kMaxInt,
                          tr("Metrics every N steps; typical 1–50."));
  dtype_ = addChoiceField(training, QStringLiteral("train.dtype"), tr("&Dtype:"),
                          {QStringLiteral("auto"), QStringLiteral("float32"), QStringLiteral("bfloat16")},
                          tr("auto: float32 on the CPU, bf16 autocast on CUDA."));
  qat_ = addChoiceField(training, QStringLiteral("train.qat"), tr("Quantization-&aware training:"),
                        {QStringLiteral("none"), QStringLiteral("int8"), QStringLiteral("int4-g32"),
                         QStringLiteral("int4-g64"), QStringLiteral("int4-g128")},
                        tr("Fake-quantizes the trained Linear weights in the forward pass so they survive quantize "
                           "with that scheme (int4-gN: groups of N). Usually none; the scheme you will deploy."));
  advanced_ = new AdvancedTraining(training->parentWidget());
  training->addRow(advanced_);

  // LoRA.
  QFormLayout* lora = addPage(tabs_, tr("Lo&RA"), QStringLiteral("pageLora"));
  loraPage_ = tabs_->widget(tabs_->count() - 1);
  loraR_ = addIntField(lora, QStringLiteral("lora.r"), tr("&Rank r:"), 0, 4096,
                       tr("Rank of the adapters, ≥ 1; typical 4–64."));
  loraAlpha_ = addNumberField(lora, QStringLiteral("lora.alpha"), tr("&Alpha:"), 0, 1e6, 1,
                              tr("Scaling numerator (> 0): the update is scaled by alpha/r; typical 2·r."));
  loraDropout_ = addNumberField(lora, QStringLiteral("lora.dropout"), tr("&Dropout:"), 0, 1, 0.05,
                                tr("Dropout on the adapter input, in [0, 1); typical 0–0.1."));
  targetModules_ = new QListWidget(lora->parentWidget());
  targetModules_->setObjectName(QStringLiteral("lora.target_modules"));
  targetModules_->setToolTip(
      tr("Linear modules that get adapters, read from the student's weights; all-linear "
         "adapts every Linear of the decoder layers. Typical: q_proj and v_proj."));
  targetModules_->setMaximumHeight(180);
  auto* modulesLabel = new QLabel(tr("&Target modules:"), lora->parentWidget());
  modulesLabel->setBuddy(targetModules_);
  lora->addRow(modulesLabel, targetModules_);
  modulesNote_ = new QLabel(lora->parentWidget());
  modulesNote_->setObjectName(QStringLiteral("modulesNote"));
  modulesNote_->setWordWrap(true);
  lora->addRow(QString(), modulesNote_);
  rslora_ = addCheckField(lora, QStringLiteral("lora.rslora"), tr("Rank-&stabilised scaling (rsLoRA)"),
                          tr("Scale by alpha/√r instead of alpha/r; helps at large ranks."));
  setCheckedModules(LoraSpec{}.targetModules);

  // Full fine-tuning.
  QFormLayout* full = addPage(tabs_, tr("&Full fine-tuning"), QStringLiteral("pageFullFt"));
  fullFtPage_ = tabs_->widget(tabs_->count() - 1);
  trainable_ = addTextField(full, QStringLiteral("train.trainable"), tr("Tr&ainable parameters:"),
                            tr("Comma-separated name substrings of the parameters to train (e.g. \"layers.1., "
                               "norm\"); empty: all. Also for distillation's student."));
  full->addRow(
      new QLabel(tr("The learning rate is on the Training page; the preset sets 3e-5."), full->parentWidget()));

  // Distillation.
  distill_ = new DistillSection;
  kdPage_ = addScrollTab(tabs_, distill_, tr("Di&stillation"));

  // Evaluation.
  eval_ = new EvalSection;
  evalPage_ = addScrollTab(tabs_, eval_, tr("Evaluat&ion"));

  // Quantization.
  quantize_ = new QuantizeSection;
  quantizePage_ = addScrollTab(tabs_, quantize_, tr("&Quantization"));

  // Sweep.
  QFormLayout* sweepPage = addPage(tabs_, tr("S&weep"), QStringLiteral("pageSweep"));
  sweepPage_ = tabs_->widget(tabs_->count() - 1);
  sweep_ = new QGroupBox(tr("Run as a s&weep (one trial per combination or TPE sample)"), sweepPage->parentWidget());
  sweep_->setObjectName(QStringLiteral("sweep"));
  sweep_->setCheckable(true);
  sweep_->setChecked(false);
  sweep_->setToolTip(tr("Runs the job above once per value combination of the keys below (grid), or for the given "
                        "number of trials sampled from their ranges (tpe); each trial is a child job."));
  auto* sf = new QFormLayout(sweep_);
  sweepMethod_ = addChoiceField(sf, QStringLiteral("sweep.method"), tr("&Method:"),
                                {QStringLiteral("grid"), QStringLiteral("tpe")},
                                tr("grid: every combination of the values; tpe: Bayesian search (trials)."));
  sweepTrials_ = addIntField(sf, QStringLiteral("sweep.trials"), tr("T&rials:"), 0, 10000,
                             tr("tpe: trials to run (grid runs every combination); typical 8–50."));
  sweepTrials_->setValue(SweepSpec{}.trials);
  sweepMetric_ = addChoiceField(sf, QStringLiteral("sweep.metric"), tr("M&etric:"),
                                {QStringLiteral("val_loss"), QStringLiteral("loss")},
                                tr("What the sweep minimises: validation loss (needs a validation set) or loss."));
  sweepParams_ = new QTableWidget(0, SweepColumns, sweep_);
  sweepParams_->setObjectName(QStringLiteral("sweep.params"));
  sweepParams_->setHorizontalHeaderLabels({tr("Key"), tr("Values"), tr("Min"), tr("Max"), tr("Log"), tr("Integer")});
  sweepParams_->horizontalHeader()->setSectionResizeMode(SweepValues, QHeaderView::Stretch);
  sweepParams_->setToolTip(
      tr("One row per swept key (e.g. train.lr, lora.r, kd.temperature): comma-separated values (grid, or TPE "
         "choices, e.g. 1e-4, 3e-4), or for tpe a range min..max instead (e.g. 1e-5..1e-3); Log samples the "
         "range on a log scale (min > 0, usual for learning rates), Integer rounds the samples (ranks, steps)."));
  auto* paramsLabel = new QLabel(tr("&Parameters:"), sweep_);
  paramsLabel->setBuddy(sweepParams_);
  sf->addRow(paramsLabel, tableWithButtons(sweepParams_, sweep_, [this] {
               SweepParam p;
               p.key = QStringLiteral("train.lr");
               p.values = {1e-4, 3e-4};
               appendSweepRow(p);
             }));
  sweepPage->addRow(sweep_);

  // Right side: presets, validation, the JSON, actions.
  preset_ = new QComboBox(this);
  preset_->setObjectName(QStringLiteral("preset"));
  for (JobPreset p : jobPresets()) preset_->addItem(jobPresetName(p), int(p));
  preset_->setToolTip(tr("Starting values for a kind of job; paths and data stay as they are."));
  auto* applyPresetButton = new QPushButton(tr("A&pply preset"), this);
  applyPresetButton->setObjectName(QStringLiteral("applyPreset"));
  applyPresetButton->setToolTip(tr("Sets the kind and the preset's values in the form."));
  connect(applyPresetButton, &QPushButton::clicked, this,
          [this] { applyPreset(JobPreset(preset_->currentData().toInt())); });
  error_ = new QLabel(this);
  error_->setObjectName(QStringLiteral("validationMessage"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  jsonView_ = new QPlainTextEdit(this);
  jsonView_->setObjectName(QStringLiteral("jsonView"));
  jsonView_->setReadOnly(true);
  jsonView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  jsonView_->setToolTip(tr("The job JSON exactly as saved and as `distillery-cli train JOB.json` reads it."));
  auto* load = new QPushButton(tr("L&oad…"), this);
  load->setObjectName(QStringLiteral("load"));
  load->setToolTip(tr("Reads a job JSON file into the form (relative paths resolve against its folder)."));
  auto* save = new QPushButton(tr("Sa&ve…"), this);
  save->setObjectName(QStringLiteral("save"));
  save->setToolTip(tr("Writes the job JSON to a file the CLI can run."));
  start_ = new QPushButton(tr("Start &job"), this);
  start_->setObjectName(QStringLiteral("start"));
  start_->setToolTip(tr("Queues the job on the workspace's runner."));
  start_->setEnabled(false);
  connect(load, &QPushButton::clicked, this, &JobForm::loadDialog);
  connect(save, &QPushButton::clicked, this, &JobForm::saveDialog);
  connect(start_, &QPushButton::clicked, this, &JobForm::start);

  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  auto* presetRow = new QHBoxLayout;
  auto* presetLabel = new QLabel(tr("Pre&set:"), side);
  presetLabel->setBuddy(preset_);
  presetRow->addWidget(presetLabel);
  presetRow->addWidget(preset_, 1);
  presetRow->addWidget(applyPresetButton);
  sideLayout->addLayout(presetRow);
  sideLayout->addWidget(error_);
  auto* jsonLabel = new QLabel(tr("Job &JSON:"), side);
  jsonLabel->setBuddy(jsonView_);
  sideLayout->addWidget(jsonLabel);
  sideLayout->addWidget(jsonView_, 1);
  auto* actions = new QHBoxLayout;
  actions->addWidget(load);
  actions->addWidget(save);
  actions->addStretch(1);
  actions->addWidget(start_);
  sideLayout->addLayout(actions);

  auto* splitter = new QSplitter(this);
  splitter->addWidget(tabs_);
  splitter->addWidget(side);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  // Every change re-validates after a short pause (typing does not re-run it per key).
  updateTimer_->setSingleShot(true);
  updateTimer_->setInterval(150);
  connect(updateTimer_, &QTimer::timeout, this, [this] { validate(); });
  const auto named = [](QObject* o) {
    return !o->objectName().isEmpty() && !o->objectName().startsWith(QLatin1String("qt_"));
  };
  for (QSpinBox* w : findChildren<QSpinBox*>())
    if (named(w)) connect(w, &QSpinBox::valueChanged, this, &JobForm::scheduleUpdate);
  for (QDoubleSpinBox* w : findChildren<QDoubleSpinBox*>())
    if (named(w)) connect(w, &QDoubleSpinBox::valueChanged, this, &JobForm::scheduleUpdate);
  for (QComboBox* w : findChildren<QComboBox*>())
    if (named(w) && w != preset_) connect(w, &QComboBox::currentIndexChanged, this, &JobForm::scheduleUpdate);
  for (QCheckBox* w : findChildren<QCheckBox*>())
    if (named(w)) connect(w, &QCheckBox::toggled, this, &JobForm::scheduleUpdate);
  for (QLineEdit* w : findChildren<QLineEdit*>())
    if (named(w)) connect(w, &QLineEdit::textChanged, this, &JobForm::scheduleUpdate);
  for (QTableWidget* w : findChildren<QTableWidget*>()) {
    connect(w, &QTableWidget::itemChanged, this, &JobForm::scheduleUpdate);
    connect(w->model(), &QAbstractItemModel::rowsRemoved, this, &JobForm::scheduleUpdate);
  }
  for (QListWidget* w : findChildren<QListWidget*>())
    connect(w, &QListWidget::itemChanged, this, &JobForm::scheduleUpdate);
  connect(sweep_, &QGroupBox::toggled, this, &JobForm::scheduleUpdate);
  connect(kind_, &QComboBox::currentIndexChanged, this, &JobForm::updateKindPages);

  JobSpec initial;
  initial.kind = JobKind::Lora;
  setSpec(initial);
}

void JobForm::scheduleUpdate() { updateTimer_->start(); }

void JobForm::updateKindPages() {
  const QString kind = kind_->currentData().toString();
  const bool distill = kind == QLatin1String("distill");
  const bool eval = kind == QLatin1String("eval");
  const bool quantize = kind == QLatin1String("quantize");
  const bool training = !eval && !quantize;
  teacher_->parentWidget()->setEnabled(distill);
  // An evaluation scores the models of its own page on data.test and trains nothing; a quantization reads only
  // its own page.
  student_->parentWidget()->setEnabled(training);
  for (QWidget* w : {train_->parentWidget(), validation_->parentWidget(), static_cast<QWidget*>(truncation_),
                     static_cast<QWidget*>(responsesOnly_), static_cast<QWidget*>(packing_),
                     static_cast<QWidget*>(bucketing_)})
    w->setEnabled(!eval);
  test_->parentWidget()->setEnabled(eval);
  tabs_->setTabEnabled(tabs_->indexOf(dataPage_), !quantize);
  tabs_->setTabEnabled(tabs_->indexOf(trainPage_), training);
  tabs_->setTabEnabled(tabs_->indexOf(loraPage_), kind == QLatin1String("lora"));
  tabs_->setTabEnabled(tabs_->indexOf(fullFtPage_), distill || kind == QLatin1String("full_ft"));
  tabs_->setTabEnabled(tabs_->indexOf(kdPage_), distill);
  tabs_->setTabEnabled(tabs_->indexOf(evalPage_), eval);
  tabs_->setTabEnabled(tabs_->indexOf(quantizePage_), quantize);
  tabs_->setTabEnabled(tabs_->indexOf(sweepPage_), training);
}

void JobForm::setWorkspace(const Workspace* ws) { eval_->setWorkspace(ws); }

void JobForm::appendSweepRow(const SweepParam& p) {
  const int row = sweepParams_->rowCount();
  sweepParams_->insertRow(row);
  const bool range = p.values.empty();
  sweepParams_->setItem(row, SweepKey, new QTableWidgetItem(p.key));
  sweepParams_->setItem(row, SweepValues, new QTableWidgetItem(numberListText(p.values)));
  sweepParams_->setItem(row, SweepMin, new QTableWidgetItem(range ? numberText(p.min) : QString()));
  sweepParams_->setItem(row, SweepMax, new QTableWidgetItem(range ? numberText(p.max) : QString()));
  sweepParams_->setItem(row, SweepLog, checkItem(p.log));
  sweepParams_->setItem(row, SweepInteger, checkItem(p.integer));
}

void JobForm::fillSweepParams(const std::vector<SweepParam>& params) {
  sweepParams_->setRowCount(0);
  for (const SweepParam& p : params) appendSweepRow(p);
}

// A row is grid values (or TPE choices) when Values has text, else a min..max range; the form's own reading
// problems (not a number, neither or both given) name the row, the rest is fromJson's to check.
void JobForm::readSweepParams(SweepSpec& sweep, Problem* problem) const {
  const auto fail = [problem](const QString& message) {
    if (problem && problem->key.isEmpty()) *problem = {QStringLiteral("sweep.params"), message};
  };
  for (int row = 0; row < sweepParams_->rowCount(); ++row) {
    SweepParam p;
    p.key = cell(sweepParams_, row, SweepKey);
    p.log = isChecked(sweepParams_, row, SweepLog);
    p.integer = isChecked(sweepParams_, row, SweepInteger);
    const QString values = cell(sweepParams_, row, SweepValues);
    const QString min = cell(sweepParams_, row, SweepMin), max = cell(sweepParams_, row, SweepMax);
    QString bad;
    if (!values.isEmpty()) {
      if (!parseNumberList(values, p.values, bad)) fail(tr("row %1: \"%2\" is not a number").arg(row + 1).arg(bad));
      if (!min.isEmpty() || !max.isEmpty())
        fail(tr("row %1: give values or a min..max range, not both").arg(row + 1));
    } else if (min.isEmpty() || max.isEmpty()) {
      fail(tr("row %1: give values, or min and max").arg(row + 1));
    } else {
      bool okMin = false, okMax = false;
      p.min = min.toDouble(&okMin);
      p.max = max.toDouble(&okMax);
      if (!okMin) fail(tr("row %1: min \"%2\" is not a number").arg(row + 1).arg(min));
      if (!okMax) fail(tr("row %1: max \"%2\" is not a number").arg(row + 1).arg(max));
    }
    sweep.params.push_back(p);
  }
}

void JobForm::setDevices(const QStringList& devices) {
  const QString current = device_->currentText();
  device_->clear();
  device_->addItems(devices);
  if (device_->findText(current) < 0) device_->addItem(current);
  device_->setCurrentText(current);
}

void JobForm::setStartEnabled(bool enabled) { start_->setEnabled(enabled); }

QStringList JobForm::checkedModules() const {
  QStringList out;
  for (int i = 0; i < targetModules_->count(); ++i)
    if (targetModules_->item(i)->checkState() == Qt::Checked) out.append(targetModules_->item(i)->text());
  return out;
}

void JobForm::setCheckedModules(const QStringList& modules) {
  const auto ensure = [this](const QString& name) {
    if (targetModules_->findItems(name, Qt::MatchExactly).isEmpty()) {
      auto* item = new QListWidgetItem(name, targetModules_);
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(Qt::Unchecked);
    }
  };
  ensure(kAllLinear);
  for (const QString& m : modules) ensure(m);
  for (int i = 0; i < targetModules_->count(); ++i) {
    QListWidgetItem* item = targetModules_->item(i);
    item->setCheckState(modules.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
  }
}

void JobForm::refreshTargetModules() {
  const QString dir = student_->text().trimmed();
  if (dir == modulesScannedFor_) return;
  modulesScannedFor_ = dir;
  const QStringList checked = checkedModules();
  targetModules_->clear();
  setCheckedModules(checked);
  if (dir.isEmpty()) {
    modulesNote_->setText(tr("Pick the student to list its Linear modules."));
    return;
  }
  try {
    const QStringList names = linearModuleSuffixes(dir);
    for (const QString& n : names)
      if (targetModules_->findItems(n, Qt::MatchExactly).isEmpty()) {
        auto* item = new QListWidgetItem(n, targetModules_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
      }
    modulesNote_->setText(tr("%n Linear module name(s) in the student's decoder layers.", nullptr, int(names.size())));
  } catch (const Error& e) {
    modulesNote_->setText(tr("Cannot list the student's modules: %1").arg(e.message()));
  }
}

void JobForm::setSpec(const JobSpec& in) {
  JobSpec s = in;
  sweep_->setChecked(in.kind == JobKind::Sweep);
  if (in.kind == JobKind::Sweep) {
    sweepMethod_->setCurrentText(in.sweep.method);
    sweepTrials_->setValue(in.sweep.trials);
    sweepMetric_->setCurrentText(in.sweep.metric);
    fillSweepParams(in.sweep.params);
    s = JobSpec::fromJson(in.sweep.base, tr("sweep base"));  // valid: the sweep was read with it
    s.name = in.name;
  }
  base_ = s;
  kind_->setCurrentIndex(std::max(0, kind_->findData(jobKindName(s.kind))));
  name_->setText(s.name);
  student_->setText(s.student);
  teacher_->setText(s.teacher);
  output_->setText(s.output);
  if (device_->findText(s.device) < 0) device_->addItem(s.device);
  device_->setCurrentText(s.device);
  train_->setText(s.data.train);
  validation_->setText(s.data.validation);
  test_->setText(s.data.test);
  dataFields_->setRowCount(0);
  for (auto it = s.data.fields.begin(); it != s.data.fields.end(); ++it) appendRow(dataFields_, it.key(), it.value());
  format_->setCurrentText(s.data.format);
  truncation_->setCurrentText(s.data.truncation);
  responsesOnly_->setChecked(s.data.responsesOnly);
  packing_->setChecked(s.data.packing);
  bucketing_->setChecked(s.data.bucketing);
  const TrainSpec& t = s.train;
  maxSteps_->setValue(int(std::min<int64_t>(t.maxSteps, kMaxInt)));
  batchSize_->setValue(int(t.batchSize));
  gradAccum_->setValue(int(t.gradAccum));
  seqLen_->setValue(int(t.seqLen));
  lr_->setValue(t.lr);
  warmup_->setValue(int(std::min<int64_t>(t.warmupSteps, kMaxInt)));
  scheduler_->setCurrentText(t.scheduler);
  seed_->setValue(int(std::min<uint64_t>(t.seed, uint64_t(kMaxInt))));
  evalEvery_->setValue(int(std::min<int64_t>(t.evalEvery, kMaxInt)));
  saveEvery_->setValue(int(std::min<int64_t>(t.saveEvery, kMaxInt)));
  logEvery_->setValue(int(std::min<int64_t>(t.logEvery, kMaxInt)));
  dtype_->setCurrentText(t.dtype);
  qat_->setCurrentText(t.qat);
  advanced_->setTrain(t);
  trainable_->setText(t.trainable.join(QStringLiteral(", ")));
  loraR_->setValue(s.lora.r);
  loraAlpha_->setValue(s.lora.alpha);
  loraDropout_->setValue(s.lora.dropout);
  rslora_->setChecked(s.lora.rslora);
  refreshTargetModules();
  setCheckedModules(s.lora.targetModules);
  distill_->setKd(s.kd);
  EvalSpec e = s.eval;
  if (s.kind != JobKind::Eval) {
    // What fromJson gives an evaluation without an eval section, for a switch to kind eval.
    e.tasks = QStringList{QStringLiteral("perplexity"), QStringLiteral("next_token_accuracy")};
    if (s.data.format != QLatin1String("text")) e.tasks << QStringLiteral("generation");
  }
  eval_->setEval(s.models, e);
  quantize_->setSpec(s);
  updateKindPages();
  validate();
}

void JobForm::applyPreset(JobPreset preset) {
  JobSpec s = spec();
  applyJobPreset(s, preset);
  const bool sweep = sweep_->isChecked();
  setSpec(s);
  sweep_->setChecked(sweep);
  validate();
}

JobSpec JobForm::spec() const { return readForm(nullptr); }

JobSpec JobForm::readForm(Problem* problem) const {
  const auto fail = [problem](const QString& key, const QString& message) {
    if (problem && problem->key.isEmpty()) *problem = {key, message};
  };
  JobSpec s = base_;
  const QString kind = kind_->currentData().toString();
  s.kind = kind == QLatin1String("distill")   ? JobKind::Distill
           : kind == QLatin1String("full_ft") ? JobKind::FullFt
           : kind == QLatin1String("eval")    ? JobKind::Eval
           : kind == QLatin1String("quantize") ? JobKind::Quantize
                                              : JobKind::Lora;
  s.name = name_->text().trimmed();
  s.data.fields.clear();
  for (int row = 0; s.kind != JobKind::Quantize && row < dataFields_->rowCount(); ++row) {
    const QString schema = cell(dataFields_, row, 0), source = cell(dataFields_, row, 1);
    if (schema.isEmpty() && source.isEmpty()) continue;  // a row added and left blank
    if (schema.isEmpty()) fail(QStringLiteral("data.fields"), tr("row %1: the schema field is empty").arg(row + 1));
    if (s.data.fields.contains(schema))
      fail(QStringLiteral("data.fields"), tr("row %1: \"%2\" is mapped twice").arg(row + 1).arg(schema));
    s.data.fields.insert(schema, source);
  }
  s.device = device_->currentText();
  s.output = output_->text().trimmed();
  s.data.format = format_->currentText();
  if (s.kind == JobKind::Quantize) {
    // A quantization reads model, quantize.*, and data.test with eval's windows for its check: nothing else.
    s.student.clear();
    s.teacher.clear();
    s.kd = KdSpec{};
    s.lora = LoraSpec{};
    s.train = TrainSpec{};
    s.models.clear();
    quantize_->read(s);
    return s;
  }
  s.model.clear();
  s.quantize = QuantizeSettings{};
  if (s.kind == JobKind::Eval) {
    // An evaluation reads models, data.test and eval.*; the training sections stay out of its JSON.
    const DataSpec defaults;
    s.student.clear();
    s.teacher.clear();
    s.data.train.clear();
    s.data.validation.clear();
    s.data.test = test_->text().trimmed();
    s.data.responsesOnly = defaults.responsesOnly;
    s.data.packing = defaults.packing;
    s.data.bucketing = defaults.bucketing;
    s.data.truncation = defaults.truncation;
    s.kd = KdSpec{};
    s.lora = LoraSpec{};
    s.train = TrainSpec{};
    s.models = eval_->models();
    s.eval = eval_->eval();
    return s;
  }
  s.models.clear();
  s.eval = EvalSpec{};
  s.data.test.clear();
  s.student = student_->text().trimmed();
  s.teacher = s.kind == JobKind::Distill ? teacher_->text().trimmed() : QString();
  s.data.train = train_->text().trimmed();
  s.data.validation = validation_->text().trimmed();
  s.data.truncation = truncation_->currentText();
  s.data.responsesOnly = responsesOnly_->isChecked();
  s.data.packing = packing_->isChecked();
  s.data.bucketing = bucketing_->isChecked();
  TrainSpec& t = s.train;
  t.maxSteps = maxSteps_->value();
  t.batchSize = batchSize_->value();
  t.gradAccum = gradAccum_->value();
  t.seqLen = seqLen_->value();
  t.lr = lr_->value();
  t.warmupSteps = warmup_->value();
  t.scheduler = scheduler_->currentText();
  t.seed = uint64_t(seed_->value());
  t.evalEvery = evalEvery_->value();
  t.saveEvery = saveEvery_->value();
  t.logEvery = logEvery_->value();
  t.dtype = dtype_->currentText();
  t.qat = qat_->currentText();
  advanced_->read(t);
  t.trainable = s.kind == JobKind::Lora ? QStringList() : splitList(trainable_->text());
  // Sections of other kinds are left out: fromJson refuses e.g. a kd section on a LoRA job.
  s.lora = LoraSpec{};
  if (s.kind == JobKind::Lora) {
    s.lora.r = loraR_->value();
    s.lora.alpha = loraAlpha_->value();
    s.lora.dropout = loraDropout_->value();
    s.lora.targetModules = checkedModules();
    s.lora.rslora = rslora_->isChecked();
  }
  if (s.kind != JobKind::Distill) {
    s.kd = KdSpec{};
    return s;
  }
  QString key, message;
  s.kd = distill_->kd(s.kd, &key, &message);
  if (!key.isEmpty()) fail(key, message);
  return s;
}

QJsonObject JobForm::json() const { return buildJson(nullptr); }

QJsonObject JobForm::buildJson(Problem* problem) const {
  const JobSpec s = readForm(problem);
  QJsonObject job = s.toJson();
  if (s.name.isEmpty()) job.remove(QStringLiteral("name"));  // fromJson then names it after kind and student
  // Only training kinds are swept.
  if (!sweep_->isChecked() || s.kind == JobKind::Eval || s.kind == JobKind::Quantize) return job;
  JobSpec sweep;
  sweep.kind = JobKind::Sweep;
  sweep.name = s.name;
  sweep.device = s.device;
  sweep.sweep.method = sweepMethod_->currentText();
  sweep.sweep.trials = sweepTrials_->value();
  sweep.sweep.metric = sweepMetric_->currentText();
  sweep.sweep.base = job;
  readSweepParams(sweep.sweep, problem);
  QJsonObject out = sweep.toJson();
  if (s.name.isEmpty()) out.remove(QStringLiteral("name"));
  return out;
}

QWidget* JobForm::fieldFor(QString key) const {
  if (key.startsWith(QLatin1String("sweep.base."))) key = key.mid(11);
  // The quantization page's fidelity check has its own data.test and eval.* fields, named under quantize.check.
  // so that they never shadow the Data and Evaluation pages' fields of the same keys.
  if (kind_->currentData().toString() == QLatin1String("quantize") &&
      (key == QLatin1String("data.test") || key.startsWith(QLatin1String("eval."))))
    key.prepend(QStringLiteral("quantize.check."));
  while (!key.isEmpty()) {
    if (auto* w = findChild<QWidget*>(key); w && w != this) return w;
    const qsizetype cut = std::max(key.lastIndexOf(QLatin1Char('.')), key.lastIndexOf(QLatin1Char('[')));
    if (cut <= 0) break;
    key = key.left(cut);
  }
  return nullptr;
}

void JobForm::highlight(QWidget* field) {
  if (highlighted_ == field) return;
  if (highlighted_) highlighted_->setStyleSheet(QString());
  highlighted_ = field;
  if (field)
    field->setStyleSheet(
        QStringLiteral("%1 { border: 2px solid #c62828; }").arg(QString::fromLatin1(field->metaObject()->className())));
}

QString JobForm::validate() {
  updateTimer_->stop();
  refreshTargetModules();
  Problem problem;
  const QJsonObject json = buildJson(&problem);
  QString text, field;
  if (!problem.key.isEmpty()) {
    text = problem.key + QLatin1Char(' ') + problem.message;
    field = problem.key;
  } else {
    try {
      JobSpec::fromJson(json, tr("job"));
    } catch (const Error& e) {
      text = e.message();
      field = e.field();
    }
  }
  errorText_ = text;
  error_->setText(text.isEmpty() ? tr("✓ The job is valid.") : text);
  error_->setStyleSheet(text.isEmpty() ? QStringLiteral("color: #2e7d32") : QStringLiteral("color: #c62828"));
  highlight(text.isEmpty() ? nullptr : fieldFor(field));
  jsonView_->setPlainText(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)));
  const JobSpec s = readForm(nullptr);
  if (s.kind == JobKind::Distill) distill_->preview()->setSchedule(s.kd, s.train.maxSteps);
  return text;
}

SchedulePreview* JobForm::schedulePreview() const { return distill_->preview(); }

QString JobForm::errorText() const { return errorText_; }

QString JobForm::errorField() const { return highlighted_ ? highlighted_->objectName() : QString(); }

bool JobForm::saveTo(const QString& path, QString* error) {
  const QString invalid = validate();
  if (!invalid.isEmpty()) {
    if (error) *error = tr("The job is not valid: %1").arg(invalid);
    return false;
  }
  try {
    writeFileAtomically(path, QJsonDocument(json()).toJson(QJsonDocument::Indented));
  } catch (const Error& e) {
    if (error) *error = e.message();
    return false;
  }
  return true;
}

bool JobForm::loadFrom(const QString& path, QString* error) {
  try {
    const JobSpec spec = JobSpec::fromFile(path);
    if (spec.kind == JobKind::Data) {
      // Shown as another kind it would be saved back as one: refused, the form keeps what it had.
      if (error)
        *error = tr("%1: kind %2 is not edited in this form; run it with distillery-cli train.")
                     .arg(path, jobKindName(spec.kind));
      return false;
    }
    setSpec(spec);
  } catch (const Error& e) {
    if (error) *error = e.message();
    return false;
  }
  return true;
}

void JobForm::start() {
  const QString invalid = validate();
  if (!invalid.isEmpty()) {
    if (highlighted_) {
      for (QWidget* w = highlighted_; w; w = w->parentWidget())
        if (tabs_->indexOf(w) >= 0) tabs_->setCurrentWidget(w);
      highlighted_->setFocus();
    }
    return;
  }
  const QJsonObject j = json();
  Q_EMIT startRequested(JobSpec::fromJson(j, tr("job")), j);
}

void JobForm::saveDialog() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save job"), QString(), tr("Job JSON (*.json)"));
  if (path.isEmpty()) return;
  QString error;
  if (!saveTo(path, &error)) QMessageBox::warning(this, tr("Save job"), error);
}

void JobForm::loadDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load job"), QString(), tr("Job JSON (*.json)"));
  if (path.isEmpty()) return;
  QString error;
  if (!loadFrom(path, &error)) QMessageBox::warning(this, tr("Load job"), error);
}

}  // namespace distillery::ui
