// Text scoring against the reference implementations' own published numbers: sacreBLEU 2.x (test/test_bleu.py,
// test/test_sentence_bleu.py, test/test_chrf.py, README.md), rouge-score (rouge/rouge_scorer_test.py with its
// testdata files, copied to tests/data/eval_score/), NLTK's Porter stemmer doctest (nltk/test/stem.doctest and
// test_stem.py), plus hand-computed cases with the arithmetic in comments; the `score` command through runCli.
// Each expected value names its source; tolerances are the ones those tests use (sacreBLEU test_bleu: 1e-8,
// test_sentence_bleu: 1e-3, test_chrf: 1e-4; rouge-score assertAlmostEqual: 7 places, or the places it gives).
#include "common/Error.h"
#include "eval/Bleu.h"
#include "eval/Chrf.h"
#include "eval/PorterStemmer.h"
#include "eval/Rouge.h"
#include "eval/TextMatch.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>

using namespace distillery;

namespace {

QString dataFile(const QString& name) { return testDataDir() + QStringLiteral("/eval_score/") + name; }

QString readText(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
  return QString::fromUtf8(f.readAll());
}

// Python's f.readlines(): lines with their "\n".
QStringList readLines(const QString& path) {
  QStringList lines = readText(path).split(QLatin1Char('\n'));
  if (lines.last().isEmpty()) lines.removeLast();
  for (QString& l : lines) l += QLatin1Char('\n');
  return lines;
}

// sacreBLEU's README / test_bleu.py corpus: three segments, two reference streams.
const QStringList kHyps{QStringLiteral("The dog bit the man."), QStringLiteral("It wasn't surprising."),
                        QStringLiteral("The man had just bitten him.")};
const QList<QStringList> kRefs{
    {QStringLiteral("The dog bit the man."), QStringLiteral("It was not unexpected."),
     QStringLiteral("The man bit him first.")},
    {QStringLiteral("The dog had bit the man."), QStringLiteral("No one was surprised."),
     QStringLiteral("The man had bitten the dog.")}};

// sacrebleu.raw_corpus_bleu(hyps, refs, smooth_value): tokenize none, floor smoothing, effective order.
BleuOptions rawCorpusOptions(std::optional<double> smoothValue) {
  BleuOptions o;
  o.tokenize = QStringLiteral("none");
  o.smooth = QStringLiteral("floor");
  o.smoothValue = smoothValue;
  o.effectiveOrder = true;
  return o;
}

QString precisionText(const BleuScore& s) {  // BLEUScore.prec_str
  QStringList parts;
  for (double p : s.precisions) parts << QString::number(p, 'f', 1);
  return parts.join(QLatin1Char('/'));
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(bytes);
}

QJsonObject jsonOf(const CliResult& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

}  // namespace

Q_DECLARE_METATYPE(BleuOptions)
Q_DECLARE_METATYPE(ChrfOptions)
Q_DECLARE_METATYPE(std::vector<int64_t>)

class TstEvalScore : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // ---- BLEU -------------------------------------------------------------------------------------------------

  void bleuTokenizers_data() {
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tokens");
    // Hand-traced through tokenizer_13a.py / tokenizer_re.py. " Hello, world! ": '!' is in the first class
    // (→ " ! "); "o," matches ([^0-9])([\.,]) → "o , "; then split and join.
    QTest::newRow("13a punctuation") << "13a" << "Hello, world!" << "Hello , world !";
    // '$' padded; "3.50" keeps its '.' (digit before and after); "0," is not split by rule 2 (digit before)
    // but ", " is by rule 3 ([\.,])([^0-9]); "k." and the final ". " split.
    QTest::newRow("13a numbers") << "13a" << "It costs $3.50, ok." << "It costs $ 3.50 , ok .";
    // '-' and '\'' are outside the first class; ([0-9])(-) splits "0-" only.
    QTest::newRow("13a dashes") << "13a" << "pre-war 1990-2000 don't" << "pre-war 1990 - 2000 don't";
    // The language-independent part: entities unescaped, then '&', '<', '>' padded.
    QTest::newRow("13a entities") << "13a" << "a&amp;b &lt;tag&gt;" << "a & b < tag >";
    // "-\n" joins a hyphenated line break, other newlines become spaces, <skipped> disappears.
    QTest::newRow("13a newlines") << "13a" << "end-\nof line\nnext<skipped>" << "endof line next";
    // tokenizer_zh.py: every character of the ranges stands alone ('。' U+3002 is in 3000–303F).
    QTest::newRow("zh chinese") << "zh" << QStringLiteral("我爱北京天安门。") << QStringLiteral("我 爱 北 京 天 安 门 。");
    // Non-Chinese parts get the 13a regexes (without 13a's entity rules and padding spaces).
    QTest::newRow("zh mixed") << "zh" << QStringLiteral("Hello世界, 2.5元") << QStringLiteral("Hello 世 界 , 2.5 元");
    // The ('\u20000', '\u2a6d6') entry compares as U+2001..U+2A6D in Python: curly quotes and € are split off...
    QTest::newRow("zh quote quirk") << "zh" << QStringLiteral("“Yes” €5") << QStringLiteral("“ Yes ” € 5");
    // ...while a real Extension B ideograph (U+20000) is not.
    QTest::newRow("zh ext-b") << "zh" << QStringLiteral("a\U00020000b") << QStringLiteral("a\U00020000b");
    // tokenizer_intl.py: (\P{N})(\p{P}) and (\p{P})(\P{N}) split punctuation not between digits; the final "0."
    // stays (nothing follows it, as mteval-v14); symbols always split.
    QTest::newRow("intl punctuation") << "intl" << "Hello, world! 3.5 and 1,000." << "Hello , world ! 3.5 and 1,000.";
    QTest::newRow("intl symbols") << "intl" << "a+b=c $5 don't" << "a + b = c $ 5 don ' t";
    QTest::newRow("intl unicode") << "intl" << QStringLiteral("«Füße»—ja") << QStringLiteral("« Füße » — ja");
    QTest::newRow("char") << "char" << QStringLiteral("ab c 北") << QStringLiteral("a b c 北");
    QTest::newRow("none") << "none" << "a  b\tc" << "a b c";
  }
  void bleuTokenizers() {
    QFETCH(QString, tokenizer);
    QFETCH(QString, text);
    QFETCH(QString, tokens);
    QCOMPARE(bleuTokenize(text, tokenizer), tokens);
  }

