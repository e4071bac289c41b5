// Dataset input: every file format and encoding RowReader reads (tests/data/dataset/io/, made by
// make_samples.py), the schemas of DataSchema.h on their rows, bad rows under both policies, progress and
// cancelling, RowWriter's atomic output.
#include "common/Error.h"
#include "data/DataSchema.h"
#include "data/DataStats.h"
#include "data/Perplexity.h"
#include "data/RowReader.h"
#include "model/ModelLoader.h"
#include "store/Workspace.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <torch/torch.h>

#include <cmath>

using namespace distillery;

namespace {

QString sample(const QString& name) { return testDataDir() + QStringLiteral("/dataset/io/") + name; }

QByteArray sha256(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Every good row as [line, fields].
QJsonArray readAll(RowReader& reader) {
  QJsonArray rows;
  Row row;
  while (reader.next(row)) rows.append(QJsonArray{qint64(row.line), row.fields});
  return rows;
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// |a − b| within 1e-9 of b's scale: the same double arithmetic, summed in another order.
bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

#define QCOMPARE_NEAR(a, b) \
  QVERIFY2(near((a), (b)), qPrintable(QStringLiteral(#a ": %1, expected %2").arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

void compareStat(const RunningStat& s, const QJsonObject& ref) {
  QCOMPARE(s.n, ref.value("n").toInteger());
  QCOMPARE_NEAR(s.mean, ref.value("mean").toDouble());
  QCOMPARE_NEAR(s.stddev(), ref.value("std").toDouble());
  QCOMPARE_NEAR(s.min, ref.value("min").toDouble());
  QCOMPARE_NEAR(s.max, ref.value("max").toDouble());
}

QString compact(const QJsonArray& a) { return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact)); }

}  // namespace

class TestDatasetIo : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void readsEveryFormat_data();
  void readsEveryFormat();
  void readsTextFilesFolder();
  void csvColumns();
  void refusesBadHeaders_data();
  void refusesBadHeaders();
  void badRowsAreCountedOrThrown_data();
  void badRowsAreCountedOrThrown();
  void progressAndCancel();
  void rowWriterIsAtomic();
  void formatNames();
  void schemas_data();
  void schemas();
  void schemaErrors_data();
  void schemaErrors();
  void fieldMaps_data();
  void fieldMaps();
  void statsMatchPython_data();
  void statsMatchPython();
  void driftMatchesPython();
  void driftEdgeCases();
  void perplexityMatchesCrossEntropy();
  void cliInspect();
  void cliConvert();
  void cliConvertFails();
  void cliStats();
};

void TestDatasetIo::readsEveryFormat_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("format");  // what Auto resolves to
  QTest::addColumn<QString>("rows");    // [[line, fields], ...]
  QTest::newRow("jsonl alpaca, blank line") << "alpaca.jsonl" << "jsonl"
      << R"([[1,{"input":"","instruction":"Add 2 and 3.","output":"5"}],)"
         R"([3,{"input":"cheese","instruction":"Translate to French.","output":"fromage"}],)"
         R"([4,{"instruction":"Name a colour.","output":"blue"}]])";
  QTest::newRow("json array, pretty") << "sharegpt.json" << "json"
      << R"([[2,{"conversations":[{"from":"system","value":"Be brief."},{"from":"human","value":"Hi"},)"
         R"({"from":"gpt","value":"Hello!"}]}],)"
         R"([18,{"conversations":[{"from":"human","value":"2+2, [in] {braces}?"},)"
         R"({"from":"gpt","value":"4 \"quoted\""}]}]])";
  QTest::newRow("utf-8 bom, crlf") << "messages_bom.jsonl" << "jsonl"
      << R"([[1,{"messages":[{"content":"Grüß dich","role":"user"},{"content":"Servus","role":"assistant"}]}],)"
         R"([2,{"messages":[{"content":"S","role":"system"},{"content":"Q","role":"user"},)"
         R"({"content":"A","role":"assistant"},{"content":"Q2","role":"user"}]}]])";
  const char* pc =
      R"([[1,{"completion":"東京","prompt":"Capital of Japan?"}],[2,{"completion":"2","prompt":"1+1="}]])";
  QTest::newRow("utf-16le") << "prompt_completion_utf16le.jsonl" << "jsonl" << pc;
  QTest::newRow("utf-16be") << "prompt_completion_utf16be.jsonl" << "jsonl" << pc;
  QTest::newRow("utf-32le") << "prompt_completion_utf32le.jsonl" << "jsonl" << pc;
  QTest::newRow("text lines") << "lines.txt" << "text"
      << R"([[1,{"text":"First document."}],[4,{"text":"Second one, with ünïcode."}],[5,{"text":"Third"}]])";
  QTest::newRow("csv quotes, newlines, crlf") << "qa.csv" << "csv"
      << R"([[2,{"answer":"4","question":"What is 2+2?","source":"math"}],)"
         R"([3,{"answer":"hi,\r\nthere","question":"Say \"hi\"","source":""}],)"
         R"([5,{"answer":"multi\nline\nanswer","question":"plain","source":"wiki"}]])";
  QTest::newRow("tsv") << "qa.tsv" << "tsv"
      << R"([[2,{"answer":"Because","question":"Why?"}],[3,{"answer":"yes","question":"tab\there"}]])";
}

