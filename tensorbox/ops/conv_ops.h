// Convolution and pooling ops (tf.nn.conv2d, conv2d_transpose, max_pool2d, avg_pool2d),
// NHWC as in Keras. Padding is TensorFlow's: "valid" (no padding), "same" (output size
// ceil(in / stride), the odd pixel of padding after), and "causal" (all padding on the left
// of the width axis; Conv1D runs as a height-1 Conv2D).
//
//   Tensor y = tb::ops::conv2d(x, kernel, bias, {.strides = {2, 2}, .padding = "same"}, "relu");
//   Tensor p = tb::ops::max_pool2d(y, {2, 2}, {2, 2}, "valid");
#pragma once

#include <array>
#include <string>
#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

struct Conv2DArgs {
  std::array<int64_t, 2> strides{1, 1};
  std::string padding = "valid";
  std::array<int64_t, 2> dilations{1, 1};
  // Names the caller in error messages ("conv2d_1"), as Keras names the layer.
  std::string layer = "Conv2D";
};

// activation(conv(x, filters) + bias). x [N, H, W, C]; filters [KH, KW, C / groups, O] with
// groups = C / filters.shape[2]; bias [O] or undefined. Activations fused: "", "linear",
// "relu", "sigmoid", "tanh".
Tensor conv2d(const Tensor& x, const Tensor& filters, const Tensor& bias, const Conv2DArgs& args,
              const std::string& activation = "");
// The transpose of conv2d (the gradient of conv2d with respect to its input):
// x [N, H, W, filters.shape[3]] -> [N, output_hw..., filters.shape[2]]. `output_hw` must be a
// size whose conv2d with these args gives x's height and width.
Tensor conv2d_transpose(const Tensor& x, const Tensor& filters, std::array<int64_t, 2> output_hw,
                        const Conv2DArgs& args);
// The gradient of conv2d with respect to its input of `input_shape` (tf.nn.conv2d_backprop_input),
// from the filters and the output's gradient dy; grouped convolutions included.
Tensor conv2d_backprop_input(const Shape& input_shape, const Tensor& filters, const Tensor& dy, const Conv2DArgs& args);
// The gradient of conv2d with respect to its filter (tf.nn.conv2d_backprop_filter), from its
// input x and the output's gradient dy: {d filter} or, with_bias, {d filter, d bias} from one pass.
std::vector<Tensor> conv2d_backprop_filter(const Tensor& x, const Tensor& dy, const Shape& filter_shape,
                                           const Conv2DArgs& args, bool with_bias = false);
// The output size TensorFlow gives one spatial axis ("valid", "same" or "causal" padding).
int64_t conv_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, const std::string& padding);

Tensor max_pool2d(const Tensor& x, std::array<int64_t, 2> pool_size, std::array<int64_t, 2> strides,
                  const std::string& padding = "valid");
Tensor avg_pool2d(const Tensor& x, std::array<int64_t, 2> pool_size, std::array<int64_t, 2> strides,
                  const std::string& padding = "valid");

}  // namespace tb::ops