  void bleuCorpus_data() {
    QTest::addColumn<QStringList>("hyps");
    QTest::addColumn<QList<QStringList>>("refs");
    QTest::addColumn<BleuOptions>("options");
    QTest::addColumn<double>("expected");
    // sacreBLEU test/test_bleu.py test_corpus_bleu_cases (EPSILON 1e-8).
    QTest::newRow("default 13a") << kHyps << kRefs << BleuOptions{} << 48.530827;
    QTest::newRow("empty hyps") << QStringList{"", "", ""} << kRefs << BleuOptions{} << 0.0;
    BleuOptions none;
    none.tokenize = "none";
    QTest::newRow("tokenize none") << kHyps << kRefs << none << 49.1919566;
    BleuOptions intl;
    intl.tokenize = "intl";
    QTest::newRow("tokenize intl") << kHyps << kRefs << intl << 43.91623493;
    BleuOptions noSmooth;
    noSmooth.smooth = "none";
    QTest::newRow("smooth none") << kHyps << kRefs << noSmooth << 48.530827;
    // test_raw_bleu_cases (raw_corpus_bleu(..., .01), score / 100).
    QTest::newRow("raw no match (#141)") << QStringList{"this is a test", "another test"}
                                         << QList<QStringList>{{"ref1", "ref2"}} << rawCorpusOptions(0.01) << 0.0;
    QTest::newRow("raw identical") << QStringList{"this is a test"} << QList<QStringList>{{"this is a test"}}
                                   << rawCorpusOptions(0.01) << 100.0;
    QTest::newRow("raw one word off") << QStringList{"this is a fest"} << QList<QStringList>{{"this is a test"}}
                                      << rawCorpusOptions(0.01) << 100 * 0.223606797749979;
    // test_case_effective_order.
    QTest::newRow("effective test") << QStringList{"test"} << QList<QStringList>{{"a test"}}
                                    << rawCorpusOptions(0.01) << 100 * 0.3678794411714425;
    QTest::newRow("effective a test") << QStringList{"a test"} << QList<QStringList>{{"a test"}}
                                      << rawCorpusOptions(0.01) << 100.0;
    QTest::newRow("effective a little test") << QStringList{"a little test"} << QList<QStringList>{{"a test"}}
                                             << rawCorpusOptions(0.01) << 100 * 0.03218297948685433;
    // test_case_offset: floor 0.0 gives 0, the default floor (0.1, passing None) 0.1555722182.
    const QStringList offHyp{"am I am a character sequence"};
    const QList<QStringList> offRef{{"I am a symbol string sequence a a"}};
    QTest::newRow("offset 0") << offHyp << offRef << rawCorpusOptions(0.0) << 0.0;
    QTest::newRow("offset default") << offHyp << offRef << rawCorpusOptions(std::nullopt) << 100 * 0.1555722182;
  }
  void bleuCorpus() {
    QFETCH(QStringList, hyps);
    QFETCH(QList<QStringList>, refs);
    QFETCH(BleuOptions, options);
    QFETCH(double, expected);
    const double score = bleu(hyps, refs, options).corpus.score;
    // The source asserts |score/100 - x| < 1e-8 for the raw cases and |score - x| < 1e-8 for the corpus ones; 1e-6
    // on the 0–100 scale covers both.
    QVERIFY2(std::abs(score - expected) < 1e-6, qPrintable(QString::number(score, 'g', 17)));
  }

  // test_bleu.py test_max_ngram_order: f"{score:.2f}" for orders 1..6.
  void bleuMaxOrder_data() {
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("expected");
    QTest::newRow("1") << 1 << "77.65";
    QTest::newRow("2") << 2 << "60.50";
    QTest::newRow("3") << 3 << "53.93";
    QTest::newRow("4") << 4 << "48.53";
    QTest::newRow("5") << 5 << "46.14";
    QTest::newRow("6") << 6 << "43.28";
  }
  void bleuMaxOrder() {
    QFETCH(int, order);
    QFETCH(QString, expected);
    BleuOptions o;
    o.maxNgramOrder = order;
    QCOMPARE(QString::number(bleu(kHyps, kRefs, o).corpus.score, 'f', 2), expected);
  }

  // sacreBLEU README.md, "Using SacreBLEU from Python": the verbose line and signature; and with the first
  // reference of segment 1 removed ('' → fewer references there, nrefs:var).
  void bleuReadme() {
    const BleuResult r = bleu(kHyps, kRefs, {});
    // BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
    QCOMPARE(QString::number(r.corpus.score, 'f', 2), QStringLiteral("48.53"));
    QCOMPARE(precisionText(r.corpus), QStringLiteral("82.4/50.0/45.5/37.5"));
    QCOMPARE(QString::number(r.corpus.brevityPenalty, 'f', 3), QStringLiteral("0.943"));
    QCOMPARE(r.corpus.hypLength, int64_t(17));
    QCOMPARE(r.corpus.refLength, int64_t(18));
    QCOMPARE(r.signature, QStringLiteral("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x"));

    QList<QStringList> varRefs = kRefs;
    varRefs[0][0] = QString();
    const BleuResult v = bleu(kHyps, varRefs, {});
    // BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)
    QCOMPARE(QString::number(v.corpus.score, 'f', 2), QStringLiteral("29.44"));
    QCOMPARE(precisionText(v.corpus), QStringLiteral("82.4/42.9/27.3/12.5"));
    QCOMPARE(QString::number(v.corpus.brevityPenalty, 'f', 3), QStringLiteral("0.889"));
    QCOMPARE(v.corpus.refLength, int64_t(19));
    QCOMPARE(v.signature, QStringLiteral("nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x"));
  }

