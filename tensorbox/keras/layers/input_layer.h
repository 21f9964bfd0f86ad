// InputLayer / Input: the entry point of a model, fixing the per-sample shape
// (keras.layers.InputLayer, keras.Input). In a Sequential model it checks the shape of what
// is fed in.
//
//   Sequential model({InputLayer({784}), Dense(10)});
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
};

// keras.Input(shape): an InputLayer to put first in a Sequential model.
std::shared_ptr<InputLayer> Input(std::vector<int64_t> shape, const InputLayerOptions& options = {});

}  // namespace tb::keras::layers
