#include "tensorbox/ops/nn_ops.h"

#include "tensorbox/core/random.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/layout.h"
#include "tensorbox/kernels/cpu/matmul.h"
#include "tensorbox/kernels/cpu/reduce.h"
#include "tensorbox/kernels/cpu/softmax.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/epilogue.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;

namespace {

std::string dt(DType t) { return std::string(dtype_name(t)); }

void check_matmul(const Tensor& a, const Tensor& b, bool ta, bool tb, const char* who) {
  if (a.dtype() != b.dtype() || a.dtype() == DType::bool_ || a.dtype() == DType::uint8)
    throw InvalidArgumentError(std::string(who) + ": both operands need the same numeric dtype, got " +
                               dt(a.dtype()) + " and " + dt(b.dtype()));
  if (a.rank() < 2 || b.rank() < 2)
    throw InvalidArgumentError(std::string(who) + ": In[0] and In[1] must have rank >= 2, got shapes " +
                               a.shape().to_string() + " and " + b.shape().to_string());
  const int64_t ka = ta ? a.dim(-2) : a.dim(-1), kb = tb ? b.dim(-1) : b.dim(-2);
  if (ka != kb)
    throw InvalidArgumentError(std::string(who) + ": Matrix size-incompatible: In[0]: " +
                               a.shape().to_string() + ", In[1]: " + b.shape().to_string() +
                               (ta || tb ? " (with transposes)" : ""));
  for (int64_t i = 0; i < std::min(a.rank(), b.rank()) - 2; ++i) {
    const int64_t da = a.dim(-3 - i), db = b.dim(-3 - i);
    if (da != db && da != 1 && db != 1)
      throw InvalidArgumentError(std::string(who) + ": batch dimensions of " +
                                 a.shape().to_string() + " and " + b.shape().to_string() +
                                 " cannot be broadcast");
  }
}

Tensor matmul_grad_a(const Tensor& g, const Tensor& b, bool ta, bool tb) {
  if (!ta) return tb ? matmul(g, b, false, false) : matmul(g, b, false, true);
  return tb ? matmul(b, g, true, true) : matmul(b, g, false, true);
}
Tensor matmul_grad_b(const Tensor& g, const Tensor& a, bool ta, bool tb) {
  if (!tb) return ta ? matmul(a, g, false, false) : matmul(a, g, true, false);
  return ta ? matmul(g, a, true, true) : matmul(g, a, true, false);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  check_matmul(a, b, ta, tb, "MatMul");
  Tensor y = k::matmul(a, b, ta, tb);
  if (recording())
    record("BatchMatMulV3", {a, b}, {y}, [a, b, ta, tb](const Grads& g) {
      return Grads{input_needs_gradient(0) ? unbroadcast(matmul_grad_a(g[0], b, ta, tb), a.shape()) : Tensor(),
                   input_needs_gradient(1) ? unbroadcast(matmul_grad_b(g[0], a, ta, tb), b.shape()) : Tensor()};
    });
  return y;
}

Tensor dense(const Tensor& x_in, const Tensor& kernel, const Tensor& bias,
             const std::string& activation, const std::string& layer) {
  if (x_in.rank() < 2)
    throw ValueError("Input 0 of layer \"" + layer + "\" is incompatible with the layer: expected min_ndim=2, found ndim=" +
                     std::to_string(x_in.rank()) + ". Full shape received: " + x_in.shape().to_string());
  if (kernel.rank() != 2 || x_in.dim(-1) != kernel.dim(0))
    throw ValueError("Input 0 of layer \"" + layer + "\" is incompatible with the layer: expected axis -1 of input shape to have value " +
                     std::to_string(kernel.dim(0)) + ", but received input with shape " + x_in.shape().to_string());
  if (x_in.dtype() != kernel.dtype())
    throw InvalidArgumentError("Layer \"" + layer + "\": input dtype " + dt(x_in.dtype()) +
                               " does not match kernel dtype " + dt(kernel.dtype()));
  if (bias.defined() && (bias.rank() != 1 || bias.dim(0) != kernel.dim(1) || bias.dtype() != kernel.dtype()))
    throw InvalidArgumentError("Layer \"" + layer + "\": bias of shape " + bias.shape().to_string() +
                               " does not match kernel of shape " + kernel.shape().to_string());
  const k::Epilogue ep = epilogue_of(activation, layer);
  // Keras contracts the last axis of higher-rank input; flatten the leading axes for the GEMM.
  const Tensor x = x_in.rank() == 2 ? x_in : x_in.reshape({-1, x_in.dim(-1)});
  Tensor y = k::matmul(x, kernel, false, false, bias.defined() ? &bias : nullptr, ep);
  if (x_in.rank() != 2) {
    std::vector<int64_t> d = x_in.shape().dims();
    d.back() = kernel.dim(1);
    y = y.reshape(Shape(d));
  }
  if (recording()) {
    std::vector<Tensor> inputs{x_in, kernel};
    if (bias.defined()) inputs.push_back(bias);
    record("Dense", inputs, {y}, [x, xs = x_in.shape(), kernel, y, ep, has_bias = bias.defined()](const Grads& g) {
      const Tensor gz = epilogue_grad(ep, g[0].reshape({-1, kernel.dim(1)}), y.reshape({-1, kernel.dim(1)}));
      Grads out{input_needs_gradient(0) ? k::matmul(gz, kernel, false, true).reshape(xs) : Tensor(),
                input_needs_gradient(1) ? k::matmul(x, gz, true, false) : Tensor()};
      if (has_bias) out.push_back(input_needs_gradient(2) ? k::reduce(k::ReduceOp::sum, gz, {0}, false) : Tensor());
      return out;
    });
  }
  return y;
}

Tensor bias_add(const Tensor& x, const Tensor& bias) {
  if (bias.rank() != 1 || x.rank() < 1 || x.dim(-1) != bias.dim(0))
    throw InvalidArgumentError("BiasAdd: bias of shape " + bias.shape().to_string() +
                               " must be 1-D and match the last dimension of " + x.shape().to_string());
  return add(x, bias);
}

namespace {
// Runs a last-axis kernel along any axis by moving that axis last and back.
template <class F>
Tensor along_axis(const Tensor& x, int64_t axis, F&& f) {
  const int64_t a = x.shape().normalize_axis(axis);
  if (a == x.rank() - 1) return f(x);
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.rank(); ++i) if (i != a) perm.push_back(i);
  perm.push_back(a);
  std::vector<int64_t> inv(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inv[size_t(perm[i])] = int64_t(i);
  return transpose(f(transpose(x, perm)), inv);
}

Tensor softmax_last(const Tensor& x, bool log) {
  if (!is_floating(x.dtype()))
    throw InvalidArgumentError(std::string(log ? "LogSoftmax" : "Softmax") +
                               " needs a floating tensor, got " + dt(x.dtype()));
  Tensor y = k::softmax(x, log);
  if (recording())
    record(log ? "LogSoftmax" : "Softmax", {x}, {y}, [y, log](const Grads& g) {
      if (log) {  // g - softmax * sum(g)
        const Tensor s = k::reduce(k::ReduceOp::sum, g[0], {y.rank() - 1}, true);
        return Grads{k::binary(k::BinaryOp::sub, g[0], k::binary(k::BinaryOp::mul, k::unary(k::UnaryOp::exp, y), s))};
      }
      const Tensor gy = k::binary(k::BinaryOp::mul, g[0], y);  // y * (g - sum(g * y))
      const Tensor s = k::reduce(k::ReduceOp::sum, gy, {y.rank() - 1}, true);
      return Grads{k::binary(k::BinaryOp::sub, gy, k::binary(k::BinaryOp::mul, y, s))};
    });
  return y;
}
}  // namespace

Tensor softmax(const Tensor& logits, int64_t axis) {
  return along_axis(logits, axis, [](const Tensor& t) { return softmax_last(t, false); });
}
Tensor log_softmax(const Tensor& logits, int64_t axis) {
  return along_axis(logits, axis, [](const Tensor& t) { return softmax_last(t, true); });
}

Tensor sparse_softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits) {
  if (labels.dtype() != DType::int32 && labels.dtype() != DType::int64)
    throw InvalidArgumentError("sparse_softmax_cross_entropy_with_logits: labels must be int32 or int64, got " +
                               dt(labels.dtype()));
  if (!is_floating(logits.dtype()) || logits.rank() < 1)
    throw InvalidArgumentError("sparse_softmax_cross_entropy_with_logits: logits must be floating with rank >= 1, got " +
                               dt(logits.dtype()) + " of shape " + logits.shape().to_string());
  std::vector<int64_t> lead(logits.shape().dims().begin(), logits.shape().dims().end() - 1);
  if (labels.shape() != Shape(lead))
    throw InvalidArgumentError("logits and labels must have the same first dimension, got logits shape " +
                               logits.shape().to_string() + " and labels shape " + labels.shape().to_string());
  const int64_t C = logits.dim(-1);
  for (int64_t i = 0; i < labels.size(); ++i) {
    const int64_t v = k::index_at(labels, i);
    if (v < 0 || v >= C) {
      std::string vals;
      for (int64_t j = 0; j < std::min<int64_t>(labels.size(), 20); ++j) vals += " " + std::to_string(k::index_at(labels, j));
      throw InvalidArgumentError("Received a label value of " + std::to_string(v) +
                                 " which is outside the valid range of [0, " + std::to_string(C) +
                                 ").  Label values:" + vals + (labels.size() > 20 ? " ..." : ""));
    }
  }
  const Tensor lab = labels.reshape({-1});
  const Tensor lg = logits.reshape({-1, C});
  auto [loss, back] = k::sparse_softmax_xent(lab, lg);
  loss = loss.reshape(Shape(lead));
  if (recording())
    record("SparseSoftmaxCrossEntropyWithLogits", {labels, logits}, {loss},
           [back = back, ls = logits.shape()](const Grads& g) {
             const Tensor gcol = g[0].reshape({-1, 1});
             return Grads{Tensor(), k::binary(k::BinaryOp::mul, back, gcol).reshape(ls)};
           });
  return loss;
}

