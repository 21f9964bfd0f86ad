// Iteration over a broadcast of up to three operands into an output shape.
//
// Shapes are first collapsed (size-1 dims dropped, runs of dims that are contiguous in every
// operand merged), so [N, M] + [M] becomes N rows of M with the second operand's row stride
// 0. Kernels then run an inner loop over rows whose operand strides are 0 or 1.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tensorbox/core/shape.h"

namespace tb::kernels::cpu {

template <size_t K>
struct BroadcastPlan {
  std::vector<int64_t> dims;                      // collapsed output dims (last = row)
  std::array<std::vector<int64_t>, K> strides;    // per operand, per collapsed dim, in elements
  int64_t rows() const;
  int64_t row_len() const { return dims.empty() ? 1 : dims.back(); }
  // Element offsets of each operand at the start of row r.
  std::array<int64_t, K> row_offsets(int64_t r) const;
  // Stride (0 or 1) of each operand along the row.
  int64_t row_stride(size_t k) const { return dims.empty() ? 0 : strides[k].back(); }
};

template <size_t K>
BroadcastPlan<K> plan_broadcast(const Shape& out, const std::array<const Shape*, K>& in);

}  // namespace tb::kernels::cpu
