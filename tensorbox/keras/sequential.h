// Sequential: a plain stack of layers (keras.Sequential). Built from the first layer's
// input_shape (or an InputLayer), or on the first call.
//
//   Sequential model({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10)});
//   model.add(Dense(10));
//   model.summary();
#pragma once

#include "tensorbox/keras/model.h"

namespace tb::keras {

struct SequentialOptions {
  std::string name{};
};

class Sequential : public Model {
 public:
  explicit Sequential(std::vector<layers::LayerRef> layers = {}, const SequentialOptions& options = {});
  void add(layers::LayerRef layer);
  void pop();

  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  void build(const Shape& input_shape) override;
  nlohmann::ordered_json layer_config() const override;
  // Keras's Sequential config is just {"name", "layers"}.
  nlohmann::ordered_json get_config() const override {
    return {{"name", name()}, {"layers", layer_config()["layers"]}};
  }
  std::vector<layers::LayerPtr> layers() const override;
  static std::shared_ptr<Sequential> from_config(const nlohmann::ordered_json& config);

 protected:
  std::optional<Shape> model_input_shape() const override;

 private:
  std::vector<layers::LayerPtr> layers_;  // may start with an InputLayer
};

}  // namespace tb::keras
