// 2-D convolution kernels through oneDNN: forward (bias and activation fused as post-ops),
// the gradient with respect to the input (also Conv2DTranspose's forward) and the gradient
// with respect to the filter and bias.
//
// Layouts are Keras's: activations NHWC, filters [KH, KW, C / groups, O] ("HWIO"); output
// channel o belongs to group o / (O / groups). oneDNN picks its own blocked filter layout
// (the filter is small and reordered per call); activations stay NHWC so no activation
// tensor is ever copied. float32 runs on oneDNN's JIT kernels; float16/bfloat16 are computed
// in float32 from their values; float64 uses plain loops (the gradient checks' path).
//
//   ConvGeometry g = ...;                       // filled by ops::conv2d from strides/padding
//   Tensor y = conv2d(x, w, &bias, Epilogue::relu, g);
#pragma once

#include <string>
#include <utility>

#include "tensorbox/core/tensor.h"
#include "tensorbox/kernels/cpu/matmul.h"

namespace tb::kernels::cpu {

struct ConvGeometry {
  int64_t N = 0, H = 0, W = 0, C = 0;  // input [N, H, W, C]
  int64_t KH = 0, KW = 0, O = 0;       // filter [KH, KW, C / groups, O]
  int64_t groups = 1;
  int64_t sh = 1, sw = 1;  // strides
  int64_t dh = 1, dw = 1;  // dilation rates (1 = none, as in Keras)
  int64_t pt = 0, pb = 0, pl = 0, pr = 0;  // zero padding: top, bottom, left, right
  int64_t OH = 0, OW = 0;                  // output height and width
  std::string key() const;
};

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor* bias, Epilogue epilogue,
              const ConvGeometry& g);
// dL/dx from dL/dy [N, OH, OW, O]; shape [N, H, W, C].
Tensor conv2d_backward_data(const Tensor& dy, const Tensor& w, const ConvGeometry& g);
// dL/dw [KH, KW, C / groups, O] and, when `with_bias`, dL/dbias [O].
std::pair<Tensor, Tensor> conv2d_backward_weights(const Tensor& x, const Tensor& dy,
                                                  const ConvGeometry& g, bool with_bias);
// oneDNN's implementation names for the three passes at this geometry ("brg:avx512_core",
// "jit:avx2", ...), so tests can insist that no reference loop runs.
std::string conv2d_impl_names(const ConvGeometry& g);

}  // namespace tb::kernels::cpu
