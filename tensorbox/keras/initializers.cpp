#include "tensorbox/keras/initializers.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::initializers {

nlohmann::ordered_json Initializer::get_config() const {
  return {{"class_name", class_name_}, {"config", config_}};
}

std::pair<double, double> compute_fans(const Shape& s) {
  if (s.rank() == 0) return {1, 1};
  if (s.rank() == 1) return {double(s[0]), double(s[0])};
  if (s.rank() == 2) return {double(s[0]), double(s[1])};
  double receptive = 1;
  for (int64_t i = 0; i < s.rank() - 2; ++i) receptive *= double(s.dims()[size_t(i)]);
  return {double(s[-2]) * receptive, double(s[-1]) * receptive};
}

namespace {
const nlohmann::ordered_json kSeedNull = {{"seed", nullptr}};

Initializer variance_scaling(const std::string& cls, double scale, const std::string& mode,
                             const std::string& distribution, nlohmann::ordered_json config) {
  if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg")
    throw ValueError("VarianceScaling: invalid mode '" + mode + "' (valid: fan_in, fan_out, fan_avg)");
  if (distribution != "truncated_normal" && distribution != "untruncated_normal" &&
      distribution != "uniform" && distribution != "normal")
    throw ValueError("VarianceScaling: invalid distribution '" + distribution +
                     "' (valid: truncated_normal, untruncated_normal, uniform)");
  if (scale <= 0) throw ValueError("VarianceScaling: scale must be positive, got " + std::to_string(scale));
  return Initializer(cls, std::move(config), [=](const Shape& shape, DType dtype) {
    const auto [fan_in, fan_out] = compute_fans(shape);
    double sc = scale;
    if (mode == "fan_in") sc /= std::max(1.0, fan_in);
    else if (mode == "fan_out") sc /= std::max(1.0, fan_out);
    else sc /= std::max(1.0, (fan_in + fan_out) / 2.0);
    if (distribution == "uniform") {
      const double limit = std::sqrt(3.0 * sc);
      return random::uniform(shape, -limit, limit, dtype);
    }
    if (distribution == "untruncated_normal") return random::normal(shape, 0.0, std::sqrt(sc), dtype);
    // Stddev of a unit normal truncated to [-2, 2].
    return random::truncated_normal(shape, 0.0, std::sqrt(sc) / 0.87962566103423978, dtype);
  });
}
}  // namespace

