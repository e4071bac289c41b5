#include "model/MemoryEstimate.h"

#include "model/ModelLoader.h"

#include <torch/torch.h>

namespace distillery {

InferenceMemory estimateInference(const ModelConfig& c, int64_t context, int64_t batch) {
  InferenceMemory m;
  m.context = context;
  m.batch = batch;
  m.weightsBytes = parameterCount(c) * 2;
  m.kvCacheBytes = 2 * c.layers * c.kvHeads * c.headDim * context * batch * 2;
  m.workspaceBytes = batch * context * (4 * c.hidden + 3 * c.intermediate) * 2 + batch * c.vocabSize * 4;
  m.totalBytes = m.weightsBytes + m.kvCacheBytes + m.workspaceBytes;
  return m;
}

LoraTrainingMemory estimateLoraTraining(const ModelConfig& c, int64_t rank, int64_t sequence, int64_t batch) {
  LoraTrainingMemory m;
  m.rank = rank;
  m.sequence = sequence;
  m.batch = batch;
  m.weightsBytes = parameterCount(c) * 2;
  const int64_t q = c.heads * c.headDim, kv = c.kvHeads * c.headDim;
  const int64_t perLayer = (c.hidden + q) + 2 * (c.hidden + kv) + (q + c.hidden)  // q, k, v, o
                           + 2 * (c.hidden + c.intermediate) + (c.intermediate + c.hidden);  // gate, up, down
  m.adapterParameters = c.layers * rank * perLayer;
  m.adapterBytes = m.adapterParameters * 16;
  const int64_t perToken = 6 * c.hidden + 2 * q + 2 * kv + 4 * c.intermediate;
  m.activationBytes = c.layers * batch * sequence * perToken * 2 + batch * sequence * c.vocabSize * 4 * 2;
  m.totalBytes = m.weightsBytes + m.adapterBytes + m.activationBytes;
  return m;
}

}  // namespace distillery
