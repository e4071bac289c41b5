#include "eval/EvalRun.h"

#include "checkpoint/Checkpoint.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/FileHash.h"
#include "eval/EvalData.h"
#include "eval/EvalStore.h"
#include "eval/GenerationEval.h"
#include "eval/LmMetrics.h"
#include "eval/Perturb.h"
#include "eval/Slices.h"
#include "eval/TextMatch.h"
#include "lora/Lora.h"
#include "model/ModelLoader.h"
#include "store/DatasetStore.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <chrono>
#include <cmath>
#include <optional>
#include <thread>

namespace distillery {

namespace {

using Clock = std::chrono::steady_clock;

// One model of the job, checked and with the rows tokenized its way, before anything is loaded.
struct PreparedModel {
  EvalModelSpec spec;
  Tokenizer tokenizer;
  EvalInputs inputs;
  std::vector<EvalInputs> perturbed;  // per eval.perturbations entry: the perturbed prompts tokenized
};

QJsonValue finiteOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

// The rows with their user messages perturbed (the prompt only: system messages, earlier answers, choices and
// references stay as they are), each row seeded by its index.
std::vector<EvalRow> perturbRows(std::vector<EvalRow> rows, const PerturbationSpec& p) {
  for (EvalRow& r : rows) {
    const uint64_t seed = rowSeed(p.seed, r.index);
    if (r.prompt.isEmpty()) {  // text data: the text is the input
      r.input = perturbText(r.input, p, seed);
      continue;
    }
    for (qsizetype m = 0; m < r.prompt.size(); ++m) {
      QJsonObject message = r.prompt[m].toObject();
      if (message.value(QStringLiteral("role")).toString() != QLatin1String("user")) continue;
      // Messages after the first get their own stream, so a one-message prompt matches perturbText(input).
      message.insert(QStringLiteral("content"),
                     perturbText(message.value(QStringLiteral("content")).toString(), p, seed + uint64_t(m)));
      r.prompt[m] = message;
    }
    r.input = readablePrompt(r.prompt);
  }
  return rows;
}

// Mean SQuAD exact match and token F1 of answers against references (the robustness comparison needs both even
// when eval.metrics leaves them out).
QJsonObject matchScores(const QStringList& outputs, const QStringList& references) {
  double em = 0, f1 = 0;
  for (qsizetype i = 0; i < outputs.size(); ++i) {
    em += exactMatch(outputs[i], {references[i]});
    f1 += tokenF1(outputs[i], {references[i]});
  }
  const double n = double(std::max<qsizetype>(1, outputs.size()));
  return {{QStringLiteral("exact_match"), em / n}, {QStringLiteral("token_f1"), f1 / n}};
}

// The weight files of a model folder (its checkpoint: model.safetensors or the shards of its index) and of its
// adapter (adapter_model.safetensors); other files there are not the model.
qint64 weightBytes(const EvalModelSpec& m) {
  qint64 bytes = 0;
  for (const QString& file : CheckpointReader(m.path).files()) bytes += QFileInfo(file).size();
  if (!m.adapter.isEmpty())
    bytes += QFileInfo(QDir(m.adapter).filePath(QStringLiteral("adapter_model.safetensors"))).size();
  return bytes;
}

qint64 memoryBytes(CausalLM& lm) {
  qint64 bytes = 0;
  for (const torch::Tensor& p : lm->parameters()) bytes += qint64(p.nbytes());
  for (const torch::Tensor& b : lm->buffers()) bytes += qint64(b.nbytes());
  return bytes;
}

void requireFile(const QString& dir, const QString& file, const QString& field, const QString& what) {
  if (!QFileInfo(QDir(dir).filePath(file)).isFile())
    throw Error(dir, field, QString(),
                QFileInfo(dir).isDir() ? QStringLiteral("is not %1 (no %2)").arg(what, file)
                                       : QStringLiteral("does not exist"));
}

class Evaluation {
 public:
  Evaluation(const JobSpec& spec, const EvalRunOptions& o) : spec_(spec), o_(o) {}

  EvalOutcome run() {
    prepare();
    start_ = Clock::now();
    open();
    try {
      evaluateAll();
    } catch (...) {
      writeResults(false);  // what finished stays readable beside the samples
      throw;
    }
    outcome_.results = writeResults(!outcome_.cancelled);
    outcome_.progress = progress_;
    return outcome_;
  }

