// GRU (keras.layers.GRU) with Keras 2.9's defaults: gates z (update), r (reset), h in that
// order in the kernel [input_dim, 3 * units] and recurrent_kernel [units, 3 * units]; one state.
// reset_after=True (the default, cuDNN's variant) has separate input and recurrent biases,
// bias [2, 3 * units], and applies the reset gate after the recurrent matmul:
//   hh = activation(x_h + r * (h @ U_h + b_rh))
// reset_after=False has bias [3 * units] and hh = activation(x_h + (r * h) @ U_h). Both end with
//   h' = z * h + (1 - z) * hh.
// The loop, masks and return_* options are RNN's (rnn.h).
//
//   GRU gru(32, {.return_sequences = true});
#pragma once

#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class GRU : public RNN {
 public:
  explicit GRU(int64_t units, const RNNOptions& options = {}) : RNN("GRU", units, 1, 3, options) {}
  static std::shared_ptr<GRU> from_config(const nlohmann::ordered_json& config);

 protected:
  Shape bias_shape(int64_t gates) const override;
  // reset_after: row 0 of the [2, 3 * units] bias.
  Tensor input_bias() override;
  // reset_after: {recurrent_kernel, recurrent bias row (or undefined)};
  // otherwise {recurrent_kernel[:, :2u], recurrent_kernel[:, 2u:]}.
  std::vector<Tensor> step_weights() override;
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states,
                           const std::vector<Tensor>& weights) override;
  nlohmann::ordered_json config_at_end() const override {
    return {{"implementation", implementation()}, {"reset_after", options_.reset_after}};
  }
};

}  // namespace tb::keras::layers
