// Activation: applies a named activation (keras.layers.Activation).
//
//   Activation a("softmax", {.dtype = "float32"});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct ActivationOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Activation : public Layer {
 public:
  explicit Activation(const std::string& activation, const ActivationOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"activation", activation_}}; }
  static std::shared_ptr<Activation> from_config(const nlohmann::ordered_json& config);

 private:
  std::string activation_;
};

}  // namespace tb::keras::layers
