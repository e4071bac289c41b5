// Jobs end to end: the job JSON (JobSpec round trip and every refusal), the training data formats rendered and
// masked on the fixtures' tokenizers, and short LoRA / KD / full fine-tuning runs on the fixture models.
#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "train/JobSpec.h"

#include "Fixtures.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <functional>

using namespace distillery;

namespace {

QString errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
  return QStringLiteral("(no error)");
}

QJsonObject json(const char* text) {
  QJsonParseError e;
  const QJsonDocument d = QJsonDocument::fromJson(QByteArray(text), &e);
  if (d.isNull()) qFatal("bad test JSON: %s", qPrintable(e.errorString()));
  return d.object();
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

}  // namespace

class TestJobsTasks : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // ---- JobSpec ----
  void jobSpecRoundTrip_data() {
    QTest::addColumn<QByteArray>("job");
    QTest::addRow("lora minimal") << QByteArray(
        R"({"kind": "lora", "student": "/m/tiny", "data": {"train": "/d/t.jsonl"}, "output": "/o"})");
    QTest::addRow("lora full") << QByteArray(R"({"kind": "lora", "name": "my run", "student": "/m/s",
        "data": {"train": "/d/t.jsonl", "validation": "/d/v.jsonl", "format": "sharegpt", "responses_only": false},
        "lora": {"r": 8, "alpha": 16, "dropout": 0, "target_modules": ["q_proj", "k_proj", "down_proj"], "rslora": true},
        "train": {"max_steps": 10, "batch_size": 2, "grad_accum": 4, "seq_len": 64, "lr": 0.001, "warmup_steps": 0,
                  "scheduler": "linear", "weight_decay": 0.01, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6,
                  "max_grad_norm": 0, "seed": 1234567, "eval_every": 5, "save_every": 0, "log_every": 2,
                  "early_stop_threshold": 0.1, "patience": 0, "max_bad_steps": 3, "dtype": "bfloat16"},
        "device": "cuda:1", "output": "/o"})");
    QTest::addRow("distill everything") << QByteArray(R"({"kind": "distill", "teacher": "/m/t", "student": "/m/s",
        "data": {"train": "/d/t.jsonl", "format": "messages"},
        "kd": {"loss": "jsd", "temperature": 3, "alpha": 0.25, "jsd_beta": 0.1,
               "temperature_schedule": {"kind": "stages", "start": 3.0, "stages": 3, "per_stage": -0.8},
               "alpha_schedule": {"kind": "cosine", "start": 0.5, "end": 0.9},
               "teachers": [{"path": "/m/t2", "weight": 0.5}], "teacher_weight": 2, "chunk_tokens": 256,
               "feature": {"weight": 0.1, "loss": "cosine", "layers": [1, 3]}, "cache": {"top_k": 64, "dir": "/c"}},
        "train": {"trainable": ["layers.1"]}, "device": "cuda", "output": "/o"})");
    QTest::addRow("full_ft subset") << QByteArray(R"({"kind": "full_ft", "student": "/m/s",
        "data": {"train": "/d/t.jsonl", "format": "alpaca"}, "train": {"trainable": ["lm_head", "norm"], "lr": 3e-5},
        "output": "/o"})");
    QTest::addRow("sweep tpe") << QByteArray(R"({"kind": "sweep", "name": "lr sweep",
        "sweep": {"method": "tpe", "trials": 6, "metric": "val_loss",
                  "params": [{"key": "train.lr", "min": 1e-5, "max": 5e-5, "log": true},
                             {"key": "lora.r", "values": [8, 16], "integer": true}],
                  "base": {"kind": "lora", "student": "/m/s", "data": {"train": "/d/t.jsonl"}, "output": "/o"}}})");
  }
  void jobSpecRoundTrip() {
    QFETCH(QByteArray, job);
    const JobSpec a = JobSpec::fromJson(QJsonDocument::fromJson(job).object(), QStringLiteral("job.json"));
    const QJsonObject written = a.toJson();
    const JobSpec b = JobSpec::fromJson(written, QStringLiteral("job.json"));
    QVERIFY2(a == b, QJsonDocument(written).toJson().constData());
    // Writing is stable: the second write equals the first, key for key.
    QCOMPARE(b.toJson(), written);
  }

  void jobSpecValues() {
    const JobSpec s = JobSpec::fromJson(json(R"({"kind": "distill", "teacher": "/m/t", "student": "/m/small",
        "data": {"train": "t.jsonl"}, "kd": {"temperature": 4, "teachers": [{"path": "/m/t2"}]},
        "train": {"lr": 1e-4, "seed": 7}, "output": "o"})"),
                                        "job.json");
    QCOMPARE(s.kind, JobKind::Distill);
    QCOMPARE(s.name, QStringLiteral("distill small"));  // default name: kind + student folder
    QCOMPARE(s.kd.temperature, 4.0);
    QCOMPARE(s.kd.alpha, 0.5);  // defaults fill what is absent
    QCOMPARE(s.kd.extraTeachers.size(), size_t(1));
    QCOMPARE(s.kd.extraTeachers[0].weight, 1.0);
    QCOMPARE(s.train.lr, 1e-4);
    QCOMPARE(s.train.seed, uint64_t(7));
    QCOMPARE(s.train.batchSize, int64_t(8));
    QCOMPARE(s.lora, LoraSpec{});
    QCOMPARE(s.data.format, QStringLiteral("text"));
    // Kind-specific sections are written only for their kind (or when they differ from the defaults).
    QVERIFY(s.toJson().contains("kd"));
    QVERIFY(!s.toJson().contains("lora"));
    QVERIFY(!s.toJson().contains("sweep"));
  }

  void jobSpecErrors_data() {
    QTest::addColumn<QByteArray>("patch");  // merged over a valid lora job, one section deep
    QTest::addColumn<QString>("message");
    const auto row = [](const char* name, const char* patch, const char* message) {
      QTest::addRow("%s", name) << QByteArray(patch) << QString::fromUtf8(message);
    };
    row("unknown top key", R"({"epochs": 3})",
        "job.json: epochs is not a known key (expected one of: kind, name, teacher, student, data, kd, lora, train, "
        "sweep, device, output)");
    row("unknown nested key", R"({"lora": {"rank": 8}})",
        "job.json: lora.rank is not a known key (expected one of: r, alpha, dropout, target_modules, rslora)");
    row("unknown schedule key", R"({"kd": {"temperature_schedule": {"kind": "linear", "stop": 1}}})",
        "job.json: kd.temperature_schedule.stop is not a known key (expected one of: kind, start, end, stages, "
        "per_stage)");
    row("missing kind", R"({"kind": null})", "job.json: kind is missing");
    row("bad kind", R"({"kind": "pretrain"})",
        "job.json: kind=\"pretrain\" must be one of: distill, lora, full_ft, sweep");
    row("missing student", R"({"student": null})", "job.json: student is missing");
    row("empty student", R"({"student": ""})", "job.json: student=\"\" must not be empty");
    row("missing output", R"({"output": null})", "job.json: output is missing");
    row("missing data", R"({"data": null})", "job.json: data is missing");
    row("missing data.train", R"({"data": {"format": "text"}})", "job.json: data.train is missing");
    row("data not object", R"({"data": "t.jsonl"})", "job.json: data=\"t.jsonl\" must be an object");
    row("bad format", R"({"data": {"train": "t", "format": "csv"}})",
        "job.json: data.format=\"csv\" must be one of: text, alpaca, sharegpt, messages, prompt_completion");
    row("responses_only not bool", R"({"data": {"train": "t", "responses_only": 1}})",
        "job.json: data.responses_only=1 must be true or false");
    row("distill without teacher", R"({"kind": "distill"})", "job.json: teacher is missing");
    row("temperature zero", R"({"kd": {"temperature": 0}})", "job.json: kd.temperature=0 must be > 0");
    row("temperature string", R"({"kd": {"temperature": "2"}})", "job.json: kd.temperature=\"2\" must be a number");
    row("kd alpha above 1", R"({"kd": {"alpha": 1.5}})", "job.json: kd.alpha=1.5 must be between 0 and 1");
    row("jsd beta negative", R"({"kd": {"jsd_beta": -0.1}})", "job.json: kd.jsd_beta=-0.1 must be between 0 and 1");
    row("bad kd loss", R"({"kd": {"loss": "kl"}})",
        "job.json: kd.loss=\"kl\" must be one of: forward_kl, reverse_kl, jsd");
    row("stages reach zero",
        R"({"kd": {"temperature_schedule": {"kind": "stages", "start": 3, "stages": 5, "per_stage": -0.8}}})",
        "job.json: kd.temperature_schedule.per_stage=-0.8 makes the last stage's value -0.2; the temperature must stay "
        "> 0");
    row("alpha schedule out of range", R"({"kd": {"alpha_schedule": {"kind": "linear", "start": 0.5, "end": 2}}})",
        "job.json: kd.alpha_schedule.end=2 alpha must stay between 0 and 1");
    row("bad schedule kind", R"({"kd": {"alpha_schedule": {"kind": "step"}}})",
        "job.json: kd.alpha_schedule.kind=\"step\" must be one of: constant, linear, cosine, stages");
    row("teacher without path", R"({"kd": {"teachers": [{"weight": 1}]}})", "job.json: kd.teachers[0].path is missing");
    row("teacher not object", R"({"kd": {"teachers": ["/m/t2"]}})",
        "job.json: kd.teachers[0]=\"/m/t2\" must be an object {path, weight}");
    row("teacher weight zero", R"({"kd": {"teachers": [{"path": "/t", "weight": 0}]}})",
        "job.json: kd.teachers[0].weight=0 must be > 0");
    row("chunk tokens zero", R"({"kd": {"chunk_tokens": 0}})", "job.json: kd.chunk_tokens=0 must be ≥ 1");
    row("feature loss", R"({"kd": {"feature": {"loss": "l1"}}})",
        "job.json: kd.feature.loss=\"l1\" must be one of: mse, cosine");
    row("feature layers", R"({"kd": {"feature": {"layers": [1, -2]}}})",
        "job.json: kd.feature.layers=[1,-2] must be a list of layer indices (integers ≥ 0)");
    row("cache top_k negative", R"({"kd": {"cache": {"top_k": -1}}})", "job.json: kd.cache.top_k=-1 must be ≥ 0");
    row("lora r zero", R"({"lora": {"r": 0}})", "job.json: lora.r=0 must be between 1 and 65536");
    row("lora r fraction", R"({"lora": {"r": 8.5}})", "job.json: lora.r=8.5 must be an integer");
    row("lora alpha negative", R"({"lora": {"alpha": -16}})", "job.json: lora.alpha=-16 must be > 0");
    row("lora dropout one", R"({"lora": {"dropout": 1}})", "job.json: lora.dropout=1 must be ≥ 0 and < 1");
    row("lora targets empty", R"({"lora": {"target_modules": []}})",
        "job.json: lora.target_modules=[] must name at least one module suffix (or \"all-linear\"), none empty");
    row("lora targets not strings", R"({"lora": {"target_modules": "q_proj"}})",
        "job.json: lora.target_modules=\"q_proj\" must be a list of strings");
    row("lr zero", R"({"train": {"lr": 0}})", "job.json: train.lr=0 must be > 0");
    row("lr string", R"({"train": {"lr": "fast"}})", "job.json: train.lr=\"fast\" must be a number");
    row("batch fraction", R"({"train": {"batch_size": 2.5}})", "job.json: train.batch_size=2.5 must be an integer");
    row("batch zero", R"({"train": {"batch_size": 0}})", "job.json: train.batch_size=0 must be ≥ 1");
    row("seq_len one", R"({"train": {"seq_len": 1}})", "job.json: train.seq_len=1 must be ≥ 2");
    row("warmup negative", R"({"train": {"warmup_steps": -1}})", "job.json: train.warmup_steps=-1 must be ≥ 0");
    row("scheduler", R"({"train": {"scheduler": "step"}})",
        "job.json: train.scheduler=\"step\" must be one of: cosine, linear, constant");
    row("beta2 one", R"({"train": {"beta2": 1}})", "job.json: train.beta2=1 must be ≥ 0 and < 1");
    row("seed negative", R"({"train": {"seed": -3}})", "job.json: train.seed=-3 must be ≥ 0");
    row("dtype", R"({"train": {"dtype": "float16"}})",
        "job.json: train.dtype=\"float16\" must be one of: auto, float32, bfloat16");
    row("device gpu", R"({"device": "gpu"})", "job.json: device=\"gpu\" must be cpu, cuda or cuda:N");
    row("device cuda letters", R"({"device": "cuda:x"})", "job.json: device=\"cuda:x\" must be cpu, cuda or cuda:N");
    row("sweep on lora", R"({"sweep": {"method": "grid"}})",
        "job.json: sweep={\"method\":\"grid\"} is only for kind sweep");
    row("sweep without base", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr", "values": [1]}]}})",
        "job.json: sweep.base is missing");
    row("sweep base error", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr", "values": [1]}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o", "train": {"lr": -1}}}})",
        "job.json: sweep.base.train.lr=-1 must be > 0");
    row("sweep of sweeps", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr", "values": [1]}],
        "base": {"kind": "sweep", "sweep": {"params": [{"key": "train.lr", "values": [1]}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}}}})",
        "job.json: sweep.base.kind=\"sweep\" must be distill, lora or full_ft (sweeps do not nest)");
    row("sweep unknown key", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.epochs", "values": [1]}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}})",
        "job.json: sweep.params[0].key=\"train.epochs\" must be one of: kd.temperature, kd.alpha, kd.jsd_beta, "
        "kd.teacher_weight, kd.chunk_tokens, lora.r, lora.alpha, lora.dropout, train.max_steps, train.batch_size, "
        "train.grad_accum, train.seq_len, train.lr, train.warmup_steps, train.weight_decay, train.beta1, "
        "train.beta2, train.eps, train.max_grad_norm, train.seed");
    row("sweep range reversed",
        R"({"kind": "sweep", "sweep": {"method": "tpe", "params": [{"key": "train.lr", "min": 1, "max": 0.5}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}})",
        "job.json: sweep.params[0].max=0.5 must be greater than min (1)");
    row("sweep grid range", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr", "min": 0.1, "max": 0.5}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}})",
        "job.json: sweep.params[0].min=0.1 a grid sweep needs values, not a range");
    row("sweep log of zero",
        R"({"kind": "sweep", "sweep": {"method": "tpe", "params": [{"key": "train.lr", "min": 0, "max": 1, "log": true}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}})",
        "job.json: sweep.params[0].min=0 must be > 0 for a log scale");
    row("sweep param without values", R"({"kind": "sweep", "sweep": {"params": [{"key": "train.lr"}],
        "base": {"kind": "lora", "student": "s", "data": {"train": "t"}, "output": "o"}}})",
        "job.json: sweep.params[0] needs values, or min and max");
  }
  void jobSpecErrors() {
    QFETCH(QByteArray, patch);
    QFETCH(QString, message);
    QJsonObject job = json(R"({"kind": "lora", "student": "/m/s", "data": {"train": "/d/t.jsonl"}, "output": "/o"})");
    const QJsonObject p = QJsonDocument::fromJson(patch).object();
    QVERIFY(!p.isEmpty());
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (it->isNull())
        job.remove(it.key());
      else
        job.insert(it.key(), *it);
    }
    QCOMPARE(errorOf([&] { JobSpec::fromJson(job, QStringLiteral("job.json")); }), message);
  }

  void jobSpecFromFileResolvesPaths() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir(dir.path()).mkpath(QStringLiteral("jobs"));
    const QString path = dir.filePath(QStringLiteral("jobs/job.json"));
    writeFile(path, R"({"kind": "distill", "teacher": "../models/t", "student": "/abs/s",
        "data": {"train": "data/train.jsonl", "validation": "v.jsonl"},
        "kd": {"teachers": [{"path": "t2"}], "cache": {"top_k": 4, "dir": "cache"}}, "output": "out"})");
    const JobSpec s = JobSpec::fromFile(path);
    QCOMPARE(s.teacher, dir.filePath(QStringLiteral("models/t")));
    QCOMPARE(s.student, QStringLiteral("/abs/s"));
    QCOMPARE(s.data.train, dir.filePath(QStringLiteral("jobs/data/train.jsonl")));
    QCOMPARE(s.data.validation, dir.filePath(QStringLiteral("jobs/v.jsonl")));
    QCOMPARE(s.kd.extraTeachers.at(0).path, dir.filePath(QStringLiteral("jobs/t2")));
    QCOMPARE(s.kd.cacheDir, dir.filePath(QStringLiteral("jobs/cache")));
    QCOMPARE(s.output, dir.filePath(QStringLiteral("jobs/out")));
    // A key written twice is refused rather than silently taking the last one.
    writeFile(path, R"({"kind": "lora", "student": "s", "student": "t", "data": {"train": "d"}, "output": "o"})");
    QVERIFY2(errorOf([&] { JobSpec::fromFile(path); }).contains(QStringLiteral("student")),
             qPrintable(errorOf([&] { JobSpec::fromFile(path); })));
  }
};

QTEST_GUILESS_MAIN(TestJobsTasks)
#include "tst_jobs_tasks.moc"
