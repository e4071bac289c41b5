// Training checkpoints on disk, written so that a crash (kill -9, power loss) at any moment leaves the newest
// complete checkpoint loadable:
//
//   ROOT/step-000050/trainable.safetensors   the task's trainable parameters, keyed by their names
//                    optimizer.safetensors   "<param>.exp_avg", "<param>.exp_avg_sq", "<param>.step"
//                    state.json              step, data position, RNG, best validation loss, counters, ...
//
// A checkpoint is written into ROOT/.tmp-step-000050-XXXXXX (every file fsync'd), the folder is fsync'd and
// renamed to step-000050, then ROOT is fsync'd. Only folders named step-N holding a state.json count; leftover
// .tmp-* folders are ignored and removed by removeTempCheckpoints().
#pragma once
#include "train/TrainTask.h"

#include <ATen/core/Tensor.h>

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace distillery {

inline constexpr int kCheckpointFormat = 1;  // state.json "format"; newer ones are refused

QString checkpointName(int64_t step);  // "step-000050"

struct CheckpointContent {
  std::vector<NamedTensor> trainable;  // parameters by name (any device; written as CPU copies)
  std::vector<NamedTensor> optimizer;  // AdamW::state()
  QJsonObject state;                   // "step" and "format" are set by writeCheckpoint
};

// Writes ROOT/step-NNNNNN as described above and returns its path. An existing folder of that step is replaced
// only after the new one is complete. `beforeCommit` (tests) runs with the temp folder before the rename and may
// throw. Throws Error naming the path on any failure; the temp folder is then removed and earlier checkpoints
// are untouched.
QString writeCheckpoint(const QString& root, int64_t step, const CheckpointContent& content,
                        const std::function<void(const QString& tempDir)>& beforeCommit = {});

struct CheckpointEntry {
  int64_t step = 0;
  QString dir;
};
// Complete checkpoints under root (step-N folders with a state.json), newest first.
QList<CheckpointEntry> listCheckpoints(const QString& root);
// Removes the .tmp-* folders a crash left in root; returns how many.
int removeTempCheckpoints(const QString& root);
// Keeps the newest `keep` checkpoints and the one of step `alsoKeep` (-1: none); removes the other step-N folders.
void pruneCheckpoints(const QString& root, int keep, int64_t alsoKeep);

struct LoadedCheckpoint {
  QString dir;
  int64_t step = 0;
  QJsonObject state;
  std::map<std::string, at::Tensor> trainable;  // CPU tensors
  std::map<std::string, at::Tensor> optimizer;  // CPU tensors
};
// Reads and validates a checkpoint folder; throws FormatError naming the file and field.
LoadedCheckpoint readCheckpoint(const QString& dir);

// Copies values into params (same names, shapes; dtype and device converted). Throws FormatError(source, name,
// ...) for a parameter missing from values or of another shape, and for values naming no parameter.
void loadParameters(const std::vector<NamedTensor>& params, const std::map<std::string, at::Tensor>& values,
                    const QString& source);

}  // namespace distillery
