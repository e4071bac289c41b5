// Cleaning filters, exact and MinHash-LSH near-duplicate removal, splits and augmentation (issue 6), and the
// `data clean|dedup|split|augment` commands.
#include "Fixtures.h"
#include "TestUtil.h"

#include "common/Error.h"
#include "data/Augment.h"
#include "data/DataClean.h"
#include "data/DataSplit.h"
#include "data/Dedup.h"
#include "data/MinHash.h"
#include "data/TextClean.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <map>
#include <random>

using namespace distillery;

namespace {

void writeLines(const QString& path, const QStringList& lines) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  for (const QString& l : lines) f.write(l.toUtf8() + '\n');
}

QString textRow(const QString& text) {
  return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact));
}

QList<QJsonObject> readJsonl(const QString& path) {
  QList<QJsonObject> rows;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return rows;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (!line.isEmpty()) rows << QJsonDocument::fromJson(line).object();
  return rows;
}

QStringList textsOf(const QList<QJsonObject>& rows, const QString& field = QStringLiteral("text")) {
  QStringList out;
  for (const QJsonObject& r : rows) out << r.value(field).toString();
  return out;
}

// Options from "key=value;..." so the filter cases stay one table.
CleanOptions optionsFrom(const QString& spec) {
  CleanOptions o;
  for (const QString& part : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
    const QString key = part.section(QLatin1Char('='), 0, 0), value = part.section(QLatin1Char('='), 1);
    if (key == QLatin1String("min_chars")) o.minChars = value.toLongLong();
    else if (key == QLatin1String("max_chars")) o.maxChars = value.toLongLong();
    else if (key == QLatin1String("keep_empty")) o.dropEmpty = false;
    else if (key == QLatin1String("unicode")) o.unicode = parseUnicodeForm(value, key);
    else if (key == QLatin1String("keep_control")) o.stripControls = false;
    else if (key == QLatin1String("scripts")) o.scripts = parseScripts(value, key);
    else if (key == QLatin1String("share")) o.minScriptShare = value.toDouble();
    else if (key == QLatin1String("exact")) o.dedup.exact = true;
    else if (key == QLatin1String("casefold")) o.dedup.casefold = true;
    else if (key == QLatin1String("field")) o.field = value;
    else qFatal("unknown option %s", qPrintable(key));
  }
  return o;
}

// Synthetic documents over a random vocabulary (distinct documents share almost no 5-grams).
class DocMaker {
 public:
  explicit DocMaker(uint64_t seed) : rng_(seed) {
    for (int i = 0; i < 20000; ++i) {
      QString w;
      const int len = 2 + int(rng_() % 8);
      for (int k = 0; k < len; ++k) w += QChar(u'a' + char16_t(rng_() % 26));
      vocab_ << w;
    }
  }
  QStringList words(int n) {
    QStringList out;
    for (int i = 0; i < n; ++i) out << word();
    return out;
  }
  QString word() { return vocab_.at(qsizetype(rng_() % uint64_t(vocab_.size()))); }
  // words with `changes` distinct positions replaced by other random words.
  QStringList changed(QStringList w, int changes) {
    QSet<int> done;
    while (done.size() < changes) {
      const int at = int(rng_() % uint64_t(w.size()));
      if (done.contains(at)) continue;
      done.insert(at);
      QString other;
      do other = word(); while (other == w.at(at));
      w[at] = other;
    }
    return w;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  QStringList vocab_;
};

double exactJaccard(const MinHasher& h, const QString& a, const QString& b) {
  std::vector<uint64_t> sa, sb, common;
  h.shingles(dedupForm(a, false), sa);
  h.shingles(dedupForm(b, false), sb);
  std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(common));
  return double(common.size()) / double(sa.size() + sb.size() - common.size());
}

}  // namespace

