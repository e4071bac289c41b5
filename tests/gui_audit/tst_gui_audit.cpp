// The Audit panel offscreen: the lazy table model (QAbstractItemModelTester, pages of 256), the filters (family,
// object, text, time range, bad dates), Verify on an intact and on a tampered chain (the broken row selected),
// export, the lineage tree of a dataset derived twice, the panel's place in the registry, and Settings applied
// from the main window recorded in the open workspace.
#include "../common/Fixtures.h"
#include "audit/AuditLog.h"
#include "audit/AuditPanel.h"
#include "audit/AuditTableModel.h"
#include "jobs/JobStore.h"
#include "shell/AppSettings.h"
#include "shell/MainWindow.h"
#include "shell/Panels.h"
#include "shell/SettingsDialog.h"
#include "store/DatasetRegistration.h"
#include "store/ModelStore.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtSql/QSqlQuery>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>

#include <memory>

using namespace distillery;
using namespace distillery::ui;

namespace {

PanelInfo info() { return {QStringLiteral("audit"), QStringLiteral("Audit"), QStringLiteral("Audit."), {}}; }

bool waitTask(AuditPanel& panel, QSignalSpy& spy) {
  if (spy.isEmpty() && !spy.wait(60000)) return false;
  (void)panel;
  return spy.takeFirst().value(0).toBool();
}

void write(const QString& path, const QByteArray& text) {
  QFile f(path);
  if (f.open(QIODevice::WriteOnly)) f.write(text);
}

}  // namespace

