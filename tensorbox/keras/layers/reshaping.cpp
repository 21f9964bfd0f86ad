#include "tensorbox/keras/layers/reshaping.h"

#include <algorithm>

#include "tensorbox/keras/layers/image_resizing.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"

namespace tb::keras::layers {

namespace {

void check_ndim(const Layer& l, const Tensor& x, int64_t ndim) {
  if (x.rank() != ndim)
    throw ValueError("Input 0 of layer \"" + l.name() + "\" is incompatible with the layer: expected ndim=" +
                     std::to_string(ndim) + ", found ndim=" + std::to_string(x.rank()) +
                     ". Full shape received: " + x.shape().to_string());
}

void check_data_format(const std::string& f) {
  if (f != "channels_last" && f != "channels_first")
    throw ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " + f);
}


}  // namespace

SpatialPairs::SpatialPairs(const std::string& class_name, const SpatialPairsOptions& o, bool crop)
    : Layer(class_name, base_options(o)), options_(o), crop_(crop) {
  check_data_format(o.data_format);
  for (const auto& p : o.pairs)
    for (int64_t v : p)
      if (v < 0)
        throw ValueError("Layer " + name() + ": `" + (crop ? "cropping" : "padding") +
                         "` values must be non-negative, got " + std::to_string(v));
}

Tensor SpatialPairs::call(const Tensor& x, bool) {
  check_ndim(*this, x, 4);
  const int64_t h = height_axis(4);
  const auto& p = options_.pairs;
  if (!crop_) {
    std::vector<std::pair<int64_t, int64_t>> pads(4, {0, 0});
    pads[size_t(h)] = {p[0][0], p[0][1]};
    pads[size_t(h + 1)] = {p[1][0], p[1][1]};
    return ops::pad(x, pads);
  }
  std::vector<int64_t> begin(4, 0), size = x.shape().dims();
  for (int i = 0; i < 2; ++i) {
    const int64_t axis = h + i, left = x.dim(axis) - p[size_t(i)][0] - p[size_t(i)][1];
    if (left <= 0)
      throw ValueError("Argument `cropping` must be smaller than the input shape in layer \"" + name() +
                       "\". Received: input shape " + x.shape().to_string());
    begin[size_t(axis)] = p[size_t(i)][0];
    size[size_t(axis)] = left;
  }
  return ops::slice(x, begin, size);
}

Shape SpatialPairs::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  const int64_t h = height_axis(s.rank());
  for (int i = 0; i < 2; ++i) {
    int64_t& v = d[size_t(h + i)];
    const int64_t delta = options_.pairs[size_t(i)][0] + options_.pairs[size_t(i)][1];
    if (v >= 0) v = crop_ ? v - delta : v + delta;
  }
  return Shape(d);
}

nlohmann::ordered_json SpatialPairs::layer_config() const {
  const auto& p = options_.pairs;
  return {{crop_ ? "cropping" : "padding", {{p[0][0], p[0][1]}, {p[1][0], p[1][1]}}}, {"data_format", options_.data_format}};
}

SpatialPairsOptions SpatialPairs::options_from_config(const nlohmann::ordered_json& c, const std::string& class_name,
                                                      const char* key, Pairs2D fallback) {
  ConfigReader r(c, "layer " + class_name);
  const BaseOptions b = read_base_options(r, c);
  SpatialPairsOptions o{.pairs = fallback, .input_shape = b.input_shape, .name = b.name, .trainable = b.trainable,
                        .dtype = b.dtype};
  r.allow(key);
  if (r.has(key)) {
    const auto& v = c.at(key);
    // Keras accepts an int, (symmetric_h, symmetric_w) or ((top, bottom), (left, right)).
    if (v.is_number_integer()) {
      const int64_t n = v.get<int64_t>();
      o.pairs = {{{n, n}, {n, n}}};
    } else if (v.is_array() && v.size() == 2 && v[0].is_number_integer()) {
      o.pairs = {{{v[0].get<int64_t>(), v[0].get<int64_t>()}, {v[1].get<int64_t>(), v[1].get<int64_t>()}}};
    } else if (v.is_array() && v.size() == 2 && v[0].is_array() && v[0].size() == 2 && v[1].is_array() && v[1].size() == 2) {
      o.pairs = {{{v[0][0].get<int64_t>(), v[0][1].get<int64_t>()}, {v[1][0].get<int64_t>(), v[1][1].get<int64_t>()}}};
    } else {
      throw ValueError("`" + std::string(key) + "` should have two elements. Received: " + v.dump());
    }
  }
  r.read_if_set("data_format", o.data_format);
  r.finish();
  return o;
}

