#include "tensorbox/keras/layers/lstm.h"

#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

initializers::Initializer LSTM::bias_initializer() const {
  if (!options_.unit_forget_bias) return bias_init_;
  // Keras: [bias_initializer(units), ones(units), bias_initializer(2 * units)].
  const initializers::Initializer b = bias_init_;
  const int64_t u = units_;
  return initializers::Initializer(b.class_name(), b.get_config()["config"], [b, u](const Shape&, DType t) {
    return ops::concat({b({u}, t), Tensor::full({u}, 1.0, t), b({2 * u}, t)}, 0);
  });
}

std::vector<Tensor> LSTM::step(const Tensor& projected, const Tensor& h, const std::vector<Tensor>& states,
                               const std::vector<Tensor>& weights) {
  const Tensor z = ops::add(projected, ops::matmul(h, weights[0]));
  const Tensor i = rec_act_(gate(z, 0)), f = rec_act_(gate(z, 1)), o = rec_act_(gate(z, 3));
  const Tensor c = ops::add(ops::mul(f, states[1]), ops::mul(i, act_(gate(z, 2))));
  return {ops::mul(o, act_(c)), c};
}

std::shared_ptr<LSTM> LSTM::from_config(const nlohmann::ordered_json& c) {
  return from_rnn_config<LSTM>(c, "LSTM", [](ConfigReader& r, RNNOptions& o) {
    r.read("unit_forget_bias", o.unit_forget_bias);
    r.allow("implementation");  // 1 and 2 compute the same function
  });
}

TB_REGISTER_LAYER(LSTM);

}  // namespace tb::keras::layers
