// Tokenizers against the reference `tokenizers` library: every case of fixtures/tokenizers/cases.json for
// llama2, llama3 and qwen3 (ids and decoded text exactly), the fixture models' tokenizers, the fast
// pre-tokenizer matchers against the regex they replace, added-token flags, bad input, and the CLI.
#include "cli/Cli.h"
#include "common/Error.h"
#include "tokenizer/FastSplit.h"
#include "tokenizer/Pattern.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <map>
#include <thread>

using namespace distillery;

namespace {

// DISTILLERY_FIXTURES, else DISTILLERY_FIXTURES_DEFAULT (set by ctest), else ../shared/fixtures beside the
// source root.
QString fixturesDir() {
  for (const char* var : {"DISTILLERY_FIXTURES", "DISTILLERY_FIXTURES_DEFAULT"})
    if (qEnvironmentVariableIsSet(var)) return qEnvironmentVariable(var);
  return QDir(QStringLiteral(__FILE__ "/../../../../shared/fixtures")).absolutePath();
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
  return QJsonDocument::fromJson(f.readAll()).object();
}

const QJsonObject& cases() {
  static const QJsonObject c = readJson(fixturesDir() + QStringLiteral("/tokenizers/cases.json"));
  return c;
}

QStringList caseTexts() {
  QStringList texts;
  for (const QString& name : cases().keys())
    for (const QJsonValue& row : cases().value(name).toArray()) texts << row[QStringLiteral("text")].toString();
  return texts;
}

// Loading the 128k/151k vocabularies takes a moment; each tokenizer is loaded once per run.
const Tokenizer& loaded(const QString& dir) {
  static std::map<QString, Tokenizer> loaded;
  auto it = loaded.find(dir);
  if (it == loaded.end()) it = loaded.emplace(dir, Tokenizer::fromDirectory(dir)).first;
  return it->second;
}

std::vector<int32_t> toIds(const QJsonArray& a) {
  std::vector<int32_t> ids;
  for (const QJsonValue& v : a) ids.push_back(int32_t(v.toInteger()));
  return ids;
}

QString show(const std::vector<int32_t>& ids, size_t from, size_t count = 8) {
  QStringList parts;
  for (size_t i = from; i < ids.size() && i < from + count; ++i) parts << QString::number(ids[i]);
  return QLatin1Char('[') + parts.join(QLatin1Char(',')) + (from + count < ids.size() ? QStringLiteral(",...]") : QStringLiteral("]"));
}

// "ids differ at 12: got [..] want [..]" or an empty string.
QString firstDifference(const std::vector<int32_t>& got, const std::vector<int32_t>& want) {
  size_t k = 0;
  while (k < got.size() && k < want.size() && got[k] == want[k]) ++k;
  if (k == got.size() && k == want.size()) return {};
  return QStringLiteral("ids differ at %1 (lengths %2 vs %3): got %4 want %5")
      .arg(k).arg(got.size()).arg(want.size()).arg(show(got, k), show(want, k));
}

QString firstDifference(const QString& got, const QString& want) {
  qsizetype k = 0;
  while (k < got.size() && k < want.size() && got[k] == want[k]) ++k;
  if (k == got.size() && k == want.size()) return {};
  return QStringLiteral("text differs at %1: got \"%2\" want \"%3\"").arg(k).arg(got.mid(k, 20), want.mid(k, 20));
}

// Writes tokenizer.json (and optionally tokenizer_config.json) into dir.
void writeTokenizer(const QTemporaryDir& dir, const QJsonObject& tokenizerJson, const QByteArray& config = {}) {
  QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QJsonDocument(tokenizerJson).toJson());
  f.close();
  if (!config.isEmpty()) {
    QFile c(dir.filePath(QStringLiteral("tokenizer_config.json")));
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write(config);
  }
}

// A minimal BPE tokenizer.json: one token per character of alphabet, the given merges, no pipeline.
QJsonObject smallTokenizer(const QString& alphabet, const QJsonArray& merges = {}) {
  QJsonObject vocab;
  int id = 0;
  for (QChar c : alphabet) vocab.insert(QString(c), id++);
  for (const QJsonValue& m : merges) {
    const QStringList parts = m.toString().split(QLatin1Char(' '));
    vocab.insert(parts.join(QString()), id++);
  }
  return QJsonObject{{QStringLiteral("version"), QStringLiteral("1.0")},
                     {QStringLiteral("model"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")},
                                                           {QStringLiteral("vocab"), vocab},
                                                           {QStringLiteral("merges"), merges}}}};
}

// The message of the Error that fn throws (empty if it does not throw).
template <typename Fn>
QString errorOf(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.message();
  }
  return {};
}

struct CliResult {
  int code = 0;
  QString out, err;
};

