#include "tensorbox/ops/conv_ops.h"

#include "tensorbox/kernels/cpu/conv.h"
#include "tensorbox/kernels/cpu/pool.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/epilogue.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;

namespace {

struct AxisPadding {
  int64_t out, before, after;
};

// TensorFlow's padding rule for one spatial axis.
AxisPadding pad_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, const std::string& padding,
                     const std::string& who) {
  const int64_t eff = (kernel - 1) * dilation + 1;
  if (padding == "same") {
    const int64_t out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((out - 1) * stride + eff - in, 0);
    return {out, total / 2, total - total / 2};
  }
  if (padding == "causal") return {(in - 1) / stride + 1, eff - 1, 0};
  if (padding != "valid")
    throw ValueError(who + ": padding must be one of \"valid\", \"same\" or \"causal\", got \"" + padding + "\"");
  if (in < eff)
    throw InvalidArgumentError(who + ": Computed output size would be negative: " + std::to_string((in - eff) / stride + 1) +
                               " [input_size: " + std::to_string(in) + ", effective_filter_size: " + std::to_string(eff) +
                               ", stride: " + std::to_string(stride) + "]");
  return {(in - eff) / stride + 1, 0, 0};
}

void check_pairs(const std::string& who, const char* what, std::array<int64_t, 2> v) {
  if (v[0] < 1 || v[1] < 1)
    throw ValueError(who + ": " + what + " must be positive, got (" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ")");
}

void check_nhwc(const Tensor& x, const std::string& who) {
  if (x.rank() != 4)
    throw InvalidArgumentError(who + ": input must be 4-dimensional [batch, height, width, channels], got shape " +
                               x.shape().to_string());
  if (!is_floating(x.dtype()))
    throw InvalidArgumentError(who + ": input must be a floating tensor, got " + std::string(dtype_name(x.dtype())));
}

// The geometry of conv(x: [N, H, W, C], filters: [KH, KW, C / groups, O]) with these args.
k::ConvGeometry conv_geometry(const Shape& x, const Shape& f, const Conv2DArgs& a) {
  const std::string& who = a.layer;
  check_pairs(who, "strides", a.strides);
  check_pairs(who, "dilation_rate", a.dilations);
  k::ConvGeometry g;
  g.N = x[0], g.H = x[1], g.W = x[2], g.C = x[3];
  g.KH = f[0], g.KW = f[1], g.O = f[3];
  if (f[2] <= 0 || g.C % f[2] != 0)
    throw InvalidArgumentError(who + ": Depth of input (" + std::to_string(g.C) +
                               ") is not a multiple of input depth of filter (" + std::to_string(f[2]) + "); input " +
                               x.to_string() + ", filter " + f.to_string());
  g.groups = g.C / f[2];
  if (g.O % g.groups != 0)
    throw InvalidArgumentError(who + ": Depth of output (" + std::to_string(g.O) +
                               ") is not a multiple of the number of groups (" + std::to_string(g.groups) + ")");
  g.sh = a.strides[0], g.sw = a.strides[1], g.dh = a.dilations[0], g.dw = a.dilations[1];
  const AxisPadding h = pad_axis(g.H, g.KH, g.sh, g.dh, a.padding, who);
  const AxisPadding w = pad_axis(g.W, g.KW, g.sw, g.dw, a.padding, who);
  g.OH = h.out, g.pt = h.before, g.pb = h.after;
  g.OW = w.out, g.pl = w.before, g.pr = w.after;
  return g;
}

void check_filters(const Tensor& x, const Tensor& filters, const std::string& who) {
  if (filters.rank() != 4)
    throw InvalidArgumentError(who + ": filter must be 4-dimensional [height, width, in_channels, out_channels], got shape " +
                               filters.shape().to_string());
  if (filters.dtype() != x.dtype())
    throw InvalidArgumentError(who + ": input dtype " + std::string(dtype_name(x.dtype())) +
                               " does not match filter dtype " + std::string(dtype_name(filters.dtype())));
}

