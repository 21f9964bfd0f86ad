#include "tensorbox/keras/layers/advanced_activations.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

ReLU::ReLU(const ReLUOptions& o) : Layer("ReLU", base_options(o)), options_(o) {
  supports_masking_ = true;
  if (o.max_value && *o.max_value < 0)
    throw ValueError("max_value of a ReLU layer cannot be a negative value. Received: " + std::to_string(*o.max_value));
  if (o.negative_slope < 0)
    throw ValueError("negative_slope of a ReLU layer cannot be a negative value. Received: " +
                     std::to_string(o.negative_slope));
}

Tensor ReLU::call(const Tensor& x, bool) {
  const double t = options_.threshold, a = options_.negative_slope;
  // Keras's backend.relu, step by step.
  Tensor negative;
  if (a != 0) negative = ops::relu(t != 0 ? ops::sub(ops::scalar_like(t, x), x) : ops::neg(x));
  Tensor y = t != 0 ? ops::mul(x, ops::cast(ops::greater(x, ops::scalar_like(t, x)), x.dtype())) : ops::relu(x);
  if (options_.max_value) y = ops::minimum(ops::maximum(y, ops::scalar_like(0.0, y)), ops::scalar_like(*options_.max_value, y));
  if (a != 0) y = ops::sub(y, ops::mul(ops::scalar_like(a, negative), negative));
  return y;
}

nlohmann::ordered_json ReLU::layer_config() const {
  return {{"max_value", options_.max_value ? nlohmann::ordered_json(*options_.max_value) : nlohmann::ordered_json(nullptr)},
          {"negative_slope", options_.negative_slope},
          {"threshold", options_.threshold}};
}

std::shared_ptr<ReLU> ReLU::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer ReLU");
  const BaseOptions b = read_base_options(r, c);
  ReLUOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("max_value", o.max_value);
  r.read("negative_slope", o.negative_slope);
  r.read("threshold", o.threshold);
  r.finish();
  return std::make_shared<ReLU>(o);
}

LeakyReLU::LeakyReLU(const AlphaOptions& o) : Layer("LeakyReLU", base_options(o)), alpha_(o.alpha) {
  supports_masking_ = true;
  if (o.alpha < 0)
    throw ValueError("The alpha value of a Leaky ReLU layer cannot be None or negative, needs to be a float. Received: " +
                     std::to_string(o.alpha));
}

Tensor LeakyReLU::call(const Tensor& x, bool) {
  return ops::where(ops::greater(x, ops::scalar_like(0.0, x)), x, ops::mul(x, ops::scalar_like(alpha_, x)));
}

std::shared_ptr<LeakyReLU> LeakyReLU::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer LeakyReLU");
  const BaseOptions b = read_base_options(r, c);
  AlphaOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("alpha", o.alpha);
  r.finish();
  return std::make_shared<LeakyReLU>(o);
}

ELU::ELU(const AlphaOptions& o) : Layer("ELU", base_options(o)), alpha_(o.alpha) {
  supports_masking_ = true;
  if (o.alpha < 0) throw ValueError("Alpha of an ELU layer cannot be None, expecting a float. Received: " + std::to_string(o.alpha));
}

Tensor ELU::call(const Tensor& x, bool) {
  const Tensor e = ops::elu(x);
  return alpha_ == 1.0 ? e : ops::where(ops::greater(x, ops::scalar_like(0.0, x)), e, ops::mul(e, ops::scalar_like(alpha_, e)));
}

std::shared_ptr<ELU> ELU::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer ELU");
  const BaseOptions b = read_base_options(r, c);
  AlphaOptions o{.alpha = 1.0, .input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("alpha", o.alpha);
  r.finish();
  return std::make_shared<ELU>(o);
}

PReLU::PReLU(const PReLUOptions& o)
    : Layer("PReLU", base_options(o)), options_(o), alpha_init_(initializers::get(o.alpha_initializer)) {
  supports_masking_ = true;
}

void PReLU::build(const Shape& s) {
  std::vector<int64_t> shape(s.dims().begin() + 1, s.dims().end());
  for (int64_t a : options_.shared_axes) {
    if (a < 1 || a >= s.rank())
      throw ValueError("Layer \"" + name() + "\": shared_axes entry " + std::to_string(a) + " is not an axis of " +
                       s.to_string() + " (the batch axis 0 cannot be shared)");
    shape[size_t(a - 1)] = 1;
  }
  for (int64_t d : shape)
    if (d < 0) throw ValueError("Layer \"" + name() + "\": PReLU needs every non-shared axis defined, got " + s.to_string());
  alpha_ = add_weight("alpha", Shape(shape), alpha_init_);
  built_ = true;
}

Tensor PReLU::call(const Tensor& x, bool) {
  const Tensor a = read(alpha_);
  return ops::sub(ops::relu(x), ops::mul(a, ops::relu(ops::neg(x))));
}

nlohmann::ordered_json PReLU::layer_config() const {
  return {{"alpha_initializer", alpha_init_.get_config()},
          {"alpha_regularizer", nullptr},
          {"alpha_constraint", nullptr},
          {"shared_axes", options_.shared_axes.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(options_.shared_axes)}};
}

std::shared_ptr<PReLU> PReLU::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer PReLU");
  const BaseOptions b = read_base_options(r, c);
  PReLUOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  if (r.has("shared_axes")) o.shared_axes = read_tuple(r, "shared_axes", {});
  else r.allow("shared_axes");
  r.allow("alpha_initializer");
  r.ignore("alpha_regularizer", nullptr);
  r.ignore("alpha_constraint", nullptr);
  r.finish();
  auto l = std::make_shared<PReLU>(o);
  if (c.contains("alpha_initializer")) l->alpha_init_ = initializers::from_config(c["alpha_initializer"]);
  return l;
}

Tensor Softmax::call(const Tensor& x, bool) { return ops::softmax(x, axis_); }

std::shared_ptr<Softmax> Softmax::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Softmax");
  const BaseOptions b = read_base_options(r, c);
  SoftmaxOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("axis", o.axis);
  r.finish();
  return std::make_shared<Softmax>(o);
}

TB_REGISTER_LAYER(ReLU);
TB_REGISTER_LAYER(LeakyReLU);
TB_REGISTER_LAYER(ELU);
TB_REGISTER_LAYER(PReLU);
TB_REGISTER_LAYER(Softmax);

}  // namespace tb::keras::layers