  // test_bleu.py test_case_statistics: raw_corpus_bleu counts and totals.
  void bleuStatistics() {
    const BleuScore s =
        bleu({"am I am a character sequence"}, {{"I am a symbol string sequence a a"}}, rawCorpusOptions(0.01)).corpus;
    QCOMPARE(s.counts, (std::vector<int64_t>{4, 2, 1, 0}));
    QCOMPARE(s.totals, (std::vector<int64_t>{6, 5, 4, 3}));
  }

  // test_bleu.py test_scoring (compute_bleu with its default smooth_method 'none') and
  // test_degenerate_statistics (floor smoothing, exact 0.0).
  void bleuFromStatistics_data() {
    QTest::addColumn<std::vector<int64_t>>("counts");
    QTest::addColumn<std::vector<int64_t>>("totals");
    QTest::addColumn<int>("hypLen");
    QTest::addColumn<int>("refLen");
    QTest::addColumn<QString>("smooth");
    QTest::addColumn<double>("offset");
    QTest::addColumn<double>("expected");
    QTest::newRow("scoring") << std::vector<int64_t>{9, 7, 5, 3} << std::vector<int64_t>{10, 8, 6, 4} << 11 << 11
                             << "none" << 0.0 << 0.8375922397;
    QTest::newRow("degenerate 1") << std::vector<int64_t>{0, 0, 0, 0} << std::vector<int64_t>{4, 4, 2, 1} << 0 << 1
                                  << "floor" << 0.0 << 0.0;
    QTest::newRow("degenerate 2") << std::vector<int64_t>{0, 0, 0, 0} << std::vector<int64_t>{10, 11, 12, 0} << 14
                                  << 10 << "floor" << 0.0 << 0.0;
    QTest::newRow("degenerate 3") << std::vector<int64_t>{0, 0, 0, 0} << std::vector<int64_t>{0, 0, 0, 0} << 0 << 0
                                  << "floor" << 0.0 << 0.0;
    QTest::newRow("degenerate 4") << std::vector<int64_t>{6, 5, 4, 0} << std::vector<int64_t>{6, 5, 4, 3} << 6 << 6
                                  << "floor" << 0.0 << 0.0;
    QTest::newRow("degenerate 5") << std::vector<int64_t>{0, 0, 0, 0} << std::vector<int64_t>{0, 0, 0, 0} << 0 << 0
                                  << "floor" << 0.1 << 0.0;
    QTest::newRow("degenerate 6") << std::vector<int64_t>{0, 0, 0, 0} << std::vector<int64_t>{0, 0, 0, 0} << 1 << 5
                                  << "floor" << 0.01 << 0.0;
  }
  void bleuFromStatistics() {
    QFETCH(std::vector<int64_t>, counts);
    QFETCH(std::vector<int64_t>, totals);
    QFETCH(int, hypLen);
    QFETCH(int, refLen);
    QFETCH(QString, smooth);
    QFETCH(double, offset);
    QFETCH(double, expected);
    BleuOptions o;
    o.smooth = smooth;
    o.smoothValue = offset;
    const double score = bleuFromCounts(counts, totals, hypLen, refLen, o).score / 100;
    if (expected == 0.0)
      QCOMPARE(score, 0.0);  // the source compares with ==
    else
      QVERIFY2(std::abs(score - expected) < 1e-8, qPrintable(QString::number(score, 'g', 17)));
  }

  // test_sentence_bleu.py (example from sacreBLEU issue #98; EPSILON 1e-3): the sentence score with
  // effective order, which is what every entry of BleuResult::lines is.
  void bleuSentence_data() {
    QTest::addColumn<QString>("smooth");
    QTest::addColumn<double>("value");  // < 0: the method's default
    QTest::addColumn<bool>("lowercase");
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<double>("expected");
    QTest::newRow("exp") << "exp" << -1.0 << false << "13a" << 8.493;
    QTest::newRow("none") << "none" << -1.0 << false << "13a" << 0.0;
    QTest::newRow("floor default") << "floor" << -1.0 << false << "13a" << 4.51688;
    QTest::newRow("floor 0.1") << "floor" << 0.1 << false << "13a" << 4.51688;
    QTest::newRow("floor 0.5") << "floor" << 0.5 << false << "13a" << 10.10;
    QTest::newRow("add-k default") << "add-k" << -1.0 << false << "13a" << 14.882;
    QTest::newRow("add-k 1") << "add-k" << 1.0 << false << "13a" << 14.882;
    QTest::newRow("add-k 2") << "add-k" << 2.0 << false << "13a" << 21.389;
    QTest::newRow("tok none") << "exp" << -1.0 << false << "none" << 7.347;
    QTest::newRow("tok intl") << "exp" << -1.0 << false << "intl" << 8.493;
    QTest::newRow("tok char") << "exp" << -1.0 << false << "char" << 40.8759;
    QTest::newRow("lowercase char") << "exp" << -1.0 << true << "char" << 42.0267;
  }
  void bleuSentence() {
    QFETCH(QString, smooth);
    QFETCH(double, value);
    QFETCH(bool, lowercase);
    QFETCH(QString, tokenizer);
    QFETCH(double, expected);
    BleuOptions o;
    o.smooth = smooth;
    if (value >= 0) o.smoothValue = value;
    o.lowercase = lowercase;
    o.tokenize = tokenizer;
    const BleuResult r = bleu({QStringLiteral("Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;")},
                              {{QStringLiteral("producţia de zahăr brut se exprimă în zahăr alb;")}}, o);
    QVERIFY2(std::abs(r.lines.at(0).score - expected) < 1e-3, qPrintable(QString::number(r.lines[0].score, 'g', 17)));
    // Corpus BLEU of one segment with --effective-order is the same number.
    o.effectiveOrder = true;
    QCOMPARE(bleu({QStringLiteral("Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;")},
                  {{QStringLiteral("producţia de zahăr brut se exprimă în zahăr alb;")}}, o)
                 .corpus.score,
             r.lines[0].score);
  }

