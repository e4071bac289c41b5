// An artefact's lineage: the chain back from a model folder or dataset file to its sources — datasets derived from
// datasets (the datasets table's parent links and the settings that made each), models trained from models and
// datasets (the provenance.json a job or `quantize` wrote). Torch-free.
//
//   LineageNode root = lineageOf(&store, "/ws/runs/3");   // lora job 3 ← student model, train.jsonl ← raw.jsonl
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <vector>

namespace distillery {

struct LineageNode {
  QString kind;     // dataset | model | lora | full_ft | distill | quantized | missing
  QString path;     // absolute file or folder
  QString role;     // how the child used it: student, teacher, train, validation, parent, source, adapter
  QString sha256;   // a dataset's content hash (as recorded, or computed when not registered)
  QString how;      // what made it: "dedup", "lora job 3", ... (empty: a source)
  qint64 datasetId = 0;  // row in the datasets table (0: not registered)
  std::vector<LineageNode> sources;
  QJsonObject toJson() const;
};

// The lineage of path (a model/adapter folder, one of its subfolders best/ or a checkpoint, or a dataset file).
// store may be null (then only provenance.json files are followed). Cycles and depths over 32 stop the walk.
// Throws Error when path does not exist.
LineageNode lineageOf(const Store* store, const QString& path);

}  // namespace distillery
