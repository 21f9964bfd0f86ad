#include "tensorbox/keras/layers/dropout.h"

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

Dropout::Dropout(double rate, const DropoutOptions& o) : Layer("Dropout", base_options(o)), rate_(rate) {
  supports_masking_ = true;
  if (!(rate >= 0.0 && rate <= 1.0))
    throw ValueError("Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" +
                     std::to_string(rate));
}

Tensor Dropout::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  if (rate_ >= 1.0) return ops::mul(x, Tensor::zeros({}, x.dtype()));
  return ops::dropout(x, rate_);
}

nlohmann::ordered_json Dropout::layer_config() const {
  return {{"rate", rate_}, {"noise_shape", nullptr}, {"seed", nullptr}};
}

std::shared_ptr<Dropout> Dropout::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  return std::make_shared<Dropout>(c.at("rate").get<double>(),
                                   DropoutOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(Dropout);

}  // namespace tb::keras::layers
