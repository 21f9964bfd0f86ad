#include "tensorbox/ops/math_ops.h"

#include <string>

#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/op.h"
#include "tensorbox/ops/reduce_ops.h"

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

// The activations' gradient ops (TensorFlow's ReluGrad, TanhGrad, ...): g times the derivative,
// from the op's saved input x or output y. Each is an op with a gradient of its own, so second
// derivatives of activations work. TensorFlow's order of inputs where TensorFlow has the op:
// (y, dy) for Tanh/Sigmoid/Sqrt/Rsqrt, (gradients, features) for the others.
Grads relu_grad_grad(const Node& n, const Grads& g) {  // z = dy * (x > 0)
  return {relu_grad(g[0], n.inputs[1]), zeros_like(n.inputs[1])};
}
Grads tanh_grad_grad(const Node& n, const Grads& g) {  // z = dy * (1 - y^2)
  const Tensor& y = n.inputs[0];
  const Tensor& dy = n.inputs[1];
  return {mul(mul(g[0], dy), mul(scalar_like(-2.0, y), y)), tanh_grad(g[0], y)};
}
Grads sigmoid_grad_grad(const Node& n, const Grads& g) {  // z = dy * y * (1 - y)
  const Tensor& y = n.inputs[0];
  const Tensor& dy = n.inputs[1];
  return {mul(mul(g[0], dy), sub(scalar_like(1.0, y), mul(scalar_like(2.0, y), y))), sigmoid_grad(g[0], y)};
}
Grads sqrt_grad_grad(const Node& n, const Grads& g) {  // z = 0.5 * dy / y
  const Tensor& y = n.inputs[0];
  return {neg(div(mul(g[0], n.outputs[0]), y)), sqrt_grad(g[0], y)};
}
Grads rsqrt_grad_grad(const Node& n, const Grads& g) {  // z = -0.5 * dy * y^3
  const Tensor& y = n.inputs[0];
  const Tensor& dy = n.inputs[1];
  return {mul(mul(g[0], dy), mul(scalar_like(-1.5, y), square(y))), rsqrt_grad(g[0], y)};
}
Grads elu_grad_grad(const Node& n, const Grads& g) {  // z = x > 0 ? dy : dy * e^x
  const Tensor& x = n.inputs[1];
  const Tensor positive = greater(x, zeros_like(x));
  return {elu_grad(g[0], x), where(positive, zeros_like(x), mul(mul(g[0], n.inputs[0]), exp(x)))};
}
Grads selu_grad_grad(const Node& n, const Grads& g) {  // z = dy * scale * (x > 0 ? 1 : alpha e^x)
  const Tensor& x = n.inputs[1];
  const Tensor positive = greater(x, zeros_like(x));
  const Tensor scale_alpha = scalar_like(1.0507009873554804934193349852946 * 1.6732632423543772848170429916717, x);
  return {selu_grad(g[0], x), where(positive, zeros_like(x), mul(mul(g[0], n.inputs[0]), mul(scale_alpha, exp(x))))};
}
Grads softplus_grad_grad(const Node& n, const Grads& g) {  // z = dy * s, s = sigmoid(x)
  const Tensor& x = n.inputs[1];
  const Tensor s = sigmoid(x);
  return {softplus_grad(g[0], x), mul(mul(g[0], n.inputs[0]), mul(s, sub(scalar_like(1.0, s), s)))};
}
Grads gelu_grad_grad(const Node& n, const Grads& g) {  // gelu''(x) = pdf(x) * (2 - x^2)
  const Tensor& x = n.inputs[1];
  const Tensor x2 = square(x);
  const Tensor pdf = mul(scalar_like(0.3989422804014327, x), exp(mul(scalar_like(-0.5, x), x2)));
  return {gelu_grad(g[0], x), mul(mul(g[0], n.inputs[0]), mul(pdf, sub(scalar_like(2.0, x), x2)))};
}
Grads swish_grad_grad(const Node& n, const Grads& g) {  // swish''(x) = s(1-s)(2 + x(1-2s))
  const Tensor& x = n.inputs[1];
  const Tensor s = sigmoid(x);
  const Tensor one = scalar_like(1.0, x);
  const Tensor curve = mul(mul(s, sub(one, s)), add(scalar_like(2.0, x), mul(x, sub(one, mul(scalar_like(2.0, x), s)))));
  return {swish_grad(g[0], x), mul(mul(g[0], n.inputs[0]), curve)};
}

