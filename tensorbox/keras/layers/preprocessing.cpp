#include "tensorbox/keras/layers/preprocessing.h"

#include <algorithm>

#include "tensorbox/keras/layers/image_resizing.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

Rescaling::Rescaling(double scale, const RescalingOptions& o)
    : Layer("Rescaling", base_options(o)), scale_(scale), offset_(o.offset) {}

Tensor Rescaling::call(const Tensor& inputs, bool) {
  const Tensor x = inputs.dtype() == compute_dtype() ? inputs : ops::cast(inputs, compute_dtype());
  return ops::add(ops::mul(x, ops::scalar_like(scale_, x)), ops::scalar_like(offset_, x));
}

std::shared_ptr<Rescaling> Rescaling::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Rescaling");
  const BaseOptions b = read_base_options(r, c);
  double scale = 1.0;
  RescalingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("scale", scale);
  r.read("offset", o.offset);
  r.finish();
  return std::make_shared<Rescaling>(scale, o);
}

Normalization::Normalization(const NormalizationOptions& o) : Layer("Normalization", base_options(o)), options_(o) {
  if (o.mean.empty() != o.variance.empty())
    throw ValueError("When setting values directly, both `mean` and `variance` must be set. Layer " + name());
}

Shape Normalization::stats_shape(const Shape& s) const {
  std::vector<int64_t> d(size_t(s.rank()), 1);
  for (int64_t a : axes_) d[size_t(a)] = s[a];
  return Shape(d);
}

void Normalization::build(const Shape& s) {
  axes_ = options_.axis.empty() ? std::vector<int64_t>{} : normalize_axes(options_.axis, s, name());
  if (std::find(axes_.begin(), axes_.end(), 0) != axes_.end())
    throw ValueError("Layer \"" + name() + "\": the batch axis 0 cannot be a normalization axis");
  std::vector<int64_t> kept;  // Keras's weights have the kept axes' shape
  for (int64_t a : axes_) kept.push_back(s[a]);
  auto filled = [&](const std::vector<double>& v, double dflt) {
    std::vector<float> vals(size_t(Shape(kept).num_elements()), float(dflt));
    if (v.size() == 1) std::fill(vals.begin(), vals.end(), float(v[0]));
    else if (!v.empty()) {
      if (v.size() != vals.size())
        throw ValueError("Layer \"" + name() + "\": `mean`/`variance` have " + std::to_string(v.size()) +
                         " values for statistics of shape " + Shape(kept).to_string());
      std::copy(v.begin(), v.end(), vals.begin());
    }
    return Tensor::from_vector<float>(vals, Shape(kept));
  };
  if (!options_.mean.empty()) {
    mean_given_ = filled(options_.mean, 0.0);
    variance_given_ = filled(options_.variance, 1.0);
  } else {
    mean_ = add_weight("mean", Shape(kept), initializers::get("zeros"), false);
    variance_ = add_weight("variance", Shape(kept), initializers::get("ones"), false);
    count_ = add_weight("count", Shape{}, initializers::get("zeros"), false);
  }
  built_ = true;
}

void Normalization::adapt(const Tensor& data) {
  if (!options_.mean.empty())
    throw ValueError("Layer \"" + name() + "\": adapt() is for layers without a given `mean` and `variance`");
  if (data.rank() == 0 || data.dim(0) == 0) throw ValueError("Layer \"" + name() + "\": adapt() needs a non-empty batch");
  if (!built()) {
    std::vector<int64_t> d = data.shape().dims();
    d[0] = -1;
    build(Shape(d));
  }
  const Tensor x = ops::cast(data, DType::float32);
  std::vector<int64_t> red;
  for (int64_t i = 0; i < x.rank(); ++i)
    if (std::find(axes_.begin(), axes_.end(), i) == axes_.end()) red.push_back(i);
  const Tensor mean = ops::reduce_mean(x, red, true);
  const Tensor var = ops::reduce_mean(ops::square(ops::sub(x, mean)), red, false);
  mean_.assign(ops::reshape(ops::cast(mean, mean_.dtype()), mean_.shape()));
  variance_.assign(ops::reshape(ops::cast(var, variance_.dtype()), variance_.shape()));
  int64_t n = 1;
  for (int64_t a : red) n *= x.dim(a);
  count_.assign(Tensor::scalar(double(n), count_.dtype()));
}