// Conv2DArgs as node attributes, and back (the gradient rules call the ops again).
Attrs conv_attrs(const Conv2DArgs& a, Epilogue e) {
  return {{"strides", std::vector<int64_t>{a.strides[0], a.strides[1]}},
          {"padding", a.padding},
          {"dilations", std::vector<int64_t>{a.dilations[0], a.dilations[1]}},
          {"layer", a.layer},
          {"epilogue", int64_t(e)}};
}
Conv2DArgs conv_args(const Node& n) {
  const auto& s = n.attrs.get<std::vector<int64_t>>("strides");
  const auto& d = n.attrs.get<std::vector<int64_t>>("dilations");
  return {{s[0], s[1]}, n.attrs.get<std::string>("padding"), {d[0], d[1]}, n.attrs.get<std::string>("layer")};
}

Grads conv2d_rule(const Node& n, const Grads& g) {
  const Tensor &x = n.inputs[0], &filters = n.inputs[1];
  const Conv2DArgs args = conv_args(n);
  const Tensor gz = epilogue_grad(Epilogue(n.attrs.get<int64_t>("epilogue")), g[0], n.outputs[0]);
  const bool has_bias = n.inputs.size() == 3;
  const bool want_b = has_bias && input_needs_gradient(2);
  Grads out{input_needs_gradient(0) ? conv2d_backprop_input(x.shape(), filters, gz, args) : Tensor(), Tensor()};
  if (has_bias) out.push_back(Tensor());
  if (input_needs_gradient(1)) {
    // The filter's and the bias's gradients come from one pass over gz.
    std::vector<Tensor> dw = conv2d_backprop_filter(x, gz, filters.shape(), args, want_b);
    out[1] = dw[0];
    if (want_b) out[2] = dw[1];
  } else if (want_b) {
    out[2] = reduce_sum(reshape(gz, {-1, filters.dim(3)}), {0});
  }
  return out;
}

// dx = Conv2DBackpropInput(dy, filters): linear in each input.
Grads backprop_input_rule(const Node& n, const Grads& g) {
  const Tensor &dy = n.inputs[0], &filters = n.inputs[1];
  const Conv2DArgs args = conv_args(n);
  return {input_needs_gradient(0) ? conv2d(g[0], filters, Tensor(), args) : Tensor(),
          input_needs_gradient(1) ? conv2d_backprop_filter(g[0], dy, filters.shape(), args, false)[0] : Tensor()};
}

// (dw[, db]) = Conv2DBackpropFilter(x, dy): dw is linear in x and in dy, db in dy.
Grads backprop_filter_rule(const Node& n, const Grads& g) {
  const Tensor &x = n.inputs[0], &dy = n.inputs[1];
  const Conv2DArgs args = conv_args(n);
  Tensor ddy = input_needs_gradient(1) ? conv2d(x, g[0], Tensor(), args) : Tensor();
  if (ddy.defined() && n.outputs.size() == 2) ddy = add(ddy, broadcast_to(g[1], dy.shape()));
  return {input_needs_gradient(0) ? conv2d_backprop_input(x.shape(), g[0], dy, args) : Tensor(), ddy};
}

TB_DEFINE_OP(kConv2D, "Conv2D", conv2d_rule);
TB_DEFINE_OP(kConv2DBackpropInput, "Conv2DBackpropInput", backprop_input_rule);
TB_DEFINE_OP(kConv2DBackpropFilter, "Conv2DBackpropFilter", backprop_filter_rule);

}  // namespace

int64_t conv_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, const std::string& padding) {
  return pad_axis(in, kernel, stride, dilation, padding, "conv_output_size").out;
}

Tensor conv2d(const Tensor& x, const Tensor& filters, const Tensor& bias, const Conv2DArgs& args,
              const std::string& activation) {
  const std::string& who = args.layer;
  check_nhwc(x, who);
  check_filters(x, filters, who);
  const k::ConvGeometry g = conv_geometry(x.shape(), filters.shape(), args);
  if (bias.defined() && (bias.rank() != 1 || bias.dim(0) != g.O || bias.dtype() != x.dtype()))
    throw InvalidArgumentError(who + ": bias of shape " + bias.shape().to_string() + " does not match filter of shape " +
                               filters.shape().to_string());
  const Epilogue e = epilogue_of(activation, who);
  Tensor y = k::conv2d(x, filters, bias.defined() ? &bias : nullptr, e, g);
  if (recording()) {
    std::vector<Tensor> inputs{x, filters};
    if (bias.defined()) inputs.push_back(bias);
    record(kConv2D, std::move(inputs), {y}, conv_attrs(args, e));
  }
  return y;
}

