// The Data panel offscreen: the lazy preview model (chunks, exact rows and values, a 10k-row file not read at
// once, CSV columns), import registering a row, statistics in the worker equal to `distillery-cli data stats`,
// cancel, clean/dedup/split registered with their parent (and dedup equal to `data dedup`), and bad files.
#include "../common/Fixtures.h"
#include "../common/TestUtil.h"
#include "data/DataPanel.h"
#include "data/DatasetListModel.h"
#include "data/LazyRowModel.h"
#include "data/LengthHistogram.h"
#include "store/DatasetStore.h"
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
#include <QtWidgets/QTableView>

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

bool waitFor(DataPanel& panel, QSignalSpy& spy, int ms = 60000) {
  if (spy.isEmpty() && !spy.wait(ms)) return false;
  return !panel.isBusy();
}

}  // namespace

class TestGuiData : public QObject {
  Q_OBJECT
 private Q_SLOTS:
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

  void actionsRegisterTheirLineage() {
    QTemporaryDir tmp;
    // 40 rows, each written twice (exact duplicates), plus an empty row.
    const QString path = tmp.filePath(QStringLiteral("dupes.jsonl"));
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      for (int i = 0; i < 80; ++i)
        f.write(QStringLiteral("{\"text\": \"sentence number %1 about distillation\"}\n").arg(i / 2).toUtf8());
      f.write("{\"text\": \"   \"}\n");
    }
    const Workspace ws = Workspace::init(tmp.filePath(QStringLiteral("ws")));
    DataPanel panel(info());
    panel.setWorkspace(&ws, nullptr);
    QSignalSpy done(&panel, &DataPanel::actionFinished);
    QVERIFY(panel.importDataset(path));
    QVERIFY(waitFor(panel, done));
    const qint64 source = panel.selectedDatasetId();

    done.clear();
    QVERIFY(panel.startDedup());
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    const DatasetRow dedup = DatasetStore(ws.store()).get(panel.lastOutputId());
    QCOMPARE(dedup.parentId, source);
    QCOMPARE(dedup.settings.value("operation").toString(), QStringLiteral("dedup"));
    const QJsonObject cli = cliJson(
        {QStringLiteral("data"), QStringLiteral("dedup"), path, tmp.filePath(QStringLiteral("cli-dedup.jsonl"))});
    QCOMPARE(dedup.rows, cli.value("kept").toInteger());
    QVERIFY(dedup.path.startsWith(ws.root()));
    QVERIFY(QFileInfo::exists(dedup.path));
    const int row = panel.datasetList()->rowOfId(dedup.id);
    QVERIFY2(panel.datasetList()->index(row, DatasetListModel::DerivedFrom).data().toString() ==
                 QStringLiteral("#%1 dupes.jsonl (dedup)").arg(source),
             qPrintable(panel.datasetList()->index(row, DatasetListModel::DerivedFrom).data().toString()));

    panel.selectDataset(source);
    done.clear();
    QVERIFY(panel.startClean());
    QVERIFY(waitFor(panel, done));
    const DatasetRow clean = DatasetStore(ws.store()).get(panel.lastOutputId());
    QCOMPARE(clean.parentId, source);
    QCOMPARE(clean.rows, qint64(40));  // duplicates and the blank row removed
    QCOMPARE(clean.stats.value("kept").toInteger(), qint64(40));

    panel.selectDataset(source);
    done.clear();
    QVERIFY(panel.startSplit());
    QVERIFY(waitFor(panel, done));
    QCOMPARE(done.first().at(0).toBool(), true);
    qint64 total = 0;
    int splits = 0;
    for (const DatasetRow& r : DatasetStore(ws.store()).list()) {
      if (r.settings.value("operation").toString() != QLatin1String("split")) continue;
      QCOMPARE(r.parentId, source);
      QVERIFY(QFileInfo::exists(r.path));
      total += r.rows;
      ++splits;
    }
    QCOMPARE(splits, 3);
    QCOMPARE(total, qint64(81));  // every row lands in exactly one split (duplicates in the same one)
    // Lineage walks back to the source.
    const std::vector<DatasetRow> lineage = DatasetStore(ws.store()).lineage(clean.id);
    QCOMPARE(lineage.size(), size_t(2));
    QCOMPARE(lineage[1].id, source);
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