class TestGuiAudit : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings go to a throw-away location
    QSettings().clear();
  }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(Workspace::init(dir_->filePath(QStringLiteral("ws"))));
    const Store& store = ws_->store();
    ModelStore(store).addFolder(fixture(QStringLiteral("tiny-llama")), ModelRole::Student);
    write(dir_->filePath("a.jsonl"), "{\"text\": \"x\"}\n{\"text\": \"x\"}\n{\"text\": \"y\"}\n");
    write(dir_->filePath("b.jsonl"), "{\"text\": \"x\"}\n{\"text\": \"y\"}\n");
    write(dir_->filePath("c.jsonl"), "{\"text\": \"y\"}\n");
    registerDatasetFile(store, dir_->filePath("a.jsonl"), dir_->filePath("b.jsonl"), "text", 2,
                        {{"operation", "dedup"}}, {});
    registerDatasetFile(store, dir_->filePath("b.jsonl"), dir_->filePath("c.jsonl"), "text", 1,
                        {{"operation", "split"}}, {});
    const JobStore jobs(store);
    const JobSpec spec = JobSpec::fromJson(
        QJsonObject{{"kind", "lora"},
                    {"student", fixture("tiny-llama")},
                    {"output", dir_->filePath("out")},
                    {"data", QJsonObject{{"train", dir_->filePath("c.jsonl")}}}},
        "job.json");
    const qint64 id = jobs.create(spec);
    jobs.setStatus(id, JobStatus::Running);
    jobs.setStatus(id, JobStatus::Succeeded);
    // workspace.created, model.added, dataset.imported (a), dataset.derived (b), dataset.derived (c),
    // job.created, job.started, job.succeeded
  }

  void cleanup() {
    ws_.reset();
    dir_.reset();
  }

  void modelShowsTheLogAndFilters() {
    AuditPanel panel(info());
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.setWorkspace(ws_.get(), nullptr);
    AuditTableModel* m = panel.model();
    QCOMPARE(m->rowCount(), 8);
    QCOMPARE(m->columnCount(), int(AuditTableModel::ColumnCount));
    QCOMPARE(m->index(0, AuditTableModel::Action).data().toString(), QStringLiteral("workspace.created"));
    QCOMPARE(m->index(1, AuditTableModel::Object).data().toString(),
             QStringLiteral("model ") + QDir::cleanPath(fixture("tiny-llama")));
    QCOMPARE(m->index(7, AuditTableModel::Id).data(AuditTableModel::kIdRole).toLongLong(), qint64(8));
    QCOMPARE(m->index(7, AuditTableModel::User).data().toString(), audit::osUser());
    QVERIFY(m->index(7, AuditTableModel::Id).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("hash ")));
    QCOMPARE(m->headerData(AuditTableModel::Params, Qt::Horizontal).toString(), QStringLiteral("Parameters"));

    // The action box offers families first: "job." shows the three job rows.
    QComboBox* action = panel.actionFilter();
    const int family = action->findData(QStringLiteral("job."));
    QVERIFY(family > 0);
    QVERIFY(action->findData(QStringLiteral("job.succeeded")) > family);
    action->setCurrentIndex(family);
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(m->index(2, AuditTableModel::Action).data().toString(), QStringLiteral("job.succeeded"));
    action->setCurrentIndex(0);
    QCOMPARE(m->rowCount(), 8);

    panel.objectFilter()->setCurrentIndex(panel.objectFilter()->findData(QStringLiteral("dataset")));
    QCOMPARE(m->rowCount(), 3);
    panel.textFilter()->setText(QStringLiteral("SPLIT"));
    panel.applyFilters();
    QCOMPARE(m->rowCount(), 1);
    QCOMPARE(m->index(0, AuditTableModel::Object).data().toString(), QStringLiteral("dataset ") + dir_->filePath("c.jsonl"));
    panel.objectFilter()->setCurrentIndex(0);
    panel.textFilter()->clear();

    // Time range: nothing before 2000, everything since then; a bad date is named and the table left alone.
    panel.untilFilter()->setText(QStringLiteral("2000-01-01"));
    panel.applyFilters();
    QCOMPARE(m->rowCount(), 0);
    panel.untilFilter()->clear();
    panel.sinceFilter()->setText(QStringLiteral("2000-01-01T00:00:00Z"));
    panel.applyFilters();
    QCOMPARE(m->rowCount(), 8);
    panel.sinceFilter()->setText(QStringLiteral("last tuesday"));
    panel.applyFilters();
    QCOMPARE(m->rowCount(), 8);
    QVERIFY2(panel.resultLabel()->text().contains(QStringLiteral("last tuesday is not a date")),
             qPrintable(panel.resultLabel()->text()));
  }

  // A long log is read a page at a time as the view asks for more.
  void modelIsLazy() {
    for (int i = 0; i < 600; ++i)
      recordAudit(ws_->store(), QStringLiteral("test.bulk"), QStringLiteral("thing"), QString::number(i));
    AuditTableModel m;
    m.setStore(ws_->store());
    QCOMPARE(m.totalRows(), qint64(608));
    QCOMPARE(m.rowCount(), AuditTableModel::kPageSize);
    QVERIFY(m.canFetchMore({}));
    m.fetchMore({});
    QCOMPARE(m.rowCount(), 2 * AuditTableModel::kPageSize);
    QCOMPARE(m.rowOfId(600), 599);  // fetches the last page
    QCOMPARE(m.rowCount(), 608);
    QVERIFY(!m.canFetchMore({}));
    QCOMPARE(m.index(607, AuditTableModel::Object).data().toString(), QStringLiteral("thing 599"));
    // The tester fetches pages itself (canFetchMore/fetchMore), so it is attached after the counts above.
    m.refresh();
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setFilter({.action = QStringLiteral("test.bulk"), .text = QStringLiteral("59")});
    QCOMPARE(m.totalRows(), qint64(16));  // 59, 159, 259, 359, 459, 559 and 590..599
    QCOMPARE(m.rowCount(), 16);
    m.setStore(std::nullopt);
    QCOMPARE(m.rowCount(), 0);
  }

  void verifyButtonReportsIntactAndBrokenChains() {
    AuditPanel panel(info());
    panel.setWorkspace(ws_.get(), nullptr);
    QSignalSpy spy(&panel, &AuditPanel::taskFinished);
    panel.verifyButton()->click();
    QVERIFY(waitTask(panel, spy));
    QCOMPARE(panel.resultLabel()->text(), QStringLiteral("Chain intact: 8 row(s) verified."));
    QVERIFY(panel.verifyButton()->isEnabled());

    // Someone edits row 4 (the first derived dataset) behind the workbench's back.
    QSqlQuery q(ws_->store().connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE audit SET object_id = '/elsewhere.jsonl' WHERE id = 4")));
    panel.verifyButton()->click();
    QVERIFY(waitTask(panel, spy));
    QVERIFY2(panel.resultLabel()->text().startsWith(QStringLiteral("Broken at row 4 (content_hash): row 4's content")),
             qPrintable(panel.resultLabel()->text()));
    const QModelIndexList selected = panel.view()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected[0].data(AuditTableModel::kIdRole).toLongLong(), qint64(4));

    // A deleted row: the row after the gap is named.
    QVERIFY(q.exec(QStringLiteral("DELETE FROM audit WHERE id IN (4, 5)")));
    panel.verifyButton()->click();
    QVERIFY(waitTask(panel, spy));
    QVERIFY2(panel.resultLabel()->text().startsWith(QStringLiteral("Broken at row 6 (id_gap)")),
             qPrintable(panel.resultLabel()->text()));
  }

  void exportWritesTheFilteredRows() {
    AuditPanel panel(info());
    panel.setWorkspace(ws_.get(), nullptr);
    panel.actionFilter()->setCurrentIndex(panel.actionFilter()->findData(QStringLiteral("dataset.derived")));
    QCOMPARE(panel.model()->rowCount(), 2);
    QSignalSpy spy(&panel, &AuditPanel::taskFinished);
    const QString file = dir_->filePath(QStringLiteral("audit.jsonl"));
    panel.exportTo(file);
    QVERIFY(waitTask(panel, spy));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[1].contains("\"action\":\"dataset.derived\""));
    QCOMPARE(panel.resultLabel()->text(), QStringLiteral("Exported 2 row(s) to %1.").arg(file));
    // A wrong extension is refused in the label; nothing is written.
    panel.exportTo(dir_->filePath(QStringLiteral("audit.txt")));
    QVERIFY(!waitTask(panel, spy));
    QVERIFY2(panel.resultLabel()->text().contains(QStringLiteral("must end in .csv or .jsonl")),
             qPrintable(panel.resultLabel()->text()));
    QVERIFY(!QFile::exists(dir_->filePath(QStringLiteral("audit.txt"))));
  }

  void lineageTreeOfDerivedDataset() {
    AuditPanel panel(info());
    panel.setWorkspace(ws_.get(), nullptr);
    QSignalSpy spy(&panel, &AuditPanel::taskFinished);
    panel.showLineage(dir_->filePath("c.jsonl"));
    QVERIFY(waitTask(panel, spy));
    QTreeWidget* tree = panel.lineageTree();
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem* c = tree->topLevelItem(0);
    QCOMPARE(c->text(0), QStringLiteral("dataset c.jsonl"));
    QCOMPARE(c->text(1), QStringLiteral("split"));
    QCOMPARE(c->childCount(), 1);
    QCOMPARE(c->child(0)->text(0), QStringLiteral("parent: dataset b.jsonl"));
    QCOMPARE(c->child(0)->text(1), QStringLiteral("dedup"));
    QCOMPARE(c->child(0)->childCount(), 1);
    QCOMPARE(c->child(0)->child(0)->text(0), QStringLiteral("parent: dataset a.jsonl"));
    QCOMPARE(c->child(0)->child(0)->childCount(), 0);
    // A path that does not exist: the error is shown, the tree kept.
    panel.showLineage(dir_->filePath("nothing.jsonl"));
    QVERIFY(!waitTask(panel, spy));
    QVERIFY2(panel.resultLabel()->text().contains(QStringLiteral("does not exist")),
             qPrintable(panel.resultLabel()->text()));
    QCOMPARE(tree->topLevelItemCount(), 1);
  }

  void panelIsRegistered() {
    for (const PanelInfo& i : panels()) {
      if (i.id != QLatin1String("audit")) continue;
      std::unique_ptr<WorkspacePanel> page(i.create(i, nullptr));
      QVERIFY(qobject_cast<AuditPanel*>(page.get()));
      page->setWorkspace(nullptr, nullptr);
      QVERIFY(!static_cast<AuditPanel*>(page.get())->verifyButton()->isEnabled());
      return;
    }
    QFAIL("no audit panel");
  }

  // Settings applied from the main window while a workspace is open are recorded in that workspace.
  void settingsAppliedAreRecorded() {
    MainWindow w;
    QVERIFY(w.openWorkspace(ws_->root()));
    QAction* settings = nullptr;
    for (QAction* a : w.findChildren<QAction*>())
      if (a->text() == QStringLiteral("&Settings…")) settings = a;
    QVERIFY(settings);
    settings->trigger();
    auto* dialog = w.findChild<SettingsDialog*>();
    QVERIFY(dialog);
    dialog->accept();
    const std::vector<AuditEntry> rows = AuditLog(ws_->store()).list({.action = QStringLiteral("settings.changed")});
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].objectKind, QStringLiteral("settings"));
    QCOMPARE(rows[0].toJson()["params"].toObject()["compute_threads"].toInt(), AppSettings::computeThreads());
    QVERIFY(AuditLog(ws_->store()).verify().ok);
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<Workspace> ws_;
};

QTEST_MAIN(TestGuiAudit)
#include "tst_gui_audit.moc"
