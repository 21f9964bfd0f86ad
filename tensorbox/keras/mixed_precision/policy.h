// Policy: the dtype a layer computes in and the dtype it keeps its variables in
// (keras.mixed_precision.Policy, keras-facts.md 2). "mixed_float16" computes in float16 and keeps
// float32 variables, "mixed_bfloat16" the same with bfloat16; a dtype name ("float32") uses that
// dtype for both. Layers take the global policy when made, unless given their own `dtype`.
//
//   mixed_precision::set_global_policy("mixed_float16");
//   Dense hidden(1024, {.activation = "relu"});         // computes in float16
//   Dense out(10, {.dtype = "float32"});                  // computes and outputs float32
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "tensorbox/core/dtype.h"

namespace tb::keras::mixed_precision {

class Policy {
 public:
  // ValueError naming the valid policies when `name` is none of them.
  explicit Policy(const std::string& name = "float32");
  const std::string& name() const { return name_; }
  DType compute_dtype() const { return compute_; }
  DType variable_dtype() const { return variable_; }
  bool is_mixed() const { return compute_ != variable_; }
  // As Keras writes it in a layer config: the plain name for a dtype policy, else
  // {"class_name": "Policy", "config": {"name": ...}}.
  nlohmann::ordered_json serialize() const;
  // Accepts either form above.
  static Policy deserialize(const nlohmann::ordered_json& config);
  bool operator==(const Policy& o) const { return name_ == o.name_; }

 private:
  std::string name_;
  DType compute_, variable_;
};

// The policy layers get when they are made without a dtype (process-wide, as in Keras).
void set_global_policy(const Policy& policy);
Policy global_policy();

}  // namespace tb::keras::mixed_precision
