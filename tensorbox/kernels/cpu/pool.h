// 2-D max and average pooling through oneDNN (NHWC, as Keras), forward and backward.
//
// Average pooling divides by the number of input elements inside the window (padding
// excluded), as TensorFlow's AvgPool does with "SAME" padding. Max pooling ignores padding;
// its gradient goes to the position of each window's maximum, which the forward pass records
// in a workspace when a gradient will be needed. float64 uses plain loops (gradient checks);
// float16/bfloat16 are computed in float32.
//
//   Tensor ws;
//   Tensor y = pool2d(PoolKind::max, x, g, &ws);
//   Tensor dx = pool2d_backward(PoolKind::max, dy, x, ws, g);
#pragma once

#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

enum class PoolKind { max, average };

struct PoolGeometry {
  int64_t N = 0, H = 0, W = 0, C = 0;       // input [N, H, W, C]
  int64_t KH = 1, KW = 1;                   // pool size
  int64_t sh = 1, sw = 1;                   // strides
  int64_t pt = 0, pb = 0, pl = 0, pr = 0;   // padding: top, bottom, left, right
  int64_t OH = 0, OW = 0;
  std::string key() const;
};

// With `workspace` non-null, max pooling also fills it with what the backward pass needs.
Tensor pool2d(PoolKind kind, const Tensor& x, const PoolGeometry& g, Tensor* workspace = nullptr);
Tensor pool2d_backward(PoolKind kind, const Tensor& dy, const Tensor& x, const Tensor& workspace,
                       const PoolGeometry& g);

}  // namespace tb::kernels::cpu
