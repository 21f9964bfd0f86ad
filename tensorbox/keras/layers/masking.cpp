#include "tensorbox/keras/layers/masking.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

namespace {
// any(x != value, axis=-1, keepdims) as 0/1 in x's dtype.
Tensor keep(const Tensor& x, double value) {
  const Tensor differs = ops::cast(ops::not_equal(x, ops::scalar_like(value, x)), x.dtype());
  return ops::reduce_max(differs, {-1}, true);
}
}  // namespace

Masking::Masking(const MaskingOptions& o) : Layer("Masking", base_options(o)), mask_value_(o.mask_value) {
  supports_masking_ = true;
}

Tensor Masking::call(const Tensor& x, bool) {
  check_min_ndim(x, 1);
  return ops::mul(x, ops::stop_gradient(keep(x, mask_value_)));
}

Tensor Masking::compute_mask(const Tensor& x, const Tensor&) const {
  return ops::cast(ops::squeeze(keep(x, mask_value_), {-1}), DType::bool_);
}

std::shared_ptr<Masking> Masking::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Masking");
  const BaseOptions b = read_base_options(r, c);
  MaskingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("mask_value", o.mask_value);
  r.finish();
  return std::make_shared<Masking>(o);
}

TB_REGISTER_LAYER(Masking);

}  // namespace tb::keras::layers
