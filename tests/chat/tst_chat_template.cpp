// Chat templates against Python's Jinja configured as transformers configures it (tests/data/chat/goldens.json,
// written by tests/data/chat/make_goldens.py): every fixture and reference template over a set of
// conversations, a set of snippets covering the Jinja surface, the errors templates raise, templates we refuse,
// a seeded fuzz over mutated real templates, and the `distillery-cli template` command.
#include "chat/ChatTemplate.h"
#include "cli/Cli.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>
#include <thread>

using distillery::ChatTemplate;
using distillery::Error;
using distillery::FormatError;

namespace {

QString testData(const QString& relative) {
  const QString dir = qEnvironmentVariable("DISTILLERY_TEST_DATA",
                                           QStringLiteral(DISTILLERY_SOURCE_DIR "/tests/data"));
  return QDir(dir).filePath(relative);
}

QString fixtures(const QString& relative) {
  QString dir = qEnvironmentVariable("DISTILLERY_FIXTURES");
  if (dir.isEmpty()) dir = qEnvironmentVariable("DISTILLERY_FIXTURES_DEFAULT");
  if (dir.isEmpty()) dir = QStringLiteral(DISTILLERY_SOURCE_DIR "/../shared/fixtures");
  return QDir(dir).filePath(relative);
}

QByteArray readFile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
  return f.readAll();
}

const QJsonObject& goldens() {
  static const QJsonObject g = QJsonDocument::fromJson(readFile(testData(QStringLiteral("chat/goldens.json")))).object();
  return g;
}

const QDateTime kNow(QDate(2025, 3, 14), QTime(9, 26, 53));  // make_goldens.py's NOW

// The template named in goldens.json: fixtures load through fromTokenizerConfig, files with their tokens.
ChatTemplate loadTemplate(const QString& name) {
  const QJsonObject spec = goldens()[QStringLiteral("templates")].toObject()[name].toObject();
  const QString source = spec[QStringLiteral("source")].toString();
  if (source.startsWith(QLatin1String("fixture:"))) {
    ChatTemplate t = ChatTemplate::fromTokenizerConfig(fixtures(source.mid(8)));
    t.setNow(kNow);
    return t;
  }
  const QString path = testData(QStringLiteral("chat/") + source.mid(5));
  ChatTemplate t(QString::fromUtf8(readFile(path)), spec[QStringLiteral("special_tokens")].toObject(), path);
  t.setNow(kNow);
  return t;
}

// "" when equal, else where the first difference is, with context from both sides.
QString difference(const QString& got, const QString& want) {
  if (got == want) return QString();
  qsizetype i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  auto around = [i](const QString& s) {
    QString part = s.mid(std::max<qsizetype>(0, i - 40), 80);
    part.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return part;
  };
  return QStringLiteral("first difference at offset %1 (lengths %2 vs %3)\n   got: …%4…\n  want: …%5…")
      .arg(i).arg(got.size()).arg(want.size()).arg(around(got), around(want));
}

QJsonArray jsonArray(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()).array(); }
QJsonObject jsonObject(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

// What a golden error must look like on our side: raise_exception() messages exactly (field "messages"),
// Python's runtime errors with the same text after "failed at line L:C: ".
QString checkError(const FormatError& e, const QJsonObject& want) {
  const QString type = want[QStringLiteral("type")].toString();
  const QString message = want[QStringLiteral("message")].toString();
  if (type == QLatin1String("TemplateError")) {
    if (e.field() != QLatin1String("messages") || e.detail() != QStringLiteral("are rejected by the chat template: ") + message)
      return QStringLiteral("expected raise_exception(%1), got: %2").arg(message, e.message());
    return QString();
  }
  if (e.field() != QLatin1String("chat_template") || !e.detail().endsWith(QStringLiteral(": ") + message))
    return QStringLiteral("expected %1: %2, got: %3").arg(type, message, e.message());
  return QString();
}

}  // namespace

class TestChatTemplate : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void goldenCases_data();
  void goldenCases();
  void snippets_data();
  void snippets();
  void loadsFromTokenizerConfig();
  void jsonNumbersKeepTheirType();
  void refusesBadTemplates_data();
  void refusesBadTemplates();
  void runtimeErrorsNameTheLine();
  void rendersFromManyThreads();
  void survivesMutatedTemplates();
  void cliTemplate();
  void cliTemplateErrors();
};

