#include "tensorbox/keras/layers/lstm.h"

#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

LSTM::LSTM(int64_t units, const RNNOptions& o)
    : RNN("LSTM", units, 2, o), act_(activations::get(options_.activation)),
      rec_act_(activations::get(options_.recurrent_activation)) {}

void LSTM::build_cell(int64_t input_dim) {
  kernel_ = add_cell_weight("kernel", {input_dim, 4 * units_}, kernel_init_, kernel_reg_);
  recurrent_kernel_ = add_cell_weight("recurrent_kernel", {units_, 4 * units_}, recurrent_init_, recurrent_reg_);
  if (!options_.use_bias) return;
  initializers::Initializer init = bias_init_;
  if (options_.unit_forget_bias) {
    // Keras: [bias_initializer(units), ones(units), bias_initializer(2 * units)].
    const initializers::Initializer b = bias_init_;
    const int64_t u = units_;
    init = initializers::Initializer(b.class_name(), b.get_config()["config"], [b, u](const Shape&, DType t) {
      return ops::concat({b({u}, t), Tensor::full({u}, 1.0, t), b({2 * u}, t)}, 0);
    });
  }
  bias_ = add_cell_weight("bias", {4 * units_}, init, bias_reg_);
}

Tensor LSTM::project_inputs(const Tensor& x) {
  return ops::dense(x, read(kernel_), options_.use_bias ? read(bias_) : Tensor(), "linear", name());
}

std::vector<Tensor> LSTM::step(const Tensor& projected, const Tensor& h, const std::vector<Tensor>& states) {
  const Tensor z = ops::add(projected, ops::matmul(h, read(recurrent_kernel_)));
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
