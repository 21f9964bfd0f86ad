#include "tensorbox/keras/layers/batch_normalization.h"

#include <algorithm>

#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/op.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

BatchNormalization::BatchNormalization(const BatchNormalizationOptions& o)
    : Layer("BatchNormalization", base_options(o)),
      options_(o),
      beta_init_(initializers::get(o.beta_initializer)),
      gamma_init_(initializers::get(o.gamma_initializer)),
      mean_init_(initializers::get(o.moving_mean_initializer)),
      var_init_(initializers::get(o.moving_variance_initializer)) {
  supports_masking_ = true;
  if (o.axis.empty()) throw ValueError("Layer " + name() + ": `axis` must not be empty");
  if (!(o.epsilon > 0)) throw ValueError("Layer " + name() + ": `epsilon` must be positive, got " + std::to_string(o.epsilon));
}

void BatchNormalization::build(const Shape& s) {
  axes_ = normalize_axes(options_.axis, s, name());
  // Keras: one axis gives parameters of shape (C,); several give the input's rank with 1 elsewhere.
  std::vector<int64_t> param;
  if (axes_.size() == 1) param.push_back(s[axes_[0]]);
  else param = broadcast_shape(s).dims();
  if (options_.scale) gamma_ = add_weight("gamma", Shape(param), gamma_init_);
  if (options_.center) beta_ = add_weight("beta", Shape(param), beta_init_);
  moving_mean_ = add_weight("moving_mean", Shape(param), mean_init_, false);
  moving_variance_ = add_weight("moving_variance", Shape(param), var_init_, false);
  built_ = true;
}

std::vector<int64_t> BatchNormalization::reduction_axes(int64_t rank) const {
  std::vector<int64_t> r;
  for (int64_t i = 0; i < rank; ++i)
    if (std::find(axes_.begin(), axes_.end(), i) == axes_.end()) r.push_back(i);
  return r;
}

Shape BatchNormalization::broadcast_shape(const Shape& input) const {
  std::vector<int64_t> d(size_t(input.rank()), 1);
  for (int64_t a : axes_) d[size_t(a)] = input[a];
  return Shape(d);
}

Tensor BatchNormalization::call(const Tensor& inputs, bool training) {
  const int64_t rank = inputs.rank();
  const Shape& ps = moving_mean_.shape();
  for (size_t i = 0; i < axes_.size(); ++i) {
    const int64_t a = axes_[i];
    const int64_t want = axes_.size() == 1 ? ps[0] : a < ps.rank() ? ps[a] : -1;
    if (a >= rank || ps.rank() != (axes_.size() == 1 ? 1 : rank) || inputs.dim(a) != want)
      throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis " +
                       std::to_string(a) + " of input shape to have value " + std::to_string(want) +
                       ", but received input with shape " + inputs.shape().to_string());
  }
  // 16-bit inputs are normalized in float32, as Keras does, and cast back.
  const bool narrow = inputs.dtype() == DType::float16 || inputs.dtype() == DType::bfloat16;
  const Tensor x = narrow ? ops::cast(inputs, DType::float32) : inputs;
  const Shape bs = broadcast_shape(x.shape());
  auto param = [&](const Variable& v) { return ops::reshape(ops::cast(v.value(), x.dtype()), bs); };
  Tensor mean, var;
  // Frozen (trainable=false) layers run in inference mode even inside fit (TF2 Keras).
  if (training && trainable()) {
    const std::vector<int64_t> red = reduction_axes(rank);
    mean = ops::reduce_mean(x, red, true);
    var = ops::reduce_mean(ops::square(ops::sub(x, mean)), red, true);
    int64_t n = 1;
    for (int64_t a : red) n *= x.dim(a);
    // Keras's fused path (rank 4 over axis 1/3, rank 5 over 1/4) averages the unbiased variance.
    const bool fused = axes_.size() == 1 && ((rank == 4 && (axes_[0] == 1 || axes_[0] == 3)) ||
                                             (rank == 5 && (axes_[0] == 1 || axes_[0] == 4)));
    const double bessel = fused && n > 1 ? double(n) / double(n - 1) : 1.0;
    ops::PauseRecording pause;  // the moving averages are state, not part of the gradient
    const double m = options_.momentum;
    const DType vt = moving_mean_.dtype();
    moving_mean_.assign(ops::add(ops::mul(moving_mean_.value(), ops::scalar_like(m, moving_mean_.value())),
                                 ops::cast(ops::reshape(mean, ps), vt) * (1.0 - m)));
    moving_variance_.assign(ops::add(ops::mul(moving_variance_.value(), ops::scalar_like(m, moving_variance_.value())),
                                     ops::cast(ops::reshape(var, ps), vt) * ((1.0 - m) * bessel)));
  } else {
    mean = param(moving_mean_);
    var = param(moving_variance_);
  }
  const Tensor y = ops::batch_normalization(x, mean, var, options_.center ? param(beta_) : Tensor(),
                                            options_.scale ? param(gamma_) : Tensor(), options_.epsilon);
  return narrow ? ops::cast(y, inputs.dtype()) : y;
}

nlohmann::ordered_json BatchNormalization::layer_config() const {
  const std::vector<int64_t>& axis = axes_.empty() ? options_.axis : axes_;
  return {{"axis", axis.size() == 1 && axes_.empty() ? nlohmann::ordered_json(axis[0]) : nlohmann::ordered_json(axis)},
          {"momentum", options_.momentum},
          {"epsilon", options_.epsilon},
          {"center", options_.center},
          {"scale", options_.scale},
          {"beta_initializer", beta_init_.get_config()},
          {"gamma_initializer", gamma_init_.get_config()},
          {"moving_mean_initializer", mean_init_.get_config()},
          {"moving_variance_initializer", var_init_.get_config()},
          {"beta_regularizer", nullptr},
          {"gamma_regularizer", nullptr},
          {"beta_constraint", nullptr},
          {"gamma_constraint", nullptr}};
}

std::shared_ptr<BatchNormalization> BatchNormalization::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer BatchNormalization");
  const BaseOptions b = read_base_options(r, c);
  BatchNormalizationOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  o.axis = read_tuple(r, "axis", {-1});
  r.read("momentum", o.momentum);
  r.read("epsilon", o.epsilon);
  r.read("center", o.center);
  r.read("scale", o.scale);
  for (const char* k : {"beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer"})
    r.allow(k);
  for (const char* k : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) r.ignore(k, nullptr);
  r.finish();
  auto l = std::make_shared<BatchNormalization>(o);
  if (c.contains("beta_initializer")) l->beta_init_ = initializers::from_config(c["beta_initializer"]);
  if (c.contains("gamma_initializer")) l->gamma_init_ = initializers::from_config(c["gamma_initializer"]);
  if (c.contains("moving_mean_initializer")) l->mean_init_ = initializers::from_config(c["moving_mean_initializer"]);
  if (c.contains("moving_variance_initializer")) l->var_init_ = initializers::from_config(c["moving_variance_initializer"]);
  return l;
}

TB_REGISTER_LAYER(BatchNormalization);

}  // namespace tb::keras::layers
