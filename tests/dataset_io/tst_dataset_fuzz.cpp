// Fuzzing the dataset readers: random bytes and mutated valid samples (seeded, so a failure repeats) through the
// JSONL, JSON array, CSV and TSV readers under both bad-row policies. Whatever the input, a reader either
// returns rows, counts bad rows (Skip) or throws FormatError (Fail): never a crash, a hang or another exception.
#include "common/Error.h"
#include "data/RowReader.h"

#include "Fixtures.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <random>

using namespace distillery;

Q_DECLARE_METATYPE(SourceFormat)

namespace {

// Bytes that steer the parsers into their interesting states.
constexpr char kAlphabet[] = "{}[]\",:\\\n\r\t ab1\xff\xc3\xa9\xef\xbb\xbf\xfe\x00";

QByteArray randomBytes(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> length(0, 200), pick(0, int(sizeof(kAlphabet)) - 2), any(0, 255), coin(0, 3);
  QByteArray out;
  const int n = length(rng);
  for (int i = 0; i < n; ++i) out.append(coin(rng) ? kAlphabet[pick(rng)] : char(any(rng)));
  return out;
}

// A valid sample with a few bytes changed, inserted or deleted.
QByteArray mutate(QByteArray bytes, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> edits(1, 4), kind(0, 2), pick(0, int(sizeof(kAlphabet)) - 2);
  for (int e = edits(rng); e > 0; --e) {
    const qsizetype at = bytes.isEmpty() ? 0 : qsizetype(rng() % uint64_t(bytes.size()));
    switch (kind(rng)) {
      case 0: if (!bytes.isEmpty()) bytes[at] = kAlphabet[pick(rng)]; break;
      case 1: bytes.insert(at, kAlphabet[pick(rng)]); break;
      default: bytes.remove(at, 1 + qsizetype(rng() % 8)); break;
    }
  }
  return bytes;
}

struct Outcome {
  int64_t rows = 0, badRows = 0;
  bool formatError = false;
  QString other;  // any other exception: a defect
};

Outcome readAll(const QString& path, SourceFormat format, BadRowPolicy policy) {
  Outcome out;
  try {
    RowReader reader(path, {.format = format, .onBadRow = policy, .maxLineBytes = 64});
    Row row;
    while (reader.next(row)) {
      if (row.line < 1) out.other = QStringLiteral("row line %1").arg(row.line);
    }
    out.rows = reader.rows();
    out.badRows = reader.badRows();
    if (int64_t(reader.issues().size()) != std::min<int64_t>(out.badRows, RowReader::kMaxIssues))
      out.other = QStringLiteral("issues and bad_rows disagree");
    for (const RowIssue& i : reader.issues())
      if (i.line < 1 || i.reason.isEmpty()) out.other = QStringLiteral("issue without line or reason");
  } catch (const FormatError&) {
    out.formatError = true;
  } catch (const std::exception& e) {
    out.other = QString::fromUtf8(e.what());
  }
  return out;
}

QByteArray readSample(const QString& name) {
  QFile f(testDataDir() + QStringLiteral("/dataset/io/") + name);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestDatasetFuzz : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void neverCrashes_data();
  void neverCrashes();
};

void TestDatasetFuzz::neverCrashes_data() {
  QTest::addColumn<SourceFormat>("format");
  QTest::addColumn<QString>("seedSample");  // mutated half the time; empty: random bytes only
  QTest::newRow("jsonl") << SourceFormat::Jsonl << "bad.jsonl";
  QTest::newRow("jsonl utf-16") << SourceFormat::Jsonl << "prompt_completion_utf16le.jsonl";
  QTest::newRow("json array") << SourceFormat::JsonArray << "sharegpt.json";
  QTest::newRow("json array bad") << SourceFormat::JsonArray << "bad_array.json";
  QTest::newRow("csv") << SourceFormat::Csv << "qa.csv";
  QTest::newRow("tsv") << SourceFormat::Tsv << "qa.tsv";
}

void TestDatasetFuzz::neverCrashes() {
  QFETCH(SourceFormat, format);
  QFETCH(QString, seedSample);
  const QByteArray valid = readSample(seedSample);
  QVERIFY(!valid.isEmpty());
  QTemporaryDir tmp;
  const QString path = tmp.filePath("case");
  std::mt19937_64 rng(20261123u + uint64_t(format));
  int64_t totalRows = 0, totalBad = 0, failures = 0;
  for (int i = 0; i < 1200; ++i) {
    const QByteArray bytes = i % 2 ? mutate(valid, rng) : randomBytes(rng);
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write(bytes);
    }
    const Outcome skip = readAll(path, format, BadRowPolicy::Skip);
    const Outcome fail = readAll(path, format, BadRowPolicy::Fail);
    const QString what = QStringLiteral("case %1: %2").arg(i).arg(QString::fromLatin1(bytes.toHex()));
    QVERIFY2(skip.other.isEmpty(), qPrintable(skip.other + " on " + what));
    QVERIFY2(fail.other.isEmpty(), qPrintable(fail.other + " on " + what));
    // Fail throws exactly when Skip found a bad row (or the header is refused under both); else both agree.
    if (!skip.formatError) {
      QVERIFY2(fail.formatError == (skip.badRows > 0), qPrintable(what));
      if (!fail.formatError) QVERIFY2(fail.rows == skip.rows, qPrintable(what));
    } else {
      QVERIFY2(fail.formatError, qPrintable(what));
    }
    totalRows += skip.rows;
    totalBad += skip.badRows;
    failures += fail.formatError;
    // The file read is never changed.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), bytes);
  }
  // The cases reach both sides: rows read and rows refused.
  QVERIFY2(totalRows > 0 && totalBad > 0 && failures > 0,
           qPrintable(QStringLiteral("rows %1, bad %2, failures %3").arg(totalRows).arg(totalBad).arg(failures)));
}

QTEST_GUILESS_MAIN(TestDatasetFuzz)
#include "tst_dataset_fuzz.moc"
