// Preprocessing layers that run inside the model (keras.layers.Rescaling, Normalization,
// CenterCrop), so a saved model takes raw data:
//   Rescaling      x * scale + offset, any input dtype cast to the compute dtype first
//                  (Rescaling(1. / 255) on uint8 images).
//   Normalization  (x - mean) / max(sqrt(variance), 1e-7) per feature along `axis`; mean and
//                  variance given, or learned from data by adapt() (non-trainable weights
//                  mean, variance, count, as Keras).
//   CenterCrop     the central height x width window of [batch, H, W, C] images (inputs
//                  smaller than that are smart_resize-d, as Keras does).
//
//   Normalization norm;
//   norm.adapt(x_train);
//   Sequential model({Input({8}), norm, Dense(1)});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct RescalingOptions {
  double offset = 0.0;
  TB_LAYER_BASE_OPTIONS;
};

class Rescaling : public Layer {
 public:
  explicit Rescaling(double scale, const RescalingOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"scale", scale_}, {"offset", offset_}}; }
  static std::shared_ptr<Rescaling> from_config(const nlohmann::ordered_json& c);

 private:
  double scale_, offset_;
};

struct NormalizationOptions {
  std::vector<int64_t> axis{-1};  // the axes that keep their own statistics (empty: one for all)
  std::vector<double> mean{};     // given statistics (broadcast over the kept axes), or empty to adapt()
  std::vector<double> variance{};
  TB_LAYER_BASE_OPTIONS;
};

class Normalization : public Layer {
 public:
  explicit Normalization(const NormalizationOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Normalization> from_config(const nlohmann::ordered_json& c);
  // Learns mean and variance from `data` (all of it, batch axis first), replacing earlier ones.
  void adapt(const Tensor& data);

 private:
  Shape stats_shape(const Shape& input) const;  // the broadcast shape of mean/variance
  NormalizationOptions options_;
  std::vector<int64_t> axes_;  // the kept axes, normalized by build
  Variable mean_, variance_, count_;  // learned by adapt()
  Tensor mean_given_, variance_given_;  // or given: constants, not weights (as Keras)
};

struct CenterCropOptions {
  TB_LAYER_BASE_OPTIONS;
};

class CenterCrop : public Layer {
 public:
  CenterCrop(int64_t height, int64_t width, const CenterCropOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override { return {{"height", height_}, {"width", width_}}; }
  static std::shared_ptr<CenterCrop> from_config(const nlohmann::ordered_json& c);

 private:
  int64_t height_, width_;
};

}  // namespace tb::keras::layers
