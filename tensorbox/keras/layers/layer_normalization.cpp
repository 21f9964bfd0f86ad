#include "tensorbox/keras/layers/layer_normalization.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

LayerNormalization::LayerNormalization(const LayerNormalizationOptions& o)
    : Layer("LayerNormalization", base_options(o)),
      options_(o),
      beta_init_(initializers::get(o.beta_initializer)),
      gamma_init_(initializers::get(o.gamma_initializer)) {
  supports_masking_ = true;
  if (!(o.epsilon > 0)) throw ValueError("Layer " + name() + ": `epsilon` must be positive, got " + std::to_string(o.epsilon));
}

void LayerNormalization::build(const Shape& s) {
  axes_ = normalize_axes(options_.axis, s, name());
  std::vector<int64_t> param;
  for (int64_t a : axes_) param.push_back(s[a]);
  if (options_.scale) gamma_ = add_weight("gamma", Shape(param), gamma_init_);
  if (options_.center) beta_ = add_weight("beta", Shape(param), beta_init_);
  built_ = true;
}

Tensor LayerNormalization::call(const Tensor& inputs, bool) {
  std::vector<int64_t> bs(size_t(inputs.rank()), 1);
  for (size_t i = 0; i < axes_.size(); ++i) {
    const int64_t a = axes_[i];
    const int64_t want = options_.scale ? gamma_.shape()[int64_t(i)] : options_.center ? beta_.shape()[int64_t(i)] : -1;
    if (a >= inputs.rank() || (want >= 0 && inputs.dim(a) != want))
      throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis " +
                       std::to_string(a) + " of input shape to have value " + std::to_string(want) +
                       ", but received input with shape " + inputs.shape().to_string());
    bs[size_t(a)] = inputs.dim(a);
  }
  const bool narrow = inputs.dtype() == DType::float16 || inputs.dtype() == DType::bfloat16;
  const Tensor x = narrow ? ops::cast(inputs, DType::float32) : inputs;
  auto param = [&](const Variable& v) { return ops::reshape(ops::cast(v.value(), x.dtype()), Shape(bs)); };
  const Tensor mean = ops::reduce_mean(x, axes_, true);
  const Tensor var = ops::reduce_mean(ops::square(ops::sub(x, mean)), axes_, true);
  const Tensor y = ops::batch_normalization(x, mean, var, options_.center ? param(beta_) : Tensor(),
                                            options_.scale ? param(gamma_) : Tensor(), options_.epsilon);
  return narrow ? ops::cast(y, inputs.dtype()) : y;
}

nlohmann::ordered_json LayerNormalization::layer_config() const {
  const std::vector<int64_t>& axis = axes_.empty() ? options_.axis : axes_;
  return {{"axis", axis},
          {"epsilon", options_.epsilon},
          {"center", options_.center},
          {"scale", options_.scale},
          {"beta_initializer", beta_init_.get_config()},
          {"gamma_initializer", gamma_init_.get_config()},
          {"beta_regularizer", nullptr},
          {"gamma_regularizer", nullptr},
          {"beta_constraint", nullptr},
          {"gamma_constraint", nullptr}};
}

std::shared_ptr<LayerNormalization> LayerNormalization::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer LayerNormalization");
  const BaseOptions b = read_base_options(r, c);
  LayerNormalizationOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  o.axis = read_tuple(r, "axis", {-1});
  r.read("epsilon", o.epsilon);
  r.read("center", o.center);
  r.read("scale", o.scale);
  r.allow("beta_initializer");
  r.allow("gamma_initializer");
  for (const char* k : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) r.ignore(k, nullptr);
  r.finish();
  auto l = std::make_shared<LayerNormalization>(o);
  if (c.contains("beta_initializer")) l->beta_init_ = initializers::from_config(c["beta_initializer"]);
  if (c.contains("gamma_initializer")) l->gamma_init_ = initializers::from_config(c["gamma_initializer"]);
  return l;
}

TB_REGISTER_LAYER(LayerNormalization);

}  // namespace tb::keras::layers
