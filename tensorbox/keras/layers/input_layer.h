// InputLayer / Input: the entry point of a model, fixing the per-sample shape
// (keras.layers.InputLayer, keras.Input). keras.Input returns the layer's symbolic output, the
// start of a functional model; in a Sequential model it checks the shape of what is fed in.
//
//   KerasTensor x = Input({784});
//   Sequential model({Input({784}), Dense(10)});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct InputLayerOptions {
  std::string name{};
  std::string dtype{};
};

class InputLayer : public Layer {
 public:
  // `shape` excludes the batch axis; -1 marks an unknown dimension.
  explicit InputLayer(std::vector<int64_t> shape, const InputLayerOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override { return s; }
  nlohmann::ordered_json layer_config() const override;
  // Keras's InputLayer config has no "trainable" and its own key order.
  nlohmann::ordered_json get_config() const override;
  static std::shared_ptr<InputLayer> from_config(const nlohmann::ordered_json& config);
  // The symbolic tensor this layer feeds in (one node per layer while anyone holds it; the
  // layer must be owned by a shared_ptr).
  KerasTensor output();

 private:
  std::weak_ptr<const Node> node_;  // weak: the node owns the layer, not the other way round
};

// keras.Input(shape): a new InputLayer's symbolic output.
KerasTensor Input(std::vector<int64_t> shape, const InputLayerOptions& options = {});

}  // namespace tb::keras::layers
