// PII redaction (issue 10): every detector on constructed positives and near-miss negatives from
// tests/data/pii/cases.tsv (made and checked by make_cases.py with its own Luhn, mod-97 and GB 11643 code), the
// three modes, user patterns, and `distillery-cli data redact`.
#include "Fixtures.h"
#include "TestUtil.h"
#include "common/Error.h"
#include "data/PiiChecks.h"
#include "data/Redact.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <map>

using namespace distillery;

namespace {

struct Case {
  QString type, text, expected;
};

QList<Case> loadCases() {
  QList<Case> cases;
  QFile f(testDataDir() + QStringLiteral("/pii/cases.tsv"));
  if (!f.open(QIODevice::ReadOnly)) return cases;
  for (const QByteArray& line : f.readAll().split('\n')) {
    if (line.isEmpty()) continue;
    const QStringList cols = QString::fromUtf8(line).split(QLatin1Char('\t'));
    cases.append({cols.value(0), cols.value(1), cols.value(2)});
  }
  return cases;
}

Redactor caseRedactor(RedactMode mode = RedactMode::Tag) {
  return Redactor({.mode = mode, .patterns = {parsePiiPattern(QStringLiteral("EMPLOYEE=EMP-\\d{6}\\b"))}});
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestPii : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void detects_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QList<Case> cases = loadCases();
    QVERIFY(cases.size() >= 60);
    int i = 0;
    for (const Case& c : cases)
      QTest::addRow("%d %s %s", ++i, qPrintable(c.type), c.expected.isEmpty() ? "near-miss" : "positive")
          << c.type << c.text << c.expected;
  }
  void detects() {
    QFETCH(QString, type);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::vector<PiiFinding> found = caseRedactor().find(text);
    QStringList got;
    for (const PiiFinding& f : found) got << f.type + QLatin1Char('=') + text.mid(f.start, f.length);
    if (expected.isEmpty()) {
      QVERIFY2(found.empty(), qPrintable(QStringLiteral("near miss \"%1\" found as %2").arg(text, got.join(u", "))));
    } else {
      QCOMPARE(got, QStringList{type + QLatin1Char('=') + expected});
    }
  }

  // Precision and recall per type over the whole constructed set: a finding counts as true when its type and exact
  // span are the case's positive.
  void precisionRecall() {
    const QList<Case> cases = loadCases();
    const Redactor r = caseRedactor();
    std::map<QString, int> tp, fp, fn;
    for (const Case& c : cases) {
      bool hit = false;
      for (const PiiFinding& f : r.find(c.text)) {
        if (!c.expected.isEmpty() && f.type == c.type && c.text.mid(f.start, f.length) == c.expected) {
          hit = true;
          ++tp[f.type];
        } else {
          ++fp[f.type];
        }
      }
      if (!c.expected.isEmpty() && !hit) ++fn[c.type];
      if (!c.expected.isEmpty()) tp[c.type] += 0;
    }
    QCOMPARE(int(tp.size()), builtinPiiTypes().size() + 1);  // every built-in type and the user pattern have cases
    for (const auto& [type, truePositives] : tp) {
      const double precision = truePositives + fp[type] ? double(truePositives) / (truePositives + fp[type]) : 0.0;
      const double recall = truePositives + fn[type] ? double(truePositives) / (truePositives + fn[type]) : 0.0;
      qDebug("%-10s precision %.3f recall %.3f (tp %d, fp %d, fn %d)", qPrintable(type), precision, recall,
             truePositives, fp[type], fn[type]);
      QCOMPARE(precision, 1.0);
      QCOMPARE(recall, 1.0);
    }
  }

  void checks() {
    QVERIFY(pii::luhnValid(u"4111-1111-1111-1111"));
    QVERIFY(!pii::luhnValid(u"4111-1111-1111-1112"));
    QVERIFY(!pii::luhnValid(u"4111x1111"));
    QCOMPARE(pii::ibanLength(u"DE"), 22);
    QCOMPARE(pii::ibanLength(u"NO"), 15);
    QCOMPARE(pii::ibanLength(u"US"), 0);
    QVERIFY(pii::ibanValid(u"GB82 WEST 1234 5698 7654 32"));
    QVERIFY(!pii::ibanValid(u"GB82 WEST 1234 5698 7654 33"));
    QVERIFY(pii::cnIdValid(u"11010519491231002x"));  // a lower-case check character is accepted
    QVERIFY(!pii::cnIdValid(u"01010519491231002X"));
    QVERIFY(pii::ipv4Valid(u"255.255.255.255"));
    QVERIFY(!pii::ipv4Valid(u"1.2.3.0256"));
    QVERIFY(pii::ipv6Valid(u"1::"));
    QVERIFY(pii::ipv6Valid(u"1:2:3:4:5:6:1.2.3.4"));
    QVERIFY(!pii::ipv6Valid(u"1:2:3:4:5:6:7:1.2.3.4"));
    QVERIFY(!pii::ipv6Valid(u"::"));
    QVERIFY(!pii::ipv6Valid(u"12345::1"));
  }

