// Weight and activity regularizers (keras.regularizers): L1 (l1 * sum|x|), L2 (l2 * sum x^2) and
// L1L2 (both), with Keras's defaults (0.01; L1L2's are 0, and the "l1_l2" name means 0.01 each)
// and config format ({"class_name": "L2", "config": {"l2": 0.01}}). Layers turn them into
// penalties that fit adds to the loss (Layer::losses()).
//
//   auto r = tb::keras::regularizers::get("l2");          // or from_config({...})
//   Tensor penalty = r(kernel);                            // 0.01 * sum(kernel^2)
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tensorbox/core/tensor.h"

namespace tb::keras::regularizers {

class Regularizer {
 public:
  Regularizer(std::string class_name, double l1, double l2);
  Tensor operator()(const Tensor& x) const;
  nlohmann::ordered_json get_config() const;  // {"class_name": ..., "config": {...}}
  double l1() const { return l1_; }
  double l2() const { return l2_; }

 private:
  std::string class_name_;
  double l1_, l2_;
};

Regularizer L1(double l1 = 0.01);
Regularizer L2(double l2 = 0.01);
Regularizer L1L2(double l1 = 0.0, double l2 = 0.0);
// "l1", "l2", "l1_l2" (or the class names); ValueError naming an unknown one.
Regularizer get(const std::string& name);
// A config dict, a name, or null (no regularizer).
std::optional<Regularizer> from_config(const nlohmann::ordered_json& config);
// The config a layer writes for an optional regularizer (null when there is none).
nlohmann::ordered_json serialize(const std::optional<Regularizer>& r);

}  // namespace tb::keras::regularizers