Tensor softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits) {
  if (labels.shape() != logits.shape() || labels.dtype() != logits.dtype() || !is_floating(logits.dtype()) || logits.rank() < 1)
    throw InvalidArgumentError("softmax_cross_entropy_with_logits: labels " + labels.shape().to_string() + " " +
                               dt(labels.dtype()) + " and logits " + logits.shape().to_string() + " " +
                               dt(logits.dtype()) + " must have the same shape and floating dtype");
  const int64_t C = logits.dim(-1);
  std::vector<int64_t> lead(logits.shape().dims().begin(), logits.shape().dims().end() - 1);
  auto [loss, back] = k::softmax_xent(labels.reshape({-1, C}), logits.reshape({-1, C}));
  loss = loss.reshape(Shape(lead));
  if (recording())
    record("SoftmaxCrossEntropyWithLogits", {labels, logits}, {loss},
           [back = back, logits, C](const Grads& g) {
             const Tensor gcol = g[0].reshape({-1, 1});
             const Tensor lsm = k::softmax(logits.reshape({-1, C}), true);
             return Grads{k::binary(k::BinaryOp::mul, k::unary(k::UnaryOp::neg, lsm), gcol).reshape(logits.shape()),
                          k::binary(k::BinaryOp::mul, back, gcol).reshape(logits.shape())};
           });
  return loss;
}

Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance, const Tensor& offset,
                           const Tensor& scale, double epsilon) {
  Tensor inv = rsqrt(add(variance, scalar_like(epsilon, variance)));
  if (scale.defined()) inv = mul(inv, scale);
  const Tensor y = mul(sub(x, mean), inv);
  return offset.defined() ? add(y, offset) : y;
}

Tensor dropout(const Tensor& x, double rate, const std::optional<Shape>& noise_shape) {
  if (!(rate >= 0.0 && rate < 1.0))
    throw ValueError("dropout: rate must be a float in the range [0, 1), got " + std::to_string(rate));
  bool fits = true;
  if (noise_shape) try {
      fits = broadcast_shapes(*noise_shape, x.shape()) == x.shape();
    } catch (const InvalidArgumentError&) {
      fits = false;
    }
  if (!fits)
    throw InvalidArgumentError("dropout: noise_shape " + noise_shape->to_string() + " does not broadcast to x's shape " +
                               x.shape().to_string());
  if (rate == 0.0) return x;
  const Tensor u = random::uniform(noise_shape.value_or(x.shape()), 0.0, 1.0, DType::float32);
  const Tensor keep = k::binary(k::BinaryOp::greater_equal, u, Tensor::scalar(rate, DType::float32));
  const Tensor mask = k::scale(k::cast(keep, x.dtype()), 1.0 / (1.0 - rate));
  return mul(x, mask);
}

}  // namespace tb::ops
