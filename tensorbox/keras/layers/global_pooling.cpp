#include "tensorbox/keras/layers/global_pooling.h"

#include <algorithm>

#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

GlobalPooling::GlobalPooling(const std::string& class_name, int rank, bool max, const GlobalPoolingOptions& o)
    : Layer(class_name, base_options(o)), rank_(rank), max_(max), options_(o) {
  supports_masking_ = rank == 1 && !max;  // Keras: only GlobalAveragePooling1D reads a mask
  if (o.data_format != "channels_last" && o.data_format != "channels_first")
    throw ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " +
                     o.data_format);
}

std::vector<int64_t> GlobalPooling::spatial_axes() const {
  std::vector<int64_t> axes;
  const int64_t first = options_.data_format == "channels_last" ? 1 : 2;
  for (int i = 0; i < rank_; ++i) axes.push_back(first + i);
  return axes;
}

Tensor GlobalPooling::call(const Tensor& x, bool) {
  if (x.rank() != rank_ + 2)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=" +
                     std::to_string(rank_ + 2) + ", found ndim=" + std::to_string(x.rank()) +
                     ". Full shape received: " + x.shape().to_string());
  return max_ ? ops::reduce_max(x, spatial_axes(), options_.keepdims) : ops::reduce_mean(x, spatial_axes(), options_.keepdims);
}

Tensor GlobalPooling::call_masked(const Tensor& x, bool training, const Tensor& mask) {
  if (!mask.defined() || !supports_masking_) return call(x, training);
  check_min_ndim(x, 3);
  // mask [N, steps] -> [N, steps, 1] (channels_last) or [N, 1, steps] (channels_first).
  const int64_t channel_axis = options_.data_format == "channels_last" ? 2 : 1;
  const Tensor m = ops::expand_dims(ops::cast(mask, x.dtype()), channel_axis);
  const int64_t steps = spatial_axes()[0];
  return ops::div(ops::reduce_sum(ops::mul(x, m), {steps}, options_.keepdims),
                  ops::reduce_sum(m, {steps}, options_.keepdims));
}

Shape GlobalPooling::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d;
  const auto axes = spatial_axes();
  for (int64_t i = 0; i < s.rank(); ++i) {
    const bool spatial = std::find(axes.begin(), axes.end(), i) != axes.end();
    if (!spatial) d.push_back(s[i]);
    else if (options_.keepdims) d.push_back(1);
  }
  return Shape(d);
}

nlohmann::ordered_json GlobalPooling::layer_config() const {
  return {{"data_format", options_.data_format}, {"keepdims", options_.keepdims}};
}

GlobalPoolingOptions GlobalPooling::options_from_config(const nlohmann::ordered_json& c, const std::string& class_name) {
  ConfigReader r(c, "layer " + class_name);
  const BaseOptions b = read_base_options(r, c);
  GlobalPoolingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read_if_set("data_format", o.data_format);
  r.read("keepdims", o.keepdims);
  r.finish();
  return o;
}

TB_REGISTER_LAYER(GlobalAveragePooling1D);
TB_REGISTER_LAYER(GlobalAveragePooling2D);
TB_REGISTER_LAYER(GlobalMaxPooling1D);
TB_REGISTER_LAYER(GlobalMaxPooling2D);

}  // namespace tb::keras::layers
