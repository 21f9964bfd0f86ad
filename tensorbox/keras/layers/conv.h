// Conv: the base of Keras's convolution layers (keras.layers.Conv1D, Conv2D). One class for
// every rank: a rank-1 convolution runs as a height-1 rank-2 one, channels_first input is
// transposed to channels_last around the kernel (the kernel layout is the same for both,
// kernel_size + (in_channels / groups, filters), as in Keras). relu and tanh are fused into
// the convolution; other activations run after it.
//
//   Conv2D c(32, {.kernel_size = {3, 3}, .activation = "relu"});
//   Tensor y = c(x);                                // x [N, 28, 28, 1] -> y [N, 26, 26, 32]
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct ConvOptions {
  std::vector<int64_t> kernel_size{};  // one value per spatial axis, or one value for all
  std::vector<int64_t> strides{1};
  std::string padding = "valid";       // "valid", "same"; Conv1D also "causal"
  std::string data_format = "channels_last";
  std::vector<int64_t> dilation_rate{1};
  int64_t groups = 1;
  std::string activation = "linear";
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  nlohmann::ordered_json kernel_regularizer = nullptr;  // as in DenseOptions
  nlohmann::ordered_json bias_regularizer = nullptr;
  nlohmann::ordered_json activity_regularizer = nullptr;
  TB_LAYER_BASE_OPTIONS;
};

class Conv : public Layer {
 public:
  Conv(const std::string& class_name, int rank, int64_t filters, const ConvOptions& options);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;

  int64_t filters() const { return filters_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 protected:
  // Reads a Conv config dict ({"filters": 32, "kernel_size": [3, 3], ...}) for from_config.
  static std::pair<int64_t, ConvOptions> options_from_config(const nlohmann::ordered_json& config,
                                                             const std::string& class_name);
  // Initializers given as configs ({"class_name": "HeNormal", ...}) replace the named ones.
  void set_initializers(const nlohmann::ordered_json& config);

 private:
  int64_t channel_axis() const;
  int rank_;
  int64_t filters_;
  ConvOptions options_;
  initializers::Initializer kernel_init_, bias_init_;
  std::optional<regularizers::Regularizer> kernel_reg_, bias_reg_, activity_reg_;
  Variable kernel_, bias_;
};

}  // namespace tb::keras::layers
