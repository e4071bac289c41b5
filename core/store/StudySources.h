// Where a study's items come from: a JSONL file of prompts with several models' outputs, or stored evaluations
// (evaluations / eval_samples, one evaluation per model), keeping each item's (evaluation, sample_index) so human
// scores can later be correlated with the automatic per-sample scores.
//
//   ItemSource s = itemsFromJsonl("answers.jsonl", StudyKind::Pairwise);   // {"prompt", "outputs": {model: text}}
//   ItemSource e = itemsFromEvaluations(store, {3, 4}, StudyKind::Rubric, {.maxSamples = 50, .seed = 1});
//   studies.create({.name = "v2", .kind = StudyKind::Pairwise, .source = s.source}, s.items);
#pragma once
#include "store/StudyStore.h"

#include <QtCore/QStringList>

#include <map>
#include <utility>

#include <vector>

namespace distillery {

struct ItemSourceOptions {
  QStringList models{};  // only these models (JSONL: output keys; evaluations: model labels); empty: all
  int maxSamples = 0;    // evaluations: at most this many samples, a seeded random choice (0: all)
  uint64_t seed = 0;     // the sample choice
};

struct ItemSource {
  std::vector<StudyItemInput> items;
  int prompts = 0;           // prompts (JSONL rows / samples) that gave items
  int skippedPrompts = 0;    // rows with fewer models than the kind needs (1 for rubric, 2 for pairwise)
  QJsonObject source;        // provenance for StudySpec::source
};

// Rubric: one item per (prompt, model); pairwise: one per pair of models per prompt (model a the name that sorts
// first). Rows are read with RowReader (JSONL or a JSON array). FormatError("FILE:LINE", field, value) for a row
// without a text "prompt", without an "outputs" object, an output that is not text; FormatError(path) when a
// model in options.models appears nowhere or no item results.
ItemSource itemsFromJsonl(const QString& path, StudyKind kind, const ItemSourceOptions& options = {});

// The generated outputs of the given evaluations (each one model, evaluations.model_label its name), over the
// sample indices all of them have a non-empty output for (an empty one: the job generated nothing there). Rubric: one item per (evaluation, sample); pairwise: one per pair
// of evaluations per sample. FormatError("evaluation ID", ...) for a missing evaluation, two with the same label,
// fewer than 2 for pairwise, samples of the same index whose inputs differ (not the same dataset), no common
// sample with an output.
ItemSource itemsFromEvaluations(const Store& store, const std::vector<qint64>& evaluationIds, StudyKind kind,
                                const ItemSourceOptions& options = {});

// The evaluations an evaluation job stored (one per model), in creation order; FormatError("job ID") when none.
std::vector<qint64> evaluationsOfJob(const Store& store, qint64 jobId);

// eval_samples.scores_json of the samples the items came from, keyed by (evaluation_id, sample_index); samples
// that no longer exist are absent.
std::map<std::pair<qint64, qint64>, QJsonObject> sampleScores(const Store& store, const std::vector<StudyItem>& items);

}  // namespace distillery
