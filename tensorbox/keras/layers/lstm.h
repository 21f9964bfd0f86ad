// LSTM (keras.layers.LSTM) with Keras 2.9's defaults: gates i, f, c, o in that order in the
// kernel [input_dim, 4 * units], recurrent_kernel [units, 4 * units] and bias [4 * units]
// (the forget gate's bias starts at 1 with unit_forget_bias); states h and c.
//   z = x @ kernel + h @ recurrent_kernel + bias
//   c' = f * c + i * activation(z_c),  h' = o * activation(c')  (i, f, o: recurrent_activation)
// The loop, masks and return_* options are RNN's (rnn.h).
//
//   LSTM lstm(64, {.return_sequences = true, .dropout = 0.2});
#pragma once

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class LSTM : public RNN {
 public:
  explicit LSTM(int64_t units, const RNNOptions& options = {});
  static std::shared_ptr<LSTM> from_config(const nlohmann::ordered_json& config);

 protected:
  void build_cell(int64_t input_dim) override;
  Tensor project_inputs(const Tensor& x) override;
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states) override;
  nlohmann::ordered_json config_after_initializers() const override {
    return {{"unit_forget_bias", options_.unit_forget_bias}};
  }
  nlohmann::ordered_json config_at_end() const override { return {{"implementation", implementation()}}; }

 private:
  activations::Activation act_, rec_act_;
  Variable kernel_, recurrent_kernel_, bias_;
};

}  // namespace tb::keras::layers
