// The other 2-D convolutions of Keras, on the same conv2d / conv2d_transpose ops:
//   Conv2DTranspose  the transpose of Conv2D (learned upsampling); kernel
//                    [kh, kw, filters, in_channels]; output size (in - 1) * stride + kernel
//                    ("valid") or in * stride ("same"), plus output_padding.
//   DepthwiseConv2D  one filter bank per input channel: depthwise_kernel
//                    [kh, kw, in_channels, depth_multiplier] (a grouped conv with groups = C).
//   SeparableConv2D  a depthwise convolution then a 1x1 pointwise one: depthwise_kernel as
//                    above, pointwise_kernel [1, 1, C * depth_multiplier, filters].
// channels_first input is transposed around the kernels, as in Conv.
//
//   Conv2DTranspose up(32, {.kernel_size = {3}, .strides = {2}, .padding = "same"});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct Conv2DVariantOptions {
  std::vector<int64_t> kernel_size{};
  std::vector<int64_t> strides{1};
  std::string padding = "valid";
  std::string data_format = "channels_last";
  std::vector<int64_t> dilation_rate{1};
  std::vector<int64_t> output_padding{};  // Conv2DTranspose only (empty: None)
  int64_t depth_multiplier = 1;           // DepthwiseConv2D, SeparableConv2D
  std::string activation = "linear";
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";     // Conv2DTranspose
  std::string depthwise_initializer = "glorot_uniform";  // DepthwiseConv2D, SeparableConv2D
  std::string pointwise_initializer = "glorot_uniform";  // SeparableConv2D
  std::string bias_initializer = "zeros";
  // Regularizer names or configs (null: none), each for the weight its name says.
  nlohmann::ordered_json kernel_regularizer = nullptr;     // Conv2DTranspose
  nlohmann::ordered_json depthwise_regularizer = nullptr;  // DepthwiseConv2D, SeparableConv2D
  nlohmann::ordered_json pointwise_regularizer = nullptr;  // SeparableConv2D
  nlohmann::ordered_json bias_regularizer = nullptr;
  nlohmann::ordered_json activity_regularizer = nullptr;
  TB_LAYER_BASE_OPTIONS;
};

enum class Conv2DVariant { transpose, depthwise, separable };

class Conv2DVariantLayer : public Layer {
 public:
  // filters: ignored by DepthwiseConv2D (its output has C * depth_multiplier channels).
  Conv2DVariantLayer(const std::string& class_name, Conv2DVariant kind, int64_t filters, const Conv2DVariantOptions& o);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;

 protected:
  static std::pair<int64_t, Conv2DVariantOptions> options_from_config(const nlohmann::ordered_json& c,
                                                                      const std::string& class_name);
  void set_initializers(const nlohmann::ordered_json& c);

 private:
  int64_t output_size(int64_t in, int i) const;  // Conv2DTranspose's output length along spatial axis i
  Conv2DVariant kind_;
  int64_t filters_;
  Conv2DVariantOptions options_;
  initializers::Initializer kernel_init_, depthwise_init_, pointwise_init_, bias_init_;
  std::optional<regularizers::Regularizer> kernel_reg_, depthwise_reg_, pointwise_reg_, bias_reg_, activity_reg_;
  Variable kernel_, depthwise_, pointwise_, bias_;
  int64_t in_channels_ = 0;
};

#define TB_CONV2D_VARIANT(Name, kind)                                                                 \
  class Name : public Conv2DVariantLayer {                                                            \
   public:                                                                                            \
    explicit Name(int64_t filters, const Conv2DVariantOptions& o = {})                                \
        : Conv2DVariantLayer(#Name, kind, filters, o) {}                                              \
    static std::shared_ptr<Name> from_config(const nlohmann::ordered_json& c) {                       \
      const auto [filters, o] = options_from_config(c, #Name);                                        \
      auto l = std::make_shared<Name>(filters, o);                                                    \
      l->set_initializers(c);                                                                         \
      return l;                                                                                       \
    }                                                                                                 \
  }

TB_CONV2D_VARIANT(Conv2DTranspose, Conv2DVariant::transpose);
TB_CONV2D_VARIANT(SeparableConv2D, Conv2DVariant::separable);

// DepthwiseConv2D has no `filters`.
class DepthwiseConv2D : public Conv2DVariantLayer {
 public:
  explicit DepthwiseConv2D(const Conv2DVariantOptions& o = {})
      : Conv2DVariantLayer("DepthwiseConv2D", Conv2DVariant::depthwise, 0, o) {}
  static std::shared_ptr<DepthwiseConv2D> from_config(const nlohmann::ordered_json& c) {
    auto l = std::make_shared<DepthwiseConv2D>(options_from_config(c, "DepthwiseConv2D").second);
    l->set_initializers(c);
    return l;
  }
};

}  // namespace tb::keras::layers