CliResult runCli(const QStringList& args, const QString& input) {
  CliResult r;
  QString inText = input;
  QTextStream out(&r.out), err(&r.err), in(&inText);
  r.code = cli::run(QStringList{QStringLiteral("distillery-cli")} + args, out, err, in);
  out.flush();
  err.flush();
  return r;
}

}  // namespace

class TstTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void referenceCases_data();
  void referenceCases();
  void fixtureModels_data();
  void fixtureModels();
  void fastSplitMatchesRegex();
  void specialTokensAndConfig();
  void addedTokenFlags();
  void mergesAsPairsAndStrings();
  void byteFallbackDecoding();
  void bosEosFromConfig();
  void preTokenizers_data();
  void preTokenizers();
  void concurrentEncode();
  void badInput_data();
  void badInput();
  void missingFiles();
  void cliTokenize();
  void cliDecode();
  void cliBadLine();
};

void TstTokenizer::referenceCases_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("index");
  for (const QString& name : {QStringLiteral("llama2"), QStringLiteral("llama3"), QStringLiteral("qwen3")}) {
    const QJsonArray rows = cases().value(name).toArray();
    QVERIFY2(rows.size() == 27, qPrintable(name));
    for (int i = 0; i < rows.size(); ++i) {
      const QString text = rows.at(i)[QStringLiteral("text")].toString();
      QTest::addRow("%s/%02d %s", qPrintable(name), i, qPrintable(text.left(24).replace(QLatin1Char('\n'), QStringLiteral("\\n")))) << name << i;
    }
  }
}

void TstTokenizer::referenceCases() {
  QFETCH(QString, name);
  QFETCH(int, index);
  const Tokenizer& tok = loaded(fixturesDir() + QStringLiteral("/tokenizers/") + name);
  const QJsonValue row = cases().value(name).toArray().at(index);
  const QString text = row[QStringLiteral("text")].toString();
  const std::vector<int32_t> want = toIds(row[QStringLiteral("ids")].toArray());

  const std::vector<int32_t> got = tok.encode(text);
  const QString idsDiff = firstDifference(got, want);
  QVERIFY2(idsDiff.isEmpty(), qPrintable(idsDiff));

  const QString decoded = tok.decode(want);
  const QString textDiff = firstDifference(decoded, row[QStringLiteral("decoded")].toString());
  QVERIFY2(textDiff.isEmpty(), qPrintable(textDiff));
}

void TstTokenizer::fixtureModels_data() {
  QTest::addColumn<QString>("model");
  QTest::addColumn<int>("vocab");
  QTest::addColumn<bool>("addsBos");
  QTest::newRow("tiny-llama") << QStringLiteral("tiny-llama") << 512 << true;
  QTest::newRow("tiny-qwen2") << QStringLiteral("tiny-qwen2") << 640 << false;
}

void TstTokenizer::fixtureModels() {
  QFETCH(QString, model);
  QFETCH(int, vocab);
  QFETCH(bool, addsBos);
  const Tokenizer& tok = loaded(fixturesDir() + QLatin1Char('/') + model);
  QCOMPARE(tok.vocabSize(), vocab);
  QCOMPARE(readJson(fixturesDir() + QLatin1Char('/') + model + QStringLiteral("/config.json"))
               .value(QStringLiteral("vocab_size")).toInt(), vocab);
  QVERIFY(!tok.chatTemplate().isEmpty());
  int checked = 0;
  for (const QString& text : caseTexts()) {
    const std::vector<int32_t> ids = tok.encode(text);
    for (int32_t id : ids) QVERIFY2(id >= 0 && id < vocab, qPrintable(QString::number(id)));
    // Byte-level BPE without a normalizer gives the text back exactly.
    const QString diff = firstDifference(tok.decode(ids), text);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const std::vector<int32_t> withSpecial = tok.encode(text, true);
    QCOMPARE(withSpecial.size(), ids.size() + (addsBos ? 1 : 0));
    if (addsBos) QCOMPARE(withSpecial.front(), *tok.bosId());
    ++checked;
  }
  QCOMPARE(checked, 81);
}

