// Reshape: reshapes each sample to `target_shape` (no batch axis; one entry may be -1)
// (keras.layers.Reshape).
//
//   Reshape r({28, 28, 1});
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct ReshapeOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Reshape : public Layer {
 public:
  explicit Reshape(std::vector<int64_t> target_shape, const ReshapeOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override { return {{"target_shape", target_shape_}}; }
  static std::shared_ptr<Reshape> from_config(const nlohmann::ordered_json& config);

 private:
  std::vector<int64_t> target_shape_;
};

}  // namespace tb::keras::layers
