// A model folder as Hugging Face saves it: model.safetensors, or shards listed by model.safetensors.index.json
// ({"metadata": {...}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors", ...}}).
//
//   CheckpointReader ckpt(dir);                      // validates every file up front; throws FormatError
//   torch::Tensor w = ckpt.load("lm_head.weight", torch::kFloat32, torch::kCUDA);
//
// Pickle checkpoints (pytorch_model.bin, *.pt, *.pth) are refused: unpickling can run arbitrary code.
#pragma once
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>
#include <vector>

namespace distillery {

class CheckpointReader {
 public:
  // dir: a model folder, or a single .safetensors file. In a folder, model.safetensors is used when present
  // (as transformers does), else model.safetensors.index.json: every shard it names is opened and validated,
  // every tensor it lists must be in the shard it names, and no tensor may be in two shards (tensors a shard
  // holds beyond the index are loaded too, as transformers does). Throws FormatError naming the folder or the
  // file: missing folder or files, pickle-only folders (with how to convert them), malformed files.
  explicit CheckpointReader(const QString& dir);

  const QString& dir() const { return dir_; }
  QStringList files() const;  // the safetensors files read, in the order opened
  QStringList names() const;  // all tensor names, sorted
  bool contains(const QString& name) const;
  // Throws FormatError naming the checkpoint and the tensor when absent.
  const TensorInfo& info(const QString& name) const;
  // The file holding a tensor (throws like info()).
  const SafetensorsFile& fileOf(const QString& name) const;
  // A copy converted to dtype on device; nothing of it aliases the files.
  at::Tensor load(const QString& name, c10::ScalarType dtype, const c10::Device& device) const;

  // The files in a folder that are pickles (pytorch_model.bin, *.bin, *.pt, *.pth, *.ckpt), sorted.
  static QStringList pickleFiles(const QString& dir);

 private:
  struct Entry {
    int file = 0;                      // index into files_
    const TensorInfo* info = nullptr;  // owned by files_[file]
  };
  const Entry& entry(const QString& name) const;
  void openSingle(const QString& path);
  void openSharded(const QString& indexPath);

  QString dir_;
  std::vector<std::shared_ptr<const SafetensorsFile>> files_;  // shared: copies of a reader share the maps
  QMap<QString, Entry> entries_;
};

}  // namespace distillery