void TestDatasetIo::readsEveryFormat() {
  QFETCH(QString, file);
  QFETCH(QString, format);
  QFETCH(QString, rows);
  const QString path = sample(file);
  const QByteArray before = sha256(path);
  RowReader reader(path);
  QCOMPARE(formatName(reader.format()), format);
  QCOMPARE(compact(readAll(reader)), compact(QJsonDocument::fromJson(rows.toUtf8()).array()));
  QCOMPARE(reader.badRows(), 0);
  QCOMPARE(reader.rows(), QJsonDocument::fromJson(rows.toUtf8()).array().size());
  QCOMPARE(reader.bytesRead(), reader.bytesTotal());
  // The same file with its format named gives the same rows.
  RowReader named(path, {.format = parseSourceFormat(format, "--format")});
  QCOMPARE(compact(readAll(named)), compact(QJsonDocument::fromJson(rows.toUtf8()).array()));
  QCOMPARE(sha256(path), before);
}

void TestDatasetIo::readsTextFilesFolder() {
  const QString dir = sample("docs");
  RowReader reader(dir, {.textField = "body"});
  QCOMPARE(reader.format(), SourceFormat::TextFiles);
  QStringList sources;
  QJsonArray texts;
  Row row;
  while (reader.next(row)) {
    QCOMPARE(row.line, 1);
    sources.append(QDir(dir).relativeFilePath(row.source));
    texts.append(row.fields.value("body"));
    QCOMPARE(row.fields.size(), 1);
  }
  // empty.txt is blank (no document), notes.bin is not a text file.
  QCOMPARE(sources, QStringList({"a.md", "b.txt", "sub/c.txt"}));
  QCOMPARE(texts, QJsonArray({"# A\r\n\r\nmarkdown", "Bee\nline two\n", "Sea"}));
  QCOMPARE(reader.bytesRead(), reader.bytesTotal());
  QCOMPARE(errorOf([&] { RowReader(dir, {.format = SourceFormat::Jsonl}); }),
           dir + ": is a folder; only the text_files format reads folders");
  QCOMPARE(errorOf([&] { RowReader(sample("lines.txt"), {.format = SourceFormat::TextFiles}); }),
           sample("lines.txt") + ": is a file; the text_files format reads a folder");
  QCOMPARE(errorOf([&] { RowReader(sample("nope.jsonl")); }),
           sample("nope.jsonl") + ": cannot be read: no such file or folder");
}

void TestDatasetIo::csvColumns() {
  RowReader csv(sample("qa.csv"));
  QCOMPARE(csv.columns(), QStringList({"question", "answer", "source"}));
  RowReader jsonl(sample("alpaca.jsonl"));
  QVERIFY(jsonl.columns().isEmpty());
}

void TestDatasetIo::refusesBadHeaders_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("error");
  QTest::newRow("duplicate") << "dup_header.csv" << ": column 3=question header name repeats column 1";
  QTest::newRow("empty") << "empty_header.csv" << ": column 2 header name is empty";
}

void TestDatasetIo::refusesBadHeaders() {
  QFETCH(QString, file);
  QFETCH(QString, error);
  QCOMPARE(errorOf([&] { RowReader(sample(file)); }), sample(file) + error);
}

