// Concatenate (keras.layers.Concatenate): joins a list of tensors along `axis` (default the
// last); all other dimensions must match. Masks are concatenated along `axis` too (a missing
// one counts as all true) and reduced over the last axis, Keras's rule.
//
//   KerasTensor both = (*std::make_shared<Concatenate>())({a, b});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct ConcatenateOptions {
  int64_t axis = -1;
  TB_LAYER_BASE_OPTIONS;
};

class Concatenate : public Layer {
 public:
  explicit Concatenate(const ConcatenateOptions& options = {}) : Layer("Concatenate", base_options(options)), axis_(options.axis) {
    supports_masking_ = true;
  }
  bool takes_list() const override { return true; }
  void build_list(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const override;
  nlohmann::ordered_json layer_config() const override { return {{"axis", axis_}}; }
  static std::shared_ptr<Concatenate> from_config(const nlohmann::ordered_json& config);

 private:
  int64_t axis_;
};

}  // namespace tb::keras::layers