void TestChatTemplate::goldenCases_data() {
  QTest::addColumn<QJsonObject>("c");
  for (const QJsonValue& v : goldens()[QStringLiteral("cases")].toArray()) {
    const QJsonObject c = v.toObject();
    const QString name = c[QStringLiteral("template")].toString() + QLatin1Char('/') +
                         c[QStringLiteral("messages_set")].toString() +
                         (c[QStringLiteral("add_generation_prompt")].toBool() ? QStringLiteral("/gen") : QString());
    QTest::newRow(qPrintable(name)) << c;
  }
}

void TestChatTemplate::goldenCases() {
  QFETCH(QJsonObject, c);
  const ChatTemplate t = loadTemplate(c[QStringLiteral("template")].toString());
  const QString messages = c[QStringLiteral("messages_json")].toString();
  const QString extra = c[QStringLiteral("extra_json")].toString();
  const bool gen = c[QStringLiteral("add_generation_prompt")].toBool();
  if (c.contains(QStringLiteral("error"))) {
    const QJsonObject want = c[QStringLiteral("error")].toObject();
    for (int api = 0; api < 2; ++api) {
      try {
        if (api == 0) t.renderJson(messages.toUtf8(), gen, extra.toUtf8());
        else t.render(jsonArray(messages), gen, jsonObject(extra));
        QFAIL(qPrintable(QStringLiteral("rendered, but Python raised %1").arg(want[QStringLiteral("message")].toString())));
      } catch (const FormatError& e) {
        const QString problem = checkError(e, want);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
      }
    }
    return;
  }
  const QString want = c[QStringLiteral("expected")].toString();
  const QString got = t.renderJson(messages.toUtf8(), gen, extra.toUtf8());
  const QString diff = difference(got, want);
  QVERIFY2(diff.isEmpty(), qPrintable(diff));
  // QJsonObject sorts keys; the generator rendered that order too where it changes the text.
  const QString wantSorted = c.contains(QStringLiteral("expected_sorted")) ? c[QStringLiteral("expected_sorted")].toString() : want;
  const QString diffSorted = difference(t.render(jsonArray(messages), gen, jsonObject(extra)), wantSorted);
  QVERIFY2(diffSorted.isEmpty(), qPrintable(QStringLiteral("QJsonArray API: ") + diffSorted));
}

void TestChatTemplate::snippets_data() {
  QTest::addColumn<QJsonObject>("s");
  for (const QJsonValue& v : goldens()[QStringLiteral("snippets")].toArray())
    QTest::newRow(qPrintable(v.toObject()[QStringLiteral("name")].toString())) << v.toObject();
}

