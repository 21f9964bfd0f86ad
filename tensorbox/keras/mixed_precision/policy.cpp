#include "tensorbox/keras/mixed_precision/policy.h"

#include <mutex>

#include "tensorbox/core/errors.h"

namespace tb::keras::mixed_precision {

Policy::Policy(const std::string& name) : name_(name) {
  if (name == "mixed_float16") {
    compute_ = DType::float16;
    variable_ = DType::float32;
    return;
  }
  if (name == "mixed_bfloat16") {
    compute_ = DType::bfloat16;
    variable_ = DType::float32;
    return;
  }
  try {
    compute_ = variable_ = dtype_from_name(name);
    name_ = std::string(dtype_name(compute_));  // "float" -> "float32", as tf.as_dtype names it
  } catch (const InvalidArgumentError&) {
    throw ValueError("Cannot convert value '" + name +
                     "' to a mixed precision Policy. Valid policies include 'mixed_float16', 'mixed_bfloat16', "
                     "and the name of any dtype such as 'float32'.");
  }
}

nlohmann::ordered_json Policy::serialize() const {
  if (!is_mixed()) return name_;
  return {{"class_name", "Policy"}, {"config", {{"name", name_}}}};
}

Policy Policy::deserialize(const nlohmann::ordered_json& c) {
  if (c.is_string()) return Policy(c.get<std::string>());
  if (c.is_object() && c.contains("config") && c["config"].contains("name"))
    return Policy(c["config"]["name"].get<std::string>());
  throw ValueError("not a dtype policy: " + c.dump());
}

namespace {
std::mutex g_mu;
Policy& global() {
  static Policy p("float32");
  return p;
}
}  // namespace

void set_global_policy(const Policy& policy) {
  std::lock_guard lock(g_mu);
  global() = policy;
}

Policy global_policy() {
  std::lock_guard lock(g_mu);
  return global();
}

}  // namespace tb::keras::mixed_precision
