// Activation layers with parameters (keras.layers.ReLU, LeakyReLU, PReLU, ELU, Softmax), each a
// composition of primitive ops with Keras's exact rule:
//   ReLU:      max_value if x >= max_value; x if threshold <= x < max_value (x > threshold when
//              threshold != 0); negative_slope * (x - threshold) otherwise.
//   LeakyReLU: x if x > 0 else alpha * x (alpha 0.3).
//   PReLU:     x if x > 0 else alpha * x with a learned alpha of the input's shape (batch axis
//              dropped, `shared_axes` of size 1).
//   ELU:       x if x > 0 else alpha * (exp(x) - 1).
//   Softmax:   softmax over `axis`.
//
//   ReLU r({.max_value = 6.0});
#pragma once

#include <optional>

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct ReLUOptions {
  std::optional<double> max_value{};
  double negative_slope = 0.0;
  double threshold = 0.0;
  TB_LAYER_BASE_OPTIONS;
};

class ReLU : public Layer {
 public:
  explicit ReLU(const ReLUOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<ReLU> from_config(const nlohmann::ordered_json& config);

 private:
  ReLUOptions options_;
};

struct AlphaOptions {
  double alpha = 0.3;  // LeakyReLU's default; ELU's is 1.0
  TB_LAYER_BASE_OPTIONS;
};

class LeakyReLU : public Layer {
 public:
  explicit LeakyReLU(const AlphaOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"alpha", alpha_}}; }
  static std::shared_ptr<LeakyReLU> from_config(const nlohmann::ordered_json& config);

 private:
  double alpha_;
};

class ELU : public Layer {
 public:
  explicit ELU(const AlphaOptions& options = {.alpha = 1.0});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"alpha", alpha_}}; }
  static std::shared_ptr<ELU> from_config(const nlohmann::ordered_json& config);

 private:
  double alpha_;
};

struct PReLUOptions {
  std::string alpha_initializer = "zeros";
  std::vector<int64_t> shared_axes{};  // axes (batch axis = 0) along which alpha is shared
  TB_LAYER_BASE_OPTIONS;
};

class PReLU : public Layer {
 public:
  explicit PReLU(const PReLUOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<PReLU> from_config(const nlohmann::ordered_json& config);

 private:
  PReLUOptions options_;
  initializers::Initializer alpha_init_;
  Variable alpha_;
};

struct SoftmaxOptions {
  int64_t axis = -1;
  TB_LAYER_BASE_OPTIONS;
};

class Softmax : public Layer {
 public:
  explicit Softmax(const SoftmaxOptions& options = {}) : Layer("Softmax", base_options(options)), axis_(options.axis) {
    supports_masking_ = true;
  }
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override { return {{"axis", axis_}}; }
  static std::shared_ptr<Softmax> from_config(const nlohmann::ordered_json& config);

 private:
  int64_t axis_;
};

}  // namespace tb::keras::layers