std::vector<Tensor> conv2d_backprop_filter(const Tensor& x, const Tensor& dy, const Shape& filter_shape,
                                           const Conv2DArgs& args, bool with_bias) {
  const std::string& who = args.layer;
  check_nhwc(x, who);
  check_nhwc(dy, who);
  if (filter_shape.rank() != 4)
    throw InvalidArgumentError(who + ": filter_shape must be 4-dimensional, got " + filter_shape.to_string());
  const k::ConvGeometry g = conv_geometry(x.shape(), filter_shape, args);
  if (dy.shape() != Shape{g.N, g.OH, g.OW, g.O} || dy.dtype() != x.dtype())
    throw InvalidArgumentError(who + ": out_backprop of shape " + dy.shape().to_string() + " does not match the output " +
                               Shape{g.N, g.OH, g.OW, g.O}.to_string() + " of convolving " + x.shape().to_string() +
                               " with a " + filter_shape.to_string() + " filter");
  auto [dw, db] = k::conv2d_backward_weights(x, dy, g, with_bias);
  std::vector<Tensor> out{dw};
  if (with_bias) out.push_back(db);
  if (recording()) record(kConv2DBackpropFilter, {x, dy}, out, conv_attrs(args, Epilogue::none));
  return out;
}

Tensor conv2d_backprop_input(const Shape& input_shape, const Tensor& filters, const Tensor& dy, const Conv2DArgs& args) {
  const std::string& who = args.layer;
  check_nhwc(dy, who);
  check_filters(dy, filters, who);
  if (input_shape.rank() != 4 || input_shape[0] != dy.dim(0))
    throw InvalidArgumentError(who + ": input_sizes " + input_shape.to_string() + " must be [batch, height, width, channels] with " +
                               std::to_string(dy.dim(0)) + " rows, as out_backprop " + dy.shape().to_string() + " has");
  if (filters.dim(3) != dy.dim(3))
    throw InvalidArgumentError(who + ": input depth " + std::to_string(dy.dim(3)) +
                               " does not match the filter's out_channels " + std::to_string(filters.dim(3)) +
                               " (filter " + filters.shape().to_string() + ")");
  // The convolution whose input gradient this is: input_shape -> dy.
  const k::ConvGeometry g = conv_geometry(input_shape, filters.shape(), args);
  if (g.OH != dy.dim(1) || g.OW != dy.dim(2))
    throw InvalidArgumentError(who + ": output size (" + std::to_string(input_shape[1]) + ", " +
                               std::to_string(input_shape[2]) + ") does not convolve back to the input's (" +
                               std::to_string(dy.dim(1)) + ", " + std::to_string(dy.dim(2)) + ") with these strides and padding");
  Tensor y = k::conv2d_backward_data(dy, filters, g);
  if (recording()) {
    Attrs attrs = conv_attrs(args, Epilogue::none);
    attrs.add("input_sizes", input_shape);
    record(kConv2DBackpropInput, {dy, filters}, {y}, std::move(attrs));
  }
  return y;
}

Tensor conv2d_transpose(const Tensor& x, const Tensor& filters, std::array<int64_t, 2> output_hw,
                        const Conv2DArgs& args) {
  check_nhwc(x, args.layer);
  check_filters(x, filters, args.layer);
  return conv2d_backprop_input(Shape{x.dim(0), output_hw[0], output_hw[1], filters.dim(2)}, filters, x, args);
}

