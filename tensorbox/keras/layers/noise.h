// Regularization layers active only in training (keras.layers.SpatialDropout2D, GaussianNoise):
//   SpatialDropout2D  drops whole feature maps: one keep/drop draw per (sample, channel), kept
//                     maps scaled by 1 / (1 - rate), as tf.nn.dropout with noise_shape.
//   GaussianNoise     adds zero-mean normal noise of `stddev`.
// Both are the identity at inference.
//
//   SpatialDropout2D d(0.2);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct SpatialDropout2DOptions {
  std::string data_format = "channels_last";
  TB_LAYER_BASE_OPTIONS;
};

class SpatialDropout2D : public Layer {
 public:
  explicit SpatialDropout2D(double rate, const SpatialDropout2DOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<SpatialDropout2D> from_config(const nlohmann::ordered_json& c);

 private:
  double rate_;
  std::string data_format_;
};

struct GaussianNoiseOptions {
  TB_LAYER_BASE_OPTIONS;
};

class GaussianNoise : public Layer {
 public:
  explicit GaussianNoise(double stddev, const GaussianNoiseOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"stddev", stddev_}, {"seed", nullptr}}; }
  static std::shared_ptr<GaussianNoise> from_config(const nlohmann::ordered_json& c);

 private:
  double stddev_;
};

}  // namespace tb::keras::layers