void TestDatasetIo::badRowsAreCountedOrThrown_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QList<int>>("goodLines");
  QTest::addColumn<QString>("issues");  // [{"line", "reason"}]
  QTest::addColumn<QString>("failure");  // Fail policy: the error after "PATH:"
  QTest::newRow("jsonl") << "bad.jsonl" << QList<int>{1, 8, 9}
      << R"([{"line":2,"reason":"invalid JSON: unterminated string at offset 24"},)"
         R"({"line":3,"reason":"not an object"},{"line":4,"reason":"invalid UTF-8"},)"
         R"({"line":5,"reason":"not an object"},)"
         R"({"line":6,"reason":"invalid JSON: garbage at the end of the document at offset 21"},)"
         R"({"line":7,"reason":"line of 312 bytes exceeds max_line_bytes 200"}])"
      << "2: invalid JSON: unterminated string at offset 24";
  QTest::newRow("csv") << "bad.csv" << QList<int>{2, 4}
      << R"([{"line":3,"reason":"3 cells, header has 2"},{"line":5,"reason":"unterminated quote"}])"
      << "3: 3 cells, header has 2";
  QTest::newRow("json array") << "bad_array.json" << QList<int>{2, 5, 6}
      << R"([{"line":3,"reason":"not an object"},)"
         R"({"line":4,"reason":"invalid JSON: illegal value at offset 11"},)"
         R"({"line":6,"reason":"expected ',' or ']' after an element"}])"
      << "3: not an object";
}

void TestDatasetIo::badRowsAreCountedOrThrown() {
  QFETCH(QString, file);
  QFETCH(QList<int>, goodLines);
  QFETCH(QString, issues);
  QFETCH(QString, failure);
  const QString path = sample(file);
  const QByteArray before = sha256(path);

  RowReader skip(path, {.onBadRow = BadRowPolicy::Skip, .maxLineBytes = 200});
  QList<int> lines;
  Row row;
  while (skip.next(row)) lines.append(int(row.line));
  QVERIFY2(lines == goodLines, QJsonDocument(skip.report()).toJson().constData());
  const QJsonArray expected = QJsonDocument::fromJson(issues.toUtf8()).array();
  QCOMPARE(skip.badRows(), expected.size());
  QVERIFY2(skip.report().value("issues").toArray() == expected, QJsonDocument(skip.report()).toJson().constData());
  QCOMPARE(skip.report().value("rows").toInt(), goodLines.size());
  QCOMPARE(skip.report().value("bad_rows").toInt(), expected.size());

  RowReader fail(path, {.onBadRow = BadRowPolicy::Fail, .maxLineBytes = 200});
  const QString error = errorOf([&] {
    while (fail.next(row)) {
    }
  });
  QCOMPARE(error, path + ":" + failure);
  QCOMPARE(fail.rows(), 1);
  QCOMPARE(sha256(path), before);
}

void TestDatasetIo::progressAndCancel() {
  QTemporaryDir tmp;
  const QString path = tmp.filePath("big.jsonl");
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray line = R"({"text": ")" + QByteArray(1000, 'a') + "\"}\n";
    for (int i = 0; i < 3500; ++i) f.write(line);  // ~3.4 MiB: several 1 MiB blocks
  }
  const int64_t size = QFileInfo(path).size();
  QList<int64_t> calls;
  RowReader reader(path, {.progress = [&](int64_t done, int64_t total) {
                            if (total != size) return false;
                            calls.append(done);
                            return true;
                          }});
  Row row;
  int64_t rows = 0;
  while (reader.next(row)) ++rows;
  QCOMPARE(rows, 3500);
  QVERIFY2(calls.size() >= 4, qPrintable(QString::number(calls.size())));
  QCOMPARE(calls.last(), size);
  QVERIFY(std::is_sorted(calls.begin(), calls.end()));

  int seen = 0;
  RowReader cancelled(path, {.progress = [&](int64_t, int64_t) { return ++seen < 2; }});
  rows = 0;
  bool thrown = false;
  try {
    while (cancelled.next(row)) ++rows;
  } catch (const Cancelled&) {
    thrown = true;
  }
  QVERIFY(thrown);
  QVERIFY2(rows > 0 && rows < 3500, qPrintable(QString::number(rows)));  // stopped after the first block
}

void TestDatasetIo::rowWriterIsAtomic() {
  QTemporaryDir tmp;
  const QString path = tmp.filePath("out.jsonl");
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("old\n");
  }
  {
    RowWriter w(path);
    w.write(QJsonObject{{"text", "new"}});
    QCOMPARE(w.rows(), 1);
  }  // no commit: the target keeps its content, no temp file is left
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray("old\n"));
  f.close();
  QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList({"out.jsonl"}));
  {
    RowWriter w(path);
    w.write(QJsonObject{{"text", "a\nb"}, {"n", 1}});
    w.write(QJsonObject{{"text", "ü"}});
    w.commit();
  }
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray("{\"n\":1,\"text\":\"a\\nb\"}\n{\"text\":\"ü\"}\n"));
  const QString nowhere = tmp.filePath("no/such/dir/x.jsonl");
  const QString error = errorOf([&] { RowWriter w(nowhere); });
  QVERIFY2(error.startsWith(nowhere + ": cannot be written"), qPrintable(error));
}

