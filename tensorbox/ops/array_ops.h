// Shape and layout ops with gradients: reshape (a view), transpose, slice, pad, gather, concat,
// one_hot, broadcast_to, expand_dims, squeeze. Errors name the op and the shapes involved.
//
//   Tensor flat = tb::ops::reshape(images, {-1, 784});
//   Tensor rows = tb::ops::gather(x, idx, 0);       // tf.gather
//   Tensor oh = tb::ops::one_hot(labels, 10);       // float32 [N, 10]
#pragma once

#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

Tensor reshape(const Tensor& x, const Shape& shape);
Tensor transpose(const Tensor& x, std::vector<int64_t> perm = {});  // default: reverse axes
// tf.slice: size -1 means "to the end".
Tensor slice(const Tensor& x, const std::vector<int64_t>& begin, std::vector<int64_t> size);
// tf.pad with zeros: paddings[i] = (before, after) for axis i.
Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& paddings);
// tf.gather(params, indices, axis): indices int32/int64, each in [0, params.shape[axis]).
Tensor gather(const Tensor& params, const Tensor& indices, int64_t axis = 0);
// np.take_along_axis / tf.experimental.numpy.take_along_axis: picks one element per
// position along `axis` (e.g. each row's label score). indices: int32/int64 of x's rank,
// equal to x's shape except along `axis`, each in [0, x.shape[axis]).
Tensor take_along_axis(const Tensor& x, const Tensor& indices, int64_t axis);
// tf.math.unsorted_segment_sum, generalised to segments along `axis` (0 in TensorFlow): out has
// data's shape with the segment_ids dims replaced by num_segments; the gradient of gather.
Tensor unsorted_segment_sum(const Tensor& data, const Tensor& segment_ids, int64_t num_segments, int64_t axis = 0);
// A tensor of `shape` holding zeros plus each value added at its index along `axis` (the
// gradient of take_along_axis).
Tensor put_along_axis_add(const Tensor& values, const Tensor& indices, int64_t axis, const Shape& shape);
Tensor concat(const std::vector<Tensor>& xs, int64_t axis);
// tf.unstack: the x.dim(axis) slices along `axis`, that axis removed. One op with many outputs,
// so the gradient is one stack of the slices' gradients (a loop over time that slices a
// sequence step by step would build a zero-padded full-size gradient per step instead).
std::vector<Tensor> unstack(const Tensor& x, int64_t axis = 0);
// tf.stack: tensors of one shape joined along a new axis (the inverse of unstack).
Tensor stack(const std::vector<Tensor>& xs, int64_t axis = 0);
Tensor one_hot(const Tensor& indices, int64_t depth, double on_value = 1.0,
               double off_value = 0.0, DType dtype = DType::float32);
Tensor broadcast_to(const Tensor& x, const Shape& shape);
Tensor expand_dims(const Tensor& x, int64_t axis);
// Removes the given size-1 axes (all size-1 axes when empty).
Tensor squeeze(const Tensor& x, std::vector<int64_t> axes = {});

}  // namespace tb::ops