void TstTokenizer::fastSplitMatchesRegex() {
  using namespace distillery::tokenizer;
  // Random text from an alphabet that exercises every branch: letters of several scripts, digits and other
  // numbers, apostrophes and contraction letters, spaces of all kinds, \r\n, punctuation, emoji, marks.
  const QString alphabet = QStringLiteral(
      "aZsStTrReEvVmMlLdD'’ 0123456789²Ⅻ٣\t\n\r\u000B\u00A0\u3000\u2003\u0085.,!?()-_$#@\"/\\"
      "é\u0301知识こカ안ß\u017FΩж") + QString::fromUcs4(U"🤖👩\u200D💻𝔸", 5);
  QStringList texts = caseTexts();
  QRandomGenerator rng(42);
  for (int i = 0; i < 3000; ++i) {
    QString t;
    const int n = int(rng.bounded(1, 24));
    for (int k = 0; k < n; ++k) {
      const qsizetype at = rng.bounded(alphabet.size());
      if (alphabet[at].isLowSurrogate()) continue;
      t += alphabet[at];
      if (alphabet[at].isHighSurrogate()) t += alphabet[at + 1];
    }
    texts << t;
  }
  const JsonAt where(QStringLiteral("test"), QStringLiteral("pattern"), QJsonValue());
  for (const char* source : {kGpt2Pattern, kCl100kPattern, kQwen2Pattern}) {
    const QString p = QString::fromLatin1(source);
    const auto fast = Pattern::regex(p, where, true), slow = Pattern::regex(p, where, false);
    for (const QString& t : texts) {
      std::vector<Span> a, b;
      fast->findMatches(t, a);
      slow->findMatches(t, b);
      QStringList sa, sb;
      for (const Span& s : a) sa << t.mid(s.begin, s.end - s.begin);
      for (const Span& s : b) sb << t.mid(s.begin, s.end - s.begin);
      QVERIFY2(sa == sb, qPrintable(QStringLiteral("pattern %1 on \"%2\": fast [%3] regex [%4]")
                                        .arg(p.left(12), t, sa.join(QLatin1Char('|')), sb.join(QLatin1Char('|')))));
    }
  }
}

void TstTokenizer::specialTokensAndConfig() {
  const QString dir = fixturesDir() + QStringLiteral("/tokenizers/");
  const Tokenizer& llama2 = loaded(dir + QStringLiteral("llama2"));
  QCOMPARE(llama2.bosToken(), QStringLiteral("<s>"));
  QCOMPARE(llama2.bosId(), std::optional<int32_t>(1));
  QCOMPARE(llama2.eosId(), std::optional<int32_t>(2));
  QCOMPARE(llama2.unkId(), std::optional<int32_t>(0));
  QCOMPARE(llama2.padId(), std::nullopt);
  QCOMPARE(llama2.vocabSize(), 32000);
  QCOMPARE(llama2.encode(QStringLiteral("Hello world"), true), (std::vector<int32_t>{1, 22557, 1526}));
  QCOMPARE(llama2.specialTokens(), (QStringList{QStringLiteral("<unk>"), QStringLiteral("<s>"), QStringLiteral("</s>")}));
  QCOMPARE(llama2.idToToken(22557), QStringLiteral("▁Hello"));
  QCOMPARE(llama2.tokenToId(QStringLiteral("▁Hello")), std::optional<int32_t>(22557));
  QVERIFY(llama2.idToToken(99999).isNull());
  // Special tokens are kept or skipped on decode, like tokenizers.
  QCOMPARE(llama2.decode({1, 22557, 1526, 2}), QStringLiteral("<s> Hello world</s>"));
  QCOMPARE(llama2.decode({1, 22557, 1526, 2}, true), QStringLiteral("Hello world"));

  const Tokenizer& llama3 = loaded(dir + QStringLiteral("llama3"));
  QCOMPARE(llama3.vocabSize(), 128256);
  QCOMPARE(llama3.bosId(), std::optional<int32_t>(128000));
  QCOMPARE(llama3.eosId(), std::optional<int32_t>(128001));
  QVERIFY(llama3.isSpecial(128009));
  QVERIFY(!llama3.isSpecial(9906));
  // Its tokenizer.json post-processor is ByteLevel and its config has no add_bos_token: nothing is added.
  QCOMPARE(llama3.encode(QStringLiteral("Hello world"), true), (std::vector<int32_t>{9906, 1917}));

  const Tokenizer& qwen3 = loaded(dir + QStringLiteral("qwen3"));
  QCOMPARE(qwen3.vocabSize(), 151669);
  QCOMPARE(qwen3.bosId(), std::nullopt);
  QCOMPARE(qwen3.eosId(), std::optional<int32_t>(151645));
  QCOMPARE(qwen3.padId(), std::optional<int32_t>(151643));
  QVERIFY(qwen3.chatTemplate().contains(QStringLiteral("<|im_start|>")));
  QCOMPARE(qwen3.config().value(QStringLiteral("tokenizer_class")).toString(), QStringLiteral("Qwen2Tokenizer"));
  QCOMPARE(qwen3.encode(QStringLiteral("<|im_start|>user\nhi<|im_end|>"), true),
           qwen3.encode(QStringLiteral("<|im_start|>user\nhi<|im_end|>")));
  QCOMPARE(qwen3.decode(qwen3.encode(QStringLiteral("<|im_start|>user\nhi<|im_end|>")), true), QStringLiteral("user\nhi"));

  const QJsonObject s = qwen3.summary();
  QCOMPARE(s.value(QStringLiteral("model")).toString(), QStringLiteral("BPE (byte-level)"));
  QCOMPARE(s.value(QStringLiteral("vocab_size")).toInt(), 151669);
  QCOMPARE(s.value(QStringLiteral("normalizer")).toString(), QStringLiteral("NFC"));
  QCOMPARE(s.value(QStringLiteral("pre_tokenizer")).toString(), QStringLiteral("Sequence[Split, ByteLevel]"));
  QCOMPARE(s.value(QStringLiteral("eos_token")).toString(), QStringLiteral("<|im_end|> (151645)"));
  QCOMPARE(llama2.summary().value(QStringLiteral("model")).toString(), QStringLiteral("BPE (byte fallback)"));
  QCOMPARE(llama2.summary().value(QStringLiteral("post_processor")).toString(), QStringLiteral("<s> $A"));
}

