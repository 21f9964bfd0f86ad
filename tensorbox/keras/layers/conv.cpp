#include "tensorbox/keras/layers/conv.h"

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/conv_ops.h"

namespace tb::keras::layers {

namespace {
std::string tuple_text(const std::vector<int64_t>& v) { return Shape(v).to_string(); }
}  // namespace

Conv::Conv(const std::string& class_name, int rank, int64_t filters, const ConvOptions& o)
    : Layer(class_name, base_options(o)),
      rank_(rank),
      filters_(filters),
      options_(o),
      kernel_init_(initializers::get(o.kernel_initializer)),
      bias_init_(initializers::get(o.bias_initializer)),
      kernel_reg_(regularizers::from_config(o.kernel_regularizer)),
      bias_reg_(regularizers::from_config(o.bias_regularizer)),
      activity_reg_(regularizers::from_config(o.activity_regularizer)) {
  if (filters <= 0)
    throw ValueError("Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters) + ".");
  if (o.groups <= 0 || filters % o.groups != 0)
    throw ValueError("The number of filters must be evenly divisible by the number of groups. Received: groups=" +
                     std::to_string(o.groups) + ", filters=" + std::to_string(filters) + ".");
  if (o.kernel_size.empty())
    throw ValueError("Layer " + name() + ": `kernel_size` is required (" + std::to_string(rank) + " integers)");
  options_.kernel_size = normalize_tuple(o.kernel_size, rank, "kernel_size", name());
  options_.strides = normalize_tuple(o.strides, rank, "strides", name());
  options_.dilation_rate = normalize_tuple(o.dilation_rate, rank, "dilation_rate", name());
  if (o.padding != "valid" && o.padding != "same" && o.padding != "causal")
    throw ValueError("The `padding` argument must be a list/tuple or one of \"valid\", \"same\" (or \"causal\", only "
                     "for `Conv1D`). Received: " + o.padding);
  if (o.padding == "causal" && rank != 1)
    throw ValueError("Causal padding is only supported for `Conv1D` and `SeparableConv1D`. Layer " + name());
  if (o.data_format != "channels_last" && o.data_format != "channels_first")
    throw ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " +
                     o.data_format);
  bool strided = false, dilated = false;
  for (int i = 0; i < rank; ++i) {
    strided |= options_.strides[size_t(i)] > 1;
    dilated |= options_.dilation_rate[size_t(i)] > 1;
  }
  if (strided && dilated)
    throw ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=" +
                     tuple_text(options_.strides) + " and dilation_rate=" + tuple_text(options_.dilation_rate));
  options_.activation = activations::serialize(o.activation);
  activations::validate(options_.activation);
}

int64_t Conv::channel_axis() const { return options_.data_format == "channels_last" ? rank_ + 1 : 1; }

void Conv::build(const Shape& s) {
  if (s.rank() != rank_ + 2)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected min_ndim=" +
                     std::to_string(rank_ + 2) + ", found ndim=" + std::to_string(s.rank()) +
                     ". Full shape received: " + s.to_string());
  const int64_t in = s[channel_axis()];
  if (in <= 0)
    throw ValueError("The channel dimension of the inputs should be defined. The input_shape received is " +
                     s.to_string() + ", where axis " + std::to_string(channel_axis()) +
                     " (0-based) is the channel dimension, which found to be `None`.");
  if (in % options_.groups != 0)
    throw ValueError("The number of input channels must be evenly divisible by the number of groups. Received groups=" +
                     std::to_string(options_.groups) + ", but the input has " + std::to_string(in) +
                     " channels (full input shape is " + s.to_string() + ")");
  std::vector<int64_t> kshape = options_.kernel_size;
  kshape.push_back(in / options_.groups);
  kshape.push_back(filters_);
  kernel_ = add_weight("kernel", Shape(kshape), kernel_init_);
  add_weight_regularizer(kernel_, kernel_reg_);
  if (options_.use_bias) {
    bias_ = add_weight("bias", {filters_}, bias_init_);
    add_weight_regularizer(bias_, bias_reg_);
  }
  built_ = true;
}

