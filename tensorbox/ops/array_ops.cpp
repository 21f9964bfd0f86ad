#include "tensorbox/ops/array_ops.h"

#include <algorithm>
#include <string>

#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/layout.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;

namespace {
std::string vec_str(const std::vector<int64_t>& v) { return Shape(v).to_string(); }

using Ints = std::vector<int64_t>;

// The recorded ops behind unsorted_segment_sum, put_along_axis_add and take_along_axis, without
// their index checks: the gradient rules call them with indices the forward pass already checked.
Tensor segment_sum_unchecked(const Tensor& data, const Tensor& segment_ids, int64_t num_segments, int64_t axis);
Tensor put_along_axis_unchecked(const Tensor& values, const Tensor& indices, int64_t axis, const Shape& shape);
Tensor take_along_axis_unchecked(const Tensor& x, const Tensor& indices, int64_t axis);

Grads reshape_rule(const Node& n, const Grads& g) { return {reshape(g[0], n.inputs[0].shape())}; }
Grads transpose_rule(const Node& n, const Grads& g) {
  const auto& perm = n.attrs.get<Ints>("perm");
  Ints inv(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inv[size_t(perm[i])] = int64_t(i);
  return {transpose(g[0], inv)};
}
// The gradient of a slice is the gradient padded back to the input's shape, and the reverse.
Grads slice_rule(const Node& n, const Grads& g) {
  const auto& begin = n.attrs.get<Ints>("begin");
  const Shape& in = n.inputs[0].shape();
  std::vector<std::pair<int64_t, int64_t>> paddings;
  for (size_t i = 0; i < begin.size(); ++i)
    paddings.emplace_back(begin[i], in.dims()[i] - begin[i] - g[0].shape().dims()[i]);
  return {pad(g[0], paddings)};
}
Grads pad_rule(const Node& n, const Grads& g) {
  return {slice(g[0], n.attrs.get<Ints>("begin"), n.inputs[0].shape().dims())};
}
Grads gather_rule(const Node& n, const Grads& g) {
  const int64_t axis = n.attrs.get<int64_t>("axis");
  return {segment_sum_unchecked(g[0], n.inputs[1], n.inputs[0].shape().dims()[size_t(axis)], axis), Tensor()};
}
Grads segment_sum_rule(const Node& n, const Grads& g) {
  return {gather(g[0], n.inputs[1], n.attrs.get<int64_t>("axis")), Tensor()};
}
Grads take_along_axis_rule(const Node& n, const Grads& g) {
  return {put_along_axis_unchecked(g[0], n.inputs[1], n.attrs.get<int64_t>("axis"), n.inputs[0].shape()), Tensor()};
}
Grads put_along_axis_rule(const Node& n, const Grads& g) {
  return {take_along_axis_unchecked(g[0], n.inputs[1], n.attrs.get<int64_t>("axis")), Tensor()};
}
Grads unpack_rule(const Node& n, const Grads& g) {
  const int64_t axis = n.attrs.get<int64_t>("axis");
  Ints one = n.inputs[0].shape().dims();
  one[size_t(axis)] = 1;
  std::vector<Tensor> parts;
  for (const Tensor& gi : g) parts.push_back(reshape(gi, Shape(one)));
  return {concat(parts, axis)};
}
Grads pack_rule(const Node& n, const Grads& g) {
  const int64_t axis = n.attrs.get<int64_t>("axis");
  const Shape& s = n.inputs[0].shape();
  Ints one = s.dims();
  one.insert(one.begin() + axis, 1);
  Grads out;
  Ints begin(one.size(), 0);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    begin[size_t(axis)] = int64_t(i);
    out.push_back(reshape(slice(g[0], begin, one), s));
  }
  return out;
}
Grads concat_rule(const Node& n, const Grads& g) {
  const int64_t axis = n.attrs.get<int64_t>("axis");
  Grads out;
  int64_t at = 0;
  for (const Tensor& x : n.inputs) {
    Ints begin(size_t(x.rank()), 0);
    begin[size_t(axis)] = at;
    out.push_back(slice(g[0], begin, x.shape().dims()));
    at += x.shape().dims()[size_t(axis)];
  }
  return out;
}
Grads broadcast_rule(const Node& n, const Grads& g) { return {unbroadcast(g[0], n.inputs[0].shape())}; }

TB_DEFINE_OP(kReshape, "Reshape", reshape_rule);
TB_DEFINE_OP(kTranspose, "Transpose", transpose_rule);
TB_DEFINE_OP(kSlice, "Slice", slice_rule);
TB_DEFINE_OP(kPad, "Pad", pad_rule);
TB_DEFINE_OP(kGatherV2, "GatherV2", gather_rule);
TB_DEFINE_OP(kUnsortedSegmentSum, "UnsortedSegmentSum", segment_sum_rule);
TB_DEFINE_OP(kTakeAlongAxis, "TakeAlongAxis", take_along_axis_rule);
TB_DEFINE_OP(kPutAlongAxisAdd, "PutAlongAxisAdd", put_along_axis_rule);
TB_DEFINE_OP(kUnpack, "Unpack", unpack_rule);
TB_DEFINE_OP(kPack, "Pack", pack_rule);
TB_DEFINE_OP(kConcatV2, "ConcatV2", concat_rule);
TB_DEFINE_OP(kBroadcastTo, "BroadcastTo", broadcast_rule);

void check_index_dtype(const char* op, const Tensor& indices) {
  if (indices.dtype() != DType::int32 && indices.dtype() != DType::int64)
    throw InvalidArgumentError(std::string(op) + ": indices must be int32 or int64, got " +
                               std::string(dtype_name(indices.dtype())));
}

// Every index in [0, limit); the error names the op, the tensor (`what`), the entry and, after
// the range, `context`.
void check_index_range(const char* op, const char* what, const Tensor& indices, int64_t limit,
                       const std::string& context = "") {
  for (int64_t i = 0; i < indices.size(); ++i) {
    const int64_t v = k::index_at(indices, i);
    if (v < 0 || v >= limit)
      throw InvalidArgumentError(std::string(op) + ": " + what + "[" + std::to_string(i) + "] = " + std::to_string(v) +
                                 " is not in [0, " + std::to_string(limit) + ")" + context);
  }
}


}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  Tensor y = x.reshape(shape);
  if (recording()) record(kReshape, {x}, {y});
  return y;
}