// tokenizers' own test (added_vocabulary.rs, options_use_cases): lstrip/rstrip take the spaces around
// "my", normalized tokens match the lowercased text, "ony" is not a single word inside "anthony".
void TstTokenizer::addedTokenFlags() {
  QJsonObject json = smallTokenizer(QStringLiteral(" abcdefghijklmnopqrstuvwxyz"));
  json.insert(QStringLiteral("normalizer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("Lowercase")}});
  const auto added = [](int id, const QString& content, bool special, bool lstrip, bool rstrip, bool single) {
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("content"), content},
                       {QStringLiteral("single_word"), single}, {QStringLiteral("lstrip"), lstrip},
                       {QStringLiteral("rstrip"), rstrip}, {QStringLiteral("normalized"), !special},
                       {QStringLiteral("special"), special}};
  };
  json.insert(QStringLiteral("added_tokens"),
              QJsonArray{added(100, QStringLiteral("my"), false, true, true, false),
                         added(101, QStringLiteral("name"), false, false, false, false),
                         added(102, QStringLiteral("ony"), false, false, false, true),
                         added(103, QStringLiteral("[CLS]"), true, false, false, false),
                         added(104, QStringLiteral("[SEP]"), true, false, false, false)});
  QTemporaryDir dir;
  writeTokenizer(dir, json);
  const Tokenizer tok = Tokenizer::fromDirectory(dir.path());
  std::vector<int32_t> want{103, 100, 101};
  for (QChar c : QStringLiteral(" is anthony ")) want.push_back(*tok.tokenToId(QString(c)));
  want.push_back(104);
  const std::vector<int32_t> got = tok.encode(QStringLiteral("[CLS] My name is Anthony [SEP]"));
  QVERIFY2(firstDifference(got, want).isEmpty(), qPrintable(firstDifference(got, want)));
  // A single-word token stands alone when spaces or the ends surround it.
  QCOMPARE(tok.encode(QStringLiteral("ony")), (std::vector<int32_t>{102}));
  QCOMPARE(tok.encode(QStringLiteral("a ony")).back(), 102);
  QVERIFY(tok.isSpecial(103));
  QVERIFY(!tok.isSpecial(100));
  // Without a decoder tokens are joined by spaces.
  QCOMPARE(tok.decode({103, 101, 104}), QStringLiteral("[CLS] name [SEP]"));
  QCOMPARE(tok.decode({103, 101, 104}, true), QStringLiteral("name"));
}

void TstTokenizer::mergesAsPairsAndStrings() {
  QTemporaryDir dir;
  QJsonObject json = smallTokenizer(QStringLiteral("abc"), QJsonArray{QStringLiteral("a b"), QStringLiteral("ab c")});
  writeTokenizer(dir, json);
  const std::vector<int32_t> fromStrings = Tokenizer::fromDirectory(dir.path()).encode(QStringLiteral("abcab"));
  QCOMPARE(fromStrings, (std::vector<int32_t>{4, 3}));
  QJsonObject model = json.value(QStringLiteral("model")).toObject();
  model.insert(QStringLiteral("merges"), QJsonArray{QJsonArray{QStringLiteral("a"), QStringLiteral("b")},
                                                    QJsonArray{QStringLiteral("ab"), QStringLiteral("c")}});
  json.insert(QStringLiteral("model"), model);
  writeTokenizer(dir, json);
  QCOMPARE(Tokenizer::fromDirectory(dir.path()).encode(QStringLiteral("abcab")), fromStrings);
}

