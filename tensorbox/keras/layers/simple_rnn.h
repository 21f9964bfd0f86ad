// SimpleRNN (keras.layers.SimpleRNN): h' = activation(x @ kernel + h @ recurrent_kernel + bias),
// kernel [input_dim, units], recurrent_kernel [units, units], bias [units]; one state, which
// is also the output. The loop, masks and return_* options are RNN's (rnn.h).
//
//   SimpleRNN rnn(16, {.return_sequences = true});
#pragma once

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class SimpleRNN : public RNN {
 public:
  explicit SimpleRNN(int64_t units, const RNNOptions& options = {});
  static std::shared_ptr<SimpleRNN> from_config(const nlohmann::ordered_json& config);

 protected:
  void build_cell(int64_t input_dim) override;
  Tensor project_inputs(const Tensor& x) override;
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states) override;
  bool uses_recurrent_activation() const override { return false; }

 private:
  activations::Activation act_;
  Variable kernel_, recurrent_kernel_, bias_;
};

}  // namespace tb::keras::layers
