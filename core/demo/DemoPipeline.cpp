#include "demo/DemoPipeline.h"

#include "checkpoint/JsonFile.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/FileHash.h"
#include "demo/DemoData.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "model/ModelLoader.h"
#include "model/ModelSaver.h"
#include "model/StudentInit.h"
#include "quant/QuantizeModel.h"
#include "store/DatasetStore.h"
#include "store/ModelStore.h"
#include "store/StudySources.h"
#include "store/StudyStore.h"
#include "store/Workspace.h"
#include "train/Trainer.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <random>

namespace distillery {

namespace {

const char* const kDoneKey = "demo.done";  // meta: the titles of the finished steps, one per line

struct Paths {
  QString root;  // <workspace>/demo
  QString path(const QString& rel) const { return QDir(root).filePath(rel); }
  QString data() const { return path(QStringLiteral("data")); }
  QString base() const { return path(QStringLiteral("models/base")); }
  QString teacher() const { return path(QStringLiteral("models/teacher")); }
  QString studentInit() const { return path(QStringLiteral("models/student-init")); }
  QString student() const { return path(QStringLiteral("models/student")); }
  QString lora() const { return path(QStringLiteral("models/student-lora")); }
  QString int8() const { return path(QStringLiteral("models/student-int8")); }
  QString int4() const { return path(QStringLiteral("models/student-int4")); }
  QString job(const QString& name) const { return path(QStringLiteral("jobs/%1.json").arg(name)); }
  QString run(const QString& name) const { return path(QStringLiteral("runs/%1").arg(name)); }
};

class Demo {
 public:
  Demo(const DemoOptions& o, const Workspace& ws) : o_(o), ws_(ws), paths_{QDir(ws.root()).filePath(QStringLiteral("demo"))} {}

