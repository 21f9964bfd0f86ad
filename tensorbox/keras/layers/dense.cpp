#include "tensorbox/keras/layers/dense.h"

#include "tensorbox/keras/activations.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

Dense::Dense(int64_t units, const DenseOptions& o)
    : Layer("Dense", base_options(o)),
      units_(units),
      options_(o),
      kernel_init_(initializers::get(o.kernel_initializer)),
      bias_init_(initializers::get(o.bias_initializer)),
      kernel_reg_(regularizers::from_config(o.kernel_regularizer)),
      bias_reg_(regularizers::from_config(o.bias_regularizer)),
      activity_reg_(regularizers::from_config(o.activity_regularizer)) {
  supports_masking_ = true;
  if (units <= 0)
    throw ValueError("Received an invalid value for `units`, expected a positive integer. Received: units=" +
                     std::to_string(units));
  options_.activation = activations::serialize(o.activation);
  activations::validate(options_.activation);
}

void Dense::build(const Shape& input_shape) {
  if (input_shape.rank() < 2 || input_shape[-1] <= 0)
    throw ValueError("The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape received: " +
                     input_shape.to_string());
  kernel_ = add_weight("kernel", {input_shape[-1], units_}, kernel_init_);
  add_weight_regularizer(kernel_, kernel_reg_);
  if (options_.use_bias) {
    bias_ = add_weight("bias", {units_}, bias_init_);
    add_weight_regularizer(bias_, bias_reg_);
  }
  built_ = true;
}

Tensor Dense::call(const Tensor& x, bool) {
  check_min_ndim(x, 2);
  // relu and tanh fuse into the GEMM; softmax/sigmoid must go through the activation so the
  // loss can find their logits.
  const std::string& act = options_.activation;
  const bool fused = act == "linear" || act == "relu" || act == "tanh";
  const Tensor y = ops::dense(x, read(kernel_), options_.use_bias ? read(bias_) : Tensor(),
                              fused ? act : "linear", name());
  const Tensor out = fused ? y : activations::get(act)(y);
  add_activity_regularization(out, activity_reg_);
  return out;
}

Shape Dense::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  d.back() = units_;
  return Shape(d);
}

nlohmann::ordered_json Dense::layer_config() const {
  return {{"units", units_},
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

std::shared_ptr<Dense> Dense::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  DenseOptions o{.activation = c.value("activation", "linear"),
                 .use_bias = c.value("use_bias", true),
                 .kernel_regularizer = c.value("kernel_regularizer", nlohmann::ordered_json(nullptr)),
                 .bias_regularizer = c.value("bias_regularizer", nlohmann::ordered_json(nullptr)),
                 .activity_regularizer = c.value("activity_regularizer", nlohmann::ordered_json(nullptr)),
                 .input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  auto d = std::make_shared<Dense>(c.at("units").get<int64_t>(), o);
  if (c.contains("kernel_initializer")) d->kernel_init_ = initializers::from_config(c["kernel_initializer"]);
  if (c.contains("bias_initializer")) d->bias_init_ = initializers::from_config(c["bias_initializer"]);
  return d;
}

TB_REGISTER_LAYER(Dense);

}  // namespace tb::keras::layers
