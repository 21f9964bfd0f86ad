#include "tensorbox/keras/activations.h"

#include <map>

#include "tensorbox/keras/backend.h"

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::activations {
namespace {

// The last softmax/sigmoid output on this thread and its logits: enough for the loss that
// directly follows a model's output layer, without a side table that grows.
thread_local uint64_t t_output_id = 0;
thread_local Tensor t_logits;
thread_local bool t_is_sigmoid = false;

Tensor remember(const Tensor& out, const Tensor& logits, bool sigmoid) {
  t_output_id = out.id();
  t_logits = logits;
  t_is_sigmoid = sigmoid;
  return out;
}

const std::map<std::string, Activation>& table() {
  static const std::map<std::string, Activation> m = {
      {"linear", [](const Tensor& x) { return x; }},
      {"relu", [](const Tensor& x) { return ops::relu(x); }},
      {"sigmoid", [](const Tensor& x) { return remember(ops::sigmoid(x), x, true); }},
      {"tanh", [](const Tensor& x) { return ops::tanh(x); }},
      {"softmax", [](const Tensor& x) { return remember(ops::softmax(x, -1), x, false); }},
      {"log_softmax", [](const Tensor& x) { return ops::log_softmax(x, -1); }},
      {"gelu", [](const Tensor& x) { return ops::gelu(x); }},
      {"elu", [](const Tensor& x) { return ops::elu(x); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
      {"swish", [](const Tensor& x) { return ops::swish(x); }},
  };
  return m;
}

}  // namespace

std::string serialize(const std::string& name) { return name.empty() ? "linear" : name; }

Activation get(const std::string& name) {
  const auto& m = table();
  auto it = m.find(serialize(name));
  if (it == m.end()) {
    const std::string valid = backend::join_keys(m);
    throw ValueError("Unknown activation function: '" + name + "'. Valid activations: " + valid);
  }
  return it->second;
}

void validate(const std::string& name) { get(name); }

Tensor keras_logits(const Tensor& output, const std::string& kind) {
  if (!output.defined() || output.id() != t_output_id || t_is_sigmoid != (kind == "sigmoid"))
    return Tensor();
  return t_logits;
}

}  // namespace tb::keras::activations
