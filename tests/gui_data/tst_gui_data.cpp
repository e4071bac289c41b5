// The Data panel offscreen: the lazy preview model (chunks, exact rows and values, a 10k-row file not read at
// once, CSV columns), import registering a row, statistics in the worker equal to `distillery-cli data stats`,
// cancel, bad files; the action dialogs (each one's job JSON for given values, inline messages naming the bad
// field, remembered settings); clean, dedup and split run as jobs from the panel with outputs byte-equal to the
// CLI's and their lineage registered; a generate job (tiny-llama teacher) cancelled from the panel.
#include "../common/Fixtures.h"
#include "../common/TestUtil.h"
#include "data/CleanDialog.h"
#include "data/DataPanel.h"
#include "data/DedupDialog.h"
#include "data/GenerateDialog.h"
#include "data/SplitDialog.h"
#include "data/DatasetListModel.h"
#include "data/LazyRowModel.h"
#include "data/LengthHistogram.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "store/DatasetStore.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMimeData>
#include <QtCore/QRegularExpression>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtGui/QAction>
#include <QtGui/QDropEvent>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>

#include <memory>

using namespace distillery;
using namespace distillery::ui;

namespace {

PanelInfo info() { return {QStringLiteral("data"), QStringLiteral("Data"), QStringLiteral("Data."), {}}; }

QString dataFile(const QString& name) { return testDataDir() + QStringLiteral("/gui_data/") + name; }

QJsonObject cliJson(const QStringList& args) {
  const CliResult r = runCli(QStringList{QStringLiteral("--json")} + args);
  if (r.code != 0) qWarning() << r.code << r.err;
  return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

// rows lines of {"text": "row N ..."} with varying lengths; returns the path.
QString writeRows(const QTemporaryDir& dir, const QString& name, int rows, int repeat = 1) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  for (int i = 0; i < rows; ++i) {
    QString text = QStringLiteral("row %1").arg(i);
    for (int k = 0; k < (i % 7) * repeat; ++k) text += QStringLiteral(" word%1").arg(k);
    f.write(QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact) + '\n');
  }
  return path;
}

// Sets the dialog's field called key (its objectName) as a user would: a combo by its item data or text.
void setField(QWidget* dialog, const QString& key, const QVariant& value) {
  QWidget* w = dialog->findChild<QWidget*>(key);
  QVERIFY2(w, qPrintable(key));
  if (auto* spin = qobject_cast<QSpinBox*>(w)) spin->setValue(value.toInt());
  else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(w)) dspin->setValue(value.toDouble());
  else if (auto* check = qobject_cast<QCheckBox*>(w)) check->setChecked(value.toBool());
  else if (auto* combo = qobject_cast<QComboBox*>(w)) {
    int index = combo->findData(value);
    if (index < 0) index = combo->findText(value.toString());
    if (index >= 0) combo->setCurrentIndex(index);
    else if (combo->isEditable()) combo->setCurrentText(value.toString());
    else QFAIL(qPrintable(key + QStringLiteral(": no item ") + value.toString()));
  } else if (auto* edit = qobject_cast<QLineEdit*>(w)) edit->setText(value.toString());
  else QFAIL(qPrintable(key + QStringLiteral(": not a settings widget")));
}

std::unique_ptr<DataActionDialog> makeDialog(const QString& op, const DataActionInput& input) {
  if (op == QLatin1String("clean")) return std::make_unique<CleanDialog>(input);
  if (op == QLatin1String("dedup")) return std::make_unique<DedupDialog>(input);
  if (op == QLatin1String("split")) return std::make_unique<SplitDialog>(input);
  return std::make_unique<GenerateDialog>(input);
}

QJsonObject parseJson(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }

// The expected job with $IN, $OUT and $TEACHER replaced (the paths depend on the machine).
QJsonObject expand(QJsonObject o, const QMap<QString, QString>& vars) {
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (it.value().isObject()) it.value() = expand(it.value().toObject(), vars);
    else if (it.value().isString() && vars.contains(it.value().toString())) it.value() = vars[it.value().toString()];
  }
  return o;
}

// kLabelledRows rows {"text", "label"}: every third repeats an earlier one, one has a control character, one is
// written in full-width letters (NFKC folds it), one label in four is "b".
constexpr int kLabelledRows = 120;
QString writeLabelledRows(const QTemporaryDir& dir, const QString& name) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  for (int i = 0; i < kLabelledRows; ++i) {
    QString text = QStringLiteral("sentence number %1 about distillation").arg(i % 3 == 2 ? i - 1 : i);
    if (i == 7) text += QChar(0x07);
    if (i == 11) text = QStringLiteral("\uFF46\uFF55\uFF4C\uFF4C width sentence number 11");
    if (i == 13) text = QStringLiteral("short");
    const QJsonObject row{{QStringLiteral("text"), text}, {QStringLiteral("label"), i % 4 ? "a" : "b"}};
    f.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
  }
  return path;
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(cannot read ") + path.toUtf8() + ')';
}

bool waitFor(DataPanel& panel, QSignalSpy& spy, int ms = 60000) {
  if (spy.isEmpty() && !spy.wait(ms)) return false;
  return !panel.isBusy();
}

