#include "tensorbox/keras/layers/simple_rnn.h"

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

SimpleRNN::SimpleRNN(int64_t units, const RNNOptions& o)
    : RNN("SimpleRNN", units, 1, o), act_(activations::get(options_.activation)) {}

void SimpleRNN::build_cell(int64_t input_dim) {
  kernel_ = add_cell_weight("kernel", {input_dim, units_}, kernel_init_, kernel_reg_);
  recurrent_kernel_ = add_cell_weight("recurrent_kernel", {units_, units_}, recurrent_init_, recurrent_reg_);
  if (options_.use_bias) bias_ = add_cell_weight("bias", {units_}, bias_init_, bias_reg_);
}

Tensor SimpleRNN::project_inputs(const Tensor& x) {
  return ops::dense(x, read(kernel_), options_.use_bias ? read(bias_) : Tensor(), "linear", name());
}

std::vector<Tensor> SimpleRNN::step(const Tensor& x, const Tensor& dropped_h, const std::vector<Tensor>&) {
  return {act_(ops::add(x, ops::matmul(dropped_h, read(recurrent_kernel_))))};
}

std::shared_ptr<SimpleRNN> SimpleRNN::from_config(const nlohmann::ordered_json& c) {
  return from_rnn_config<SimpleRNN>(c, "SimpleRNN", [](ConfigReader&, RNNOptions&) {});
}

TB_REGISTER_LAYER(SimpleRNN);

}  // namespace tb::keras::layers
