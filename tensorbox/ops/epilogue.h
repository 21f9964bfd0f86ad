// The activations fused into GEMM and convolution kernels (oneDNN post-ops), shared by the
// ops that fuse them (dense, conv2d): the name -> epilogue rule and the backward map.
//
//   const Epilogue e = epilogue_of("relu", "dense_1");     // ValueError for unfusable names
//   Tensor gz = epilogue_grad(e, g, y);                     // dL/dz from dL/dy and y
#pragma once

#include <string>

#include "tensorbox/core/tensor.h"
#include "tensorbox/kernels/cpu/matmul.h"

namespace tb::ops {

using kernels::cpu::Epilogue;

// "", "linear", "relu", "sigmoid", "tanh"; anything else is a ValueError naming `layer`.
Epilogue epilogue_of(const std::string& activation, const std::string& layer);
// The gradient before the activation, from the gradient after it and the activation's output.
Tensor epilogue_grad(Epilogue e, const Tensor& g, const Tensor& y);

}  // namespace tb::ops
