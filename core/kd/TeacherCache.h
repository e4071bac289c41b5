// Teacher logits cached on disk: the teacher runs once over the training data, its top-k logits per token are
// kept, and later student runs (other seeds, τ, α, students) read them instead of running the teacher.
//
//   DIR/index.json                 {"format": 1, "teacher": PATH, "top_k": k, "data_hash": SHA-256 of the data file}
//   DIR/<batch key>.safetensors    "values" [B, S, k] F32 raw teacher logits (largest first), "indices" [B, S, k]
//                                  I32 their ids; metadata {"vocab": Vt}
//
// The batch key is a hash of the batch's input ids and attention mask, so a batch finds its entry whatever the
// epoch or shuffle that produced it. Every file is written atomically (temp + rename): a crash leaves either
// the whole entry or none.
//
// The approximation: raw logits are stored (not probabilities), so τ may change per step; the loss renormalises
// the teacher's softmax over its k ids at temperature τ (the other ids get probability 0). Forward KL and JSD
// are then exact for the truncated teacher; the error against the full teacher grows with the tail mass
// outside the top k (tiny for peaked distributions and small τ). Reverse KL needs p > 0 on every id and is
// refused for k < vocab. With k = vocab the cached loss equals the online one.
//
//   TeacherCache cache(spec.kd.cacheDir, {teacherDir, spec.kd.cacheTopK, fileSha256(spec.data.train)});
//   QString key = TeacherCache::batchKey(batch.inputIds, batch.attentionMask);
//   if (!cache.contains(key)) cache.store(key, teacherLogits);         // [B, S, Vt]
//   KdLossResult r = chunkedKdLoss(h, w, {cache.load(key).targets()}, batch.labels, o);
#pragma once
#include "common/FileHash.h"
#include "kd/KdLoss.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <cstdint>

namespace distillery {

// What a cache was made from; an existing cache must match all three.
struct TeacherCacheKey {
  QString teacher;   // the teacher's model folder
  int64_t topK = 0;  // logits kept per token (> 0)
  QString dataHash;  // fileSha256 of the training data file
};

// One cached batch.
struct TeacherTopK {
  torch::Tensor values;   // [B, S, k] float32 raw teacher logits, largest first
  torch::Tensor indices;  // [B, S, k] int64 their ids
  int64_t vocab = 0;      // the teacher's vocabulary size
  // As a soft target for chunkedKdLoss (on the CPU; .to() the tensors first for another device).
  TeacherTargets targets(double mix = 1) const;
};

class TeacherCache {
 public:
  // Opens DIR, creating it and its index.json when absent. An index made for another teacher, k or data hash
  // is refused with Error(index path, field, stored value, what the job asks) and left untouched.
  TeacherCache(const QString& dir, const TeacherCacheKey& key);

  // 40 hex digits identifying a batch by its content: ids [B, S] int64, mask and segment ids [B, S] (either may
  // be undefined; packed rows with other boundaries are other batches).
  static QString batchKey(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                          const torch::Tensor& segmentIds = {});

  bool contains(const QString& batchKey) const;
  // logits [..., Vt] on any device and dtype: keeps the top min(k, Vt) of the last dimension.
  void store(const QString& batchKey, const torch::Tensor& logits) const;
  // Throws Error naming the file when the batch is not cached or the file is malformed.
  TeacherTopK load(const QString& batchKey) const;

  const QString& dir() const { return dir_; }
  const TeacherCacheKey& key() const { return key_; }

 private:
  QString entryPath(const QString& batchKey) const;

  QString dir_;
  TeacherCacheKey key_;
};

}  // namespace distillery
