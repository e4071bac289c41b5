// provenance.json: what an artefact (a trained model or adapter, a quantized model) was made from — the SHA-256 of
// the base models' files (weights, config, tokenizer), of the dataset files, the job JSON, the code version, the
// time and the OS user. Torch-free. Big files are hashed once: the workspace's file_hashes table caches a hash
// by path, size and modification time.
//
//   writeProvenance(spec.output, jobProvenance(spec, &store, jobId, "succeeded", &store));
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>

namespace distillery {

struct JobSpec;

inline constexpr const char* kProvenanceFile = "provenance.json";
inline constexpr const char* kProvenanceFormat = "distillery-provenance/1";

// SHA-256 of a file; with a store, reused from its file_hashes table while the path's size and mtime are unchanged
// (and recorded there otherwise). Throws Error when the file cannot be read.
QString cachedFileSha256(const Store* store, const QString& path);

// {"path": abs dir, "files": {name: sha256}} over the folder's weights (*.safetensors, the shard index), config,
// generation config, tokenizer files and adapter files. A file that cannot be read gets "error: ..." instead.
QJsonObject modelFolderHashes(const Store* store, const QString& dir);

// The provenance of a training job's output (spec.output): student/teacher models, train/validation datasets,
// the job JSON and the job's id and final status.
QJsonObject jobProvenance(const JobSpec& spec, const Store* store, qint64 jobId, const QString& status);

// The provenance of a quantized (or merged float) model made from sourceDir (plus a merged adapter when given).
QJsonObject quantizeProvenance(const QString& sourceDir, const QString& adapterDir, const QJsonObject& settings,
                               const Store* store = nullptr);

// Adds format, code version, created_at and user, and writes dir/provenance.json atomically. Throws Error.
void writeProvenance(const QString& dir, QJsonObject provenance);

// dir/provenance.json parsed; nullopt when there is none. Throws FormatError naming the file for bad JSON.
std::optional<QJsonObject> readProvenance(const QString& dir);

}  // namespace distillery
