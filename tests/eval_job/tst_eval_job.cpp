// Evaluation jobs: the eval job JSON (round trip, defaults, every refusal), a small evaluation of the fixture model
// with and without its LoRA adapter (stored rows, per-sample scores equal to the scoring functions on the stored
// outputs, perplexity equal to exp(mean CE) of the model's own logits, greedy answers equal to generate()'s),
// the job through the runner (finished, and cancelled mid-run keeping its finished samples), bad input refused
// before any model is loaded, and `distillery-cli eval`.
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "data/Example.h"
#include "eval/EvalData.h"
#include "eval/EvalRun.h"
#include "eval/EvalStore.h"
#include "eval/TextMatch.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/RunJob.h"
#include "lora/Lora.h"
#include "model/Generate.h"
#include "model/ModelLoader.h"
#include "store/DatasetStore.h"
#include "store/Workspace.h"
#include "tokenizer/Tokenizer.h"
#include "train/JobSpec.h"
#include "train/Trainer.h"

#include "Fixtures.h"
#include "JsonLines.h"
#include "TestUtil.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <torch/torch.h>

#include <cmath>

using namespace distillery;

namespace {

QJsonObject json(const char* text) {
  QJsonParseError e;
  const QJsonDocument d = QJsonDocument::fromJson(QByteArray(text), &e);
  if (d.isNull()) qFatal("bad test JSON: %s", qPrintable(e.errorString()));
  return d.object();
}

QString evalData(const QString& name) { return testDataDir() + QStringLiteral("/eval_job/") + name; }

// The two labels of the fixture evaluations: tiny-llama, and tiny-llama with its PEFT adapter.
QJsonArray fixtureModels() {
  return {
      QJsonObject{{"label", "base"}, {"path", fixture("tiny-llama")}},
      QJsonObject{
          {"label", "base+lora"}, {"path", fixture("tiny-llama")}, {"adapter", fixture("tiny-llama/lora-adapter")}}};
}

// An eval job on qa.jsonl (6 prompt_completion rows) writing into out.
QJsonObject qaJob(const QString& out, int maxNewTokens = 12) {
  return {{"kind", "eval"},
          {"models", fixtureModels()},
          {"data", QJsonObject{{"test", evalData("qa.jsonl")}, {"format", "prompt_completion"}}},
          {"eval", QJsonObject{{"tasks", QJsonArray{"perplexity", "next_token_accuracy", "generation"}},
                               {"max_new_tokens", maxNewTokens},
                               {"seq_len", 256},
                               {"baseline", "base"}}},
          {"device", "cpu"},
          {"output", out}};
}

JobSpec spec(const QJsonObject& job) { return JobSpec::fromJson(job, QStringLiteral("job.json")); }

// exp(mean CE) and next-token accuracy of ids under lm from one plain forward pass (no windows): the reference
// the job's sliding-window figures must equal for rows shorter than the window.
std::pair<double, double> plainPerplexity(CausalLM& lm, const std::vector<int32_t>& ids) {
  torch::NoGradGuard noGrad;
  const torch::Tensor input = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).unsqueeze(0);
  const torch::Tensor logits = lm->forward(input).logits[0].to(torch::kFloat64);  // [S, V]
  const torch::Tensor pred = logits.slice(0, 0, logits.size(0) - 1);              // positions 0..S-2
  const torch::Tensor targets = input[0].slice(0, 1);                             // tokens 1..S-1
  const double nll = torch::nn::functional::cross_entropy(pred, targets).item<double>();
  const double acc = pred.argmax(-1).eq(targets).to(torch::kFloat64).mean().item<double>();
  return {std::exp(nll), acc};
}

}  // namespace

