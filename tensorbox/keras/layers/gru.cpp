#include "tensorbox/keras/layers/gru.h"

#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

Shape GRU::bias_shape(int64_t gates) const {
  return options_.reset_after ? Shape({2, gates * units_}) : Shape({gates * units_});
}

Tensor GRU::input_bias() {
  if (!options_.use_bias || !options_.reset_after) return RNN::input_bias();
  return ops::reshape(ops::slice(read(bias_), {0, 0}, {1, 3 * units_}), {3 * units_});
}

std::vector<Tensor> GRU::step_weights() {
  const Tensor u = read(recurrent_kernel_);
  if (options_.reset_after)
    return {u, options_.use_bias ? ops::reshape(ops::slice(read(bias_), {1, 0}, {1, 3 * units_}), {3 * units_})
                                 : Tensor()};
  return {ops::slice(u, {0, 0}, {units_, 2 * units_}), ops::slice(u, {0, 2 * units_}, {units_, units_})};
}

std::vector<Tensor> GRU::step(const Tensor& x, const Tensor& dropped_h, const std::vector<Tensor>& states,
                              const std::vector<Tensor>& w) {
  const Tensor& h = states[0];
  Tensor z, r, hh;
  if (options_.reset_after) {
    Tensor inner = ops::matmul(dropped_h, w[0]);
    if (w[1].defined()) inner = ops::add(inner, w[1]);
    z = rec_act_(ops::add(gate(x, 0), gate(inner, 0)));
    r = rec_act_(ops::add(gate(x, 1), gate(inner, 1)));
    hh = act_(ops::add(gate(x, 2), ops::mul(r, gate(inner, 2))));
  } else {
    const Tensor inner = ops::matmul(dropped_h, w[0]);
    z = rec_act_(ops::add(gate(x, 0), gate(inner, 0)));
    r = rec_act_(ops::add(gate(x, 1), gate(inner, 1)));
    hh = act_(ops::add(gate(x, 2), ops::matmul(ops::mul(r, dropped_h), w[1])));
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
