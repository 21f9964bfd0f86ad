// The elementwise merge layers (keras.layers.Add, Subtract, Multiply, Average, Maximum,
// Minimum): called on a list of tensors of compatible shapes, they combine them element by
// element. As in Keras, inputs of lower rank get size-1 axes inserted after the batch axis
// before broadcasting; Subtract takes exactly two inputs.
//
//   KerasTensor s = (*std::make_shared<Add>())({x, shortcut});      // a residual connection
//   std::vector<Tensor> out = Add()({a, b});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct MergeOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Merge : public Layer {
 public:
  Merge(const std::string& class_name, const MergeOptions& options) : Layer(class_name, base_options(options)) {
    supports_masking_ = true;
  }
  bool takes_list() const override { return true; }
  void build_list(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  // A merge layer needs a list: a single tensor is Keras's ValueError.
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override { return nlohmann::ordered_json::object(); }

 protected:
  // Combines two inputs (already broadcastable); Average divides the folded sum afterwards.
  virtual Tensor merge(const Tensor& a, const Tensor& b) const = 0;
  virtual Tensor finish(const Tensor& folded, size_t /*count*/) const { return folded; }
  // Subtract: the exact number of inputs the layer takes (0 = any number >= 1).
  virtual size_t arity() const { return 0; }
};

#define TB_MERGE_LAYER(Name)                                                                     \
  class Name : public Merge {                                                                    \
   public:                                                                                       \
    explicit Name(const MergeOptions& options = {}) : Merge(#Name, options) {}                   \
    static std::shared_ptr<Name> from_config(const nlohmann::ordered_json& c);                   \
                                                                                                 \
   protected:                                                                                    \
    Tensor merge(const Tensor& a, const Tensor& b) const override;                               \
    Tensor finish(const Tensor& folded, size_t count) const override;                            \
    size_t arity() const override;                                                               \
  }

TB_MERGE_LAYER(Add);
TB_MERGE_LAYER(Subtract);
TB_MERGE_LAYER(Multiply);
TB_MERGE_LAYER(Average);
TB_MERGE_LAYER(Maximum);
TB_MERGE_LAYER(Minimum);

}  // namespace tb::keras::layers
