#include "tensorbox/keras/layers/conv2d_variants.h"

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/conv_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

Conv2DVariantLayer::Conv2DVariantLayer(const std::string& class_name, Conv2DVariant kind, int64_t filters,
                                       const Conv2DVariantOptions& o)
    : Layer(class_name, base_options(o)),
      kind_(kind),
      filters_(filters),
      options_(o),
      kernel_init_(initializers::get(o.kernel_initializer)),
      depthwise_init_(initializers::get(o.depthwise_initializer)),
      pointwise_init_(initializers::get(o.pointwise_initializer)),
      bias_init_(initializers::get(o.bias_initializer)),
      kernel_reg_(regularizers::from_config(o.kernel_regularizer)),
      depthwise_reg_(regularizers::from_config(o.depthwise_regularizer)),
      pointwise_reg_(regularizers::from_config(o.pointwise_regularizer)),
      bias_reg_(regularizers::from_config(o.bias_regularizer)),
      activity_reg_(regularizers::from_config(o.activity_regularizer)) {
  if (kind != Conv2DVariant::depthwise && filters <= 0)
    throw ValueError("Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters) + ".");
  if (o.kernel_size.empty()) throw ValueError("Layer " + name() + ": `kernel_size` is required (2 integers)");
  options_.kernel_size = normalize_tuple(o.kernel_size, 2, "kernel_size", name());
  options_.strides = normalize_tuple(o.strides, 2, "strides", name());
  options_.dilation_rate = normalize_tuple(o.dilation_rate, 2, "dilation_rate", name());
  if (!o.output_padding.empty()) {
    if (kind != Conv2DVariant::transpose) throw ValueError("Layer " + name() + ": `output_padding` is a Conv2DTranspose argument");
    options_.output_padding = o.output_padding.size() == 1 ? std::vector<int64_t>(2, o.output_padding[0]) : o.output_padding;
    for (int i = 0; i < 2; ++i)
      if (options_.output_padding.size() != 2 || options_.output_padding[size_t(i)] < 0 ||
          options_.output_padding[size_t(i)] >= options_.strides[size_t(i)])
        throw ValueError("Strides " + Shape(options_.strides).to_string() + " must be greater than output padding " +
                         Shape(options_.output_padding).to_string());
  }
  if (o.padding != "valid" && o.padding != "same")
    throw ValueError("The `padding` argument must be one of \"valid\", \"same\". Received: " + o.padding);
  if (o.data_format != "channels_last" && o.data_format != "channels_first")
    throw ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " +
                     o.data_format);
  if (o.depth_multiplier <= 0)
    throw ValueError("Layer " + name() + ": `depth_multiplier` must be positive, got " + std::to_string(o.depth_multiplier));
  options_.activation = activations::serialize(o.activation);
  activations::validate(options_.activation);
}

void Conv2DVariantLayer::build(const Shape& s) {
  if (s.rank() != 4)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=4, found ndim=" +
                     std::to_string(s.rank()) + ". Full shape received: " + s.to_string());
  in_channels_ = s[options_.data_format == "channels_last" ? 3 : 1];
  if (in_channels_ <= 0)
    throw ValueError("The channel dimension of the inputs to " + class_name() + " should be defined. Found None. Full "
                     "input shape received: " + s.to_string());
  const int64_t kh = options_.kernel_size[0], kw = options_.kernel_size[1], dm = options_.depth_multiplier;
  int64_t out = filters_;
  switch (kind_) {
    case Conv2DVariant::transpose:
      kernel_ = add_weight("kernel", {kh, kw, filters_, in_channels_}, kernel_init_);
      add_weight_regularizer(kernel_, kernel_reg_);
      break;
    case Conv2DVariant::depthwise:
      depthwise_ = add_weight("depthwise_kernel", {kh, kw, in_channels_, dm}, depthwise_init_);
      add_weight_regularizer(depthwise_, depthwise_reg_);
      out = in_channels_ * dm;
      break;
    case Conv2DVariant::separable:
      depthwise_ = add_weight("depthwise_kernel", {kh, kw, in_channels_, dm}, depthwise_init_);
      add_weight_regularizer(depthwise_, depthwise_reg_);
      pointwise_ = add_weight("pointwise_kernel", {1, 1, in_channels_ * dm, filters_}, pointwise_init_);
      add_weight_regularizer(pointwise_, pointwise_reg_);
      break;
  }
  if (options_.use_bias) {
    bias_ = add_weight("bias", {out}, bias_init_);
    add_weight_regularizer(bias_, bias_reg_);
  }
  built_ = true;
}

