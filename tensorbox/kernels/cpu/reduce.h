// Reductions over a set of axes: sum, mean, max, min, prod, and argmax/argmin along one axis.
//
// The input is viewed as [outer, reduced, inner] when the reduced axes are adjacent (the
// common cases: a bias gradient sums axis 0, a loss sums the last axis); other axis sets are
// first transposed to the end. float32 uses SIMD row sums; other types accumulate in double
// (integers in int64) and round once.
//
//   Tensor s = tb::kernels::cpu::reduce(ReduceOp::sum, x, {0}, /*keepdims=*/false);
#pragma once

#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

enum class ReduceOp { sum, mean, max, min, prod };

// `axes`: sorted, unique, non-negative (the op normalizes them).
Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int64_t>& axes, bool keepdims);
// int64 indices of the first maximum (minimum) along `axis`.
Tensor arg_reduce(bool is_max, const Tensor& x, int64_t axis);

}  // namespace tb::kernels::cpu