void TestDatasetIo::formatNames() {
  for (SourceFormat f : {SourceFormat::Auto, SourceFormat::Jsonl, SourceFormat::JsonArray, SourceFormat::Csv,
                         SourceFormat::Tsv, SourceFormat::TextLines, SourceFormat::TextFiles})
    QCOMPARE(parseSourceFormat(formatName(f), "--format"), f);
  QCOMPARE(errorOf([] { parseSourceFormat("xml", "--format"); }),
           "--format=xml must be one of: auto, jsonl, json, csv, tsv, text, text_files");
}

void TestDatasetIo::schemas_data() {
  QTest::addColumn<QString>("row");
  QTest::addColumn<QString>("schema");    // detected
  QTest::addColumn<QString>("messages");  // rowMessages
  QTest::addColumn<QString>("text");      // rowText
  QTest::addColumn<QString>("prompt");    // promptMessages
  QTest::newRow("text") << R"({"text":"Just text.","id":3})" << "text"
      << R"([{"role":"assistant","content":"Just text."}])" << "Just text." << "";
  QTest::newRow("alpaca with input") << R"({"instruction":"Translate.","input":"cheese","output":"fromage"})"
      << "alpaca"
      << R"([{"role":"user","content":"Translate.\n\ncheese"},{"role":"assistant","content":"fromage"}])"
      << "Translate.\ncheese\nfromage" << R"([{"role":"user","content":"Translate.\n\ncheese"}])";
  QTest::newRow("alpaca empty input") << R"({"instruction":"Add.","input":"","output":"5"})" << "alpaca"
      << R"([{"role":"user","content":"Add."},{"role":"assistant","content":"5"}])" << "Add.\n5"
      << R"([{"role":"user","content":"Add."}])";
  QTest::newRow("sharegpt") << R"({"conversations":[{"from":"system","value":"Be brief."},)"
                               R"({"from":"human","value":"Hi"},{"from":"gpt","value":"Hello!"}]})"
      << "sharegpt"
      << R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},)"
         R"({"role":"assistant","content":"Hello!"}])"
      << "Be brief.\nHi\nHello!" << R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}])";
  QTest::newRow("messages ending with user") << R"({"messages":[{"role":"user","content":"Q"},)"
                                                R"({"role":"assistant","content":"A"},{"role":"user","content":"Q2"}]})"
      << "messages"
      << R"([{"role":"user","content":"Q"},{"role":"assistant","content":"A"},{"role":"user","content":"Q2"}])"
      << "Q\nA\nQ2"
      << R"([{"role":"user","content":"Q"},{"role":"assistant","content":"A"},{"role":"user","content":"Q2"}])";
  QTest::newRow("prompt_completion") << R"({"prompt":"1+1=","completion":"2","text":"ignored"})"
      << "prompt_completion" << R"([{"role":"user","content":"1+1="},{"role":"assistant","content":"2"}])"
      << "1+1=\n2" << R"([{"role":"user","content":"1+1="}])";
  QTest::newRow("messages wins over text") << R"({"messages":[{"role":"user","content":"u"}],"text":"t"})"
      << "messages" << R"([{"role":"user","content":"u"}])" << "u" << R"([{"role":"user","content":"u"}])";
  QTest::newRow("none") << R"({"question":"q"})" << "" << "" << "" << "";
}

void TestDatasetIo::schemas() {
  QFETCH(QString, row);
  QFETCH(QString, schema);
  QFETCH(QString, messages);
  QFETCH(QString, text);
  QFETCH(QString, prompt);
  const QJsonObject o = QJsonDocument::fromJson(row.toUtf8()).object();
  QCOMPARE(detectSchema(o), schema);
  if (schema.isEmpty()) return;
  QVERIFY(dataSchemas().contains(schema));
  QCOMPARE(compact(rowMessages(o, schema, "f:1")), compact(QJsonDocument::fromJson(messages.toUtf8()).array()));
  QCOMPARE(rowText(o, schema, "f:1"), text);
  if (prompt.isEmpty())
    QCOMPARE(errorOf([&] { promptMessages(o, schema, "f:1"); }),
             "f:1: text has no prompt: nothing comes before its last assistant message");
  else
    QCOMPARE(compact(promptMessages(o, schema, "f:1")), compact(QJsonDocument::fromJson(prompt.toUtf8()).array()));
}

