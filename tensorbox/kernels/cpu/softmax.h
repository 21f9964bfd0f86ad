// Softmax, log-softmax and the fused softmax cross-entropy kernels, along the last axis.
// Computed in float32 (float64 for float64 input) with the max subtracted first.
//
//   auto [loss, backprop] = tb::kernels::cpu::sparse_softmax_xent(labels, logits);
//   // loss: [N]; backprop = softmax(logits) - one_hot(labels): the gradient of sum(loss)
#pragma once

#include <utility>

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

Tensor softmax(const Tensor& x, bool log);
// labels: int32/int64 [N] already range-checked; logits: [N, C].
std::pair<Tensor, Tensor> sparse_softmax_xent(const Tensor& labels, const Tensor& logits);
// labels: [N, C] probabilities; logits: [N, C].
std::pair<Tensor, Tensor> softmax_xent(const Tensor& labels, const Tensor& logits);

}  // namespace tb::kernels::cpu
