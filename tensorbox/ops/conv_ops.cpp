#include "tensorbox/ops/conv_ops.h"

#include "tensorbox/kernels/cpu/conv.h"
#include "tensorbox/kernels/cpu/pool.h"
#include "tensorbox/kernels/cpu/reduce.h"
#include "tensorbox/ops/epilogue.h"
#include "tensorbox/ops/op.h"

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
    record("Conv2D", inputs, {y}, [x, filters, y, e, g, has_bias = bias.defined()](const Grads& gr) {
      const Tensor gz = epilogue_grad(e, gr[0], y);
      Grads out{input_needs_gradient(0) ? k::conv2d_backward_data(gz, filters, g) : Tensor(), Tensor()};
      const bool want_b = has_bias && input_needs_gradient(2);
      if (input_needs_gradient(1)) {
        auto [dw, db] = k::conv2d_backward_weights(x, gz, g, want_b);
        out[1] = dw;
        if (has_bias) out.push_back(db);
      } else if (has_bias) {
        out.push_back(want_b ? k::reduce(k::ReduceOp::sum, gz.reshape({-1, g.O}), {0}, false) : Tensor());
      }
      return out;
    });
  }
  return y;
}

Tensor conv2d_transpose(const Tensor& x, const Tensor& filters, std::array<int64_t, 2> output_hw,
                        const Conv2DArgs& args) {
  const std::string& who = args.layer;
  check_nhwc(x, who);
  check_filters(x, filters, who);
  if (filters.dim(3) != x.dim(3))
    throw InvalidArgumentError(who + ": input depth " + std::to_string(x.dim(3)) +
                               " does not match the filter's out_channels " + std::to_string(filters.dim(3)) +
                               " (filter " + filters.shape().to_string() + ")");
  // The convolution whose input gradient this is: [N, output_hw, filters[2]] -> x.
  const k::ConvGeometry g =
      conv_geometry(Shape{x.dim(0), output_hw[0], output_hw[1], filters.dim(2)}, filters.shape(), args);
  if (g.OH != x.dim(1) || g.OW != x.dim(2))
    throw InvalidArgumentError(who + ": output size (" + std::to_string(output_hw[0]) + ", " +
                               std::to_string(output_hw[1]) + ") does not convolve back to the input's (" +
                               std::to_string(x.dim(1)) + ", " + std::to_string(x.dim(2)) + ") with these strides and padding");
  Tensor y = k::conv2d_backward_data(x, filters, g);
  if (recording())
    record("Conv2DBackpropInput", {x, filters}, {y}, [x, filters, g](const Grads& gr) {
      return Grads{input_needs_gradient(0) ? k::conv2d(gr[0], filters, nullptr, Epilogue::none, g) : Tensor(),
                   input_needs_gradient(1) ? k::conv2d_backward_weights(gr[0], x, g, false).first : Tensor()};
    });
  return y;
}

namespace {

Tensor pool(k::PoolKind kind, const Tensor& x, std::array<int64_t, 2> size, std::array<int64_t, 2> strides,
            const std::string& padding) {
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
  Tensor ws;
  Tensor y = k::pool2d(kind, x, g, recording() ? &ws : nullptr);
  if (recording())
    record(kind == k::PoolKind::max ? "MaxPool" : "AvgPool", {x}, {y}, [kind, x, ws, g](const Grads& gr) {
      return Grads{k::pool2d_backward(kind, gr[0], x, ws, g)};
    });
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
