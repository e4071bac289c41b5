// The shell offscreen: every panel present, workspace open/close and errors, recent list, About, models,
// translations.
#include "demo/DemoPipeline.h"
#include "jobs/JobTableModel.h"
#include "jobs/JobsPanel.h"
#include "runtime/Runtime.h"
#include "eval/EvaluationPanel.h"
#include "shell/AboutDialog.h"
#include "shell/AppSettings.h"
#include "shell/DemoBuild.h"
#include "shell/MainWindow.h"
#include "shell/Translations.h"
#include "store/StoreModels.h"
#include "store/Workspace.h"

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtCore/QTranslator>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QTableView>

using namespace distillery;
using namespace distillery::ui;

class TestMainWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings and data dirs go to a throw-away location
    QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTest"));
    QSettings().clear();
  }

  void everyPanelIsPresent() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QStringList expected = {QStringLiteral("models"), QStringLiteral("data"), QStringLiteral("jobs"),
                                  QStringLiteral("curves"), QStringLiteral("quantization"), QStringLiteral("evaluation"),
                                  QStringLiteral("rating"), QStringLiteral("compare"), QStringLiteral("audit")};
    QCOMPARE(w.panelIds(), expected);
    for (const QString& id : expected) {
      QVERIFY2(w.panel(id), qPrintable(id));
      w.showPanel(id);
      QCOMPARE(w.currentPanel(), id);
      QVERIFY(w.panel(id)->isVisible());
    }
    // Ctrl+1 goes back to the first panel.
    QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(w.currentPanel(), QStringLiteral("models"));
  }

  void openWorkspaceFillsTablesAndRecent() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath(QStringLiteral("ws")), QStringLiteral("Shell test"));
    ws.store().exec(QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, created_at) "
                                   "VALUES ('lora', 'first run', '{}', 'succeeded', 'now')"));
    MainWindow w;
    w.setErrorDialogsEnabled(false);
    QSignalSpy spy(&w, &MainWindow::workspaceChanged);
    QVERIFY(w.openWorkspace(ws.root()));
    QCOMPARE(spy.count(), 1);
    QVERIFY(w.windowTitle().contains(QStringLiteral("Shell test")));
    auto* jobsPanel = qobject_cast<JobsPanel*>(w.panel(QStringLiteral("jobs")));
    QVERIFY(jobsPanel);
    QAbstractItemModel* jobs = jobsPanel->jobsModel();
    QCOMPARE(jobsPanel->jobsView()->model(), jobs);
    QCOMPARE(jobs->rowCount(), 1);
    QCOMPARE(jobs->index(0, 2).data().toString(), QStringLiteral("first run"));
    QCOMPARE(jobs->headerData(3, Qt::Horizontal).toString(), QStringLiteral("Status"));
    QCOMPARE(AppSettings::recentWorkspaces().first(), ws.root());
    w.closeWorkspace();
    QVERIFY(!w.hasWorkspace());
    QCOMPARE(jobs->rowCount(), 0);  // the jobs panel dropped the closed workspace's rows
  }

  void badWorkspaceKeepsTheCurrentOne() {
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.filePath(QStringLiteral("good")));
    QFile junk(dir.filePath(QStringLiteral("junk.sqlite")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a database");
    junk.close();
    MainWindow w;
    w.setErrorDialogsEnabled(false);
    QVERIFY(w.openWorkspace(ws.root()));
    QVERIFY(!w.openWorkspace(junk.fileName()));
    QVERIFY2(w.lastError().contains(QStringLiteral("not an SQLite database")), qPrintable(w.lastError()));
    QVERIFY(w.hasWorkspace());
    QCOMPARE(w.workspace()->root(), ws.root());
  }

  // `distillery --demo` builds the demo in a worker while the window stays responsive; stopping and opening it
  // again continues, and the panels show the jobs once it is done.
  void demoBuildsInTheBackground() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("demo"));
    MainWindow w;
    w.setErrorDialogsEnabled(false);
    QSignalSpy done(&w, &MainWindow::demoFinished);
    w.openDemo(path, true);
    QVERIFY(w.demoBuild() && w.demoBuild()->isRunning());
    QVERIFY(w.findChild<QProgressBar*>(QStringLiteral("demoProgress")));
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().first().toBool(), true);
    QVERIFY(!w.demoBuild());
    QVERIFY(!w.findChild<QProgressBar*>(QStringLiteral("demoProgress")));
    QVERIFY(demoBuilt(*w.workspace()));
    QCOMPARE(w.workspace()->store().counts().value(QStringLiteral("jobs")), 4);
    // Opening a built demo runs nothing.
    w.closeWorkspace();
    w.openDemo(path, true);
    QVERIFY(!w.demoBuild());
    w.closeWorkspace();
  }

  void demoStopsAndContinues() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("demo"));
    MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.openDemo(path, true);
    QVERIFY(w.demoBuild());
    QTRY_VERIFY_WITH_TIMEOUT(w.demoBuild()->progress().step >= 3, 60000);  // training the teacher
    w.closeWorkspace();  // stops the worker within a step
    QVERIFY(!w.demoBuild());
    {
      const Workspace ws = Workspace::open(path);
      QVERIFY(!demoBuilt(ws));
      ws.store().closeThisThread();
    }
    QSignalSpy done(&w, &MainWindow::demoFinished);
    w.openDemo(path, true);
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().first().toBool(), true);
    QVERIFY(demoBuilt(*w.workspace()));
    w.closeWorkspace();
  }

  void storeModelsPassTheModelTester_data() {
    QTest::addColumn<int>("table");
    QTest::addRow("models") << int(StoreTable::Models);
    QTest::addRow("datasets") << int(StoreTable::Datasets);
    QTest::addRow("jobs") << int(StoreTable::Jobs);
  }
  void storeModelsPassTheModelTester() {
    QFETCH(int, table);
    QTemporaryDir dir;
    const Workspace ws = Workspace::init(dir.path());
    ws.store().exec(QStringLiteral("INSERT INTO models (name, path, role, added_at) VALUES ('t', '/m', 'teacher', 'x')"));
    ws.store().exec(QStringLiteral("INSERT INTO datasets (name, path, created_at) VALUES ('d', '/d.jsonl', 'x')"));
    ws.store().exec(QStringLiteral("INSERT INTO jobs (kind, config_json, created_at) VALUES ('distill', '{}', 'x')"));
    QAbstractItemModel* model = makeStoreTableModel(ws.store(), StoreTable(table), this);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 1);
    ws.store().exec(QStringLiteral("INSERT INTO jobs (kind, config_json, created_at) VALUES ('eval', '{}', 'y')"));
    refreshStoreTableModel(model);
    QCOMPARE(model->rowCount(), StoreTable(table) == StoreTable::Jobs ? 2 : 1);
    delete model;
    ws.store().closeThisThread();
  }

  void aboutShowsVersions() {
    const RuntimeInfo info = runtimeInfo();
    AboutDialog about(info);
    QVERIFY(about.text().contains(QStringLiteral("Qt: ") + QString::fromLatin1(qVersion())));
    QVERIFY(about.text().contains(QStringLiteral("LibTorch: ") + info.torchVersion));
    QVERIFY(about.text().contains(QStringLiteral("CUDA: ")));
    QVERIFY(about.text().contains(QStringLiteral("GPUs: ")));
  }

  void chineseTranslationLoads() {
    QTranslator t;
    QVERIFY(t.load(QStringLiteral(":/i18n/distillery_zh_CN.qm")));
    QCOMPARE(t.translate("Panels", "Models"), QStringLiteral("模型"));
    QCOMPARE(t.translate("Panels", "Human rating"), QStringLiteral("人工评估"));
    // Panel classes are looked up by their namespaced class name, as moc names them.
    QCOMPARE(QString::fromLatin1(EvaluationPanel::staticMetaObject.className()),
             QStringLiteral("distillery::ui::EvaluationPanel"));
    QCOMPARE(t.translate("distillery::ui::EvaluationPanel", "Only where the models disagree"),
             QStringLiteral("仅显示模型结果不一致的样本"));
  }

  void settingsPersist() {
    AppSettings::setComputeThreads(3);
    AppSettings::setLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(AppSettings::computeThreads(), 3);
    QCOMPARE(AppSettings::language(), QStringLiteral("zh_CN"));
    for (int i = 0; i < AppSettings::kMaxRecent + 3; ++i) AppSettings::addRecentWorkspace(QStringLiteral("/ws%1").arg(i));
    QCOMPARE(AppSettings::recentWorkspaces().size(), AppSettings::kMaxRecent);
    QCOMPARE(AppSettings::recentWorkspaces().first(), QStringLiteral("/ws%1").arg(AppSettings::kMaxRecent + 2));
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
