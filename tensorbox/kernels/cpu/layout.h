// Layout kernels: copies that move elements without computing on them (transpose, slice,
// concat, broadcast_to, gather) and their scatter counterparts used by gradients.
// All of them go through one strided-copy routine.
//
//   Tensor t = tb::kernels::cpu::transpose(x, {1, 0});
//   Tensor s = tb::kernels::cpu::slice(x, {0, 2}, {4, 3});
#pragma once

#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

// Copies a block of `shape` elements between two strided views (strides in elements).
void strided_copy(const void* src, const std::vector<int64_t>& src_strides, void* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape, size_t elem_size);

Tensor transpose(const Tensor& x, const std::vector<int64_t>& perm);
Tensor slice(const Tensor& x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size);
// A zero tensor of `full` shape with `x` written at offset `begin` (the gradient of slice).
Tensor pad_slice(const Tensor& x, const Shape& full, const std::vector<int64_t>& begin);
Tensor concat(const std::vector<Tensor>& xs, int64_t axis);
Tensor broadcast_to(const Tensor& x, const Shape& shape);
// tf.gather(params, indices, axis); indices int32/int64 already range-checked by the op.
Tensor gather(const Tensor& params, const Tensor& indices, int64_t axis);
// Sums rows of `updates` into a zero tensor whose `axis` has size `dim` (gather's gradient).
Tensor scatter_add(const Tensor& updates, const Tensor& indices, int64_t axis, int64_t dim);
// np.take_along_axis: out[..., i, ...] = x[..., indices[..., i, ...], ...] along `axis`;
// indices has x's rank and x's dims except along `axis` (range-checked by the op).
Tensor take_along_axis(const Tensor& x, const Tensor& indices, int64_t axis);
// Its gradient: g summed into a zero tensor of `shape` at the taken positions.
Tensor put_along_axis_add(const Tensor& g, const Tensor& indices, int64_t axis, const Shape& shape);
Tensor one_hot(const Tensor& indices, int64_t depth, double on, double off, DType dtype);
// Reads index i of an int32/int64 tensor as int64.
int64_t index_at(const Tensor& indices, int64_t i);

}  // namespace tb::kernels::cpu
