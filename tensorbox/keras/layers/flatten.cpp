#include "tensorbox/keras/layers/flatten.h"

#include "tensorbox/ops/array_ops.h"

namespace tb::keras::layers {

Tensor Flatten::call(const Tensor& x, bool) {
  // A rank-1 input becomes [batch, 1], as in Keras.
  if (x.rank() == 1) return ops::reshape(x, {x.dim(0), 1});
  return ops::reshape(x, {x.rank() ? x.dim(0) : 1, -1});
}

Shape Flatten::compute_output_shape(const Shape& s) const {
  int64_t n = 1;
  for (int64_t i = 1; i < s.rank(); ++i) n = (n < 0 || s.dims()[size_t(i)] < 0) ? -1 : n * s.dims()[size_t(i)];
  return Shape{s.rank() ? s[0] : -1, n};
}

std::shared_ptr<Flatten> Flatten::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  return std::make_shared<Flatten>(FlattenOptions{b.input_shape, b.name, b.trainable, b.dtype});
}

TB_REGISTER_LAYER(Flatten);

}  // namespace tb::keras::layers