Initializer VarianceScaling(double scale, const std::string& mode, const std::string& distribution) {
  return variance_scaling("VarianceScaling", scale, mode, distribution,
                          {{"scale", scale}, {"mode", mode}, {"distribution", distribution}, {"seed", nullptr}});
}
Initializer GlorotUniform() { return variance_scaling("GlorotUniform", 1.0, "fan_avg", "uniform", kSeedNull); }
Initializer GlorotNormal() { return variance_scaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal", kSeedNull); }
Initializer HeNormal() { return variance_scaling("HeNormal", 2.0, "fan_in", "truncated_normal", kSeedNull); }
Initializer HeUniform() { return variance_scaling("HeUniform", 2.0, "fan_in", "uniform", kSeedNull); }
Initializer LecunNormal() { return variance_scaling("LecunNormal", 1.0, "fan_in", "truncated_normal", kSeedNull); }
Initializer LecunUniform() { return variance_scaling("LecunUniform", 1.0, "fan_in", "uniform", kSeedNull); }

Initializer Zeros() {
  return Initializer("Zeros", nlohmann::ordered_json::object(), [](const Shape& s, DType t) { return Tensor::zeros(s, t); });
}
Initializer Ones() {
  return Initializer("Ones", nlohmann::ordered_json::object(), [](const Shape& s, DType t) { return Tensor::full(s, 1.0, t); });
}
Initializer Constant(double value) {
  return Initializer("Constant", {{"value", value}},
                     [value](const Shape& s, DType t) { return Tensor::full(s, value, t); });
}
Initializer RandomNormal(double mean, double stddev) {
  return Initializer("RandomNormal", {{"mean", mean}, {"stddev", stddev}, {"seed", nullptr}},
                     [=](const Shape& s, DType t) { return random::normal(s, mean, stddev, t); });
}
Initializer RandomUniform(double minval, double maxval) {
  return Initializer("RandomUniform", {{"minval", minval}, {"maxval", maxval}, {"seed", nullptr}},
                     [=](const Shape& s, DType t) { return random::uniform(s, minval, maxval, t); });
}
Initializer TruncatedNormal(double mean, double stddev) {
  return Initializer("TruncatedNormal", {{"mean", mean}, {"stddev", stddev}, {"seed", nullptr}},
                     [=](const Shape& s, DType t) { return random::truncated_normal(s, mean, stddev, t); });
}

namespace {
// Orthonormal columns of a [n, k] row-major float64 matrix, n >= k, by modified Gram-Schmidt:
// the Q of a QR decomposition whose R has a positive diagonal (Keras's q * sign(diag(r))).
void orthonormalize_columns(double* q, int64_t n, int64_t k) {
  for (int64_t j = 0; j < k; ++j) {
    for (int64_t p = 0; p < j; ++p) {
      double dot = 0;
      for (int64_t i = 0; i < n; ++i) dot += q[i * k + p] * q[i * k + j];
      for (int64_t i = 0; i < n; ++i) q[i * k + j] -= dot * q[i * k + p];
    }
    double norm = 0;
    for (int64_t i = 0; i < n; ++i) norm += q[i * k + j] * q[i * k + j];
    norm = std::sqrt(norm);
    for (int64_t i = 0; i < n; ++i) q[i * k + j] /= norm;
  }
}
}  // namespace

Initializer Orthogonal(double gain) {
  return Initializer("Orthogonal", {{"gain", gain}, {"seed", nullptr}}, [gain](const Shape& s, DType t) {
    if (s.rank() < 2)
      throw ValueError("The tensor to initialize must be at least two-dimensional. Received: shape=" + s.to_string());
    int64_t rows = 1;
    for (int64_t i = 0; i + 1 < s.rank(); ++i) rows *= s[i];
    const int64_t cols = s[-1], n = std::max(rows, cols), k = std::min(rows, cols);
    Tensor a = random::normal({n, k}, 0.0, 1.0, DType::float64);
    orthonormalize_columns(a.data<double>(), n, k);
    if (rows < cols) a = ops::transpose(a);
    return ops::cast(ops::mul(a, Tensor::scalar(gain, DType::float64)), t).reshape(s);
  });
}

namespace {
const std::map<std::string, Initializer (*)()>& by_name() {
  static const std::map<std::string, Initializer (*)()> m = {
      {"glorot_uniform", GlorotUniform}, {"glorot_normal", GlorotNormal},
      {"he_normal", HeNormal},           {"he_uniform", HeUniform},
      {"lecun_normal", LecunNormal},     {"lecun_uniform", LecunUniform},
      {"zeros", Zeros},                  {"ones", Ones},
      {"constant", [] { return Constant(); }},
      {"random_normal", [] { return RandomNormal(); }},
      {"random_uniform", [] { return RandomUniform(); }},
      // Keras's short aliases (Embedding's default is "uniform").
      {"uniform", [] { return RandomUniform(); }},
      {"normal", [] { return RandomNormal(); }},
      {"truncated_normal", [] { return TruncatedNormal(); }},
      {"variance_scaling", [] { return VarianceScaling(); }},
      {"orthogonal", [] { return Orthogonal(); }},
  };
  return m;
}
}  // namespace

Initializer get(const std::string& name) {
  const auto& m = by_name();
  auto it = m.find(name);
  if (it == m.end()) it = m.find(backend::to_snake_case(name));
  if (it == m.end()) {
    const std::string valid = backend::join_keys(m);
    throw ValueError("Unknown initializer: '" + name + "'. Valid initializers: " + valid);
  }
  return it->second();
}

Initializer from_config(const nlohmann::ordered_json& c) {
  if (c.is_string()) return get(c.get<std::string>());
  if (!c.is_object() || !c.contains("class_name"))
    throw ValueError("initializer config must be a name or {\"class_name\", \"config\"}, got " + c.dump());
  const std::string cls = c["class_name"].get<std::string>();
  const nlohmann::ordered_json cfg = c.value("config", nlohmann::ordered_json::object());
  if (cls == "Constant") return Constant(cfg.value("value", 0.0));
  if (cls == "RandomNormal") return RandomNormal(cfg.value("mean", 0.0), cfg.value("stddev", 0.05));
  if (cls == "RandomUniform") return RandomUniform(cfg.value("minval", -0.05), cfg.value("maxval", 0.05));
  if (cls == "TruncatedNormal") return TruncatedNormal(cfg.value("mean", 0.0), cfg.value("stddev", 0.05));
  if (cls == "Orthogonal") return Orthogonal(cfg.value("gain", 1.0));
  if (cls == "VarianceScaling")
    return VarianceScaling(cfg.value("scale", 1.0), cfg.value("mode", "fan_in"),
                           cfg.value("distribution", "truncated_normal"));
  return get(cls);
}

}  // namespace tb::keras::initializers