int64_t Conv2DVariantLayer::output_size(int64_t in, int i) const {  // Keras's deconv_output_length
  const int64_t s = options_.strides[size_t(i)];
  const int64_t k = (options_.kernel_size[size_t(i)] - 1) * options_.dilation_rate[size_t(i)] + 1;
  if (options_.output_padding.empty())
    return options_.padding == "valid" ? in * s + std::max<int64_t>(k - s, 0) : in * s;
  const int64_t pad = options_.padding == "same" ? k / 2 : 0;
  return (in - 1) * s + k - 2 * pad + options_.output_padding[size_t(i)];
}

Tensor Conv2DVariantLayer::call(const Tensor& inputs, bool) {
  if (inputs.rank() != 4 || inputs.dim(options_.data_format == "channels_last" ? 3 : 1) != in_channels_)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected a 4-D input with " +
                     std::to_string(in_channels_) + " channels, but received input with shape " + inputs.shape().to_string());
  const Tensor x = options_.data_format == "channels_first" ? to_channels_last(inputs) : inputs;
  const ops::Conv2DArgs args{.strides = {options_.strides[0], options_.strides[1]},
                             .padding = options_.padding,
                             .dilations = {options_.dilation_rate[0], options_.dilation_rate[1]},
                             .layer = name()};
  const std::string& act = options_.activation;
  const bool fused = act == "linear" || act == "relu" || act == "tanh";  // as in Dense and Conv
  const Tensor bias = options_.use_bias ? read(bias_) : Tensor();
  Tensor y;
  if (kind_ == Conv2DVariant::transpose) {
    y = ops::conv2d_transpose(x, read(kernel_), {output_size(x.dim(1), 0), output_size(x.dim(2), 1)}, args);
    if (bias.defined()) y = ops::bias_add(y, bias);
    y = activations::get(act)(y);
  } else {
    const Tensor dk = read(depthwise_);
    const Tensor grouped = ops::reshape(dk, {dk.dim(0), dk.dim(1), 1, dk.dim(2) * dk.dim(3)});  // groups = C
    if (kind_ == Conv2DVariant::depthwise) {
      y = ops::conv2d(x, grouped, bias, args, fused ? act : "");
    } else {
      const Tensor depth = ops::conv2d(x, grouped, Tensor(), args);
      y = ops::conv2d(depth, read(pointwise_), bias, {.layer = name()}, fused ? act : "");
    }
    if (!fused) y = activations::get(act)(y);
  }
  if (options_.data_format == "channels_first") y = to_channels_first(y);
  add_activity_regularization(y, activity_reg_);
  return y;
}

Shape Conv2DVariantLayer::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  const int64_t first = options_.data_format == "channels_last" ? 1 : 2;
  const int64_t c = options_.data_format == "channels_last" ? 3 : 1;
  for (int i = 0; i < 2; ++i) {
    int64_t& v = d[size_t(first + i)];
    if (v < 0) continue;
    v = kind_ == Conv2DVariant::transpose
            ? output_size(v, i)
            : ops::conv_output_size(v, options_.kernel_size[size_t(i)], options_.strides[size_t(i)],
                                    options_.dilation_rate[size_t(i)], options_.padding);
  }
  d[size_t(c)] = kind_ == Conv2DVariant::depthwise ? (s[c] < 0 ? -1 : s[c] * options_.depth_multiplier) : filters_;
  return Shape(d);
}