  DemoResult run() {
    const QStringList titles = demoStepTitles();
    const QStringList done = ws_.store().meta(QString::fromLatin1(kDoneKey)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    r_.alreadyBuilt = done.size() >= titles.size();
    const std::function<void()> steps[] = {[this] { makeData(); },    [this] { makeBase(); },
                                           [this] { trainTeacher(); }, [this] { distill(); },
                                           [this] { tuneLora(); },     [this] { quantize(); },
                                           [this] { evaluate(); },     [this] { makeStudies(); }};
    recallIds();
    for (int i = 0; i < titles.size(); ++i) {
      if (done.contains(titles[i])) continue;
      if (o_.cancel && o_.cancel->load()) {
        r_.cancelled = true;
        return r_;
      }
      step_ = i + 1;
      title_ = titles[i];
      report(0, 0);
      try {
        steps[i]();
      } catch (const Error& e) {
        throw Error(QStringLiteral("demo step \"%1\" failed: %2").arg(title_, e.message()));
      }
      if (r_.cancelled) return r_;
      QStringList now = ws_.store().meta(QString::fromLatin1(kDoneKey)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
      now << title_;
      ws_.store().setMeta(QString::fromLatin1(kDoneKey), now.join(QLatin1Char('\n')));
      r_.done << title_;
    }
    return r_;
  }

 private:
  void report(int64_t doneNow, int64_t total) {
    if (o_.progress) o_.progress({step_, int(demoStepTitles().size()), title_, doneNow, total});
  }

  // Job ids of earlier runs (meta demo.job.<name>), so a resumed demo still reports them.
  void recallIds() {
    auto id = [&](const char* name) { return ws_.store().meta(QStringLiteral("demo.job.%1").arg(QLatin1String(name))).toLongLong(); };
    r_.teacherJob = id("teacher");
    r_.distillJob = id("distill");
    r_.loraJob = id("lora");
    r_.evalJob = id("eval");
    r_.pairwiseStudy = ws_.store().meta(QStringLiteral("demo.study.pairwise")).toLongLong();
    r_.rubricStudy = ws_.store().meta(QStringLiteral("demo.study.rubric")).toLongLong();
  }

  void makeData() {
    const DemoDataFiles f = writeDemoData(paths_.data(), o_.seed);
    const DatasetStore datasets(ws_.store());
    const QJsonObject settings{{QStringLiteral("operation"), QStringLiteral("demo")},
                               {QStringLiteral("seed"), qint64(o_.seed)}};
    for (const auto& [name, path, rows] : {std::tuple{QStringLiteral("demo words: train"), f.train, f.trainRows},
                                           std::tuple{QStringLiteral("demo words: validation"), f.validation, f.validationRows},
                                           std::tuple{QStringLiteral("demo words: test"), f.test, f.testRows}}) {
      DatasetRow row;
      row.name = name;
      row.path = path;
      row.schema = QStringLiteral("prompt_completion");
      row.rows = rows;
      row.sha256 = fileSha256(path);
      row.settings = settings;
      datasets.addOrFind(row);
    }
  }

  void makeBase() {
    // Teacher shape: 4 layers of width 128 (~0.8M parameters): trains in about a minute on two CPU cores.
    writeDemoTokenizer(paths_.base());
    createFreshModel(demoModelConfig(128, 4, 4, 352), paths_.base(), QString(), o_.seed);
  }

  QJsonObject trainSection(int steps, double lr, int evalEvery) const {
    return {{"max_steps", steps},   {"batch_size", 16},        {"seq_len", 48},        {"lr", lr},
            {"warmup_steps", 10},   {"scheduler", "cosine"},   {"seed", qint64(o_.seed)}, {"eval_every", evalEvery},
            {"save_every", 0},      {"log_every", 2},          {"patience", 0}};
  }

  QJsonObject dataSection(bool responsesOnly) const {
    return {{"train", QDir(paths_.data()).filePath(QStringLiteral("train.jsonl"))},
            {"validation", QDir(paths_.data()).filePath(QStringLiteral("validation.jsonl"))},
            {"format", "prompt_completion"},
            {"responses_only", responsesOnly}};
  }

  // Writes the job file (users can open it, or run it with distillery-cli train), registers it and runs it here.
  qint64 runJobFile(const QString& name, const QJsonObject& json) {
    const QString file = paths_.job(name);
    QDir().mkpath(QFileInfo(file).path());
    writeFileAtomically(file, QJsonDocument(json).toJson(QJsonDocument::Indented));
    const JobSpec spec = JobSpec::fromFile(file);
    const JobStore jobs(ws_.store());
    const qint64 id = jobs.create(spec, json);
    ws_.store().setMeta(QStringLiteral("demo.job.%1").arg(name), QString::number(id));
    TrainControl control;
    std::atomic_bool* cancel = o_.cancel;
    control.progress = [this, cancel](int64_t step, int64_t total) {
      report(step, total);
      return !(cancel && cancel->load());
    };
    const JobOutcome out = executeJob(ws_.store(), id, spec, false, control, nullptr, defaultJobFunction());
    if (out.status == JobStatus::Cancelled) r_.cancelled = true;
    else if (out.status != JobStatus::Succeeded)
      throw Error(QStringLiteral("job %1 (%2) %3: %4").arg(id).arg(file, jobStatusName(out.status), out.error));
    return id;
  }

  void trainTeacher() {
    QDir(paths_.teacher()).removeRecursively();  // a cancelled earlier try starts over
    r_.teacherJob = runJobFile(QStringLiteral("teacher"),
                               {{"kind", "full_ft"},
                                {"name", "Demo teacher: trained from scratch"},
                                {"student", paths_.base()},
                                {"data", dataSection(false)},
                                {"train", trainSection(o_.teacherSteps, 3e-3, 50)},
                                {"device", "cpu"},
                                {"output", paths_.teacher()}});
    ModelStore(ws_.store()).addFolder(paths_.teacher(), ModelRole::Teacher, QStringLiteral("demo teacher (4 layers)"));
  }

  void distill() {
    QDir(paths_.studentInit()).removeRecursively();
    QDir(paths_.student()).removeRecursively();
    StudentSpec s;
    s.layers = 2;  // layers 0 and 3 of the teacher (uniform selection keeps the first and the last)
    s.seed = o_.seed;
    initStudent(paths_.teacher(), paths_.studentInit(), s);
    r_.distillJob = runJobFile(
        QStringLiteral("distill"),
        {{"kind", "distill"},
         {"name", "Demo: distil the teacher into 2 layers"},
         {"teacher", paths_.teacher()},
         {"student", paths_.studentInit()},
         {"data", dataSection(false)},
         {"kd", QJsonObject{{"loss", "forward_kl"},
                            {"temperature", 2.0},
                            {"alpha", 0.5},
                            {"temperature_schedule", QJsonObject{{"kind", "stages"}, {"start", 3.0}, {"stages", 3}, {"per_stage", -0.8}}},
                            {"alpha_schedule", QJsonObject{{"kind", "stages"}, {"start", 0.5}, {"stages", 3}, {"per_stage", 0.15}}}}},
         {"train", trainSection(o_.distillSteps, 2e-3, 50)},
         {"device", "cpu"},
         {"output", paths_.student()}});
    ModelStore(ws_.store()).addFolder(paths_.student(), ModelRole::Student, QStringLiteral("demo student (2 layers)"));
  }

  void tuneLora() {
    QDir(paths_.lora()).removeRecursively();
    r_.loraJob = runJobFile(QStringLiteral("lora"),
                            {{"kind", "lora"},
                             {"name", "Demo: LoRA on the student's answers"},
                             {"student", paths_.student()},
                             {"data", dataSection(true)},
                             {"lora", QJsonObject{{"r", 8}, {"alpha", 16}, {"dropout", 0.0},
                                                  {"target_modules", QJsonArray{"all-linear"}}}},
                             {"train", trainSection(o_.loraSteps, 5e-3, 20)},
                             {"device", "cpu"},
                             {"output", paths_.lora()}});
  }

  void quantize() {
    for (const auto& [scheme, dir] : {std::pair{QStringLiteral("int8"), paths_.int8()},
                                      std::pair{QStringLiteral("int4-g32"), paths_.int4()}}) {
      QDir(dir).removeRecursively();
      LoadedModel m = loadModel(paths_.student(), torch::kFloat32, torch::kCPU);
      QuantConfig c;
      c.scheme = QuantScheme::parse(scheme, {}, QStringLiteral("scheme"));
      quantizeModel(m.model, c);
      QJsonObject config = readJsonObject(m.config.path);
      config.insert(QStringLiteral("quantization_config"), c.toJson());
      SaveOptions save;
      save.dtype = torch::kFloat32;
      saveModel(m.model, config, dir, paths_.student(), save);
      ModelStore(ws_.store()).addFolder(dir, ModelRole::Other, QStringLiteral("demo student %1").arg(scheme));
    }
  }

  void evaluate() {
    auto model = [](const char* label, const QString& path, const QString& adapter = {}) {
      QJsonObject m{{"label", label}, {"path", path}};
      if (!adapter.isEmpty()) m.insert(QStringLiteral("adapter"), adapter);
      return m;
    };
    r_.evalJob = runJobFile(
        QStringLiteral("eval"),
        {{"kind", "eval"},
         {"name", "Demo: teacher, student, LoRA and quantized side by side"},
         {"models", QJsonArray{model("teacher", paths_.teacher()), model("student", paths_.student()),
                               model("student+lora", paths_.student(), paths_.lora()),
                               model("student-int8", paths_.int8()), model("student-int4", paths_.int4())}},
         {"data", QJsonObject{{"test", QDir(paths_.data()).filePath(QStringLiteral("test.jsonl"))},
                              {"format", "prompt_completion"}}},
         {"eval", QJsonObject{{"tasks", QJsonArray{"perplexity", "next_token_accuracy", "generation"}},
                              {"metrics", QJsonArray{"exact_match", "token_f1", "chrf"}},
                              {"max_new_tokens", 12},
                              {"max_samples", o_.evalSamples},
                              {"seq_len", 64},
                              {"baseline", "student"},
                              {"max_accuracy_drop", 0.02}}},
         {"device", "cpu"},
         {"output", paths_.run(QStringLiteral("eval"))}});
  }

  void makeStudies() {
    const StudyStore studies(ws_.store());
    const std::vector<qint64> evaluations = evaluationsOfJob(ws_.store(), r_.evalJob);
    // Pairwise: teacher, student and student+LoRA (the first three evaluations), rated by two simulated raters
    // who prefer the answer that matches the reference, disagreeing now and then (seeded), so agreement and
    // rankings have something to show.
    ItemSourceOptions pick;
    pick.models = {QStringLiteral("teacher"), QStringLiteral("student"), QStringLiteral("student+lora")};
    pick.maxSamples = 8;
    pick.seed = o_.seed;
    const ItemSource pairs = itemsFromEvaluations(ws_.store(), evaluations, StudyKind::Pairwise, pick);
    StudySpec spec;
    spec.name = QStringLiteral("Demo: blind A/B of three models");  // names would unblind the raters
    spec.kind = StudyKind::Pairwise;
    spec.seed = o_.seed;
    spec.source = pairs.source;
    r_.pairwiseStudy = studies.create(spec, pairs.items);
    ws_.store().setMeta(QStringLiteral("demo.study.pairwise"), QString::number(r_.pairwiseStudy));
    const std::map<std::pair<qint64, qint64>, QJsonObject> scores =
        sampleScores(ws_.store(), studies.items(r_.pairwiseStudy));
    auto exact = [&](qint64 evaluation, qint64 sample) {
      const auto it = scores.find({evaluation, sample});
      return it == scores.end() ? 0.0 : it->second.value(QStringLiteral("token_f1")).toDouble();
    };
    std::mt19937_64 rng(o_.seed + 7);
    std::vector<RatingUpdate> updates;
    for (const QString& rater : {QStringLiteral("simulated rater 1"), QStringLiteral("simulated rater 2")})
      for (const StudyItem& it : studies.items(r_.pairwiseStudy)) {
        const double a = exact(it.evaluationA, it.sampleIndex), b = exact(it.evaluationB, it.sampleIndex);
        Choice c = a > b ? Choice::A : b > a ? Choice::B : (a > 0 ? Choice::Tie : Choice::BothBad);
        if (rng() % 8 == 0) c = c == Choice::A ? Choice::B : c == Choice::B ? Choice::Tie : Choice::A;  // noise
        RatingUpdate u;
        u.itemId = it.id;
        u.rater = rater;
        u.choice = c;
        u.comment = QStringLiteral("simulated by the demo");
        u.where = QStringLiteral("demo");
        updates.push_back(u);
      }
    studies.save(r_.pairwiseStudy, updates);

    // Rubric: the student's answers, for the user to rate in the rater view.
    ItemSourceOptions student;
    student.models = {QStringLiteral("student")};
    student.maxSamples = 10;
    student.seed = o_.seed;
    const ItemSource rubricItems = itemsFromEvaluations(ws_.store(), evaluations, StudyKind::Rubric, student);
    StudySpec rubric;
    rubric.name = QStringLiteral("Demo: rate one model's answers");
    rubric.kind = StudyKind::Rubric;
    rubric.seed = o_.seed;
    rubric.source = rubricItems.source;
    r_.rubricStudy = studies.create(rubric, rubricItems.items);
    ws_.store().setMeta(QStringLiteral("demo.study.rubric"), QString::number(r_.rubricStudy));
  }

  const DemoOptions& o_;
  const Workspace& ws_;
  Paths paths_;
  DemoResult r_;
  int step_ = 0;
  QString title_;
};

}  // namespace

QStringList demoStepTitles() {
  return {QStringLiteral("Writing the word-task data"),
          QStringLiteral("Making a tokenizer and a random 4-layer model"),
          QStringLiteral("Training the teacher from scratch"),
          QStringLiteral("Distilling the teacher into a 2-layer student"),
          QStringLiteral("LoRA-tuning the student"),
          QStringLiteral("Quantizing the student to INT8 and INT4"),
          QStringLiteral("Evaluating the five models side by side"),
          QStringLiteral("Creating the human-rating studies")};
}

bool demoBuilt(const Workspace& ws) {
  return ws.store().meta(QString::fromLatin1(kDoneKey)).split(QLatin1Char('\n'), Qt::SkipEmptyParts).size() >=
         demoStepTitles().size();
}

DemoResult buildDemo(const DemoOptions& options) {
  const Workspace ws = Workspace::openOrInit(options.workspace, QStringLiteral("Distillery demo"));
  return Demo(options, ws).run();
}

}  // namespace distillery
