// Neural-network ops: matmul, the fused Dense op, softmax family and fused cross-entropies.
//
//   Tensor h = tb::ops::dense(x, kernel, bias, "relu");     // matmul + bias + relu, one pass
//   Tensor loss = tb::ops::sparse_softmax_cross_entropy_with_logits(labels, logits);  // [N]
#pragma once

#include <optional>
#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

// tf.linalg.matmul: rank >= 2, batch dims broadcast, inner dims must agree.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
              bool transpose_b = false);
// activation(x @ kernel + bias) with x of any rank >= 2 contracted on its last axis
// (Keras Dense). `bias` may be undefined. Activations fused into the GEMM: "linear"/"",
// "relu", "sigmoid", "tanh"; `layer` names the caller in error messages.
Tensor dense(const Tensor& x, const Tensor& kernel, const Tensor& bias,
             const std::string& activation = "", const std::string& layer = "dense");
Tensor bias_add(const Tensor& x, const Tensor& bias);
Tensor softmax(const Tensor& logits, int64_t axis = -1);
Tensor log_softmax(const Tensor& logits, int64_t axis = -1);
// labels: int32/int64 of shape logits.shape[:-1]; each must be in [0, num_classes).
// Returns the per-example loss, shape logits.shape[:-1].
Tensor sparse_softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits);
// labels: probabilities of the logits' shape and dtype.
Tensor softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits);
// tf.nn.batch_normalization: (x - mean) * rsqrt(variance + epsilon) * scale + offset, with all
// statistics broadcast against x; `scale`/`offset` may be undefined. A composition of
// primitives (the tape differentiates through batch statistics too); BatchNormalization and
// LayerNormalization share it.
Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance, const Tensor& offset,
                           const Tensor& scale, double epsilon);
// Inverted dropout (tf.nn.dropout): keeps each element with probability 1 - rate and scales
// kept ones by 1 / (1 - rate). Draws from the global generator.
// With `noise_shape` (broadcastable to x) one draw covers a whole broadcast block, e.g.
// [N, 1, 1, C] drops entire feature maps (SpatialDropout2D).
Tensor dropout(const Tensor& x, double rate, const std::optional<Shape>& noise_shape = std::nullopt);

}  // namespace tb::ops
