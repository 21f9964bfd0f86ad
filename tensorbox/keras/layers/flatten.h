// Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...] (keras.layers.Flatten).
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct FlattenOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Flatten : public Layer {
 public:
  explicit Flatten(const FlattenOptions& options = {}) : Layer("Flatten", base_options(options)) {}
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override { return {{"data_format", "channels_last"}}; }
  static std::shared_ptr<Flatten> from_config(const nlohmann::ordered_json& config);
};

}  // namespace tb::keras::layers