void TestChatTemplate::snippets() {
  QFETCH(QJsonObject, s);
  const QString source = s[QStringLiteral("template")].toString();
  const QByteArray messages = s[QStringLiteral("messages_json")].toString().toUtf8();
  const QByteArray extra = s[QStringLiteral("extra_json")].toString().toUtf8();
  if (s.contains(QStringLiteral("error"))) {
    try {
      ChatTemplate t(source);
      t.setNow(kNow);
      const QString got = t.renderJson(messages, false, extra);
      QFAIL(qPrintable(QStringLiteral("rendered \"%1\", but Python raised %2").arg(got, s[QStringLiteral("error")].toObject()[QStringLiteral("message")].toString())));
    } catch (const FormatError& e) {
      const QString problem = checkError(e, s[QStringLiteral("error")].toObject());
      QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    return;
  }
  ChatTemplate t(source);
  t.setNow(kNow);
  const QString diff = difference(t.renderJson(messages, false, extra), s[QStringLiteral("expected")].toString());
  QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestChatTemplate::loadsFromTokenizerConfig() {
  // A folder or the file itself; AddedToken objects and nulls among the special tokens.
  const ChatTemplate byDir = ChatTemplate::fromTokenizerConfig(fixtures(QStringLiteral("tiny-llama")));
  const ChatTemplate byFile = ChatTemplate::fromTokenizerConfig(fixtures(QStringLiteral("tiny-llama/tokenizer_config.json")));
  const QJsonArray messages{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("hi")}}};
  QCOMPARE(byDir.render(messages, true), QStringLiteral("<s>[user] hi</s>[assistant] "));
  QCOMPARE(byFile.render(messages, false), QStringLiteral("<s>[user] hi</s>"));
  QVERIFY(byFile.origin().endsWith(QLatin1String("tokenizer_config.json")));

  // Llama 2's published tokenizer_config.json carries no chat template.
  try {
    ChatTemplate::fromTokenizerConfig(fixtures(QStringLiteral("tokenizers/llama2")));
    QFAIL("llama2 has no chat_template");
  } catch (const FormatError& e) {
    QCOMPARE(e.field(), QStringLiteral("chat_template"));
    QVERIFY2(e.detail().contains(QLatin1String("no chat template")), qPrintable(e.message()));
  }

  // A list of named templates gives "default"; chat_template.jinja beside the config wins.
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QJsonObject config{
      {QStringLiteral("bos_token"), QJsonObject{{QStringLiteral("__type"), QStringLiteral("AddedToken")},
                                                {QStringLiteral("content"), QStringLiteral("<B>")}}},
      {QStringLiteral("eos_token"), QJsonValue::Null},
      {QStringLiteral("chat_template"),
       QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("tool_use")}, {QStringLiteral("template"), QStringLiteral("tools")}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("default")},
                              {QStringLiteral("template"), QStringLiteral("{{ bos_token }}{{ eos_token is defined }}{{ messages|length }}")}}}}};
  QFile f(dir.filePath(QStringLiteral("tokenizer_config.json")));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QJsonDocument(config).toJson());
  f.close();
  QCOMPARE(ChatTemplate::fromTokenizerConfig(dir.path()).render(messages, false), QStringLiteral("<B>False1"));
  QFile j(dir.filePath(QStringLiteral("chat_template.jinja")));
  QVERIFY(j.open(QIODevice::WriteOnly));
  j.write("jinja file {{ bos_token }}\n");
  j.close();
  QCOMPARE(ChatTemplate::fromTokenizerConfig(dir.path()).render(messages, false), QStringLiteral("jinja file <B>"));
}

void TestChatTemplate::jsonNumbersKeepTheirType() {
  // Python's json.loads gives int for 3 and float for 3.0; templates print them as 3 and 3.0.
  const ChatTemplate t(QStringLiteral("{{ a }} {{ b }} {{ c }} {{ d | tojson }}"));
  const QByteArray json = R"({"a": 3, "b": 3.0, "c": -2.5e-7, "d": {"z": 1, "y": [1.5, 10000000000]}})";
  QCOMPARE(t.renderJson("[]", false, json), QStringLiteral("3 3.0 -2.5e-07 {\"z\": 1, \"y\": [1.5, 10000000000]}"));
  // The QJsonObject API: keys in QJsonObject's (sorted) order, and Qt's parser already stored 3.0 as 3.
  QCOMPARE(t.render({}, false, QJsonDocument::fromJson(json).object()),
           QStringLiteral("3 3 -2.5e-07 {\"y\": [1.5, 10000000000], \"z\": 1}"));
  QCOMPARE(t.render({}, false, QJsonObject{{QStringLiteral("a"), 7}, {QStringLiteral("b"), 0.5},
                                           {QStringLiteral("c"), true}, {QStringLiteral("d"), QJsonValue::Null}}),
           QStringLiteral("7 0.5 True null"));
}