Tensor transpose(const Tensor& x, std::vector<int64_t> perm) {
  if (perm.empty())
    for (int64_t i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
  std::vector<int64_t> seen(perm.size(), 0);
  bool ok = int64_t(perm.size()) == x.rank();
  for (int64_t p : perm) {
    if (!ok || p < 0 || p >= x.rank() || seen[size_t(p)]++) { ok = false; break; }
  }
  if (!ok)
    throw InvalidArgumentError("transpose: perm " + vec_str(perm) +
                               " is not a permutation of the axes of shape " +
                               x.shape().to_string());
  Tensor y = k::transpose(x, perm);
  if (recording()) record(kTranspose, {x}, {y}, {{"perm", std::move(perm)}});
  return y;
}

Tensor slice(const Tensor& x, const std::vector<int64_t>& begin, std::vector<int64_t> size) {
  if (int64_t(begin.size()) != x.rank() || int64_t(size.size()) != x.rank())
    throw InvalidArgumentError("slice: begin " + vec_str(begin) + " and size " + vec_str(size) +
                               " must both have one entry per axis of shape " +
                               x.shape().to_string());
  for (size_t i = 0; i < begin.size(); ++i) {
    const int64_t d = x.shape().dims()[i];
    if (size[i] == -1) size[i] = d - begin[i];
    if (begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > d)
      throw InvalidArgumentError("slice: begin " + vec_str(begin) + " with size " +
                                 vec_str(size) + " is out of bounds for shape " +
                                 x.shape().to_string());
  }
  Tensor y = k::slice(x, begin, size);
  if (recording()) record(kSlice, {x}, {y}, {{"begin", begin}, {"size", std::move(size)}});
  return y;
}

Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& paddings) {
  if (int64_t(paddings.size()) != x.rank())
    throw InvalidArgumentError("pad: paddings must have one (before, after) pair per axis of shape " +
                               x.shape().to_string() + ", got " + std::to_string(paddings.size()));
  std::vector<int64_t> full = x.shape().dims(), begin;
  for (size_t i = 0; i < paddings.size(); ++i) {
    if (paddings[i].first < 0 || paddings[i].second < 0)
      throw InvalidArgumentError("pad: paddings must be non-negative, got (" + std::to_string(paddings[i].first) + ", " +
                                 std::to_string(paddings[i].second) + ") for axis " + std::to_string(i));
    full[i] += paddings[i].first + paddings[i].second;
    begin.push_back(paddings[i].first);
  }
  Tensor y = k::pad_slice(x, Shape(full), begin);
  if (recording()) record(kPad, {x}, {y}, {{"begin", std::move(begin)}});
  return y;
}

