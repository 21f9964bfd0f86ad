// SimpleRNN (keras.layers.SimpleRNN): h' = activation(x @ kernel + h @ recurrent_kernel + bias),
// kernel [input_dim, units], recurrent_kernel [units, units], bias [units]; one state, which
// is also the output. The loop, masks and return_* options are RNN's (rnn.h).
//
//   SimpleRNN rnn(16, {.return_sequences = true});
#pragma once

#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

class SimpleRNN : public RNN {
 public:
  explicit SimpleRNN(int64_t units, const RNNOptions& options = {}) : RNN("SimpleRNN", units, 1, 1, options) {}
  static std::shared_ptr<SimpleRNN> from_config(const nlohmann::ordered_json& config);

 protected:
  std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states,
                           const std::vector<Tensor>& weights) override;
  bool uses_recurrent_activation() const override { return false; }
};

}  // namespace tb::keras::layers
