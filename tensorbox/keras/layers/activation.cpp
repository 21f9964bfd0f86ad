#include "tensorbox/keras/layers/activation.h"

#include "tensorbox/keras/activations.h"

namespace tb::keras::layers {

Activation::Activation(const std::string& activation, const ActivationOptions& o)
    : Layer("Activation", base_options(o)), activation_(activations::serialize(activation)) {
  activations::validate(activation_);
  supports_masking_ = true;
}

Tensor Activation::call(const Tensor& x, bool) { return activations::get(activation_)(x); }

std::shared_ptr<Activation> Activation::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  return std::make_shared<Activation>(c.at("activation").get<std::string>(),
                                      ActivationOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(Activation);

}  // namespace tb::keras::layers
