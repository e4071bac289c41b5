// Rough GPU memory needs of a model, from its config alone (what `distillery-cli inspect` and the model page
// show before anything is loaded). Estimates, not measurements: allocator slack, CUDA context (~0.5 GiB) and
// fragmentation come on top.
#pragma once
#include "model/ModelConfig.h"

#include <cstdint>

namespace distillery {

struct InferenceMemory {
  int64_t context = 0;         // tokens per sequence the KV cache holds
  int64_t batch = 0;           // sequences
  int64_t weightsBytes = 0;    // parameters · 2 (bf16)
  int64_t kvCacheBytes = 0;    // 2 (k, v) · layers · kvHeads · headDim · context · batch · 2 bytes
  int64_t workspaceBytes = 0;  // one layer's prefill activations, batch · context · (4·hidden + 3·intermediate) · 2
                               // bytes, plus one row of float32 logits per sequence, batch · vocab · 4
  int64_t totalBytes = 0;      // the sum
};

struct LoraTrainingMemory {
  int64_t rank = 0;              // LoRA r, adapters on q/k/v/o/gate/up/down of every layer
  int64_t sequence = 0;          // tokens per training sequence
  int64_t batch = 0;             // sequences per step
  int64_t weightsBytes = 0;      // frozen base in bf16: parameters · 2
  int64_t adapterParameters = 0; // Σ over adapted projections of r · (in + out)
  int64_t adapterBytes = 0;      // adapterParameters · 16: float32 weight, gradient, Adam m and v (4 bytes each)
  int64_t activationBytes = 0;   // saved for backward, no gradient checkpointing, bf16:
                                 // layers · batch · sequence · (6·hidden + 2·heads·headDim + 2·kvHeads·headDim
                                 // + 4·intermediate) · 2 bytes (norm inputs/outputs, q/k/v, attention output,
                                 // residual, gate/up/silu/product), plus float32 logits and their gradient,
                                 // batch · sequence · vocab · 4 · 2
  int64_t totalBytes = 0;        // the sum
};

InferenceMemory estimateInference(const ModelConfig& c, int64_t context = 4096, int64_t batch = 1);
LoraTrainingMemory estimateLoraTraining(const ModelConfig& c, int64_t rank = 16, int64_t sequence = 2048,
                                        int64_t batch = 1);

}  // namespace distillery