TB_DEFINE_OP(kReluGrad, "ReluGrad", relu_grad_grad);
TB_DEFINE_OP(kTanhGrad, "TanhGrad", tanh_grad_grad);
TB_DEFINE_OP(kSigmoidGrad, "SigmoidGrad", sigmoid_grad_grad);
TB_DEFINE_OP(kSqrtGrad, "SqrtGrad", sqrt_grad_grad);
TB_DEFINE_OP(kRsqrtGrad, "RsqrtGrad", rsqrt_grad_grad);
// TensorFlow's EluGrad/SeluGrad take the outputs; these take the features, hence their own names.
TB_DEFINE_OP(kEluGradFeatures, "EluGradFeatures", elu_grad_grad);
TB_DEFINE_OP(kSeluGradFeatures, "SeluGradFeatures", selu_grad_grad);
TB_DEFINE_OP(kSoftplusGrad, "SoftplusGrad", softplus_grad_grad);
TB_DEFINE_OP(kGeluGrad, "GeluGrad", gelu_grad_grad);
TB_DEFINE_OP(kSwishGrad, "SwishGrad", swish_grad_grad);

// dy * f'(saved) through the kernel; recorded so that it can be differentiated again.
Tensor activation_grad(const OpDef& def, BinaryOp kernel, bool output_first, const Tensor& dy, const Tensor& saved) {
  Tensor z = k::binary(kernel, dy, saved);
  if (recording()) {
    if (output_first) record(def, {saved, dy}, {z});
    else record(def, {dy, saved}, {z});
  }
  return z;
}

// A unary activation whose gradient is the gradient op `def` of (g, saved input or output).
Tensor unary_with_grad(UnaryOp op, const OpDef& def, const Tensor& x) {
  Tensor y = unary_op(op, x, true);
  if (recording()) record(def, {x}, {y});
  return y;
}