void TestDatasetIo::schemaErrors_data() {
  QTest::addColumn<QString>("row");
  QTest::addColumn<QString>("schema");
  QTest::addColumn<QString>("error");
  QTest::newRow("missing output") << R"({"instruction":"x"})" << "alpaca" << "f:7: output is missing";
  QTest::newRow("input not a string") << R"({"instruction":"x","input":3,"output":"y"})" << "alpaca"
                                      << "f:7: input=3 must be a string";
  QTest::newRow("missing completion") << R"({"prompt":"p"})" << "prompt_completion" << "f:7: completion is missing";
  QTest::newRow("text not a string") << R"({"text":["a"]})" << "text" << R"(f:7: text=["a"] must be a string)";
  QTest::newRow("empty messages") << R"({"messages":[]})" << "messages"
                                  << "f:7: messages=[] must be a non-empty list of messages";
  QTest::newRow("bad role") << R"({"messages":[{"role":"bot","content":"x"}]})" << "messages"
                            << R"(f:7: messages[0].role="bot" must be one of: system, user, assistant)";
  QTest::newRow("bad from") << R"({"conversations":[{"from":"human","value":"x"},{"from":"ai","value":"y"}]})"
                            << "sharegpt" << R"(f:7: conversations[1].from="ai" must be one of: system, human, gpt)";
  QTest::newRow("message not an object") << R"({"conversations":["hi"]})" << "sharegpt"
                                         << R"(f:7: conversations[0]="hi" must be an object)";
  QTest::newRow("unknown schema") << R"({"text":"x"})" << "chatml"
                                  << "f:7: schema=chatml must be one of: text, alpaca, sharegpt, messages, "
                                     "prompt_completion";
}

void TestDatasetIo::schemaErrors() {
  QFETCH(QString, row);
  QFETCH(QString, schema);
  QFETCH(QString, error);
  const QJsonObject o = QJsonDocument::fromJson(row.toUtf8()).object();
  QCOMPARE(errorOf([&] { rowMessages(o, schema, "f:7"); }), error);
  QCOMPARE(errorOf([&] { rowText(o, schema, "f:7"); }), error);
  QCOMPARE(errorOf([&] { promptMessages(o, schema, "f:7"); }), error);
}

void TestDatasetIo::fieldMaps_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<QString>("row");
  QTest::addColumn<QString>("mapped");  // or the UsageError
  QTest::newRow("csv columns") << "prompt=question, completion=answer"
      << R"({"question":"q","answer":"a","source":"s"})" << R"({"completion":"a","prompt":"q","source":"s"})";
  QTest::newRow("json object") << R"({"text": "body"})" << R"({"body":"b","text":"old"})" << R"({"text":"b"})";
  QTest::newRow("swap") << "prompt=completion,completion=prompt" << R"({"prompt":"p","completion":"c"})"
                        << R"({"completion":"p","prompt":"c"})";
  QTest::newRow("source absent") << "prompt=question" << R"({"prompt":"kept"})" << R"({"prompt":"kept"})";
  QTest::newRow("empty") << "" << R"({"a":1})" << R"({"a":1})";
  QTest::newRow("no equals") << "prompt" << "{}"
      << "--map=prompt must be schema_field=source_field (e.g. prompt=question,completion=answer)";
  QTest::newRow("twice") << "text=a,text=b" << "{}" << "--map=text=b maps text twice";
  QTest::newRow("json not string") << R"({"text": 1})" << "{}"
      << "--map=text=1 the source field must be a non-empty string";
}

void TestDatasetIo::fieldMaps() {
  QFETCH(QString, spec);
  QFETCH(QString, row);
  QFETCH(QString, mapped);
  if (mapped.startsWith("--map=")) {
    QCOMPARE(errorOf([&] { parseFieldMap(spec, "--map"); }), mapped);
    return;
  }
  const QJsonObject out = applyFieldMap(QJsonDocument::fromJson(row.toUtf8()).object(), parseFieldMap(spec, "--map"));
  QCOMPARE(QJsonDocument(out).toJson(QJsonDocument::Compact),
           QJsonDocument::fromJson(mapped.toUtf8()).toJson(QJsonDocument::Compact));
}

