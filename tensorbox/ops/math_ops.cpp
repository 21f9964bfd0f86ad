#include "tensorbox/ops/math_ops.h"

#include <string>

#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/reduce.h"
#include "tensorbox/ops/op.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;
using k::BinaryOp;
using k::UnaryOp;

namespace {

std::string dt(DType t) { return std::string(dtype_name(t)); }

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype())
    throw InvalidArgumentError(std::string("cannot compute ") + op +
                               " as input #1(zero-based) was expected to be a " + dt(a.dtype()) +
                               " tensor but is a " + dt(b.dtype()) + " tensor");
}

void check_floating(const char* op, const Tensor& x) {
  if (!is_floating(x.dtype()))
    throw InvalidArgumentError(std::string("Value for attr 'T' of ") + dt(x.dtype()) +
                               " is not in the list of allowed values for " + op +
                               ": float32, float16, bfloat16, float64");
}

void check_not_bool(const char* op, const Tensor& x) {
  if (x.dtype() == DType::bool_)
    throw InvalidArgumentError(std::string(op) + " is not defined for bool tensors");
}

Tensor binary_op(BinaryOp op, const Tensor& a, const Tensor& b) {
  const char* name = k::binary_name(op);
  check_same_dtype(name, a, b);
  if (op == BinaryOp::logical_and || op == BinaryOp::logical_or) {
    if (a.dtype() != DType::bool_)
      throw InvalidArgumentError(std::string(name) + " needs bool tensors, got " + dt(a.dtype()));
  } else if (!k::is_comparison(op) || op > BinaryOp::not_equal) {
    check_not_bool(name, a);
  }
  broadcast_shapes(a.shape(), b.shape(), name);  // throws naming the op and both shapes
  return k::binary(op, a, b);
}

Tensor unary_op(UnaryOp op, const Tensor& x, bool floating_only) {
  const char* name = k::unary_name(op);
  if (floating_only) check_floating(name, x);
  else if (op != UnaryOp::logical_not) check_not_bool(name, x);
  return k::unary(op, x);
}

// Records a unary op whose gradient is backward_op(g, saved) for a saved tensor.
Tensor unary_with_grad(UnaryOp op, const Tensor& x, BinaryOp backward_op, bool save_output) {
  Tensor y = unary_op(op, x, true);
  if (recording()) {
    const Tensor saved = save_output ? y : x;
    record(k::unary_name(op), {x}, {y}, [saved, backward_op](const Grads& g) {
      return Grads{k::binary(backward_op, g[0], saved)};
    });
  }
  return y;
}

}  // namespace

Tensor unbroadcast(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  std::vector<int64_t> axes;
  const int64_t lead = g.rank() - shape.rank();
  for (int64_t i = 0; i < g.rank(); ++i)
    if (i < lead || (shape.dims()[size_t(i - lead)] == 1 && g.shape().dims()[size_t(i)] != 1))
      axes.push_back(i);
  return k::reduce(k::ReduceOp::sum, g, axes, false).reshape(shape);
}

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::add, a, b);
  if (recording())
    record("AddV2", {a, b}, {y}, [sa = a.shape(), sb = b.shape()](const Grads& g) {
      return Grads{unbroadcast(g[0], sa), unbroadcast(g[0], sb)};
    });
  return y;
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::sub, a, b);
  if (recording())
    record("Sub", {a, b}, {y}, [sa = a.shape(), sb = b.shape()](const Grads& g) {
      return Grads{unbroadcast(g[0], sa), unbroadcast(k::unary(UnaryOp::neg, g[0]), sb)};
    });
  return y;
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::mul, a, b);
  if (recording())
    record("Mul", {a, b}, {y}, [a, b](const Grads& g) {
      return Grads{unbroadcast(mul(g[0], b), a.shape()), unbroadcast(mul(g[0], a), b.shape())};
    });
  return y;
}

Tensor div(const Tensor& a, const Tensor& b) {
  if (is_integer(b.dtype()))
    for (int64_t i = 0; i < b.size(); ++i)
      if (b.element(i) == 0) throw InvalidArgumentError("Integer division by zero (RealDiv of " + dt(a.dtype()) + " tensors)");
  Tensor y = binary_op(BinaryOp::div, a, b);
  if (recording())
    record("RealDiv", {a, b}, {y}, [a, b, y](const Grads& g) {
      return Grads{unbroadcast(div(g[0], b), a.shape()),
                   unbroadcast(neg(div(mul(g[0], y), b)), b.shape())};
    });
  return y;
}

Tensor pow(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::pow, a, b);
  if (recording())
    record("Pow", {a, b}, {y}, [a, b, y](const Grads& g) {
      const Tensor one = scalar_like(1.0, b);
      const Tensor da = mul(g[0], mul(b, pow(a, sub(b, one))));
      // d/db a^b = a^b log a, taken as 0 where a <= 0 (TensorFlow's convention).
      const Tensor safe_log = where(greater(a, zeros_like(a)), log(where(greater(a, zeros_like(a)), a, ones_like(a))), zeros_like(a));
      const Tensor db = mul(g[0], mul(y, safe_log));
      return Grads{unbroadcast(da, a.shape()), unbroadcast(db, b.shape())};
    });
  return y;
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::maximum, a, b);
  if (recording())
    record("Maximum", {a, b}, {y}, [a, b](const Grads& g) {
      const Tensor mask = k::binary(BinaryOp::greater_equal, a, b);
      const Tensor z = zeros_like(g[0]);
      return Grads{unbroadcast(k::where(mask, g[0], z), a.shape()),
                   unbroadcast(k::where(mask, z, g[0]), b.shape())};
    });
  return y;
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  Tensor y = binary_op(BinaryOp::minimum, a, b);
  if (recording())
    record("Minimum", {a, b}, {y}, [a, b](const Grads& g) {
      const Tensor mask = k::binary(BinaryOp::less_equal, a, b);
      const Tensor z = zeros_like(g[0]);
      return Grads{unbroadcast(k::where(mask, g[0], z), a.shape()),
                   unbroadcast(k::where(mask, z, g[0]), b.shape())};
    });
  return y;
}