#define TB_ACTIVATION(Name, fn, saved_output)                                                \
  Grads fn##_rule(const Node& n, const Grads& g) {                                           \
    return {fn##_grad(g[0], (saved_output) ? n.outputs[0] : n.inputs[0])};                   \
  }                                                                                          \
  TB_DEFINE_OP(k##Name, #Name, fn##_rule);

TB_ACTIVATION(Sqrt, sqrt, true)
TB_ACTIVATION(Rsqrt, rsqrt, true)
TB_ACTIVATION(Tanh, tanh, true)
TB_ACTIVATION(Sigmoid, sigmoid, true)
TB_ACTIVATION(Relu, relu, false)
TB_ACTIVATION(Gelu, gelu, false)
TB_ACTIVATION(Elu, elu, false)
TB_ACTIVATION(Selu, selu, false)
TB_ACTIVATION(Softplus, softplus, false)
TB_ACTIVATION(Swish, swish, false)
#undef TB_ACTIVATION

Grads add_rule(const Node& n, const Grads& g) {
  return {unbroadcast(g[0], n.inputs[0].shape()), unbroadcast(g[0], n.inputs[1].shape())};
}
Grads sub_rule(const Node& n, const Grads& g) {
  return {unbroadcast(g[0], n.inputs[0].shape()), unbroadcast(neg(g[0]), n.inputs[1].shape())};
}
Grads mul_rule(const Node& n, const Grads& g) {
  const Tensor &a = n.inputs[0], &b = n.inputs[1];
  return {unbroadcast(mul(g[0], b), a.shape()), unbroadcast(mul(g[0], a), b.shape())};
}
Grads div_rule(const Node& n, const Grads& g) {
  const Tensor &a = n.inputs[0], &b = n.inputs[1];
  return {unbroadcast(div(g[0], b), a.shape()), unbroadcast(neg(div(mul(g[0], n.outputs[0]), b)), b.shape())};
}
Grads pow_rule(const Node& n, const Grads& g) {
  const Tensor &a = n.inputs[0], &b = n.inputs[1];
  const Tensor one = scalar_like(1.0, b);
  const Tensor da = mul(g[0], mul(b, pow(a, sub(b, one))));
  // d/db a^b = a^b log a, taken as 0 where a <= 0 (TensorFlow's convention).
  const Tensor positive = greater(a, zeros_like(a));
  const Tensor safe_log = where(positive, log(where(positive, a, ones_like(a))), zeros_like(a));
  const Tensor db = mul(g[0], mul(n.outputs[0], safe_log));
  return {unbroadcast(da, a.shape()), unbroadcast(db, b.shape())};
}
// The gradient goes to a where the mask holds, to b elsewhere.
Grads select_between(const Node& n, const Grads& g, const Tensor& mask) {
  const Tensor z = zeros_like(g[0]);
  return {unbroadcast(where(mask, g[0], z), n.inputs[0].shape()), unbroadcast(where(mask, z, g[0]), n.inputs[1].shape())};
}
Grads maximum_rule(const Node& n, const Grads& g) {
  return select_between(n, g, greater_equal(n.inputs[0], n.inputs[1]));
}
Grads minimum_rule(const Node& n, const Grads& g) {
  return select_between(n, g, less_equal(n.inputs[0], n.inputs[1]));
}
Grads neg_rule(const Node&, const Grads& g) { return {neg(g[0])}; }
Grads abs_rule(const Node& n, const Grads& g) { return {mul(g[0], sign(n.inputs[0]))}; }
Grads sign_rule(const Node&, const Grads& g) { return {zeros_like(g[0])}; }
Grads exp_rule(const Node& n, const Grads& g) { return {mul(g[0], n.outputs[0])}; }
Grads log_rule(const Node& n, const Grads& g) { return {div(g[0], n.inputs[0])}; }
Grads square_rule(const Node& n, const Grads& g) {
  return {mul(g[0], mul(n.inputs[0], scalar_like(2.0, n.inputs[0])))};
}
Grads select_rule(const Node& n, const Grads& g) {
  const Tensor& cond = n.inputs[0];
  const Tensor z = zeros_like(g[0]);
  return {Tensor(), unbroadcast(where(cond, g[0], z), n.inputs[1].shape()),
          unbroadcast(where(cond, z, g[0]), n.inputs[2].shape())};
}
Grads cast_rule(const Node& n, const Grads& g) { return {cast(g[0], n.inputs[0].dtype())}; }

TB_DEFINE_OP(kAddV2, "AddV2", add_rule);
TB_DEFINE_OP(kSub, "Sub", sub_rule);
TB_DEFINE_OP(kMul, "Mul", mul_rule);
TB_DEFINE_OP(kRealDiv, "RealDiv", div_rule);
TB_DEFINE_OP(kPow, "Pow", pow_rule);
TB_DEFINE_OP(kMaximum, "Maximum", maximum_rule);
TB_DEFINE_OP(kMinimum, "Minimum", minimum_rule);
TB_DEFINE_OP(kNeg, "Neg", neg_rule);
TB_DEFINE_OP(kAbs, "Abs", abs_rule);
TB_DEFINE_OP(kSign, "Sign", sign_rule);
TB_DEFINE_OP(kExp, "Exp", exp_rule);
TB_DEFINE_OP(kLog, "Log", log_rule);
TB_DEFINE_OP(kSquare, "Square", square_rule);
TB_DEFINE_OP(kSelectV2, "SelectV2", select_rule);
TB_DEFINE_OP(kCast, "Cast", cast_rule);

Tensor recorded(const OpDef& def, Tensor y, const Tensor& a, const Tensor& b) {
  if (recording()) record(def, {a, b}, {y});
  return y;
}
Tensor recorded(const OpDef& def, Tensor y, const Tensor& x) {
  if (recording()) record(def, {x}, {y});
  return y;
}

}  // namespace

Tensor relu_grad(const Tensor& g, const Tensor& x) { return activation_grad(kReluGrad, BinaryOp::relu_grad, false, g, x); }
Tensor tanh_grad(const Tensor& g, const Tensor& y) { return activation_grad(kTanhGrad, BinaryOp::tanh_grad, true, g, y); }
Tensor sigmoid_grad(const Tensor& g, const Tensor& y) { return activation_grad(kSigmoidGrad, BinaryOp::sigmoid_grad, true, g, y); }
Tensor sqrt_grad(const Tensor& g, const Tensor& y) { return activation_grad(kSqrtGrad, BinaryOp::sqrt_grad, true, g, y); }
Tensor rsqrt_grad(const Tensor& g, const Tensor& y) { return activation_grad(kRsqrtGrad, BinaryOp::rsqrt_grad, true, g, y); }
Tensor elu_grad(const Tensor& g, const Tensor& x) { return activation_grad(kEluGradFeatures, BinaryOp::elu_grad, false, g, x); }
Tensor selu_grad(const Tensor& g, const Tensor& x) { return activation_grad(kSeluGradFeatures, BinaryOp::selu_grad, false, g, x); }
Tensor softplus_grad(const Tensor& g, const Tensor& x) { return activation_grad(kSoftplusGrad, BinaryOp::softplus_grad, false, g, x); }
Tensor gelu_grad(const Tensor& g, const Tensor& x) { return activation_grad(kGeluGrad, BinaryOp::gelu_grad, false, g, x); }
Tensor swish_grad(const Tensor& g, const Tensor& x) { return activation_grad(kSwishGrad, BinaryOp::swish_grad, false, g, x); }