void TestChatTemplate::refusesBadTemplates_data() {
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("construct");  // must appear in the error text
  QTest::addColumn<QString>("where");      // line:column in the error text
  QTest::newRow("unknown tag") << QStringLiteral("ok\n{% frobnicate x %}") << QStringLiteral("{% frobnicate %}") << QStringLiteral("2:4");
  QTest::newRow("unclosed for") << QStringLiteral("{% for m in messages %}{{ m }}") << QStringLiteral("{% for %}") << QStringLiteral("1:4");
  QTest::newRow("unclosed if") << QStringLiteral("a\n  {% if x %}b") << QStringLiteral("{% endif %}") << QStringLiteral("2:6");
  QTest::newRow("stray endfor") << QStringLiteral("{% if x %}{% endfor %}{% endif %}") << QStringLiteral("{% endfor %}") << QStringLiteral("1:14");
  QTest::newRow("unknown filter") << QStringLiteral("{{ x | shout }}") << QStringLiteral("filter 'shout'") << QStringLiteral("1:8");
  QTest::newRow("unsupported filter") << QStringLiteral("{{ x | groupby('a') }}") << QStringLiteral("filter 'groupby'") << QStringLiteral("1:8");
  QTest::newRow("unknown test") << QStringLiteral("{{ x is shiny }}") << QStringLiteral("test 'shiny'") << QStringLiteral("1:9");
  QTest::newRow("include") << QStringLiteral("{% include 'other.jinja' %}") << QStringLiteral("{% include %}") << QStringLiteral("1:4");
  QTest::newRow("extends") << QStringLiteral("\n\n{% extends 'base' %}") << QStringLiteral("{% extends %}") << QStringLiteral("3:4");
  QTest::newRow("recursive loop") << QStringLiteral("{% for x in y recursive %}{% endfor %}") << QStringLiteral("recursive") << QStringLiteral("1:15");
  QTest::newRow("unclosed comment") << QStringLiteral("a {# never closed") << QStringLiteral("{#") << QStringLiteral("1:3");
  QTest::newRow("unclosed variable") << QStringLiteral("{{ messages") << QStringLiteral("end of template") << QStringLiteral("1:12");
  QTest::newRow("bad character") << QStringLiteral("{{ a ? b }}") << QStringLiteral("?") << QStringLiteral("1:6");
  QTest::newRow("unbalanced bracket") << QStringLiteral("{{ [1, 2) }}") << QStringLiteral(")") << QStringLiteral("1:9");
  QTest::newRow("break outside loop") << QStringLiteral("{% break %}") << QStringLiteral("{% break %}") << QStringLiteral("1:4");
  QTest::newRow("star args") << QStringLiteral("{{ f(*xs) }}") << QStringLiteral("*args") << QStringLiteral("1:6");
  QTest::newRow("deep nesting") << (QStringLiteral("{{ ") + QString(500, QLatin1Char('(')) + QStringLiteral("1") +
                                    QString(500, QLatin1Char(')')) + QStringLiteral(" }}"))
                                << QStringLiteral("nesting") << QStringLiteral("1:");
}

void TestChatTemplate::refusesBadTemplates() {
  QFETCH(QString, source);
  QFETCH(QString, construct);
  QFETCH(QString, where);
  try {
    ChatTemplate t(source);
    QFAIL("parsed");
  } catch (const FormatError& e) {
    QCOMPARE(e.path(), QStringLiteral("chat_template"));
    QCOMPARE(e.field(), QStringLiteral("chat_template"));
    QVERIFY2(e.message().contains(construct), qPrintable(e.message()));
    QVERIFY2(e.message().contains(QStringLiteral("line ") + where), qPrintable(e.message()));
  }
}

void TestChatTemplate::runtimeErrorsNameTheLine() {
  const ChatTemplate t(QStringLiteral("{% for m in messages %}\n  {{ m.content.nope.deeper }}\n{% endfor %}"), {},
                       QStringLiteral("/models/x/tokenizer_config.json"));
  const QJsonArray messages{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("hi")}}};
  try {
    t.render(messages, false);
    QFAIL("rendered");
  } catch (const FormatError& e) {
    QCOMPARE(e.message(), QStringLiteral("/models/x/tokenizer_config.json: chat_template failed at line 2:20: "
                                         "'str object' has no attribute 'nope'"));
  }
  // A filter Jinja has but we lack, in a branch: the template loads (as in Jinja, where such names are only
  // checked when reached) and fails only when the branch runs, naming the filter.
  const ChatTemplate branchy(QStringLiteral("{% if tools %}\n{{ tools | groupby('type') }}{% endif %}{{ messages | length }}"));
  QCOMPARE(branchy.render(messages, false), QStringLiteral("1"));
  try {
    branchy.render(messages, false, QJsonObject{{QStringLiteral("tools"), QJsonArray{1}}});
    QFAIL("rendered");
  } catch (const FormatError& e) {
    QCOMPARE(e.message(), QStringLiteral("chat_template: chat_template=filter 'groupby' is not supported (line 2:12)"));
  }
  // raise_exception() is the template refusing the messages: it reads as a problem with them.
  const ChatTemplate llama2 = loadTemplate(QStringLiteral("llama2-chat"));
  const QJsonArray twoUsers{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("a")}},
                            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("b")}}};
  try {
    llama2.render(twoUsers, true);
    QFAIL("rendered");
  } catch (const FormatError& e) {
    QVERIFY2(e.message().endsWith(QLatin1String("llama2-chat.jinja: messages are rejected by the chat template: "
                                                "Conversation roles must alternate user/assistant/user/assistant/...")),
             qPrintable(e.message()));
  }
}