UpSampling2D::UpSampling2D(const UpSampling2DOptions& o) : Layer("UpSampling2D", base_options(o)), options_(o) {
  options_.size = normalize_tuple(o.size, 2, "size", name());
  check_data_format(o.data_format);
  if (o.interpolation != "nearest" && o.interpolation != "bilinear")
    throw UnimplementedError("Layer " + name() + ": UpSampling2D(interpolation=\"" + o.interpolation +
                             "\") is not supported yet (\"nearest\" and \"bilinear\" are)");
}

Tensor UpSampling2D::call(const Tensor& x, bool) {
  check_ndim(*this, x, 4);
  const int64_t h = options_.data_format == "channels_last" ? 1 : 2;
  if (options_.interpolation == "bilinear") {  // Keras: tf.image.resize, channels_last
    const Tensor nhwc = h == 1 ? x : to_channels_last(x);
    const Tensor y = resize_images(nhwc, nhwc.dim(1) * options_.size[0], nhwc.dim(2) * options_.size[1], "bilinear",
                                   name());
    return h == 1 ? y : to_channels_first(y);
  }
  Tensor y = x;
  for (int i = 0; i < 2; ++i) {  // each row (column) repeated `size` times: a gather of i / size
    const int64_t axis = h + i, n = x.dim(axis), f = options_.size[size_t(i)];
    std::vector<int64_t> idx(size_t(n * f));
    for (int64_t j = 0; j < n * f; ++j) idx[size_t(j)] = j / f;
    y = ops::gather(y, Tensor::from_vector<int64_t>(idx, {n * f}), axis);
  }
  return y;
}

Shape UpSampling2D::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  const int64_t h = options_.data_format == "channels_last" ? 1 : 2;
  for (int i = 0; i < 2; ++i)
    if (d[size_t(h + i)] >= 0) d[size_t(h + i)] *= options_.size[size_t(i)];
  return Shape(d);
}

nlohmann::ordered_json UpSampling2D::layer_config() const {
  return {{"size", options_.size}, {"data_format", options_.data_format}, {"interpolation", options_.interpolation}};
}

std::shared_ptr<UpSampling2D> UpSampling2D::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer UpSampling2D");
  const BaseOptions b = read_base_options(r, c);
  UpSampling2DOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  o.size = read_tuple(r, "size", {2, 2});
  r.read_if_set("data_format", o.data_format);
  r.read("interpolation", o.interpolation);
  r.finish();
  return std::make_shared<UpSampling2D>(o);
}

RepeatVector::RepeatVector(int64_t n, const RepeatVectorOptions& o) : Layer("RepeatVector", base_options(o)), n_(n) {
  if (n <= 0) throw ValueError("Layer " + name() + ": `n` must be a positive integer, got " + std::to_string(n));
}

Tensor RepeatVector::call(const Tensor& x, bool) {
  check_ndim(*this, x, 2);
  return ops::broadcast_to(ops::expand_dims(x, 1), {x.dim(0), n_, x.dim(1)});
}

Shape RepeatVector::compute_output_shape(const Shape& s) const { return Shape{s[0], n_, s[1]}; }

std::shared_ptr<RepeatVector> RepeatVector::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer RepeatVector");
  const BaseOptions b = read_base_options(r, c);
  int64_t n = 0;
  r.read("n", n);
  r.finish();
  return std::make_shared<RepeatVector>(n, RepeatVectorOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

Permute::Permute(std::vector<int64_t> dims, const PermuteOptions& o) : Layer("Permute", base_options(o)), dims_(std::move(dims)) {
  std::vector<int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != int64_t(i) + 1)
      throw ValueError("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                       "consecutive and start from 1. Received dims=" + Shape(dims_).to_string());
}

Tensor Permute::call(const Tensor& x, bool) {
  check_ndim(*this, x, int64_t(dims_.size()) + 1);
  std::vector<int64_t> perm{0};
  perm.insert(perm.end(), dims_.begin(), dims_.end());
  return ops::transpose(x, perm);
}

Shape Permute::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d{s[0]};
  for (int64_t a : dims_) d.push_back(s[a]);
  return Shape(d);
}

std::shared_ptr<Permute> Permute::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Permute");
  const BaseOptions b = read_base_options(r, c);
  const std::vector<int64_t> dims = read_tuple(r, "dims", {});
  r.finish();
  return std::make_shared<Permute>(dims, PermuteOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(ZeroPadding2D);
TB_REGISTER_LAYER(Cropping2D);
TB_REGISTER_LAYER(UpSampling2D);
TB_REGISTER_LAYER(RepeatVector);
TB_REGISTER_LAYER(Permute);

}  // namespace tb::keras::layers