  void modes() {
    const QString text = QStringLiteral("mail john.doe@example.com, card 4111-1111-1111-1111, badge EMP-123456.");
    std::map<QString, int64_t> counts;
    QCOMPARE(caseRedactor(RedactMode::Mask).redact(text, &counts),
             QStringLiteral("mail ****.***@*******.***, card ****-****-****-****, badge ***-******."));
    QCOMPARE(counts, (std::map<QString, int64_t>{{QStringLiteral("CARD"), 1}, {QStringLiteral("EMAIL"), 1},
                                                 {QStringLiteral("EMPLOYEE"), 1}}));
    QCOMPARE(caseRedactor(RedactMode::Tag).redact(text), QStringLiteral("mail [EMAIL], card [CARD], badge [EMPLOYEE]."));
    QCOMPARE(caseRedactor().redact(QStringLiteral("no pii")), QStringLiteral("no pii"));
    QCOMPARE(parseRedactMode(QStringLiteral("drop"), QStringLiteral("--mode")), RedactMode::Drop);
    QVERIFY_THROWS_EXCEPTION(UsageError, parseRedactMode(QStringLiteral("hide"), QStringLiteral("--mode")));
  }

  void badPatterns_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("unbalanced") << QStringLiteral("ACCOUNT=(abc")
                                << QStringLiteral("--pattern=ACCOUNT=(abc pattern \"ACCOUNT\": invalid regular "
                                                  "expression: missing closing parenthesis at offset 4");
    QTest::newRow("no regex") << QStringLiteral("ACCOUNT") << QStringLiteral("--pattern=ACCOUNT must be NAME=REGEX");
    QTest::newRow("builtin") << QStringLiteral("email=x")
                             << QStringLiteral("--pattern=email=x name \"email\" is a built-in type (EMAIL CN_ID IBAN "
                                               "CARD CN_MOBILE IP PHONE)");
    QTest::newRow("bad name") << QStringLiteral("9x=a")
                              << QStringLiteral("--pattern=9x=a name \"9x\" must start with a letter and hold only "
                                                "letters, digits and _");
  }
  void badPatterns() {
    QFETCH(QString, spec);
    QFETCH(QString, message);
    try {
      parsePiiPattern(spec);
      QFAIL("no error");
    } catch (const UsageError& e) {
      QCOMPARE(e.message(), message);
    }
  }

  // The command's output file and counts equal the expected ones; fields not selected stay as they were.
  void cliRedact() {
    QTemporaryDir dir;
    const QString in = testDataDir() + QStringLiteral("/pii/redact_in.jsonl");
    const QString out = dir.filePath(QStringLiteral("out.jsonl"));
    const CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("data"), QStringLiteral("redact"), in, out,
                                QStringLiteral("--field"), QStringLiteral("text"), QStringLiteral("--mode"),
                                QStringLiteral("tag"), QStringLiteral("--pattern"), QStringLiteral("EMPLOYEE=EMP-\\d{6}")});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.err, QString());
    QCOMPARE(readAll(out), readAll(testDataDir() + QStringLiteral("/pii/redact_expected_tag.jsonl")));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(),
             QJsonDocument::fromJson(readAll(testDataDir() + QStringLiteral("/pii/redact_expected_tag.json"))).object());

    // Every string field, drop mode: only the row without PII is left.
    const CliResult drop = runCli({QStringLiteral("--json"), QStringLiteral("data"), QStringLiteral("redact"), in, out,
                                   QStringLiteral("--mode"), QStringLiteral("drop")});
    QCOMPARE(drop.code, 0);
    QCOMPARE(readAll(out), QByteArray("{\"id\":2,\"text\":\"nothing personal here, version 1.2.3.4.5\"}\n"));
    const QJsonObject report = QJsonDocument::fromJson(drop.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("rows_dropped")).toInt(), 3);
    QCOMPARE(report.value(QStringLiteral("written")).toInt(), 1);
    QCOMPARE(report.value(QStringLiteral("counts")).toObject().value(QStringLiteral("EMAIL")).toInt(), 2);
  }

  // A malformed pattern is refused with its name and offset, before anything is written.
  void cliBadPattern() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.jsonl"));
    const CliResult r = runCli({QStringLiteral("data"), QStringLiteral("redact"),
                                testDataDir() + QStringLiteral("/pii/redact_in.jsonl"), out, QStringLiteral("--pattern"),
                                QStringLiteral("ACCOUNT=[0-9")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("distillery-cli: --pattern=ACCOUNT=[0-9 pattern \"ACCOUNT\": invalid regular "
                                   "expression: missing terminating ] for character class at offset 4\n"));
    QVERIFY(!QFile::exists(out));
    const CliResult mode = runCli({QStringLiteral("data"), QStringLiteral("redact"),
                                   testDataDir() + QStringLiteral("/pii/redact_in.jsonl"), out, QStringLiteral("--mode"),
                                   QStringLiteral("hide")});
    QCOMPARE(mode.code, 2);
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestPii)
#include "tst_pii.moc"
