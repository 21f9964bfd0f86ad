#include "tensorbox/ops/reduce_ops.h"

#include <algorithm>
#include <cmath>

#include "tensorbox/kernels/cpu/reduce.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;

std::vector<int64_t> normalize_axes(const Shape& s, std::vector<int64_t> axes) {
  if (axes.empty()) {
    for (int64_t i = 0; i < s.rank(); ++i) axes.push_back(i);
    return axes;
  }
  for (auto& a : axes) a = s.normalize_axis(a);
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

namespace {

// The shape of the reduction with keepdims=true, to broadcast gradients back.
Shape kept_shape(const Shape& s, const std::vector<int64_t>& axes) {
  std::vector<int64_t> d = s.dims();
  for (int64_t a : axes) d[size_t(a)] = 1;
  return Shape(d);
}

Grads sum_rule(const Node& n, const Grads& g) {
  const Tensor& x = n.inputs[0];
  return {broadcast_to(reshape(g[0], kept_shape(x.shape(), n.attrs.get<std::vector<int64_t>>("axes"))), x.shape())};
}

Grads mean_rule(const Node& n, const Grads& g) {
  const Tensor& x = n.inputs[0];
  const auto& axes = n.attrs.get<std::vector<int64_t>>("axes");
  int64_t count = 1;
  for (int64_t a : axes) count *= x.shape().dims()[size_t(a)];
  // Divided by the count, as TensorFlow's Mean gradient does.
  const Tensor gk = div(reshape(g[0], kept_shape(x.shape(), axes)), scalar_like(double(std::max<int64_t>(count, 1)), x));
  return {broadcast_to(gk, x.shape())};
}

// Max/Min: the gradient is shared equally among the tied extreme elements.
Grads extreme_rule(const Node& n, const Grads& g) {
  const Tensor& x = n.inputs[0];
  const auto& axes = n.attrs.get<std::vector<int64_t>>("axes");
  const Shape ks = kept_shape(x.shape(), axes);
  const Tensor hit = cast(equal(x, reshape(n.outputs[0], ks)), x.dtype());
  const Tensor ties = reduce_sum(hit, axes, true);
  return {mul(hit, div(reshape(g[0], ks), ties))};
}

TB_DEFINE_OP(kSum, "Sum", sum_rule);
TB_DEFINE_OP(kMean, "Mean", mean_rule);
TB_DEFINE_OP(kMax, "Max", extreme_rule);
TB_DEFINE_OP(kMin, "Min", extreme_rule);

Tensor reduce_op(k::ReduceOp op, const OpDef& def, const Tensor& x, std::vector<int64_t> axes_in, bool keepdims) {
  if (x.dtype() == DType::bool_)
    throw InvalidArgumentError(std::string(def.name) + " is not defined for bool tensors");
  auto axes = normalize_axes(x.shape(), std::move(axes_in));
  Tensor y = k::reduce(op, x, axes, keepdims);
  if (recording() && is_floating(x.dtype()))
    record(def, {x}, {y}, {{"axes", std::move(axes)}, {"keep_dims", keepdims}});
  return y;
}

}  // namespace

Tensor reduce_sum(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::sum, kSum, x, std::move(axes), keepdims);
}
Tensor reduce_mean(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::mean, kMean, x, std::move(axes), keepdims);
}
Tensor reduce_max(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::max, kMax, x, std::move(axes), keepdims);
}
Tensor reduce_min(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::min, kMin, x, std::move(axes), keepdims);
}

Tensor reduce_logsumexp(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  if (!is_floating(x.dtype()))
    throw InvalidArgumentError("reduce_logsumexp needs a floating tensor, got " +
                               std::string(dtype_name(x.dtype())));
  // Composed from primitives, so its gradient (softmax) comes for free. The shift by the max
  // is held constant; an infinite max is replaced by 0 so all -inf rows give -inf, not NaN.
  const Tensor raw_max = stop_gradient(reduce_max(x, axes, true));
  const Tensor finite = less(abs(raw_max), scalar_like(INFINITY, x));
  const Tensor m = where(finite, raw_max, zeros_like(raw_max));
  const Tensor s = log(reduce_sum(exp(sub(x, m)), axes, true));
  const Tensor y = add(s, m);
  if (keepdims) return y;
  const auto norm = normalize_axes(x.shape(), axes);
  std::vector<int64_t> d;
  for (int64_t i = 0; i < x.rank(); ++i)
    if (!std::binary_search(norm.begin(), norm.end(), i)) d.push_back(x.shape().dims()[size_t(i)]);
  return reshape(y, Shape(d));
}

Tensor argmax(const Tensor& x, int64_t axis) {
  return k::arg_reduce(true, x, x.shape().normalize_axis(axis));
}
Tensor argmin(const Tensor& x, int64_t axis) {
  return k::arg_reduce(false, x, x.shape().normalize_axis(axis));
}

}  // namespace tb::ops
