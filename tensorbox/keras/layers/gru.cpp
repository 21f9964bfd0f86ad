#include "tensorbox/keras/layers/gru.h"

#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

GRU::GRU(int64_t units, const RNNOptions& o)
    : RNN("GRU", units, 1, o), act_(activations::get(options_.activation)),
      rec_act_(activations::get(options_.recurrent_activation)) {}

void GRU::build_cell(int64_t input_dim) {
  kernel_ = add_cell_weight("kernel", {input_dim, 3 * units_}, kernel_init_, kernel_reg_);
  recurrent_kernel_ = add_cell_weight("recurrent_kernel", {units_, 3 * units_}, recurrent_init_, recurrent_reg_);
  if (options_.use_bias)
    bias_ = add_cell_weight("bias", options_.reset_after ? Shape({2, 3 * units_}) : Shape({3 * units_}), bias_init_,
                            bias_reg_);
}

Tensor GRU::input_bias() {
  if (!options_.use_bias) return Tensor();
  const Tensor b = read(bias_);
  return options_.reset_after ? ops::reshape(ops::slice(b, {0, 0}, {1, 3 * units_}), {3 * units_}) : b;
}

Tensor GRU::project_inputs(const Tensor& x) {
  return ops::dense(x, read(kernel_), input_bias(), "linear", name());
}

std::vector<Tensor> GRU::step(const Tensor& x, const Tensor& dropped_h, const std::vector<Tensor>& states) {
  const Tensor& h = states[0];
  const Tensor u = read(recurrent_kernel_);
  Tensor z, r, hh;
  if (options_.reset_after) {
    Tensor inner = ops::matmul(dropped_h, u);
    if (options_.use_bias) inner = ops::add(inner, ops::slice(read(bias_), {1, 0}, {1, 3 * units_}));
    z = rec_act_(ops::add(gate(x, 0), gate(inner, 0)));
    r = rec_act_(ops::add(gate(x, 1), gate(inner, 1)));
    hh = act_(ops::add(gate(x, 2), ops::mul(r, gate(inner, 2))));
  } else {
    const Tensor u_zr = ops::slice(u, {0, 0}, {units_, 2 * units_});
    const Tensor u_h = ops::slice(u, {0, 2 * units_}, {units_, units_});
    const Tensor inner = ops::matmul(dropped_h, u_zr);
    z = rec_act_(ops::add(gate(x, 0), gate(inner, 0)));
    r = rec_act_(ops::add(gate(x, 1), gate(inner, 1)));
    hh = act_(ops::add(gate(x, 2), ops::matmul(ops::mul(r, dropped_h), u_h)));
  }
  // h' = z * h + (1 - z) * hh = hh + z * (h - hh)
  return {ops::add(hh, ops::mul(z, ops::sub(h, hh)))};
}

std::shared_ptr<GRU> GRU::from_config(const nlohmann::ordered_json& c) {
  return from_rnn_config<GRU>(c, "GRU", [](ConfigReader& r, RNNOptions& o) {
    r.read("reset_after", o.reset_after);
    r.allow("implementation");  // 1 and 2 compute the same function
  });
}

TB_REGISTER_LAYER(GRU);

}  // namespace tb::keras::layers
