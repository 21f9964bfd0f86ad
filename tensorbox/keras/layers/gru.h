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

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class GRU : public RNN {
 public:
  explicit GRU(int64_t units, const RNNOptions& options = {});
  static std::shared_ptr<GRU> from_config(const nlohmann::ordered_json& config);

 protected:
  void build_cell(int64_t input_dim) override;
  Tensor project_inputs(const Tensor& x) override;
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states) override;
  nlohmann::ordered_json config_at_end() const override {
    return {{"implementation", implementation()}, {"reset_after", options_.reset_after}};
  }

 private:
  // The bias row for the inputs (reset_after: row 0 of [2, 3 * units]) or the whole bias.
  Tensor input_bias();
  activations::Activation act_, rec_act_;
  Variable kernel_, recurrent_kernel_, bias_;
};

}  // namespace tb::keras::layers
