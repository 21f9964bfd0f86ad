#include "tensorbox/keras/layers/noise.h"

#include "tensorbox/core/random.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

SpatialDropout2D::SpatialDropout2D(double rate, const SpatialDropout2DOptions& o)
    : Layer("SpatialDropout2D", base_options(o)), rate_(rate), data_format_(o.data_format) {
  supports_masking_ = true;
  if (!(rate >= 0.0 && rate <= 1.0))
    throw ValueError("Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" +
                     std::to_string(rate));
  if (o.data_format != "channels_last" && o.data_format != "channels_first")
    throw ValueError("`data_format` must be \"channels_last\" or \"channels_first\". Received: " + o.data_format);
}

Tensor SpatialDropout2D::call(const Tensor& x, bool training) {
  if (x.rank() != 4)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=4, found ndim=" +
                     std::to_string(x.rank()) + ". Full shape received: " + x.shape().to_string());
  if (!training || rate_ == 0.0) return x;
  if (rate_ >= 1.0) return ops::mul(x, Tensor::zeros({}, x.dtype()));
  const Shape noise = data_format_ == "channels_last" ? Shape{x.dim(0), 1, 1, x.dim(3)} : Shape{x.dim(0), x.dim(1), 1, 1};
  return ops::dropout(x, rate_, noise);
}

nlohmann::ordered_json SpatialDropout2D::layer_config() const {
  return {{"rate", rate_}, {"noise_shape", nullptr}, {"seed", nullptr}, {"data_format", data_format_}};
}

std::shared_ptr<SpatialDropout2D> SpatialDropout2D::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer SpatialDropout2D");
  const BaseOptions b = read_base_options(r, c);
  SpatialDropout2DOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  double rate = 0;
  r.read("rate", rate);
  r.read_if_set("data_format", o.data_format);
  r.ignore("noise_shape", nullptr);
  r.allow("seed");
  r.finish();
  return std::make_shared<SpatialDropout2D>(rate, o);
}

GaussianNoise::GaussianNoise(double stddev, const GaussianNoiseOptions& o)
    : Layer("GaussianNoise", base_options(o)), stddev_(stddev) {
  supports_masking_ = true;
  if (!(stddev >= 0)) throw ValueError("Layer " + name() + ": `stddev` must be non-negative, got " + std::to_string(stddev));
}

Tensor GaussianNoise::call(const Tensor& x, bool training) {
  if (!training || stddev_ == 0) return x;
  return ops::add(x, ops::cast(random::normal(x.shape(), 0.0, stddev_, DType::float32), x.dtype()));
}

std::shared_ptr<GaussianNoise> GaussianNoise::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer GaussianNoise");
  const BaseOptions b = read_base_options(r, c);
  double stddev = 0;
  r.read("stddev", stddev);
  r.allow("seed");
  r.finish();
  return std::make_shared<GaussianNoise>(stddev, GaussianNoiseOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(SpatialDropout2D);
TB_REGISTER_LAYER(GaussianNoise);

}  // namespace tb::keras::layers
