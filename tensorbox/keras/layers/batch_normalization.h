// BatchNormalization (keras.layers.BatchNormalization) with Keras 2.9's rules
// (keras-facts.md 1.6): training normalizes with the batch's mean and biased variance and
// updates moving_mean/moving_variance by `moving = momentum * moving + (1 - momentum) * stat`;
// inference (training=false, or the layer frozen with trainable=false) uses the moving
// statistics. Where Keras takes its fused kernel (rank-4 input normalized over axis 3 or 1,
// rank 5 over 4 or 1) the moving variance averages the *unbiased* batch variance (n / (n - 1),
// n = elements per channel), elsewhere the biased one, exactly as Keras does. 16-bit inputs are
// normalized in float32; the weights stay float32 under mixed precision.
//
//   BatchNormalization bn;                    // axis -1, momentum 0.99, epsilon 1e-3
//   Tensor y = bn(x, /*training=*/true);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct BatchNormalizationOptions {
  std::vector<int64_t> axis{-1};
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  std::string beta_initializer = "zeros";
  std::string gamma_initializer = "ones";
  std::string moving_mean_initializer = "zeros";
  std::string moving_variance_initializer = "ones";
  TB_LAYER_BASE_OPTIONS;
};

class BatchNormalization : public Layer {
 public:
  explicit BatchNormalization(const BatchNormalizationOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<BatchNormalization> from_config(const nlohmann::ordered_json& config);

  const Variable& moving_mean() const { return moving_mean_; }
  const Variable& moving_variance() const { return moving_variance_; }

 private:
  // The input's axes normalized over (all but `axis`), and the shape that broadcasts the
  // per-channel weights against the input.
  std::vector<int64_t> reduction_axes(int64_t rank) const;
  Shape broadcast_shape(const Shape& input) const;
  BatchNormalizationOptions options_;
  std::vector<int64_t> axes_;  // normalized `axis`, set by build
  initializers::Initializer beta_init_, gamma_init_, mean_init_, var_init_;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
};

}  // namespace tb::keras::layers
