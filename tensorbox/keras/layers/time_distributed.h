// TimeDistributed (keras.layers.TimeDistributed): applies one layer to every timestep of
// [batch, time, ...] inputs by folding time into the batch ([batch * time, ...]), so the
// steps share the layer's weights. The wrapped layer is used as is (not copied); its weights
// are the wrapper's. The input's mask passes through to the output.
//
//   TimeDistributed td(Dense(10));                 // [batch, time, 64] -> [batch, time, 10]
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct TimeDistributedOptions {
  TB_LAYER_BASE_OPTIONS;
};

class TimeDistributed : public Layer {
 public:
  explicit TimeDistributed(const LayerRef& layer, const TimeDistributedOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  std::vector<Variable> trainable_weights() const override;
  std::vector<Variable> non_trainable_weights() const override;
  std::vector<Tensor> losses() const override { return layer_->losses(); }
  nlohmann::ordered_json layer_config() const override { return {{"layer", layer_->serialize()}}; }
  static std::shared_ptr<TimeDistributed> from_config(const nlohmann::ordered_json& config);

  const LayerPtr& layer() const { return layer_; }

 private:
  Shape inner_shape(const Shape& s) const;
  LayerPtr layer_;
};

}  // namespace tb::keras::layers
