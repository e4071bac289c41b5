#include "store/StudySources.h"

#include "common/Error.h"
#include "data/RowReader.h"
#include "data/SeededRandom.h"
#include "store/Sql.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>
#include <QtCore/QVariant>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace distillery {

namespace {

// One prompt's outputs by model (sorted by name) → items of the kind. Returns false when it has too few models.
bool addItems(ItemSource& out, StudyKind kind, const QString& prompt,
              const std::vector<std::pair<QString, QString>>& outputs, const std::vector<qint64>& evaluations,
              qint64 sampleIndex) {
  const size_t need = kind == StudyKind::Pairwise ? 2 : 1;
  if (outputs.size() < need) {
    ++out.skippedPrompts;
    return false;
  }
  ++out.prompts;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (kind == StudyKind::Rubric) {
      out.items.push_back({prompt, outputs[i].second, outputs[i].first, {}, {}, evaluations.empty() ? 0 : evaluations[i],
                           0, sampleIndex});
      continue;
    }
    for (size_t j = i + 1; j < outputs.size(); ++j)
      out.items.push_back({prompt, outputs[i].second, outputs[i].first, outputs[j].second, outputs[j].first,
                           evaluations.empty() ? 0 : evaluations[i], evaluations.empty() ? 0 : evaluations[j],
                           sampleIndex});
  }
  return true;
}

}  // namespace

ItemSource itemsFromJsonl(const QString& path, StudyKind kind, const ItemSourceOptions& options) {
  ItemSource out;
  QSet<QString> seenModels;
  RowReader reader(path, {.onBadRow = BadRowPolicy::Fail});
  Row row;
  while (reader.next(row)) {
    const QString where = QStringLiteral("%1:%2").arg(path).arg(row.line);
    const QJsonValue prompt = row.fields.value(QStringLiteral("prompt"));
    if (!prompt.isString() || prompt.toString().isEmpty())
      throw FormatError(where, QStringLiteral("prompt"), prompt.toVariant().toString(),
                        QStringLiteral("must be non-empty text"));
    const QJsonValue outputs = row.fields.value(QStringLiteral("outputs"));
    if (!outputs.isObject())
      throw FormatError(where, QStringLiteral("outputs"), QString(),
                        QStringLiteral("must be an object {\"model name\": \"output text\", ...}"));
    std::vector<std::pair<QString, QString>> chosen;  // QJsonObject iterates keys sorted
    const QJsonObject o = outputs.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (!it.value().isString())
        throw FormatError(where, QStringLiteral("outputs.") + it.key(), it.value().toVariant().toString(),
                          QStringLiteral("must be text"));
      if (it.key().trimmed().isEmpty())
        throw FormatError(where, QStringLiteral("outputs"), it.key(), QStringLiteral("has an empty model name"));
      seenModels.insert(it.key());
      if (options.models.isEmpty() || options.models.contains(it.key())) chosen.push_back({it.key(), it.value().toString()});
    }
    addItems(out, kind, prompt.toString(), chosen, {}, -1);
  }
  for (const QString& m : options.models)
    if (!seenModels.contains(m))
      throw FormatError(path, QStringLiteral("models"), m, QStringLiteral("has no output in the file"));
  if (out.items.empty())
    throw FormatError(path, QStringLiteral("rows"), reader.rows(),
                      QStringLiteral("give no %1 item (each prompt needs %2)")
                          .arg(studyKindName(kind),
                               kind == StudyKind::Pairwise ? QStringLiteral("outputs of 2 models")
                                                           : QStringLiteral("an output")));
  out.source = {{QStringLiteral("file"), QFileInfo(path).absoluteFilePath()}};
  if (!options.models.isEmpty()) out.source.insert(QStringLiteral("models"), QJsonArray::fromStringList(options.models));
  return out;
}

