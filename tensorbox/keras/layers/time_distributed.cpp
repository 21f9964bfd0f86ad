#include "tensorbox/keras/layers/time_distributed.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"

namespace tb::keras::layers {

TimeDistributed::TimeDistributed(const LayerRef& layer, const TimeDistributedOptions& o)
    : Layer("TimeDistributed", base_options(o)), layer_(layer.get()) {
  supports_masking_ = true;
  if (layer_->takes_list())
    throw ValueError("Layer \"" + name() + "\": TimeDistributed wraps a layer with one input, got " +
                     layer_->class_name() + " \"" + layer_->name() + "\"");
}

Shape TimeDistributed::inner_shape(const Shape& s) const {
  if (s.rank() < 3)
    throw ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: " +
                     s.to_string() + " (layer \"" + name() + "\")");
  std::vector<int64_t> d{s[0] < 0 || s[1] < 0 ? -1 : s[0] * s[1]};
  d.insert(d.end(), s.dims().begin() + 2, s.dims().end());
  return Shape(d);
}

void TimeDistributed::build(const Shape& s) {
  if (!layer_->built()) layer_->build(inner_shape(s));
  built_ = true;
}

Tensor TimeDistributed::call(const Tensor& x, bool training) {
  const Tensor y = (*layer_)(ops::reshape(x, inner_shape(x.shape())), training);
  std::vector<int64_t> d{x.dim(0), x.dim(1)};
  d.insert(d.end(), y.shape().dims().begin() + 1, y.shape().dims().end());
  return ops::reshape(y, Shape(d));
}

Shape TimeDistributed::compute_output_shape(const Shape& s) const {
  const Shape inner = layer_->compute_output_shape(inner_shape(s));
  std::vector<int64_t> d{s[0], s[1]};
  d.insert(d.end(), inner.dims().begin() + 1, inner.dims().end());
  return Shape(d);
}

std::vector<Variable> TimeDistributed::trainable_weights() const {
  return trainable() ? layer_->trainable_weights() : std::vector<Variable>{};
}

std::vector<Variable> TimeDistributed::non_trainable_weights() const {
  return trainable() ? layer_->non_trainable_weights() : layer_->weights();
}

std::shared_ptr<TimeDistributed> TimeDistributed::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer TimeDistributed");
  const BaseOptions b = read_base_options(r, c);
  TimeDistributedOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  const LayerPtr inner = deserialize(r.at("layer"));
  r.finish();
  return std::make_shared<TimeDistributed>(inner, o);
}

TB_REGISTER_LAYER(TimeDistributed);

}  // namespace tb::keras::layers