Tensor Conv::call(const Tensor& inputs, bool) {
  if (inputs.rank() != rank_ + 2)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=" +
                     std::to_string(rank_ + 2) + ", found ndim=" + std::to_string(inputs.rank()) +
                     ". Full shape received: " + inputs.shape().to_string());
  const int64_t in = kernel_.shape()[-2] * options_.groups;
  if (inputs.dim(channel_axis()) != in)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis " +
                     std::to_string(channel_axis() == 1 ? 1 : -1) + " of input shape to have value " +
                     std::to_string(in) + ", but received input with shape " + inputs.shape().to_string());
  Tensor x = options_.data_format == "channels_first" ? to_channels_last(inputs) : inputs;
  for (int i = 0; i < rank_; ++i)
    if (options_.padding == "valid" &&
        x.dim(1 + i) < (options_.kernel_size[size_t(i)] - 1) * options_.dilation_rate[size_t(i)] + 1)
      throw ValueError("One of the dimensions in the output is <= 0 due to downsampling in " + name() +
                       ". Consider increasing the input size. Received input shape " + inputs.shape().to_string() +
                       " which would produce output shape with a zero or negative value in a dimension.");
  Tensor k = read(kernel_);
  ops::Conv2DArgs args{.padding = options_.padding, .layer = name()};
  const auto& ks = options_.strides;
  const auto& kd = options_.dilation_rate;
  if (rank_ == 1) {  // [N, W, C] as [N, 1, W, C]
    x = ops::reshape(x, {x.dim(0), 1, x.dim(1), x.dim(2)});
    k = ops::reshape(k, {1, k.dim(0), k.dim(1), k.dim(2)});
    args.strides = {1, ks[0]};
    args.dilations = {1, kd[0]};
  } else {
    args.strides = {ks[0], ks[1]};
    args.dilations = {kd[0], kd[1]};
  }
  const std::string& act = options_.activation;
  // As in Dense: relu and tanh fuse; sigmoid/softmax run as their own op so a loss can find
  // their logits.
  const bool fused = act == "linear" || act == "relu" || act == "tanh";
  Tensor y = ops::conv2d(x, k, options_.use_bias ? read(bias_) : Tensor(), args, fused ? act : "");
  if (rank_ == 1) y = ops::reshape(y, {y.dim(0), y.dim(2), y.dim(3)});
  if (!fused) y = activations::get(act)(y);
  y = options_.data_format == "channels_first" ? to_channels_first(y) : y;
  add_activity_regularization(y, activity_reg_);
  return y;
}

Shape Conv::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  const int64_t first = options_.data_format == "channels_last" ? 1 : 2;
  for (int i = 0; i < rank_; ++i) {
    int64_t& v = d[size_t(first + i)];
    if (v >= 0)
      v = ops::conv_output_size(v, options_.kernel_size[size_t(i)], options_.strides[size_t(i)],
                                options_.dilation_rate[size_t(i)], options_.padding);
  }
  d[size_t(channel_axis())] = filters_;
  return Shape(d);
}

nlohmann::ordered_json Conv::layer_config() const {
  return {{"filters", filters_},
          {"kernel_size", options_.kernel_size},
          {"strides", options_.strides},
          {"padding", options_.padding},
          {"data_format", options_.data_format},
          {"dilation_rate", options_.dilation_rate},
          {"groups", options_.groups},
          {"activation", options_.activation},
          {"use_bias", options_.use_bias},
          {"kernel_initializer", kernel_init_.get_config()},
          {"bias_initializer", bias_init_.get_config()},
          {"kernel_regularizer", regularizers::serialize(kernel_reg_)},
          {"bias_regularizer", regularizers::serialize(bias_reg_)},
          {"activity_regularizer", regularizers::serialize(activity_reg_)},
          {"kernel_constraint", nullptr},
          {"bias_constraint", nullptr}};
}

std::pair<int64_t, ConvOptions> Conv::options_from_config(const nlohmann::ordered_json& c,
                                                          const std::string& class_name) {
  ConfigReader r(c, "layer " + class_name);
  const BaseOptions b = read_base_options(r, c);
  ConvOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  int64_t filters = 0;
  r.read("filters", filters);
  read_conv_args(r, o);
  r.read("groups", o.groups);
  r.allow("kernel_initializer");
  r.allow("bias_initializer");
  r.read_if_set("kernel_regularizer", o.kernel_regularizer);
  r.read_if_set("bias_regularizer", o.bias_regularizer);
  r.read_if_set("activity_regularizer", o.activity_regularizer);
  for (const char* k : {"kernel_constraint", "bias_constraint"}) r.ignore(k, nullptr);
  r.finish();
  return {filters, o};
}

void Conv::set_initializers(const nlohmann::ordered_json& c) {
  if (c.contains("kernel_initializer")) kernel_init_ = initializers::from_config(c["kernel_initializer"]);
  if (c.contains("bias_initializer")) bias_init_ = initializers::from_config(c["bias_initializer"]);
}

}  // namespace tb::keras::layers
