// Weight initializers with Keras's names, defaults and fan rules (keras-facts.md 1.2).
//
//   auto init = tb::keras::initializers::get("he_normal");
//   Tensor w = init({784, 1024}, tb::DType::float32);
//   init.get_config();   // {"class_name": "HeNormal", "config": {"seed": null}}
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tensorbox/core/tensor.h"

namespace tb::keras::initializers {

class Initializer {
 public:
  using Fn = std::function<Tensor(const Shape&, DType)>;
  Initializer(std::string class_name, nlohmann::ordered_json config, Fn fn)
      : class_name_(std::move(class_name)), config_(std::move(config)), fn_(std::move(fn)) {}
  Tensor operator()(const Shape& shape, DType dtype) const { return fn_(shape, dtype); }
  const std::string& class_name() const { return class_name_; }
  // {"class_name": ..., "config": {...}} as Keras serializes it.
  nlohmann::ordered_json get_config() const;

 private:
  std::string class_name_;
  nlohmann::ordered_json config_;
  Fn fn_;
};

// VarianceScaling: mode "fan_in" | "fan_out" | "fan_avg"; distribution "truncated_normal" |
// "untruncated_normal" | "uniform".
Initializer VarianceScaling(double scale = 1.0, const std::string& mode = "fan_in",
                            const std::string& distribution = "truncated_normal");
Initializer GlorotUniform();
Initializer GlorotNormal();
Initializer HeNormal();
Initializer HeUniform();
Initializer LecunNormal();
Initializer LecunUniform();
Initializer Zeros();
Initializer Ones();
Initializer Constant(double value = 0.0);
Initializer RandomNormal(double mean = 0.0, double stddev = 0.05);
Initializer RandomUniform(double minval = -0.05, double maxval = 0.05);
Initializer TruncatedNormal(double mean = 0.0, double stddev = 0.05);
// A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal matrix with
// R's diagonal made positive, over the shape flattened to [prod(shape[:-1]), shape[-1]]
// (the recurrent layers' recurrent_initializer).
Initializer Orthogonal(double gain = 1.0);

// By Keras's string name ("glorot_uniform") or class name ("GlorotUniform"); throws
// ValueError listing the valid names.
Initializer get(const std::string& name);
// From a serialized {"class_name", "config"} object (or a plain string).
Initializer from_config(const nlohmann::ordered_json& config);

// Keras's _compute_fans.
std::pair<double, double> compute_fans(const Shape& shape);

}  // namespace tb::keras::initializers