  // test_sentence_bleu.py test_cases_zero_bleu (issue #141): no matching n-gram → 0 whatever the smoothing.
  void bleuSentenceZero_data() {
    QTest::addColumn<QString>("smooth");
    for (const char* s : {"exp", "none", "floor", "add-k"}) QTest::newRow(s) << QString::fromLatin1(s);
  }
  void bleuSentenceZero() {
    QFETCH(QString, smooth);
    BleuOptions o;
    o.smooth = smooth;
    QCOMPARE(bleu({"this is a cat"}, {{"okay thanks"}}, o).lines.at(0).score, 0.0);
  }

  // Hand-computed: hyp "a b c d" vs refs "a b c x" and "a b"; closest reference length: |4-4| = 0 → 4.
  // Counts 3/4, 2/3, 1/2, 0/1 (the 4-gram "a b c d" unmatched); exp smoothing: p4 = 100 / (2 · 1) = 50.
  // BLEU = exp((ln 75 + ln 66.67 + ln 50 + ln 50) / 4) = (75 · 200/3 · 50 · 50)^(1/4) = 12500000^(1/4) = 59.4604.
  // Ties in reference length go to the shorter one: hyp of 3 tokens vs refs of 2 and 4 tokens → ref_len 2.
  void bleuHandComputed() {
    const BleuResult r = bleu({"a b c d"}, {{"a b c x"}, {"a b"}}, {});
    QCOMPARE(r.corpus.counts, (std::vector<int64_t>{3, 2, 1, 0}));
    QCOMPARE(r.corpus.refLength, int64_t(4));
    QVERIFY(std::abs(r.corpus.score - std::pow(12500000.0, 0.25)) < 1e-9);
    QCOMPARE(bleu({"a b c"}, {{"a b"}, {"a b c d"}}, {}).corpus.refLength, int64_t(2));
    // add-k (k = 1) leaves unigrams alone: "a b" vs "a c": 1/2, (0+1)/(1+1) → sqrt(50 · 50)... with max order 2:
    // BP = 1, BLEU = exp((ln 50 + ln 50) / 2) = 50.
    BleuOptions addk;
    addk.smooth = "add-k";
    addk.maxNgramOrder = 2;
    QVERIFY(std::abs(bleu({"a b"}, {{"a c"}}, addk).corpus.score - 50.0) < 1e-12);
  }

  void bleuErrors() {
    BleuOptions badTok;
    badTok.tokenize = "moses";
    QCOMPARE(errorOf([&] { bleu({"a"}, {{"a"}}, badTok); }),
             QStringLiteral("tokenize=moses is not one of 13a, zh, intl, char, none"));
    BleuOptions badSmooth;
    badSmooth.smooth = "laplace";
    QCOMPARE(errorOf([&] { bleu({"a"}, {{"a"}}, badSmooth); }),
             QStringLiteral("smooth=laplace is not one of exp, floor, add-k, none"));
    QCOMPARE(errorOf([&] { bleu({"a", "b"}, {{"a"}}, {}); }),
             QStringLiteral("refs=stream 1 has 1 segments but the hypotheses have 2"));
    QCOMPARE(errorOf([&] { bleu({"a"}, {{""}}, {}); }), QStringLiteral("refs=segment 1 has only empty references"));
  }

  // ---- chrF -------------------------------------------------------------------------------------------------

  void chrfCorpus_data() {
    QTest::addColumn<QStringList>("hyps");
    QTest::addColumn<QStringList>("refs");
    QTest::addColumn<ChrfOptions>("options");
    QTest::addColumn<double>("expected");
    // sacreBLEU test/test_chrf.py test_cases: corpus_chrf(char_order=6, word_order=0, beta=3, eps_smoothing=True).
    ChrfOptions eps{6, 0, 3, true, false, false};
    QTest::newRow("eps abcdefg") << QStringList{"abcdefg"} << QStringList{"hijklmnop"} << eps << 0.0;
    QTest::newRow("eps a/b") << QStringList{"a"} << QStringList{"b"} << eps << 0.0;
    QTest::newRow("eps empty/b") << QStringList{""} << QStringList{"b"} << eps << 0.0;
    QTest::newRow("eps empty/ref") << QStringList{""} << QStringList{"ref"} << eps << 0.0;
    QTest::newRow("eps empty/reference") << QStringList{""} << QStringList{"reference"} << eps << 0.0;
    QTest::newRow("eps aa/ab") << QStringList{"aa"} << QStringList{"ab"} << eps << 8.3333;
    QTest::newRow("eps a b/a c") << QStringList{"a", "b"} << QStringList{"a", "c"} << eps << 8.3333;
    QTest::newRow("eps a/a") << QStringList{"a"} << QStringList{"a"} << eps << 16.6667;
    QTest::newRow("eps a b c") << QStringList{"a b c"} << QStringList{"a b c"} << eps << 50.0;
    QTest::newRow("eps a b c/abc") << QStringList{"a b c"} << QStringList{"abc"} << eps << 50.0;
    QTest::newRow("eps risk") << QStringList{" risk assessment must be made of those who are qualified and expertise "
                                             "in the sector - these are the scientists ."}
                              << QStringList{"risk assessment has to be undertaken by those who are qualified and "
                                             "expert in that area - that is the scientists ."}
                              << eps << 63.361730;
    QTest::newRow("eps Obama") << QStringList{" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  "
                                              "freundlich. "}
                               << QStringList{QStringLiteral("Das Verhältnis zwischen Obama und Netanyahu ist nicht "
                                                             "gerade freundschaftlich.")}
                               << eps << 64.1302698;
    QTest::newRow("eps Mauer") << QStringList{"Niemand hat die Absicht, eine Mauer zu errichten"}
                               << QStringList{"Niemand hat die Absicht, eine Mauer zu errichten"} << eps << 100.0;
    // test_cases_effective_order (eps_smoothing=False, sacreBLEU < 2.0 averaging).
    ChrfOptions eff{6, 0, 3, false, false, false};
    QTest::newRow("eff a/a") << QStringList{"a"} << QStringList{"a"} << eff << 100.0;
    QTest::newRow("eff empty/reference") << QStringList{""} << QStringList{"reference"} << eff << 0.0;
    QTest::newRow("eff a b c") << QStringList{"a b c"} << QStringList{"a b c"} << eff << 100.0;
    QTest::newRow("eff a b c/abc") << QStringList{"a b c"} << QStringList{"abc"} << eff << 100.0;
    QTest::newRow("eff empty/c") << QStringList{""} << QStringList{"c"} << eff << 0.0;
    QTest::newRow("eff a b/a c") << QStringList{"a", "b"} << QStringList{"a", "c"} << eff << 50.0;
    QTest::newRow("eff aa/ab") << QStringList{"aa"} << QStringList{"ab"} << eff << 25.0;
    // test_cases_keep_whitespace (remove_whitespace=False, i.e. whitespace=True; beta 3; effective order).
    ChrfOptions ws{6, 0, 3, false, true, false};
    QTest::newRow("whitespace Obama")
        << QStringList{"Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."}
        << QStringList{QStringLiteral("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.")}
        << ws << 67.3481606;
    QTest::newRow("whitespace risk") << QStringList{"risk assessment must be made of those who are qualified and "
                                                    "expertise in the sector - these are the scientists ."}
                                     << QStringList{"risk assessment has to be undertaken by those who are qualified "
                                                    "and expert in that area - that is the scientists ."}
                                     << ws << 65.2414427;
    // test_sentence_level_chrf: sentence_chrf(hyp, refs, eps_smoothing=True) with the defaults (6, 0, beta 2).
    ChrfOptions sent{6, 0, 2, true, false, false};
    QTest::newRow("sentence 1") << QStringList{QStringLiteral(
                                       "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.")}
                                << QStringList{QStringLiteral("Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, "
                                                              "kdo bude žít a kdo zemře.")}
                                << sent << 39.14078509;
    QTest::newRow("sentence 2") << QStringList{QStringLiteral(
                                       "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.")}
                                << QStringList{QStringLiteral(
                                       "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.")}
                                << sent << 31.22557079;
    QTest::newRow("sentence 3") << QStringList{QStringLiteral(
                                       "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.")}
                                << QStringList{QStringLiteral("Lapali po dechu a pak jejich život skončil - dřív, než "
                                                              "skutečně mohl začít, připomněli.")}
                                << sent << 57.15704367;
  }
  void chrfCorpus() {
    QFETCH(QStringList, hyps);
    QFETCH(QStringList, refs);
    QFETCH(ChrfOptions, options);
    QFETCH(double, expected);
    const double score = chrf(hyps, {refs}, options).score;
    QVERIFY2(std::abs(score - expected) < 1e-4, qPrintable(QString::number(score, 'g', 17)));
  }

