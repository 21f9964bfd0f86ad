// Dense: activation(inputs @ kernel + bias) (keras.layers.Dense). The kernel has shape
// [input_dim, units]; inputs of rank > 2 are contracted on their last axis. relu and tanh are
// fused into the GEMM; other activations run after it.
//
//   Dense d(1024, {.activation = "relu", .input_shape = {784}});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct DenseOptions {
  std::string activation = "linear";
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  // A regularizer name ("l2") or config ({"class_name": "L2", "config": {"l2": 1e-4}}); null: none.
  nlohmann::ordered_json kernel_regularizer = nullptr;
  nlohmann::ordered_json bias_regularizer = nullptr;
  nlohmann::ordered_json activity_regularizer = nullptr;
  TB_LAYER_BASE_OPTIONS;
};

class Dense : public Layer {
 public:
  explicit Dense(int64_t units, const DenseOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Dense> from_config(const nlohmann::ordered_json& config);

  int64_t units() const { return units_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int64_t units_;
  DenseOptions options_;
  initializers::Initializer kernel_init_, bias_init_;
  std::optional<regularizers::Regularizer> kernel_reg_, bias_reg_, activity_reg_;
  Variable kernel_, bias_;
};

}  // namespace tb::keras::layers