void TestChatTemplate::rendersFromManyThreads() {
  const ChatTemplate t = loadTemplate(QStringLiteral("qwen3"));
  const QByteArray messages = R"([{"role":"system","content":"s"},{"role":"user","content":"u"},
                                  {"role":"assistant","content":"<think>r</think>a"},{"role":"user","content":"v"}])";
  const QString want = t.renderJson(messages, true);
  std::atomic_int bad{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (t.renderJson(messages, true) != want) ++bad;
    });
  for (std::thread& th : threads) th.join();
  QCOMPARE(bad.load(), 0);
}

void TestChatTemplate::survivesMutatedTemplates() {
  // Truncations and character edits of every real template must load or fail with FormatError, never crash
  // or throw anything else; those that load must render or fail the same way.
  std::vector<std::pair<QString, QJsonObject>> bases;
  const QJsonObject templates = goldens()[QStringLiteral("templates")].toObject();
  for (auto it = templates.begin(); it != templates.end(); ++it) {
    const ChatTemplate t = loadTemplate(it.key());
    bases.emplace_back(t.source(), it.value().toObject()[QStringLiteral("special_tokens")].toObject());
  }
  const QList<QByteArray> conversations = {
      R"([{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"<think>x</think>y"}])",
      R"([{"role":"user","content":"u","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},{"role":"tool","content":"t"}])",
      "[]"};
  const QString syntax = QStringLiteral("{}%#-+()[]'\".|~=<>!:,*/ \n\tabcdefilnorstux0123456789_");
  QRandomGenerator rng(20250314);
  int loaded = 0, rendered = 0;
  const int rounds = 3000;
  for (int i = 0; i < rounds; ++i) {
    const auto& [base, special] = bases[rng.bounded(int(bases.size()))];
    QString s = base;
    const int edits = 1 + rng.bounded(4);
    for (int e = 0; e < edits && !s.isEmpty(); ++e) {
      const int at = rng.bounded(int(s.size()));
      switch (rng.bounded(5)) {
        case 0: s.truncate(at); break;
        case 1: s.remove(at, 1 + rng.bounded(3)); break;
        case 2: s.insert(at, syntax[rng.bounded(int(syntax.size()))]); break;
        case 3: s[at] = syntax[rng.bounded(int(syntax.size()))]; break;
        case 4: s.insert(at, s.mid(rng.bounded(int(s.size())), 1 + rng.bounded(20))); break;
      }
    }
    try {
      ChatTemplate t(s, special);
      t.setNow(kNow);
      ++loaded;
      for (const QByteArray& c : conversations) {
        try {
          t.renderJson(c, rng.bounded(2) == 1, R"({"tools":[{"type":"function","function":{"name":"f"}}]})");
          ++rendered;
        } catch (const Error&) {
        }
      }
    } catch (const Error&) {
    }
  }
  qInfo("%d of %d mutated templates loaded, %d renders succeeded", loaded, rounds, rendered);
  QVERIFY(loaded > 0);
}