void TstTokenizer::byteFallbackDecoding() {
  const Tokenizer& llama2 = loaded(fixturesDir() + QStringLiteral("/tokenizers/llama2"));
  const auto byte = [](int b) { return int32_t(3 + b); };  // <0x00> is id 3
  // Bytes that spell UTF-8 become the character; a broken sequence becomes one U+FFFD per byte.
  QCOMPARE(llama2.decode({byte(0xE7), byte(0x9F), byte(0xA5)}), QStringLiteral("知"));
  QCOMPARE(llama2.decode({byte(0xE7), byte(0x9F)}), QStringLiteral("\uFFFD\uFFFD"));
  // A character missing from the vocabulary is encoded as its bytes.
  const std::vector<int32_t> ids = llama2.encode(QStringLiteral("🤖"));
  QCOMPARE(ids, (std::vector<int32_t>{28705, byte(0xF0), byte(0x9F), byte(0xA4), byte(0x96)}));
  QCOMPARE(llama2.decode(ids), QStringLiteral("🤖"));
}

// transformers' add_bos_token/add_eos_token replace the post-processor; a flag left out keeps the template's.
void TstTokenizer::bosEosFromConfig() {
  QJsonObject json = smallTokenizer(QStringLiteral("ab"));
  const auto special = [](int id, const char* content) {
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("content"), QLatin1String(content)},
                       {QStringLiteral("normalized"), false}, {QStringLiteral("special"), true}};
  };
  json.insert(QStringLiteral("added_tokens"), QJsonArray{special(10, "<s>"), special(11, "</s>")});
  json.insert(QStringLiteral("post_processor"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("TemplateProcessing")},
                          {QStringLiteral("single"),
                           QJsonArray{QJsonObject{{QStringLiteral("SpecialToken"), QJsonObject{{QStringLiteral("id"), QStringLiteral("<s>")}}}},
                                      QJsonObject{{QStringLiteral("Sequence"), QJsonObject{{QStringLiteral("id"), QStringLiteral("A")}}}}}},
                          {QStringLiteral("special_tokens"),
                           QJsonObject{{QStringLiteral("<s>"), QJsonObject{{QStringLiteral("id"), QStringLiteral("<s>")},
                                                                           {QStringLiteral("ids"), QJsonArray{10}}}}}}});
  QTemporaryDir dir;
  const auto encoded = [&](const QByteArray& config) {
    writeTokenizer(dir, json, config);
    if (config.isEmpty()) QFile::remove(dir.filePath(QStringLiteral("tokenizer_config.json")));
    return Tokenizer::fromDirectory(dir.path()).encode(QStringLiteral("ab"), true);
  };
  QCOMPARE(encoded({}), (std::vector<int32_t>{10, 0, 1}));
  QCOMPARE(encoded(R"({"bos_token": "<s>", "eos_token": "</s>", "add_eos_token": true})"), (std::vector<int32_t>{10, 0, 1, 11}));
  QCOMPARE(encoded(R"({"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false})"), (std::vector<int32_t>{0, 1}));
  QCOMPARE(encoded(R"({"bos_token": {"content": "<s>"}, "add_bos_token": true, "add_eos_token": false})"),
           (std::vector<int32_t>{10, 0, 1}));
}

// Pre-tokenizers seen through a vocabulary that holds the expected pieces whole (ignore_merges: a piece in the
// vocabulary is one token), so the tokens spell out how the text was cut.
void TstTokenizer::preTokenizers_data() {
  QTest::addColumn<QByteArray>("pipeline");  // JSON members for tokenizer.json
  QTest::addColumn<QString>("text");
  QTest::addColumn<QStringList>("pieces");
  QTest::addColumn<QString>("decoded");
  const auto list = [](const char* s) { return QString::fromUtf8(s).split(QLatin1Char('|')); };
  QTest::newRow("Metaspace first")
      << QByteArray(R"("pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true},
                      "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true})")
      << "Hey  you" << list("▁Hey|▁|▁you") << "Hey  you";
  QTest::newRow("Metaspace after special")
      << QByteArray(R"("pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true})")
      << "<s>Hey you" << list("<s>|Hey|▁you") << "<s> Hey ▁you";  // no decoder: joined by spaces
  QTest::newRow("Metaspace always, no split")
      << QByteArray(R"("pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false})")
      << "<s>Hey you" << list("<s>|▁Hey▁you") << "<s> ▁Hey▁you";
  QTest::newRow("Whitespace") << QByteArray(R"("pre_tokenizer": {"type": "Whitespace"})")
                              << "Hello, world!!  x_1" << list("Hello|,|world|!!|x_1") << "Hello , world !! x_1";
  QTest::newRow("WhitespaceSplit + Digits")
      << QByteArray(R"("pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
                      {"type": "Digits", "individual_digits": false}]})")
      << "ab123 4" << list("ab|123|4") << "ab 123 4";
  QTest::newRow("Digits individual") << QByteArray(R"("pre_tokenizer": {"type": "Digits", "individual_digits": true})")
                                     << "ab12" << list("ab|1|2") << "ab 1 2";
  QTest::newRow("Punctuation") << QByteArray(R"("pre_tokenizer": {"type": "Punctuation"})")
                               << "a,b" << list("a|,|b") << "a , b";
  QTest::newRow("Split merged with previous")
      << QByteArray(R"("pre_tokenizer": {"type": "Split", "pattern": {"String": "-"}, "behavior": "MergedWithPrevious", "invert": false})")
      << "ab-cd-" << list("ab-|cd-") << "ab- cd-";
  QTest::newRow("Split removed, inverted")
      << QByteArray(R"("pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\\p{N}+"}, "behavior": "Removed", "invert": true})")
      << "ab12cd345" << list("12|345") << "12 345";
  QTest::newRow("normalizers")
      << QByteArray(R"("normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"},
                      {"type": "Strip", "strip_left": true, "strip_right": true},
                      {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Prepend", "prepend": ">"}]},
                      "pre_tokenizer": {"type": "WhitespaceSplit"})")
      << "  ＡＢ\t\tcd  " << list(">ab|cd") << ">ab cd";
  QTest::newRow("BPEDecoder suffix")
      << QByteArray(R"("pre_tokenizer": {"type": "WhitespaceSplit"}, "decoder": {"type": "BPEDecoder", "suffix": "_"})")
      << "ab_ cd_" << list("ab_|cd_") << "ab cd";
  QTest::newRow("ByteLevel prefix space")
      << QByteArray(R"("pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true, "use_regex": true},
                      "decoder": {"type": "ByteLevel"})")
      << "Hi there" << list("ĠHi|Ġthere") << " Hi there";
}