nlohmann::ordered_json Conv2DVariantLayer::layer_config() const {
  // Keras's keys in Keras's order (TF 2.12): Conv's, then each variant's own.
  using json = nlohmann::ordered_json;
  const bool depthwise = kind_ == Conv2DVariant::depthwise, separable = kind_ == Conv2DVariant::separable;
  json c;
  if (!depthwise) c["filters"] = filters_;
  c["kernel_size"] = options_.kernel_size;
  c["strides"] = options_.strides;
  c["padding"] = options_.padding;
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = options_.dilation_rate;
  c["groups"] = 1;
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
  if (!depthwise) c["kernel_initializer"] = kernel_init_.get_config();
  c["bias_initializer"] = bias_init_.get_config();
  if (!depthwise) c["kernel_regularizer"] = regularizers::serialize(kernel_reg_);
  c["bias_regularizer"] = regularizers::serialize(bias_reg_);
  c["activity_regularizer"] = regularizers::serialize(activity_reg_);
  if (!depthwise) c["kernel_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  if (kind_ == Conv2DVariant::transpose) {
    c["output_padding"] = options_.output_padding.empty() ? json(nullptr) : json(options_.output_padding);
    return c;
  }
  c["depth_multiplier"] = options_.depth_multiplier;
  c["depthwise_initializer"] = depthwise_init_.get_config();
  if (separable) c["pointwise_initializer"] = pointwise_init_.get_config();
  c["depthwise_regularizer"] = regularizers::serialize(depthwise_reg_);
  if (separable) c["pointwise_regularizer"] = regularizers::serialize(pointwise_reg_);
  c["depthwise_constraint"] = nullptr;
  if (separable) c["pointwise_constraint"] = nullptr;
  return c;
}

std::pair<int64_t, Conv2DVariantOptions> Conv2DVariantLayer::options_from_config(const nlohmann::ordered_json& c,
                                                                                 const std::string& class_name) {
  ConfigReader r(c, "layer " + class_name);
  const BaseOptions b = read_base_options(r, c);
  Conv2DVariantOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  int64_t filters = 0;
  r.read("filters", filters);
  read_conv_args(r, o);
  if (r.has("output_padding")) o.output_padding = read_tuple(r, "output_padding", {});
  else r.allow("output_padding");
  r.ignore("groups", 1);
  r.read("depth_multiplier", o.depth_multiplier);
  for (const char* k : {"kernel_initializer", "depthwise_initializer", "pointwise_initializer", "bias_initializer"}) r.allow(k);
  r.read_if_set("kernel_regularizer", o.kernel_regularizer);
  r.read_if_set("depthwise_regularizer", o.depthwise_regularizer);
  r.read_if_set("pointwise_regularizer", o.pointwise_regularizer);
  r.read_if_set("bias_regularizer", o.bias_regularizer);
  r.read_if_set("activity_regularizer", o.activity_regularizer);
  for (const char* k : {"kernel_constraint", "depthwise_constraint", "pointwise_constraint", "bias_constraint"})
    r.ignore(k, nullptr);
  r.finish();
  return {filters, o};
}

void Conv2DVariantLayer::set_initializers(const nlohmann::ordered_json& c) {
  if (c.contains("kernel_initializer")) kernel_init_ = initializers::from_config(c["kernel_initializer"]);
  if (c.contains("depthwise_initializer")) depthwise_init_ = initializers::from_config(c["depthwise_initializer"]);
  if (c.contains("pointwise_initializer")) pointwise_init_ = initializers::from_config(c["pointwise_initializer"]);
  if (c.contains("bias_initializer")) bias_init_ = initializers::from_config(c["bias_initializer"]);
}

TB_REGISTER_LAYER(Conv2DTranspose);
TB_REGISTER_LAYER(DepthwiseConv2D);
TB_REGISTER_LAYER(SeparableConv2D);

}  // namespace tb::keras::layers
