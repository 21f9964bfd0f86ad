#include "tensorbox/keras/layers/reshape.h"

#include <algorithm>

#include "tensorbox/ops/array_ops.h"

namespace tb::keras::layers {

Reshape::Reshape(std::vector<int64_t> target_shape, const ReshapeOptions& o)
    : Layer("Reshape", base_options(o)), target_shape_(std::move(target_shape)) {
  int unknown = 0;
  for (int64_t d : target_shape_) {
    if (d == -1) ++unknown;
    else if (d <= 0) throw ValueError("Reshape: target_shape " + Shape(target_shape_).to_string() + " has an invalid dimension");
  }
  if (unknown > 1)
    throw ValueError("There must be at most one unknown dimension in output_shape. Received: output_shape=" +
                     Shape(target_shape_).to_string());
}

Tensor Reshape::call(const Tensor& x, bool) {
  std::vector<int64_t> d{x.dim(0)};
  d.insert(d.end(), target_shape_.begin(), target_shape_.end());
  int64_t per_sample = 1, known = 1;
  for (int64_t i = 1; i < x.rank(); ++i) per_sample *= x.shape().dims()[size_t(i)];
  for (int64_t t : target_shape_) if (t != -1) known *= t;
  const bool has_unknown = std::find(target_shape_.begin(), target_shape_.end(), -1) != target_shape_.end();
  if (has_unknown ? (known == 0 || per_sample % known != 0) : per_sample != known)
    throw ValueError("Exception encountered when calling layer \"" + name() +
                     "\": total size of new array must be unchanged, input_shape = " +
                     x.shape().to_string() + ", output_shape = " + Shape(target_shape_).to_string());
  return ops::reshape(x, Shape(d));
}

Shape Reshape::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d{s.rank() ? s[0] : -1};
  int64_t per_sample = 1, known = 1;
  for (int64_t i = 1; i < s.rank(); ++i) per_sample *= s.dims()[size_t(i)];
  for (int64_t t : target_shape_) if (t != -1) known *= t;
  for (int64_t t : target_shape_) d.push_back(t == -1 ? (known ? per_sample / known : -1) : t);
  return Shape(d);
}

std::shared_ptr<Reshape> Reshape::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  return std::make_shared<Reshape>(c.at("target_shape").get<std::vector<int64_t>>(),
                                   ReshapeOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(Reshape);

}  // namespace tb::keras::layers
