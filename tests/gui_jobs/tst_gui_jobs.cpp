// The Jobs panel offscreen: the job form against the CLI's example jobs (same JobSpec: LoRA, evaluation, TPE sweep,
// every Advanced key), presets, inline validation, save/load, the τ/α preview against core's schedule, the
// student's module names, and real tiny CPU jobs started, cancelled and failed from the panel through
// MainWindow's kind of JobRunner.
#include "../common/Fixtures.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "eval/EvalStore.h"
#include "jobs/EvalSection.h"
#include "jobs/FormFields.h"
#include "jobs/JobErrorHint.h"
#include "jobs/JobForm.h"
#include "jobs/JobRunner.h"
#include "jobs/JobTableModel.h"
#include "jobs/JobsPanel.h"
#include "jobs/QuantizeSection.h"
#include "jobs/SchedulePreview.h"
#include "kd/Schedule.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QToolButton>

#include <QtCore/QElapsedTimer>

#include <cmath>
#include <optional>

using namespace distillery;
using namespace distillery::ui;

namespace {

QString jobsData(const QString& name) { return testDataDir() + QStringLiteral("/jobs/") + name; }

template <typename W>
W* field(QWidget* form, const QString& key) {
  W* w = form->findChild<W*>(key);
  if (!w) qFatal("no field %s", qPrintable(key));
  return w;
}

void setText(QWidget* f, const QString& key, const QString& v) { field<QLineEdit>(f, key)->setText(v); }
void setInt(QWidget* f, const QString& key, int v) { field<QSpinBox>(f, key)->setValue(v); }
void setNumber(QWidget* f, const QString& key, double v) { field<QDoubleSpinBox>(f, key)->setValue(v); }
void setChoice(QWidget* f, const QString& key, const QString& v) {
  QComboBox* c = field<QComboBox>(f, key);
  const int i = c->findData(v) >= 0 ? c->findData(v) : c->findText(v);
  QVERIFY2(i >= 0, qPrintable(key + QStringLiteral(": no choice ") + v));
  c->setCurrentIndex(i);
}
void setModules(QWidget* f, const QStringList& names) {
  QListWidget* list = field<QListWidget>(f, QStringLiteral("lora.target_modules"));
  for (int i = 0; i < list->count(); ++i)
    list->item(i)->setCheckState(names.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

// tests/data/jobs/lora_job.json, entered field by field as a user would.
void enterLoraExample(JobForm& form) {
  setChoice(&form, QStringLiteral("kind"), QStringLiteral("lora"));
  setText(&form, QStringLiteral("name"), QStringLiteral("tiny-llama alpaca LoRA"));
  // The folder the example names (its relative path resolved against the file), which is the fixture model even
  // when DISTILLERY_FIXTURES spells the same folder another way.
  setText(&form, QStringLiteral("student"), JobSpec::fromFile(jobsData(QStringLiteral("lora_job.json"))).student);
  setText(&form, QStringLiteral("output"), QStringLiteral("/tmp/distillery-examples/lora"));
  setChoice(&form, QStringLiteral("device"), QStringLiteral("cpu"));
  setText(&form, QStringLiteral("data.train"), jobsData(QStringLiteral("alpaca.jsonl")));
  setText(&form, QStringLiteral("data.validation"), jobsData(QStringLiteral("alpaca.jsonl")));
  setChoice(&form, QStringLiteral("data.format"), QStringLiteral("alpaca"));
  field<QCheckBox>(&form, QStringLiteral("data.responses_only"))->setChecked(true);
  setInt(&form, QStringLiteral("lora.r"), 8);
  setNumber(&form, QStringLiteral("lora.alpha"), 16);
  setNumber(&form, QStringLiteral("lora.dropout"), 0.0);
  form.validate();  // lists the student's modules
  setModules(&form, {QStringLiteral("q_proj"), QStringLiteral("v_proj")});
  field<QCheckBox>(&form, QStringLiteral("lora.rslora"))->setChecked(false);
  setInt(&form, QStringLiteral("train.max_steps"), 20);
  setInt(&form, QStringLiteral("train.batch_size"), 4);
  setInt(&form, QStringLiteral("train.seq_len"), 64);
  setNumber(&form, QStringLiteral("train.lr"), 0.005);
  setInt(&form, QStringLiteral("train.warmup_steps"), 2);
  setChoice(&form, QStringLiteral("train.scheduler"), QStringLiteral("cosine"));
  setInt(&form, QStringLiteral("train.seed"), 0);
  setInt(&form, QStringLiteral("train.eval_every"), 10);
  setInt(&form, QStringLiteral("train.save_every"), 10);
  setInt(&form, QStringLiteral("train.log_every"), 1);
}

void setChecks(QWidget* f, const QString& key, const QStringList& names) {
  QListWidget* list = field<QListWidget>(f, key);
  for (int i = 0; i < list->count(); ++i)
    list->item(i)->setCheckState(names.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

void setCell(QTableWidget* table, int row, int column, const QString& text) {
  if (row >= table->rowCount()) table->setRowCount(row + 1);
  table->setItem(row, column, new QTableWidgetItem(text));
}

void setCheckCell(QTableWidget* table, int row, int column, bool on) {
  auto* item = new QTableWidgetItem;
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
  item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
  table->setItem(row, column, item);
}

// The value at a dotted path of a job JSON ("train.beta1", "kd.cache.top_k", "data.fields.instruction").
QJsonValue valueAt(QJsonObject o, const QString& path) {
  const QStringList parts = path.split(QLatin1Char('.'));
  for (int i = 0; i + 1 < parts.size(); ++i) o = o.value(parts[i]).toObject();
  return o.value(parts.last());
}

// tests/data/jobs/eval_job.json entered field by field: the first model from the workspace's models table, the
// others as folders, the adapter typed into its cell.
void enterEvalExample(JobForm& form, EvalSection& section) {
  const JobSpec file = JobSpec::fromFile(jobsData(QStringLiteral("eval_job.json")));
  setChoice(&form, QStringLiteral("kind"), QStringLiteral("eval"));
  setText(&form, QStringLiteral("name"), QStringLiteral("tiny models on alpaca"));
  setText(&form, QStringLiteral("output"), QStringLiteral("/tmp/distillery-examples/eval"));
  setChoice(&form, QStringLiteral("device"), QStringLiteral("cpu"));
  setText(&form, QStringLiteral("data.test"), jobsData(QStringLiteral("alpaca.jsonl")));
  setChoice(&form, QStringLiteral("data.format"), QStringLiteral("alpaca"));
  QTableWidget* fields = field<QTableWidget>(&form, QStringLiteral("data.fields"));
  setCell(fields, 0, 0, QStringLiteral("instruction"));
  setCell(fields, 0, 1, QStringLiteral("instruction"));
  QMenu* menu = section.workspaceMenu();
  QCOMPARE(menu->actions().size(), 1);
  menu->actions().first()->trigger();  // tiny-llama, registered under its folder name
  section.addModel(QStringLiteral("llama+lora"), file.models[1].path);
  section.addModel(QString(), file.models[2].path);  // labelled after its folder: tiny-qwen2
  QTableWidget* models = field<QTableWidget>(&form, QStringLiteral("models"));
  setCell(models, 1, EvalSection::Adapter, file.models[1].adapter);
  setChecks(&form, QStringLiteral("eval.tasks"),
            {QStringLiteral("perplexity"), QStringLiteral("next_token_accuracy"), QStringLiteral("generation")});
  setChecks(&form, QStringLiteral("eval.metrics"),
            {QStringLiteral("exact_match"), QStringLiteral("chrf"), QStringLiteral("rouge")});
  setInt(&form, QStringLiteral("eval.max_new_tokens"), 16);
  setInt(&form, QStringLiteral("eval.max_samples"), 6);
  setInt(&form, QStringLiteral("eval.seq_len"), 64);
  setInt(&form, QStringLiteral("eval.stride"), 32);
  setText(&form, QStringLiteral("eval.choices_field"), QStringLiteral("options"));
  setText(&form, QStringLiteral("eval.answer_field"), QStringLiteral("label"));
  setChoice(&form, QStringLiteral("eval.baseline"), QStringLiteral("tiny-llama"));
  setNumber(&form, QStringLiteral("eval.max_accuracy_drop"), 0.05);
  setChoice(&form, QStringLiteral("eval.dtype"), QStringLiteral("float32"));
}

PanelInfo jobsInfo() { return {QStringLiteral("jobs"), QStringLiteral("Jobs"), QStringLiteral("Jobs."), {}}; }

// A workspace, its runner and the panel on them, torn down in the order MainWindow uses.
struct PanelFixture {
  QTemporaryDir dir;
  std::optional<Workspace> ws;
  std::unique_ptr<JobRunner> runner;
  std::unique_ptr<JobsPanel> panel;
  std::unique_ptr<QAbstractItemModelTester> tester;
  PanelFixture() {
    ws = Workspace::init(dir.filePath(QStringLiteral("ws")), QStringLiteral("jobs test"));
    runner = std::make_unique<JobRunner>(ws->store());
    panel = std::make_unique<JobsPanel>(jobsInfo());
    tester = std::make_unique<QAbstractItemModelTester>(panel->jobsModel(),
                                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel->setWorkspace(&*ws, runner.get());
    panel->show();
  }
  ~PanelFixture() {
    panel->setWorkspace(nullptr, nullptr);
    runner.reset();
    tester.reset();
    panel.reset();
    ws->store().closeThisThread();
  }
  // The LoRA example shrunk to a few CPU steps, writing under the temporary folder.
  void enterTinyJob(int steps, const QString& train = jobsData(QStringLiteral("alpaca.jsonl"))) {
    JobForm& form = *panel->form();
    JobSpec s = JobSpec::fromFile(jobsData(QStringLiteral("lora_job.json")));
    s.train.maxSteps = steps;
    s.train.batchSize = 2;
    s.train.seqLen = 32;
    s.train.evalEvery = 0;
    s.train.saveEvery = 0;
    s.data.validation.clear();
    s.data.train = train;
    s.output = dir.filePath(QStringLiteral("out-%1").arg(steps));
    form.setSpec(s);
  }
  QString statusOf(qint64 id) const {
    JobTableModel* m = panel->jobsModel();
    return m->index(m->rowOf(id), JobTableModel::Status).data().toString();
  }
  qint64 start() {
    const qint64 before = panel->jobsModel()->rowCount();
    panel->form()->findChild<QPushButton*>(QStringLiteral("start"))->click();
    if (panel->jobsModel()->rowCount() != before + 1) return 0;
    return panel->selectedJob();
  }
};

}  // namespace

class TestGuiJobs : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void loraFormMatchesTheCliExample() {
    JobForm form;
    enterLoraExample(form);
    QCOMPARE(form.validate(), QString());
    const JobSpec fromForm = JobSpec::fromJson(form.json(), QStringLiteral("form"));
    const JobSpec fromFile = JobSpec::fromFile(jobsData(QStringLiteral("lora_job.json")));
    QCOMPARE(fromForm.toJson(), fromFile.toJson());
    QVERIFY(fromForm == fromFile);
    // The read-only view shows exactly that JSON.
    const QString shown = field<QPlainTextEdit>(&form, QStringLiteral("jsonView"))->toPlainText();
    QCOMPARE(QJsonDocument::fromJson(shown.toUtf8()).object(), form.json());
  }

  void targetModulesComeFromTheStudent() {
    JobForm form;
    setText(&form, QStringLiteral("student"), fixture(QStringLiteral("tiny-llama")));
    form.validate();
    QListWidget* list = field<QListWidget>(&form, QStringLiteral("lora.target_modules"));
    QStringList names;
    for (int i = 0; i < list->count(); ++i) names.append(list->item(i)->text());
    for (const char* n : {"all-linear", "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"})
      QVERIFY2(names.contains(QLatin1String(n)), qPrintable(names.join(QLatin1Char(' '))));
    QCOMPARE(names.size(), 8);
    // The default targets stay checked.
    QCOMPARE(form.spec().lora.targetModules, (QStringList{QStringLiteral("q_proj"), QStringLiteral("v_proj")}));
    setText(&form, QStringLiteral("student"), QStringLiteral("/no/such/model"));
    form.validate();
    QVERIFY(field<QLabel>(&form, QStringLiteral("modulesNote"))->text().contains(QStringLiteral("/no/such/model")));
  }

  void presetsFillTheDocumentedValues() {
    JobForm form;
    setText(&form, QStringLiteral("data.train"), QStringLiteral("/data/train.jsonl"));
    form.applyPreset(JobPreset::ProgressiveKd);
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("kind"))->currentData().toString(), QStringLiteral("distill"));
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("kd.temperature_schedule.kind"))->currentText(),
             QStringLiteral("stages"));
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("kd.temperature_schedule.start"))->value(), 3.0);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("kd.temperature_schedule.per_stage"))->value(), -0.8);
    QCOMPARE(field<QSpinBox>(&form, QStringLiteral("kd.temperature_schedule.stages"))->value(), 3);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("kd.alpha_schedule.start"))->value(), 0.5);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("kd.alpha_schedule.per_stage"))->value(), 0.15);
    QCOMPARE(field<QSpinBox>(&form, QStringLiteral("kd.alpha_schedule.stages"))->value(), 3);
    const KdSpec kd = form.spec().kd;
    QCOMPARE(kd.temperatureSchedule, (ScheduleSpec{QStringLiteral("stages"), 3.0, 3.0, 3, -0.8}));
    QCOMPARE(kd.alphaSchedule, (ScheduleSpec{QStringLiteral("stages"), 0.5, 0.5, 3, 0.15}));
    QCOMPARE(form.spec().data.train, QStringLiteral("/data/train.jsonl"));  // a preset keeps the data

    form.applyPreset(JobPreset::Lora);
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("kind"))->currentData().toString(), QStringLiteral("lora"));
    QCOMPARE(field<QSpinBox>(&form, QStringLiteral("lora.r"))->value(), 16);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("lora.alpha"))->value(), 32.0);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("lora.dropout"))->value(), 0.1);
    QCOMPARE(form.spec().lora.targetModules, (QStringList{QStringLiteral("q_proj"), QStringLiteral("v_proj")}));
    QVERIFY(!form.json().contains(QStringLiteral("kd")));  // a LoRA job carries no kd section

    form.applyPreset(JobPreset::FullFt);
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("kind"))->currentData().toString(), QStringLiteral("full_ft"));
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.lr"))->value(), 3e-5);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.lr"))->text(), QStringLiteral("3e-05"));
    QCOMPARE(form.json().value(QStringLiteral("train")).toObject().value(QStringLiteral("lr")).toDouble(), 3e-5);
  }

  void invalidValuesShowTheKeyInline_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("value");
    QTest::addRow("lora.r=0") << QStringLiteral("lora.r") << 0;
    QTest::addRow("train.batch_size=0") << QStringLiteral("train.batch_size") << 0;
    QTest::addRow("train.max_steps=0") << QStringLiteral("train.max_steps") << 0;
  }
  void invalidValuesShowTheKeyInline() {
    QFETCH(QString, key);
    QFETCH(int, value);
    JobForm form;
    enterLoraExample(form);
    QCOMPARE(form.validate(), QString());
    setInt(&form, key, value);
    const QString error = form.validate();
    QVERIFY2(error.contains(key + QLatin1Char('=') + QString::number(value)), qPrintable(error));
    QCOMPARE(field<QLabel>(&form, QStringLiteral("validationMessage"))->text(), error);
    QCOMPARE(form.errorField(), key);
    QVERIFY(field<QSpinBox>(&form, key)->styleSheet().contains(QStringLiteral("#c62828")));
    // Fixed: the message and the highlight go.
    setInt(&form, key, 2);
    QCOMPARE(form.validate(), QString());
    QCOMPARE(form.errorField(), QString());
    QVERIFY(field<QSpinBox>(&form, key)->styleSheet().isEmpty());
  }

  void formProblemsNameTheirField() {
    JobForm form;
    enterLoraExample(form);
    setText(&form, QStringLiteral("output"), QString());
    QVERIFY2(form.validate().contains(QStringLiteral("output")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("output"));
    form.applyPreset(JobPreset::ProgressiveKd);
    setText(&form, QStringLiteral("output"), QStringLiteral("/tmp/o"));
    setText(&form, QStringLiteral("teacher"), fixture(QStringLiteral("tiny-llama")));
    QCOMPARE(form.validate(), QString());
    setText(&form, QStringLiteral("kd.feature.layers"), QStringLiteral("1, x"));
    QVERIFY2(form.validate().contains(QStringLiteral("kd.feature.layers")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("kd.feature.layers"));
  }

  void sweepOverGridValues() {
    JobForm form;
    enterLoraExample(form);
    field<QWidget>(&form, QStringLiteral("sweep"))->setProperty("checked", true);
    QTableWidget* params = field<QTableWidget>(&form, QStringLiteral("sweep.params"));
    params->setRowCount(2);
    params->setItem(0, 0, new QTableWidgetItem(QStringLiteral("train.lr")));
    params->setItem(0, 1, new QTableWidgetItem(QStringLiteral("1e-4, 3e-4")));
    params->setItem(1, 0, new QTableWidgetItem(QStringLiteral("lora.r")));
    params->setItem(1, 1, new QTableWidgetItem(QStringLiteral("4, 8")));
    QCOMPARE(form.validate(), QString());
    const JobSpec s = JobSpec::fromJson(form.json(), QStringLiteral("form"));
    QCOMPARE(s.kind, JobKind::Sweep);
    QCOMPARE(s.sweep.params.size(), size_t(2));
    QCOMPARE(s.sweep.params[0].key, QStringLiteral("train.lr"));
    QCOMPARE(s.sweep.params[0].values, (std::vector<double>{1e-4, 3e-4}));
    QCOMPARE(s.sweep.params[1].values, (std::vector<double>{4, 8}));
    QVERIFY(JobSpec::fromJson(s.sweep.base, QStringLiteral("base")) ==
            JobSpec::fromFile(jobsData(QStringLiteral("lora_job.json"))));
    // A key that cannot be swept names the parameter.
    params->item(1, 0)->setText(QStringLiteral("lora.target_modules"));
    QVERIFY2(form.validate().contains(QStringLiteral("sweep.params[1].key")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("sweep.params"));
    params->item(1, 0)->setText(QStringLiteral("lora.r"));
    params->item(1, 1)->setText(QStringLiteral("4, eight"));
    QVERIFY2(form.validate().contains(QStringLiteral("eight")), qPrintable(form.errorText()));
    // A saved sweep loads back into the same form state.
    QTemporaryDir dir;
    params->item(1, 1)->setText(QStringLiteral("4, 8"));
    QString error;
    QVERIFY2(form.saveTo(dir.filePath(QStringLiteral("sweep.json")), &error), qPrintable(error));
    JobForm again;
    QVERIFY2(again.loadFrom(dir.filePath(QStringLiteral("sweep.json")), &error), qPrintable(error));
    QCOMPARE(again.json(), form.json());
  }

  void evalFormMatchesTheFile() {
    QTemporaryDir dir;
    Workspace ws = Workspace::init(dir.filePath(QStringLiteral("ws")), QStringLiteral("eval form"));
    const JobSpec file = JobSpec::fromFile(jobsData(QStringLiteral("eval_job.json")));
    ModelStore(ws.store()).addFolder(file.models[0].path, ModelRole::Teacher);
    {
      JobForm form;
      form.setWorkspace(&ws);
      enterEvalExample(form, *form.findChild<EvalSection*>());
      QCOMPARE(form.validate(), QString());
      const JobSpec fromForm = JobSpec::fromJson(form.json(), QStringLiteral("form"));
      QCOMPARE(fromForm.toJson(), file.toJson());
      QVERIFY(fromForm == file);
      // No training keys in an evaluation's JSON (fromJson would refuse them).
      for (const char* k : {"student", "teacher", "train", "lora", "kd", "sweep"})
        QVERIFY2(!form.json().contains(QLatin1String(k)), k);
      // The baseline is picked from the labels.
      QComboBox* baseline = field<QComboBox>(&form, QStringLiteral("eval.baseline"));
      QStringList offered;
      for (int i = 0; i < baseline->count(); ++i) offered << baseline->itemData(i).toString();
      QCOMPARE(offered, (QStringList{QString(), QStringLiteral("tiny-llama"), QStringLiteral("llama+lora"),
                                     QStringLiteral("tiny-qwen2")}));
      // Saved and loaded back: the same job, and the models table shows the three rows.
      QString error;
      const QString path = dir.filePath(QStringLiteral("eval.json"));
      QVERIFY2(form.saveTo(path, &error), qPrintable(error));
      QVERIFY(JobSpec::fromFile(path) == file);
      JobForm again;
      QVERIFY2(again.loadFrom(path, &error), qPrintable(error));
      QCOMPARE(again.json(), form.json());
      QTableWidget* models = field<QTableWidget>(&again, QStringLiteral("models"));
      QCOMPARE(models->rowCount(), 3);
      QCOMPARE(cell(models, 1, EvalSection::Label), QStringLiteral("llama+lora"));
      QCOMPARE(cell(models, 1, EvalSection::Adapter), file.models[1].adapter);
      QCOMPARE(field<QComboBox>(&again, QStringLiteral("eval.baseline"))->currentData().toString(),
               QStringLiteral("tiny-llama"));
      // The example file itself loads into the form as the same job.
      JobForm loaded;
      QVERIFY2(loaded.loadFrom(jobsData(QStringLiteral("eval_job.json")), &error), qPrintable(error));
      QVERIFY(JobSpec::fromJson(loaded.json(), QStringLiteral("form")) == file);
      // Back to a training kind: no eval keys stay behind.
      setChoice(&loaded, QStringLiteral("kind"), QStringLiteral("lora"));
      QVERIFY(!loaded.json().contains(QStringLiteral("models")) && !loaded.json().contains(QStringLiteral("eval")));
    }
    ws.store().closeThisThread();
  }

  void evalProblemsNameTheirKey() {
    JobForm form;
    form.loadFrom(jobsData(QStringLiteral("eval_job.json")), nullptr);
    QCOMPARE(form.validate(), QString());
    setInt(&form, QStringLiteral("eval.stride"), 0);
    QVERIFY2(form.validate().contains(QStringLiteral("eval.stride")) &&
                 form.errorText().contains(QStringLiteral("between 1 and seq_len (64)")),
             qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("eval.stride"));
    QCOMPARE(field<QLabel>(&form, QStringLiteral("validationMessage"))->text(), form.errorText());
    setInt(&form, QStringLiteral("eval.stride"), 65);  // more than the window
    QVERIFY2(form.validate().contains(QStringLiteral("eval.stride=65")), qPrintable(form.errorText()));
    setInt(&form, QStringLiteral("eval.stride"), 32);
    setInt(&form, QStringLiteral("eval.max_new_tokens"), 0);
    QVERIFY2(form.validate().contains(QStringLiteral("eval.max_new_tokens=0")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("eval.max_new_tokens"));
    setInt(&form, QStringLiteral("eval.max_new_tokens"), 16);
    QCOMPARE(form.validate(), QString());
    // Two models under one label: the row's key, on the models table.
    QTableWidget* models = field<QTableWidget>(&form, QStringLiteral("models"));
    models->item(2, EvalSection::Label)->setText(QStringLiteral("tiny-llama"));
    QVERIFY2(form.validate().contains(QStringLiteral("models[2].label")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("models"));
    models->item(2, EvalSection::Label)->setText(QStringLiteral("tiny-qwen2"));
    // Generation needs prompts: text rows have none.
    setChoice(&form, QStringLiteral("data.format"), QStringLiteral("text"));
    QVERIFY2(form.validate().contains(QStringLiteral("eval.tasks")) &&
                 form.errorText().contains(QStringLiteral("generation")),
             qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("eval.tasks"));
    setChecks(&form, QStringLiteral("eval.tasks"), {QStringLiteral("perplexity")});
    QCOMPARE(form.validate(), QString());
    // No model at all, and no test set.
    models->setRowCount(0);
    QVERIFY2(form.validate().startsWith(QStringLiteral("job: models")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("models"));
    JobForm fresh;
    setChoice(&fresh, QStringLiteral("kind"), QStringLiteral("eval"));
    fresh.findChild<EvalSection*>()->addModel(QString(), fixture(QStringLiteral("tiny-llama")));
    setText(&fresh, QStringLiteral("output"), QStringLiteral("/tmp/o"));
    QVERIFY2(fresh.validate().contains(QStringLiteral("data.test")), qPrintable(fresh.errorText()));
    QCOMPARE(fresh.errorField(), QStringLiteral("data.test"));
    // A fresh evaluation starts with core's default tasks (the format is text: no generation) and all metrics.
    QCOMPARE(fresh.spec().eval.tasks,
             (QStringList{QStringLiteral("perplexity"), QStringLiteral("next_token_accuracy")}));
    QCOMPARE(fresh.spec().eval.metrics, EvalSpec{}.metrics);
    setText(&fresh, QStringLiteral("data.test"), jobsData(QStringLiteral("text.jsonl")));
    QCOMPARE(fresh.validate(), QString());
    QCOMPARE(fresh.spec().models[0].label, QStringLiteral("tiny-llama"));
    // A second model from the same folder gets a label of its own.
    fresh.findChild<EvalSection*>()->addModel(QString(), fixture(QStringLiteral("tiny-llama")));
    QCOMPARE(fresh.spec().models[1].label, QStringLiteral("tiny-llama-2"));
    QCOMPARE(fresh.validate(), QString());
  }

  void workspaceMenuWithoutModels() {
    JobForm form;
    QMenu* menu = form.findChild<EvalSection*>()->workspaceMenu();
    QCOMPARE(menu->actions().size(), 1);
    QVERIFY(!menu->actions().first()->isEnabled());
    QTemporaryDir dir;
    Workspace ws = Workspace::init(dir.filePath(QStringLiteral("ws")), QStringLiteral("empty"));
    form.setWorkspace(&ws);
    menu = form.findChild<EvalSection*>()->workspaceMenu();
    QCOMPARE(menu->actions().size(), 1);
    QVERIFY(!menu->actions().first()->isEnabled());
    QVERIFY2(menu->actions().first()->text().contains(QStringLiteral("Models panel")),
             qPrintable(menu->actions().first()->text()));
    form.setWorkspace(nullptr);
    ws.store().closeThisThread();
  }

  void advancedKeysRoundTrip_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QVariant>("value");
    QTest::addRow("train.weight_decay") << QStringLiteral("train.weight_decay") << "lora" << QVariant(0.01);
    QTest::addRow("train.beta1") << QStringLiteral("train.beta1") << "lora" << QVariant(0.85);
    QTest::addRow("train.beta2") << QStringLiteral("train.beta2") << "lora" << QVariant(0.95);
    QTest::addRow("train.eps") << QStringLiteral("train.eps") << "lora" << QVariant(1e-6);
    QTest::addRow("train.eps tiny") << QStringLiteral("train.eps") << "lora" << QVariant(1e-12);
    QTest::addRow("train.max_grad_norm") << QStringLiteral("train.max_grad_norm") << "lora" << QVariant(0.5);
    QTest::addRow("train.max_grad_norm off") << QStringLiteral("train.max_grad_norm") << "full_ft" << QVariant(0.0);
    QTest::addRow("train.early_stop_threshold") << QStringLiteral("train.early_stop_threshold") << "lora"
                                                << QVariant(0.02);
    QTest::addRow("train.patience") << QStringLiteral("train.patience") << "lora" << QVariant(4);
    QTest::addRow("train.max_bad_steps") << QStringLiteral("train.max_bad_steps") << "lora" << QVariant(7);
    QTest::addRow("train.qat") << QStringLiteral("train.qat") << "full_ft" << QVariant(QStringLiteral("int4-g64"));
    QTest::addRow("data.truncation") << QStringLiteral("data.truncation") << "lora" << QVariant(QStringLiteral("left"));
    QTest::addRow("kd.cache.top_k") << QStringLiteral("kd.cache.top_k") << "distill" << QVariant(64);
    QTest::addRow("kd.cache.dir") << QStringLiteral("kd.cache.dir") << "distill"
                                  << QVariant(QStringLiteral("/tmp/kd-cache"));
  }
  void advancedKeysRoundTrip() {
    QFETCH(QString, key);
    QFETCH(QString, kind);
    QFETCH(QVariant, value);
    JobForm form;
    enterLoraExample(form);
    if (kind == QLatin1String("full_ft")) form.applyPreset(JobPreset::FullFt);
    if (kind == QLatin1String("distill")) {
      form.applyPreset(JobPreset::ProgressiveKd);
      setText(&form, QStringLiteral("teacher"), fixture(QStringLiteral("tiny-llama")));
    }
    QCOMPARE(form.validate(), QString());
    QVERIFY2(valueAt(form.json(), key) != QJsonValue::fromVariant(value), "the value must differ from the default");
    QWidget* w = field<QWidget>(&form, key);
    if (auto* spin = qobject_cast<QSpinBox*>(w))
      spin->setValue(value.toInt());
    else if (auto* number = qobject_cast<QDoubleSpinBox*>(w))
      number->setValue(value.toDouble());
    else if (qobject_cast<QComboBox*>(w))
      setChoice(&form, key, value.toString());
    else
      setText(&form, key, value.toString());
    QCOMPARE(form.validate(), QString());
    const auto expectValue = [&](const QJsonObject& json) {
      const QJsonValue got = valueAt(json, key);
      if (value.typeId() == QMetaType::QString)
        QCOMPARE(got.toString(), value.toString());
      else
        QCOMPARE(got.toDouble(-1), value.toDouble());
    };
    expectValue(form.json());
    expectValue(JobSpec::fromJson(form.json(), QStringLiteral("form")).toJson());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("job.json"));
    QString error;
    QVERIFY2(form.saveTo(path, &error), qPrintable(error));
    expectValue(readJsonObject(path));
    JobForm loaded;
    QVERIFY2(loaded.loadFrom(path, &error), qPrintable(error));
    QCOMPARE(loaded.json(), form.json());
    QWidget* shown = field<QWidget>(&loaded, key);
    if (auto* spin = qobject_cast<QSpinBox*>(shown))
      QCOMPARE(spin->value(), value.toInt());
    else if (auto* number = qobject_cast<QDoubleSpinBox*>(shown))
      QCOMPARE(number->value(), value.toDouble());
    else if (auto* combo = qobject_cast<QComboBox*>(shown))
      QCOMPARE(combo->currentText(), value.toString());
    else
      QCOMPARE(qobject_cast<QLineEdit*>(shown)->text(), value.toString());
  }

  void advancedFileLoadsIntoTheFields() {
    JobForm form;
    QString error;
    QVERIFY2(form.loadFrom(jobsData(QStringLiteral("advanced_job.json")), &error), qPrintable(error));
    QCOMPARE(form.validate(), QString());
    const JobSpec file = JobSpec::fromFile(jobsData(QStringLiteral("advanced_job.json")));
    QVERIFY(JobSpec::fromJson(form.json(), QStringLiteral("form")) == file);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.weight_decay"))->value(), 0.01);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.beta1"))->value(), 0.85);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.beta2"))->value(), 0.95);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.eps"))->value(), 1e-6);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.eps"))->text(), QStringLiteral("1e-06"));
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.max_grad_norm"))->value(), 0.5);
    QCOMPARE(field<QDoubleSpinBox>(&form, QStringLiteral("train.early_stop_threshold"))->value(), 0.02);
    QCOMPARE(field<QSpinBox>(&form, QStringLiteral("train.patience"))->value(), 4);
    QCOMPARE(field<QSpinBox>(&form, QStringLiteral("train.max_bad_steps"))->value(), 7);
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("train.qat"))->currentText(), QStringLiteral("int4-g64"));
    QCOMPARE(field<QComboBox>(&form, QStringLiteral("data.truncation"))->currentText(), QStringLiteral("left"));
    QTableWidget* fields = field<QTableWidget>(&form, QStringLiteral("data.fields"));
    QCOMPARE(fields->rowCount(), 2);
    QCOMPARE(cell(fields, 0, 0), QStringLiteral("instruction"));
    QCOMPARE(cell(fields, 0, 1), QStringLiteral("question"));
    QCOMPARE(cell(fields, 1, 0), QStringLiteral("output"));
    QCOMPARE(cell(fields, 1, 1), QStringLiteral("answer"));
    // The Advanced groups start folded; their fields still go into the job.
    QToolButton* fold = field<QToolButton>(&form, QStringLiteral("trainAdvanced"));
    QVERIFY(!field<QWidget>(&form, QStringLiteral("train.beta1"))->isVisibleTo(fold->parentWidget()));
    fold->click();
    QVERIFY(field<QWidget>(&form, QStringLiteral("train.beta1"))->isVisibleTo(fold->parentWidget()));
    // Every Advanced field explains itself and its label moves the focus to it.
    for (const char* key : {"train.weight_decay", "train.beta1", "train.beta2", "train.eps", "train.max_grad_norm",
                            "train.early_stop_threshold", "train.patience", "train.max_bad_steps", "train.qat",
                            "data.fields", "kd.cache.top_k", "kd.cache.dir", "data.test", "models", "eval.tasks",
                            "eval.metrics", "eval.stride", "eval.baseline"}) {
      QWidget* w = field<QWidget>(&form, QLatin1String(key));
      QVERIFY2(!w->toolTip().isEmpty(), key);
      bool buddied = false;
      for (QLabel* l : form.findChildren<QLabel*>()) buddied = buddied || l->buddy() == w;
      QVERIFY2(buddied, key);
    }
  }

  void dataFieldProblemsNameTheirKey() {
    JobForm form;
    enterLoraExample(form);
    QTableWidget* fields = field<QTableWidget>(&form, QStringLiteral("data.fields"));
    setCell(fields, 0, 0, QStringLiteral("question"));  // not a schema field
    setCell(fields, 0, 1, QStringLiteral("q"));
    QVERIFY2(form.validate().contains(QStringLiteral("data.fields.question")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("data.fields"));
    setCell(fields, 0, 0, QString());
    QVERIFY2(form.validate().contains(QStringLiteral("row 1")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("data.fields"));
    setCell(fields, 0, 0, QStringLiteral("instruction"));
    setCell(fields, 1, 0, QStringLiteral("instruction"));
    setCell(fields, 1, 1, QStringLiteral("q2"));
    QVERIFY2(form.validate().contains(QStringLiteral("twice")), qPrintable(form.errorText()));
    fields->removeRow(1);
    QCOMPARE(form.validate(), QString());
    QCOMPARE(valueAt(form.json(), QStringLiteral("data.fields.instruction")).toString(), QStringLiteral("q"));
    setCell(fields, 1, 0, QString());  // a blank row added and left so: ignored
    QCOMPARE(form.validate(), QString());
  }

  void tpeSweepWithRanges() {
    JobForm form;
    enterLoraExample(form);
    field<QWidget>(&form, QStringLiteral("sweep"))->setProperty("checked", true);
    setChoice(&form, QStringLiteral("sweep.method"), QStringLiteral("tpe"));
    setInt(&form, QStringLiteral("sweep.trials"), 12);
    setChoice(&form, QStringLiteral("sweep.metric"), QStringLiteral("loss"));
    QTableWidget* params = field<QTableWidget>(&form, QStringLiteral("sweep.params"));
    QCOMPARE(params->columnCount(), 6);
    // Columns: key, values, min, max, log, integer.
    setCell(params, 0, 0, QStringLiteral("train.lr"));
    setCell(params, 0, 2, QStringLiteral("1e-5"));
    setCell(params, 0, 3, QStringLiteral("0.01"));
    setCheckCell(params, 0, 4, true);
    setCell(params, 1, 0, QStringLiteral("lora.r"));
    setCell(params, 1, 2, QStringLiteral("4"));
    setCell(params, 1, 3, QStringLiteral("32"));
    setCheckCell(params, 1, 5, true);
    setCell(params, 2, 0, QStringLiteral("lora.dropout"));
    setCell(params, 2, 1, QStringLiteral("0, 0.05, 0.1"));
    QCOMPARE(form.validate(), QString());
    const JobSpec s = JobSpec::fromJson(form.json(), QStringLiteral("form"));
    const JobSpec file = JobSpec::fromFile(jobsData(QStringLiteral("tpe_sweep.json")));
    QCOMPARE(s.kind, JobKind::Sweep);
    QCOMPARE(s.sweep.method, QStringLiteral("tpe"));
    QCOMPARE(s.sweep.trials, 12);
    QCOMPARE(s.sweep.metric, QStringLiteral("loss"));
    QCOMPARE(s.sweep.params.size(), size_t(3));
    const SweepParam lr{QStringLiteral("train.lr"), {}, 1e-5, 1e-2, true, false};
    const SweepParam r{QStringLiteral("lora.r"), {}, 4, 32, false, true};
    const SweepParam dropout{QStringLiteral("lora.dropout"), {0, 0.05, 0.1}, 0, 0, false, false};
    QVERIFY(s.sweep.params[0] == lr);
    QVERIFY(s.sweep.params[1] == r);
    QVERIFY(s.sweep.params[2] == dropout);
    QVERIFY(s.sweep.params == file.sweep.params);
    QCOMPARE(s.name, file.name);
    QVERIFY(JobSpec::fromJson(s.sweep.base, QStringLiteral("base")) ==
            JobSpec::fromJson(file.sweep.base, QStringLiteral("file base")));
    // The JSON holds the range, not values.
    const QJsonObject p0 = s.toJson()[QStringLiteral("sweep")][QStringLiteral("params")][0].toObject();
    QCOMPARE(p0.value(QStringLiteral("min")).toDouble(), 1e-5);
    QCOMPARE(p0.value(QStringLiteral("log")).toBool(), true);
    QVERIFY(!p0.contains(QStringLiteral("values")));

    // Saved and loaded: the same JSON, the range shown in its cells.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(form.saveTo(dir.filePath(QStringLiteral("tpe.json")), &error), qPrintable(error));
    JobForm again;
    QVERIFY2(again.loadFrom(dir.filePath(QStringLiteral("tpe.json")), &error), qPrintable(error));
    QCOMPARE(again.json(), form.json());
    QTableWidget* shown = field<QTableWidget>(&again, QStringLiteral("sweep.params"));
    QCOMPARE(cell(shown, 0, 2), QStringLiteral("1e-05"));
    QCOMPARE(cell(shown, 0, 3), QStringLiteral("0.01"));
    QCOMPARE(shown->item(0, 4)->checkState(), Qt::Checked);
    QCOMPARE(shown->item(1, 5)->checkState(), Qt::Checked);
    QCOMPARE(cell(shown, 2, 1), QStringLiteral("0, 0.05, 0.1"));
    QCOMPARE(cell(shown, 2, 2), QString());
    // The example file loads into the same form state.
    JobForm fromFile;
    QVERIFY2(fromFile.loadFrom(jobsData(QStringLiteral("tpe_sweep.json")), &error), qPrintable(error));
    QCOMPARE(fromFile.json(), form.json());

    // Invalid ranges name the parameter's key inline.
    setCell(params, 0, 2, QStringLiteral("0.1"));  // min > max
    QVERIFY2(form.validate().contains(QStringLiteral("sweep.params[0].max")) &&
                 form.errorText().contains(QStringLiteral("greater than min (0.1)")),
             qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("sweep.params"));
    QVERIFY(params->styleSheet().contains(QStringLiteral("#c62828")));
    setCell(params, 0, 2, QStringLiteral("0"));  // a log scale needs min > 0
    QVERIFY2(form.validate().contains(QStringLiteral("sweep.params[0].min")), qPrintable(form.errorText()));
    setCell(params, 0, 2, QStringLiteral("tiny"));
    QVERIFY2(form.validate().contains(QStringLiteral("sweep.params row 1: min \"tiny\"")),
             qPrintable(form.errorText()));
    setCell(params, 0, 2, QString());
    QVERIFY2(form.validate().contains(QStringLiteral("row 1: give values, or min and max")),
             qPrintable(form.errorText()));
    setCell(params, 0, 2, QStringLiteral("1e-5"));
    setCell(params, 0, 1, QStringLiteral("1e-4"));
    QVERIFY2(form.validate().contains(QStringLiteral("not both")), qPrintable(form.errorText()));
    setCell(params, 0, 1, QString());
    QCOMPARE(form.validate(), QString());
    // A grid sweep takes values only.
    setChoice(&form, QStringLiteral("sweep.method"), QStringLiteral("grid"));
    QVERIFY2(form.validate().contains(QStringLiteral("sweep.params[0].min")) &&
                 form.errorText().contains(QStringLiteral("grid")),
             qPrintable(form.errorText()));
  }

  void quantizeFormMatchesTheFile() {
    const JobSpec file = JobSpec::fromFile(jobsData(QStringLiteral("quantize_check_job.json")));
    JobForm form;
    setChoice(&form, QStringLiteral("kind"), QStringLiteral("quantize"));
    QWidget* page = form.findChild<QuantizeSection*>();
    setText(&form, QStringLiteral("name"), QStringLiteral("tiny-llama int4-g32"));
    setText(&form, QStringLiteral("output"), QStringLiteral("/tmp/distillery-examples/tiny-llama-int4"));
    setChoice(&form, QStringLiteral("device"), QStringLiteral("cpu"));
    setText(page, QStringLiteral("model"), file.model);
    setChoice(page, QStringLiteral("quantize.scheme"), QStringLiteral("int4-g32"));
    setChoice(page, QStringLiteral("quantize.activations"), QStringLiteral("int8"));
    setText(page, QStringLiteral("quantize.check.data.test"), jobsData(QStringLiteral("text.jsonl")));
    setInt(page, QStringLiteral("quantize.check.eval.seq_len"), 32);
    setInt(page, QStringLiteral("quantize.check.eval.stride"), 16);
    setInt(page, QStringLiteral("quantize.check.eval.max_samples"), 4);
    QCOMPARE(form.validate(), QString());
    const JobSpec fromForm = JobSpec::fromJson(form.json(), QStringLiteral("form"));
    QCOMPARE(fromForm.toJson(), file.toJson());
    QVERIFY(fromForm == file);
    for (const char* k : {"student", "teacher", "train", "lora", "kd", "sweep", "models"})
      QVERIFY2(!form.json().contains(QLatin1String(k)), k);
    // Saved, loaded back, and the example file itself: the same job.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(form.saveTo(dir.filePath(QStringLiteral("q.json")), &error), qPrintable(error));
    JobForm again;
    QVERIFY2(again.loadFrom(dir.filePath(QStringLiteral("q.json")), &error), qPrintable(error));
    QCOMPARE(again.json(), form.json());
    JobForm loaded;
    QVERIFY2(loaded.loadFrom(jobsData(QStringLiteral("quantize_check_job.json")), &error), qPrintable(error));
    QCOMPARE(loaded.json(), form.json());
    // Without the check: no data or eval section.
    setText(page, QStringLiteral("quantize.check.data.test"), QString());
    QCOMPARE(form.validate(), QString());
    QVERIFY(!form.json().contains(QStringLiteral("data")) && !form.json().contains(QStringLiteral("eval")));
  }

  void quantizeProblemsNameTheirKey() {
    JobForm form;
    QString error;
    QVERIFY2(form.loadFrom(jobsData(QStringLiteral("quantize_check_job.json")), &error), qPrintable(error));
    QWidget* page = form.findChild<QuantizeSection*>();
    const auto highlighted = [&](const QString& key) {
      return field<QWidget>(page, key)->styleSheet().contains(QStringLiteral("#c62828"));
    };
    // The check's window fields are the quantization page's, not the evaluation page's namesakes.
    setInt(page, QStringLiteral("quantize.check.eval.stride"), 0);
    QVERIFY2(form.validate().contains(QStringLiteral("eval.stride")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("quantize.check.eval.stride"));
    QVERIFY(highlighted(QStringLiteral("quantize.check.eval.stride")));
    setInt(page, QStringLiteral("quantize.check.eval.stride"), 16);
    // Simulated int8 activations need an integer scheme.
    setChoice(page, QStringLiteral("quantize.scheme"), QStringLiteral("f16"));
    QVERIFY2(form.validate().contains(QStringLiteral("quantize.activations")), qPrintable(form.errorText()));
    QVERIFY(highlighted(QStringLiteral("quantize.activations")));
    setChoice(page, QStringLiteral("quantize.activations"), QStringLiteral("none"));
    QCOMPARE(form.validate(), QString());
    // An adapter merged first cannot be checked against the model folder.
    setText(page, QStringLiteral("quantize.adapter"),
            fixture(QStringLiteral("tiny-llama")) + QStringLiteral("/lora-adapter"));
    QVERIFY2(form.validate().contains(QStringLiteral("data.test")), qPrintable(form.errorText()));
    QVERIFY(highlighted(QStringLiteral("quantize.check.data.test")));
    setText(page, QStringLiteral("quantize.check.data.test"), QString());
    QCOMPARE(form.validate(), QString());
    setText(page, QStringLiteral("model"), QString());
    QVERIFY2(form.validate().contains(QStringLiteral("model")), qPrintable(form.errorText()));
    QVERIFY(highlighted(QStringLiteral("model")));
  }

  void toolKindFilesAreRefused() {
    // Valid jobs of the kind the form does not edit (data): refused with the file and kind, the form keeps its job.
    JobForm form;
    enterLoraExample(form);
    const QJsonObject kept = form.json();
    for (const char* name : {"clean_job.json"}) {
      const QString path = jobsData(QLatin1String(name));
      const JobSpec spec = JobSpec::fromFile(path);
      QString error;
      QVERIFY(!form.loadFrom(path, &error));
      QVERIFY2(error.contains(path) && error.contains(QStringLiteral("kind ") + jobKindName(spec.kind)),
               qPrintable(error));
      QCOMPARE(form.json(), kept);
    }
  }

  void formModelsPassTheTester() {
    JobForm form;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemView* view : form.findChildren<QAbstractItemView*>())
      testers.push_back(std::make_unique<QAbstractItemModelTester>(
          view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    for (QComboBox* combo : form.findChildren<QComboBox*>())
      testers.push_back(std::make_unique<QAbstractItemModelTester>(
          combo->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    QVERIFY(testers.size() >= 20);
    QString error;
    // Filling, refilling and editing every table and list the form has.
    for (const char* file :
         {"eval_job.json", "tpe_sweep.json", "advanced_job.json", "kd_job.json", "quantize_check_job.json",
          "eval_job.json"})
      QVERIFY2(form.loadFrom(jobsData(QLatin1String(file)), &error), qPrintable(error));
    EvalSection* section = form.findChild<EvalSection*>();
    section->addModel(QString(), fixture(QStringLiteral("tiny-qwen2")));
    QTableWidget* models = field<QTableWidget>(&form, QStringLiteral("models"));
    models->item(0, EvalSection::Label)->setText(QStringLiteral("renamed"));
    models->removeRow(1);
    setChecks(&form, QStringLiteral("eval.tasks"), {QStringLiteral("perplexity")});
    QTableWidget* fields = field<QTableWidget>(&form, QStringLiteral("data.fields"));
    setCell(fields, 1, 0, QStringLiteral("output"));
    setCell(fields, 1, 1, QStringLiteral("answer"));
    fields->removeRow(0);
    // The baseline's label was renamed away: kept in its list, so validation names it.
    QVERIFY2(form.validate().contains(QStringLiteral("eval.baseline")), qPrintable(form.errorText()));
    QCOMPARE(form.errorField(), QStringLiteral("eval.baseline"));
    QCOMPARE(form.spec().data.fields, (QMap<QString, QString>{{QStringLiteral("output"), QStringLiteral("answer")}}));
  }

  void saveAndLoadRoundTrip() {
    QTemporaryDir dir;
    JobForm form;
    enterLoraExample(form);
    setNumber(&form, QStringLiteral("lora.dropout"), 0.05);
    const QString path = dir.filePath(QStringLiteral("job.json"));
    QString error;
    QVERIFY2(form.saveTo(path, &error), qPrintable(error));
    // The file is what the CLI reads, and holds the form's job.
    QVERIFY(JobSpec::fromFile(path) == JobSpec::fromJson(form.json(), QStringLiteral("form")));
    QCOMPARE(readJsonObject(path), form.json());
    JobForm loaded;
    QVERIFY2(loaded.loadFrom(path, &error), qPrintable(error));
    QCOMPARE(loaded.json(), form.json());
    QCOMPARE(field<QDoubleSpinBox>(&loaded, QStringLiteral("lora.dropout"))->value(), 0.05);

    // An invalid form is not saved: the previous file stays as it was.
    const QByteArray before = [&] {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    setInt(&form, QStringLiteral("lora.r"), 0);
    QVERIFY(!form.saveTo(path, &error));
    QVERIFY2(error.contains(QStringLiteral("lora.r")), qPrintable(error));
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before);

    // A bad file is refused with its key, and the form keeps what it had.
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    QFile out(bad);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(R"({"kind": "lora", "student": "s", "output": "o", "data": {"train": "t"}, "lora": {"r": -3}})");
    out.close();
    const QJsonObject kept = loaded.json();
    QVERIFY(!loaded.loadFrom(bad, &error));
    QVERIFY2(error.contains(QStringLiteral("lora.r")) && error.contains(bad), qPrintable(error));
    QCOMPARE(loaded.json(), kept);

    // Relative paths in a loaded file resolve against its folder, as the CLI does.
    QVERIFY(loaded.loadFrom(jobsData(QStringLiteral("lora_job.json")), &error));
    QCOMPARE(field<QLineEdit>(&loaded, QStringLiteral("data.train"))->text(), jobsData(QStringLiteral("alpaca.jsonl")));
  }

  void schedulePreviewEqualsCoreSchedule() {
    JobForm form;
    form.applyPreset(JobPreset::ProgressiveKd);
    setInt(&form, QStringLiteral("train.max_steps"), 30);
    form.validate();
    const SchedulePreview* preview = form.schedulePreview();
    QCOMPARE(preview->steps().size(), 30);
    const KdSpec kd = form.spec().kd;
    for (int step : {0, 9, 10, 19, 20, 29}) {
      const KdLossOptions o = kdOptionsAtStep(kd, step, 30);
      QCOMPARE(preview->steps()[step], double(step));
      QCOMPARE(preview->temperatures()[step], o.temperature);
      QCOMPARE(preview->alphas()[step], o.alpha);
    }
    // The documented values: τ 3.0 → 2.2 → 1.4, α 0.5 → 0.65 → 0.8.
    QVERIFY(qAbs(preview->temperatures()[0] - 3.0) < 1e-12);
    QVERIFY(qAbs(preview->temperatures()[15] - 2.2) < 1e-12);
    QVERIFY(qAbs(preview->temperatures()[29] - 1.4) < 1e-12);
    QVERIFY(qAbs(preview->alphas()[15] - 0.65) < 1e-12);
    QVERIFY(qAbs(preview->alphas()[29] - 0.8) < 1e-12);
    // Long runs are sampled, last step included; a cosine τ matches core there too.
    setChoice(&form, QStringLiteral("kd.temperature_schedule.kind"), QStringLiteral("cosine"));
    setNumber(&form, QStringLiteral("kd.temperature_schedule.end"), 1.0);
    setInt(&form, QStringLiteral("train.max_steps"), 100000);
    form.validate();
    QCOMPARE(preview->steps().size(), SchedulePreview::kMaxPoints);
    QCOMPARE(preview->steps().last(), 99999.0);
    for (int i : {0, 100, 399}) {
      const auto step = int64_t(preview->steps()[i]);
      QCOMPARE(preview->temperatures()[i], kdOptionsAtStep(form.spec().kd, step, 100000).temperature);
    }
  }

  void errorHints_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("expected");
    QTest::addRow("oom") << QStringLiteral("CUDA out of memory. Tried to allocate 2.00 GiB")
                         << QStringLiteral("batch_size");
    QTest::addRow("tokenizer") << QStringLiteral("teacher /t: tokenizer differs from the student's")
                               << QStringLiteral("preflight");
    QTest::addRow("nan") << QStringLiteral("loss is NaN for 5 steps in a row") << QStringLiteral("lower train.lr");
    QTest::addRow("missing") << QStringLiteral("/x/train.jsonl: cannot be opened: No such file or directory")
                             << QStringLiteral("missing");
    QTest::addRow("none") << QStringLiteral("something else entirely") << QString();
  }
  void errorHints() {
    QFETCH(QString, error);
    QFETCH(QString, expected);
    const QString hint = jobErrorHint(error);
    if (expected.isEmpty())
      QVERIFY2(hint.isEmpty(), qPrintable(hint));
    else
      QVERIFY2(hint.contains(expected), qPrintable(hint));
  }

  void jobsModelPassesTheTester() {
    PanelFixture f;
    f.ws->store().exec(
        QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, progress, error, created_at) "
                       "VALUES ('lora', 'old run', '{}', 'failed', 0.5, 'CUDA out of memory', 'then')"));
    f.ws->store().exec(
        QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, progress, created_at) "
                       "VALUES ('distill', 'done run', '{}', 'succeeded', 1.0, 'now')"));
    JobTableModel* m = f.panel->jobsModel();
    m->reload();
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(m->columnCount(), int(JobTableModel::ColumnCount));
    QCOMPARE(m->headerData(JobTableModel::Status, Qt::Horizontal).toString(), QStringLiteral("Status"));
    const int failed = m->rowOf(1);
    QCOMPARE(m->index(failed, JobTableModel::Name).data().toString(), QStringLiteral("old run"));
    QCOMPARE(m->index(failed, JobTableModel::Status).data().toString(), QStringLiteral("failed"));
    QCOMPARE(m->index(failed, JobTableModel::Progress).data(JobTableModel::ProgressRole).toDouble(), 0.5);
    QCOMPARE(m->index(failed, JobTableModel::Progress).data().toString(), QStringLiteral("50%"));
    f.panel->selectJob(1);
    QVERIFY(f.panel->detailsText().contains(QStringLiteral("CUDA out of memory")));
    QVERIFY(f.panel->detailsText().contains(QStringLiteral("Suggested fix")));
    QVERIFY(f.panel->findChild<QPushButton*>(QStringLiteral("resume"))->isEnabled());
    QVERIFY(!f.panel->findChild<QPushButton*>(QStringLiteral("cancel"))->isEnabled());
    QCOMPARE(f.panel->findChild<QLabel*>(QStringLiteral("gpuStatus"))->text().isEmpty(), false);
    f.panel->setWorkspace(nullptr, nullptr);
    QCOMPARE(m->rowCount(), 0);
    QVERIFY(!f.panel->form()->findChild<QPushButton*>(QStringLiteral("start"))->isEnabled());
    f.panel->setWorkspace(&*f.ws, f.runner.get());
    QCOMPARE(m->rowCount(), 2);
  }

  void tinyLoraJobRunsFromThePanel() {
    PanelFixture f;
    f.enterTinyJob(6);
    const qint64 id = f.start();
    QVERIFY2(id > 0, qPrintable(f.panel->form()->errorText() + f.panel->lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("succeeded"), 180000);
    JobTableModel* m = f.panel->jobsModel();
    const int row = m->rowOf(id);
    QCOMPARE(m->index(row, JobTableModel::Progress).data(JobTableModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(m->index(row, JobTableModel::Progress).data().toString(), QStringLiteral("100%"));
    QCOMPARE(m->index(row, JobTableModel::Step).data().toString(), QStringLiteral("6 / 6"));
    QCOMPARE(m->index(row, JobTableModel::Kind).data().toString(), QStringLiteral("lora"));
    QVERIFY(!m->index(row, JobTableModel::Loss).data().toString().isEmpty());
    // The store keeps the job as it was sent (the form's JSON verbatim).
    QCOMPARE(JobStore(f.ws->store()).job(id).config, f.panel->form()->json());
    QTRY_VERIFY(f.panel->detailsText().contains(QStringLiteral("status: succeeded")));
    // The log also shows the job's messages and, once a second, its last metrics from the store.
    QVERIFY2(f.panel->detailsText().contains(QStringLiteral("checkpoint")), qPrintable(f.panel->detailsText()));
    const double loss = JobStore(f.ws->store())
                            .lastMetrics(id)
                            .value(QStringLiteral("loss"))
                            .toObject()
                            .value(QStringLiteral("value"))
                            .toDouble();
    QVERIFY(loss > 0);
    QTRY_VERIFY2(f.panel->detailsText().contains(QStringLiteral("last metrics (step 6): ")) &&
                     f.panel->detailsText().contains(QStringLiteral("loss=") + QString::number(loss, 'g', 5)),
                 qPrintable(f.panel->detailsText()));
    QVERIFY(QFile::exists(f.dir.filePath(QStringLiteral("out-6/adapter_model.safetensors"))));
  }

  void tinyEvalJobRunsFromThePanel() {
    PanelFixture f;
    JobForm& form = *f.panel->form();
    setChoice(&form, QStringLiteral("kind"), QStringLiteral("eval"));
    form.findChild<EvalSection*>()->addModel(QString(), fixture(QStringLiteral("tiny-llama")));
    setText(&form, QStringLiteral("data.test"), jobsData(QStringLiteral("text.jsonl")));
    setChoice(&form, QStringLiteral("data.format"), QStringLiteral("text"));
    setChecks(&form, QStringLiteral("eval.tasks"), {QStringLiteral("perplexity")});
    setInt(&form, QStringLiteral("eval.max_samples"), 2);
    setInt(&form, QStringLiteral("eval.seq_len"), 16);
    setInt(&form, QStringLiteral("eval.stride"), 8);
    setText(&form, QStringLiteral("output"), f.dir.filePath(QStringLiteral("eval-out")));
    const qint64 id = f.start();
    QVERIFY2(id > 0, qPrintable(form.errorText() + f.panel->lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("succeeded"), 120000);
    QCOMPARE(f.panel->jobsModel()->index(f.panel->jobsModel()->rowOf(id), JobTableModel::Kind).data().toString(),
             QStringLiteral("eval"));
    QCOMPARE(JobStore(f.ws->store()).job(id).config, form.json());
    // The model was scored under its label on the two rows asked for.
    const QList<EvaluationRow> rows = EvalStore(f.ws->store()).evaluations(id);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].modelLabel, QStringLiteral("tiny-llama"));
    QCOMPARE(EvalStore(f.ws->store()).sampleCount(rows[0].id), qint64(2));
    const double ppl = rows[0].metrics.value(QStringLiteral("perplexity")).toDouble();
    QVERIFY2(ppl > 1 && std::isfinite(ppl), qPrintable(QString::number(ppl)));
  }

  void cancelFromTheUi() {
    PanelFixture f;
    f.enterTinyJob(100000);
    const qint64 id = f.start();
    QVERIFY(id > 0);
    JobTableModel* m = f.panel->jobsModel();
    // Wait for a first step, so the cancel hits a running training loop.
    QTRY_VERIFY_WITH_TIMEOUT(f.runner->snapshot(id).step >= 1, 120000);
    QTRY_VERIFY(m->index(m->rowOf(id), JobTableModel::Step).data().toString().endsWith(QStringLiteral(" / 100000")));
    QCOMPARE(f.statusOf(id), QStringLiteral("running"));
    f.panel->selectJob(id);
    QPushButton* cancel = f.panel->findChild<QPushButton*>(QStringLiteral("cancel"));
    QVERIFY(cancel->isEnabled());
    // Pause and resume from the buttons: the loop waits, then goes on.
    QPushButton* pause = f.panel->findChild<QPushButton*>(QStringLiteral("pause"));
    QPushButton* resume = f.panel->findChild<QPushButton*>(QStringLiteral("resume"));
    QVERIFY(pause->isEnabled());
    QVERIFY(!resume->isEnabled());
    pause->click();
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("paused"), 10000);
    const int64_t pausedAt = f.runner->snapshot(id).step;
    QTest::qWait(300);
    QVERIFY(f.runner->snapshot(id).step <= pausedAt + 1);  // at most the step under way when paused
    QTRY_VERIFY(resume->isEnabled());
    QVERIFY(!pause->isEnabled());
    resume->click();
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("running"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(f.runner->snapshot(id).step > pausedAt + 1, 60000);
    QElapsedTimer clock;
    clock.start();
    cancel->click();
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("cancelled"), 10000);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(f.panel->findChild<QPushButton*>(QStringLiteral("resume"))->isEnabled());
  }

  void failedJobShowsItsErrorAndAHint() {
    PanelFixture f;
    const QString missing = f.dir.filePath(QStringLiteral("no-such-data.jsonl"));
    f.enterTinyJob(3, missing);
    const qint64 id = f.start();
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(f.statusOf(id), QStringLiteral("failed"), 60000);
    f.panel->selectJob(id);
    const QString details = f.panel->detailsText();
    QVERIFY2(details.contains(missing), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Suggested fix")) && details.contains(QStringLiteral("missing")),
             qPrintable(details));
    QVERIFY(f.panel->findChild<QLabel*>(QStringLiteral("jobError"))->isVisible());
  }
};

QTEST_MAIN(TestGuiJobs)
#include "tst_gui_jobs.moc"
