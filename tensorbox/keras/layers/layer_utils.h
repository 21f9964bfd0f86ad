// Helpers the layers share (Keras's conv_utils and layer_utils): int-or-tuple arguments,
// config reading, channels_first <-> channels_last, and axis lists checked against a shape.
//
//   options.strides = normalize_tuple({2}, 2, "strides", name());        // {2, 2}
//   std::vector<int64_t> axes = normalize_axes({-1}, input_shape, name()); // {rank - 1}
#pragma once

#include <string>
#include <vector>

#include "tensorbox/core/tensor.h"
#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

// A config value that Keras writes as an int or a tuple, as `rank` ints.
std::vector<int64_t> normalize_tuple(const std::vector<int64_t>& value, int rank, const std::string& what,
                                     const std::string& layer);
// Reads an int-or-list key of a config.
std::vector<int64_t> read_tuple(ConfigReader& r, const char* key, std::vector<int64_t> fallback);
// Marks name, trainable, dtype and batch_input_shape as known to a layer's ConfigReader.
void allow_base_keys(ConfigReader& r);
// The base options of a layer config, their keys marked as known to `r`.
BaseOptions read_base_options(ConfigReader& r, const nlohmann::ordered_json& config);
// The arguments every convolution config has (kernel_size, strides, dilation_rate, padding,
// data_format, activation, use_bias), read into an options struct with those fields.
template <class O>
void read_conv_args(ConfigReader& r, O& o) {
  o.kernel_size = read_tuple(r, "kernel_size", {});
  o.strides = read_tuple(r, "strides", {1});
  o.dilation_rate = read_tuple(r, "dilation_rate", {1});
  r.read("padding", o.padding);
  r.read_if_set("data_format", o.data_format);
  r.read_if_set("activation", o.activation);
  r.read("use_bias", o.use_bias);
}
// [N, C, spatial...] <-> [N, spatial..., C] (channels_first input runs channels_last inside).
Tensor to_channels_last(const Tensor& x);
Tensor to_channels_first(const Tensor& x);

// `axis` (negative values count from the end) as sorted non-negative axes of `shape`; each must
// exist, be defined and appear once (ValueError naming the layer otherwise).
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axis, const Shape& shape, const std::string& layer);

// ValueError naming the layer and argument unless 0 <= value <= 1 (dropout rates).
void check_fraction(double value, const char* what, const std::string& layer);
// x in reverse order along `axis` (a gather, so gradients flow back): go_backwards, Bidirectional.
Tensor reverse_axis(const Tensor& x, int64_t axis);

}  // namespace tb::keras::layers
