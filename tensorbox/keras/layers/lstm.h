// LSTM (keras.layers.LSTM) with Keras 2.9's defaults: gates i, f, c, o in that order in the
// kernel [input_dim, 4 * units], recurrent_kernel [units, 4 * units] and bias [4 * units]
// (the forget gate's bias starts at 1 with unit_forget_bias); states h and c.
//   z = x @ kernel + h @ recurrent_kernel + bias
//   c' = f * c + i * activation(z_c),  h' = o * activation(c')  (i, f, o: recurrent_activation)
// The loop, masks and return_* options are RNN's (rnn.h).
//
//   LSTM lstm(64, {.return_sequences = true, .dropout = 0.2});
#pragma once

#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class LSTM : public RNN {
 public:
  explicit LSTM(int64_t units, const RNNOptions& options = {}) : RNN("LSTM", units, 2, 4, options) {}
  static std::shared_ptr<LSTM> from_config(const nlohmann::ordered_json& config);

 protected:
  initializers::Initializer bias_initializer() const override;
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states,
                           const std::vector<Tensor>& weights) override;
  nlohmann::ordered_json config_after_initializers() const override {
    return {{"unit_forget_bias", options_.unit_forget_bias}};
  }
  nlohmann::ordered_json config_at_end() const override { return {{"implementation", implementation()}}; }
};

}  // namespace tb::keras::layers
