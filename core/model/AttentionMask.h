// Which keys each query may attend to, and the position ids transformers derives from a padding mask.
// Packed rows (several examples in one sequence, core/data/Packing.h) add segment ids: a query then sees only
// the keys of its own example, so each example is computed as if it were alone in the row.
#pragma once
#include <torch/types.h>

namespace distillery {

struct AttentionMask {
  enum class Kind {
    All,       // every query sees every key (one new token after a cache without padding)
    Causal,    // query i sees keys 0..i (no cache, no padding, no window narrower than the input)
    Explicit,  // allowed says it
  };
  Kind kind = Kind::Causal;
  torch::Tensor allowed;  // Explicit: [B, 1, S, past + S] bool, true where the key may be attended
};

// The mask for S queries following `past` cached positions. padding: [B, past + S] (1 = token, 0 = padding;
// any integer or bool dtype) or undefined for none. window > 0 restricts query q to keys k with q - k < window
// (transformers' sliding window on cache positions). segments: [B, S] int64 example ids of a packed row (1..n,
// 0 = padding) or undefined; when given (no cache: past must be 0) a query sees only keys of its own segment,
// so the mask is causal AND same segment AND window AND padding. A query whose keys are all masked (a
// left-padding position) is allowed all of them instead, as transformers does for SDPA, so nothing turns NaN;
// the outputs at such positions mean nothing.
AttentionMask makeAttentionMask(const torch::Tensor& padding, int64_t batch, int64_t past, int64_t steps,
                                int64_t window, const torch::Device& device, const torch::Tensor& segments = {});

// Position ids of the last `steps` positions, [B, steps] int64. With padding [B, past + steps], as
// transformers' generate: cumsum(mask) - 1, padded positions set to 1; without it, past .. past + steps - 1.
torch::Tensor makePositionIds(const torch::Tensor& padding, int64_t batch, int64_t past, int64_t steps,
                              const torch::Device& device);

// The Kind::Causal mask written out, [1, 1, S, S] bool (for the explicit attention path).
torch::Tensor causalMask(int64_t steps, const torch::Device& device);

}  // namespace distillery