  // sacreBLEU README.md: CHRF().corpus_score(sys, refs) → chrF2 = 59.73, signature with nrefs:2 and eff:yes.
  void chrfReadme() {
    const ChrfResult r = chrf(kHyps, kRefs, {});
    QCOMPARE(QString::number(r.score, 'f', 2), QStringLiteral("59.73"));
    QCOMPARE(r.signature, QStringLiteral("nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x"));
    QCOMPARE(int(r.lines.size()), 3);
  }

  // Hand-computed chrF++ (char order 6, word order 2, beta 2, effective order): hyp "the cat", ref "the cat sat".
  // Characters without spaces: "thecat" vs "thecatsat"; every hypothesis n-gram matches (precision 1 at all 8
  // orders); recalls: chars 6/9, 5/8, 4/7, 3/6, 2/5, 1/4; words [the, cat] vs [the, cat, sat]: 2/3, 1/2.
  // R = mean of the 8 recalls, P = 1, chrF = 100 · (1 + 4) · P · R / (4 · P + R).
  void chrfPlusPlusHandComputed() {
    const double R = (6.0 / 9 + 5.0 / 8 + 4.0 / 7 + 3.0 / 6 + 2.0 / 5 + 1.0 / 4 + 2.0 / 3 + 1.0 / 2) / 8;
    const double expected = 100 * 5 * R / (4 + R);  // 57.7634...
    ChrfOptions o;
    o.wordOrder = 2;
    const ChrfResult r = chrf({"the cat"}, {{"the cat sat"}}, o);
    QVERIFY2(std::abs(r.score - expected) < 1e-12, qPrintable(QString::number(r.score, 'g', 17)));
    QCOMPARE(r.signature, QStringLiteral("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.x"));
    // _remove_punctuation: "cat." → "cat" + "." so "the cat." scores the same word unigrams as "the cat ."
    QCOMPARE(chrf({"the cat."}, {{"the cat ."}}, o).score, 100.0);
    // The best reference per segment: the exact one wins over a poor one, whatever their order.
    QCOMPARE(chrf({"the cat sat"}, {{"a dog"}, {"the cat sat"}}, o).lines.at(0), 100.0);
  }

  void chrfErrors() {
    QCOMPARE(errorOf([&] { chrf({"a"}, {{"a", "b"}}, {}); }),
             QStringLiteral("refs=stream 1 has 2 segments but the hypotheses have 1"));
    QCOMPARE(errorOf([&] { chrf({"a"}, {{""}}, {}); }), QStringLiteral("refs=segment 1 has only empty references"));
  }

  // ---- Porter stemmer and ROUGE -----------------------------------------------------------------------------

  // nltk/test/stem.doctest: PorterStemmer() on its plural list; test_stem.py test_oed_bug: 'oed' → 'o'.
  void porter() {
    const QStringList words{"caresses", "flies",     "dies",        "mules",       "denied",    "died",  "agreed",
                            "owned",    "humbled",   "sized",       "meeting",     "stating",   "siezing",
                            "itemization", "sensational", "traditional", "reference", "colonizer", "plotted"};
    const QStringList stems{"caress", "fli",   "die",    "mule",  "deni",  "die",   "agre",
                            "own",    "humbl", "size",   "meet",  "state", "siez",  "item",
                            "sensat", "tradit", "refer", "colon", "plot"};
    for (int i = 0; i < words.size(); ++i)
      QCOMPARE(QString::fromStdString(porterStem(words[i].toStdString())), stems[i]);
    QCOMPARE(QString::fromStdString(porterStem("oed")), QStringLiteral("o"));
  }

