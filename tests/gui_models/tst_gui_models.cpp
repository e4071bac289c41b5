// The Models panel offscreen: inspect facts equal the CLI's, adding a folder registers a row, the teacher/student
// tokenizer check (tiny-llama vs tiny-qwen2 refused, a model and its copy fine), quick generation in the worker
// (greedy ids equal fixtures' golden.safetensors and `distillery-cli generate`), cancel, and bad folders.
#include "../common/Fixtures.h"
#include "../common/TestUtil.h"
#include "model/ModelFacts.h"
#include "model/QuickGenerator.h"
#include "models/ModelFactsText.h"
#include "models/ModelListModel.h"
#include "models/ModelsPanel.h"
#include "models/QuickPromptBox.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMimeData>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtGui/QDropEvent>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>

using namespace distillery;
using namespace distillery::ui;

namespace {

// golden.safetensors greedy_ids of tiny-llama: generate(input_ids[:1, :8], max_new_tokens=12, do_sample=False).
const std::vector<int64_t> kGoldenPrompt = {175, 196, 25, 502, 67, 211, 407, 103};
const std::vector<int64_t> kGoldenNew = {317, 493, 12, 244, 402, 12, 244, 402, 12, 244, 402, 12};

PanelInfo info() { return {QStringLiteral("models"), QStringLiteral("Models"), QStringLiteral("Models."), {}}; }

QJsonObject cliJson(const QStringList& args) {
  const CliResult r = runCli(QStringList{QStringLiteral("--json")} + args);
  if (r.out.isEmpty()) qWarning() << r.code << r.err;  // preflight exits 1 for a refused pair, with its JSON
  return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

// A copy of a fixture model folder (a second model with the same tokenizer).
QString copyModel(const QTemporaryDir& tmp, const QString& name, const QString& as) {
  const QString to = tmp.filePath(as);
  QDir().mkpath(to);
  for (const QString& f : QDir(fixture(name)).entryList(QDir::Files))
    QFile::copy(fixture(name) + '/' + f, to + '/' + f);
  return to;
}

std::vector<int64_t> idsOf(const QJsonValue& v) {
  std::vector<int64_t> ids;
  for (const QJsonValue& x : v.toArray()) ids.push_back(x.toInteger());
  return ids;
}

}  // namespace

class TestGuiModels : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void factsEqualCliInspect_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("vocab");
    QTest::addRow("tiny-llama") << QStringLiteral("tiny-llama") << qint64(512);
    QTest::addRow("tiny-qwen2") << QStringLiteral("tiny-qwen2") << qint64(640);
  }
  void factsEqualCliInspect() {
    QFETCH(QString, model);
    QFETCH(qint64, vocab);
    const QString dir = fixture(model);
    const QJsonObject cli = cliJson({QStringLiteral("inspect"), dir});
    QVERIFY(!cli.isEmpty());
    QCOMPARE(inspectModel(dir), cli);

    // The panel computes them in its worker and shows them.
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QSignalSpy facts(&panel, &ModelsPanel::factsReady);
    QVERIFY(panel.addModelFolder(dir, ModelRole::Student));
    QVERIFY(facts.wait(20000));
    QCOMPARE(panel.facts(), cli);
    QCOMPARE(panel.facts().value("vocab").toInteger(), vocab);
    QCOMPARE(panel.facts().value("layers").toInteger(), cli.value("layers").toInteger());
    const TokenizerCheck check = checkTokenizer(panel.facts());
    QCOMPARE(int(check.state), int(TokenizerCheck::State::Ok));
    QVERIFY2(check.text.contains(QString::number(vocab)), qPrintable(check.text));
    panel.setWorkspace(nullptr, nullptr);
  }

  void addingAModelRegistersARow() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    QAbstractItemModelTester tester(panel.modelList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.setWorkspace(&ws, nullptr);
    QCOMPARE(panel.modelList()->rowCount(), 0);
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Teacher));
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-qwen2")), ModelRole::Student));
    QCOMPARE(panel.modelList()->rowCount(), 2);
    const std::vector<ModelRow> rows = ModelStore(ws.store()).list();
    QCOMPARE(rows.size(), size_t(2));
    QCOMPARE(rows[0].role, ModelRole::Teacher);
    QCOMPARE(rows[0].path, QDir(fixture(QStringLiteral("tiny-llama"))).absolutePath());
    QCOMPARE(rows[1].role, ModelRole::Student);
    QCOMPARE(rows[1].vocabSize, qint64(640));
    QCOMPARE(panel.selectedModelId(), rows[1].id);  // the added model is selected
    ModelListModel* list = panel.modelList();
    const int llama = list->rowOfId(rows[0].id);
    QCOMPARE(list->index(llama, ModelListModel::Role).data().toString(), QStringLiteral("teacher"));
    QCOMPARE(list->index(llama, ModelListModel::Family).data().toString(), QStringLiteral("llama (LlamaForCausalLM)"));
    QCOMPARE(list->index(llama, ModelListModel::Parameters).data().toString(),
             parameterText(inspectModel(fixture(QStringLiteral("tiny-llama"))).value("parameters").toInteger()));
    QCOMPARE(list->index(llama, ModelListModel::Path).data().toString(), rows[0].path);
    // Role change goes to the store.
    panel.setModelRole(rows[0].id, ModelRole::Other);
    QCOMPARE(ModelStore(ws.store()).get(rows[0].id).role, ModelRole::Other);
    QCOMPARE(list->index(list->rowOfId(rows[0].id), ModelListModel::Role).data().toString(), QStringLiteral("other"));
    panel.setWorkspace(nullptr, nullptr);
    QCOMPARE(list->rowCount(), 0);
  }

  void droppingAFolderAddsIt() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture(QStringLiteral("tiny-qwen2")))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&panel, &drop);
    const std::vector<ModelRow> rows = ModelStore(ws.store()).list();
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].architecture, QStringLiteral("Qwen2ForCausalLM"));
    QCOMPARE(rows[0].role, ModelRole::Student);  // the "Add as" default
    // A file is not a model folder: not accepted.
    QMimeData file;
    file.setUrls({QUrl::fromLocalFile(fixture(QStringLiteral("tiny-qwen2/config.json")))});
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &file, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(&panel, &refused);
    QVERIFY(!refused.isAccepted());
    panel.setWorkspace(nullptr, nullptr);
  }

  void teacherStudentMismatchIsFlagged() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QCOMPARE(int(panel.preflightResult().state), int(ModelsPreflight::State::NoPair));
    QSignalSpy checked(&panel, &ModelsPanel::preflightChecked);
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Teacher));
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-qwen2")), ModelRole::Student));
    QTRY_VERIFY_WITH_TIMEOUT(panel.preflightResult().state != ModelsPreflight::State::Checking &&
                                 panel.preflightResult().state != ModelsPreflight::State::NoPair,
                             20000);
    ModelsPreflight r = panel.preflightResult();
    QCOMPARE(int(r.state), int(ModelsPreflight::State::Refused));
    QCOMPARE(r.verdict, QStringLiteral("refused"));
    // The same reason the CLI's preflight gives.
    const QJsonObject cli = cliJson(
        {QStringLiteral("preflight"), fixture(QStringLiteral("tiny-llama")), fixture(QStringLiteral("tiny-qwen2"))});
    QCOMPARE(r.reason, cli.value("reason").toString());
    QVERIFY2(!r.reason.isEmpty(), qPrintable(r.reason));
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("preflight"))->text().contains(QStringLiteral("mismatch")));

    // A model and its copy (same tokenizer and vocabulary): fine.
    const QString copy = copyModel(tmp, QStringLiteral("tiny-llama"), QStringLiteral("llama-copy"));
    const std::vector<ModelRow> rows = ModelStore(ws.store()).list();
    panel.setModelRole(rows[1].id, ModelRole::Other);
    QVERIFY(panel.addModelFolder(copy, ModelRole::Student));
    QTRY_VERIFY_WITH_TIMEOUT(panel.preflightResult().state != ModelsPreflight::State::Checking &&
                                 panel.preflightResult().studentId != rows[1].id,
                             20000);
    r = panel.preflightResult();
    QCOMPARE(int(r.state), int(ModelsPreflight::State::Ok));
    QCOMPARE(r.verdict, QStringLiteral("logit_kd"));
    QCOMPARE(r.teacherId, rows[0].id);
    panel.setWorkspace(nullptr, nullptr);
  }

  void greedyGenerationEqualsGolden() {
    // The core generator, ids in: golden.safetensors' greedy continuation.
    QuickGenerator g;
    g.load(fixture(QStringLiteral("tiny-llama")));
    QuickSettings s;
    s.greedy = true;
    s.maxNewTokens = 12;
    QCOMPARE(g.run(kGoldenPrompt, s, nullptr, {}).newIds, kGoldenNew);

    // The panel's prompt box, in its worker.
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Student));
    QuickPromptBox* box = panel.promptBox();
    box->setSettings(s);
    QStringList ids;
    for (int64_t id : kGoldenPrompt) ids << QString::number(id);
    box->setPrompt(ids.join(QStringLiteral(", ")), /*tokenIds=*/true);
    QSignalSpy finished(box, &QuickPromptBox::finished);
    QVERIFY(box->start());
    QVERIFY(box->isRunning());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(box->lastPromptIds(), kGoldenPrompt);
    QCOMPARE(box->lastNewIds(), kGoldenNew);

    // Text in: the same ids and completion as `distillery-cli generate --prompt ... --greedy`.
    const QJsonObject cli =
        cliJson({QStringLiteral("generate"), fixture(QStringLiteral("tiny-llama")), QStringLiteral("--prompt"),
                 QStringLiteral("Hello world"), QStringLiteral("--greedy"), QStringLiteral("--max-new-tokens"),
                 QStringLiteral("12")});
    box->setPrompt(QStringLiteral("Hello world"));
    finished.clear();
    QVERIFY(box->start());
    QVERIFY(finished.wait(30000));
    std::vector<int64_t> all = box->lastPromptIds();
    all.insert(all.end(), box->lastNewIds().begin(), box->lastNewIds().end());
    QCOMPARE(all, idsOf(cli.value("ids")));
    QCOMPARE(box->completion(), cli.value("completion").toString());
  }

  void cancelStopsGeneration() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Student));
    QuickPromptBox* box = panel.promptBox();
    QuickSettings s;
    s.greedy = true;  // "Hello world" runs 200+ greedy tokens without an eos (checked with the CLI)
    s.maxNewTokens = 4096;
    box->setSettings(s);
    box->setPrompt(QStringLiteral("Hello world"));
    QSignalSpy finished(box, &QuickPromptBox::finished);
    QVERIFY(box->start());
    QTRY_VERIFY_WITH_TIMEOUT(!box->completion().isEmpty(), 20000);  // text shows while it is generated
    QVERIFY(box->isRunning());
    box->stop();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toString(), QString());  // cancelled, not failed
    QVERIFY(!box->isRunning());
    QVERIFY(!box->lastNewIds().empty());
    QVERIFY2(box->lastNewIds().size() < 4096, qPrintable(QString::number(box->lastNewIds().size())));
  }

  void badFoldersGiveClearErrors() {
    QTemporaryDir tmp;
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    ModelsPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    const QString missing = tmp.filePath(QStringLiteral("nowhere"));
    QVERIFY(!panel.addModelFolder(missing, ModelRole::Teacher));
    QVERIFY2(panel.errorText().contains(QStringLiteral("no such folder")) && panel.errorText().contains(missing),
             qPrintable(panel.errorText()));
    const QString empty = tmp.filePath(QStringLiteral("empty"));
    QDir().mkpath(empty);
    QVERIFY(!panel.addModelFolder(empty, ModelRole::Teacher));
    QVERIFY2(panel.errorText().contains(QStringLiteral("config.json")), qPrintable(panel.errorText()));
    const QString broken = tmp.filePath(QStringLiteral("broken"));
    QDir().mkpath(broken);
    QFile f(broken + QStringLiteral("/config.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    QVERIFY(!panel.addModelFolder(broken, ModelRole::Teacher));
    QVERIFY2(panel.errorText().contains(QStringLiteral("config.json")), qPrintable(panel.errorText()));
    QCOMPARE(panel.modelList()->rowCount(), 0);
    QVERIFY(ModelStore(ws.store()).list().empty());
    // A good folder afterwards clears the error.
    QVERIFY(panel.addModelFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Teacher));
    QCOMPARE(panel.errorText(), QString());
    panel.setWorkspace(nullptr, nullptr);
  }
};

QTEST_MAIN(TestGuiModels)
#include "tst_gui_models.moc"
