#include "tensorbox/keras/layers/layer_utils.h"

#include <algorithm>

#include "tensorbox/ops/array_ops.h"

namespace tb::keras::layers {

namespace {
std::string tuple_text(const std::vector<int64_t>& v) { return Shape(v).to_string(); }
}  // namespace

std::vector<int64_t> normalize_tuple(const std::vector<int64_t>& v, int rank, const std::string& what,
                                     const std::string& layer) {
  std::vector<int64_t> out = v.size() == 1 ? std::vector<int64_t>(size_t(rank), v[0]) : v;
  if (int(out.size()) != rank)
    throw ValueError("Layer " + layer + ": the `" + what + "` argument must be a tuple of " + std::to_string(rank) +
                     " integers. Received: " + tuple_text(v));
  for (int64_t d : out)
    if (d <= 0)
      throw ValueError("Layer " + layer + ": the `" + what + "` argument must be positive integers. Received: " +
                       tuple_text(v));
  return out;
}

std::vector<int64_t> read_tuple(ConfigReader& r, const char* key, std::vector<int64_t> fallback) {
  if (!r.has(key)) {
    r.allow(key);
    return fallback;
  }
  const auto& v = r.at(key);
  if (v.is_number_integer()) return {v.get<int64_t>()};
  if (v.is_array()) return v.get<std::vector<int64_t>>();
  throw TypeError(std::string("invalid value for `") + key + "`: " + v.dump() + " (an int or a list of ints)");
}

void allow_base_keys(ConfigReader& r) {
  for (const char* k : {"name", "trainable", "dtype", "batch_input_shape"}) r.allow(k);
}

BaseOptions read_base_options(ConfigReader& r, const nlohmann::ordered_json& c) {
  allow_base_keys(r);
  return base_options_from_config(c);
}

Tensor to_channels_last(const Tensor& x) {
  std::vector<int64_t> perm{0};
  for (int64_t i = 2; i < x.rank(); ++i) perm.push_back(i);
  perm.push_back(1);
  return ops::transpose(x, perm);
}

Tensor to_channels_first(const Tensor& x) {
  std::vector<int64_t> perm{0, x.rank() - 1};
  for (int64_t i = 1; i < x.rank() - 1; ++i) perm.push_back(i);
  return ops::transpose(x, perm);
}

std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axis, const Shape& s, const std::string& layer) {
  if (axis.empty()) throw ValueError("Layer " + layer + ": `axis` must not be empty");
  std::vector<int64_t> out;
  for (int64_t a : axis) {
    if (a < -s.rank() || a >= s.rank())
      throw ValueError("Invalid axis: " + std::to_string(a) + " for input of layer \"" + layer + "\" with shape " +
                       s.to_string());
    const int64_t n = a < 0 ? a + s.rank() : a;
    if (s[n] <= 0)
      throw ValueError("Axis " + std::to_string(a) + " of input tensor should have a defined dimension but the layer "
                       "received an input with shape " + s.to_string() + ".");
    if (std::find(out.begin(), out.end(), n) != out.end())
      throw ValueError("Duplicate axis: " + Shape(axis).to_string() + " in layer \"" + layer + "\"");
    out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_fraction(double value, const char* what, const std::string& layer) {
  if (!(value >= 0.0 && value <= 1.0))
    throw ValueError("Layer \"" + layer + "\": `" + what + "` must be a float between 0 and 1, got " +
                     std::to_string(value));
}

Tensor reverse_axis(const Tensor& x, int64_t axis) {
  const int64_t n = x.dim(axis);
  std::vector<int64_t> idx;
  for (int64_t t = n - 1; t >= 0; --t) idx.push_back(t);
  return ops::gather(x, Tensor::from_vector(idx, {n}), axis);
}

}  // namespace tb::keras::layers