StatsOptions referenceOptions() {
  StatsOptions o;
  o.tokenizerDir = fixture("tokenizers/llama2");
  o.bins = 7;
  return o;
}

void TestDatasetIo::statsMatchPython_data() {
  QTest::addColumn<QString>("set");
  QTest::newRow("a") << "a";
  QTest::newRow("b") << "b";
}

void TestDatasetIo::statsMatchPython() {
  QFETCH(QString, set);
  const QJsonObject all = readJson(sample("stats_reference.json"));
  const QJsonObject ref = all.value(set).toObject();
  QVERIFY(!ref.isEmpty());
  const DatasetStats s = datasetStats(sample("stats_" + set + ".jsonl"), referenceOptions());
  QCOMPARE(s.rows, ref.value("rows").toInteger());
  QCOMPARE(s.badRows, 0);
  QCOMPARE(s.schemaErrors, 0);
  QCOMPARE(s.schemas.value("text"), s.rows);
  compareStat(s.chars, ref.value("chars").toObject());
  const QJsonObject tokens = ref.value("tokens").toObject();
  compareStat(s.tokens, tokens);
  QCOMPARE(s.totalTokens, tokens.value("total").toInteger());
  QCOMPARE_NEAR(s.quantile(0.5), tokens.value("p50").toDouble());
  QCOMPARE_NEAR(s.quantile(0.9), tokens.value("p90").toDouble());
  QCOMPARE_NEAR(s.quantile(0.99), tokens.value("p99").toDouble());
  const QJsonObject hist = tokens.value("histogram").toObject();
  const std::vector<double> edges = s.histogramEdges();
  QCOMPARE(qsizetype(edges.size()), hist.value("edges").toArray().size());
  for (size_t i = 0; i < edges.size(); ++i)
    QCOMPARE_NEAR(edges[i], hist.value("edges").toArray()[qsizetype(i)].toDouble());
  QJsonArray counts;
  for (const int64_t c : s.histogram()) counts.append(qint64(c));
  QCOMPARE(counts, hist.value("counts").toArray());
  QCOMPARE(s.vocabSize, all.value("vocab_size").toInteger());
  QCOMPARE(s.distinctTokens, ref.value("distinct_tokens").toInteger());
  const QJsonObject json = s.toJson();
  QCOMPARE_NEAR(json.value("vocab_coverage").toDouble(), ref.value("vocab_coverage").toDouble());
  QCOMPARE_NEAR(json.value("unk_rate").toDouble(), ref.value("unk_rate").toDouble());
  QCOMPARE_NEAR(json.value("byte_fallback_rate").toDouble(), ref.value("byte_fallback_rate").toDouble());
  compareStat(s.byteRate, ref.value("byte_fallback_rate_per_row").toObject());
  // toJson carries the same numbers.
  QCOMPARE(json.value("tokens").toObject().value("histogram").toObject().value("counts").toArray(), counts);
  QCOMPARE_NEAR(json.value("tokens").toObject().value("p90").toDouble(), tokens.value("p90").toDouble());
  QCOMPARE(json.value("schema").toString(), QStringLiteral("text"));
  QVERIFY(json.value("byte_fallback_rate").toDouble() > 0);  // the sample does exercise byte fallback
}

void TestDatasetIo::driftMatchesPython() {
  const QJsonObject all = readJson(sample("stats_reference.json"));
  const DatasetStats a = datasetStats(sample("stats_a.jsonl"), referenceOptions());
  const DatasetStats b = datasetStats(sample("stats_b.jsonl"), referenceOptions());
  const Drift d = drift(a, b, all.value("threshold").toDouble());
  const QJsonArray ref = all.value("drift").toArray();
  QCOMPARE(qsizetype(d.features.size()), ref.size());
  for (qsizetype i = 0; i < ref.size(); ++i) {
    const QJsonObject r = ref[i].toObject();
    QCOMPARE(d.features[size_t(i)].name, r.value("name").toString());
    QCOMPARE_NEAR(d.features[size_t(i)].z, r.value("z").toDouble());
    QCOMPARE(d.features[size_t(i)].flagged, r.value("flagged").toBool());
  }
  QVERIFY(d.drifted());
  QCOMPARE(d.toJson().value("features").toArray().size(), ref.size());
  // A dataset against itself: no drift at all.
  const Drift same = drift(a, a);
  QVERIFY(!same.drifted());
  for (const DriftFeature& f : same.features) QCOMPARE(f.z, 0.0);
}