void TstTokenizer::preTokenizers() {
  QFETCH(QByteArray, pipeline);
  QFETCH(QString, text);
  QFETCH(QStringList, pieces);
  QFETCH(QString, decoded);
  QJsonObject vocab;
  int id = 0;
  for (const QString& p : pieces) vocab.insert(p, id++);
  // Every byte-level character and a few plain ones, for whatever is not a whole piece.
  for (int c = 0x21; c < 0x17F; ++c)
    if (!vocab.contains(QString(QChar(c)))) vocab.insert(QString(QChar(c)), id++);
  for (const char* c : {" ", "▁"})
    if (!vocab.contains(QString::fromUtf8(c))) vocab.insert(QString::fromUtf8(c), id++);
  QJsonParseError err{};
  const QJsonObject members = QJsonDocument::fromJson("{" + pipeline + "}", &err).object();
  QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
  QJsonObject json = members;
  json.insert(QStringLiteral("model"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")},
                                                   {QStringLiteral("vocab"), vocab},
                                                   {QStringLiteral("merges"), QJsonArray()},
                                                   {QStringLiteral("ignore_merges"), true}});
  json.insert(QStringLiteral("added_tokens"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1000}, {QStringLiteral("content"), QStringLiteral("<s>")},
                                     {QStringLiteral("normalized"), false}, {QStringLiteral("special"), true}}});
  QTemporaryDir dir;
  writeTokenizer(dir, json);
  const Tokenizer tok = Tokenizer::fromDirectory(dir.path());
  QStringList got;
  const std::vector<int32_t> ids = tok.encode(text);
  for (int32_t i : ids) got << tok.idToToken(i);
  QCOMPARE(got, pieces);
  QCOMPARE(tok.decode(ids), decoded);
}

// One tokenizer shared by several threads gives every thread the single-threaded result.
void TstTokenizer::concurrentEncode() {
  const QString dir = fixturesDir() + QStringLiteral("/tokenizers/");
  const Tokenizer& llama2 = loaded(dir + QStringLiteral("llama2"));
  const Tokenizer& qwen3 = loaded(dir + QStringLiteral("qwen3"));
  const QStringList texts = caseTexts();
  std::vector<std::vector<int32_t>> want;
  for (const QString& t : texts) want.push_back(qwen3.encode(t)), want.push_back(llama2.encode(t));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&] {
      for (int round = 0; round < 3; ++round)
        for (qsizetype i = 0; i < texts.size(); ++i)
          if (qwen3.encode(texts[i]) != want[size_t(2 * i)] || llama2.encode(texts[i]) != want[size_t(2 * i + 1)])
            ++mismatches;
    });
  for (std::thread& t : threads) t.join();
  QCOMPARE(mismatches.load(), 0);
}

