// Bidirectional (keras.layers.Bidirectional): runs a recurrent layer forwards and a copy of it
// backwards (go_backwards flipped) over the same input and merges the two outputs:
// merge_mode "concat" (default), "sum", "mul", "ave", or none (the two outputs as a list).
// As in Keras both copies are made from the given layer's config, named forward_<name> and
// backward_<name>; with return_sequences the backward output is put back into time order and
// masked steps output zeros. Called with a list [inputs, states...] the first half of the
// states starts the forward layer and the second half the backward one; with return_state the
// outputs are [merged, forward states..., backward states...].
//
//   Bidirectional bi(LSTM(64, {.return_sequences = true}));     // [batch, time, 128]
#pragma once

#include <optional>

#include "tensorbox/keras/layers/rnn.h"

namespace tb::keras::layers {

struct BidirectionalOptions {
  std::optional<std::string> merge_mode = "concat";  // nullopt: Keras's merge_mode=None
  TB_LAYER_BASE_OPTIONS;
};

class Bidirectional : public Layer {
 public:
  explicit Bidirectional(const LayerRef& layer, const BidirectionalOptions& options = {});
  bool takes_list() const override { return true; }
  void build(const Shape& input_shape) override;
  void build_list(const std::vector<Shape>& input_shapes) override;
  Tensor call(const Tensor& inputs, bool training) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const override;
  std::vector<Variable> trainable_weights() const override;
  std::vector<Variable> non_trainable_weights() const override;
  std::vector<Tensor> losses() const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Bidirectional> from_config(const nlohmann::ordered_json& config);

  const std::shared_ptr<RNN>& forward_layer() const { return forward_; }
  const std::shared_ptr<RNN>& backward_layer() const { return backward_; }

 protected:
  Tensor call_masked(const Tensor& inputs, bool training, const Tensor& mask) override;
  std::vector<Tensor> call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                       const std::vector<Tensor>& masks) override;

 private:
  std::vector<Tensor> run(const std::vector<Tensor>& inputs, bool training, const Tensor& mask);
  size_t num_outputs() const;
  nlohmann::ordered_json layer_;  // the wrapped layer's serialized config
  std::optional<std::string> merge_mode_;
  std::shared_ptr<RNN> forward_, backward_;
};

}  // namespace tb::keras::layers
