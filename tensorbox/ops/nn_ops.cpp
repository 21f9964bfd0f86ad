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

Grads matmul_rule(const Node& n, const Grads& g) {
  const Tensor &a = n.inputs[0], &b = n.inputs[1];
  const bool ta = n.attrs.get<bool>("adj_x"), tb = n.attrs.get<bool>("adj_y");
  return {input_needs_gradient(0) ? unbroadcast(matmul_grad_a(g[0], b, ta, tb), a.shape()) : Tensor(),
          input_needs_gradient(1) ? unbroadcast(matmul_grad_b(g[0], a, ta, tb), b.shape()) : Tensor()};
}

// Dense: activation(x @ kernel + bias) with the leading axes of x flattened for the GEMM.
Grads dense_rule(const Node& n, const Grads& g) {
  const Tensor &x = n.inputs[0], &kernel = n.inputs[1];
  const int64_t units = kernel.dim(1);
  const Epilogue ep = Epilogue(n.attrs.get<int64_t>("epilogue"));
  const Tensor gz = epilogue_grad(ep, reshape(g[0], {-1, units}), reshape(n.outputs[0], {-1, units}));
  Grads out{input_needs_gradient(0) ? reshape(matmul(gz, kernel, false, true), x.shape()) : Tensor(),
            input_needs_gradient(1) ? matmul(reshape(x, {-1, x.dim(-1)}), gz, true, false) : Tensor()};
  if (n.inputs.size() == 3) out.push_back(input_needs_gradient(2) ? reduce_sum(gz, {0}) : Tensor());
  return out;
}

// Along the last axis: log_softmax' = g - softmax * sum(g); softmax' = y * (g - sum(g * y)).
Grads softmax_rule(const Node& n, const Grads& g) {
  const Tensor& y = n.outputs[0];
  const int64_t last = y.rank() - 1;
  const Tensor gy = mul(g[0], y);
  return {sub(gy, mul(y, reduce_sum(gy, {last}, true)))};
}
Grads log_softmax_rule(const Node& n, const Grads& g) {
  const Tensor& y = n.outputs[0];
  return {sub(g[0], mul(exp(y), reduce_sum(g[0], {y.rank() - 1}, true)))};
}

// The fused losses keep the backprop (softmax - labels) their kernel computed. When a tape is
// recording the backward pass (a second derivative), it is computed again from the logits in
// ops, so that it is connected to them; otherwise the kept one is used as it is.
Grads sparse_xent_rule(const Node& n, const Grads& g) {
  const Tensor &labels = n.inputs[0], &logits = n.inputs[1];
  const int64_t C = logits.dim(-1);
  Tensor back = n.saved[0];
  if (recording())
    back = sub(softmax(reshape(logits, {-1, C}), -1), one_hot(reshape(labels, {-1}), C, 1.0, 0.0, logits.dtype()));
  return {Tensor(), reshape(mul(back, reshape(g[0], {-1, 1})), logits.shape())};
}
Grads xent_rule(const Node& n, const Grads& g) {
  const Tensor &labels = n.inputs[0], &logits = n.inputs[1];
  const int64_t C = logits.dim(-1);
  const Tensor lg = reshape(logits, {-1, C});
  const Tensor gcol = reshape(g[0], {-1, 1});
  Tensor back = n.saved[0];
  if (recording()) back = sub(softmax(lg, -1), reshape(labels, {-1, C}));
  return {reshape(mul(neg(log_softmax(lg, -1)), gcol), logits.shape()), reshape(mul(back, gcol), logits.shape())};
}

TB_DEFINE_OP(kBatchMatMulV3, "BatchMatMulV3", matmul_rule);
TB_DEFINE_OP(kDense, "Dense", dense_rule);
TB_DEFINE_OP(kSoftmax, "Softmax", softmax_rule);
TB_DEFINE_OP(kLogSoftmax, "LogSoftmax", log_softmax_rule);
TB_DEFINE_OP(kSparseSoftmaxXent, "SparseSoftmaxCrossEntropyWithLogits", sparse_xent_rule);
TB_DEFINE_OP(kSoftmaxXent, "SoftmaxCrossEntropyWithLogits", xent_rule);

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  check_matmul(a, b, ta, tb, "MatMul");
  Tensor y = k::matmul(a, b, ta, tb);
  if (recording()) record(kBatchMatMulV3, {a, b}, {y}, {{"adj_x", ta}, {"adj_y", tb}});
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
    record(kDense, std::move(inputs), {y}, {{"epilogue", int64_t(ep)}});
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
  if (recording()) record(log ? kLogSoftmax : kSoftmax, {x}, {y});
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
  if (recording()) record(kSparseSoftmaxXent, {labels, logits}, {loss}, {}, {back});
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
  if (recording()) record(kSoftmaxXent, {labels, logits}, {loss}, {}, {back});
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