Tensor gather(const Tensor& params, const Tensor& indices, int64_t axis_in) {
  check_index_dtype("gather", indices);
  const int64_t axis = params.shape().normalize_axis(axis_in);
  check_index_range("gather", "indices", indices, params.shape().dims()[size_t(axis)],
                    " for params of shape " + params.shape().to_string());
  Tensor y = k::gather(params, indices, axis);
  if (recording()) record(kGatherV2, {params, indices}, {y}, {{"axis", axis}});
  return y;
}

Tensor unsorted_segment_sum(const Tensor& data, const Tensor& segment_ids, int64_t num_segments, int64_t axis) {
  check_index_dtype("unsorted_segment_sum", segment_ids);
  const int64_t lead = data.rank() - segment_ids.rank();
  bool ok = axis >= 0 && num_segments >= 0 && axis <= lead;
  for (int64_t d = 0; ok && d < segment_ids.rank(); ++d)
    ok = segment_ids.shape().dims()[size_t(d)] == data.shape().dims()[size_t(axis + d)];
  if (!ok)
    throw InvalidArgumentError("unsorted_segment_sum: segment_ids of shape " + segment_ids.shape().to_string() +
                               " must match data of shape " + data.shape().to_string() + " from axis " +
                               std::to_string(axis));
  check_index_range("unsorted_segment_sum", "segment_ids", segment_ids, num_segments);
  return segment_sum_unchecked(data, segment_ids, num_segments, axis);
}

namespace {
Tensor segment_sum_unchecked(const Tensor& data, const Tensor& segment_ids, int64_t num_segments, int64_t axis) {
  Tensor y = k::scatter_add(data, segment_ids, axis, num_segments);
  if (recording()) record(kUnsortedSegmentSum, {data, segment_ids}, {y}, {{"axis", axis}, {"num_segments", num_segments}});
  return y;
}
}  // namespace

Tensor take_along_axis(const Tensor& x, const Tensor& indices, int64_t axis_in) {
  check_index_dtype("take_along_axis", indices);
  const int64_t axis = x.shape().normalize_axis(axis_in);
  bool ok = indices.rank() == x.rank();
  for (int64_t d = 0; ok && d < x.rank(); ++d)
    ok = d == axis || indices.shape().dims()[size_t(d)] == x.shape().dims()[size_t(d)];
  if (!ok)
    throw InvalidArgumentError("take_along_axis: indices of shape " + indices.shape().to_string() +
                               " must match x of shape " + x.shape().to_string() + " except along axis " +
                               std::to_string(axis));
  check_index_range("take_along_axis", "indices", indices, x.shape().dims()[size_t(axis)],
                    " for x of shape " + x.shape().to_string());
  return take_along_axis_unchecked(x, indices, axis);
}