Tensor equal(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::equal, a, b); }
Tensor not_equal(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::not_equal, a, b); }
Tensor less(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::less, a, b); }
Tensor less_equal(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::less_equal, a, b); }
Tensor greater(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::greater, a, b); }
Tensor greater_equal(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::greater_equal, a, b); }
Tensor logical_and(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::logical_and, a, b); }
Tensor logical_or(const Tensor& a, const Tensor& b) { return binary_op(BinaryOp::logical_or, a, b); }
Tensor logical_not(const Tensor& x) {
  if (x.dtype() != DType::bool_)
    throw InvalidArgumentError("LogicalNot needs a bool tensor, got " + dt(x.dtype()));
  return k::unary(UnaryOp::logical_not, x);
}

Tensor neg(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::neg, x, false);
  if (recording())
    record("Neg", {x}, {y}, [](const Grads& g) { return Grads{k::unary(UnaryOp::neg, g[0])}; });
  return y;
}

Tensor abs(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::abs, x, false);
  if (recording())
    record("Abs", {x}, {y}, [x](const Grads& g) {
      return Grads{k::binary(BinaryOp::mul, g[0], k::unary(UnaryOp::sign, x))};
    });
  return y;
}

Tensor sign(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::sign, x, false);
  if (recording())
    record("Sign", {x}, {y}, [](const Grads& g) { return Grads{zeros_like(g[0])}; });
  return y;
}

Tensor exp(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::exp, x, true);
  if (recording())
    record("Exp", {x}, {y}, [y](const Grads& g) { return Grads{mul(g[0], y)}; });
  return y;
}

Tensor log(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::log, x, true);
  if (recording()) record("Log", {x}, {y}, [x](const Grads& g) { return Grads{div(g[0], x)}; });
  return y;
}

Tensor square(const Tensor& x) {
  Tensor y = unary_op(UnaryOp::square, x, false);
  if (recording())
    record("Square", {x}, {y}, [x](const Grads& g) {
      return Grads{mul(g[0], mul(x, scalar_like(2.0, x)))};
    });
  return y;
}

Tensor sqrt(const Tensor& x) { return unary_with_grad(UnaryOp::sqrt, x, BinaryOp::sqrt_grad, true); }
Tensor rsqrt(const Tensor& x) { return unary_with_grad(UnaryOp::rsqrt, x, BinaryOp::rsqrt_grad, true); }
Tensor tanh(const Tensor& x) { return unary_with_grad(UnaryOp::tanh, x, BinaryOp::tanh_grad, true); }
Tensor sigmoid(const Tensor& x) { return unary_with_grad(UnaryOp::sigmoid, x, BinaryOp::sigmoid_grad, true); }
Tensor relu(const Tensor& x) { return unary_with_grad(UnaryOp::relu, x, BinaryOp::relu_grad, false); }
Tensor gelu(const Tensor& x) { return unary_with_grad(UnaryOp::gelu, x, BinaryOp::gelu_grad, false); }
Tensor elu(const Tensor& x) { return unary_with_grad(UnaryOp::elu, x, BinaryOp::elu_grad, false); }
Tensor selu(const Tensor& x) { return unary_with_grad(UnaryOp::selu, x, BinaryOp::selu_grad, false); }
Tensor softplus(const Tensor& x) { return unary_with_grad(UnaryOp::softplus, x, BinaryOp::softplus_grad, false); }
Tensor swish(const Tensor& x) { return unary_with_grad(UnaryOp::swish, x, BinaryOp::swish_grad, false); }

Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y) {
  if (cond.dtype() != DType::bool_)
    throw InvalidArgumentError("Select: condition must be a bool tensor, got " + dt(cond.dtype()));
  check_same_dtype("Select", x, y);
  Tensor out = k::where(cond, x, y);
  if (recording())
    record("SelectV2", {cond, x, y}, {out}, [cond, sx = x.shape(), sy = y.shape()](const Grads& g) {
      const Tensor z = zeros_like(g[0]);
      return Grads{Tensor(), unbroadcast(k::where(cond, g[0], z), sx),
                   unbroadcast(k::where(cond, z, g[0]), sy)};
    });
  return out;
}

Tensor cast(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  Tensor y = k::cast(x, dtype);
  if (recording() && is_floating(x.dtype()) && is_floating(dtype))
    record("Cast", {x}, {y}, [from = x.dtype()](const Grads& g) { return Grads{k::cast(g[0], from)}; });
  return y;
}

Tensor stop_gradient(const Tensor& x) { return x.reshape(x.shape()); }
Tensor zeros_like(const Tensor& x) { return Tensor::zeros(x.shape(), x.dtype()); }
Tensor ones_like(const Tensor& x) { return Tensor::full(x.shape(), 1.0, x.dtype()); }

}  // namespace tb::ops