void TestDatasetIo::driftEdgeCases() {
  RunningStat a, b, c;
  for (double x : {1.0, 2.0, 3.0, 4.0}) a.add(x);
  QCOMPARE(a.mean, 2.5);
  QCOMPARE_NEAR(a.variance(), 5.0 / 3.0);
  for (double x : {5.0, 5.0}) b.add(x);
  // var_B = 0: z = 2.5 / sqrt(5/3/4)
  QCOMPARE_NEAR(welchZ(a, b), 2.5 / std::sqrt(5.0 / 12.0));
  for (double x : {7.0, 7.0, 7.0}) c.add(x);
  QCOMPARE(welchZ(b, c), std::numeric_limits<double>::infinity());  // no variance, different means
  QCOMPARE(welchZ(b, b), 0.0);
  RunningStat empty;
  QVERIFY(empty.toJson().value("min").isNull());
}

void TestDatasetIo::perplexityMatchesCrossEntropy() {
  LoadedModel m = loadModel(fixture("tiny-llama"), torch::kFloat32, torch::kCPU);
  const std::vector<std::vector<int32_t>> rows = {{1, 17, 300, 42, 99, 7, 250}, {1, 5}, {1, 400, 3, 3, 3}};
  const std::vector<double> ppl = rowPerplexities(m.model, rows);
  QCOMPARE(ppl.size(), rows.size());
  torch::NoGradGuard noGrad;
  for (size_t r = 0; r < rows.size(); ++r) {
    // Each row alone, unpadded: exp(cross_entropy(logits[:-1], ids[1:])).
    std::vector<int64_t> ids(rows[r].begin(), rows[r].end());
    const torch::Tensor t = torch::tensor(ids).unsqueeze(0);
    const torch::Tensor logits = m.model->forward(t).logits[0];
    const double expected =
        std::exp(torch::nn::functional::cross_entropy(logits.slice(0, 0, -1), t[0].slice(0, 1)).item<double>());
    QVERIFY2(std::abs(ppl[r] - expected) <= 1e-4 * expected,
             qPrintable(QStringLiteral("row %1: %2 vs %3").arg(r).arg(ppl[r]).arg(expected)));
  }
  // Through datasetStats: rows of 2+ tokens (BOS included) are scored.
  StatsOptions o;
  o.modelDir = fixture("tiny-llama");
  o.batchSize = 3;
  const DatasetStats s = datasetStats(sample("lines.txt"), o);
  QCOMPARE(s.perplexity.n, 3);
  QVERIFY(s.perplexity.mean > 1 && std::isfinite(s.perplexity.mean));
  QVERIFY(s.tokenized);  // the model's tokenizer counts tokens when no other is given
}

void TestDatasetIo::cliInspect() {
  const CliResult r = runCli({"--json", "data", "inspect", sample("qa.csv"), "--map",
                              "prompt=question,completion=answer", "--sample", "1"});
  QCOMPARE(r.code, 0);
  const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
  QCOMPARE(o.value("format").toString(), QStringLiteral("csv"));
  QCOMPARE(o.value("rows").toInt(), 3);
  QCOMPARE(o.value("schema").toString(), QStringLiteral("prompt_completion"));
  QCOMPARE(o.value("mixed").toBool(), false);
  QCOMPARE(o.value("columns").toArray(), QJsonArray({"question", "answer", "source"}));
  QCOMPARE(compact(o.value("sample").toArray()),
           QStringLiteral(R"([{"line":2,"row":{"completion":"4","prompt":"What is 2+2?","source":"math"}}])"));

  const CliResult bad = runCli({"--json", "data", "inspect", sample("bad.jsonl")});
  QCOMPARE(bad.code, 0);
  const QJsonObject b = QJsonDocument::fromJson(bad.out.toUtf8()).object();
  QCOMPARE(b.value("rows").toInt(), 4);  // line 7 is within the default max_line_bytes here
  QCOMPARE(b.value("bad_rows").toInt(), 5);
  QCOMPARE(b.value("issues").toArray().first().toObject().value("line").toInt(), 2);
  QCOMPARE(b.value("mixed").toBool(), true);  // text rows and one unknown
  QCOMPARE(b.value("schemas").toObject(), QJsonObject({{"text", 3}, {"unknown", 1}}));

  const CliResult failed = runCli({"data", "inspect", sample("bad.jsonl"), "--on-bad-row", "fail"});
  QCOMPARE(failed.code, 1);
  QVERIFY2(failed.err.contains(sample("bad.jsonl") + ":2: invalid JSON"), qPrintable(failed.err));
  const CliResult usage = runCli({"data", "inspect", sample("qa.csv"), "--on-bad-row", "maybe"});
  QCOMPARE(usage.code, 2);
  QVERIFY2(usage.err.contains("--on-bad-row=maybe must be skip or fail"), qPrintable(usage.err));
}