 private:
  bool wants(const char* task) const { return spec_.eval.tasks.contains(QLatin1String(task)); }
  bool cancelled() const { return o_.cancel && o_.cancel->load(); }
  void say(const QString& text) const {
    if (o_.message) o_.message(text);
  }
  void waitWhilePaused() const {
    while (o_.pause && o_.pause->load() && !cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int64_t rows() const { return int64_t(rows_.size()); }

  // ---- before any model is loaded ----

  void prepare() {
    data_.format = spec_.data.format;
    data_.fields = spec_.data.fields;
    data_.tasks = spec_.eval.tasks;
    data_.maxSamples = spec_.eval.maxSamples;
    data_.choicesField = spec_.eval.choicesField;
    data_.answerField = spec_.eval.answerField;
    data_.fidelity = !spec_.eval.baseline.isEmpty();
    rows_ = readEvalRows(spec_.data.test, data_);
    for (size_t i = 0; i < spec_.models.size(); ++i) {
      const EvalModelSpec& m = spec_.models[i];
      const QString at = QStringLiteral("models[%1]").arg(i);
      requireFile(m.path, QStringLiteral("config.json"), at + QStringLiteral(".path"),
                  QStringLiteral("a model folder"));
      if (!m.adapter.isEmpty())
        requireFile(m.adapter, QStringLiteral("adapter_config.json"), at + QStringLiteral(".adapter"),
                    QStringLiteral("a PEFT adapter folder"));
      const Tokenizer tokenizer = Tokenizer::fromDirectory(m.path);
      models_.push_back({m, tokenizer, renderEvalInputs(rows_, tokenizer, m.path, spec_.data.test, data_), {}});
    }
    checkSliceFields();
    // Perturbed prompts, tokenized now so a prompt the template cannot render fails before any model loads.
    EvalDataOptions prompts = data_;
    prompts.fidelity = false;
    prompts.tasks.clear();
    for (const char* t : {"multiple_choice", "generation"})
      if (wants(t)) prompts.tasks << QLatin1String(t);
    for (const PerturbationSpec& p : spec_.eval.perturbations) {
      perturbedRows_.push_back(perturbRows(rows_, p));
      for (PreparedModel& m : models_)
        m.perturbed.push_back(
            renderEvalInputs(perturbedRows_.back(), m.tokenizer, m.spec.path, spec_.data.test, prompts));
    }
    // The baseline first: it stays loaded while the others are compared with it.
    for (size_t i = 0; i < models_.size(); ++i)
      if (models_[i].spec.label == spec_.eval.baseline)
        order_.insert(order_.begin(), i);
      else
        order_.push_back(i);
    const int64_t lm = (wants("perplexity") || wants("next_token_accuracy")) ? 1 : 0;
    const int64_t perModel = lm + (wants("multiple_choice") ? 1 : 0) + (wants("generation") ? 1 : 0);
    const int64_t compared = spec_.eval.baseline.isEmpty() ? 0 : int64_t(models_.size()) - 1;
    const int64_t perturbed = int64_t(spec_.eval.perturbations.size()) * int64_t(prompts.tasks.size());
    progress_.total = rows() * ((perModel + perturbed) * int64_t(models_.size()) + compared);
  }

  // eval.slice_by names fields of the rows: one that no row has is a typo, refused before any model loads.
  void checkSliceFields() const {
    QStringList names;
    for (const EvalRow& r : rows_) {
      const QJsonObject fields = r.sliceFields();
      for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!names.contains(it.key())) names << it.key();
    }
    names.sort();
    for (const QString& field : spec_.eval.sliceBy)
      if (!names.contains(field))
        throw FormatError(spec_.data.test, QStringLiteral("eval.slice_by"), field,
                          QStringLiteral("is not a field of the rows (fields: %1)")
                              .arg(names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
  }

  // ---- outputs ----

  void open() {
    if (!QDir().mkpath(spec_.output))
      throw Error(spec_.output, QStringLiteral("output"), QString(), QStringLiteral("cannot be created"));
    samplesFile_.setFileName(QDir(spec_.output).filePath(QStringLiteral("samples.jsonl")));
    if (!samplesFile_.open(QIODevice::WriteOnly | QIODevice::Truncate))
      throw Error(samplesFile_.fileName(), QString(), QString(),
                  QStringLiteral("cannot be written: ") + samplesFile_.errorString());
    if (!o_.store) return;
    store_.emplace(*o_.store);
    if (o_.jobId) store_->removeJob(o_.jobId);
    const QString path = QFileInfo(spec_.data.test).absoluteFilePath();
    DatasetRow d;
    d.name = QFileInfo(path).fileName();
    d.path = path;
    d.schema = spec_.data.format;
    d.sha256 = QFileInfo(path).isFile() ? fileSha256(path) : QString();
    datasetId_ = DatasetStore(*o_.store).addOrFind(d);
  }

  void writeSample(qint64 evaluationId, const QString& label, const EvalSampleRow& s) {
    if (store_) store_->addSample(evaluationId, s);
    stored_.push_back(s);
    QJsonObject line = s.toJson();
    line.insert(QStringLiteral("model"), label);
    line.insert(QStringLiteral("line"), s.scores.value(QStringLiteral("line")));
    samplesFile_.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    samplesFile_.flush();
    ++outcome_.samples;
  }

  QJsonObject writeResults(bool complete) {
    QJsonObject models;
    QJsonArray order;
    for (const PreparedModel& m : models_) {
      if (!metrics_.contains(m.spec.label)) continue;
      models.insert(m.spec.label, metrics_.value(m.spec.label));
      order.append(m.spec.label);
    }
    const QJsonObject results{{QStringLiteral("name"), spec_.name},     {QStringLiteral("dataset"), spec_.data.test},
                              {QStringLiteral("rows"), qint64(rows())}, {QStringLiteral("complete"), complete},
                              {QStringLiteral("models"), models},       {QStringLiteral("models_order"), order}};
    try {
      writeFileAtomically(QDir(spec_.output).filePath(QStringLiteral("results.json")), QJsonDocument(results).toJson());
    } catch (const std::exception& e) {
      if (complete) throw;
      say(QStringLiteral("results.json not written: %1").arg(QString::fromUtf8(e.what())));
    }
    return results;
  }

  // ---- progress ----

  void report(int64_t done) {
    progress_.done = done;
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (o_.progress) o_.progress(progress_);
  }
  // The options of the sliding-window passes: their batches advance the units from `base` over rows().
  LmEvalOptions lmOptions(int64_t base) {
    LmEvalOptions lo;
    lo.window = spec_.eval.seqLen;
    lo.stride = spec_.eval.stride;
    lo.progress = [this, base](int64_t done, int64_t total) {
      report(base + (total > 0 ? rows() * done / total : rows()));
      waitWhilePaused();
      return !cancelled();
    };
    return lo;
  }

  // ---- the models ----

  void evaluateAll() {
    std::optional<LoadedModel> baseline;
    const PreparedModel* basePrepared = nullptr;
    for (size_t k : order_) {
      if (cancelled()) break;
      const PreparedModel& m = models_[k];
      const Clock::time_point t0 = Clock::now();
      say(QStringLiteral("loading %1 (%2%3)")
              .arg(m.spec.label, m.spec.path,
                   m.spec.adapter.isEmpty() ? QString() : QStringLiteral(" + adapter ") + m.spec.adapter));
      LoadedModel lm = loadModel(m.spec.path, o_.dtype, o_.device);
      if (!m.spec.adapter.isEmpty()) loadAdapter(lm.model, m.spec.adapter);
      say(QStringLiteral("%1 loaded in %2 s")
              .arg(m.spec.label)
              .arg(std::chrono::duration<double>(Clock::now() - t0).count(), 0, 'f', 1));
      const bool isBaseline = m.spec.label == spec_.eval.baseline;
      evaluateModel(m, lm, isBaseline || !baseline ? nullptr : &*baseline, basePrepared);
      if (isBaseline) {
        baseline.emplace(std::move(lm));
        basePrepared = &m;
      }
    }
    outcome_.cancelled = cancelled();
  }

  void evaluateModel(const PreparedModel& m, LoadedModel& lm, LoadedModel* baseline, const PreparedModel* base) {
    const QString& label = m.spec.label;
    const qint64 evaluationId = store_ ? store_->addEvaluation(o_.jobId, label, datasetId_) : 0;
    stored_.clear();
    QJsonObject metrics{{QStringLiteral("path"), m.spec.path},
                        {QStringLiteral("size_on_disk_bytes"), weightBytes(m.spec)},
                        {QStringLiteral("memory_bytes"), memoryBytes(lm.model)}};
    if (!m.spec.adapter.isEmpty()) metrics.insert(QStringLiteral("adapter"), m.spec.adapter);
    std::vector<QJsonObject> scores(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i)
      scores[i] = {{QStringLiteral("line"), qint64(rows_[i].line)}, {QStringLiteral("fields"), rows_[i].sliceFields()}};
    int64_t done = progress_.done;
    bool stopped = false;

    if (wants("perplexity") || wants("next_token_accuracy")) {
      const LmScores s = scoreTexts(lm.model, m.inputs.texts, lmOptions(done));
      stopped = s.cancelled;
      progress_.tokens += s.total.tokens;
      if (!stopped) {
        for (size_t i = 0; i < rows_.size(); ++i) {
          const TokenStats& t = s.texts[i];
          scores[i].insert(QStringLiteral("tokens"), qint64(t.tokens));
          if (t.tokens == 0) continue;
          if (wants("perplexity")) scores[i].insert(QStringLiteral("perplexity"), t.perplexity());
          if (wants("next_token_accuracy")) scores[i].insert(QStringLiteral("next_token_accuracy"), t.accuracy());
        }
        metrics.insert(QStringLiteral("tokens"), qint64(s.total.tokens));
        if (wants("perplexity")) metrics.insert(QStringLiteral("perplexity"), finiteOrNull(s.total.perplexity()));
        if (wants("next_token_accuracy")) metrics.insert(QStringLiteral("next_token_accuracy"), s.total.accuracy());
      }
      report(done += rows());
    }
    if (!stopped && wants("multiple_choice")) {
      const ChoiceScores c = scoreChoices(lm.model, m.tokenizer, m.inputs.questions, lmOptions(done));
      stopped = c.cancelled;
      if (!stopped) {
        for (size_t i = 0; i < rows_.size(); ++i) {
          scores[i].insert(QStringLiteral("mc_predicted"), c.questions[i].predicted);
          scores[i].insert(QStringLiteral("mc_correct"), c.questions[i].predicted == rows_[i].gold);
        }
        metrics.insert(QStringLiteral("mc_accuracy"), c.acc);
        metrics.insert(QStringLiteral("mc_accuracy_norm"), c.accNorm);
      }
      report(done += rows());
    }

    int64_t written = 0;
    QStringList outputs, references;  // generation: the clean answers, for the robustness comparison
    if (!stopped && wants("generation")) {
      GenerateOptions g;
      g.greedy = true;
      g.repetitionPenalty = 1.0;  // plain argmax: what the model itself prefers
      g.maxNewTokens = spec_.eval.maxNewTokens;
      g.cancel = o_.cancel;
      useModelTokenIds(g, lm.config, lm.generation);
      std::vector<TimedAnswer> answers;
      for (size_t i = 0; i < rows_.size(); ++i) {
        waitWhilePaused();
        if (cancelled()) break;
        const TimedAnswer a = generateTimed(lm.model, m.tokenizer, m.inputs.prompts[i], g);
        if (a.stopped) break;
        const EvalRow& row = rows_[i];
        QJsonObject& s = scores[i];
        const QJsonObject gen = sampleGenerationScores(a.text, row.reference, spec_.eval.metrics);
        for (auto it = gen.begin(); it != gen.end(); ++it) s.insert(it.key(), it.value());
        s.insert(QStringLiteral("first_token_ms"), a.firstTokenMs);
        s.insert(QStringLiteral("ms_per_token"), finiteOrNull(a.msPerToken()));
        s.insert(QStringLiteral("total_ms"), a.totalMs);
        s.insert(QStringLiteral("new_tokens"), qint64(a.newTokens));
        s.insert(QStringLiteral("finished"), a.finished);
        writeSample(evaluationId, label, {row.index, row.input, a.text, row.reference, s});
        ++written;
        answers.push_back(a);
        outputs << a.text;
        references << row.reference;
        progress_.tokens += a.newTokens;
        report(++done);
      }
      const QJsonObject corpus = corpusGenerationScores(outputs, references, spec_.eval.metrics);
      for (auto it = corpus.begin(); it != corpus.end(); ++it) metrics.insert(it.key(), it.value());
      const QJsonObject latency = latencySummary(answers);
      for (auto it = latency.begin(); it != latency.end(); ++it) metrics.insert(it.key(), it.value());
      stopped = written < rows();
    } else if (!stopped) {
      for (const EvalRow& row : rows_) {
        writeSample(evaluationId, label, {row.index, row.input, QString(), row.reference, scores[size_t(row.index)]});
        ++written;
      }
    }

    if (!stopped && baseline) {
      metrics.insert(QStringLiteral("fidelity"), fidelity(m, lm, *baseline, *base, metrics, done, &stopped));
      report(done += rows());
    }
    if (!stopped && !spec_.eval.perturbations.empty()) {
      QJsonObject clean = outputs.isEmpty() ? QJsonObject() : matchScores(outputs, references);
      if (metrics.contains(QStringLiteral("mc_accuracy")))
        clean.insert(QStringLiteral("mc_accuracy"), metrics.value(QStringLiteral("mc_accuracy")));
      metrics.insert(QStringLiteral("robustness"), robustness(m, lm, clean, done, &stopped));
    }
    if (!stopped && !spec_.eval.sliceBy.isEmpty()) {
      QJsonObject slices;
      const SliceOptions so{spec_.eval.minSliceSize, label};
      for (const QString& field : spec_.eval.sliceBy) slices.insert(field, computeSlices(stored_, field, so).toJson());
      metrics.insert(QStringLiteral("slices"), slices);
    }
    metrics.insert(QStringLiteral("samples"), qint64(written));
    metrics.insert(QStringLiteral("complete"), !stopped);
    metrics_.insert(label, metrics);
    if (store_) store_->setMetrics(evaluationId, metrics);
  }

  // multiple_choice and generation again on each perturbation's prompts; per perturbation {"name", "kind", "mode"?,
  // "rate", "seed", "clean", "perturbed", "change" (perturbed − clean), "relative_change" ((perturbed − clean) /
  // clean; null when clean is 0)} over mc_accuracy, exact_match and token_f1. The perturbed answers go to
  // samples.jsonl with their "perturbation" (not to the store: eval_samples holds the clean answer of a row).
  QJsonArray robustness(const PreparedModel& m, LoadedModel& lm, const QJsonObject& clean, int64_t& done,
                        bool* stopped) {
    QJsonArray out;
    for (size_t k = 0; k < spec_.eval.perturbations.size() && !*stopped; ++k) {
      const PerturbationSpec& p = spec_.eval.perturbations[k];
      const EvalInputs& in = m.perturbed[k];
      const QString name = perturbationName(p);
      say(QStringLiteral("%1 under %2").arg(m.spec.label, name));
      QJsonObject perturbed;
      if (wants("multiple_choice")) {
        const ChoiceScores c = scoreChoices(lm.model, m.tokenizer, in.questions, lmOptions(done));
        if ((*stopped = c.cancelled)) break;
        perturbed.insert(QStringLiteral("mc_accuracy"), c.acc);
        report(done += rows());
      }
      if (wants("generation")) {
        GenerateOptions g;
        g.greedy = true;
        g.repetitionPenalty = 1.0;
        g.maxNewTokens = spec_.eval.maxNewTokens;
        g.cancel = o_.cancel;
        useModelTokenIds(g, lm.config, lm.generation);
        QStringList outputs, references;
        for (size_t i = 0; i < rows_.size(); ++i) {
          waitWhilePaused();
          if (cancelled()) break;
          const TimedAnswer a = generateTimed(lm.model, m.tokenizer, in.prompts[i], g);
          if (a.stopped) break;
          const EvalRow& row = perturbedRows_[k][i];
          outputs << a.text;
          references << row.reference;
          QJsonObject line{{QStringLiteral("model"), m.spec.label},
                           {QStringLiteral("perturbation"), name},
                           {QStringLiteral("index"), qint64(row.index)},
                           {QStringLiteral("line"), qint64(row.line)},
                           {QStringLiteral("input"), row.input},
                           {QStringLiteral("output"), a.text},
                           {QStringLiteral("reference"), row.reference},
                           {QStringLiteral("scores"), sampleGenerationScores(a.text, row.reference,
                                                                             {"exact_match", "token_f1"})}};
          samplesFile_.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
          progress_.tokens += a.newTokens;
          report(++done);
        }
        samplesFile_.flush();
        if ((*stopped = outputs.size() < rows())) break;
        const QJsonObject s = matchScores(outputs, references);
        for (auto it = s.begin(); it != s.end(); ++it) perturbed.insert(it.key(), it.value());
      }
      QJsonObject change, relative;
      for (auto it = perturbed.begin(); it != perturbed.end(); ++it) {
        if (!clean.contains(it.key())) continue;
        const double c = clean.value(it.key()).toDouble(), v = it.value().toDouble();
        change.insert(it.key(), v - c);
        relative.insert(it.key(), c != 0 ? QJsonValue((v - c) / c) : QJsonValue(QJsonValue::Null));
      }
      QJsonObject entry{{QStringLiteral("name"), name},         {QStringLiteral("kind"), p.kind},
                        {QStringLiteral("rate"), p.rate},       {QStringLiteral("seed"), qint64(p.seed)},
                        {QStringLiteral("clean"), clean},       {QStringLiteral("perturbed"), perturbed},
                        {QStringLiteral("change"), change},     {QStringLiteral("relative_change"), relative}};
      if (!p.mode.isEmpty()) entry.insert(QStringLiteral("mode"), p.mode);
      out.append(entry);
    }
    return out;
  }

  // The accuracy the pass rule compares (empty: none was measured).
  QString accuracyMetric() const {
    if (wants("multiple_choice")) return QStringLiteral("mc_accuracy");
    if (wants("generation") && spec_.eval.metrics.contains(QLatin1String("exact_match")))
      return QStringLiteral("exact_match");
    if (wants("next_token_accuracy")) return QStringLiteral("next_token_accuracy");
    return {};
  }

  QJsonObject fidelity(const PreparedModel& m, LoadedModel& lm, LoadedModel& baseline, const PreparedModel& base,
                       const QJsonObject& metrics, int64_t done, bool* stopped) {
    QJsonObject f{{QStringLiteral("baseline"), base.spec.label}};
    const QString accuracy = accuracyMetric();
    const QJsonObject baseMetrics = metrics_.value(base.spec.label).toObject();
    if (!accuracy.isEmpty() && baseMetrics.contains(accuracy) && metrics.contains(accuracy)) {
      const AccuracyCheck c = checkAccuracyDrop(baseMetrics.value(accuracy).toDouble(),
                                                metrics.value(accuracy).toDouble(), spec_.eval.maxAccuracyDrop);
      f.insert(QStringLiteral("accuracy_metric"), accuracy);
      f.insert(QStringLiteral("accuracy_base"), c.base);
      f.insert(QStringLiteral("accuracy"), c.other);
      f.insert(QStringLiteral("accuracy_drop"), c.drop);
      f.insert(QStringLiteral("max_accuracy_drop"), c.threshold);
      f.insert(QStringLiteral("pass"), c.pass);
    }
    // KL divergence compares distributions over the same token ids: only for the same vocabulary and tokens.
    if (lm.config.vocabSize != baseline.config.vocabSize) {
      f.insert(QStringLiteral("kld_skipped"), QStringLiteral("vocabulary of %1 tokens, the baseline's has %2")
                                                  .arg(lm.config.vocabSize)
                                                  .arg(baseline.config.vocabSize));
    } else if (m.inputs.texts != base.inputs.texts) {
      f.insert(QStringLiteral("kld_skipped"), QStringLiteral("tokenizes the data differently from the baseline"));
    } else {
      say(QStringLiteral("comparing %1 with %2").arg(m.spec.label, base.spec.label));
      const FidelityRun r = compareModels(baseline.model, lm.model, base.inputs.texts, lmOptions(done));
      *stopped = r.cancelled;
      if (!r.cancelled) {
        const QJsonObject s = fidelityJson(r.summary);
        for (auto it = s.begin(); it != s.end(); ++it) f.insert(it.key(), it.value());
      }
    }
    return f;
  }

  const JobSpec& spec_;
  const EvalRunOptions& o_;
  EvalDataOptions data_;
  std::vector<EvalRow> rows_;
  std::vector<PreparedModel> models_;
  std::vector<std::vector<EvalRow>> perturbedRows_;  // per eval.perturbations entry
  std::vector<EvalSampleRow> stored_;                // the current model's samples as written (for the slices)
  std::vector<size_t> order_;  // models_ in the order they are evaluated
  QJsonObject metrics_;        // label → metrics of the models evaluated so far
  std::optional<EvalStore> store_;
  qint64 datasetId_ = 0;
  QFile samplesFile_;
  Clock::time_point start_;
  EvalProgress progress_;
  EvalOutcome outcome_;
};

}  // namespace

EvalOutcome runEvaluation(const JobSpec& spec, const EvalRunOptions& o) { return Evaluation(spec, o).run(); }

}  // namespace distillery
