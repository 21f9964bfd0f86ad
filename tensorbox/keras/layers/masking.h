// Masking (keras.layers.Masking): marks the timesteps whose features all equal `mask_value` as
// padding. The output is the input with those steps zeroed, and its mask (compute_mask) is
// `any(inputs != mask_value, axis=-1)`, which the next layers (RNNs, attention) read.
//
//   Masking m({.mask_value = 0.0});       // [batch, time, features] -> same, mask [batch, time]
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct MaskingOptions {
  double mask_value = 0.0;
  TB_LAYER_BASE_OPTIONS;
};

class Masking : public Layer {
 public:
  explicit Masking(const MaskingOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"mask_value", mask_value_}}; }
  static std::shared_ptr<Masking> from_config(const nlohmann::ordered_json& config);

 private:
  double mask_value_;
};

}  // namespace tb::keras::layers
