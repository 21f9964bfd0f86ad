// Keras activations by name: relu, sigmoid, tanh, softmax, gelu, elu, selu, softplus, swish,
// linear (plus "log_softmax"). Softmax and sigmoid remember their input (Keras's
// `_keras_logits`) so cross-entropy losses can use the exact logits formula.
//
//   Tensor y = tb::keras::activations::get("relu")(x);
//   tb::keras::activations::validate("swish");     // throws ValueError if unknown
#pragma once

#include <functional>
#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::keras::activations {

using Activation = std::function<Tensor(const Tensor&)>;

// Throws ValueError "Unknown activation function: 'x'..." listing valid names.
Activation get(const std::string& name);
void validate(const std::string& name);
// The canonical name Keras serializes ("" -> "linear").
std::string serialize(const std::string& name);

// The pre-activation of a tensor that `kind` ("softmax" or "sigmoid") produced, or an
// undefined tensor.
Tensor keras_logits(const Tensor& output, const std::string& kind);

}  // namespace tb::keras::activations
