// Reductions with TensorFlow's signatures: `axes` empty means all axes; negative axes count
// from the end; keepdims keeps reduced axes as size 1.
//
//   Tensor total = tb::ops::reduce_sum(x);                 // scalar
//   Tensor rows = tb::ops::reduce_mean(x, {-1}, true);     // [N, 1]
//   Tensor cls = tb::ops::argmax(logits, -1);              // int64 [N]
#pragma once

#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

Tensor reduce_sum(const Tensor& x, std::vector<int64_t> axes = {}, bool keepdims = false);
Tensor reduce_mean(const Tensor& x, std::vector<int64_t> axes = {}, bool keepdims = false);
Tensor reduce_max(const Tensor& x, std::vector<int64_t> axes = {}, bool keepdims = false);
Tensor reduce_min(const Tensor& x, std::vector<int64_t> axes = {}, bool keepdims = false);
Tensor reduce_logsumexp(const Tensor& x, std::vector<int64_t> axes = {}, bool keepdims = false);
Tensor argmax(const Tensor& x, int64_t axis = 0);
Tensor argmin(const Tensor& x, int64_t axis = 0);

// Sorted, unique, non-negative axes; empty input means every axis. Throws on out-of-range.
std::vector<int64_t> normalize_axes(const Shape& s, std::vector<int64_t> axes);

}  // namespace tb::ops
