// Elementwise CPU kernels: unary maps, binary maps with NumPy broadcasting, where and cast.
//
// float32 runs through Highway SIMD code compiled for several instruction sets and picked at
// run time (AVX2 on older CPUs, AVX-512 where present); float16/bfloat16 are widened to
// float32, computed, and rounded back (round-to-nearest-even); other dtypes use typed loops.
// Kernels check nothing an op has already checked except what could corrupt memory.
//
//   Tensor y = tb::kernels::cpu::unary(UnaryOp::exp, x);
//   Tensor z = tb::kernels::cpu::binary(BinaryOp::add, x, bias);   // broadcasts
#pragma once

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

enum class UnaryOp {
  neg, abs, exp, log, sqrt, rsqrt, square, tanh, sigmoid, relu, gelu, sign,
  elu, selu, softplus, swish, logical_not,
};

// Binary ops. The *_grad entries are the backward maps the gradients of unary ops use
// (TensorFlow has the same ops: ReluGrad, SigmoidGrad ...): (upstream gradient, saved value).
enum class BinaryOp {
  add, sub, mul, div, pow, maximum, minimum,
  equal, not_equal, less, less_equal, greater, greater_equal, logical_and, logical_or,
  relu_grad,      // (g, x): g where x > 0
  sigmoid_grad,   // (g, y): g * y * (1 - y)
  tanh_grad,      // (g, y): g * (1 - y^2)
  rsqrt_grad,     // (g, y): -0.5 * g * y^3
  sqrt_grad,      // (g, y): 0.5 * g / y
  gelu_grad,      // (g, x): g * d/dx gelu(x)
  elu_grad,       // (g, x)
  selu_grad,      // (g, x)
  softplus_grad,  // (g, x): g * sigmoid(x)
  swish_grad,     // (g, x)
};

const char* unary_name(UnaryOp op);
const char* binary_name(BinaryOp op);
bool is_comparison(BinaryOp op);  // comparisons and logical ops produce bool

Tensor unary(UnaryOp op, const Tensor& x);
// a and b have the same dtype and broadcastable shapes (checked by the op).
Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);
// cond is bool; x, y, cond broadcast together.
Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y);
Tensor cast(const Tensor& x, DType dtype);
// x * scalar computed in x's dtype, the most common scaling.
Tensor scale(const Tensor& x, double factor);

}  // namespace tb::kernels::cpu
