// Elementwise math ops: definitions with dtype/shape rules and gradients.
// Binary ops broadcast like NumPy and require equal dtypes (as TensorFlow does); a double
// argument becomes a scalar of the other operand's dtype.
//
//   using namespace tb::ops;
//   Tensor y = relu(add(matmul(x, w), b));
//   Tensor z = x * 2.0 + y;                  // operators for the common ones
#pragma once

#include "tensorbox/core/tensor.h"

namespace tb::ops {

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);

Tensor equal(const Tensor& a, const Tensor& b);
Tensor not_equal(const Tensor& a, const Tensor& b);
Tensor less(const Tensor& a, const Tensor& b);
Tensor less_equal(const Tensor& a, const Tensor& b);
Tensor greater(const Tensor& a, const Tensor& b);
Tensor greater_equal(const Tensor& a, const Tensor& b);
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);

Tensor neg(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor square(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor gelu(const Tensor& x);  // exact (erf) form, TensorFlow's default approximate=False
Tensor elu(const Tensor& x);
Tensor selu(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor swish(const Tensor& x);

// The activations' gradient ops (TensorFlow's ReluGrad, TanhGrad, ...): g times the activation's
// derivative at the saved input x or output y. Differentiable themselves (second derivatives).
Tensor relu_grad(const Tensor& g, const Tensor& x);
Tensor tanh_grad(const Tensor& g, const Tensor& y);
Tensor sigmoid_grad(const Tensor& g, const Tensor& y);
Tensor sqrt_grad(const Tensor& g, const Tensor& y);
Tensor rsqrt_grad(const Tensor& g, const Tensor& y);
Tensor elu_grad(const Tensor& g, const Tensor& x);
Tensor selu_grad(const Tensor& g, const Tensor& x);
Tensor softplus_grad(const Tensor& g, const Tensor& x);
Tensor gelu_grad(const Tensor& g, const Tensor& x);
Tensor swish_grad(const Tensor& g, const Tensor& x);

// cond ? x : y elementwise, broadcasting all three; cond is bool.
Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y);
Tensor cast(const Tensor& x, DType dtype);
// The same values, cut off from gradient tapes (tf.stop_gradient).
Tensor stop_gradient(const Tensor& x);
Tensor zeros_like(const Tensor& x);
Tensor ones_like(const Tensor& x);
// Sums `g` down to `shape`: the gradient of broadcasting a `shape` tensor to g's shape.
Tensor unbroadcast(const Tensor& g, const Shape& shape);

inline Tensor scalar_like(double v, const Tensor& like) { return Tensor::scalar(v, like.dtype()); }

}  // namespace tb::ops

// Operators live beside Tensor (namespace tb) so argument lookup finds them anywhere.
namespace tb {

inline Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return ops::sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return ops::mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return ops::div(a, b); }
inline Tensor operator-(const Tensor& a) { return ops::neg(a); }
inline Tensor operator+(const Tensor& a, double b) { return ops::add(a, ops::scalar_like(b, a)); }
inline Tensor operator-(const Tensor& a, double b) { return ops::sub(a, ops::scalar_like(b, a)); }
inline Tensor operator*(const Tensor& a, double b) { return ops::mul(a, ops::scalar_like(b, a)); }
inline Tensor operator/(const Tensor& a, double b) { return ops::div(a, ops::scalar_like(b, a)); }
inline Tensor operator*(double a, const Tensor& b) { return ops::mul(ops::scalar_like(a, b), b); }
inline Tensor operator-(double a, const Tensor& b) { return ops::sub(ops::scalar_like(a, b), b); }

}  // namespace tb
