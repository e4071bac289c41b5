// The Jobs panel offscreen: the job form against the CLI's example job (same JobSpec), presets, inline validation,
// save/load, the τ/α preview against core's schedule, the student's module names, and real tiny CPU jobs started,
// cancelled and failed from the panel through MainWindow's kind of JobRunner.
#include "../common/Fixtures.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "jobs/FormFields.h"
#include "jobs/JobErrorHint.h"
#include "jobs/JobForm.h"
#include "jobs/JobRunner.h"
#include "jobs/JobTableModel.h"
#include "jobs/JobsPanel.h"
#include "jobs/SchedulePreview.h"
#include "kd/Schedule.h"
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
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTableWidget>

#include <QtCore/QElapsedTimer>

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