void TestChatTemplate::cliTemplate() {
  // The CLI prints exactly the rendered text, no newline added; messages keep their key order.
  QJsonObject golden;
  for (const QJsonValue& v : goldens()[QStringLiteral("cases")].toArray()) {
    const QJsonObject c = v.toObject();
    if (c[QStringLiteral("template")] == QStringLiteral("qwen3") && c[QStringLiteral("messages_set")] == QStringLiteral("tool_call") &&
        c[QStringLiteral("add_generation_prompt")].toBool())
      golden = c;
  }
  QVERIFY(golden.contains(QStringLiteral("expected")));
  QString input = golden[QStringLiteral("messages_json")].toString(), output, errors;
  QTextStream in(&input), out(&output), err(&errors);
  const QStringList argv{QStringLiteral("distillery-cli"), QStringLiteral("template"), fixtures(QStringLiteral("tokenizers/qwen3")),
                         QStringLiteral("--add-generation-prompt"), QStringLiteral("--context"),
                         golden[QStringLiteral("extra_json")].toString()};
  QCOMPARE(distillery::cli::run(argv, out, err, in), 0);
  QVERIFY2(errors.isEmpty(), qPrintable(errors));
  const QString diff = difference(output, golden[QStringLiteral("expected")].toString());
  QVERIFY2(diff.isEmpty(), qPrintable(diff));

  QString input2 = QStringLiteral(R"([{"role": "user", "content": "hi"}])"), output2, errors2;
  QTextStream in2(&input2), out2(&output2), err2(&errors2);
  QCOMPARE(distillery::cli::run({QStringLiteral("distillery-cli"), QStringLiteral("--json"), QStringLiteral("template"),
                                 fixtures(QStringLiteral("tiny-qwen2"))},
                                out2, err2, in2),
           0);
  QCOMPARE(output2, QStringLiteral("{\"text\":\"<|im_start|>user\\nhi<|im_end|>\\n\"}\n"));
}

void TestChatTemplate::cliTemplateErrors() {
  struct Case {
    QStringList args;
    QString stdinText;
    int code;
    QString errorPart;
  };
  const QList<Case> cases = {
      {{fixtures(QStringLiteral("tokenizers/llama2"))}, QStringLiteral("[]"), 1, QStringLiteral("no chat template")},
      {{fixtures(QStringLiteral("tiny-qwen2"))}, QStringLiteral("{not json"), 1, QStringLiteral("messages are not valid JSON")},
      {{fixtures(QStringLiteral("tiny-qwen2"))}, QString(), 2, QStringLiteral("expected a JSON array of messages")},
      {{}, QStringLiteral("[]"), 2, QStringLiteral("takes one TOKENIZER_DIR")},
      {{fixtures(QStringLiteral("tiny-qwen2")), QStringLiteral("--context"), QStringLiteral("[1]")}, QStringLiteral("[]"), 1,
       QStringLiteral("context must be a JSON object")},
  };
  for (const Case& c : cases) {
    QString input = c.stdinText, output, errors;
    QTextStream in(&input), out(&output), err(&errors);
    QCOMPARE(distillery::cli::run(QStringList{QStringLiteral("distillery-cli"), QStringLiteral("template")} + c.args, out, err, in), c.code);
    QVERIFY2(errors.contains(c.errorPart), qPrintable(errors));
    QVERIFY(output.isEmpty());
  }
  // raise_exception from the template: exit 1, the template's own words on stderr.
  const QString llama2 = testData(QStringLiteral("chat"));
  QTemporaryDir dir;
  QFile config(dir.filePath(QStringLiteral("tokenizer_config.json")));
  QVERIFY(config.open(QIODevice::WriteOnly));
  config.write(QJsonDocument(QJsonObject{{QStringLiteral("chat_template"), QString::fromUtf8(readFile(llama2 + QStringLiteral("/gemma.jinja")))},
                                         {QStringLiteral("bos_token"), QStringLiteral("<bos>")}})
                   .toJson());
  config.close();
  QString input = QStringLiteral(R"([{"role":"system","content":"s"}])"), output, errors;
  QTextStream in(&input), out(&output), err(&errors);
  QCOMPARE(distillery::cli::run({QStringLiteral("distillery-cli"), QStringLiteral("template"), dir.path()}, out, err, in), 1);
  QVERIFY2(errors.contains(QLatin1String("messages are rejected by the chat template: System role not supported")), qPrintable(errors));
}

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
