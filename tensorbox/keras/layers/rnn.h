// RNN: what SimpleRNN, LSTM and GRU share (Keras's RNN layer around a cell): the loop over
// time, masks, initial states, go_backwards, return_sequences and return_state, dropout masks,
// and the config keys. A subclass is one cell: its weights and one step.
//
// Inputs are [batch, time, features] ([time, batch, features] with time_major). The loop runs
// the input projection for all steps as one matmul, then one step per time index on the
// primitive ops, so gradients come from the tape. With a mask ([batch, time] bool, from
// Embedding(mask_zero=True) or Masking), a masked step keeps the previous states and repeats
// the previous output (zeros with zero_output_for_mask), as Keras's backend.rnn does; the
// output keeps the input's mask when return_sequences.
//
// Called with a list [inputs, state...] the extra tensors are the initial states (Keras's
// `initial_state=`); with return_state the outputs are [output, state...].
//
//   LSTM lstm(64, {.return_sequences = true});
//   Tensor seq = lstm(x);                                       // [batch, time, 64]
//   auto enc = std::make_shared<LSTM>(64, RNNOptions{.return_state = true});
//   std::vector<KerasTensor> o = enc->symbolic_call({Input({-1, 8})});   // output, h, c
#pragma once

#include <functional>

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

// Keras's keyword arguments of SimpleRNN, LSTM and GRU (the ones a layer does not have keep
// their defaults: recurrent_activation and unit_forget_bias are LSTM/GRU's, reset_after GRU's).
struct RNNOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";
  std::string recurrent_initializer = "orthogonal";
  std::string bias_initializer = "zeros";
  bool unit_forget_bias = true;  // LSTM: the forget gate's bias starts at 1
  bool reset_after = true;       // GRU: the reset gate applies after the recurrent matmul
  // Regularizer names or configs; null: none.
  nlohmann::ordered_json kernel_regularizer = nullptr;
  nlohmann::ordered_json recurrent_regularizer = nullptr;
  nlohmann::ordered_json bias_regularizer = nullptr;
  nlohmann::ordered_json activity_regularizer = nullptr;
  double dropout = 0.0;            // of the inputs, one mask for all steps
  double recurrent_dropout = 0.0;  // of the recurrent state, one mask for all steps
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;  // the outputs come in the reversed order, as in Keras
  bool stateful = false;      // not supported (ValueError)
  bool unroll = false;        // accepted; the loop is the same either way
  bool time_major = false;
  bool zero_output_for_mask = false;  // masked steps output zeros instead of the last output
  TB_LAYER_BASE_OPTIONS;
};

// Reads the shared keys of a SimpleRNN/LSTM/GRU config into options (base options included);
// the caller reads the cell's own keys and finishes the reader.
RNNOptions read_rnn_options(ConfigReader& r, const nlohmann::ordered_json& config, int64_t& units);

class RNN : public Layer {
 public:
  bool takes_list() const override { return true; }
  void build(const Shape& input_shape) override;  // checks the input, then build_cell
  void build_list(const std::vector<Shape>& input_shapes) override;
  Tensor call(const Tensor& inputs, bool training) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const override;
  Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
  nlohmann::ordered_json layer_config() const override;

  int64_t units() const { return units_; }
  const RNNOptions& options() const { return options_; }
  // The number of state tensors (LSTM: h and c).
  int num_states() const { return num_states_; }

 protected:
  // `gates`: how many blocks of `units` the kernels have (SimpleRNN 1, GRU 3, LSTM 4).
  RNN(const std::string& class_name, int64_t units, int num_states, int gates, const RNNOptions& options);
  Tensor call_masked(const Tensor& inputs, bool training, const Tensor& mask) override;
  std::vector<Tensor> call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                       const std::vector<Tensor>& masks) override;

  // The cell: its kernel [input_dim, gates * units], recurrent_kernel [units, gates * units]
  // and bias (bias_shape()), named "<cell>/kernel" etc., with their regularizers.
  void build_cell(int64_t input_dim, int64_t gates);
  virtual Shape bias_shape(int64_t gates) const { return Shape({gates * units_}); }
  virtual initializers::Initializer bias_initializer() const { return bias_init_; }
  // The bias of the input projection (GRU with reset_after: the input row of its two).
  virtual Tensor input_bias();
  // What every step reads, read once per call (cast to the compute dtype, sliced):
  // by default the recurrent kernel.
  virtual std::vector<Tensor> step_weights();
  // One step: the projected input of this step [batch, k] (x @ kernel + input bias), the
  // states (the recurrent state already multiplied by the recurrent dropout mask in
  // `dropped_h`) and step_weights() -> new states; the step's output is the new states[0].
  virtual std::vector<Tensor> step(const Tensor& projected, const Tensor& dropped_h, const std::vector<Tensor>& states,
                                   const std::vector<Tensor>& weights) = 0;
  // Config keys of one cell kind, where Keras writes them: SimpleRNN has no
  // recurrent_activation; LSTM writes unit_forget_bias after the initializers; LSTM and GRU
  // end with implementation (and GRU with reset_after).
  virtual bool uses_recurrent_activation() const { return true; }
  virtual nlohmann::ordered_json config_after_initializers() const { return nlohmann::ordered_json::object(); }
  virtual nlohmann::ordered_json config_at_end() const { return nlohmann::ordered_json::object(); }
  // The weight-name prefix: "lstm_cell", "lstm_cell_1", ... (Keras names the cell like a layer).
  const std::string& cell_name() const { return cell_name_; }
  // Gate k (of width `units`) of z [batch, n * units].
  Tensor gate(const Tensor& z, int k) const;
  // Keras's `implementation` config value: 1 when recurrent_dropout is set, else 2.
  int implementation() const { return options_.recurrent_dropout != 0 ? 1 : 2; }
  // SimpleRNN/LSTM/GRU::from_config: the shared keys, then `own_keys` reads the cell's own
  // (and marks Keras's `implementation` as known where the layer has it).
  template <class L>
  static std::shared_ptr<L> from_rnn_config(const nlohmann::ordered_json& c, const std::string& class_name,
                                            const std::function<void(ConfigReader&, RNNOptions&)>& own_keys) {
    ConfigReader r(c, "layer " + class_name);
    int64_t units = 0;
    RNNOptions o = read_rnn_options(r, c, units);
    own_keys(r, o);
    r.finish();
    auto l = std::make_shared<L>(units, o);
    l->read_initializers(c);
    return l;
  }
  // The initializer configs of `c` (full dicts) replace the ones made from names.
  void read_initializers(const nlohmann::ordered_json& c);

  int64_t units_;
  RNNOptions options_;
  initializers::Initializer kernel_init_, recurrent_init_, bias_init_;
  std::optional<regularizers::Regularizer> kernel_reg_, recurrent_reg_, bias_reg_, activity_reg_;
  activations::Activation act_, rec_act_;
  Variable kernel_, recurrent_kernel_, bias_;

 private:
  std::vector<Tensor> run(const std::vector<Tensor>& inputs, bool training, const Tensor& mask);
  void check_input(const Shape& s) const;
  int num_states_, num_gates_;
  std::string cell_name_;
};

}  // namespace tb::keras::layers