void TestDatasetIo::cliConvert() {
  QTemporaryDir tmp;
  const QString out = tmp.filePath("qa.jsonl");
  const QString ws = tmp.filePath("ws");
  Workspace::init(ws);
  const CliResult r = runCli({"--json", "data", "convert", sample("qa.csv"), out, "--map",
                              "prompt=question,completion=answer", "--workspace", ws});
  QCOMPARE(r.code, 0);
  const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
  QCOMPARE(o.value("rows").toInt(), 3);
  QCOMPARE(o.value("written").toInt(), 3);
  QCOMPARE(o.value("bad_rows").toInt(), 0);
  QCOMPARE(o.value("schema").toString(), QStringLiteral("prompt_completion"));
  QFile f(out);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray("{\"completion\":\"4\",\"prompt\":\"What is 2+2?\"}\n"
                                   "{\"completion\":\"hi,\\r\\nthere\",\"prompt\":\"Say \\\"hi\\\"\"}\n"
                                   "{\"completion\":\"multi\\nline\\nanswer\",\"prompt\":\"plain\"}\n"));
  // Registered: the CSV and the JSONL made from it.
  const CliResult list = runCli({"--json", "data", "list", "--workspace", ws});
  QCOMPARE(list.code, 0);
  const QJsonArray datasets = QJsonDocument::fromJson(list.out.toUtf8()).object().value("datasets").toArray();
  QCOMPARE(datasets.size(), 2);

  // A schema the rows do not fit: every row is a bad row, named with its line.
  const CliResult misfit = runCli({"--json", "data", "convert", sample("bad.jsonl"), tmp.filePath("pc.jsonl"),
                                   "--schema", "prompt_completion"});
  QCOMPARE(misfit.code, 0);
  const QJsonObject m = QJsonDocument::fromJson(misfit.out.toUtf8()).object();
  QCOMPARE(m.value("written").toInt(), 0);
  QCOMPARE(m.value("bad_rows").toInt(), 5 + 4);
  QCOMPARE(m.value("issues").toArray().last().toObject(),
           QJsonObject({{"line", 9}, {"reason", "prompt is missing"}}));
}

void TestDatasetIo::cliConvertFails() {
  QTemporaryDir tmp;
  const QString out = tmp.filePath("out.jsonl");
  const CliResult r = runCli({"data", "convert", sample("alpaca.jsonl"), out, "--schema", "messages",
                              "--on-bad-row", "fail"});
  QCOMPARE(r.code, 1);
  QVERIFY2(r.err.contains(sample("alpaca.jsonl") + ":1: messages is missing"), qPrintable(r.err));
  QVERIFY(!QFile::exists(out));  // nothing written
  QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList());
}

void TestDatasetIo::cliStats() {
  const CliResult r = runCli({"--json", "data", "stats", sample("stats_a.jsonl"), "--tokenizer",
                              fixture("tokenizers/llama2"), "--bins", "7", "--against", sample("stats_b.jsonl")});
  QCOMPARE(r.code, 0);
  const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
  const QJsonObject ref = readJson(sample("stats_reference.json"));
  QCOMPARE(o.value("a").toObject().value("rows").toInt(), ref.value("a").toObject().value("rows").toInt());
  QCOMPARE(o.value("b").toObject().value("tokens").toObject().value("total").toInt(),
           ref.value("b").toObject().value("tokens").toObject().value("total").toInt());
  const QJsonObject d = o.value("drift").toObject();
  QCOMPARE(d.value("drifted").toBool(), true);
  QCOMPARE_NEAR(d.value("features").toArray().first().toObject().value("z").toDouble(),
                ref.value("drift").toArray().first().toObject().value("z").toDouble());
  const CliResult bad = runCli({"data", "stats", sample("stats_a.jsonl"), "--threshold", "-1"});
  QCOMPARE(bad.code, 2);
  QVERIFY2(bad.err.contains("--threshold=-1 must be a number > 0"), qPrintable(bad.err));
}

QTEST_GUILESS_MAIN(TestDatasetIo)
#include "tst_dataset_io.moc"