void TstTokenizer::badInput_data() {
  QTest::addColumn<QString>("field");
  QTest::addColumn<QJsonValue>("value");
  QTest::addColumn<QString>("message");
  const auto type = [](const char* t) { return QJsonObject{{QStringLiteral("type"), QLatin1String(t)}}; };
  QTest::newRow("model type") << "model" << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("Unigram")}, {QStringLiteral("vocab"), QJsonArray()}})
                              << "model.type=Unigram is not supported";
  QTest::newRow("normalizer") << "normalizer" << QJsonValue(type("Precompiled")) << "normalizer.type=Precompiled is not supported";
  QTest::newRow("nested normalizer")
      << "normalizer"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("Sequence")},
                                {QStringLiteral("normalizers"), QJsonArray{type("NFC"), type("BertNormalizer")}}})
      << "normalizer.normalizers[1].type=BertNormalizer is not supported";
  QTest::newRow("pre_tokenizer") << "pre_tokenizer" << QJsonValue(type("UnicodeScripts")) << "pre_tokenizer.type=UnicodeScripts is not supported";
  QTest::newRow("nested pre_tokenizer")
      << "pre_tokenizer"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("Sequence")},
                                {QStringLiteral("pretokenizers"), QJsonArray{type("Whitespace"), type("FixedLength")}}})
      << "pre_tokenizer.pretokenizers[1].type=FixedLength is not supported";
  QTest::newRow("decoder") << "decoder" << QJsonValue(type("CTC")) << "decoder.type=CTC is not supported";
  QTest::newRow("post_processor") << "post_processor" << QJsonValue(type("Whatever")) << "post_processor.type=Whatever is not supported";
  QTest::newRow("split behavior")
      << "pre_tokenizer"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("Split")},
                                {QStringLiteral("pattern"), QJsonObject{{QStringLiteral("String"), QStringLiteral(" ")}}},
                                {QStringLiteral("behavior"), QStringLiteral("Sideways")}})
      << "pre_tokenizer.behavior=Sideways is not supported";
  QTest::newRow("bad regex")
      << "pre_tokenizer"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("Split")},
                                {QStringLiteral("pattern"), QJsonObject{{QStringLiteral("Regex"), QStringLiteral("(ab")}}},
                                {QStringLiteral("behavior"), QStringLiteral("Isolated")}})
      << "pre_tokenizer.pattern.Regex=(ab is not a valid regular expression (missing closing parenthesis at 3)";
  QTest::newRow("vocab type") << "model"
                              << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")}, {QStringLiteral("vocab"), QJsonArray()}})
                              << "model.vocab=[...] must be an object";
  QTest::newRow("merge token")
      << "model"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")},
                                {QStringLiteral("vocab"), QJsonObject{{QStringLiteral("a"), 0}, {QStringLiteral("b"), 1}, {QStringLiteral("ab"), 2}}},
                                {QStringLiteral("merges"), QJsonArray{QStringLiteral("a b"), QStringLiteral("a q")}}})
      << "model.merges[1]=a q uses a token that is not in model.vocab (q)";
  QTest::newRow("merge shape")
      << "model"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")},
                                {QStringLiteral("vocab"), QJsonObject{{QStringLiteral("a"), 0}}},
                                {QStringLiteral("merges"), QJsonArray{QStringLiteral("a b c")}}})
      << "model.merges[0]=a b c must be two tokens separated by one space";
  QTest::newRow("dropout")
      << "model"
      << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")}, {QStringLiteral("dropout"), 0.1},
                                {QStringLiteral("vocab"), QJsonObject{{QStringLiteral("a"), 0}}}})
      << "model.dropout=0.1 is not supported (BPE dropout makes encodings random)";
}

void TstTokenizer::badInput() {
  QFETCH(QString, field);
  QFETCH(QJsonValue, value);
  QFETCH(QString, message);
  QJsonObject json = smallTokenizer(QStringLiteral("ab"));
  json.insert(field, value);
  QTemporaryDir dir;
  writeTokenizer(dir, json);
  const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }), path + QStringLiteral(": ") + message);
  // The same error comes as a FormatError naming the file.
  try {
    Tokenizer::fromFiles(path);
    QFAIL("no error");
  } catch (const FormatError& e) {
    QCOMPARE(e.path(), path);
  }
}