ItemSource itemsFromEvaluations(const Store& store, const std::vector<qint64>& evaluationIds, StudyKind kind,
                                const ItemSourceOptions& options) {
  struct Eval {
    qint64 id;
    QString label;
    std::map<qint64, std::pair<QString, QString>> samples;  // sample_index → (input, output)
  };
  std::vector<Eval> evals;
  QSet<QString> labels;
  for (const qint64 id : evaluationIds) {
    const QString where = QStringLiteral("evaluation %1").arg(id);
    QSqlQuery q = sql::prepare(store, QStringLiteral("SELECT model_label FROM evaluations WHERE id = ?"));
    q.addBindValue(id);
    sql::exec(store, q, QStringLiteral("cannot read evaluation %1").arg(id));
    if (!q.next()) throw FormatError(where, QStringLiteral("id"), id, QStringLiteral("does not exist"));
    Eval e{id, q.value(0).toString(), {}};
    if (!options.models.isEmpty() && !options.models.contains(e.label)) continue;
    if (labels.contains(e.label))
      throw FormatError(where, QStringLiteral("model_label"), e.label,
                        QStringLiteral("is the label of another chosen evaluation; each model once"));
    labels.insert(e.label);
    QSqlQuery s = sql::prepare(store, QStringLiteral("SELECT sample_index, input, output FROM eval_samples "
                                                     "WHERE evaluation_id = ? AND output IS NOT NULL AND output != ''"));
    s.addBindValue(id);
    sql::exec(store, s, QStringLiteral("cannot read the samples of evaluation %1").arg(id));
    while (s.next()) e.samples[s.value(0).toLongLong()] = {s.value(1).toString(), s.value(2).toString()};
    if (e.samples.empty())
      throw FormatError(where, QStringLiteral("eval_samples"), e.label, QStringLiteral("holds no generated output"));
    evals.push_back(std::move(e));
  }
  const size_t need = kind == StudyKind::Pairwise ? 2 : 1;
  if (evals.size() < need)
    throw FormatError(QStringLiteral("evaluations"), QStringLiteral("count"), qint64(evals.size()),
                      QStringLiteral("a %1 study needs at least %2").arg(studyKindName(kind)).arg(need));
  std::sort(evals.begin(), evals.end(), [](const Eval& a, const Eval& b) { return a.label < b.label; });
  // The samples every chosen evaluation has, with the same input everywhere.
  std::vector<qint64> common;
  for (const auto& [index, sample] : evals.front().samples) {
    bool everywhere = true;
    for (const Eval& e : evals) {
      const auto it = e.samples.find(index);
      if (it == e.samples.end()) {
        everywhere = false;
        break;
      }
      if (it->second.first != sample.first)
        throw FormatError(QStringLiteral("evaluation %1").arg(e.id), QStringLiteral("input"),
                          QStringLiteral("sample %1").arg(index),
                          QStringLiteral("differs from evaluation %1's input of the same sample (not the same "
                                         "dataset?)").arg(evals.front().id));
    }
    if (everywhere) common.push_back(index);
  }
  if (common.empty())
    throw FormatError(QStringLiteral("evaluations"), QStringLiteral("eval_samples"), QString(),
                      QStringLiteral("no sample index has an output in every chosen evaluation"));
  if (options.maxSamples > 0 && common.size() > size_t(options.maxSamples)) {
    std::mt19937_64 rng(options.seed);
    for (size_t i = 0; i < size_t(options.maxSamples); ++i)  // partial Fisher–Yates: the first n are the sample
      std::swap(common[i], common[i + size_t(uniformBelow(rng, common.size() - i))]);
    common.resize(size_t(options.maxSamples));
    std::sort(common.begin(), common.end());
  }
  ItemSource out;
  std::vector<qint64> ids;
  QJsonArray sourceIds;
  for (const Eval& e : evals) {
    ids.push_back(e.id);
    sourceIds.append(e.id);
  }
  for (const qint64 index : common) {
    std::vector<std::pair<QString, QString>> outputs;
    for (const Eval& e : evals) outputs.push_back({e.label, e.samples.at(index).second});
    addItems(out, kind, evals.front().samples.at(index).first, outputs, ids, index);
  }
  out.source = {{QStringLiteral("evaluations"), sourceIds}, {QStringLiteral("samples"), qint64(common.size())}};
  return out;
}

std::vector<qint64> evaluationsOfJob(const Store& store, qint64 jobId) {
  QSqlQuery q = sql::prepare(store, QStringLiteral("SELECT id FROM evaluations WHERE job_id = ? ORDER BY id"));
  q.addBindValue(jobId);
  sql::exec(store, q, QStringLiteral("cannot read the evaluations of job %1").arg(jobId));
  std::vector<qint64> ids;
  while (q.next()) ids.push_back(q.value(0).toLongLong());
  if (ids.empty())
    throw FormatError(QStringLiteral("job %1").arg(jobId), QStringLiteral("evaluations"), 0,
                      QStringLiteral("the job stored no evaluation (is it an eval job that has run?)"));
  return ids;
}

std::map<std::pair<qint64, qint64>, QJsonObject> sampleScores(const Store& store, const std::vector<StudyItem>& items) {
  std::map<std::pair<qint64, qint64>, QJsonObject> out;
  QSqlQuery q = sql::prepare(store, QStringLiteral("SELECT scores_json FROM eval_samples "
                                                   "WHERE evaluation_id = ? AND sample_index = ?"));
  for (const StudyItem& it : items) {
    if (it.sampleIndex < 0) continue;
    for (const qint64 e : {it.evaluationA, it.evaluationB}) {
      if (e <= 0 || out.count({e, it.sampleIndex})) continue;
      q.addBindValue(e);
      q.addBindValue(it.sampleIndex);
      sql::exec(store, q, QStringLiteral("cannot read the scores of evaluation %1").arg(e));
      if (q.next()) out[{e, it.sampleIndex}] = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
      q.finish();
    }
  }
  return out;
}

}  // namespace distillery