Tensor Normalization::call(const Tensor& inputs, bool) {
  const Tensor x = inputs.dtype() == compute_dtype() ? inputs : ops::cast(inputs, compute_dtype());
  const Tensor& m = mean_given_.defined() ? mean_given_ : mean_.value();
  const Tensor& v = variance_given_.defined() ? variance_given_ : variance_.value();
  for (size_t i = 0; i < axes_.size(); ++i)
    if (axes_[i] >= x.rank() || x.dim(axes_[i]) != m.shape()[int64_t(i)])
      throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: its statistics have shape " +
                       m.shape().to_string() + " along axes " + Shape(axes_).to_string() + ", received input shape " +
                       x.shape().to_string());
  const Shape ss = stats_shape(x.shape());
  const Tensor mean = ops::reshape(ops::cast(m, x.dtype()), ss);
  const Tensor sd = ops::sqrt(ops::reshape(ops::cast(v, x.dtype()), ss));
  return ops::div(ops::sub(x, mean), ops::maximum(sd, ops::scalar_like(1e-7, sd)));  // Keras: backend.epsilon()
}

nlohmann::ordered_json Normalization::layer_config() const {
  // A single value is written as a number, as Keras keeps a scalar `mean=2.0`.
  auto stat = [](const std::vector<double>& v) {
    return v.empty() ? nlohmann::ordered_json(nullptr) : v.size() == 1 ? nlohmann::ordered_json(v[0]) : nlohmann::ordered_json(v);
  };
  return {{"axis", options_.axis},  // Keras writes axis=None as ()
          {"mean", stat(options_.mean)},
          {"variance", stat(options_.variance)}};
}

std::shared_ptr<Normalization> Normalization::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Normalization");
  const BaseOptions b = read_base_options(r, c);
  NormalizationOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  if (r.has("axis")) o.axis = read_tuple(r, "axis", {-1});
  else if (c.contains("axis")) { r.allow("axis"); o.axis = {}; }  // axis=None: one statistic for everything
  auto list = [&](const char* key, std::vector<double>& out) {
    r.allow(key);
    if (!r.has(key)) return;
    const auto& v = c.at(key);
    if (v.is_number()) out = {v.get<double>()};
    else out = v.get<std::vector<double>>();
  };
  list("mean", o.mean);
  list("variance", o.variance);
  r.ignore("invert", false);
  r.finish();
  return std::make_shared<Normalization>(o);
}

CenterCrop::CenterCrop(int64_t height, int64_t width, const CenterCropOptions& o)
    : Layer("CenterCrop", base_options(o)), height_(height), width_(width) {
  if (height <= 0 || width <= 0)
    throw ValueError("Layer " + name() + ": `height` and `width` must be positive, got " + std::to_string(height) + " and " +
                     std::to_string(width));
}

Tensor CenterCrop::call(const Tensor& inputs, bool) {
  if (inputs.rank() != 3 && inputs.rank() != 4)
    throw ValueError("Layer \"" + name() + "\" expects images [batch, height, width, channels] or [height, width, "
                     "channels], got shape " + inputs.shape().to_string());
  const Tensor x = inputs.dtype() == compute_dtype() ? inputs : ops::cast(inputs, compute_dtype());
  const int64_t h = x.rank() - 3, H = x.dim(h), W = x.dim(h + 1);
  // Keras resizes inputs smaller than the crop (smart_resize: aspect-ratio crop, then bilinear).
  if (H < height_ || W < width_) return smart_resize(x, height_, width_, "bilinear", name());
  std::vector<int64_t> begin(size_t(x.rank()), 0), size = x.shape().dims();
  begin[size_t(h)] = (H - height_) / 2;
  begin[size_t(h + 1)] = (W - width_) / 2;
  size[size_t(h)] = height_;
  size[size_t(h + 1)] = width_;
  return ops::slice(x, begin, size);
}

Shape CenterCrop::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  d[size_t(s.rank() - 3)] = height_;
  d[size_t(s.rank() - 2)] = width_;
  return Shape(d);
}

std::shared_ptr<CenterCrop> CenterCrop::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer CenterCrop");
  const BaseOptions b = read_base_options(r, c);
  int64_t h = 0, w = 0;
  r.read("height", h);
  r.read("width", w);
  r.finish();
  return std::make_shared<CenterCrop>(h, w, CenterCropOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(Rescaling);
TB_REGISTER_LAYER(Normalization);
TB_REGISTER_LAYER(CenterCrop);

}  // namespace tb::keras::layers