Tensor unbroadcast(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  std::vector<int64_t> axes;
  const int64_t lead = g.rank() - shape.rank();
  for (int64_t i = 0; i < g.rank(); ++i)
    if (i < lead || (shape.dims()[size_t(i - lead)] == 1 && g.shape().dims()[size_t(i)] != 1))
      axes.push_back(i);
  return reshape(reduce_sum(g, axes, false), shape);
}

Tensor add(const Tensor& a, const Tensor& b) { return recorded(kAddV2, binary_op(BinaryOp::add, a, b), a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return recorded(kSub, binary_op(BinaryOp::sub, a, b), a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return recorded(kMul, binary_op(BinaryOp::mul, a, b), a, b); }

Tensor div(const Tensor& a, const Tensor& b) {
  if (is_integer(b.dtype()))
    for (int64_t i = 0; i < b.size(); ++i)
      if (b.element(i) == 0) throw InvalidArgumentError("Integer division by zero (RealDiv of " + dt(a.dtype()) + " tensors)");
  return recorded(kRealDiv, binary_op(BinaryOp::div, a, b), a, b);
}

Tensor pow(const Tensor& a, const Tensor& b) { return recorded(kPow, binary_op(BinaryOp::pow, a, b), a, b); }
Tensor maximum(const Tensor& a, const Tensor& b) { return recorded(kMaximum, binary_op(BinaryOp::maximum, a, b), a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return recorded(kMinimum, binary_op(BinaryOp::minimum, a, b), a, b); }

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

Tensor neg(const Tensor& x) { return recorded(kNeg, unary_op(UnaryOp::neg, x, false), x); }
Tensor abs(const Tensor& x) { return recorded(kAbs, unary_op(UnaryOp::abs, x, false), x); }
Tensor sign(const Tensor& x) { return recorded(kSign, unary_op(UnaryOp::sign, x, false), x); }
Tensor exp(const Tensor& x) { return recorded(kExp, unary_op(UnaryOp::exp, x, true), x); }
Tensor log(const Tensor& x) { return recorded(kLog, unary_op(UnaryOp::log, x, true), x); }
Tensor square(const Tensor& x) { return recorded(kSquare, unary_op(UnaryOp::square, x, false), x); }
Tensor sqrt(const Tensor& x) { return unary_with_grad(UnaryOp::sqrt, kSqrt, x); }
Tensor rsqrt(const Tensor& x) { return unary_with_grad(UnaryOp::rsqrt, kRsqrt, x); }
Tensor tanh(const Tensor& x) { return unary_with_grad(UnaryOp::tanh, kTanh, x); }
Tensor sigmoid(const Tensor& x) { return unary_with_grad(UnaryOp::sigmoid, kSigmoid, x); }
Tensor relu(const Tensor& x) { return unary_with_grad(UnaryOp::relu, kRelu, x); }
Tensor gelu(const Tensor& x) { return unary_with_grad(UnaryOp::gelu, kGelu, x); }
Tensor elu(const Tensor& x) { return unary_with_grad(UnaryOp::elu, kElu, x); }
Tensor selu(const Tensor& x) { return unary_with_grad(UnaryOp::selu, kSelu, x); }
Tensor softplus(const Tensor& x) { return unary_with_grad(UnaryOp::softplus, kSoftplus, x); }
Tensor swish(const Tensor& x) { return unary_with_grad(UnaryOp::swish, kSwish, x); }

Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y) {
  if (cond.dtype() != DType::bool_)
    throw InvalidArgumentError("Select: condition must be a bool tensor, got " + dt(cond.dtype()));
  check_same_dtype("Select", x, y);
  Tensor out = k::where(cond, x, y);
  if (recording()) record(kSelectV2, {cond, x, y}, {out});
  return out;
}

Tensor cast(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  Tensor y = k::cast(x, dtype);
  if (recording() && is_floating(x.dtype()) && is_floating(dtype)) record(kCast, {x}, {y});
  return y;
}

Tensor stop_gradient(const Tensor& x) { return x.reshape(x.shape()); }
Tensor zeros_like(const Tensor& x) { return Tensor::zeros(x.shape(), x.dtype()); }
Tensor ones_like(const Tensor& x) { return Tensor::full(x.shape(), 1.0, x.dtype()); }

}  // namespace tb::ops
