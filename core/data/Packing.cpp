#include "data/Packing.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <utility>

namespace distillery {

std::vector<PackedRow> packRows(const std::vector<int64_t>& lengths, int64_t seqLen) {
  TORCH_CHECK(seqLen >= 1, "packing needs seq_len ≥ 1, got ", seqLen);
  const auto cut = [&](size_t i) { return std::clamp<int64_t>(lengths[i], 0, seqLen); };
  std::vector<size_t> byLength(lengths.size());
  std::iota(byLength.begin(), byLength.end(), size_t(0));
  std::stable_sort(byLength.begin(), byLength.end(), [&](size_t a, size_t b) { return cut(a) > cut(b); });

  std::vector<PackedRow> rows;
  // (free tokens, row index) of the rows that still have room: lower_bound finds the fullest row that fits,
  // the lowest index among equally full ones.
  std::set<std::pair<int64_t, size_t>> room;
  for (size_t i : byLength) {
    const int64_t need = cut(i);
    auto it = room.lower_bound({need, size_t(0)});
    int64_t free = 0;
    size_t row = 0;
    if (it == room.end()) {
      row = rows.size();
      rows.emplace_back();
      free = seqLen;
    } else {
      std::tie(free, row) = *it;
      room.erase(it);
    }
    rows[row].push_back(i);
    if (free - need > 0) room.emplace(free - need, row);
  }
  return rows;
}

Batch collateRows(const std::vector<std::vector<const Example*>>& rows, int64_t seqLen, int32_t padId, Padding padding,
                  bool packed) {
  TORCH_CHECK(!rows.empty(), "collate needs at least one row");
  const auto cut = [&](const Example* e) { return std::min<int64_t>(int64_t(e->ids.size()), seqLen); };
  std::vector<int64_t> lengths;
  int64_t width = 1;
  for (const auto& row : rows) {
    TORCH_CHECK(!row.empty(), "a packed row needs at least one example");
    int64_t len = 0;
    for (const Example* e : row) len += cut(e);
    TORCH_CHECK(len <= seqLen, "a packed row holds ", len, " tokens, more than seq_len ", seqLen);
    lengths.push_back(len);
    width = std::max(width, len);
  }
  const int64_t n = int64_t(rows.size());
  torch::Tensor ids = torch::full({n, width}, int64_t(padId), torch::kInt64);
  torch::Tensor mask = torch::zeros({n, width}, torch::kInt64);
  torch::Tensor labels = torch::full({n, width}, int64_t(-100), torch::kInt64);
  torch::Tensor positions = torch::zeros({n, width}, torch::kInt64);
  torch::Tensor segments = torch::zeros({n, width}, torch::kInt64);
  auto I = ids.accessor<int64_t, 2>();
  auto M = mask.accessor<int64_t, 2>();
  auto L = labels.accessor<int64_t, 2>();
  auto P = positions.accessor<int64_t, 2>();
  auto G = segments.accessor<int64_t, 2>();
  int64_t tokens = 0;
  for (int64_t b = 0; b < n; ++b) {
    const int64_t start = padding == Padding::Left ? width - lengths[size_t(b)] : 0;
    int64_t at = start;
    int64_t segment = 0;
    for (const Example* e : rows[size_t(b)]) {
      const int64_t len = cut(e);
      ++segment;
      for (int64_t s = 0; s < len; ++s, ++at) {
        I[b][at] = e->ids[size_t(s)];
        M[b][at] = 1;
        G[b][at] = segment;
        // Packed: every example starts at position 0, as it would alone; otherwise the row is one example.
        P[b][at] = packed ? s : at - start;
        // Position s predicts token s + 1 of the same example, when it is counted and inside the cut: the last
        // token of an example never predicts the first of the next.
        if (s + 1 < len && e->target[size_t(s + 1)]) {
          L[b][at] = e->ids[size_t(s + 1)];
          ++tokens;
        }
      }
    }
    // Right padding repeats the last token's position (cumsum(mask) − 1); left padding stays 0.
    if (padding == Padding::Right && at > 0)
      for (int64_t s = at; s < width; ++s) P[b][s] = P[b][at - 1];
  }
  Batch batch;
  batch.inputIds = ids;
  batch.attentionMask = mask;
  batch.labels = labels;
  batch.positionIds = positions;
  if (packed) batch.segmentIds = segments;
  batch.tokens = tokens;
  return batch;
}

}  // namespace distillery