// A fresh workspace (with teacher registered when given), its job runner and a Data panel on both.
struct PanelOnRunner {
  explicit PanelOnRunner(const QString& dir, const QString& teacher = {}) : ws(Workspace::init(dir)) {
    if (!teacher.isEmpty()) ModelStore(ws.store()).addFolder(teacher, ModelRole::Teacher);
    runner = std::make_unique<JobRunner>(ws.store());
    panel.setWorkspace(&ws, runner.get());
  }
  ~PanelOnRunner() { panel.setWorkspace(nullptr, nullptr); }
  // Imports path (which becomes the selected dataset); true when it was registered.
  bool import(const QString& path) {
    done.clear();
    return panel.importDataset(path) && waitFor(panel, done) && done.first().at(0).toBool();
  }

  const Workspace ws;
  std::unique_ptr<JobRunner> runner;
  DataPanel panel{info()};
  QSignalSpy done{&panel, &DataPanel::actionFinished};
};

}  // namespace

class TestGuiData : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("DistilleryDataTest"));
    QSettings().clear();
  }
  void init() { QSettings().clear(); }

  // Each dialog's job JSON for given field values (set by their keys, as a user would).
  void dialogJson_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<QJsonObject>("expected");
    QTest::newRow("clean defaults") << "clean" << QVariantMap{} << parseJson(R"({
        "kind": "data", "name": "clean rows.jsonl", "output": "$JOB", "device": "cpu",
        "data_op": {"op": "clean", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "threshold": 0.9, "num_perm": 128, "shingle": 5, "minhash_seed": 1, "casefold": false,
                    "exact_dedup": true, "near_dedup": false, "min_chars": 0, "max_chars": 0, "min_tokens": 0,
                    "max_tokens": 0, "keep_empty": false, "unicode": "none", "keep_control": false, "scripts": [],
                    "min_script_share": 0.5, "max_lines": 20}})");
    QTest::newRow("clean tokens, scripts, near") << "clean"
        << QVariantMap{{"unicode", "nfkc"}, {"keep_control", true}, {"length_unit", "tokens"},
                       {"min_length", 4}, {"max_length", 512}, {"tokenizer", "$TEACHER"}, {"scripts", "han, latin"},
                       {"min_script_share", 0.75}, {"near_dedup", true}, {"threshold", 0.85}, {"casefold", true},
                       {"field", "question"}, {"format", "jsonl"}, {"on_bad_row", "fail"}}
        << parseJson(R"({
        "kind": "data", "name": "clean rows.jsonl", "output": "$JOB", "device": "cpu",
        "data_op": {"op": "clean", "input": "$IN", "output": "$OUT", "format": "jsonl", "on_bad_row": "fail",
                    "field": "question", "threshold": 0.85, "num_perm": 128, "shingle": 5, "minhash_seed": 1,
                    "casefold": true, "exact_dedup": true, "near_dedup": true, "min_chars": 0, "max_chars": 0,
                    "min_tokens": 4, "max_tokens": 512, "tokenizer": "$TEACHER", "keep_empty": false,
                    "unicode": "nfkc", "keep_control": true, "scripts": ["han", "latin"], "min_script_share": 0.75,
                    "max_lines": 20}})");
    QTest::newRow("clean chars") << "clean"
        << QVariantMap{{"min_length", 10}, {"max_length", 2000}, {"keep_empty", true}, {"exact_dedup", false}}
        << parseJson(R"({
        "kind": "data", "name": "clean rows.jsonl", "output": "$JOB", "device": "cpu",
        "data_op": {"op": "clean", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "threshold": 0.9, "num_perm": 128, "shingle": 5, "minhash_seed": 1, "casefold": false,
                    "exact_dedup": false, "near_dedup": false, "min_chars": 10, "max_chars": 2000, "min_tokens": 0,
                    "max_tokens": 0, "keep_empty": true, "unicode": "none", "keep_control": false, "scripts": [],
                    "min_script_share": 0.5, "max_lines": 20}})");
    QTest::newRow("dedup") << "dedup"
        << QVariantMap{{"field", "answer"}, {"threshold", 0.8}, {"num_perm", 64}, {"shingle", 3}, {"minhash_seed", 7}}
        << parseJson(R"({
        "kind": "data", "name": "dedup rows.jsonl", "output": "$JOB", "device": "cpu",
        "data_op": {"op": "dedup", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "field": "answer", "threshold": 0.8, "num_perm": 64, "shingle": 3, "minhash_seed": 7,
                    "casefold": false}})");
    QTest::newRow("split stratified") << "split"
        << QVariantMap{{"ratios.train", 0.7}, {"ratios.validation", 0.2}, {"ratios.test", 0.1}, {"seed", 3},
                       {"stratify", "label"}}
        << parseJson(R"({
        "kind": "data", "name": "split rows.jsonl", "output": "$JOB", "device": "cpu",
        "data_op": {"op": "split", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "threshold": 0.9, "num_perm": 128, "shingle": 5, "minhash_seed": 1, "casefold": false,
                    "ratios": [0.7, 0.2, 0.1], "seed": 3, "stratify": "label"}})");
    QTest::newRow("generate prompts only") << "generate"
        << QVariantMap{{"temperature", 0.5}, {"top_p", 0.95}, {"max_new_tokens", 16}, {"repetition_penalty", 1.1},
                       {"map.prompt", "question"}, {"batch", 2}, {"limit", 3}}
        << parseJson(R"({
        "kind": "data", "name": "generate rows.jsonl", "output": "$JOB", "teacher": "$TEACHER", "device": "cpu",
        "data_op": {"op": "generate", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "map": {"prompt": "question", "completion": "question"}, "batch": 2, "limit": 3,
                    "max_prompt_tokens": 4096, "max_new_tokens": 16, "greedy": false, "temperature": 0.5,
                    "top_p": 0.95, "top_k": 0, "repetition_penalty": 1.1, "seed": 0, "dtype": "f32"}})");
    // Greedy puts the repetition penalty to 1, as the CLI's --greedy does.
    QTest::newRow("generate greedy with answers") << "generate"
        << QVariantMap{{"greedy", true}, {"map.prompt", "question"}, {"map.completion", "answer"}, {"seed", 9},
                       {"dtype", "bf16"}}
        << parseJson(R"({
        "kind": "data", "name": "generate rows.jsonl", "output": "$JOB", "teacher": "$TEACHER", "device": "cpu",
        "data_op": {"op": "generate", "input": "$IN", "output": "$OUT", "format": "auto", "on_bad_row": "skip",
                    "map": {"prompt": "question", "completion": "answer"}, "batch": 8, "limit": 0,
                    "max_prompt_tokens": 4096, "max_new_tokens": 512, "greedy": true, "temperature": 0.7,
                    "top_p": 0.9, "top_k": 0, "repetition_penalty": 1, "seed": 9, "dtype": "bf16"}})");
  }

  void dialogJson() {
    QFETCH(QString, op);
    QFETCH(QVariantMap, values);
    QFETCH(QJsonObject, expected);
    QTemporaryDir tmp;
    const QString in = tmp.filePath(QStringLiteral("rows.jsonl"));
    const QString teacher = QDir(fixture(QStringLiteral("tiny-llama"))).absolutePath();
    DataActionInput input{in, {QStringLiteral("question"), QStringLiteral("answer"), QStringLiteral("label")},
                          {{QStringLiteral("tiny-llama"), teacher}}, {QStringLiteral("cpu")},
                          tmp.filePath(QStringLiteral("runs"))};
    const std::unique_ptr<DataActionDialog> dialog = makeDialog(op, input);
    // The job's own folder: under runs/, named for the action, the input and the time.
    const QRegularExpression jobFolder(QRegularExpression::anchoredPattern(
        QRegularExpression::escape(tmp.filePath(QStringLiteral("runs/data-%1-rows-").arg(op))) +
        QStringLiteral("\\d{8}-\\d{6}")));
    QVERIFY2(jobFolder.match(dialog->jobFolder()).hasMatch(), qPrintable(dialog->jobFolder()));
    for (auto it = values.begin(); it != values.end(); ++it) {
      setField(dialog.get(), it.key(), it.value().toString() == QLatin1String("$TEACHER") ? QVariant(teacher) : it.value());
      if (QTest::currentTestFailed()) return;
    }
    // The output is proposed next to the input.
    const QString out = tmp.filePath(op == QLatin1String("split") ? QStringLiteral("rows-split")
                                                                  : QStringLiteral("rows.") +
                                                                        (op == QLatin1String("generate") ? QStringLiteral("teacher") : op) +
                                                                        QStringLiteral(".jsonl"));
    QCOMPARE(dialog->output(), out);
    QCOMPARE(dialog->validate(), QString());
    const QJsonObject want = expand(expected, {{QStringLiteral("$IN"), in}, {QStringLiteral("$OUT"), out},
                                              {QStringLiteral("$TEACHER"), teacher},
                                              {QStringLiteral("$JOB"), dialog->jobFolder()}});
    const QByteArray got = QJsonDocument(dialog->job()).toJson(QJsonDocument::Compact);
    const QByteArray diff = got + "\n != \n" + QJsonDocument(want).toJson(QJsonDocument::Compact);
    QVERIFY2(dialog->job() == want, diff.constData());
    // The core reads it back as the same job (no key of another op, nothing out of range).
    QCOMPARE(JobSpec::fromJson(dialog->job(), QStringLiteral("dialog")).toJson(), want);
  }

  // Bad values keep the dialog open with a message naming the field, next to the buttons.
  void invalidSettingsShowAnInlineMessage_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("focus");
    QTest::newRow("ratios over 1") << "split" << QVariantMap{{"ratios.train", 0.9}}
                                   << "data_op.ratios: 0.9 + 0.1 + 0.1 = 1.1; the train, validation and test shares "
                                      "must sum to 1" << "ratios.train";
    QTest::newRow("ratios under 1") << "split" << QVariantMap{{"ratios.test", 0.0}}
                                    << "data_op.ratios: 0.8 + 0.1 + 0 = 0.9; the train, validation and test shares "
                                       "must sum to 1" << "ratios.train";
    const QString outside = QStringLiteral("data_op.threshold: %1 is outside (0, 1); the Jaccard similarity that "
                                           "makes a near duplicate lies strictly between 0 and 1 (typical 0.8–0.95)");
    QTest::newRow("dedup threshold 0") << "dedup" << QVariantMap{{"threshold", 0.0}} << outside.arg(0) << "threshold";
    QTest::newRow("dedup threshold 1") << "dedup" << QVariantMap{{"threshold", 1.0}} << outside.arg(1) << "threshold";
    QTest::newRow("split threshold 0") << "split" << QVariantMap{{"threshold", 0.0}} << outside.arg(0) << "threshold";
    QTest::newRow("clean near threshold 0") << "clean" << QVariantMap{{"near_dedup", true}, {"threshold", 0.0}}
                                            << outside.arg(0) << "threshold";
    QTest::newRow("clean unknown script") << "clean" << QVariantMap{{"scripts", "latin,klingon"}}
                                          << "data_op.scripts=klingon is not a script this filter knows (cjk, latin, greek, …"
                                          << "scripts";  // core's message, the known scripts listed
    QTest::newRow("clean max below min") << "clean" << QVariantMap{{"min_length", 50}, {"max_length", 10}}
                                         << "data_op.max_length: 10 is below the minimum length 50" << "max_length";
    QTest::newRow("generate temperature 0") << "generate" << QVariantMap{{"temperature", 0.0}}
                                            << "data_op.temperature: 0 must be above 0 (typical 0.5–1.0)"
                                            << "temperature";
  }

  void invalidSettingsShowAnInlineMessage() {
    QFETCH(QString, op);
    QFETCH(QVariantMap, values);
    QFETCH(QString, message);
    QFETCH(QString, focus);
    QTemporaryDir tmp;
    DataActionInput input;
    input.path = tmp.filePath(QStringLiteral("rows.jsonl"));
    input.fields = {QStringLiteral("text")};
    input.models = {{QStringLiteral("tiny-llama"), QDir(fixture(QStringLiteral("tiny-llama"))).absolutePath()}};
    const std::unique_ptr<DataActionDialog> dialog = makeDialog(op, input);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
    for (auto it = values.begin(); it != values.end(); ++it) {
      setField(dialog.get(), it.key(), it.value());
      if (QTest::currentTestFailed()) return;
    }
    QCOMPARE(dialog->message(), QString());
    dialog->accept();
    QVERIFY(dialog->isVisible());  // still open
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    if (message.endsWith(QStringLiteral("…"))) {  // a long list follows
      QVERIFY2(dialog->message().startsWith(message.chopped(1)), qPrintable(dialog->message()));
    } else {
      QCOMPARE(dialog->message(), message);
    }
    QCOMPARE(dialog->validate(), dialog->message());
    QCOMPARE(QApplication::focusWidget(), dialog->findChild<QWidget*>(focus));
    QVERIFY(QSettings().allKeys().isEmpty());  // nothing remembered from a refused run
  }

  // Accepted values come back in the next dialog of the same action; the output is proposed anew for each input.
  void settingsAreRemembered() {
    QTemporaryDir tmp;
    DataActionInput input;
    input.path = tmp.filePath(QStringLiteral("a.jsonl"));
    input.fields = {QStringLiteral("label")};
    {
      SplitDialog first(input);
      setField(&first, QStringLiteral("ratios.train"), 0.6);
      setField(&first, QStringLiteral("ratios.validation"), 0.2);
      setField(&first, QStringLiteral("ratios.test"), 0.2);
      setField(&first, QStringLiteral("seed"), 42);
      setField(&first, QStringLiteral("stratify"), QStringLiteral("label"));
      first.accept();
      QCOMPARE(first.result(), int(QDialog::Accepted));
    }
    input.path = tmp.filePath(QStringLiteral("b.jsonl"));
    SplitDialog second(input);
    const QJsonObject op = second.job().value("data_op").toObject();
    QCOMPARE(op.value("ratios").toArray(), (QJsonArray{0.6, 0.2, 0.2}));
    QCOMPARE(op.value("seed").toInt(), 42);
    QCOMPARE(op.value("stratify").toString(), QStringLiteral("label"));
    QCOMPARE(second.output(), tmp.filePath(QStringLiteral("b-split")));
    // A remembered stratify field the next dataset does not have is not forced on it.
    input.fields = {QStringLiteral("text")};
    SplitDialog third(input);
    QCOMPARE(third.job().value("data_op").toObject().value("stratify").toString(), QString());
    // Other actions keep their own settings.
    DedupDialog dedup(input);
    QCOMPARE(dedup.job().value("data_op").toObject().value("minhash_seed").toInt(), 1);
  }

  // The proposed output never overwrites: taken names are numbered.
  void proposedOutputIsNumberedWhenTaken() {
    QTemporaryDir tmp;
    const QString in = tmp.filePath(QStringLiteral("q.jsonl"));
    QCOMPARE(proposedOutput(in, QStringLiteral(".clean.jsonl")), tmp.filePath(QStringLiteral("q.clean.jsonl")));
    QFile(tmp.filePath(QStringLiteral("q.clean.jsonl"))).open(QIODevice::WriteOnly);
    QCOMPARE(proposedOutput(in, QStringLiteral(".clean.jsonl")), tmp.filePath(QStringLiteral("q-2.clean.jsonl")));
    DataActionInput input;
    input.path = in;
    CleanDialog d(input);
    QCOMPARE(d.output(), tmp.filePath(QStringLiteral("q-2.clean.jsonl")));
    d.outputEdit()->setText(in);
    QCOMPARE(d.validate(), QStringLiteral("output: must differ from the input (the source is never modified)"));
  }
  void lazyPreviewReadsInChunks() {
    LazyRowModel model(nullptr, 2);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(dataFile(QStringLiteral("small.jsonl"))));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columns(), (QStringList{QStringLiteral("completion"), QStringLiteral("prompt")}));
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 4);  // the bad line 3 and the blank line 5 are skipped
    QCOMPARE(model.columns(), (QStringList{QStringLiteral("completion"), QStringLiteral("prompt"),
                                           QStringLiteral("source"), QStringLiteral("score")}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 5);  // "tags" arrived with the last row
    QVERIFY(model.atEnd());
    QVERIFY(!model.canFetchMore({}));
    const auto cell = [&](int row, const char* column) {
      return model.index(row, int(model.columns().indexOf(QLatin1String(column)))).data().toString();
    };
    QCOMPARE(cell(0, "prompt"), QStringLiteral("What is 2+2?"));
    QCOMPARE(cell(1, "completion"), QStringLiteral("Paris"));
    QCOMPARE(cell(2, "source"), QStringLiteral("quiz"));
    QCOMPARE(cell(0, "source"), QString());
    QCOMPARE(cell(3, "score"), QStringLiteral("0.5"));
    QCOMPARE(cell(4, "tags"), QStringLiteral("[\"x\",1]"));
    QCOMPARE(cell(4, "completion"), QStringLiteral("a\u21B5b"));  // one line per row in the view
    QCOMPARE(
        model.index(4, int(model.columns().indexOf(QStringLiteral("completion")))).data(Qt::ToolTipRole).toString(),
        QStringLiteral("a\nb"));
    // Row headers are the file's lines.
    QCOMPARE(model.headerData(2, Qt::Vertical).toLongLong(), qint64(4));
    QCOMPARE(model.headerData(4, Qt::Vertical).toLongLong(), qint64(7));
    const QJsonObject report = model.report();
    QCOMPARE(report.value("bad_rows").toInteger(), qint64(1));
    QCOMPARE(report.value("issues").toArray().first().toObject().value("line").toInteger(), qint64(3));
  }

  void csvColumnsComeFromTheHeader() {
    LazyRowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(dataFile(QStringLiteral("small.csv"))));
    QCOMPARE(model.columns(), (QStringList{QStringLiteral("question"), QStringLiteral("answer")}));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("Because, it is"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("How?"));
  }

  void largeFileIsNotReadAtOnce() {
    QTemporaryDir tmp;
    const QString path = writeRows(tmp, QStringLiteral("big.jsonl"), 10000);
    LazyRowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(path));
    QCOMPARE(model.rowCount(), model.chunkRows());
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * model.chunkRows());
    int fetches = 0;
    while (model.canFetchMore({})) {
      model.fetchMore({});
      ++fetches;
    }
    QCOMPARE(model.rowCount(), 10000);
    QCOMPARE(fetches, 10000 / model.chunkRows() - 2 + 1);  // the last fetch finds the end
    // Row 9999 has 9999 % 7 = 3 words after its number.
    QCOMPARE(model.index(9999, 0).data().toString(), QStringLiteral("row 9999 word0 word1 word2"));

    // In the panel, a view shows the file without reading all of it.
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DataPanel panel(info());
    panel.resize(900, 700);
    panel.show();
    panel.setWorkspace(&ws, nullptr);
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QVERIFY(panel.importDataset(path));
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    QCOMPARE(panel.preview()->path(), QFileInfo(path).absoluteFilePath());
    QVERIFY(panel.preview()->rowCount() > 0);
    QVERIFY2(panel.preview()->rowCount() < 10000, qPrintable(QString::number(panel.preview()->rowCount())));
    panel.setWorkspace(nullptr, nullptr);
  }

  void importRegistersAndStatsEqualTheCli() {
    QTemporaryDir tmp;
    const QString path = writeRows(tmp, QStringLiteral("train.jsonl"), 300);
    const QString tokenizer = fixture(QStringLiteral("tiny-llama"));
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelStore(ws.store()).addFolder(tokenizer, ModelRole::Student);
    DataPanel panel(info());
    QAbstractItemModelTester tester(panel.datasetList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.setWorkspace(&ws, nullptr);
    QCOMPARE(panel.tokenizerDir(), QDir(tokenizer).absolutePath());  // the workspace's model by default
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QVERIFY(panel.importDataset(path));
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const std::vector<DatasetRow> rows = DatasetStore(ws.store()).list();
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].rows, qint64(300));
    QCOMPARE(rows[0].schema, QStringLiteral("text"));
    QCOMPARE(rows[0].parentId, qint64(0));
    QVERIFY(!rows[0].sha256.isEmpty());
    QCOMPARE(panel.selectedDatasetId(), rows[0].id);
    QCOMPARE(panel.datasetList()->index(0, DatasetListModel::DerivedFrom).data().toString(), QStringLiteral("source"));

    done.clear();
    QVERIFY(panel.startStats());
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const QJsonObject cli =
        cliJson({QStringLiteral("data"), QStringLiteral("stats"), QFileInfo(path).absoluteFilePath(),
                 QStringLiteral("--tokenizer"), QDir(tokenizer).absolutePath()});
    QVERIFY(cli.contains("tokens"));
    QCOMPARE(panel.stats(), cli);
    QCOMPARE(DatasetStore(ws.store()).get(rows[0].id).stats, cli);  // stored on the dataset's row
    // The histogram shows the CLI's counts.
    const QJsonArray counts = cli.value("tokens").toObject().value("histogram").toObject().value("counts").toArray();
    QCOMPARE(panel.histogram()->bars(), counts.size());
    std::vector<double> expected;
    for (const QJsonValue& c : counts) expected.push_back(c.toDouble());
    QCOMPARE(panel.histogram()->counts(), expected);
    panel.setWorkspace(nullptr, nullptr);
  }

  void droppingAFileImportsIt() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DataPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(dataFile(QStringLiteral("small.csv")))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&panel, &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&panel, &drop);
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const std::vector<DatasetRow> rows = DatasetStore(ws.store()).list();
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].rows, qint64(2));
    QCOMPARE(rows[0].settings.value("format").toString(), QStringLiteral("csv"));
    QCOMPARE(panel.preview()->columns(), (QStringList{QStringLiteral("question"), QStringLiteral("answer")}));
    panel.setWorkspace(nullptr, nullptr);
  }

  void cancelStopsStatistics() {
    QTemporaryDir tmp;
    const QString path = writeRows(tmp, QStringLiteral("large.jsonl"), 120000, 4);  // ~25 MiB
    QVERIFY(QFileInfo(path).size() > 8 << 20);
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DatasetRow large;
    large.name = QStringLiteral("large");
    large.path = path;
    const qint64 id = DatasetStore(ws.store()).add(large);
    DataPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    panel.selectDataset(id);
    panel.setTokenizerDir(fixture(QStringLiteral("tiny-llama")));
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QVERIFY(panel.startStats());
    QVERIFY(panel.isBusy());
    panel.cancel();  // read before the first MiB is through
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), false);
    QCOMPARE(done.first().at(1).toString(), QString());
    QVERIFY(DatasetStore(ws.store()).get(id).stats.isEmpty());  // nothing stored
    QCOMPARE(panel.errorText(), QString());
    panel.setWorkspace(nullptr, nullptr);
  }

  // Clean, dedup and split started from the panel run as jobs of the workspace's runner, end succeeded, register
  // their outputs as children of the input (the list re-read, the derived dataset selected, the lineage in the
  // status line), and write byte for byte what the CLI command writes from the same input and settings.
  void actionJobsEqualTheCli() {
    QTemporaryDir tmp;
    const QString path = writeLabelledRows(tmp, QStringLiteral("dupes.jsonl"));
    PanelOnRunner on(tmp.filePath(QStringLiteral("ws")));
    DataPanel& panel = on.panel;
    QSignalSpy& done = on.done;
    const Workspace& ws = on.ws;
    QAbstractItemModelTester tester(panel.datasetList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(on.import(path));
    const qint64 source = panel.selectedDatasetId();
    QVERIFY(source != 0);
    QCOMPARE(panel.actionInput().fields, (QStringList{QStringLiteral("label"), QStringLiteral("text")}));

    // Clean: NFKC, near duplicates too, at least 12 characters.
    CleanDialog clean(panel.actionInput());
    setField(&clean, QStringLiteral("unicode"), QStringLiteral("nfkc"));
    setField(&clean, QStringLiteral("near_dedup"), true);
    setField(&clean, QStringLiteral("min_length"), 12);
    done.clear();
    const qint64 cleanJob = panel.startJob(clean.job());
    QVERIFY2(cleanJob != 0, qPrintable(panel.errorText()));
    QVERIFY(panel.isBusy());
    QVERIFY(panel.statusText().contains(QStringLiteral("job #%1").arg(cleanJob)));
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    QCOMPARE(JobStore(ws.store()).job(cleanJob).status, JobStatus::Succeeded);  // in the Jobs panel's queue
    QVERIFY2(panel.lastOutputId() != 0, qPrintable(panel.statusText()));
    const DatasetRow cleaned = DatasetStore(ws.store()).get(panel.lastOutputId());
    QCOMPARE(panel.selectedDatasetId(), cleaned.id);
    QCOMPARE(cleaned.parentId, source);
    QCOMPARE(QFileInfo(cleaned.path).absoluteFilePath(), QFileInfo(clean.output()).absoluteFilePath());
    QCOMPARE(cleaned.settings.value("operation").toString(), QStringLiteral("clean"));
    QCOMPARE(panel.statusText(), QStringLiteral("Clean finished (job #%1): #%2 dupes.clean.jsonl (%3 rows) ← #%4 "
                                                "dupes.jsonl (%5 rows)")
                                     .arg(cleanJob)
                                     .arg(cleaned.id)
                                     .arg(cleaned.rows)
                                     .arg(source)
                                     .arg(DatasetStore(ws.store()).get(source).rows));
    const QString cliClean = tmp.filePath(QStringLiteral("cli-clean.jsonl"));
    QCOMPARE(runCli({QStringLiteral("data"), QStringLiteral("clean"), path, cliClean, QStringLiteral("--unicode"),
                     QStringLiteral("nfkc"), QStringLiteral("--near-dedup"), QStringLiteral("--min-chars"),
                     QStringLiteral("12")})
                 .code,
             0);
    QCOMPARE(readAll(cleaned.path), readAll(cliClean));
    QCOMPARE(cleaned.rows, qint64(readAll(cliClean).count('\n')));
    const int row = panel.datasetList()->rowOfId(cleaned.id);
    QCOMPARE(panel.datasetList()->index(row, DatasetListModel::DerivedFrom).data().toString(),
             QStringLiteral("#%1 dupes.jsonl (clean)").arg(source));

    // Dedup with its defaults.
    panel.selectDataset(source);
    DedupDialog dedup(panel.actionInput());
    done.clear();
    QVERIFY(panel.startJob(dedup.job()) != 0);
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const DatasetRow deduped = DatasetStore(ws.store()).get(panel.lastOutputId());
    QCOMPARE(deduped.parentId, source);
    const QString cliDedup = tmp.filePath(QStringLiteral("cli-dedup.jsonl"));
    QCOMPARE(runCli({QStringLiteral("data"), QStringLiteral("dedup"), path, cliDedup}).code, 0);
    QCOMPARE(readAll(deduped.path), readAll(cliDedup));

    // Split 0.6/0.2/0.2, seed 5, stratified by label.
    panel.selectDataset(source);
    SplitDialog split(panel.actionInput());
    setField(&split, QStringLiteral("ratios.train"), 0.6);
    setField(&split, QStringLiteral("ratios.validation"), 0.2);
    setField(&split, QStringLiteral("ratios.test"), 0.2);
    setField(&split, QStringLiteral("seed"), 5);
    setField(&split, QStringLiteral("stratify"), QStringLiteral("label"));
    done.clear();
    const qint64 splitJob = panel.startJob(split.job());
    QVERIFY(splitJob != 0);
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const QString cliSplit = tmp.filePath(QStringLiteral("cli-split"));
    QCOMPARE(runCli({QStringLiteral("data"), QStringLiteral("split"), path, cliSplit, QStringLiteral("--ratios"),
                     QStringLiteral("0.6,0.2,0.2"), QStringLiteral("--seed"), QStringLiteral("5"),
                     QStringLiteral("--stratify"), QStringLiteral("label")})
                 .code,
             0);
    int splits = 0;
    qint64 total = 0;
    for (const DatasetRow& r : DatasetStore(ws.store()).list()) {
      if (r.settings.value("operation").toString() != QLatin1String("split")) continue;
      QCOMPARE(r.parentId, source);
      const QString name = QFileInfo(r.path).fileName();
      QCOMPARE(QFileInfo(r.path).absolutePath(), QFileInfo(split.output()).absoluteFilePath());
      QCOMPARE(readAll(r.path), readAll(cliSplit + QLatin1Char('/') + name));
      QVERIFY(panel.datasetList()->rowOfId(r.id) >= 0);  // in the re-read list
      total += r.rows;
      ++splits;
    }
    QCOMPARE(splits, 3);
    QCOMPARE(total, qint64(kLabelledRows));  // every good row lands in one split
    // The train split is selected and its lineage walks back to the source.
    const DatasetRow train = DatasetStore(ws.store()).get(panel.selectedDatasetId());
    QCOMPARE(QFileInfo(train.path).fileName(), QStringLiteral("train.jsonl"));
    const std::vector<DatasetRow> lineage = DatasetStore(ws.store()).lineage(train.id);
    QCOMPARE(lineage.size(), size_t(2));
    QCOMPARE(lineage[1].id, source);
  }

  // The panel's buttons open the dialog; accepting it queues the job.
  void buttonOpensTheDialogAndQueuesTheJob() {
    QTemporaryDir tmp;
    PanelOnRunner on(tmp.filePath(QStringLiteral("ws")));
    DataPanel& panel = on.panel;
    QSignalSpy& done = on.done;
    QVERIFY(on.import(writeLabelledRows(tmp, QStringLiteral("rows.jsonl"))));
    QString seen;
    QTimer::singleShot(0, &panel, [&seen] {
      auto* dialog = qobject_cast<DedupDialog*>(QApplication::activeModalWidget());
      if (!dialog) return;
      seen = dialog->windowTitle();
      dialog->accept();
    });
    done.clear();
    auto* button = panel.findChild<QPushButton*>(QStringLiteral("dedup"));
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(seen, QStringLiteral("Deduplicate a dataset"));
    QVERIFY(panel.currentJob() != 0);
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    QCOMPARE(DatasetStore(on.ws.store()).get(panel.lastOutputId()).settings.value("operation").toString(),
             QStringLiteral("dedup"));
    // The same actions are on the dataset list's context menu.
    auto* table = panel.findChild<QTableView*>(QStringLiteral("datasets"));
    QStringList actions;
    for (QAction* a : table->actions()) actions.append(a->objectName());
    QCOMPARE(actions, (QStringList{QStringLiteral("statsAction"), QStringLiteral("cleanAction"),
                                   QStringLiteral("dedupAction"), QStringLiteral("splitAction"),
                                   QStringLiteral("generateAction")}));
  }

  // Cancel from the panel stops a running generate job (tiny-llama as the teacher): it ends cancelled, the panel
  // says so, the output file never appears (its partial file stays for a resume) and nothing is registered.
  void cancelStopsAGenerateJob() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("prompts.jsonl"));
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      for (int i = 0; i < 200; ++i)
        f.write(QStringLiteral("{\"question\": \"Tell me a long story about the number %1.\", \"answer\": \"x\"}\n")
                    .arg(i)
                    .toUtf8());
    }
    const QString teacher = QDir(fixture(QStringLiteral("tiny-llama"))).absolutePath();
    PanelOnRunner on(tmp.filePath(QStringLiteral("ws")), teacher);
    DataPanel& panel = on.panel;
    QSignalSpy& done = on.done;
    const Workspace& ws = on.ws;
    JobRunner& runner = *on.runner;
    QVERIFY(on.import(path));
    const size_t datasets = DatasetStore(ws.store()).list().size();

    GenerateDialog generate(panel.actionInput());
    QCOMPARE(generate.teacher(), teacher);  // the workspace's model is offered first
    setField(&generate, QStringLiteral("map.prompt"), QStringLiteral("question"));
    setField(&generate, QStringLiteral("max_new_tokens"), 256);
    setField(&generate, QStringLiteral("batch"), 1);
    QCOMPARE(generate.validate(), QString());
    done.clear();
    const qint64 id = panel.startJob(generate.job());
    QVERIFY2(id != 0, qPrintable(panel.errorText()));
    // Part-way: the first answers are written to OUT.partial, most prompts are still waiting.
    QTRY_VERIFY_WITH_TIMEOUT(runner.snapshot(id).step >= 1, 60000);
    QVERIFY(panel.isBusy());
    QVERIFY2(panel.statusText().contains(QStringLiteral("job #%1 running").arg(id)), qPrintable(panel.statusText()));
    panel.cancel();
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), false);
    QCOMPARE(done.first().at(1).toString(), QString());
    QCOMPARE(runner.snapshot(id).status, JobStatus::Cancelled);
    QCOMPARE(JobStore(ws.store()).job(id).status, JobStatus::Cancelled);
    QVERIFY(runner.snapshot(id).step < 200);
    QVERIFY(!QFileInfo::exists(generate.output()));  // never a half-written OUT ...
    const QString partial = generate.output() + QStringLiteral(".partial");
    QVERIFY(QFileInfo::exists(partial));  // ... the answers so far are kept for a resume
    QCOMPARE(panel.statusText(), QStringLiteral("Generate cancelled (job #%1); the answers so far are kept in %2: "
                                                "generate into the same file to resume.")
                                     .arg(id)
                                     .arg(QDir::toNativeSeparators(partial)));
    QCOMPARE(DatasetStore(ws.store()).list().size(), datasets);
    QCOMPARE(panel.errorText(), QString());
  }

  // Without a runner (no workspace) the actions say why instead of starting.
  void actionsNeedARunner() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DataPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QCOMPARE(panel.startJob(QJsonObject{{QStringLiteral("kind"), QStringLiteral("data")}}), qint64(0));
    QCOMPARE(panel.errorText(), QStringLiteral("Open a workspace first: the actions run as jobs of its queue."));
    QVERIFY(!panel.findChild<QPushButton*>(QStringLiteral("clean"))->isEnabled());
    panel.setWorkspace(nullptr, nullptr);
  }

  void badFilesGiveClearErrors() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DataPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    const QString missing = tmp.filePath(QStringLiteral("missing.jsonl"));
    QVERIFY(!panel.importDataset(missing));
    QVERIFY2(panel.errorText().contains(missing) && panel.errorText().contains(QStringLiteral("no such file")),
             qPrintable(panel.errorText()));

    const QString garbage = tmp.filePath(QStringLiteral("garbage.jsonl"));
    {
      QFile f(garbage);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("this is not json\n{broken\n");
    }
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QVERIFY(panel.importDataset(garbage));
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), false);
    QVERIFY2(panel.errorText().contains(garbage) && panel.errorText().contains(QStringLiteral("no readable rows")) &&
                 panel.errorText().contains(QStringLiteral("line 1")),
             qPrintable(panel.errorText()));
    QVERIFY(DatasetStore(ws.store()).list().empty());  // nothing registered

    // A preview of an unreadable file says why and holds no rows.
    LazyRowModel model;
    QVERIFY(!model.open(tmp.filePath(QStringLiteral("nowhere.csv"))));
    QVERIFY2(model.error().contains(QStringLiteral("nowhere.csv")), qPrintable(model.error()));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    panel.setWorkspace(nullptr, nullptr);
  }
};

QTEST_MAIN(TestGuiData)
#include "tst_gui_data.moc"