class TestDatasetClean : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // ---- text-level ----------------------------------------------------------------------------------------

  void textTransforms() {
    QCOMPARE(cleanText(QStringLiteral("ＡＢＣ１２３　ｘ"), UnicodeForm::NFKC, false), QStringLiteral("ABC123 x"));
    QCOMPARE(cleanText(QStringLiteral("ＡＢＣ"), UnicodeForm::NFC, false), QStringLiteral("ＡＢＣ"));
    QCOMPARE(cleanText(QStringLiteral("e\u0301"), UnicodeForm::NFC, false), QStringLiteral("\u00e9"));
    QCOMPARE(stripControlChars(QStringLiteral("a\u0000b\u0007c\r\nd\te\u007f\u0085\u009ff")), QStringLiteral("abc\nd\tef"));
    QCOMPARE(dedupForm(QStringLiteral("  Hello \n\t World  "), false), QStringLiteral("Hello World"));
    QCOMPARE(dedupForm(QStringLiteral("HeLLo ΣΑΣ"), true), QStringLiteral("hello σασ"));
    QCOMPARE(codePoints(QStringLiteral("a😀汉")), qint64(3));
    QCOMPARE(scriptShare(QStringLiteral("中文 ab 12!"), parseScripts(QStringLiteral("han"), QStringLiteral("s"))), 0.5);
    QCOMPARE(scriptShare(QStringLiteral("12 !"), parseScripts(QStringLiteral("latin"), QStringLiteral("s"))), 0.0);
    QCOMPARE(scriptShare(QStringLiteral("ひらがなカタカナ漢字한국"), parseScripts(QStringLiteral("cjk"), QStringLiteral("s"))), 1.0);
    QCOMPARE(errorOf([] { parseScripts(QStringLiteral("latin,klingon"), QStringLiteral("--scripts")); }).section(QLatin1Char('('), 0, 0),
             QStringLiteral("--scripts=klingon is not a script this filter knows "));
    QVERIFY(textHash(QStringLiteral("a")) == textHash(QStringLiteral("a")));
    QVERIFY(!(textHash(QStringLiteral("a")) == textHash(QStringLiteral("b"))));
  }

  // ---- each filter on constructed rows --------------------------------------------------------------------

  void filters_data() {
    QTest::addColumn<QStringList>("texts");        // one {"text"} row each (a leading '{' = a raw line)
    QTest::addColumn<QString>("options");
    QTest::addColumn<QStringList>("kept");         // the texts written
    QTest::addColumn<QString>("reason");           // the removal reason expected
    QTest::addColumn<QList<qint64>>("lines");      // its lines

    QTest::newRow("empty") << QStringList{"hello", "", "  \n\t ", "x"} << "" << QStringList{"hello", "x"} << "empty"
                           << QList<qint64>{2, 3};
    QTest::newRow("keep empty") << QStringList{"hello", " "} << "keep_empty" << QStringList{"hello", " "} << "empty"
                                << QList<qint64>{};
    QTest::newRow("min chars, CJK counted per character") << QStringList{"abcd", "abcde", "汉字汉字汉", "汉字"} << "min_chars=5"
                                                           << QStringList{"abcde", "汉字汉字汉"} << "too_short_chars"
                                                           << QList<qint64>{1, 4};
    QTest::newRow("max chars, a surrogate pair is one") << QStringList{"😀😀😀", "abcd"} << "max_chars=3"
                                                        << QStringList{"😀😀😀"} << "too_long_chars" << QList<qint64>{2};
    QTest::newRow("script han") << QStringList{"这是中文文本。", "this is English", "中文 mixed with English", "12345"}
                                << "scripts=han" << QStringList{"这是中文文本。"} << "script" << QList<qint64>{2, 3, 4};
    QTest::newRow("script cjk keeps Japanese") << QStringList{"ひらがなとカタカナと漢字", "Привет мир"} << "scripts=cjk"
                                               << QStringList{"ひらがなとカタカナと漢字"} << "script" << QList<qint64>{2};
    QTest::newRow("script cyrillic,latin at 0.9") << QStringList{"Привет мир", "hello мир", "hello 世界"}
                                                  << "scripts=cyrillic,latin;share=0.9" << QStringList{"Привет мир", "hello мир"}
                                                  << "script" << QList<qint64>{3};
    QTest::newRow("nfkc full-width") << QStringList{"ＡＢＣ１２３", "ｶﾀｶﾅ"} << "unicode=nfkc" << QStringList{"ABC123", "カタカナ"}
                                     << "empty" << QList<qint64>{};
    QTest::newRow("nfc") << QStringList{"caf\u0065\u0301"} << "unicode=nfc" << QStringList{"caf\u00e9"} << "empty"
                         << QList<qint64>{};
    QTest::newRow("control characters") << QStringList{"a\u0001b\u001bc\nd\te\u007f", "\u0007"} << ""
                                        << QStringList{"abc\nd\te"} << "empty" << QList<qint64>{2};
    QTest::newRow("control characters kept") << QStringList{"a\u0001b"} << "keep_control" << QStringList{"a\u0001b"}
                                             << "empty" << QList<qint64>{};
    QTest::newRow("exact, whitespace collapsed") << QStringList{"Hello  world", "hello world", "Hello world ", "other"}
                                                 << "exact" << QStringList{"Hello  world", "hello world", "other"}
                                                 << "exact_duplicate" << QList<qint64>{3};
    QTest::newRow("exact, casefolded") << QStringList{"Hello  world", "hello world", "HELLO WORLD", "other"}
                                       << "exact;casefold" << QStringList{"Hello  world", "other"} << "exact_duplicate"
                                       << QList<qint64>{2, 3};
    QTest::newRow("exact after normalisation") << QStringList{"ＡＢＣ", "ABC"} << "exact;unicode=nfkc" << QStringList{"ABC"}
                                               << "exact_duplicate" << QList<qint64>{2};
    QTest::newRow("bad rows") << QStringList{"ok", "{\"text\": 1", "{\"other\": \"x\"}", "fine"} << ""
                              << QStringList{"ok", "fine"} << "bad_row" << QList<qint64>{2, 3};
    QTest::newRow("field missing is a bad row") << QStringList{"{\"body\": \"a\"}", "{\"title\": \"b\"}"} << "field=body"
                                                << QStringList{""} << "bad_row" << QList<qint64>{2};
  }

  void filters() {
    QFETCH(QStringList, texts);
    QFETCH(QString, options);
    QFETCH(QStringList, kept);
    QFETCH(QString, reason);
    QFETCH(QList<qint64>, lines);
    const QString in = dir_.filePath(QStringLiteral("filters.jsonl")), out = dir_.filePath(QStringLiteral("filters.out.jsonl"));
    QStringList raw;
    for (const QString& t : texts) raw << (t.startsWith(QLatin1Char('{')) ? t : textRow(t));
    writeLines(in, raw);
    const CleanOptions o = optionsFrom(options);
    const CleanReport r = cleanFile(in, out, o);
    QCOMPARE(textsOf(readJsonl(out)), kept);
    QCOMPARE(r.rows, qint64(texts.size()));
    QCOMPARE(r.kept, qint64(kept.size()));
    int64_t removed = 0;
    for (int64_t n : r.removed) removed += n;
    QCOMPARE(r.kept + removed, r.rows);
    const QJsonObject json = r.toJson();
    QCOMPARE(json[QStringLiteral("removed")][reason].toInteger(), qint64(lines.size()));
    QList<qint64> got;
    for (const QJsonValue& v : json[QStringLiteral("lines")][reason].toArray()) got << v[QStringLiteral("line")].toInteger();
    QCOMPARE(got, lines);
  }

  void rewritingTouchesTextFieldsOnly() {
    const QString in = dir_.filePath(QStringLiteral("alpaca.jsonl")), out = dir_.filePath(QStringLiteral("alpaca.out.jsonl"));
    writeLines(in, {QStringLiteral(R"({"id": "ＩＤ\u0001", "instruction": "Ｓａｙ\u0001", "output": "ｏｋ"})"),
                    QStringLiteral(R"({"messages": [{"role": "user", "content": "ｈｉ"}, {"role": "assistant", "content": "ｙｏ\u0007"}], "tag": "ｔ"})")});
    CleanOptions o;
    o.unicode = UnicodeForm::NFKC;
    const CleanReport r = cleanFile(in, out, o);
    const QList<QJsonObject> rows = readJsonl(out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0], QJsonObject({{"id", "ＩＤ\u0001"}, {"instruction", "Say"}, {"output", "ok"}}));
    QCOMPARE(rows[1][QStringLiteral("messages")].toArray().at(1)[QStringLiteral("content")].toString(), QStringLiteral("yo"));
    QCOMPARE(rows[1][QStringLiteral("messages")].toArray().at(0)[QStringLiteral("content")].toString(), QStringLiteral("hi"));
    QCOMPARE(rows[1][QStringLiteral("tag")].toString(), QStringLiteral("ｔ"));
    QCOMPARE(r.schema.isEmpty(), false);
  }

  void tokenFilters() {
    const Tokenizer tok = Tokenizer::fromDirectory(fixture(QStringLiteral("tiny-llama")));
    const QStringList texts{QStringLiteral("hi"), QStringLiteral("a somewhat longer sentence with several words"),
                            QStringLiteral("a sentence of middling length")};
    std::vector<int64_t> n;
    for (const QString& t : texts) n.push_back(int64_t(tok.encode(t).size()));
    QVERIFY(n[0] < n[2] && n[2] < n[1]);
    const QString in = dir_.filePath(QStringLiteral("tokens.jsonl")), out = dir_.filePath(QStringLiteral("tokens.out.jsonl"));
    QStringList raw;
    for (const QString& t : texts) raw << textRow(t);
    writeLines(in, raw);
    CleanOptions o;
    o.tokenizer = tok;
    o.minTokens = n[2];
    o.maxTokens = n[2];
    o.countTokens = true;
    const CleanReport r = cleanFile(in, out, o);
    QCOMPARE(textsOf(readJsonl(out)), QStringList{texts[2]});
    QCOMPARE(r.removedOf(RemoveReason::TooShortTokens), qint64(1));
    QCOMPARE(r.removedOf(RemoveReason::TooLongTokens), qint64(1));
    QCOMPARE(r.keptTokens, n[2]);
    CleanOptions noTokenizer;
    noTokenizer.maxTokens = 3;
    QCOMPARE(errorOf([&] { cleanFile(in, out, noTokenizer); }),
             QStringLiteral("tokenizer the token filters and token counts need a tokenizer"));
  }

  // Bad input under the fail policy, and a cancel: the exact error, nothing written, the source untouched.
  void badInputWritesNothing() {
    const QString in = dir_.filePath(QStringLiteral("bad.jsonl")), out = dir_.filePath(QStringLiteral("bad.out.jsonl"));
    writeLines(in, {textRow(QStringLiteral("ok")), QStringLiteral(R"({"other": 1})"), QStringLiteral("{broken")});
    QFile source(in);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray before = source.readAll();
    source.close();
    CleanOptions o;
    o.read.onBadRow = BadRowPolicy::Fail;
    QCOMPARE(errorOf([&] { cleanFile(in, out, o); }), in + QStringLiteral(":2: no known schema (use --field)"));
    QVERIFY(!QFile::exists(out));
    o.field = QStringLiteral("other");
    QCOMPARE(errorOf([&] { cleanFile(in, out, o); }), in + QStringLiteral(":1: other missing"));
    QVERIFY(!QFile::exists(out));
    CleanOptions cancel;
    cancel.read.progress = [](int64_t, int64_t) { return false; };
    QCOMPARE(errorOf([&] { cleanFile(in, out, cancel); }), QStringLiteral("cancelled"));
    QVERIFY(!QFile::exists(out));
    SplitOptions split;
    split.read.onBadRow = BadRowPolicy::Fail;
    QCOMPARE(errorOf([&] { splitFile(in, dir_.filePath(QStringLiteral("bad-split")), split); }),
             in + QStringLiteral(":2: no known schema (use --field)"));
    QVERIFY(!QFile::exists(dir_.filePath(QStringLiteral("bad-split/train.jsonl"))));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(source.readAll(), before);
  }

  // ---- exact dedup ----------------------------------------------------------------------------------------

  void exactDedupKeepsFirst() {
    DedupOptions o;
    o.near = false;
    Deduplicator d(o);
    QCOMPARE(d.check(QStringLiteral("a b"), 10).kind, DedupHit::None);
    QCOMPARE(d.check(QStringLiteral("c"), 11).kind, DedupHit::None);
    const DedupHit hit = d.check(QStringLiteral(" a   b "), 12);
    QCOMPARE(hit.kind, DedupHit::Exact);
    QCOMPARE(hit.of, qint64(10));
    QCOMPARE(d.check(QStringLiteral("c"), 13).of, qint64(11));
    QCOMPARE(d.kept(), qint64(2));
  }

  // ---- MinHash and LSH ------------------------------------------------------------------------------------

  // The estimate is a binomial share: (est − J)/sqrt(J(1 − J)/n) should look standard normal over many pairs.
  void minhashEstimateMatchesJaccard() {
    DocMaker docs(7);
    MinHasher h;
    const double n = h.options().numPerm;
    double sumZ2 = 0, maxZ = 0;
    int pairs = 0;
    for (int i = 0; i < 240; ++i) {
      const QStringList a = docs.words(120);
      const QStringList b = docs.changed(a, 1 + i % 60);
      const QString ta = a.join(QLatin1Char(' ')), tb = b.join(QLatin1Char(' '));
      const double j = exactJaccard(h, ta, tb);
      const double est = estimatedJaccard(h.signature(dedupForm(ta, false)), h.signature(dedupForm(tb, false)));
      const double sd = std::sqrt(j * (1 - j) / n);
      const double z = (est - j) / sd;
      sumZ2 += z * z;
      maxZ = std::max(maxZ, std::abs(z));
      ++pairs;
    }
    // 240 pairs: P(some |z| > 5) ~ 1e-4; mean z² has sd sqrt(2/240) ≈ 0.09, so [0.7, 1.3] is ±3.3 sd.
    const double meanZ2 = sumZ2 / pairs;
    QVERIFY2(maxZ < 5.0, qPrintable(QStringLiteral("max |z| %1").arg(maxZ)));
    QVERIFY2(meanZ2 > 0.7 && meanZ2 < 1.3, qPrintable(QStringLiteral("mean z^2 %1").arg(meanZ2)));
  }

  void lshParamsMatchDatasketch() {
    QFile f(testDataDir() + QStringLiteral("/dataset/clean/lsh_params.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray cases = QJsonDocument::fromJson(f.readAll()).array();
    QCOMPARE(cases.size(), 8);
    for (const QJsonValue& c : cases) {
      const LshParams p = optimalLshParams(c[QStringLiteral("threshold")].toDouble(), c[QStringLiteral("num_perm")].toInt(),
                                           c[QStringLiteral("fp_weight")].toDouble(), c[QStringLiteral("fn_weight")].toDouble());
      const QString what = QString::fromUtf8(QJsonDocument(c.toObject()).toJson(QJsonDocument::Compact));
      QVERIFY2(p.bands == c[QStringLiteral("bands")].toInt() && p.rows == c[QStringLiteral("rows")].toInt(),
               qPrintable(what + QStringLiteral(" got %1x%2").arg(p.bands).arg(p.rows)));
    }
  }

  // 300 documents of 200 words, each followed later by a copy with 1–3% of its words changed (J ≥ 0.9 checked
  // exactly), and a copy with 25% changed (J ≤ 0.7): the first copies must go (recall ≥ 0.95), the others stay.
  void nearDuplicateRecall() {
    DocMaker docs(11);
    MinHasher h;
    QStringList originals, near, far;
    int nearPairs = 0;
    for (int i = 0; i < 300; ++i) {
      const QStringList w = docs.words(200);
      originals << w.join(QLatin1Char(' '));
      near << docs.changed(w, 2 + i % 5).join(QLatin1Char(' '));
      far << docs.changed(w, 50).join(QLatin1Char(' '));
      QVERIFY2(exactJaccard(h, originals.last(), near.last()) >= 0.9, qPrintable(QString::number(i)));
      QVERIFY(exactJaccard(h, originals.last(), far.last()) <= 0.7);
      ++nearPairs;
    }
    const QString in = dir_.filePath(QStringLiteral("near.jsonl")), out = dir_.filePath(QStringLiteral("near.out.jsonl"));
    QStringList raw;
    for (const QString& t : originals) raw << textRow(t);
    for (const QString& t : far) raw << textRow(t);
    for (const QString& t : near) raw << textRow(t);
    writeLines(in, raw);
    CleanOptions o;
    o.dedup = DedupOptions{};
    const CleanReport r = cleanFile(in, out, o);
    const QStringList kept = textsOf(readJsonl(out));
    QCOMPARE(kept.mid(0, 600), originals + far);   // keep-first: every original and far copy, in order
    int caught = 0;
    for (const QJsonValue& v : r.toJson()[QStringLiteral("lines")][QStringLiteral("near_duplicate")].toArray()) {
      QVERIFY(v[QStringLiteral("line")].toInteger() > 600);
      QCOMPARE(v[QStringLiteral("duplicate_of")].toInteger(), v[QStringLiteral("line")].toInteger() - 600);
    }
    caught = int(r.removedOf(RemoveReason::NearDuplicate));
    const double recall = double(caught) / nearPairs;
    qInfo("near-duplicate recall %.3f (%d of %d); far copies kept: %d", recall, caught, nearPairs, 300);
    QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
    QCOMPARE(r.kept, qint64(600 + nearPairs - caught));
  }

  // ---- splits ---------------------------------------------------------------------------------------------

  void splits() {
    DocMaker docs(3);
    QStringList raw;
    QList<QStringList> bases;
    // 400 rows: 300 singletons, 20 clusters of 5 rows (exact copies and copies with one of 60 words changed);
    // a label with 3 values (60/30/10%).
    std::vector<QString> labelOf;
    for (int i = 0; i < 320; ++i) bases << docs.words(60);
    for (int i = 0; i < 400; ++i) {
      const int base = i < 300 ? i : 300 + (i - 300) % 20;
      const QStringList w = i < 300 || (i - 300) < 20 ? bases[base] : docs.changed(bases[base], (i % 2));
      const QString label = i % 10 < 6 ? QStringLiteral("a") : i % 10 < 9 ? QStringLiteral("b") : QStringLiteral("c");
      raw << QString::fromUtf8(QJsonDocument(QJsonObject{{"text", w.join(QLatin1Char(' '))}, {"label", label}, {"i", i}})
                                   .toJson(QJsonDocument::Compact));
    }
    const QString in = dir_.filePath(QStringLiteral("split.jsonl"));
    writeLines(in, raw);
    auto run = [&](uint64_t seed, const QString& outDir, const QString& stratify) {
      SplitOptions o;
      o.seed = seed;
      o.stratify = stratify;
      return splitFile(in, dir_.filePath(outDir), o);
    };
    auto read = [&](const QString& outDir) {
      std::array<QByteArray, 3> files;
      for (size_t k = 0; k < 3; ++k) {
        QFile f(dir_.filePath(outDir + QLatin1Char('/') + splitNames()[k] + QStringLiteral(".jsonl")));
        if (f.open(QIODevice::ReadOnly)) files[k] = f.readAll();
      }
      return files;
    };
    const SplitReport r1 = run(5, QStringLiteral("s1"), {});
    run(5, QStringLiteral("s2"), {});
    run(6, QStringLiteral("s3"), {});
    QCOMPARE(read(QStringLiteral("s1")), read(QStringLiteral("s2")));
    QVERIFY(read(QStringLiteral("s1")) != read(QStringLiteral("s3")));
    QCOMPARE(r1.rows, qint64(400));
    QCOMPARE(r1.clusters, qint64(320));
    QCOMPARE(r1.clusteredRows, qint64(100));
    QCOMPARE(r1.counts[0] + r1.counts[1] + r1.counts[2], qint64(400));
    // Targets 320/40/40; a 5-row cluster can push a boundary by < 5.
    QVERIFY2(std::abs(r1.counts[0] - 320) < 5 && std::abs(r1.counts[1] - 40) < 5 && std::abs(r1.counts[2] - 40) < 5,
             qPrintable(QStringLiteral("%1 %2 %3").arg(r1.counts[0]).arg(r1.counts[1]).arg(r1.counts[2])));

    // No cluster crosses splits: the rows of each base land in one split.
    const std::array<QByteArray, 3> files = read(QStringLiteral("s1"));
    std::map<int, size_t> splitOfBase;
    for (size_t k = 0; k < 3; ++k) {
      for (const QByteArray& line : files[k].split('\n')) {
        if (line.isEmpty()) continue;
        const int i = QJsonDocument::fromJson(line).object().value(QStringLiteral("i")).toInt();
        const int base = i < 300 ? i : 300 + (i - 300) % 20;
        if (base >= 300 && splitOfBase.count(base)) QCOMPARE(splitOfBase[base], k);
        splitOfBase[base] = k;
      }
    }

    // Stratified: each label split 80/10/10 within rounding and cluster sizes.
    const SplitReport r4 = run(5, QStringLiteral("s4"), QStringLiteral("label"));
    QCOMPARE(r4.counts[0] + r4.counts[1] + r4.counts[2], qint64(400));
    for (const QString& label : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
      const QJsonObject c = r4.strata.value(label).toObject();
      const double total = c[QStringLiteral("train")].toDouble() + c[QStringLiteral("validation")].toDouble() + c[QStringLiteral("test")].toDouble();
      QVERIFY(total > 0);
      QVERIFY2(std::abs(c[QStringLiteral("train")].toDouble() - 0.8 * total) < 5,
               qPrintable(label + QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact))));
      QVERIFY2(std::abs(c[QStringLiteral("test")].toDouble() - 0.1 * total) < 5,
               qPrintable(label + QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact))));
    }

    // A ratio of 0 writes no file.
    SplitOptions o;
    o.ratios = {0.9, 0.1, 0.0};
    const SplitReport r5 = splitFile(in, dir_.filePath(QStringLiteral("s5")), o);
    QCOMPARE(r5.counts[2], qint64(0));
    QVERIFY(!QFile::exists(dir_.filePath(QStringLiteral("s5/test.jsonl"))));
    QCOMPARE(errorOf([] { parseRatios(QStringLiteral("0.5,0.2,0.2"), QStringLiteral("--ratios")); }),
             QStringLiteral("--ratios=0.5,0.2,0.2 must sum to 1"));
  }

  void splitExactProportionsForSingletons() {
    // 1000 distinct rows: largest-remainder targets are met exactly (700/200/100).
    DocMaker docs(5);
    QStringList raw;
    for (int i = 0; i < 1000; ++i) raw << textRow(docs.words(30).join(QLatin1Char(' ')));
    const QString in = dir_.filePath(QStringLiteral("single.jsonl"));
    writeLines(in, raw);
    SplitOptions o;
    o.ratios = {0.7, 0.2, 0.1};
    const SplitReport r = splitFile(in, dir_.filePath(QStringLiteral("single")), o);
    QCOMPARE(r.counts, (std::array<int64_t, 3>{700, 200, 100}));
  }

  // ---- augmentation ---------------------------------------------------------------------------------------

  void augmentRates() {
    DocMaker docs(9);
    const QString text = docs.words(2000).join(QLatin1Char(' '));
    AugmentOptions o;
    o.deleteRate = 0.3;
    o.swapRate = 0.05;
    o.insertRate = 0.02;
    std::mt19937_64 rng(1);
    AugmentCounts c;
    const QString out = augmentText(text, o, rng, &c);
    QCOMPARE(c.words, qint64(2000));
    QCOMPARE(c.inserted, qint64(40));
    QCOMPARE(c.swapped, qint64(100));
    // Deletion is Bernoulli(0.3) over the 2040 words after insertion: sd sqrt(2040·0.21) ≈ 20.7.
    QVERIFY2(std::abs(double(c.deleted) - 0.3 * 2040) < 4 * 20.7, qPrintable(QString::number(c.deleted)));
    QCOMPARE(out.split(QLatin1Char(' ')).size(), 2040 - c.deleted);
    std::mt19937_64 again(1);
    AugmentCounts c2;
    QCOMPARE(augmentText(text, o, again, &c2), out);

    // Whitespace between words stays; only a row's prompt side changes.
    o = AugmentOptions{};
    o.deleteRate = 0;
    o.swapRate = 1.0;
    o.insertRate = 0;
    std::mt19937_64 rng2(2);
    AugmentCounts c3;
    const QString swapped = augmentText(QStringLiteral("one two\nthree  four"), o, rng2, &c3);
    QCOMPARE(c3.swapped, qint64(4));
    QVERIFY(swapped.contains(QLatin1Char('\n')) && swapped.contains(QStringLiteral("  ")));
    QStringList sorted = swapped.split(QRegularExpression(QStringLiteral("\\s+")));
    sorted.sort();
    QCOMPARE(sorted, (QStringList{"four", "one", "three", "two"}));
  }

  void augmentFileDeterministic() {
    const QString in = dir_.filePath(QStringLiteral("aug.jsonl"));
    writeLines(in, {QStringLiteral(R"({"instruction": "Summarise the following text please now", "input": "", "output": "The reply stays intact"})"),
                    QStringLiteral(R"({"text": "alpha beta gamma delta epsilon"})"),
                    QStringLiteral(R"({"nothing": 1})")});
    AugmentOptions o;
    o.copies = 2;
    o.seed = 4;
    o.deleteRate = 0.2;
    const AugmentReport r = augmentFile(in, dir_.filePath(QStringLiteral("aug1.jsonl")), o);
    augmentFile(in, dir_.filePath(QStringLiteral("aug2.jsonl")), o);
    o.seed = 5;
    augmentFile(in, dir_.filePath(QStringLiteral("aug3.jsonl")), o);
    const QList<QJsonObject> a = readJsonl(dir_.filePath(QStringLiteral("aug1.jsonl")));
    QCOMPARE(a, readJsonl(dir_.filePath(QStringLiteral("aug2.jsonl"))));
    QVERIFY(a != readJsonl(dir_.filePath(QStringLiteral("aug3.jsonl"))));
    QCOMPARE(r.rows, qint64(2));
    QCOMPARE(r.badRows, qint64(1));
    QCOMPARE(r.copies, qint64(4));
    QCOMPARE(a.size(), 6);
    QCOMPARE(a[1][QStringLiteral("augmented_from")].toInteger(), qint64(1));
    QCOMPARE(a[2][QStringLiteral("augmentation")][QStringLiteral("copy")].toInt(), 2);
    QCOMPARE(a[1][QStringLiteral("output")].toString(), QStringLiteral("The reply stays intact"));
    QVERIFY(a[1][QStringLiteral("instruction")].toString() != a[0][QStringLiteral("instruction")].toString());
    QCOMPARE(a[4][QStringLiteral("augmented_from")].toInteger(), qint64(2));
  }

  // ---- CLI ------------------------------------------------------------------------------------------------

  void cliDedup() {
    const QString in = testDataDir() + QStringLiteral("/dataset/clean/dedup.jsonl");
    const QString out = dir_.filePath(QStringLiteral("dedup.out.jsonl"));
    const CliResult r = runCli({QStringLiteral("data"), QStringLiteral("dedup"), in, out, QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(),
             QJsonObject({{"rows", 8}, {"kept", 4}, {"removed_exact", 2}, {"removed_near", 2}}));
    QList<qint64> ids;
    for (const QJsonObject& row : readJsonl(out)) ids << row.value(QStringLiteral("id")).toInteger();
    QCOMPARE(ids, (QList<qint64>{1, 2, 4, 7}));

    const CliResult field = runCli({QStringLiteral("data"), QStringLiteral("dedup"), in, out, QStringLiteral("--field"),
                                    QStringLiteral("title"), QStringLiteral("--json")});
    QCOMPARE(field.code, 0);
    QCOMPARE(QJsonDocument::fromJson(field.out.toUtf8()).object(),
             QJsonObject({{"rows", 7}, {"kept", 3}, {"removed_exact", 4}, {"removed_near", 0}}));
    QVERIFY2(field.err.contains(QStringLiteral("skipped 1 bad row(s)")) && field.err.contains(QStringLiteral("line 8: title missing")),
             qPrintable(field.err));
  }

  void cliCleanAndSplit() {
    const QString in = testDataDir() + QStringLiteral("/dataset/clean/dedup.jsonl");
    const QString out = dir_.filePath(QStringLiteral("clean.out.jsonl")), report = dir_.filePath(QStringLiteral("report.json"));
    const CliResult r = runCli({QStringLiteral("data"), QStringLiteral("clean"), in, out, QStringLiteral("--near-dedup"),
                                QStringLiteral("--min-chars"), QStringLiteral("40"), QStringLiteral("--report"), report,
                                QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject printed = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(printed[QStringLiteral("rows")].toInt(), 8);
    QCOMPARE(printed[QStringLiteral("removed")][QStringLiteral("too_short_chars")].toInt(), 1);
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("kept")].toInt(), printed[QStringLiteral("kept")].toInt());

    const QString outDir = dir_.filePath(QStringLiteral("cli-split"));
    const CliResult s = runCli({QStringLiteral("data"), QStringLiteral("split"), in, outDir, QStringLiteral("--ratios"),
                                QStringLiteral("0.5,0.5,0"), QStringLiteral("--json")});
    QVERIFY2(s.code == 0, qPrintable(s.err));
    const QJsonObject counts = QJsonDocument::fromJson(s.out.toUtf8()).object();
    QCOMPARE(counts[QStringLiteral("train")].toInt() + counts[QStringLiteral("validation")].toInt(), 8);
    QCOMPARE(counts[QStringLiteral("test")].toInt(), 0);
    QVERIFY(QFile::exists(outDir + QStringLiteral("/train.jsonl")));
    QVERIFY(!QFile::exists(outDir + QStringLiteral("/test.jsonl")));

    const CliResult bad = runCli({QStringLiteral("data"), QStringLiteral("dedup"), in, out, QStringLiteral("--threshold"), QStringLiteral("1.5")});
    QCOMPARE(bad.code, 2);
  }

 private:
  QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestDatasetClean)
#include "tst_dataset_clean.moc"