class TestEvalJob : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QVERIFY(tmp_.isValid()); }

  // ---- the job JSON ----
  void specRoundTrip_data() {
    QTest::addColumn<QByteArray>("job");
    QTest::addRow("minimal") << QByteArray(
        R"({"kind": "eval", "models": [{"label": "m", "path": "/m"}], "data": {"test": "/d.jsonl"}, "output": "/o"})");
    QTest::addRow("everything") << QByteArray(R"({"kind": "eval", "name": "int8 vs fp32",
        "models": [{"label": "teacher", "path": "/t"}, {"label": "student+lora", "path": "/s", "adapter": "/a"},
                   {"label": "student-int8", "path": "/q"}],
        "data": {"test": "/d.csv", "format": "prompt_completion", "fields": {"prompt": "question", "completion": "answer"}},
        "eval": {"tasks": ["generation", "multiple_choice", "perplexity"], "metrics": ["bleu", "exact_match"],
                 "max_new_tokens": 32, "max_samples": 100, "seq_len": 1024, "stride": 1024,
                 "choices_field": "options", "answer_field": "label", "baseline": "teacher",
                 "max_accuracy_drop": 0.05, "dtype": "bfloat16"},
        "device": "cuda:1", "output": "/o"})");
    QTest::addRow("text data") << QByteArray(R"({"kind": "eval", "models": [{"label": "m", "path": "/m"}],
        "data": {"test": "/wiki.txt", "format": "text"}, "eval": {"tasks": ["perplexity"], "seq_len": 64}, "output": "/o"})");
  }
  void specRoundTrip() {
    QFETCH(QByteArray, job);
    const JobSpec a = spec(QJsonDocument::fromJson(job).object());
    QCOMPARE(a.kind, JobKind::Eval);
    const QJsonObject written = a.toJson();
    const JobSpec b = spec(written);
    QVERIFY2(a == b, QJsonDocument(written).toJson().constData());
    QCOMPARE(b.toJson(), written);
    // An evaluation writes no training sections.
    for (const char* k : {"train", "kd", "lora", "sweep", "student", "teacher"}) QVERIFY2(!written.contains(k), k);
  }

  void specDefaults() {
    const JobSpec s = spec(json(R"({"kind": "eval", "models": [{"label": "m", "path": "/m"}],
        "data": {"test": "/d/qa.jsonl", "format": "alpaca"}, "eval": {"seq_len": 100}, "output": "/o"})"));
    QCOMPARE(s.name, QStringLiteral("eval qa.jsonl"));
    QCOMPARE(s.eval.tasks, QStringList({"perplexity", "next_token_accuracy", "generation"}));
    QCOMPARE(s.eval.metrics, QStringList({"exact_match", "token_f1", "bleu", "chrf", "rouge"}));
    QCOMPARE(s.eval.stride, int64_t(50));  // seq_len / 2
    QCOMPARE(s.eval.maxNewTokens, int64_t(128));
    QCOMPARE(s.eval.maxAccuracyDrop, 0.02);
    QCOMPARE(s.eval.baseline, QString());
    QCOMPARE(s.models.size(), size_t(1));
    QCOMPARE(s.models[0].adapter, QString());
    // Text data has no prompts: no generation by default.
    const JobSpec t = spec(json(R"({"kind": "eval", "models": [{"label": "m", "path": "/m"}],
        "data": {"test": "/d.txt"}, "output": "/o"})"));
    QCOMPARE(t.eval.tasks, QStringList({"perplexity", "next_token_accuracy"}));
  }

  void specErrors_data() {
    QTest::addColumn<QByteArray>("patch");  // merged over a valid eval job, one section deep
    QTest::addColumn<QString>("message");
    const auto row = [](const char* name, const char* patch, const char* message) {
      QTest::addRow("%s", name) << QByteArray(patch) << QString::fromUtf8(message);
    };
    row("unknown eval key", R"({"eval": {"temperature": 0.7}})",
        "job.json: eval.temperature is not a known key (expected one of: tasks, metrics, max_new_tokens, max_samples, "
        "seq_len, stride, choices_field, answer_field, baseline, max_accuracy_drop, dtype, slice_by, min_slice_size, "
        "perturbations)");
    row("models missing", R"({"models": null})", "job.json: models is missing");
    row("models empty", R"({"models": []})",
        "job.json: models=[] must list at least one model {label, path, adapter?}");
    row("model not object", R"({"models": ["/m"]})",
        "job.json: models[0]=\"/m\" must be an object {label, path, adapter?}");
    row("model without label", R"({"models": [{"path": "/m"}]})", "job.json: models[0].label is missing");
    row("model without path", R"({"models": [{"label": "a"}]})", "job.json: models[0].path is missing");
    row("model unknown key", R"({"models": [{"label": "a", "path": "/m", "dtype": "int8"}]})",
        "job.json: models[0].dtype is not a known key (expected one of: label, path, adapter)");
    row("duplicate label", R"({"models": [{"label": "a", "path": "/m"}, {"label": "a", "path": "/n"}]})",
        "job.json: models[1].label=\"a\" is used by an earlier model; labels must be unique");
    row("empty adapter", R"({"models": [{"label": "a", "path": "/m", "adapter": ""}]})",
        "job.json: models[0].adapter=\"\" must not be empty");
    row("data.test missing", R"({"data": {"format": "text"}})", "job.json: data.test is missing");
    row("data.train in eval", R"({"data": {"test": "/d", "train": "/t"}})",
        "job.json: data.train=\"/t\" is not used by kind eval (it scores data.test)");
    row("packing in eval", R"({"data": {"test": "/d", "packing": true}})",
        "job.json: data.packing=true is a training setting, not used by kind eval");
    row("student in eval", R"({"student": "/s"})",
        "job.json: student=\"/s\" is not used by kind eval (it scores the models listed in models)");
    row("train in eval", R"({"train": {"lr": 0.1}})",
        "job.json: train={\"lr\":0.1} is not used by kind eval (it scores the models listed in models)");
    row("unknown task", R"({"eval": {"tasks": ["perplexity", "mmlu"]}})",
        "job.json: eval.tasks=[\"perplexity\",\"mmlu\"] has \"mmlu\"; tasks are: perplexity, next_token_accuracy, "
        "multiple_choice, generation");
    row("task twice", R"({"eval": {"tasks": ["perplexity", "perplexity"]}})",
        "job.json: eval.tasks=[\"perplexity\",\"perplexity\"] names \"perplexity\" twice");
    row("no tasks", R"({"eval": {"tasks": []}})", "job.json: eval.tasks=[] must name at least one task");
    row("generation on text", R"({"data": {"test": "/d.txt", "format": "text"}, "eval": {"tasks": ["generation"]}})",
        "job.json: eval.tasks=[\"generation\"] has generation, which needs prompts: data.format text has none");
    row("unknown metric", R"({"eval": {"metrics": ["meteor"]}})",
        "job.json: eval.metrics=[\"meteor\"] has \"meteor\"; metrics are: exact_match, token_f1, bleu, chrf, rouge");
    row("max_new_tokens zero", R"({"eval": {"max_new_tokens": 0}})", "job.json: eval.max_new_tokens=0 must be ≥ 1");
    row("max_samples negative", R"({"eval": {"max_samples": -1}})", "job.json: eval.max_samples=-1 must be ≥ 0");
    row("seq_len one", R"({"eval": {"seq_len": 1}})", "job.json: eval.seq_len=1 must be ≥ 2");
    row("stride above seq_len", R"({"eval": {"seq_len": 64, "stride": 65}})",
        "job.json: eval.stride=65 must be between 1 and seq_len (64)");
    row("unknown baseline", R"({"eval": {"baseline": "teacher"}})",
        "job.json: eval.baseline=\"teacher\" is not a model label (models: base, student)");
    row("baseline alone", R"({"models": [{"label": "a", "path": "/m"}], "eval": {"baseline": "a"}})",
        "job.json: eval.baseline=\"a\" needs at least one other model to compare with");
    row("accuracy drop above 1", R"({"eval": {"max_accuracy_drop": 2}})",
        "job.json: eval.max_accuracy_drop=2 must be between 0 and 1");
    row("dtype", R"({"eval": {"dtype": "int8"}})",
        "job.json: eval.dtype=\"int8\" must be one of: auto, float32, bfloat16");
  }
  void specErrors() {
    QFETCH(QByteArray, patch);
    QFETCH(QString, message);
    QJsonObject job = json(R"({"kind": "eval", "models": [{"label": "base", "path": "/m"},
        {"label": "student", "path": "/s"}], "data": {"test": "/d.jsonl", "format": "prompt_completion"},
        "output": "/o"})");
    const QJsonObject p = QJsonDocument::fromJson(patch).object();
    QVERIFY(!p.isEmpty());
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (it->isNull())
        job.remove(it.key());
      else
        job.insert(it.key(), *it);
    }
    QCOMPARE(errorOf([&] { spec(job); }), message);
  }

  void specEvalKeysRefusedElsewhere_data() {
    QTest::addColumn<QByteArray>("job");
    QTest::addColumn<QString>("message");
    QTest::addRow("eval in lora")
        << QByteArray(R"({"kind": "lora", "student": "/s", "data": {"train": "/t"}, "output": "/o", "eval": {}})")
        << QStringLiteral("job.json: eval={} is only for kind eval");
    QTest::addRow("models in distill") << QByteArray(R"({"kind": "distill", "teacher": "/t", "student": "/s",
        "data": {"train": "/t"}, "output": "/o", "models": []})")
                                       << QStringLiteral("job.json: models=[] is only for kind eval");
    QTest::addRow("data.test in full_ft")
        << QByteArray(R"({"kind": "full_ft", "student": "/s", "data": {"train": "/t", "test": "/x"}, "output": "/o"})")
        << QStringLiteral("job.json: data.test=\"/x\" is only for kind eval");
    QTest::addRow("sweep of evals") << QByteArray(R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr",
        "values": [1]}], "base": {"kind": "eval", "models": [{"label": "m", "path": "/m"}], "data": {"test": "/d"},
        "output": "/o"}}})")
                                    << QStringLiteral(
                                           "job.json: sweep.base.kind=\"eval\" must be distill, lora or full_ft "
                                           "(sweeps do not nest, evaluations train nothing)");
  }
  void specEvalKeysRefusedElsewhere() {
    QFETCH(QByteArray, job);
    QFETCH(QString, message);
    QCOMPARE(errorOf([&] { spec(QJsonDocument::fromJson(job).object()); }), message);
  }

  void specFromFileResolvesPaths() {
    const JobSpec s = JobSpec::fromFile(evalData("eval_job.json"));
    QCOMPARE(s.data.test, QDir::cleanPath(evalData("qa.jsonl")));
    QCOMPARE(s.models.size(), size_t(2));
    QCOMPARE(QDir(s.models[0].path).canonicalPath(), QDir(fixture("tiny-llama")).canonicalPath());
    QCOMPARE(QDir(s.models[1].adapter).canonicalPath(), QDir(fixture("tiny-llama/lora-adapter")).canonicalPath());
    QVERIFY(QFileInfo(s.models[1].adapter).isAbsolute());
  }

  // ---- data ----
  void dataRows() {
    EvalDataOptions o;
    o.format = QStringLiteral("prompt_completion");
    o.tasks = QStringList{"generation", "multiple_choice"};
    const std::vector<EvalRow> rows = readEvalRows(evalData("choices.jsonl"), o);
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(rows[1].choices, QStringList({"six", "eight"}));
    QCOMPARE(rows[1].gold, 1);                               // the answer given as text
    QCOMPARE(rows[2].reference, QStringLiteral("Jupiter"));  // no completion: the right choice is the reference
    QCOMPARE(rows[0].line, int64_t(1));
    QVERIFY(!rows[0].sliceFields().contains("choices"));

    EvalDataOptions chat;
    chat.format = QStringLiteral("messages");
    chat.tasks = QStringList{"generation"};
    const std::vector<EvalRow> c = readEvalRows(evalData("chat.jsonl"), chat);
    QCOMPARE(c[0].input, QStringLiteral("system: Answer briefly.\n\nuser: What is the capital of France?"));
    QCOMPARE(c[1].input, QStringLiteral("How many legs does a spider have?"));
    QCOMPARE(c[1].reference, QStringLiteral("eight"));
    // The prompt goes through the model's chat template with the generation prompt.
    const Tokenizer tok = Tokenizer::fromDirectory(fixture("tiny-llama"));
    const EvalInputs in = renderEvalInputs(c, tok, fixture("tiny-llama"), evalData("chat.jsonl"), chat);
    const std::vector<int32_t> prompt(in.prompts[1].begin(), in.prompts[1].end());
    QCOMPARE(tok.decode(prompt), QStringLiteral("<s>[user] How many legs does a spider have?</s>[assistant] "));
  }

  void dataErrors_data() {
    QTest::addColumn<QByteArray>("lines");
    QTest::addColumn<QString>("tasks");
    QTest::addColumn<QString>("message");
    QTest::addRow("answer out of range") << QByteArray(R"({"prompt": "q", "choices": ["a", "b"], "answer": 2})")
                                         << "multiple_choice"
                                         << "FILE:1: answer=2 must be the index (0..1) or the text of one of the "
                                            "choices choices";
    QTest::addRow("answer not a choice") << QByteArray(R"({"prompt": "q", "choices": ["a", "b"], "answer": "c"})")
                                         << "multiple_choice"
                                         << "FILE:1: answer=\"c\" must be the index (0..1) or the text of one of "
                                            "the choices choices";
    QTest::addRow("choices empty") << QByteArray(R"({"prompt": "q", "choices": [], "answer": 0})") << "multiple_choice"
                                   << "FILE:1: choices=[] must be a non-empty list of answer texts (multiple_choice)";
    QTest::addRow("no completion for generation") << QByteArray("{\"prompt\": \"q\"}\n") << "generation"
                                                  << "FILE:1: completion is missing";
    QTest::addRow("prompt not text") << QByteArray("{\"prompt\": 3, \"completion\": \"a\"}") << "generation"
                                     << "FILE:1: prompt=3 must be a string";
    QTest::addRow("bad json line") << QByteArray("{\"prompt\": \"q\", \"completion\": \"a\"}\n{oops") << "generation"
                                   << "FILE:2: ";
  }
  void dataErrors() {
    QFETCH(QByteArray, lines);
    QFETCH(QString, tasks);
    QFETCH(QString, message);
    const QString path = tmp_.filePath(QStringLiteral("bad-%1.jsonl").arg(QTest::currentDataTag()).replace(' ', '-'));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(lines + "\n");
    f.close();
    EvalDataOptions o;
    o.format = QStringLiteral("prompt_completion");
    o.tasks = tasks.split(',');
    const QString error = errorOf([&] { readEvalRows(path, o); });
    QVERIFY2(error.startsWith(QString(message).replace(QStringLiteral("FILE"), path)), qPrintable(error));
  }

  // ---- a run on the fixture models ----
  void runStoresScoresAndOutputs() {
    const Workspace ws = Workspace::init(tmp_.filePath(QStringLiteral("ws-run")));
    const QString out = tmp_.filePath(QStringLiteral("run"));
    const JobSpec s = spec(qaJob(out));
    const qint64 jobId = JobStore(ws.store()).create(s);
    QStringList messages;
    std::vector<EvalProgress> progress;
    EvalRunOptions o;
    o.store = &ws.store();
    o.jobId = jobId;
    o.message = [&](const QString& m) { messages << m; };
    o.progress = [&](const EvalProgress& p) { progress.push_back(p); };
    const EvalOutcome r = runEvaluation(s, o);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.samples, int64_t(12));  // 6 rows × 2 models
    // Units: 2 models × (LM pass + generation) × 6 rows + the adapter model's fidelity pass.
    QCOMPARE(progress.back().total, int64_t(6 * 5));
    QCOMPARE(progress.back().done, progress.back().total);
    for (size_t i = 1; i < progress.size(); ++i) QVERIFY(progress[i].done >= progress[i - 1].done);
    QVERIFY(messages.first().startsWith(QStringLiteral("loading base (")));

    // The rows: one evaluation per model, in model order, with the dataset registered.
    const EvalStore evals(ws.store());
    const QList<EvaluationRow> rows = evals.evaluations(jobId);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].modelLabel, QStringLiteral("base"));
    QCOMPARE(rows[1].modelLabel, QStringLiteral("base+lora"));
    QVERIFY(rows[0].datasetId > 0);
    QCOMPARE(DatasetStore(ws.store()).get(rows[0].datasetId).path, evalData("qa.jsonl"));
    for (const EvaluationRow& e : rows) {
      QCOMPARE(e.metrics.value("samples").toInt(), 6);
      QVERIFY(e.metrics.value("complete").toBool());
      for (const char* k : {"perplexity", "next_token_accuracy", "tokens", "exact_match", "token_f1", "bleu", "chrf",
                            "rouge1", "rouge2", "rougeL", "first_token_ms", "ms_per_token", "tokens_per_s",
                            "new_tokens", "size_on_disk_bytes", "memory_bytes"})
        QVERIFY2(e.metrics.value(k).isDouble(), k);
      QVERIFY(e.metrics.value("tokens_per_s").toDouble() > 0);
      QCOMPARE(evals.sampleCount(e.id), qint64(6));
    }
    QVERIFY(!rows[0].metrics.contains("fidelity"));  // the baseline
    QVERIFY(rows[1].metrics.value("size_on_disk_bytes").toDouble() >
            rows[0].metrics.value("size_on_disk_bytes").toDouble());
    const QJsonObject f = rows[1].metrics.value("fidelity").toObject();
    QCOMPARE(f.value("baseline").toString(), QStringLiteral("base"));
    QCOMPARE(f.value("accuracy_metric").toString(), QStringLiteral("exact_match"));
    QCOMPARE(f.value("accuracy_base").toDouble(), rows[0].metrics.value("exact_match").toDouble());
    QCOMPARE(f.value("accuracy").toDouble(), rows[1].metrics.value("exact_match").toDouble());
    QCOMPARE(f.value("pass").toBool(), f.value("accuracy_drop").toDouble() < 0.02);
    QCOMPARE(f.value("ppl_base").toDouble(), rows[0].metrics.value("perplexity").toDouble());
    QCOMPARE(f.value("ppl_other").toDouble(), rows[1].metrics.value("perplexity").toDouble());
    QCOMPARE(f.value("tokens").toInt(), rows[0].metrics.value("tokens").toInt());
    QVERIFY(f.value("kld").toObject().value("mean").toDouble() > 0);  // the adapter changes the distributions

    // Per sample: the stored scores are the scoring functions' on the stored output; the perplexity and accuracy
    // those of the model's own logits; the output what generate() answers greedily to the same prompt.
    const Tokenizer tok = Tokenizer::fromDirectory(fixture("tiny-llama"));
    const ExampleRenderer renderer(tok, fixture("tiny-llama"), QStringLiteral("prompt_completion"), false);
    const std::vector<QJsonObject> file = jsonLines(evalData("qa.jsonl"));
    for (int k = 0; k < 2; ++k) {
      LoadedModel lm = loadModel(fixture("tiny-llama"), torch::kFloat32, torch::kCPU);
      if (k == 1) loadAdapter(lm.model, fixture("tiny-llama/lora-adapter"));
      GenerateOptions g;
      g.greedy = true;
      g.repetitionPenalty = 1.0;
      g.maxNewTokens = 12;
      useModelTokenIds(g, lm.config, lm.generation);
      const std::vector<EvalSampleRow> samples = evals.samples(rows[k].id);
      QCOMPARE(samples.size(), size_t(6));
      for (size_t i = 0; i < samples.size(); ++i) {
        const EvalSampleRow& sample = samples[i];
        QCOMPARE(sample.index, qint64(i));
        QCOMPARE(sample.input, file[i].value("prompt").toString());
        QCOMPARE(sample.reference, file[i].value("completion").toString());
        QCOMPARE(sample.scores.value("fields").toObject(), QJsonObject({{"group", file[i].value("group")}}));
        QCOMPARE(sample.scores.value("line").toInt(), int(i) + 1);
        QCOMPARE(sample.scores.value("exact_match").toDouble(), exactMatch(sample.output, {sample.reference}));
        QCOMPARE(sample.scores.value("token_f1").toDouble(), tokenF1(sample.output, {sample.reference}));
        QVERIFY(sample.scores.value("first_token_ms").toDouble() > 0);
        QVERIFY(sample.scores.value("total_ms").toDouble() >= sample.scores.value("first_token_ms").toDouble());

        const Example e = renderer.render(file[i], QStringLiteral("qa.jsonl"), int64_t(i) + 1);
        const auto [ppl, acc] = plainPerplexity(lm.model, e.ids);
        const double stored = sample.scores.value("perplexity").toDouble();
        QVERIFY2(std::fabs(stored - ppl) <= 1e-4 * ppl, qPrintable(QStringLiteral("%1 vs %2").arg(stored).arg(ppl)));
        QCOMPARE(sample.scores.value("next_token_accuracy").toDouble(), acc);
        QCOMPARE(sample.scores.value("tokens").toInt(), int(e.ids.size()) - 1);

        const std::vector<int32_t> prompt = tok.encode(file[i].value("prompt").toString(), true);
        const GenerateResult answer = generate(lm.model, {std::vector<int64_t>(prompt.begin(), prompt.end())}, g);
        std::vector<int32_t> reply(answer.newTokens[0].begin(), answer.newTokens[0].end());
        QCOMPARE(sample.scores.value("new_tokens").toInt(), int(reply.size()));
        if (answer.finished[0]) reply.pop_back();
        QCOMPARE(sample.output, tok.decode(reply, true));
      }
    }

    // The files: results.json with both models, samples.jsonl with every sample row.
    const QJsonObject results = readJsonObject(out + QStringLiteral("/results.json"));
    QVERIFY(results.value("complete").toBool());
    QCOMPARE(results.value("rows").toInt(), 6);
    QCOMPARE(results.value("models_order").toArray(), QJsonArray({"base", "base+lora"}));
    QCOMPARE(results.value("models").toObject().value("base+lora").toObject(), rows[1].metrics);
    const std::vector<QJsonObject> lines = jsonLines(out + QStringLiteral("/samples.jsonl"));
    QCOMPARE(lines.size(), size_t(12));
    QCOMPARE(lines[6].value("model").toString(), QStringLiteral("base+lora"));
    QCOMPARE(lines[6].value("output").toString(), evals.samples(rows[1].id)[0].output);

    // Run again: the job's rows are replaced, not added to.
    runEvaluation(s, o);
    QCOMPARE(evals.evaluations(jobId).size(), 2);
  }

  void multipleChoiceRun() {
    const QString out = tmp_.filePath(QStringLiteral("mc"));
    const JobSpec s = spec({{"kind", "eval"},
                            {"models", QJsonArray{QJsonObject{{"label", "base"}, {"path", fixture("tiny-llama")}}}},
                            {"data", QJsonObject{{"test", evalData("choices.jsonl")}, {"format", "prompt_completion"}}},
                            {"eval", QJsonObject{{"tasks", QJsonArray{"multiple_choice"}}}},
                            {"output", out}});
    const EvalOutcome r = runEvaluation(s, {});
    const QJsonObject m = r.results.value("models").toObject().value("base").toObject();
    const std::vector<QJsonObject> lines = jsonLines(out + QStringLiteral("/samples.jsonl"));
    QCOMPARE(lines.size(), size_t(3));
    int correct = 0;
    for (const QJsonObject& l : lines) {
      const QJsonObject sc = l.value("scores").toObject();
      QVERIFY(sc.value("mc_predicted").isDouble());
      correct += sc.value("mc_correct").toBool();
      QCOMPARE(l.value("output").toString(), QString());  // nothing generated
    }
    QCOMPARE(m.value("mc_accuracy").toDouble(), correct / 3.0);
    QVERIFY(m.value("mc_accuracy_norm").isDouble());
  }

  // ---- bad input: refused before any model is loaded ----
  void badInput_data() {
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("message");
    QTest::addRow("missing model folder") << "model"
                                          << "%1/no-such-model: models[1].path does not exist";
    QTest::addRow("not a model folder") << "folder"
                                        << "%1: models[1].path is not a model folder (no config.json)";
    QTest::addRow("missing adapter") << "adapter"
                                     << "%1/no-adapter: models[1].adapter does not exist";
    QTest::addRow("empty dataset") << "data"
                                   << "%1/empty.jsonl: data.test has no rows to evaluate";
    QTest::addRow("missing dataset") << "nodata"
                                     << "%1/none.jsonl: cannot be read";
  }
  void badInput() {
    QFETCH(QString, what);
    QFETCH(QString, message);
    const QString dir = tmp_.filePath(QStringLiteral("bad-") + what);
    QVERIFY(QDir().mkpath(dir));
    QJsonObject job = qaJob(dir + QStringLiteral("/out"));
    QJsonArray models = fixtureModels();
    QJsonObject second = models[1].toObject();
    QJsonObject data = job.value("data").toObject();
    if (what == QLatin1String("model")) second.insert("path", QString(dir + QStringLiteral("/no-such-model")));
    if (what == QLatin1String("folder")) second.insert("path", dir);
    if (what == QLatin1String("adapter")) second.insert("adapter", QString(dir + QStringLiteral("/no-adapter")));
    if (what == QLatin1String("data")) {
      QFile f(dir + QStringLiteral("/empty.jsonl"));
      QVERIFY(f.open(QIODevice::WriteOnly));
      data.insert("test", f.fileName());
    }
    if (what == QLatin1String("nodata")) data.insert("test", QString(dir + QStringLiteral("/none.jsonl")));
    models[1] = second;
    job.insert("models", models);
    job.insert("data", data);
    const Workspace ws = Workspace::init(dir + QStringLiteral("/ws"));
    const JobSpec s = spec(job);
    const qint64 jobId = JobStore(ws.store()).create(s);
    QStringList messages;
    EvalRunOptions o;
    o.store = &ws.store();
    o.jobId = jobId;
    o.message = [&](const QString& m) { messages << m; };
    const QString error = errorOf([&] { runEvaluation(s, o); });
    QVERIFY2(error.startsWith(message.arg(dir)), qPrintable(error));
    QVERIFY2(messages.isEmpty(), qPrintable(messages.join('\n')));  // no model was loaded
    QVERIFY(EvalStore(ws.store()).evaluations(jobId).isEmpty());
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/out/results.json")));

    // As a job: failed with that error, never thrown.
    JobContext ctx;
    ctx.store = &ws.store();
    ctx.jobId = jobId;
    const TrainResult r = runJob(s, ctx);
    QCOMPARE(r.status, TrainStatus::Failed);
    QCOMPARE(r.error, error);
  }

  // ---- as a job of the runner ----
  void runnerFinishes() {
    const Workspace ws = Workspace::init(tmp_.filePath(QStringLiteral("ws-runner")));
    JobRunner runner(ws.store());
    const qint64 id = runner.enqueue(spec(qaJob(tmp_.filePath(QStringLiteral("runner")), 4)));
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 120000);
    const JobSnapshot s = runner.snapshot(id);
    QCOMPARE(s.status, JobStatus::Succeeded);
    QCOMPARE(s.progress(), 1.0);
    QVERIFY(s.tokensPerSecond > 0);
    const JobRow row = JobStore(ws.store()).job(id);
    QCOMPARE(row.kind, QStringLiteral("eval"));
    QCOMPARE(row.progress, 1.0);
    QCOMPARE(EvalStore(ws.store()).evaluations(id).size(), 2);
    const QJsonObject state = readJsonObject(row.outputDir + QStringLiteral("/state.json"));
    QCOMPARE(state.value("status").toString(), QStringLiteral("finished"));
    QCOMPARE(state.value("kind").toString(), QStringLiteral("eval"));
    QCOMPARE(state.value("samples").toInt(), 12);
    QCOMPARE(state.value("steps").toInt(), state.value("total_steps").toInt());
    QVERIFY(JobStore(ws.store()).metricNames(id).isEmpty());  // results live in evaluations, not metrics
  }

  void runnerCancelKeepsFinishedSamples() {
    const Workspace ws = Workspace::init(tmp_.filePath(QStringLiteral("ws-cancel")));
    JobRunner runner(ws.store());
    // Long answers so the run is still generating when the cancel comes.
    QJsonObject job = qaJob(tmp_.filePath(QStringLiteral("cancel")), 200);
    QJsonObject eval = job.value("eval").toObject();
    eval.insert("tasks", QJsonArray{"generation"});
    job.insert("eval", eval);
    const qint64 id = runner.enqueue(spec(job));
    const EvalStore evals(ws.store());
    QTRY_VERIFY_WITH_TIMEOUT(!evals.evaluations(id).isEmpty() && evals.sampleCount(evals.evaluations(id)[0].id) >= 1,
                             60000);
    QVERIFY(runner.cancel(id));
    QTRY_VERIFY_WITH_TIMEOUT(runner.isIdle(), 60000);
    QCOMPARE(runner.snapshot(id).status, JobStatus::Cancelled);
    QCOMPARE(JobStore(ws.store()).job(id).status, JobStatus::Cancelled);
    const QList<EvaluationRow> rows = evals.evaluations(id);
    QCOMPARE(rows.size(), 1);  // the second model never started
    const qint64 kept = evals.sampleCount(rows[0].id);
    QVERIFY2(kept >= 1 && kept < 6, qPrintable(QString::number(kept)));
    QCOMPARE(rows[0].metrics.value("complete").toBool(), false);
    QCOMPARE(rows[0].metrics.value("samples").toInt(), int(kept));
    const QString out = JobStore(ws.store()).job(id).outputDir;
    QCOMPARE(readJsonObject(out + QStringLiteral("/results.json")).value("complete").toBool(), false);
    QCOMPARE(jsonLines(out + QStringLiteral("/samples.jsonl")).size(), size_t(kept));
    QCOMPARE(readJsonObject(out + QStringLiteral("/state.json")).value("status").toString(),
             QStringLiteral("cancelled"));
  }

  // ---- the command ----
  void cliEvalJobFile() {
    const QString ws = tmp_.filePath(QStringLiteral("ws-cli"));
    Workspace::init(ws);
    QJsonObject job = qaJob(tmp_.filePath(QStringLiteral("cli")), 4);
    const QString path = tmp_.filePath(QStringLiteral("cli-job.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(job).toJson());
    f.close();
    const CliResult r = runCli({"--json", "eval", path, "--workspace", ws});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value("status").toString(), QStringLiteral("succeeded"));
    QCOMPARE(o.value("models").toObject().keys(), QStringList({"base", "base+lora"}));
    QVERIFY(o.value("models").toObject().value("base").toObject().value("exact_match").isDouble());
    QVERIFY(o.value("job").toInt() > 0);

    // People get a table: a row per model.
    const CliResult table = runCli({"eval", path});
    QVERIFY2(table.code == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains(QStringLiteral("\nbase+lora ")), qPrintable(table.out));
    QVERIFY2(table.out.contains(QStringLiteral("vs base: ")), qPrintable(table.out));
  }

  void cliQuickForm() {
    const QString out = tmp_.filePath(QStringLiteral("quick"));
    const CliResult r =
        runCli({"--json", "eval", "--model", "llama=" + fixture("tiny-llama"), "--data", evalData("qa.jsonl"),
                "--format", "prompt_completion", "--tasks", "generation", "--metrics", "exact_match", "--max-samples",
                "2", "--max-new-tokens", "3", "--output", out});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const QJsonObject m =
        QJsonDocument::fromJson(r.out.toUtf8()).object().value("models").toObject().value("llama").toObject();
    QCOMPARE(m.value("samples").toInt(), 2);
    QVERIFY(m.contains("exact_match"));
    QVERIFY(!m.contains("bleu"));
    QCOMPARE(jsonLines(out + QStringLiteral("/samples.jsonl")).size(), size_t(2));
  }

  void cliErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("nothing") << QStringList{"eval"} << 2 << "expected one JOB.json, or --model and --data";
    QTest::addRow("no data") << QStringList{"eval", "--model", "/m"} << 2 << "--data FILE is missing";
    QTest::addRow("training job") << QStringList{"eval", testDataDir() + "/jobs/lora_job.json"} << 2
                                  << "kind=lora is a training job: run it with distillery-cli train";
    QTest::addRow("option with a job file") << QStringList{"eval", "job.json", "--tasks", "generation"} << 2
                                            << "--tasks=generation is for the form without a job file";
    QTest::addRow("adapter for no model") << QStringList{"eval", "--model", "a=/m", "--adapter", "b=/x", "--data", "/d"}
                                          << 2 << "--adapter=b=/x names no --model label (labels: a)";
    QTest::addRow("bad task") << QStringList{"eval", "--model", "/m", "--data", "/d", "--tasks", "bleu"} << 1
                              << "command line: eval.tasks=[\"bleu\"] has \"bleu\"";
  }
  void cliErrors() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const CliResult r = runCli(args);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.code, code);  // 2: wrong usage; 1: a job the command line describes that JobSpec refuses
  }

 private:
  QTemporaryDir tmp_;
};

QTEST_GUILESS_MAIN(TestEvalJob)
#include "tst_eval_job.moc"
