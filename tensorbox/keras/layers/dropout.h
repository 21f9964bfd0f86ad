// Dropout: during training zeroes each input element with probability `rate` and scales the
// kept ones by 1 / (1 - rate); identity at inference (keras.layers.Dropout).
//
//   Dropout d(0.5);
//   Tensor y = d(x, /*training=*/true);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct DropoutOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Dropout : public Layer {
 public:
  explicit Dropout(double rate, const DropoutOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Dropout> from_config(const nlohmann::ordered_json& config);

 private:
  double rate_;
};

}  // namespace tb::keras::layers