namespace {
Tensor take_along_axis_unchecked(const Tensor& x, const Tensor& indices, int64_t axis) {
  Tensor y = k::take_along_axis(x, indices, axis);
  if (recording()) record(kTakeAlongAxis, {x, indices}, {y}, {{"axis", axis}});
  return y;
}
}  // namespace

Tensor put_along_axis_add(const Tensor& values, const Tensor& indices, int64_t axis, const Shape& shape) {
  check_index_dtype("put_along_axis_add", indices);
  bool ok = indices.shape() == values.shape() && shape.rank() == values.rank() && axis >= 0 && axis < shape.rank();
  for (int64_t d = 0; ok && d < shape.rank(); ++d)
    ok = d == axis || shape.dims()[size_t(d)] == values.shape().dims()[size_t(d)];
  if (!ok)
    throw InvalidArgumentError("put_along_axis_add: values of shape " + values.shape().to_string() + " and indices of shape " +
                               indices.shape().to_string() + " do not fit shape " + shape.to_string() + " along axis " +
                               std::to_string(axis));
  check_index_range("put_along_axis_add", "indices", indices, shape.dims()[size_t(axis)]);
  return put_along_axis_unchecked(values, indices, axis, shape);
}

namespace {
Tensor put_along_axis_unchecked(const Tensor& values, const Tensor& indices, int64_t axis, const Shape& shape) {
  Tensor y = k::put_along_axis_add(values, indices, axis, shape);
  if (recording()) record(kPutAlongAxisAdd, {values, indices}, {y}, {{"axis", axis}});
  return y;
}
}  // namespace

std::vector<Tensor> unstack(const Tensor& x, int64_t axis_in) {
  if (x.rank() == 0) throw InvalidArgumentError("unstack: needs a tensor of rank >= 1, got a scalar");
  const int64_t axis = x.shape().normalize_axis(axis_in);
  const int64_t n = x.dim(axis);
  std::vector<int64_t> begin(size_t(x.rank()), 0), size = x.shape().dims(), out_dims = x.shape().dims();
  size[size_t(axis)] = 1;
  out_dims.erase(out_dims.begin() + axis);
  std::vector<Tensor> ys;
  for (int64_t i = 0; i < n; ++i) {
    begin[size_t(axis)] = i;
    ys.push_back(k::slice(x, begin, size).reshape(Shape(out_dims)));
  }
  if (recording() && n > 0) record(kUnpack, {x}, ys, {{"axis", axis}});
  return ys;
}

Tensor stack(const std::vector<Tensor>& xs, int64_t axis_in) {
  if (xs.empty()) throw InvalidArgumentError("stack: needs at least one tensor");
  for (size_t i = 1; i < xs.size(); ++i)
    if (xs[i].shape() != xs[0].shape() || xs[i].dtype() != xs[0].dtype())
      throw InvalidArgumentError("stack: input " + std::to_string(i) + " has shape " + xs[i].shape().to_string() +
                                 " and dtype " + std::string(dtype_name(xs[i].dtype())) + ", input 0 has shape " +
                                 xs[0].shape().to_string() + " and dtype " + std::string(dtype_name(xs[0].dtype())));
  const int64_t rank = xs[0].rank() + 1;
  const int64_t axis = axis_in < 0 ? axis_in + rank : axis_in;
  if (axis < 0 || axis >= rank)
    throw InvalidArgumentError("stack: axis " + std::to_string(axis_in) + " is out of range for inputs of shape " +
                               xs[0].shape().to_string());
  std::vector<int64_t> one = xs[0].shape().dims();
  one.insert(one.begin() + axis, 1);
  std::vector<Tensor> parts;
  for (const Tensor& x : xs) parts.push_back(x.reshape(Shape(one)));
  Tensor y = k::concat(parts, axis);
  if (recording()) record(kPack, xs, {y}, {{"axis", axis}});
  return y;
}