namespace {

Attrs pool_attrs(std::array<int64_t, 2> size, std::array<int64_t, 2> strides, const std::string& padding) {
  return {{"ksize", std::vector<int64_t>{size[0], size[1]}},
          {"strides", std::vector<int64_t>{strides[0], strides[1]}},
          {"padding", padding}};
}
std::array<int64_t, 2> pair_attr(const Node& n, const char* name) {
  const auto& v = n.attrs.get<std::vector<int64_t>>(name);
  return {v[0], v[1]};
}

k::PoolGeometry pool_geometry(k::PoolKind kind, const Tensor& x, std::array<int64_t, 2> size,
                              std::array<int64_t, 2> strides, const std::string& padding) {
  const std::string who = kind == k::PoolKind::max ? "MaxPool" : "AvgPool";
  check_nhwc(x, who);
  check_pairs(who, "pool_size", size);
  check_pairs(who, "strides", strides);
  if (padding == "causal") throw ValueError(who + ": padding must be \"valid\" or \"same\", got \"causal\"");
  k::PoolGeometry g;
  g.N = x.dim(0), g.H = x.dim(1), g.W = x.dim(2), g.C = x.dim(3);
  g.KH = size[0], g.KW = size[1], g.sh = strides[0], g.sw = strides[1];
  const AxisPadding h = pad_axis(g.H, g.KH, g.sh, 1, padding, who);
  const AxisPadding w = pad_axis(g.W, g.KW, g.sw, 1, padding, who);
  g.OH = h.out, g.pt = h.before, g.pb = h.after;
  g.OW = w.out, g.pl = w.before, g.pr = w.after;
  return g;
}

// MaxPoolGrad(x, dy) routes dy to each window's maximum, found in the forward's workspace; it
// has no gradient of its own here (TensorFlow's MaxPoolGradGrad is not implemented).
TB_DEFINE_OP(kMaxPoolGrad, "MaxPoolGrad", nullptr);

// AvgPoolGrad(dy) spreads dy evenly over each window: linear, its adjoint is AvgPool.
Grads avg_pool_grad_rule(const Node& n, const Grads& g) {
  return {Tensor(), avg_pool2d(g[0], pair_attr(n, "ksize"), pair_attr(n, "strides"), n.attrs.get<std::string>("padding"))};
}
TB_DEFINE_OP(kAvgPoolGrad, "AvgPoolGrad", avg_pool_grad_rule);

// The pooling gradient ops: dy routed back over the windows of x (max: to each window's maximum,
// found in the forward's workspace `ws`).
Tensor pool_grad(k::PoolKind kind, const Tensor& x, const Tensor& dy, const Tensor& ws, std::array<int64_t, 2> size,
                 std::array<int64_t, 2> strides, const std::string& padding) {
  const k::PoolGeometry geo = pool_geometry(kind, x, size, strides, padding);
  Tensor dx = k::pool2d_backward(kind, dy, x, ws, geo);
  const bool max = kind == k::PoolKind::max;
  if (recording())
    record(max ? kMaxPoolGrad : kAvgPoolGrad, {x, dy}, {dx}, pool_attrs(size, strides, padding),
           max ? std::vector<Tensor>{ws} : std::vector<Tensor>{});
  return dx;
}

Grads pool_grad_of(k::PoolKind kind, const Node& n, const Grads& g) {
  return {pool_grad(kind, n.inputs[0], g[0], kind == k::PoolKind::max ? n.saved[0] : Tensor(), pair_attr(n, "ksize"),
                    pair_attr(n, "strides"), n.attrs.get<std::string>("padding"))};
}
Grads max_pool_rule(const Node& n, const Grads& g) { return pool_grad_of(k::PoolKind::max, n, g); }
Grads avg_pool_rule(const Node& n, const Grads& g) { return pool_grad_of(k::PoolKind::average, n, g); }

TB_DEFINE_OP(kMaxPool, "MaxPool", max_pool_rule);
TB_DEFINE_OP(kAvgPool, "AvgPool", avg_pool_rule);

Tensor pool(k::PoolKind kind, const Tensor& x, std::array<int64_t, 2> size, std::array<int64_t, 2> strides,
            const std::string& padding) {
  const k::PoolGeometry g = pool_geometry(kind, x, size, strides, padding);
  Tensor ws;
  Tensor y = k::pool2d(kind, x, g, recording() ? &ws : nullptr);
  if (recording())
    record(kind == k::PoolKind::max ? kMaxPool : kAvgPool, {x}, {y}, pool_attrs(size, strides, padding),
           kind == k::PoolKind::max ? std::vector<Tensor>{ws} : std::vector<Tensor>{});
  return y;
}

}  // namespace

Tensor max_pool2d(const Tensor& x, std::array<int64_t, 2> size, std::array<int64_t, 2> strides,
                  const std::string& padding) {
  return pool(k::PoolKind::max, x, size, strides, padding);
}

Tensor avg_pool2d(const Tensor& x, std::array<int64_t, 2> size, std::array<int64_t, 2> strides,
                  const std::string& padding) {
  return pool(k::PoolKind::average, x, size, strides, padding);
}

}  // namespace tb::ops
