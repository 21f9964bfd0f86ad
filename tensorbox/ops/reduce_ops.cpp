#include "tensorbox/ops/reduce_ops.h"

#include <algorithm>
#include <cmath>

#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/layout.h"
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

Tensor reduce_op(k::ReduceOp op, const char* name, const Tensor& x, std::vector<int64_t> axes_in,
                 bool keepdims) {
  if (x.dtype() == DType::bool_)
    throw InvalidArgumentError(std::string(name) + " is not defined for bool tensors");
  const auto axes = normalize_axes(x.shape(), std::move(axes_in));
  Tensor y = k::reduce(op, x, axes, keepdims);
  if (recording() && is_floating(x.dtype())) {
    const Shape ks = kept_shape(x.shape(), axes);
    int64_t count = 1;
    for (int64_t a : axes) count *= x.shape().dims()[size_t(a)];
    record(name, {x}, {y}, [op, x, y, ks, count](const Grads& g) {
      const Tensor gk = g[0].reshape(ks);
      if (op == k::ReduceOp::sum) return Grads{k::broadcast_to(gk, x.shape())};
      if (op == k::ReduceOp::mean)
        return Grads{k::broadcast_to(k::scale(gk, 1.0 / double(std::max<int64_t>(count, 1))), x.shape())};
      // max/min: the gradient is shared equally among the tied extreme elements.
      const Tensor hit = k::cast(k::binary(k::BinaryOp::equal, x, y.reshape(ks)), x.dtype());
      const Tensor ties = k::reduce(k::ReduceOp::sum, hit, [&] {
        std::vector<int64_t> a;
        for (int64_t i = 0; i < ks.rank(); ++i) if (ks.dims()[size_t(i)] == 1 && x.shape().dims()[size_t(i)] != 1) a.push_back(i);
        return a;
      }(), true);
      return Grads{k::binary(k::BinaryOp::mul, hit, k::binary(k::BinaryOp::div, gk, ties))};
    });
  }
  return y;
}

}  // namespace

Tensor reduce_sum(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::sum, "Sum", x, std::move(axes), keepdims);
}
Tensor reduce_mean(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::mean, "Mean", x, std::move(axes), keepdims);
}
Tensor reduce_max(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::max, "Max", x, std::move(axes), keepdims);
}
Tensor reduce_min(const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  return reduce_op(k::ReduceOp::min, "Min", x, std::move(axes), keepdims);
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