void TstTokenizer::missingFiles() {
  QTemporaryDir dir;
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }),
           dir.filePath(QStringLiteral("tokenizer.json")) + QStringLiteral(": does not exist"));
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.filePath(QStringLiteral("nope"))); }),
           dir.filePath(QStringLiteral("nope")) + QStringLiteral(": is not a folder"));

  // Malformed JSON names the file and where it broke.
  QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("{\"model\": {\"type\": \"BPE\",");
  f.close();
  const QString broken = errorOf([&] { Tokenizer::fromDirectory(dir.path()); });
  QVERIFY2(broken.startsWith(f.fileName() + QStringLiteral(": is not valid JSON: ")), qPrintable(broken));
  QVERIFY2(broken.contains(QStringLiteral("at byte 25")), qPrintable(broken));

  // A good tokenizer.json with a broken config, and a config whose add_bos_token has no bos_token.
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")), "[1, 2");
  const QString config = dir.filePath(QStringLiteral("tokenizer_config.json"));
  QVERIFY(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }).startsWith(config + QStringLiteral(": is not valid JSON")));
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")), "[1, 2]");
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }), config + QStringLiteral(": must hold a JSON object"));
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")), R"({"add_bos_token": true})");
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }),
           config + QStringLiteral(": add_bos_token=true needs a bos_token that the vocabulary has"));
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")), R"({"chat_template": 3})");
  QCOMPARE(errorOf([&] { Tokenizer::fromDirectory(dir.path()); }),
           config + QStringLiteral(": chat_template=3 must be a string or a list of {name, template}"));
  // Named templates: the "default" one.
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")),
                 R"({"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]})");
  QCOMPARE(Tokenizer::fromDirectory(dir.path()).chatTemplate(), QStringLiteral("D"));
  // Newer transformers save the template beside the config.
  writeTokenizer(dir, smallTokenizer(QStringLiteral("ab")), R"({"bos_token": null})");
  QFile jinja(dir.filePath(QStringLiteral("chat_template.jinja")));
  QVERIFY(jinja.open(QIODevice::WriteOnly));
  jinja.write("{{ messages }}");
  jinja.close();
  QCOMPARE(Tokenizer::fromDirectory(dir.path()).chatTemplate(), QStringLiteral("{{ messages }}"));
  QCOMPARE(Tokenizer::fromFiles(dir.filePath(QStringLiteral("tokenizer.json"))).chatTemplate(), QString());

  QCOMPARE(errorOf([] { Tokenizer().encode(QStringLiteral("x")); }), QStringLiteral("no tokenizer is loaded"));
}

void TstTokenizer::cliTokenize() {
  const QString dir = fixturesDir() + QStringLiteral("/tokenizers/qwen3");
  const Tokenizer& qwen3 = loaded(dir);
  const QStringList texts{QStringLiteral("Hello world"), QStringLiteral("知识蒸馏 \"quoted\"\n"), QString()};
  QString input;
  QString expected;
  for (const QString& t : texts) {
    input += QString::fromUtf8(QJsonDocument(QJsonArray{t}).toJson(QJsonDocument::Compact)).mid(1).chopped(1) + QLatin1Char('\n');
    QJsonArray ids;
    for (int32_t id : qwen3.encode(t)) ids.append(id);
    expected += QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)) + QLatin1Char('\n');
  }
  const CliResult r = runCli({QStringLiteral("tokenize"), dir}, input);
  QCOMPARE(r.err, QString());
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, expected);
  QVERIFY(r.out.startsWith(QStringLiteral("[9707,1879]\n")));
}

void TstTokenizer::cliDecode() {
  const QString dir = fixturesDir() + QStringLiteral("/tokenizers/llama3");
  const CliResult r = runCli({QStringLiteral("tokenize"), dir, QStringLiteral("--decode")},
                             QStringLiteral("[9906, 1917]\n\n[128000,9906]\n[]\n"));
  QCOMPARE(r.err, QString());
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, QStringLiteral("\"Hello world\"\n\"<|begin_of_text|>Hello\"\n\"\"\n"));
}

void TstTokenizer::cliBadLine() {
  const QString dir = fixturesDir() + QStringLiteral("/tokenizers/llama3");
  CliResult r = runCli({QStringLiteral("tokenize"), dir}, QStringLiteral("\"Hello\"\nHello\n\"world\"\n"));
  QCOMPARE(r.code, 1);
  QCOMPARE(r.out, QStringLiteral("[9906]\n"));  // what came before the bad line is printed
  QCOMPARE(r.err, QStringLiteral("distillery-cli: stdin: line 2 must be a JSON string\n"));

  r = runCli({QStringLiteral("tokenize"), dir, QStringLiteral("--decode")}, QStringLiteral("[1, \"x\"]\n"));
  QCOMPARE(r.code, 1);
  QCOMPARE(r.err, QStringLiteral("distillery-cli: stdin: line 1 must be a JSON array of token ids\n"));

  r = runCli({QStringLiteral("tokenize")}, QString());
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains(QStringLiteral("usage: distillery-cli tokenize TOKENIZER_DIR [--decode]")), qPrintable(r.err));

  r = runCli({QStringLiteral("tokenize"), fixturesDir()}, QString());
  QCOMPARE(r.code, 1);
  QCOMPARE(r.err, QStringLiteral("distillery-cli: ") + fixturesDir() + QStringLiteral("/tokenizer.json: does not exist\n"));
}

QTEST_GUILESS_MAIN(TstTokenizer)
#include "tst_tokenizer.moc"
