#include "tensorbox/keras/layers/pooling.h"

#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/conv_ops.h"

namespace tb::keras::layers {

Pooling::Pooling(const std::string& class_name, int rank, bool max, const PoolingOptions& o)
    : Layer(class_name, base_options(o)), rank_(rank), max_(max), options_(o) {
  options_.pool_size = normalize_tuple(o.pool_size, rank, "pool_size", name());
  options_.strides = o.strides.empty() ? options_.pool_size : normalize_tuple(o.strides, rank, "strides", name());
  if (o.padding != "valid" && o.padding != "same")
    throw ValueError("The `padding` argument must be a list/tuple or one of \"valid\", \"same\". Received: " + o.padding);
  if (o.data_format != "channels_last" && o.data_format != "channels_first")
    throw ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " +
                     o.data_format);
}

Tensor Pooling::call(const Tensor& inputs, bool) {
  if (inputs.rank() != rank_ + 2)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=" +
                     std::to_string(rank_ + 2) + ", found ndim=" + std::to_string(inputs.rank()) +
                     ". Full shape received: " + inputs.shape().to_string());
  Tensor x = options_.data_format == "channels_first" ? to_channels_last(inputs) : inputs;
  for (int i = 0; i < rank_; ++i)
    if (options_.padding == "valid" && x.dim(1 + i) < options_.pool_size[size_t(i)])
      throw ValueError("Negative dimension size caused by subtracting " + std::to_string(options_.pool_size[size_t(i)]) +
                       " from " + std::to_string(x.dim(1 + i)) + " in layer \"" + name() + "\" with input shape " +
                       inputs.shape().to_string());
  const auto& p = options_.pool_size;
  const auto& s = options_.strides;
  std::array<int64_t, 2> size{1, p[0]}, strides{1, s[0]};
  if (rank_ == 1) {
    x = ops::reshape(x, {x.dim(0), 1, x.dim(1), x.dim(2)});
  } else {
    size = {p[0], p[1]};
    strides = {s[0], s[1]};
  }
  Tensor y = max_ ? ops::max_pool2d(x, size, strides, options_.padding) : ops::avg_pool2d(x, size, strides, options_.padding);
  if (rank_ == 1) y = ops::reshape(y, {y.dim(0), y.dim(2), y.dim(3)});
  return options_.data_format == "channels_first" ? to_channels_first(y) : y;
}

Shape Pooling::compute_output_shape(const Shape& in) const {
  std::vector<int64_t> d = in.dims();
  const int64_t first = options_.data_format == "channels_last" ? 1 : 2;
  for (int i = 0; i < rank_; ++i) {
    int64_t& v = d[size_t(first + i)];
    if (v >= 0) v = ops::conv_output_size(v, options_.pool_size[size_t(i)], options_.strides[size_t(i)], 1, options_.padding);
  }
  return Shape(d);
}

nlohmann::ordered_json Pooling::layer_config() const {
  return {{"pool_size", options_.pool_size},
          {"padding", options_.padding},
          {"strides", options_.strides},
          {"data_format", options_.data_format}};
}

PoolingOptions Pooling::options_from_config(const nlohmann::ordered_json& c, const std::string& class_name) {
  ConfigReader r(c, "layer " + class_name);
  const BaseOptions b = read_base_options(r, c);
  PoolingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  o.pool_size = read_tuple(r, "pool_size", {2});
  o.strides = read_tuple(r, "strides", {});
  r.read("padding", o.padding);
  r.read_if_set("data_format", o.data_format);
  r.finish();
  return o;
}

}  // namespace tb::keras::layers