Tensor concat(const std::vector<Tensor>& xs, int64_t axis_in) {
  if (xs.empty()) throw InvalidArgumentError("concat: needs at least one tensor");
  const int64_t axis = xs[0].shape().normalize_axis(axis_in);
  for (size_t i = 1; i < xs.size(); ++i) {
    bool ok = xs[i].rank() == xs[0].rank() && xs[i].dtype() == xs[0].dtype();
    for (int64_t d = 0; ok && d < xs[0].rank(); ++d)
      ok = d == axis || xs[i].shape().dims()[size_t(d)] == xs[0].shape().dims()[size_t(d)];
    if (!ok)
      throw InvalidArgumentError("concat: input " + std::to_string(i) + " has shape " +
                                 xs[i].shape().to_string() + " and dtype " +
                                 std::string(dtype_name(xs[i].dtype())) +
                                 ", incompatible with input 0 of shape " +
                                 xs[0].shape().to_string() + " and dtype " +
                                 std::string(dtype_name(xs[0].dtype())) + " along axis " +
                                 std::to_string(axis));
  }
  Tensor y = k::concat(xs, axis);
  if (recording()) record(kConcatV2, xs, {y}, {{"axis", axis}});
  return y;
}

Tensor one_hot(const Tensor& indices, int64_t depth, double on, double off, DType dtype) {
  if (indices.dtype() != DType::int32 && indices.dtype() != DType::int64 &&
      indices.dtype() != DType::uint8)
    throw InvalidArgumentError("one_hot: indices must be integers, got " +
                               std::string(dtype_name(indices.dtype())));
  if (depth < 0) throw InvalidArgumentError("one_hot: depth must be >= 0, got " + std::to_string(depth));
  // Out-of-range indices give an all-off row, as in TensorFlow.
  const Tensor idx = indices.dtype() == DType::uint8 ? k::cast(indices, DType::int64) : indices;
  return k::one_hot(idx, depth, on, off, dtype);
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (broadcast_shapes(x.shape(), shape, "BroadcastTo") != shape)
    throw InvalidArgumentError("BroadcastTo: cannot broadcast shape " + x.shape().to_string() +
                               " to " + shape.to_string());
  Tensor y = k::broadcast_to(x, shape);
  if (y.same_as(x)) return y;
  if (recording()) record(kBroadcastTo, {x}, {y}, {{"shape", shape}});
  return y;
}

Tensor expand_dims(const Tensor& x, int64_t axis) {
  if (axis < -x.rank() - 1 || axis > x.rank())
    throw InvalidArgumentError("expand_dims: axis " + std::to_string(axis) +
                               " is out of range for shape " + x.shape().to_string());
  if (axis < 0) axis += x.rank() + 1;
  std::vector<int64_t> d = x.shape().dims();
  d.insert(d.begin() + axis, 1);
  return reshape(x, Shape(d));
}

Tensor squeeze(const Tensor& x, std::vector<int64_t> axes) {
  std::vector<bool> drop(size_t(x.rank()), false);
  if (axes.empty()) {
    for (int64_t i = 0; i < x.rank(); ++i) drop[size_t(i)] = x.shape().dims()[size_t(i)] == 1;
  } else {
    for (int64_t a : axes) {
      const int64_t n = x.shape().normalize_axis(a);
      if (x.shape().dims()[size_t(n)] != 1)
        throw InvalidArgumentError("squeeze: cannot squeeze axis " + std::to_string(a) +
                                   " of size " + std::to_string(x.shape().dims()[size_t(n)]) +
                                   " in shape " + x.shape().to_string());
      drop[size_t(n)] = true;
    }
  }
  std::vector<int64_t> d;
  for (int64_t i = 0; i < x.rank(); ++i) if (!drop[size_t(i)]) d.push_back(x.shape().dims()[size_t(i)]);
  return reshape(x, Shape(d));
}

}  // namespace tb::ops