  // rouge_scorer_test.py, small cases (assertAlmostEqual: 7 places).
  void rougeSmall_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("prediction");
    QTest::addColumn<double>("precision");
    QTest::addColumn<double>("recall");
    QTest::addColumn<double>("fmeasure");
    QTest::newRow("testRouge1") << "rouge1" << "testing one two" << "testing" << 1.0 << 1.0 / 3 << 1.0 / 2;
    QTest::newRow("testRouge2") << "rouge2" << "testing one two" << "testing one" << 1.0 << 1.0 / 2 << 2.0 / 3;
    QTest::newRow("testRougeLConsecutive") << "rougeL" << "testing one two" << "testing one" << 1.0 << 2.0 / 3
                                           << 4.0 / 5;
    QTest::newRow("testRougeLNonConsecutive") << "rougeL" << "testing one two" << "testing two" << 1.0 << 2.0 / 3
                                              << 4.0 / 5;
    for (const char* t : {"rouge1", "rouge2", "rougeL", "rougeLsum"})
      QTest::newRow(qPrintable(QStringLiteral("testRougeEmpty %1").arg(t)))
          << QString::fromLatin1(t) << "testing one two" << "" << 0.0 << 0.0 << 0.0;
    // testRougeLsum: union LCS of "w1 w2 w3 w4 w5" with the two candidate lines: {w1,w2} ∪ {w1,w3,w5} = 4 hits,
    // recall 4/5, precision 4/10, F = 2 · 0.4 · 0.8 / 1.2 = 0.5333.
    QTest::newRow("testRougeLsum") << "rougeLsum" << "w1 w2 w3 w4 w5" << "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5" << 0.4 << 0.8
                                   << 2 * 0.4 * 0.8 / 1.2;
    QTest::newRow("testRougeLsum empty") << "rougeLsum" << "w1 w2 w3 w4 w5" << "" << 0.0 << 0.0 << 0.0;
    QTest::newRow("testRougeLsum empty target") << "rougeLsum" << "" << "w1" << 0.0 << 0.0 << 0.0;
    QTest::newRow("testRougeLsum non-word") << "rougeLsum" << "w1 w2 w3 w4 w5" << "/" << 0.0 << 0.0 << 0.0;
  }
  void rougeSmall() {
    QFETCH(QString, type);
    QFETCH(QString, target);
    QFETCH(QString, prediction);
    QFETCH(double, precision);
    QFETCH(double, recall);
    QFETCH(double, fmeasure);
    RougeOptions o;
    o.types = {type};
    const RougeF s = rougeScore(target, prediction, o).value(type);
    QVERIFY2(std::abs(s.precision - precision) < 5e-8, qPrintable(QString::number(s.precision, 'g', 17)));
    QVERIFY2(std::abs(s.recall - recall) < 5e-8, qPrintable(QString::number(s.recall, 'g', 17)));
    QVERIFY2(std::abs(s.fmeasure - fmeasure) < 5e-8, qPrintable(QString::number(s.fmeasure, 'g', 17)));
  }

  // testInvalidRougeTypes / testValidRougeTypes.
  void rougeTypes() {
    for (const char* bad : {"rougen", "rouge0", "rouge10"}) {
      RougeOptions o;
      o.types = {QString::fromLatin1(bad)};
      QCOMPARE(errorOf([&] { rougeScore("testing one two", "testing", o); }),
               QStringLiteral("types=%1 is not one of rouge1 … rouge9, rougeL, rougeLsum").arg(bad));
    }
    for (const char* good : {"rouge1", "rouge9", "rougeL", "rougeLsum"}) {
      RougeOptions o;
      o.types = {QString::fromLatin1(good)};
      QCOMPARE(rougeScore("testing one two", "testing", o).keys(), QStringList{QString::fromLatin1(good)});
    }
  }

  // rouge_scorer_test.py against ROUGE-1.5.5 on testdata/target.txt and prediction.txt (assertAlmostEqual,
  // places=5), with and without the Porter stemmer (which changes line 2's rouge1).
  void rougeAgainstRouge155_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("stemmer");
    QTest::addColumn<int>("line");
    QTest::addColumn<double>("recall");
    QTest::addColumn<double>("precision");
    QTest::addColumn<double>("fmeasure");
    QTest::newRow("rouge1 0") << "rouge1" << false << 0 << 0.40741 << 0.68750 << 0.51163;
    QTest::newRow("rouge1 1") << "rouge1" << false << 1 << 0.40476 << 0.65385 << 0.50000;
    QTest::newRow("rouge1 stem 0") << "rouge1" << true << 0 << 0.40741 << 0.68750 << 0.51163;
    QTest::newRow("rouge1 stem 1") << "rouge1" << true << 1 << 0.42857 << 0.69231 << 0.52941;
    QTest::newRow("rouge2 0") << "rouge2" << false << 0 << 0.30769 << 0.53333 << 0.39024;
    QTest::newRow("rouge2 1") << "rouge2" << false << 1 << 0.29268 << 0.48000 << 0.36364;
    QTest::newRow("rouge2 stem 0") << "rouge2" << true << 0 << 0.30769 << 0.53333 << 0.39024;
    QTest::newRow("rouge2 stem 1") << "rouge2" << true << 1 << 0.29268 << 0.48000 << 0.36364;
    QTest::newRow("rougeL 0") << "rougeL" << false << 0 << 0.40741 << 0.68750 << 0.51163;
    QTest::newRow("rougeL 1") << "rougeL" << false << 1 << 0.40476 << 0.65385 << 0.50000;
  }
  void rougeAgainstRouge155() {
    QFETCH(QString, type);
    QFETCH(bool, stemmer);
    QFETCH(int, line);
    QFETCH(double, recall);
    QFETCH(double, precision);
    QFETCH(double, fmeasure);
    const QStringList targets = readLines(dataFile(QStringLiteral("rouge_target.txt")));
    const QStringList predictions = readLines(dataFile(QStringLiteral("rouge_prediction.txt")));
    RougeOptions o;
    o.types = {type};
    o.stemmer = stemmer;
    const RougeF s = rougeScore(targets.at(line), predictions.at(line), o).value(type);
    QVERIFY2(std::abs(s.recall - recall) < 5e-6, qPrintable(QString::number(s.recall, 'g', 17)));
    QVERIFY2(std::abs(s.precision - precision) < 5e-6, qPrintable(QString::number(s.precision, 'g', 17)));
    QVERIFY2(std::abs(s.fmeasure - fmeasure) < 5e-6, qPrintable(QString::number(s.fmeasure, 'g', 17)));
  }

  // testRougeLSumAgainstRouge155WithStemming: pyrouge_files/target_multi.0.txt vs prediction_multi.0.txt.
  void rougeLsumAgainstRouge155() {
    RougeOptions o;
    o.types = {QStringLiteral("rougeLsum")};
    o.stemmer = true;
    const RougeF s = rougeScore(readText(dataFile(QStringLiteral("rouge_target_multi.0.txt"))),
                                readText(dataFile(QStringLiteral("rouge_prediction_multi.0.txt"))), o)
                         .value(QStringLiteral("rougeLsum"));
    QVERIFY2(std::abs(s.recall - 0.36538) < 5e-6, qPrintable(QString::number(s.recall, 'g', 17)));
    QVERIFY2(std::abs(s.precision - 0.66667) < 5e-6, qPrintable(QString::number(s.precision, 'g', 17)));
    QVERIFY2(std::abs(s.fmeasure - 0.47205) < 5e-6, qPrintable(QString::number(s.fmeasure, 'g', 17)));
  }

  // Hand-computed: score_multi keeps, per type, the reference with the best F; the corpus value is the mean over
  // segments of each of P, R and F.
  void rougeMultiAndMean() {
    RougeOptions o;
    o.types = {QStringLiteral("rouge1"), QStringLiteral("rouge2")};
    // "the dog" vs "the cat sat": rouge1 P 1/2, R 1/3, F 0.4; vs "the dog": P = R = F = 1 → the second wins.
    const RougeResult multi = rouge({"the dog"}, {{"the cat sat"}, {"the dog"}}, o);
    QCOMPARE(multi.lines.at(0).value("rouge1").fmeasure, 1.0);
    QCOMPARE(multi.lines.at(0).value("rouge2").recall, 1.0);
    // Segment 1: "testing one" vs "testing one two": P 1, R 2/3, F 0.8; segment 2: "testing": P 1, R 1/3, F 0.5.
    // Means: P 1, R 0.5, F 0.65.
    o.types = {QStringLiteral("rouge1")};
    const RougeResult mean = rouge({"testing one", "testing"}, {{"testing one two", "testing one two"}}, o);
    QCOMPARE(mean.mean.value("rouge1").precision, 1.0);
    QVERIFY(std::abs(mean.mean.value("rouge1").recall - 0.5) < 1e-15);
    QVERIFY(std::abs(mean.mean.value("rouge1").fmeasure - 0.65) < 1e-15);
  }

  // Hand-computed --char: "我爱北京" vs "我爱上海" → tokens 我 爱 北 京 / 我 爱 上 海: rouge1 2/4 each way (F 0.5),
  // rouge2 {我爱} of 3 bigrams each (1/3), rougeL LCS 我爱 = 2 → 0.5. The word tokenizer sees no [a-z0-9] at all.
  void rougeChar() {
    RougeOptions o;
    o.types = {QStringLiteral("rouge1"), QStringLiteral("rouge2"), QStringLiteral("rougeL")};
    o.charLevel = true;
    const RougeScores s = rougeScore(QStringLiteral("我爱北京"), QStringLiteral("我爱 上海"), o);
    QCOMPARE(s.value("rouge1").fmeasure, 0.5);
    QVERIFY(std::abs(s.value("rouge2").fmeasure - 1.0 / 3) < 1e-15);
    QCOMPARE(s.value("rougeL").precision, 0.5);
    o.charLevel = false;
    QCOMPARE(rougeScore(QStringLiteral("我爱北京"), QStringLiteral("我爱上海"), o).value("rouge1").fmeasure, 0.0);
  }

  // ---- SQuAD matching ---------------------------------------------------------------------------------------

  // Hand-traced through evaluate-v1.1.py's normalize_answer: lower → drop string.punctuation → \b(a|an|the)\b → ' '
  // → collapse whitespace.
  void squadNormalize_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("articles and punctuation") << "The  Quick, brown fox!" << "quick brown fox";
    QTest::newRow("an/a") << "an apple a day" << "apple day";
    QTest::newRow("inside words") << "Theater and Anatomy" << "theater and anatomy";
    QTest::newRow("apostrophe joins") << QStringLiteral("Ångström's") << QStringLiteral("ångströms");
    QTest::newRow("punctuation inside") << "the U.S.-led (a) coalition" << "usled coalition";
  }
  void squadNormalize() {
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    QCOMPARE(normalizeAnswer(text), normalized);
  }

  void squadScores() {
    QCOMPARE(exactMatch("The Eiffel Tower.", {"eiffel tower"}), 1.0);
    QCOMPARE(exactMatch("Eiffel", {"Eiffel Tower"}), 0.0);
    QCOMPARE(exactMatch("Denver Broncos", {"Carolina Panthers", "the Denver Broncos"}), 1.0);
    QCOMPARE(exactMatch("x", {}), 0.0);
    // "the cat sat on the mat" → [cat, sat, on, mat]; "a cat on a mat" → [cat, on, mat]; 3 common:
    // P = 3/4, R = 3/3, F1 = 2 · 0.75 · 1 / 1.75 = 6/7.
    QVERIFY(std::abs(tokenF1("the cat sat on the mat", {"a cat on a mat"}) - 6.0 / 7) < 1e-15);
    // Tokens count as multisets: [b, b, c] vs [b, c, c] share one b and one c → P = R = 2/3.
    QVERIFY(std::abs(tokenF1("b b c", {"b c c"}) - 2.0 / 3) < 1e-15);
    QCOMPARE(tokenF1("Denver Broncos", {"Broncos", "Denver Broncos"}), 1.0);  // the best reference
    QCOMPARE(tokenF1("", {"x"}), 0.0);
    QCOMPARE(tokenF1("x", {}), 0.0);
  }

  // ---- distillery-cli score ---------------------------------------------------------------------------------

  void cliBleuChrfRouge() {
    QTemporaryDir dir;
    const QString hyp = dir.filePath("hyp.txt"), ref1 = dir.filePath("ref1.txt"), ref2 = dir.filePath("ref2.txt");
    writeFile(hyp, "The dog bit the man.\nIt wasn't surprising.\r\nThe man had just bitten him.  \n");
    writeFile(ref1, "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
    writeFile(ref2, "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.");
    CliResult r = runCli({"--json", "score", "bleu", "--hyp", hyp, "--ref", ref1, "--ref", ref2});
    QCOMPARE(r.code, 0);
    QJsonObject o = jsonOf(r);
    QCOMPARE(o.value("bleu").toDouble(), bleu(kHyps, kRefs, {}).corpus.score);  // the README's 48.53
    QCOMPARE(o.value("signature").toString(), QStringLiteral("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x"));
    QCOMPARE(o.value("lines").toArray().size(), 3);
    QCOMPARE(o.value("lines").toArray().at(0).toDouble(), 100.0);  // segment 1 equals a reference
    QCOMPARE(o.value("hyp_len").toInt(), 17);

    r = runCli({"--json", "score", "chrf", "--hyp", hyp, "--ref", ref1, "--ref", ref2});
    QCOMPARE(r.code, 0);
    QCOMPARE(QString::number(jsonOf(r).value("chrf").toDouble(), 'f', 2), QStringLiteral("59.73"));

    r = runCli({"--json", "score", "rouge", "--hyp", hyp, "--ref", ref1, "--types", "rouge1,rougeLsum", "--stemmer"});
    QCOMPARE(r.code, 0);
    o = jsonOf(r);
    QCOMPARE(o.value("rouge1").toObject().value("fmeasure").toDouble(),
             rouge(kHyps, {kRefs[0]}, {{"rouge1"}, true, false}).mean.value("rouge1").fmeasure);
    QCOMPARE(o.value("lines").toArray().at(0).toObject().value("rougeLsum").toObject().value("recall").toDouble(), 1.0);
    QVERIFY(!o.contains("rouge2"));
  }

  // .jsonl: one JSON string per line, so a segment may hold newlines (rougeLsum's sentences).
  void cliJsonl() {
    QTemporaryDir dir;
    const QString hyp = dir.filePath("hyp.jsonl"), ref = dir.filePath("ref.jsonl");
    writeFile(hyp, "\"w1 w2 w6 w7 w8\\nw1 w3 w8 w9 w5\"\n");
    writeFile(ref, "\"w1 w2 w3 w4 w5\"\n");
    const CliResult r = runCli({"--json", "score", "rouge", "--hyp", hyp, "--ref", ref, "--types", "rougeLsum"});
    QCOMPARE(r.code, 0);
    QCOMPARE(jsonOf(r).value("rougeLsum").toObject().value("recall").toDouble(), 0.8);  // testRougeLsum's 4/5
  }

  void cliErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("line counts") << QStringList{"score", "bleu", "--hyp", "@/hyp.txt", "--ref", "@/short.txt"}
                                 << "@/short.txt: segments=1 differs from @/hyp.txt's 2 segments";
    QTest::newRow("bad jsonl") << QStringList{"score", "chrf", "--hyp", "@/bad.jsonl", "--ref", "@/hyp.txt"}
                               << "@/bad.jsonl:2: segment={\"text\": \"b\"} is not a JSON string";
    QTest::newRow("tokenizer") << QStringList{"score", "bleu", "--hyp", "@/hyp.txt", "--ref", "@/hyp.txt",
                                              "--tokenize", "moses"}
                               << "--tokenize=moses is not one of 13a, zh, intl, char, none";
    QTest::newRow("smoothing") << QStringList{"score", "bleu", "--hyp", "@/hyp.txt", "--ref", "@/hyp.txt", "--smooth",
                                              "laplace"}
                               << "--smooth=laplace is not one of exp, floor, add-k, none";
    QTest::newRow("rouge type") << QStringList{"score", "rouge", "--hyp", "@/hyp.txt", "--ref", "@/hyp.txt",
                                               "--types", "rouge1,rougeX"}
                                << "--types=rougeX is not one of rouge1 … rouge9, rougeL, rougeLsum";
    QTest::newRow("missing file") << QStringList{"score", "rouge", "--hyp", "@/nope.txt", "--ref", "@/hyp.txt"}
                                  << "@/nope.txt: cannot be read: No such file or directory";
    QTest::newRow("empty reference") << QStringList{"score", "bleu", "--hyp", "@/hyp.txt", "--ref", "@/blank.txt"}
                                     << "@/blank.txt: segments=segment 2 has only empty references";
    QTest::newRow("subcommand") << QStringList{"score", "meteor"}
                                << "SUBCOMMAND=meteor is not one of bleu, chrf, rouge, slices, robustness";
  }
  void cliErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QTemporaryDir dir;
    writeFile(dir.filePath("hyp.txt"), "a b\nc d\n");
    writeFile(dir.filePath("short.txt"), "a b\n");
    writeFile(dir.filePath("blank.txt"), "a b\n   \n");
    writeFile(dir.filePath("bad.jsonl"), "\"a\"\n{\"text\": \"b\"}\n");
    for (QString& a : args) a.replace(QStringLiteral("@"), dir.path());
    const CliResult r = runCli(args);
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(error.replace(QStringLiteral("@"), dir.path())), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TstEvalScore)
#include "tst_eval_score.moc"
