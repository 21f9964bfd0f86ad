// LayerNormalization (keras.layers.LayerNormalization): each sample normalized over `axis`
// (default the last) with its own mean and biased variance, then scaled by gamma and shifted by
// beta, both of the normalized axes' shape. No state, same in training and inference; 16-bit
// inputs are normalized in float32, as Keras does.
//
//   LayerNormalization ln({.epsilon = 1e-6});
//   Tensor y = ln(x);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct LayerNormalizationOptions {
  std::vector<int64_t> axis{-1};
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  std::string beta_initializer = "zeros";
  std::string gamma_initializer = "ones";
  TB_LAYER_BASE_OPTIONS;
};

class LayerNormalization : public Layer {
 public:
  explicit LayerNormalization(const LayerNormalizationOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<LayerNormalization> from_config(const nlohmann::ordered_json& config);

 private:
  LayerNormalizationOptions options_;
  std::vector<int64_t> axes_;  // normalized `axis`, set by build
  initializers::Initializer beta_init_, gamma_init_;
  Variable gamma_, beta_;
};

}  // namespace tb::keras::layers
