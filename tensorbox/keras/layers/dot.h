// Dot (keras.layers.Dot): the per-sample dot product of two tensors along `axes` (one axis for
// both, or one per input; the batch axis is never contracted). With normalize=true the inputs
// are L2-normalized along those axes first, so the result is their cosine similarity. Two 2-D
// inputs give [batch, 1].
//
//   KerasTensor sim = (*std::make_shared<Dot>(DotOptions{.axes = {1}, .normalize = true}))({a, b});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct DotOptions {
  std::vector<int64_t> axes{-1};  // one axis for both inputs, or one per input
  bool normalize = false;
  TB_LAYER_BASE_OPTIONS;
};

class Dot : public Layer {
 public:
  explicit Dot(const DotOptions& options = {});
  bool takes_list() const override { return true; }
  void build_list(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  std::vector<Tensor> compute_masks(const std::vector<Tensor>&, const std::vector<Tensor>&) const override {
    return {Tensor()};  // Keras: a dot product's output has no mask
  }
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Dot> from_config(const nlohmann::ordered_json& config);

 private:
  // The contraction axis of each input (non-negative), checked against the shapes.
  std::pair<int64_t, int64_t> axes_for(const std::vector<Shape>& shapes) const;
  DotOptions options_;
};

}  // namespace tb::keras::layers
